// How often does `dreambench compare` flag a regression when there is none? Runs one sim experiment
// with many replicates, cuts it into pseudo-runs of --reps replicates each (different replicates
// have their own schedule and draws, so two pseudo-runs are two runs of the same configuration
// differing only by seed), and compares every pair of pseudo-runs (and, separately, disjoint pairs
// only, which are independent). Prints the rate of 'regression' verdicts at the default rule
// (alpha 0.05, max-drop 5) and of Holm rejections alone (max-drop 0), and the unadjusted one-sided
// rejection rate per arm (the test's own calibration, nominally alpha).
//
//   npm run build:dev && node dist-dev/scripts/measure-compare-fpr.js --runs 40 --reps 2 --sessions 6 --tasks 10
//
// Results of the sim describe the harness, not any real model.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { experimentSchema } from '../harness/config/schema.js';
import { executeRun } from '../harness/runner/runner.js';
import { compareRuns } from '../harness/compare/compare.js';
import { cellsOf, metaOf, unitsOf, type LoadedRun } from '../harness/compare/run-summary.js';

export interface FprOptions {
  runs: number;
  reps: number;
  sessions: number;
  tasks: number;
  seed: number;
  arms: string[];
  model: string;
  alpha: number;
  concurrency: number;
}

export interface FprResult {
  pairs: number;
  disjoint_pairs: number;
  /** Share of pairs with verdict 'regression' (alpha, max-drop 5). */
  flagged: number;
  flagged_disjoint: number;
  /** Share of pairs with any Holm rejection (max-drop 0). */
  holm_rejections: number;
  /** Unadjusted one-sided p <= alpha, per arm. */
  unadjusted: Record<string, number>;
  trials: number;
  seconds: number;
}

/** Pseudo-runs from one run: replicates (k*reps+1 .. (k+1)*reps) renumbered from 1, each with its own seed. */
export function pseudoRuns(source: LoadedRun, runs: number, reps: number): LoadedRun[] {
  const out: LoadedRun[] = [];
  for (let k = 0; k < runs; k++) {
    const units = source
      .units!.filter((u) => u.replicate > k * reps && u.replicate <= (k + 1) * reps)
      .map((u) => ({ ...u, replicate: u.replicate - k * reps }));
    out.push({
      meta: { ...source.meta, run_id: `pseudo-${k + 1}`, seed: source.meta.seed * 100_000 + k, replicates: reps },
      source: 'run-dir',
      units,
      cells: cellsOf(units),
    });
  }
  return out;
}

export function measureFpr(sides: LoadedRun[], alpha: number): Omit<FprResult, 'trials' | 'seconds'> {
  let pairs = 0;
  let flagged = 0;
  let holm = 0;
  let disjoint = 0;
  let flaggedDisjoint = 0;
  const perArm: Record<string, number> = {};
  for (let i = 0; i < sides.length; i++) {
    for (let j = i + 1; j < sides.length; j++) {
      const rule = compareRuns(sides[i]!, sides[j]!, { alpha, bootstrapB: 0 });
      const noDrop = compareRuns(sides[i]!, sides[j]!, { alpha, maxDrop: 0, bootstrapB: 0 });
      pairs++;
      if (rule.verdict === 'regression') flagged++;
      if (noDrop.verdict === 'regression') holm++;
      if (i % 2 === 0 && j === i + 1) {
        disjoint++;
        if (rule.verdict === 'regression') flaggedDisjoint++;
      }
      for (const c of noDrop.comparisons.filter((x) => x.gate)) {
        perArm[c.arm] ??= 0;
        if (c.completion.p_one_sided <= alpha) perArm[c.arm]!++;
      }
    }
  }
  return {
    pairs,
    disjoint_pairs: disjoint,
    flagged: flagged / pairs,
    flagged_disjoint: disjoint ? flaggedDisjoint / disjoint : NaN,
    holm_rejections: holm / pairs,
    unadjusted: Object.fromEntries(Object.entries(perArm).map(([arm, n]) => [arm, n / pairs])),
  };
}

export async function runFpr(o: FprOptions): Promise<FprResult> {
  const started = performance.now();
  const dir = mkdtempSync(join(tmpdir(), 'dreambench-fpr-'));
  try {
    const experiment = experimentSchema.parse({
      name: 'fpr',
      seed: o.seed,
      model: o.model,
      suites: ['legal-drafting'],
      arms: o.arms,
      sessions: o.sessions,
      tasks_per_session: o.tasks,
      replicates: o.runs * o.reps,
      concurrency: o.concurrency,
    });
    const outcome = await executeRun({ runDir: join(dir, 'run'), experiment });
    const units = unitsOf(outcome.trials);
    const source: LoadedRun = { meta: metaOf(outcome.manifest), source: 'run-dir', units, cells: cellsOf(units) };
    const result = measureFpr(pseudoRuns(source, o.runs, o.reps), o.alpha);
    return { ...result, trials: outcome.trials.length, seconds: (performance.now() - started) / 1000 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const arg = (name: string, fallback: string): string => {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
  };
  const options: FprOptions = {
    runs: Number(arg('runs', '40')),
    reps: Number(arg('reps', '2')),
    sessions: Number(arg('sessions', '6')),
    tasks: Number(arg('tasks', '10')),
    seed: Number(arg('seed', '7')),
    arms: arg('arms', 'stateless,learnings-md').split(','),
    model: arg('model', 'sim:default'),
    alpha: Number(arg('alpha', '0.05')),
    concurrency: Number(arg('concurrency', '8')),
  };
  const result = await runFpr(options);
  process.stdout.write(JSON.stringify({ options, result }, null, 2) + '\n');
}

// Run as a script (node dist-dev/scripts/measure-compare-fpr.js), not when imported by the tests.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
