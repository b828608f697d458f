// Calibration of the report's intervals and verdicts: many small experiments whose true effect is
// known, and how often the 95% interval covers the truth and how often a verdict is wrong.
//
// Used by reports/calibration.test.ts (fast: synthetic paired Bernoulli data) and by
// scripts/calibrate.ts (slow: real sim runs of two profiles whose difference is the truth).

import {
  pairedDifference,
  RUN_DESIGN_OPTIONS,
  wilsonInterval,
  type AgreementFallback,
  type IntervalMethod,
  type OutcomeRow,
  type PairedBootstrapResult,
  type PostStrata,
  type SharedState,
  type Strata,
} from '../harness/stats/index.js';
import { rngFrom, shuffled } from '../harness/core/rng.js';
import { verdictFor } from './claims.js';

/** One experiment's two arms (a: baseline, b: treatment), paired on units, with the true difference. */
export interface CalibrationExperiment {
  a: OutcomeRow[];
  b: OutcomeRow[];
  truth: number;
}

export interface SyntheticDesign {
  /** Tasks (the bootstrap's clusters). */
  tasks: number;
  /** Units per task (replicates × sessions in which the task came up). */
  unitsPerTask: number;
  /** Treatment effect on every task's completion probability (the truth). */
  delta: number;
  /** Task baseline rates are uniform in [lo, hi]; lo + delta and hi + delta must stay in [0, 1]. */
  baseline: [number, number];
  /** Share of units where both arms use one random draw (correlated outcomes, as on the same task). */
  shared: number;
  /**
   * Task families with treatment effects of their own, fixed across experiments (as a suite's
   * families are): task t is in family t mod F and its effect is delta + familyEffects[t mod F].
   * The rows then carry the family, so the bootstrap resamples tasks within families. Default: none.
   */
  familyEffects?: number[];
}

/**
 * Paired Bernoulli outcomes with a known effect. Tasks are drawn afresh each experiment (the
 * bootstrap treats tasks as a sample), so the truth is exactly `delta`: E[p + delta] - E[p] (with
 * family effects, delta plus the mean family effect over the tasks, fixed by the design).
 */
export function syntheticExperiment(seed: string, d: SyntheticDesign): CalibrationExperiment {
  const [lo, hi] = d.baseline;
  const effects = d.familyEffects ?? [0];
  if (lo + d.delta + Math.min(...effects) < 0 || hi + d.delta + Math.max(...effects) > 1) {
    throw new RangeError('syntheticExperiment: baseline + delta leaves [0, 1]');
  }
  const rng = rngFrom(`calibration\u0000${seed}`);
  const a: OutcomeRow[] = [];
  const b: OutcomeRow[] = [];
  let truth = 0;
  for (let t = 0; t < d.tasks; t++) {
    const p = lo + (hi - lo) * rng.next();
    const f = t % effects.length;
    const effect = d.delta + effects[f]!;
    truth += effect / d.tasks;
    for (let u = 0; u < d.unitsPerTask; u++) {
      const key = {
        task: `t${t}`,
        replicate: 1,
        session: u + 1,
        slot: 0,
        ...(d.familyEffects ? { suite: 'synthetic', family: `f${f}` } : {}),
      };
      const x = rng.next();
      const y = rng.chance(d.shared) ? x : rng.next();
      a.push({ ...key, success: x < p });
      b.push({ ...key, success: y < p + effect });
    }
  }
  return { a, b, truth: d.familyEffects ? truth : d.delta };
}

/**
 * A learning arm in a dreambench-shaped design: replicates, sessions, families whose slots the
 * schedule deals in turn (each session gives every family `slotsPerFamily` slots, its tasks dealt
 * from a shuffled deck), tasks drawn afresh each experiment. Both arms share one random draw per unit
 * (as the sim does), so they agree until the treatment learns. In session 1 the treatment knows
 * nothing (no effect); from session 2 on its effect is `learnt` in a (replicate, family) whose lesson
 * it learnt in session 1 (chance `learnChance`) and `notLearnt` elsewhere: the memory's luck, shared
 * by every later trial of that replicate and family, which a bootstrap over tasks alone cannot see.
 */
export interface LearningDesign {
  replicates: number;
  sessions: number;
  families: number;
  tasksPerFamily: number;
  slotsPerFamily: number;
  /** Task baseline rates uniform in [lo, hi]; hi + learnt must stay within 1. */
  baseline: [number, number];
  learnt: number;
  notLearnt: number;
  learnChance: number;
}

/** The true difference of a LearningDesign: no effect in session 1, the expected effect after it, sessions weighted equally. */
export function learningTruth(d: LearningDesign): number {
  return ((d.sessions - 1) / d.sessions) * (d.learnChance * d.learnt + (1 - d.learnChance) * d.notLearnt);
}

/** One experiment of a LearningDesign (rows carry suite and family, as a run's trials do). */
export function learningExperiment(seed: string, d: LearningDesign): CalibrationExperiment {
  if (d.baseline[0] < 0 || d.baseline[1] + Math.max(d.learnt, d.notLearnt) > 1)
    throw new RangeError('learningExperiment: baseline + effect leaves [0, 1]');
  const rng = rngFrom(`calibration-learning\u0000${seed}`);
  const p = Array.from({ length: d.families }, () =>
    Array.from({ length: d.tasksPerFamily }, () => d.baseline[0] + (d.baseline[1] - d.baseline[0]) * rng.next()),
  );
  const a: OutcomeRow[] = [];
  const b: OutcomeRow[] = [];
  for (let r = 1; r <= d.replicates; r++) {
    const learnt = Array.from({ length: d.families }, () => rng.chance(d.learnChance));
    const decks: number[][] = Array.from({ length: d.families }, () => []);
    for (let s = 1; s <= d.sessions; s++) {
      let slot = 0;
      for (let f = 0; f < d.families; f++) {
        for (let j = 0; j < d.slotsPerFamily; j++) {
          if (decks[f]!.length === 0) decks[f] = shuffled([...Array(d.tasksPerFamily).keys()], rng);
          const t = decks[f]!.shift()!;
          const effect = s === 1 ? 0 : learnt[f] ? d.learnt : d.notLearnt;
          const x = rng.next();
          const key = { suite: 'synthetic', family: `f${f}`, task: `f${f}t${t}`, replicate: r, session: s, slot: slot++ };
          a.push({ ...key, success: x < p[f]![t]! });
          b.push({ ...key, success: x < p[f]![t]! + effect });
        }
      }
    }
  }
  return { a, b, truth: learningTruth(d) };
}

/** Coverage and verdict errors over `runs` experiments of a LearningDesign. */
export function calibrateLearning(
  design: LearningDesign,
  runs: number,
  options: TallyOptions & { seed?: string } = {},
): CalibrationSummary {
  const tally = emptyTally();
  const seed = options.seed ?? 'calibration-learning';
  for (let i = 0; i < runs; i++) tallyExperiment(tally, learningExperiment(`${seed}:${i}`, design), `${seed}:boot:${i}`, options);
  return summarizeTally(tally);
}

export interface CalibrationTally {
  experiments: number;
  /** The 95% interval of the difference held the truth. */
  covered: number;
  /** Interval wholly below the truth / wholly above it. */
  missed_low: number;
  missed_high: number;
  mean_width: number;
  /** Mean and spread of the estimates, and the mean bootstrap standard error: se far above the spread means conservative intervals. */
  mean_estimate: number;
  sd_estimate: number;
  mean_se: number;
  /** A claim of the true effect judged "not supported" (wrong). */
  true_claim_rejected: number;
  /** A claim of the true effect judged "supported". */
  true_claim_supported: number;
  /** A claim of an exaggerated effect (claim_factor × truth) judged "supported" (wrong). */
  exaggerated_claim_supported: number;
  /** Experiments with no effect (truth 0) where a claim of `null_claim` was judged "supported" (wrong). */
  null_experiments: number;
  null_claim_supported: number;
  /** Intervals resampled within families; intervals whose families were unusable (flag strata_fallback, e.g. a family with < 4 tasks). */
  stratified: number;
  strata_fallback: number;
  /** Intervals widened because every pair agreed (flag all_pairs_agree), or every resample equalled the estimate (constant_resamples). */
  all_pairs_agree: number;
  constant_resamples: number;
  /** Intervals with sessions as post-strata; intervals without replicated memory (flag single_replicate). */
  post_stratified: number;
  single_replicate: number;
  /** Mean stretch of the task bootstrap by the two-way variance (1: none). */
  mean_inflation: number;
}

export interface CalibrationSummary extends CalibrationTally {
  coverage: number;
  /** Wilson 95% interval of the coverage (the calibration's own uncertainty). */
  coverage_lo: number;
  coverage_hi: number;
  true_claim_rejected_rate: number;
  exaggerated_claim_supported_rate: number;
  null_claim_supported_rate: number;
}

export interface TallyOptions {
  /** Interval method (default: the report's, expanded percentile). */
  method?: IntervalMethod;
  /** Resampling strata (default: the report's, family; rows without families are unstratified). */
  strata?: Strata;
  /** Sessions as post-strata (default: the report's, session). */
  postStrata?: PostStrata;
  /** Two-way variance over (replicate, family) blocks (default: the report's, replicate-family). */
  sharedState?: SharedState;
  /** When every pair agrees (default: the report's, widen by the Wilson bound). */
  agreement?: AgreementFallback;
  B?: number;
  /** The exaggerated claim: this many times the truth. Default 3. */
  claimFactor?: number;
  /** Claimed difference checked against null experiments. Default 0.1. */
  nullClaim?: number;
}

export function emptyTally(): CalibrationTally {
  return {
    experiments: 0,
    covered: 0,
    missed_low: 0,
    missed_high: 0,
    mean_width: 0,
    mean_estimate: 0,
    sd_estimate: 0,
    mean_se: 0,
    true_claim_rejected: 0,
    true_claim_supported: 0,
    exaggerated_claim_supported: 0,
    null_experiments: 0,
    null_claim_supported: 0,
    stratified: 0,
    strata_fallback: 0,
    all_pairs_agree: 0,
    constant_resamples: 0,
    post_stratified: 0,
    single_replicate: 0,
    mean_inflation: 0,
  };
}

/** Add one experiment to the tally: its interval, and the verdicts on a true and an exaggerated claim (or, with truth 0, on a false claim). Returns the interval. */
export function tallyExperiment(
  tally: CalibrationTally,
  e: CalibrationExperiment,
  seed: string,
  options: TallyOptions = {},
): PairedBootstrapResult {
  const r = pairedDifference(e.a, e.b, {
    seed,
    B: options.B ?? 1000,
    method: options.method ?? RUN_DESIGN_OPTIONS.method,
    strata: options.strata ?? RUN_DESIGN_OPTIONS.strata,
    postStrata: options.postStrata ?? RUN_DESIGN_OPTIONS.postStrata,
    sharedState: options.sharedState ?? RUN_DESIGN_OPTIONS.sharedState,
    agreement: options.agreement ?? 'wilson',
  });
  if (r.strata === 'family') tally.stratified++;
  if (r.post_strata === 'session') tally.post_stratified++;
  if (r.flags.includes('single_replicate')) tally.single_replicate++;
  if (r.flags.includes('strata_fallback')) tally.strata_fallback++;
  if (r.flags.includes('all_pairs_agree')) tally.all_pairs_agree++;
  if (r.flags.includes('constant_resamples')) tally.constant_resamples++;
  if (e.truth === 0) {
    tally.null_experiments++;
    if (verdictFor('rate_difference', options.nullClaim ?? 0.1, r.lo, r.hi).verdict === 'supported') tally.null_claim_supported++;
  }
  tally.experiments++;
  if (r.lo <= e.truth && e.truth <= r.hi) tally.covered++;
  else if (r.hi < e.truth) tally.missed_low++;
  else tally.missed_high++;
  tally.mean_width += (r.hi - r.lo - tally.mean_width) / tally.experiments;
  // Welford's running mean and variance of the estimates (sd_estimate holds the sum of squares until summarized).
  const delta = r.estimate - tally.mean_estimate;
  tally.mean_estimate += delta / tally.experiments;
  tally.sd_estimate += delta * (r.estimate - tally.mean_estimate);
  tally.mean_se += (r.se - tally.mean_se) / tally.experiments;
  tally.mean_inflation += (r.inflation - tally.mean_inflation) / tally.experiments;
  if (e.truth !== 0) {
    const onTruth = verdictFor('rate_difference', e.truth, r.lo, r.hi).verdict;
    if (onTruth === 'not_supported') tally.true_claim_rejected++;
    if (onTruth === 'supported') tally.true_claim_supported++;
    if (verdictFor('rate_difference', e.truth * (options.claimFactor ?? 3), r.lo, r.hi).verdict === 'supported')
      tally.exaggerated_claim_supported++;
  }
  return r;
}

export function summarizeTally(t: CalibrationTally): CalibrationSummary {
  const ci = wilsonInterval(t.covered, t.experiments);
  const withEffect = t.experiments - t.null_experiments;
  return {
    ...t,
    sd_estimate: t.experiments > 1 ? Math.sqrt(t.sd_estimate / (t.experiments - 1)) : NaN,
    coverage: ci.rate,
    coverage_lo: ci.lo,
    coverage_hi: ci.hi,
    true_claim_rejected_rate: withEffect ? t.true_claim_rejected / withEffect : NaN,
    exaggerated_claim_supported_rate: withEffect ? t.exaggerated_claim_supported / withEffect : NaN,
    null_claim_supported_rate: t.null_experiments ? t.null_claim_supported / t.null_experiments : NaN,
  };
}

/** Coverage and verdict errors over `runs` synthetic experiments of one design (plus `runs` null ones when nullRuns is set). */
export function calibrateSynthetic(
  design: SyntheticDesign,
  runs: number,
  options: TallyOptions & { seed?: string; nullRuns?: number } = {},
): CalibrationSummary {
  const tally = emptyTally();
  const seed = options.seed ?? 'calibration';
  for (let i = 0; i < runs; i++) tallyExperiment(tally, syntheticExperiment(`${seed}:${i}`, design), `${seed}:boot:${i}`, options);
  for (let i = 0; i < (options.nullRuns ?? 0); i++) {
    tallyExperiment(tally, syntheticExperiment(`${seed}:null:${i}`, { ...design, delta: 0 }), `${seed}:nullboot:${i}`, options);
  }
  return summarizeTally(tally);
}
