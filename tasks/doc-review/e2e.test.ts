// doc-review through the real runner with the sim model. The suite's claim to test is about time:
// a memory arm should complete later reviews in fewer turns and tokens than the stateless control.

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TrialRecord } from '../../harness/core/records.js';
import { executeRun } from '../../harness/runner/runner.js';
import { smallExperiment, tempDir } from '../../harness/testing/run-helpers.js';

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('doc-review end to end with sim', () => {
  it('learnings-md completes later reviews in fewer turns and tokens than stateless', async () => {
    const { status, trials } = await executeRun({
      runDir: join(tempDir(), 'run'),
      experiment: smallExperiment({
        suites: ['doc-review'],
        sessions: 4,
        tasks_per_session: 8,
        replicates: 2,
        budgets: { max_turns: 30 } as never,
      }),
    });
    expect(status).toBe('completed');
    expect(trials).toHaveLength(2 * 2 * 4 * 8);
    const late = (arm: string): TrialRecord[] => trials.filter((t) => t.arm === arm && t.session >= 2);
    const done = (arm: string): TrialRecord[] => late(arm).filter((t) => t.success);
    // Both arms complete reviews (the stateless control too, on files without review pitfalls).
    expect(done('stateless').length).toBeGreaterThan(0);
    expect(done('learnings-md').length).toBeGreaterThan(done('stateless').length);
    // Turns per completed review: the memory arm reads from the index instead of cover to cover.
    const turns = (arm: string) => mean(done(arm).map((t) => t.turns));
    expect(turns('learnings-md')).toBeLessThan(turns('stateless') / 2);
    // Tokens per trial fall too (every page read stays in the context of every later turn).
    const tokens = (arm: string) => mean(late(arm).map((t) => t.input_tokens + t.cache_read_tokens));
    expect(tokens('learnings-md')).toBeLessThan(tokens('stateless') / 2);
    // The time pitfall is what the memory arm learned.
    const reading = (arm: string) => late(arm).filter((t) => t.pitfalls_hit.includes('dr-reading')).length;
    expect(reading('learnings-md')).toBeLessThan(reading('stateless') / 3);
  });
});
