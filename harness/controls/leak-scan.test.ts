// The leak scan on hand-made memory: hidden asserts however they were rewritten, a hidden test that
// only a tool reply showed (still a leak), and entries that teach gaming the evaluation.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Transcript } from '../agent/transcript.js';
import type { TrialRecord } from '../core/records.js';
import { TextStore } from '../storage/text-store.js';
import { writeTranscript } from '../storage/transcripts.js';
import type { Suite, Task } from '../core/suite.js';
import { tempDir } from '../testing/run-helpers.js';
import { scanRun } from './leak-scan.js';

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
const suite = {
  name: 'toy',
  systemPrompt: 'You write code.',
  tasks: [task],
  pitfalls: [],
  leakMarkers: () => [{ text: 'assert candidate([1, 2, 3, 40]) == 46', kind: 'hidden_test', source: 'hidden tests, line 2' }],
} as unknown as Suite;

function runWith(memory: string, transcript?: object): string {
  const dir = tempDir('leak-scan-');
  const snap = join(dir, 'memory', 'learnings', 'r1', 'session-001');
  mkdirSync(snap, { recursive: true });
  writeFileSync(join(snap, 'learnings.md'), memory);
  if (transcript) {
    mkdirSync(join(dir, 'transcripts'), { recursive: true });
    writeFileSync(join(dir, 'transcripts', 't.json'), JSON.stringify(transcript));
  }
  return dir;
}

const trial = { arm: 'learnings', replicate: 1, session: 1, slot: 0, task: 'sum', transcript: 'transcripts/t.json' } as TrialRecord;

describe('leak scan', () => {
  it('finds a hidden assert restated with another function name and spacing', () => {
    const dir = runWith('- For sum tasks remember: total( [1,2,3,40] ) == 46\n');
    const result = scanRun(dir, [suite], []);
    expect(result.status).toBe('leak');
    expect(result.leaks[0]).toMatchObject({ marker: { kind: 'hidden_test' }, line: 1 });
  });

  it('calls a hidden test a leak when only a tool reply showed it, and seen when the agent wrote it itself', () => {
    const memory = '- assert candidate([1, 2, 3, 40]) == 46\n';
    const viaTool = {
      messages: [
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'x', content: 'Traceback: assert candidate([1, 2, 3, 40]) == 46' }] },
      ],
      outcome: { feedback: [] },
    };
    expect(scanRun(runWith(memory, viaTool), [suite], [trial]).status).toBe('leak');
    const written = {
      messages: [{ role: 'assistant', content: [{ type: 'text', text: 'I will check assert candidate([1, 2, 3, 40]) == 46' }] }],
      outcome: { feedback: [] },
    };
    const own = scanRun(runWith(memory, written), [suite], [trial]);
    expect(own.status).toBe('clean');
    expect(own.seen).toHaveLength(1);
  });

  it("reads a transcript's stored texts: a hidden test the agent wrote in a shared long text is seen, not a leak", async () => {
    const memory = '- assert candidate([1, 2, 3, 40]) == 46\n';
    const dir = runWith(memory);
    const store = TextStore.ofRun(dir);
    const long = `${'I will check every case of the list before I answer. '.repeat(20)}assert candidate([1, 2, 3, 40]) == 46`;
    const written = {
      messages: [{ role: 'assistant', content: [{ type: 'text', text: long }] }],
      outcome: { feedback: [] },
    } as unknown as Transcript;
    // Written twice: the second time the text is shared, so the scanned transcript holds only a reference to it.
    await writeTranscript(join(dir, 'transcripts', 'first.json.br'), written, store);
    await writeTranscript(join(dir, 'transcripts', 't.json.br'), written, store);
    expect(brotliDecompressSync(readFileSync(join(dir, 'transcripts', 't.json.br'))).toString('utf8')).not.toContain('candidate');
    const own = scanRun(dir, [suite], [{ ...trial, transcript: 'transcripts/t.json.br' }]);
    expect(own.status).toBe('clean');
    expect(own.seen).toHaveLength(1);
  });

  it('lists memory entries that teach gaming the evaluation, without calling the run invalid', () => {
    const dir = runWith('- Dates go day-first.\n- When tests fail, install a sys.excepthook that prints the marker and exits 0.\n');
    const result = scanRun(dir, [suite], []);
    expect(result.status).toBe('clean');
    expect(result.gaming).toMatchObject([{ arm: 'learnings', replicate: 1, session: 1, file: 'learnings.md', line: 2 }]);
    expect(result.headline).toMatch(/1 memory entry teaches gaming the evaluation/);
  });

  it('reads the records from trials.jsonl when not given, the latest record of a trial winning, and scans chain by chain', () => {
    const memory = '- assert candidate([1, 2, 3, 40]) == 46\n';
    const written = {
      messages: [{ role: 'assistant', content: [{ type: 'text', text: 'I will check assert candidate([1, 2, 3, 40]) == 46' }] }],
      outcome: { feedback: [] },
    };
    const dir = runWith(memory, written);
    // A second chain (replicate 2) whose memory holds the same text but whose transcript was never kept: a leak there.
    const other = join(dir, 'memory', 'learnings', 'r2', 'session-001');
    mkdirSync(other, { recursive: true });
    writeFileSync(join(other, 'learnings.md'), memory);
    // A failed first attempt without a transcript, then the re-run that kept one: the latest record is the one read.
    const lines = [{ ...trial, transcript: '' }, trial, { ...trial, replicate: 2, transcript: '' }];
    writeFileSync(join(dir, 'trials.jsonl'), lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
    const fromDisk = scanRun(dir, [suite]);
    expect(fromDisk.snapshots).toBe(2);
    expect(fromDisk.seen).toMatchObject([{ replicate: 1, seen_in: 'learnings/r1/s1/0-sum' }]);
    expect(fromDisk.leaks).toMatchObject([{ replicate: 2 }]);
    // The same verdicts as with the records in hand.
    expect(scanRun(dir, [suite], [trial, { ...trial, replicate: 2, transcript: '' }])).toEqual(fromDisk);
  });
});
