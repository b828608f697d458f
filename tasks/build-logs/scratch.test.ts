import { it } from 'vitest';
import { join } from 'node:path';
import { executeRun } from '../../harness/runner/runner.js';
import { smallExperiment, tempDir } from '../../harness/testing/run-helpers.js';

it('e2e', async () => {
  const t0 = Date.now();
  const { trials } = await executeRun({ runDir: join(tempDir(), 'run'), experiment: smallExperiment({ suites: ['build-logs'], sessions: 5, tasks_per_session: 6, replicates: 2, budgets: { max_turns: 20 } as never }) });
  console.log('ms', Date.now() - t0);
  for (const arm of ['stateless', 'learnings-md']) {
    for (let s = 1; s <= 5; s++) {
      const ts = trials.filter((t) => t.arm === arm && t.session === s);
      console.log(arm, s, ts.filter((t) => t.success).length, '/', ts.length, 'hits', ts.reduce((a, t) => a + t.pitfalls_hit.length, 0), 'turns', ts.reduce((a, t) => a + t.turns, 0) / ts.length, ts.map((t) => t.error_class).join(','));
    }
  }
  const t = trials.find((t) => t.arm === 'stateless' && t.session === 1)!;
  console.log(t.feedback, t.pitfalls_hit, t.checks.filter((c) => !c.passed));
}, 300000);
