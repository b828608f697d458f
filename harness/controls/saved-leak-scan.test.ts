import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Suite, Task } from '../core/suite.js';
import type { Manifest } from '../storage/manifest.js';
import { tempDir } from '../testing/run-helpers.js';
import { recordLeakScan, scanRunReusing } from './leak-scan.js';
import { SAVED_LEAK_SCAN_FILE } from './saved-leak-scan.js';

const task: Task = {
  id: 'sum',
  suite: 'toy',
  family: 'lists',
  title: 'sum',
  prompt: 'Write total(xs).',
  files: {},
  pitfalls: [],
  rubric: [],
  expected: {},
};
const suiteWith = (marker: string): Suite =>
  ({
    name: 'toy',
    systemPrompt: 'You write code.',
    tasks: [task],
    pitfalls: [],
    leakMarkers: () => [{ text: marker, kind: 'hidden_test', source: 'hidden tests, line 2' }],
  }) as unknown as Suite;
const suite = suiteWith('assert candidate([1, 2, 3, 40]) == 46');

function snapshot(dir: string, session: number, memory: string): void {
  const folder = join(dir, 'memory', 'learnings', 'r1', `session-${String(session).padStart(3, '0')}`);
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'learnings.md'), memory);
}

/** A run whose memory is clean after session 1, with its end-of-run scan recorded. */
function scannedRun(): string {
  const dir = tempDir('saved-leak-scan-');
  snapshot(dir, 1, '- Name the function total.\n');
  writeFileSync(join(dir, 'trials.jsonl'), '');
  recordLeakScan(dir, {} as Manifest, new Map([['toy', suite]]));
  return dir;
}

const savedFile = (dir: string): { basis: object; result: { headline: string } } =>
  JSON.parse(readFileSync(join(dir, SAVED_LEAK_SCAN_FILE), 'utf8')) as { basis: object; result: { headline: string } };

describe('the saved leak scan', () => {
  it('is what the report reads while nothing the scan read has changed', () => {
    const dir = scannedRun();
    const saved = savedFile(dir);
    expect(scanRunReusing(dir, [suite], [])).toEqual(saved.result);
    // Proof that it was read, not recomputed: a mark put in the saved file comes back.
    saved.result.headline = 'from the saved file';
    writeFileSync(join(dir, SAVED_LEAK_SCAN_FILE), JSON.stringify(saved));
    expect(scanRunReusing(dir, [suite], []).headline).toBe('from the saved file');
  });

  it('is scanned afresh when a snapshot is added after it, and a leak there is found', () => {
    const dir = scannedRun();
    snapshot(dir, 2, '- remember: total([1,2,3,40]) == 46\n');
    const result = scanRunReusing(dir, [suite], []);
    expect(result.status).toBe('leak');
    expect(result.snapshots).toBe(2);
    // The fresh scan is saved in turn, and reused.
    expect(savedFile(dir).result).toEqual(result);
  });

  it('is scanned afresh when a snapshot file changes in place', () => {
    const dir = scannedRun();
    writeFileSync(join(dir, 'memory', 'learnings', 'r1', 'session-001', 'learnings.md'), '- assert candidate([1, 2, 3, 40]) == 46\n');
    expect(scanRunReusing(dir, [suite], []).status).toBe('leak');
  });

  it("is scanned afresh when the suite's markers change", () => {
    const dir = scannedRun();
    const renamed = suiteWith('name the function total');
    expect(scanRunReusing(dir, [renamed], []).status).toBe('leak');
  });

  it('is scanned afresh when trials.jsonl has grown (the seen check reads its transcripts)', () => {
    const dir = scannedRun();
    const saved = savedFile(dir);
    saved.result.headline = 'stale';
    writeFileSync(join(dir, SAVED_LEAK_SCAN_FILE), JSON.stringify(saved));
    writeFileSync(join(dir, 'trials.jsonl'), '{"arm":"learnings","replicate":1,"session":1,"slot":0,"task":"sum"}\n');
    expect(scanRunReusing(dir, [suite], []).headline).not.toBe('stale');
  });

  it('is scanned afresh when a transcript is added, moved or removed (the seen check reads them)', () => {
    const dir = scannedRun();
    mkdirSync(join(dir, 'transcripts', 'learnings', 'r1', 's001'), { recursive: true });
    recordLeakScan(dir, {} as Manifest, new Map([['toy', suite]]));
    const saved = savedFile(dir);
    saved.result.headline = 'stale';
    writeFileSync(join(dir, SAVED_LEAK_SCAN_FILE), JSON.stringify(saved));
    expect(scanRunReusing(dir, [suite], []).headline).toBe('stale');
    writeFileSync(join(dir, 'transcripts', 'learnings', 'r1', 's001', '000-sum.json'), '{"messages":[]}');
    expect(scanRunReusing(dir, [suite], []).headline).not.toBe('stale');
  });

  it('is ignored, not trusted, when it is torn or of the wrong shape, and a missing one means a fresh scan', () => {
    const dir = scannedRun();
    const fresh = scanRunReusing(dir, [suite], []);
    writeFileSync(join(dir, SAVED_LEAK_SCAN_FILE), '{"basis":');
    expect(scanRunReusing(dir, [suite], [])).toEqual(fresh);
    const saved = savedFile(dir);
    writeFileSync(join(dir, SAVED_LEAK_SCAN_FILE), JSON.stringify({ basis: saved.basis, result: { status: 'clean' } }));
    expect(scanRunReusing(dir, [suite], [])).toEqual(fresh);
    rmSync(join(dir, SAVED_LEAK_SCAN_FILE));
    expect(scanRunReusing(dir, [suite], [])).toEqual(fresh);
  });
});
