// Calibration with the real harness: many small sim experiments whose true effect is known, and how
// often the report's 95% interval covers it and how often its claim verdicts are wrong.
//
//   npm run build:dev && node dist-dev/scripts/calibrate.js [--experiments 100] [--replicates 2] [--sessions 4]
//       [--tasks 10] [--arms stateless,learnings-md] [--model sim:default] [--truth-replicates 200]
//       [--recompute-truth] [--strata family|none] [--post-strata session|none]
//       [--shared-state replicate-family|none] [--method expanded|percentile|bca] [--json]
//
// The truth. Each experiment compares two arms within one run (paired on task, replicate, session
// and slot, as every report does). The true effect of the design (model, arms, sessions, tasks per
// session) is the expected paired completion-rate difference; the sim's parameters fix it, but its
// closed form depends on the suite's pitfalls and the arm's learning, so it is estimated once from
// large runs (--truth-replicates replicates of the same design in all, spread over --truth-seeds runs
// with seeds of their own, so that nothing a seed shares across its replicates can bias the truth)
// and stored in scripts/calibration-truth.json with the command that made it and its standard error
// (from the spread between those runs). Later calls reuse it; --recompute-truth makes it again.
//
// Then each experiment is a fresh run with its own seed (so its own schedules and sim draws); the
// report's paired bootstrap interval (harness/stats RUN_DESIGN_OPTIONS, as reports/analysis.ts:
// expanded percentile, tasks resampled within their family, sessions as post-strata, the two-way
// variance over (replicate, family) blocks, Wilson widening when the resampling sees no spread;
// --strata, --post-strata, --shared-state and --method override) is checked
// against the truth, and the verdicts on a claim of the true effect and on a claim of three times it
// are tallied. The sim answers instantly: the figures describe the harness, never a model.
//
// Designs with a stored truth (scripts/calibration-truth.json), and the pairs per experiment:
//   realistic: --sessions 4 --tasks 10 --replicates 2   (80 pairs; 5 families of the suite, 16 pairs each)
//   tiny:      --sessions 2 --tasks 6 --replicates 1    (12 pairs; 2 to 4 tasks per family: unstratified)
// (--replicates does not change the truth, which is per pair: the realistic design's truth serves
// --replicates 1 and 4 as well.)

import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { experimentSchema } from '../harness/config/schema.js';
import { sourcePath } from '../harness/core/paths.js';
import type { TrialRecord } from '../harness/core/records.js';
import { executeRun } from '../harness/runner/runner.js';
import {
  pairOutcomes,
  RUN_DESIGN_OPTIONS,
  type IntervalMethod,
  type PostStrata,
  type SharedState,
  type Strata,
} from '../harness/stats/index.js';
import { emptyTally, summarizeTally, tallyExperiment } from '../reports/calibration.js';

const { values } = parseArgs({
  options: {
    experiments: { type: 'string', default: '100' },
    replicates: { type: 'string', default: '2' },
    sessions: { type: 'string', default: '4' },
    tasks: { type: 'string', default: '10' },
    arms: { type: 'string', default: 'stateless,learnings-md' },
    model: { type: 'string', default: 'sim:default' },
    'truth-replicates': { type: 'string', default: '400' },
    'truth-seeds': { type: 'string', default: '20' },
    'recompute-truth': { type: 'boolean', default: false },
    strata: { type: 'string', default: RUN_DESIGN_OPTIONS.strata },
    'post-strata': { type: 'string', default: RUN_DESIGN_OPTIONS.postStrata },
    'shared-state': { type: 'string', default: RUN_DESIGN_OPTIONS.sharedState },
    method: { type: 'string', default: RUN_DESIGN_OPTIONS.method },
    json: { type: 'boolean', default: false },
  },
});

if (values.strata !== 'family' && values.strata !== 'none') throw new Error('--strata takes family or none');
if (!['expanded', 'percentile', 'bca'].includes(values.method)) throw new Error('--method takes expanded, percentile or bca');
if (values['post-strata'] !== 'session' && values['post-strata'] !== 'none') throw new Error('--post-strata takes session or none');
if (values['shared-state'] !== 'replicate-family' && values['shared-state'] !== 'none')
  throw new Error('--shared-state takes replicate-family or none');
const strata = values.strata as Strata;
const postStrata = values['post-strata'] as PostStrata;
const sharedState = values['shared-state'] as SharedState;
const method = values.method as IntervalMethod;
const arms = values.arms.split(',').map((s) => s.trim());
if (arms.length !== 2) throw new Error('--arms takes two arms: baseline,treatment');
const [baseline, treatment] = arms as [string, string];
const sessions = Number(values.sessions);
const tasks = Number(values.tasks);
const design = `${values.model}|${baseline},${treatment}|sessions=${sessions}|tasks_per_session=${tasks}`;
const TRUTH_FILE = sourcePath('scripts', 'calibration-truth.json');

async function runTrials(seed: number, replicates: number): Promise<TrialRecord[]> {
  const dir = mkdtempSync(join(tmpdir(), 'dreambench-calibrate-'));
  try {
    const experiment = experimentSchema.parse({
      name: 'calibrate',
      seed,
      model: values.model,
      suites: ['legal-drafting'],
      arms,
      sessions,
      tasks_per_session: tasks,
      replicates,
      concurrency: 8,
    });
    const outcome = await executeRun({ runDir: join(dir, 'run'), experiment });
    return outcome.trials;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface Truth {
  truth: number;
  se: number;
  replicates: number;
  pairs: number;
  /** The first of the truth runs' seeds (they follow on). */
  seed: number;
  command: string;
  created_at: string;
}

const truths: Record<string, Truth> = existsSync(TRUTH_FILE) ? (JSON.parse(readFileSync(TRUTH_FILE, 'utf8')) as Record<string, Truth>) : {};
let truth = truths[design];
if (!truth || values['recompute-truth']) {
  const seeds = Number(values['truth-seeds']);
  const perSeed = Math.ceil(Number(values['truth-replicates']) / seeds);
  const t0 = performance.now();
  // The mean paired difference over all pairs, and its standard error from the spread between the
  // runs (each run: its own seed, perSeed replicates).
  const perRun: number[] = [];
  let sum = 0;
  let pairs = 0;
  for (let j = 0; j < seeds; j++) {
    const trials = await runTrials(1_000_003 + j, perSeed);
    const p = pairOutcomes(
      trials.filter((t) => t.arm === baseline),
      trials.filter((t) => t.arm === treatment),
    );
    const d = p.reduce((s, x) => s + (x.b ? 1 : 0) - (x.a ? 1 : 0), 0);
    perRun.push(d / p.length);
    sum += d;
    pairs += p.length;
  }
  const mean = perRun.reduce((a, b) => a + b, 0) / perRun.length;
  const sd = Math.sqrt(perRun.reduce((s, x) => s + (x - mean) ** 2, 0) / (perRun.length - 1));
  truth = {
    truth: sum / pairs,
    se: sd / Math.sqrt(perRun.length),
    replicates: seeds * perSeed,
    pairs,
    seed: 1_000_003,
    command: `node dist-dev/scripts/calibrate.js --model '${values.model}' --arms ${baseline},${treatment} --sessions ${sessions} --tasks ${tasks} --truth-replicates ${seeds * perSeed} --truth-seeds ${seeds} --recompute-truth`,
    created_at: new Date().toISOString(),
  };
  truths[design] = truth;
  writeFileSync(TRUTH_FILE, JSON.stringify(truths, null, 2) + '\n');
  process.stderr.write(
    `calibrate: estimated the truth for ${design} from ${pairs} pairs in ${seeds} runs in ${((performance.now() - t0) / 1000).toFixed(0)} s: ${(truth.truth * 100).toFixed(2)} pts (se ${(truth.se * 100).toFixed(2)})\n`,
  );
}

const experiments = Number(values.experiments);
const replicates = Number(values.replicates);
const tally = emptyTally();
const widths: number[] = [];
const t0 = performance.now();
for (let i = 0; i < experiments; i++) {
  const trials = await runTrials(1 + i, replicates);
  const interval = tallyExperiment(
    tally,
    { a: trials.filter((t) => t.arm === baseline), b: trials.filter((t) => t.arm === treatment), truth: truth.truth },
    `calibrate:${i}`,
    { B: 1000, strata, postStrata, sharedState, method },
  );
  widths.push(interval.hi - interval.lo);
  if ((i + 1) % 10 === 0)
    process.stderr.write(
      `calibrate: ${i + 1}/${experiments} experiments, coverage so far ${((tally.covered / tally.experiments) * 100).toFixed(1)}%\n`,
    );
}
const s = summarizeTally(tally);
const sortedWidths = widths.filter((w) => Number.isFinite(w)).sort((x, y) => x - y);
const medianWidth = sortedWidths.length ? sortedWidths[Math.floor(sortedWidths.length / 2)]! : NaN;
const result = {
  design,
  note: 'sim model: these figures describe the harness, not any model',
  truth,
  experiment: { replicates, sessions, tasks_per_session: tasks, pairs: replicates * sessions * tasks },
  interval: {
    method,
    strata,
    post_strata: postStrata,
    shared_state: sharedState,
    stratified: s.stratified,
    strata_fallback: s.strata_fallback,
    post_stratified: s.post_stratified,
    single_replicate: s.single_replicate,
    mean_inflation: s.mean_inflation,
    all_pairs_agree: s.all_pairs_agree,
    constant_resamples: s.constant_resamples,
  },
  experiments: s.experiments,
  coverage: s.coverage,
  coverage_ci95: [s.coverage_lo, s.coverage_hi],
  missed_low: s.missed_low,
  missed_high: s.missed_high,
  mean_interval_width: s.mean_width,
  median_interval_width: medianWidth,
  mean_estimate: s.mean_estimate,
  sd_estimate: s.sd_estimate,
  mean_bootstrap_se: s.mean_se,
  true_claim_rejected_rate: s.true_claim_rejected_rate,
  true_claim_supported_rate: s.true_claim_supported / s.experiments,
  exaggerated_claim_supported_rate: s.exaggerated_claim_supported_rate,
  seconds: Math.round((performance.now() - t0) / 1000),
};
if (values.json) console.log(JSON.stringify(result, null, 2));
else {
  console.log(
    [
      `Calibration (${result.note})`,
      `design        ${design}; ${replicates} replicate(s) per experiment = ${result.experiment.pairs} pairs`,
      `truth         ${(truth.truth * 100).toFixed(2)} pts (se ${(truth.se * 100).toFixed(2)}), from ${truth.pairs} pairs: ${truth.command}`,
      `interval      ${method}, strata ${strata}: ${s.stratified} of ${s.experiments} resampled within families (${s.strata_fallback} fell back to unstratified); ${s.all_pairs_agree} widened as every pair agreed, ${s.constant_resamples} as every resample gave the estimate`,
      `              sessions ${postStrata}: ${s.post_stratified} post-stratified; shared state ${sharedState}: mean stretch ${s.mean_inflation.toFixed(2)}, ${s.single_replicate} with one replicate (not estimable)`,
      `coverage      ${(s.coverage * 100).toFixed(1)}% of ${s.experiments} 95% intervals held the truth [${(s.coverage_lo * 100).toFixed(1)}, ${(s.coverage_hi * 100).toFixed(1)}]; missed low ${s.missed_low}, high ${s.missed_high}`,
      `width         ${(s.mean_width * 100).toFixed(1)} pts on average, median ${(medianWidth * 100).toFixed(1)}`,
      `spread        estimates ${(s.mean_estimate * 100).toFixed(2)} pts on average (bias ${((s.mean_estimate - truth.truth) * 100).toFixed(2)}), sd ${(s.sd_estimate * 100).toFixed(2)} pts between experiments vs bootstrap se ${(s.mean_se * 100).toFixed(2)} pts on average`,
      `verdicts      a claim of the true effect: not supported ${(s.true_claim_rejected_rate * 100).toFixed(1)}%, supported ${((s.true_claim_supported / s.experiments) * 100).toFixed(1)}% (else inconclusive)`,
      `              a claim of 3x the true effect: supported ${(s.exaggerated_claim_supported_rate * 100).toFixed(1)}% (wrong)`,
      `time          ${result.seconds} s`,
    ].join('\n'),
  );
}
