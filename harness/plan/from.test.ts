// `dreambench plan --from`: forecasting from earlier runs or a response cache of the same suites and
// model instead of a pilot. The data is checked first: another model or an arm it never ran is
// refused with a message that names what does not match; suites or tasks it lacks are extrapolated
// and said so. The forecast of a run from another seed's run covers that run's totals.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TrialRecord } from '../core/records.js';
import { executeRun } from '../runner/runner.js';
import { readJsonLines } from '../storage/run-dir.js';
import { smallExperiment, tempDir } from '../testing/run-helpers.js';
import { TOKEN_KINDS } from './forecast.js';
import { planExperiment } from './plan.js';
import { PlanSourceError } from './sources.js';

const design = (seed: number, overrides: Parameters<typeof smallExperiment>[0] = {}) =>
  smallExperiment({ seed, sessions: 4, tasks_per_session: 6, replicates: 2, arms: ['stateless', 'learnings-md'], ...overrides });

function armTotals(runDir: string, arm: string): Record<string, number> {
  const trials = readJsonLines<TrialRecord>(join(runDir, 'trials.jsonl')).filter((t) => t.arm === arm);
  const out: Record<string, number> = {};
  for (const k of TOKEN_KINDS) out[k] = trials.reduce((a, t) => a + (t[k] ?? 0), 0);
  return out;
}

describe('plan --from', () => {
  it("forecasts a new run from an earlier run of the same suites and model, and the new run's totals fall inside", async () => {
    const dir = tempDir();
    const earlier = join(dir, 'earlier');
    await executeRun({ runDir: earlier, experiment: design(21) });
    const planned = design(22);
    const plan = await planExperiment({ experiment: planned, runDir: join(dir, 'unused'), from: [earlier] });
    expect(existsSync(join(dir, 'unused'))).toBe(false); // nothing run, nothing written
    expect(plan.pilot.from).toEqual([earlier]);
    expect(plan.pilot.trials).toBe(96);
    // None of the earlier trials is part of the new run: every planned trial is forecast.
    expect(plan.forecast.arms.map((a) => a.planned_trials)).toEqual([48, 48]);
    expect(plan.power).toHaveLength(1);

    const run = join(dir, 'new');
    await executeRun({ runDir: run, experiment: planned });
    let inside = 0;
    let checks = 0;
    for (const arm of plan.forecast.arms) {
      const actual = armTotals(run, arm.arm);
      for (const k of TOKEN_KINDS) {
        if (actual[k] === 0 && arm.tokens[k].hi === 0) continue;
        checks++;
        if (actual[k]! >= arm.tokens[k].lo && actual[k]! <= arm.tokens[k].hi) inside++;
      }
    }
    expect(checks).toBeGreaterThanOrEqual(6);
    expect(inside / checks).toBeGreaterThanOrEqual(0.8);
  });

  it('forecasts from a response cache, pooling arms it cannot tell apart and saying so, with no power', async () => {
    const dir = tempDir();
    const cacheDir = join(dir, 'cache');
    await executeRun({ runDir: join(dir, 'recorded'), experiment: design(31), cache: { dir: cacheDir, mode: 'record' } });
    const recorded = readJsonLines<TrialRecord>(join(dir, 'recorded', 'trials.jsonl'));
    const plan = await planExperiment({ experiment: design(31), runDir: join(dir, 'unused'), from: [cacheDir] });
    expect(plan.power).toEqual([]);
    expect(plan.pilot.trials).toBe(48); // one pooled trial per place of the recorded run (2 replicates x 4 sessions x 6)
    expect(plan.notes.join('\n')).toMatch(/names no arm/);
    expect(plan.notes.join('\n')).toMatch(/no power forecast/);
    // Every planned trial forecast; the pooled estimate lies between the arms' recorded totals.
    const stateless = recorded.filter((t) => t.arm === 'stateless').reduce((a, t) => a + t.input_tokens, 0);
    const learning = recorded.filter((t) => t.arm === 'learnings-md').reduce((a, t) => a + t.input_tokens, 0);
    for (const arm of plan.forecast.arms) {
      expect(arm.planned_trials).toBe(48);
      expect(arm.tokens.input_tokens.estimate).toBeGreaterThan(Math.min(stateless, learning) * 0.9);
      expect(arm.tokens.input_tokens.estimate).toBeLessThan(Math.max(stateless, learning) * 1.1);
    }
  });

  it('refuses data of another model or without a planned arm, naming what does not match', async () => {
    const dir = tempDir();
    const earlier = join(dir, 'earlier');
    await executeRun({ runDir: earlier, experiment: design(41, { sessions: 2 }) });
    const otherModel = planExperiment({ experiment: design(42, { model: 'sim:expert' }), runDir: join(dir, 'a'), from: [earlier] });
    await expect(otherModel).rejects.toThrow(PlanSourceError);
    await expect(otherModel).rejects.toThrow(/its model is sim:default, the plan's is sim:expert/);
    const otherArm = planExperiment({
      experiment: design(42, { arms: ['stateless', 'dreaming'] }),
      runDir: join(dir, 'b'),
      from: [earlier],
    });
    await expect(otherArm).rejects.toThrow(/no trials of arm\(s\) dreaming/);
    await expect(planExperiment({ experiment: design(42), runDir: join(dir, 'c'), from: [join(dir, 'nowhere')] })).rejects.toThrow(
      /--from .*nowhere: no such directory/,
    );
    expect(existsSync(join(dir, 'a')) || existsSync(join(dir, 'b')) || existsSync(join(dir, 'c'))).toBe(false);
  });

  it('extrapolates, and says so, what the data only partly covers: later sessions and unseen tasks', async () => {
    const dir = tempDir();
    const earlier = join(dir, 'earlier');
    await executeRun({ runDir: earlier, experiment: design(51, { sessions: 3, replicates: 1 }) });
    const plan = await planExperiment({ experiment: design(52, { sessions: 5 }), runDir: join(dir, 'unused'), from: [earlier] });
    const notes = plan.notes.join('\n');
    expect(notes).toMatch(/the data reaches session 3 of 5: later sessions are extrapolated/);
    expect(notes).toMatch(/planned tasks are not in the data/);
    expect(plan.forecast.arms[0]!.planned_trials).toBe(60);
  });
});
