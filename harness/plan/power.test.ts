// The plan's power and the report's agree: planned on a finished run of the same design (the pilot
// is then the whole run), the smallest detectable difference of every comparison is the report's,
// with the memory's luck counted only for comparisons where an arm carries memory.

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyse } from '../../reports/analysis.js';
import { loadRunData } from '../../reports/run-data.js';
import { executeRun } from '../runner/runner.js';
import { smallExperiment, tempDir } from '../testing/run-helpers.js';
import { planExperiment } from './plan.js';

describe('plan power', () => {
  it("gives the report's smallest detectable difference on the same design, memory arm or not", async () => {
    const experiment = smallExperiment({
      seed: 4,
      sessions: 3,
      tasks_per_session: 6,
      replicates: 2,
      arms: ['retry-only', 'learnings-md', 'stateless'],
    });
    const runDir = join(tempDir(), 'run');
    await executeRun({ runDir, experiment });
    const plan = await planExperiment({ experiment, runDir });
    const report = analyse(await loadRunData(runDir));

    expect(plan.power.map((p) => [p.arm, p.carries_memory])).toEqual([
      ['learnings-md', true],
      ['stateless', false],
    ]);
    for (const p of plan.power) {
      const row = report.comparisons.find((c) => c.arm === p.arm);
      expect(row, p.arm).toBeDefined();
      expect(p.planned_pairs).toBe(row!.n_pairs);
      expect(p.baseline_rate).toBeCloseTo(row!.rate_baseline, 12);
      expect(Number.isFinite(p.mde_points)).toBe(true);
      expect(p.mde_points).toBeCloseTo(row!.mde.mde * 100, 9);
    }
  });
});
