import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../testing/run-helpers.js';
import { RunDir } from './run-dir.js';
import { SharedValues } from './shared-values.js';

const record = (slot: number) => ({
  arm: 'dreaming',
  replicate: 1,
  session: 2,
  slot,
  task: `nda-${slot % 2}`,
  pitfalls_hit: ['date-format'],
  checks: [{ id: 'has-title', passed: true }],
  transcript: `transcripts/dreaming/r1/s002/00${slot}-nda.json.gz`,
});

describe('shared values of trial records', () => {
  it('gives equal lists one frozen instance and keeps each record as it was read', () => {
    const shared = new SharedValues();
    const a = shared.share(JSON.parse(JSON.stringify(record(1))) as ReturnType<typeof record>);
    const b = shared.share(JSON.parse(JSON.stringify(record(3))) as ReturnType<typeof record>);
    expect(a).toEqual(record(1));
    expect(JSON.stringify(b)).toBe(JSON.stringify(record(3)));
    expect(a.pitfalls_hit).toBe(b.pitfalls_hit);
    expect(a.checks).toBe(b.checks);
    expect(Object.isFrozen(a.checks[0])).toBe(true);
    // A reader that tried to change a shared list would change every record: it cannot.
    expect(() => (a.pitfalls_hit as string[]).push('x')).toThrow(TypeError);
  });

  it('reads trials.jsonl into records equal to its lines', () => {
    const root = tempDir();
    const lines = [1, 2, 3].map((slot) => JSON.stringify(record(slot)));
    appendFileSync(join(root, 'trials.jsonl'), lines.join('\n') + '\n');
    const trials = new RunDir(root).trials();
    expect(trials.map((t) => JSON.stringify(t))).toEqual(lines);
  });
});
