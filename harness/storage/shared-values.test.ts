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

describe('reading trials.jsonl', () => {
  const line = (fields: Record<string, unknown>) => JSON.stringify({ arm: 'a', task: 't', replicate: 1, session: 1, slot: 0, ...fields });

  it("keeps each trial's latest record, in the order of the latest records, however its numbers are written", () => {
    const root = tempDir();
    const lines = [
      line({ slot: 0, success: false, error_class: 'infra' }),
      line({ slot: 1, success: true }),
      line({ task: 'u', slot: 0, success: true }),
      // A session and a slot past 999 and a replicate past a million still tell trials apart.
      line({ session: 1000, slot: 0, success: true }),
      line({ session: 1, slot: 1000, success: true }),
      line({ replicate: 2_000_000, success: true }),
      line({ arm: 'b', slot: 0, success: true }),
      // The re-run of the infra failure, and a re-run of the session-1000 trial.
      line({ slot: 0, success: true }),
      line({ session: 1000, slot: 0, success: false }),
    ];
    appendFileSync(join(root, 'trials.jsonl'), lines.join('\n') + '\n');
    const trials = new RunDir(root).trials();
    expect(trials.map((t) => JSON.stringify(t))).toEqual([lines[1], lines[2], lines[4], lines[5], lines[6], lines[7], lines[8]]);
  });

  it('stops remembering the values of a field that never repeats, and still returns every value as read', () => {
    const root = tempDir();
    const lines = Array.from({ length: 2_500 }, (_, i) =>
      line({
        slot: i % 1000,
        session: 1 + Math.floor(i / 1000),
        transcript: `transcripts/t-${i}.json.br`,
        artifacts: [`a-${i}.docx`],
        checks: [{ id: 'x', passed: i % 2 === 0 }],
      }),
    );
    appendFileSync(join(root, 'trials.jsonl'), lines.join('\n') + '\n');
    const trials = new RunDir(root).trials();
    expect(trials.map((t) => JSON.stringify(t))).toEqual(lines);
    // Repeated values are still one shared, frozen instance; the never-repeated lists past the first thousand are the record's own.
    expect(trials[2]!.checks).toBe(trials[2_400]!.checks);
    expect(Object.isFrozen(trials[2_400]!.checks)).toBe(true);
    expect(Object.isFrozen(trials[2_400]!.artifacts)).toBe(false);
  });
});
