// `dreambench plan` end to end on the sim: the pilot is the full run's own directory (the full run
// resumes from it, repeating no trial and giving exactly an uninterrupted run's trials), and the
// full run's totals fall inside the forecast intervals at about their stated level, across seeds.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TrialRecord } from '../core/records.js';
import { trialId } from '../core/records.js';
import { executeRun } from '../runner/runner.js';
import { readJsonLines } from '../storage/run-dir.js';
import { comparable, smallExperiment, tempDir } from '../testing/run-helpers.js';
import { TOKEN_KINDS } from './forecast.js';
import { planExperiment } from './plan.js';

const design = (seed: number) =>
  smallExperiment({ seed, sessions: 4, tasks_per_session: 6, replicates: 2, arms: ['stateless', 'learnings-md'] });

function totals(runDir: string, arm: string): Record<string, number> {
  const trials = readJsonLines<TrialRecord>(join(runDir, 'trials.jsonl')).filter((t) => t.arm === arm);
  const events = readJsonLines<{ type: string; arm?: string; usage?: { cost_usd: number } }>(join(runDir, 'events.jsonl'));
  const consolidation = events
    .filter((e) => e.type === 'session_consolidated' && e.arm === arm)
    .reduce((a, e) => a + (e.usage?.cost_usd ?? 0), 0);
  const out: Record<string, number> = {};
  for (const k of TOKEN_KINDS) out[k] = trials.reduce((a, t) => a + (t[k] ?? 0), 0);
  out.cost_usd = trials.reduce((a, t) => a + t.cost_usd + (t.arm_usage?.cost_usd ?? 0), 0) + consolidation;
  return out;
}

describe('dreambench plan', () => {
  it('runs the pilot in the full run directory; resuming it completes the run without repeating a trial', async () => {
    const dir = tempDir();
    const pilotDir = join(dir, 'pilot');
    const plan = await planExperiment({ experiment: design(5), runDir: pilotDir, pilotTrials: 8 });
    expect(plan.pilot).toMatchObject({ sessions: 2, trials: 24, status: 'stopped_budget' });
    expect(plan.planned).toMatchObject({ trials: 96, trials_per_arm: 48 });
    expect(plan.simulated).toBe(true);
    expect(plan.notes[0]).toMatch(/sim: these are forecasts of sim figures/);
    const pilotTrials = readJsonLines<TrialRecord>(join(pilotDir, 'trials.jsonl'));

    const resumed = await executeRun({ runDir: pilotDir, resume: true });
    expect(resumed.status).toBe('completed');
    const after = readJsonLines<TrialRecord>(join(pilotDir, 'trials.jsonl'));
    expect(after).toHaveLength(96);
    expect(new Set(after.map((t) => trialId(t))).size).toBe(96);
    expect(after.slice(0, pilotTrials.length)).toEqual(pilotTrials);

    const straight = await executeRun({ runDir: join(dir, 'straight'), experiment: design(5) });
    expect(comparable(after)).toEqual(comparable(straight.trials));
  });

  it("the full run's totals fall inside the 90% forecast intervals about as often as stated, across seeds", async () => {
    let inside = 0;
    let checks = 0;
    const misses: string[] = [];
    for (const seed of [1, 2, 3, 4]) {
      const runDir = join(tempDir(), 'run');
      const plan = await planExperiment({ experiment: design(seed), runDir });
      await executeRun({ runDir, resume: true });
      for (const arm of plan.forecast.arms) {
        const actual = totals(runDir, arm.arm);
        const forecasts: Record<string, { lo: number; hi: number }> = { ...arm.tokens, cost_usd: arm.cost_usd };
        for (const [metric, interval] of Object.entries(forecasts)) {
          if (actual[metric] === 0 && interval.hi === 0) continue; // nothing to forecast (no cache on this arm)
          checks++;
          if (actual[metric]! >= interval.lo - 1e-9 && actual[metric]! <= interval.hi + 1e-9) inside++;
          else
            misses.push(
              `seed ${seed} ${arm.arm} ${metric}: ${actual[metric]} not in [${interval.lo.toFixed(0)}, ${interval.hi.toFixed(0)}]`,
            );
        }
      }
    }
    expect(checks).toBeGreaterThanOrEqual(16);
    // 90% intervals: allow the binomial slack of a few dozen checks, not a systematic miss.
    expect(inside / checks, misses.join('\n')).toBeGreaterThanOrEqual(0.8);
  });

  it('reads an existing pilot instead of running it again', async () => {
    const runDir = join(tempDir(), 'run');
    const first = await planExperiment({ experiment: design(9), runDir, targetEffect: 30 });
    const events = readFileSync(join(runDir, 'events.jsonl'), 'utf8');
    const second = await planExperiment({ experiment: design(9), runDir, targetEffect: 30 });
    expect(readFileSync(join(runDir, 'events.jsonl'), 'utf8')).toBe(events);
    expect(second.forecast).toEqual(first.forecast);
    expect(second.power[0]?.target?.points).toBe(30);
  });
});
