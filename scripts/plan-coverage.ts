// How often the full run's totals fall inside `dreambench plan`'s forecast intervals, on the sim:
// for each seed, plan (pilot of two sessions), resume to the end, and check every arm's tokens by
// kind and cost against the forecast. Usage: npm run plan:coverage -- [--seeds 12] [--level 0.9] [--pilot N]
// (--pilot: trials per arm in the pilot; default the plan's own, three sessions of replicate 1 here).
// Sim figures: they check the forecasting method on a known generator, not any real model.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { experimentSchema } from '../harness/config/schema.js';
import type { TrialRecord } from '../harness/core/records.js';
import { TOKEN_KINDS } from '../harness/plan/forecast.js';
import { planExperiment } from '../harness/plan/plan.js';
import { executeRun } from '../harness/runner/runner.js';
import { readJsonLines } from '../harness/storage/run-dir.js';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const seeds = arg('seeds', 12);
const level = arg('level', 0.9);
const pilotTrials = arg('pilot', 0);
const misses: string[] = [];
let inside = 0;
let checks = 0;
const widths: number[] = [];
for (let seed = 1; seed <= seeds; seed++) {
  const experiment = experimentSchema.parse({
    name: 'coverage',
    seed,
    model: 'sim:default',
    suites: ['legal-drafting'],
    arms: ['stateless', 'learnings-md', 'dreaming'],
    sessions: 6,
    tasks_per_session: 8,
    replicates: 2,
    concurrency: 4,
  });
  const runDir = join(mkdtempSync(join(tmpdir(), 'plan-coverage-')), 'run');
  const plan = await planExperiment({ experiment, runDir, level, ...(pilotTrials ? { pilotTrials } : {}) });
  await executeRun({ runDir, resume: true });
  const trials = readJsonLines<TrialRecord>(join(runDir, 'trials.jsonl'));
  const events = readJsonLines<{ type: string; arm?: string; usage?: { cost_usd?: number } }>(join(runDir, 'events.jsonl'));
  for (const arm of plan.forecast.arms) {
    const own = trials.filter((t) => t.arm === arm.arm);
    const consolidation = events
      .filter((e) => e.type === 'session_consolidated' && e.arm === arm.arm)
      .reduce((a, e) => a + (e.usage?.cost_usd ?? 0), 0);
    const actual: Record<string, number> = {
      cost_usd: own.reduce((a, t) => a + t.cost_usd + (t.arm_usage?.cost_usd ?? 0), 0) + consolidation,
    };
    for (const k of TOKEN_KINDS) actual[k] = own.reduce((a, t) => a + (t[k] ?? 0), 0);
    const forecasts: Record<string, { lo: number; hi: number; estimate: number }> = { ...arm.tokens, cost_usd: arm.cost_usd };
    for (const [metric, interval] of Object.entries(forecasts)) {
      if (actual[metric] === 0 && interval.hi === 0) continue;
      checks++;
      if (actual[metric]! >= interval.lo && actual[metric]! <= interval.hi) inside++;
      else
        misses.push(
          `seed ${seed} ${arm.arm} ${metric}: ${actual[metric]!.toFixed(2)} not in [${interval.lo.toFixed(2)}, ${interval.hi.toFixed(2)}]`,
        );
      if (actual[metric]! > 0) widths.push((interval.hi - interval.lo) / actual[metric]!);
    }
  }
}
widths.sort((a, b) => a - b);
for (const m of misses) console.log(`  miss: ${m}`);
console.log(
  `${seeds} seeds x 3 arms, ${Math.round(level * 100)}% intervals: ${inside}/${checks} totals inside (${((100 * inside) / checks).toFixed(1)}%); median width ${(100 * widths[Math.floor(widths.length / 2)]!).toFixed(0)}% of the actual total`,
);
