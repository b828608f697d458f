import { appendFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RunDir, readJsonLines, repairJsonLines, writeFileAtomicAsync, writePieces } from './run-dir.js';
import { tempDir } from '../testing/run-helpers.js';
import type { TrialRecord } from '../core/records.js';

const record = (task: string, success: boolean, error_class: TrialRecord['error_class'] = success ? 'none' : 'agent') =>
  ({ arm: 'a', replicate: 1, session: 1, slot: 0, task, success, error_class }) as TrialRecord;

describe('run directory storage', () => {
  it('drops a torn last line (a killed writer) but refuses corruption in the middle', () => {
    const path = join(tempDir(), 'x.jsonl');
    writeFileSync(path, '{"a":1}\n{"a":2}\n{"a":');
    expect(readJsonLines(path)).toEqual([{ a: 1 }, { a: 2 }]);
    repairJsonLines(path);
    appendFileSync(path, '{"a":3}\n');
    expect(readJsonLines(path)).toEqual([{ a: 1 }, { a: 2 }, { a: 3 }]);
    writeFileSync(path, '{"a":1}\nnot json\n{"a":2}\n');
    expect(() => readJsonLines(path)).toThrow(/x\.jsonl: line 2 is not valid JSON/);
  });

  it('lets a re-run trial replace its infra failure, keeping one record per trial', () => {
    const dir = new RunDir(tempDir());
    dir.appendTrial(record('t1', false, 'infra'));
    dir.appendTrial(record('t2', true));
    dir.appendTrial(record('t1', true));
    const trials = dir.trials();
    expect(trials).toHaveLength(2);
    expect(trials.find((t) => t.task === 't1')?.success).toBe(true);
  });

  it('journals the trials that finish in one turn of the event loop together, whole lines, before any snapshot or read', async () => {
    const dir = new RunDir(tempDir());
    dir.event('run_started');
    dir.finishTrial(record('t1', true), { trial: 't1' });
    dir.finishTrial(record('t2', false), { trial: 't2' });
    // Not yet on disk in this turn: a kill now loses two trials that never counted, and resume runs them again.
    expect(existsSync(dir.trialsPath)).toBe(false);
    // A snapshot marks the session done, so the records go first.
    dir.writeSnapshot('a', 1, 1, { 'notes.md': 'x' });
    expect(readJsonLines<TrialRecord>(dir.trialsPath).map((t) => t.task)).toEqual(['t1', 't2']);

    dir.finishTrial(record('t3', true), { trial: 't3' });
    await new Promise((resolve) => setImmediate(resolve));
    expect(readJsonLines<TrialRecord>(dir.trialsPath).map((t) => t.task)).toEqual(['t1', 't2', 't3']);
    dir.finishTrial(record('t4', true), { trial: 't4' });
    expect(dir.trials().map((t) => t.task)).toEqual(['t1', 't2', 't3', 't4']);
    // Events keep their order around the batched ones.
    dir.finishTrial(record('t5', true), { trial: 't5' });
    dir.event('run_finished');
    const events = readJsonLines<{ type: string; trial?: string }>(dir.eventsPath);
    expect(events.map((e) => e.trial ?? e.type)).toEqual(['run_started', 't1', 't2', 't3', 't4', 't5', 'run_finished']);
    expect(events.filter((e) => e.trial).every((e) => e.type === 'trial_finished')).toBe(true);
  });

  it('writes memory snapshots whole, and sweeps the leftovers of a killed writer', () => {
    const root = tempDir();
    const dir = new RunDir(root);
    dir.writeSnapshot('arm', 1, 2, { 'notes.md': 'hello\n', 'playbooks/nda.md': '- x\n' });
    expect(dir.readSnapshot('arm', 1, 2)).toEqual({ 'notes.md': 'hello\n', 'playbooks/nda.md': '- x\n' });
    const leftover = join(root, 'memory', 'arm', 'r1', 'session-003.tmp-123-0');
    writeFileSync(join(root, 'manifest.json.tmp-123-1'), '{');
    expect(existsSync(join(root, 'memory', 'arm', 'r1'))).toBe(true);
    writeFileSync(leftover, 'partial');
    dir.sweepTemporaries();
    expect(readdirSync(join(root, 'memory', 'arm', 'r1'))).toEqual(['session-002']);
    expect(existsSync(join(root, 'manifest.json.tmp-123-1'))).toBe(false);
    expect(() => dir.writeSnapshot('arm', 1, 3, { '../escape.md': 'x' })).toThrow(/must be a relative path/);
  });
});

describe('writing a large file in pieces', () => {
  it('writes the text exactly, emoji cut across a piece boundary included', async () => {
    const root = tempDir();
    // Surrogate pairs at every offset around the 32,768-unit boundaries.
    const text = `${'a'.repeat(32_767)}😀${'b'.repeat(32_766)}😀😀${'é'.repeat(40_000)}\n`;
    const pieces = [...writePieces(text)];
    expect(pieces.join('')).toBe(text);
    expect(pieces.length).toBeGreaterThan(3);
    for (const piece of pieces.slice(0, -1)) {
      const last = piece.charCodeAt(piece.length - 1);
      expect(last >= 0xd800 && last <= 0xdbff).toBe(false);
    }
    const path = join(root, 'big.txt');
    await writeFileAtomicAsync(path, text);
    expect(readFileSync(path, 'utf8')).toBe(text);
    await writeFileAtomicAsync(path, [text, text]);
    expect(readFileSync(path, 'utf8')).toBe(text + text);
  });
});
