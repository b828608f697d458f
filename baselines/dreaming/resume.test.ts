// A dreaming run stopped midway (run budget) and resumed gives the same trials, memory and
// changesets as an uninterrupted run: dreams are deterministic and never run twice.

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { executeRun } from '../../harness/runner/runner.js';
import { comparable, smallExperiment, tempDir } from '../../harness/testing/run-helpers.js';
import { RunDir } from '../../harness/storage/run-dir.js';
import type { Changeset } from '../../harness/dreaming/changeset.js';

const stable = (c: Changeset | undefined) => {
  if (!c) return c;
  const { created_at: _c, applied_at: _a, reviewed_at: _r, timings_ms: _t, usage, changes, ...rest } = c;
  return {
    ...rest,
    usage: { ...usage, wall_ms: 0 },
    changes: changes.map((ch) => ({ ...ch, ...(ch.review ? { review: { ...ch.review, at: '' } } : {}) })),
  };
};

describe('dreaming: stop and resume', () => {
  it('matches an uninterrupted run', async () => {
    const experiment = smallExperiment({ arms: ['dreaming'], sessions: 4, tasks_per_session: 5, replicates: 1, concurrency: 1 });
    const whole = join(tempDir(), 'whole');
    const reference = await executeRun({ runDir: whole, experiment });
    expect(reference.status).toBe('completed');

    const stopped = join(tempDir(), 'stopped');
    const first = await executeRun({
      runDir: stopped,
      experiment: { ...experiment, budgets: { ...experiment.budgets, max_cost_per_run: 0.05 } },
    });
    expect(first.status).toBe('stopped_budget');
    expect(first.trials.length).toBeLessThan(20);
    const resumed = await executeRun({ runDir: stopped, resume: true, runBudgets: { max_cost_per_run: 1000 } });
    expect(resumed.status).toBe('completed');
    expect(comparable(resumed.trials)).toEqual(comparable(reference.trials));

    const [a, b] = [new RunDir(whole), new RunDir(stopped)];
    for (let s = 1; s <= 4; s++) {
      expect(b.readSnapshot('dreaming', 1, s)).toEqual(a.readSnapshot('dreaming', 1, s));
      const name = `session-00${s}.json`;
      expect(stable(b.artifacts('dreams', 'dreaming', 1).read<Changeset>(name))).toEqual(
        stable(a.artifacts('dreams', 'dreaming', 1).read<Changeset>(name)),
      );
    }
  });
});
