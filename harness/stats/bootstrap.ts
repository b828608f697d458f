// Differences and ratios between two arms' completion rates, with bootstrap intervals clustered by task.
//
// Trials of one task are correlated (a hard task is hard in every session and replicate), so the
// resampling unit is the task, not the trial: each resample draws as many tasks as there are, with
// replacement, and takes every trial of each drawn task (Davison & Hinkley, "Bootstrap Methods and
// their Application", 1997, §3.8; Field & Welsh, "Bootstrapping clustered data", JRSS-B 69, 2007).
// The paired version compares the arms on the same (task, replicate, session, slot) units, and a
// drawn task brings both arms' outcomes along, which keeps the pairing.
//
// Each task's successes and trials are summed once, so a resample costs O(tasks), not O(trials).
//
// Strata. The schedule (harness/schedule/schedule.ts) deals every session's slots to the task
// families in turn, so each family's share of the trials is fixed by design, not sampled. Resampling
// tasks across the whole pool lets that share vary from resample to resample and adds the spread
// between families' effects to the standard error. So by default (option `strata: 'family'`) tasks
// are resampled with replacement within their family, each family keeping its number of tasks (the
// stratified bootstrap: Davison & Hinkley 1997, §3.2 and §3.7). The stratum is
// the rows' (suite, family); rows without a family are resampled unstratified. This narrows the
// interval only as far as the treatment effect differs between families (baseline difficulty cancels
// in a paired difference).
//
// Stratification needs enough tasks in every stratum. A stratum of m tasks has m^m equally likely
// resamples, so with m = 2 or 3 the bootstrap distribution is coarse and bounded, and its variance is
// (m - 1)/m of the unbiased one. In simulations with family-dependent effects (5 families, fixed
// effects, tasks drawn afresh; expanded intervals) stratified coverage of nominal 95% was 86% with
// 2 tasks per family, 94% with 3 and 95-96% with 4 to 10. So when a stratum has fewer than
// MIN_STRATUM_CLUSTERS (4) tasks, or a task carries two families, or only some rows carry a family,
// the whole comparison falls back to unstratified resampling (flag 'strata_fallback'). The
// percentile and BCa intervals do not correct the (m - 1)/m shrinkage; the expanded one does (below),
// which is why the reports use it.
//
// Intervals:
// - 'percentile' (default): the alpha/2 and 1 - alpha/2 quantiles of the replicates.
// - 'expanded': the expanded percentile interval of Hesterberg, "What teachers should know about the
//   bootstrap", The American Statistician 69 (2015) 371-386: the percentile interval taken at
//   the levels alpha'/2 = Phi(-sqrt(n/(n-1)) t_{n-1, 1-alpha/2}), with n the number of clusters
//   (paired) or the smaller arm's (unpaired). It corrects the percentile interval's narrowness with
//   few clusters (the bootstrap variance is (n-1)/n of the usual one, and z is not t), which is where
//   plain percentile intervals under-cover (about 91% nominal 95% with 10 tasks in our simulations).
//   With H strata the expansion uses the stratified analogues: n/(n - H) for the variance and
//   n - H degrees of freedom (the usual "clusters minus strata" of stratified cluster sampling; exact
//   when the strata have equal numbers of clusters), n the clusters of all strata (unpaired: of the
//   arm with fewer degrees of freedom).
// - 'bca' (Efron, "Better bootstrap confidence intervals", JASA 82, 1987; Efron & Tibshirani, "An
//   Introduction to the Bootstrap", 1993, ch. 14) with the acceleration from the leave-one-task-out
//   jackknife. BCa falls back to percentile (flag 'bca_fallback') where its corrections are undefined
//   (every resample on one side of the estimate, a non-finite jackknife value). With strata the
//   jackknife influence values are centred within each stratum, as for several samples.
//
// When every pair agrees (paired functions, no pair with a != b), every resample gives the same
// statistic and the interval collapses to the estimate, claiming a certainty the data do not have.
// Option `agreement: 'wilson'` then widens it to the estimate ± the Wilson upper bound on the share
// of pairs that could differ, w = wilsonInterval(0, n_pairs, confidence).hi (about 3/n at 95%: the
// "rule of three"), for a ratio ± w / rate(a); flag 'all_pairs_agree'. The default, 'point', keeps
// the collapsed interval.

import { normalCdf, normalQuantile } from './normal.js';
import { counts, pairOutcomes, type OutcomeRow } from './rows.js';
import { studentQuantile } from './student.js';
import { wilsonInterval } from './wilson.js';
import { rngFrom } from '../models/sim/rng.js';

export type IntervalMethod = 'percentile' | 'expanded' | 'bca';

/** What tasks are resampled within: their (suite, family), or the whole pool. */
export type Strata = 'family' | 'none';

/** What a paired interval does when every pair agrees (see the header): keep the point, or widen by the Wilson bound. */
export type AgreementFallback = 'point' | 'wilson';

export interface BootstrapOptions {
  /** Seed of the resampling; the same seed and data give the same interval. Default 0. */
  seed?: string | number;
  /** Number of resamples. Default 2000. */
  B?: number;
  /** Two-sided confidence level. Default 0.95. */
  confidence?: number;
  /** Interval method. Default 'percentile'. */
  method?: IntervalMethod;
  /**
   * Resample tasks within their (suite, family) stratum, when the rows carry a `family`, each
   * stratum keeping its number of tasks; 'none' resamples the whole pool. Default 'family' (rows
   * without a family are resampled unstratified either way).
   */
  strata?: Strata;
  /** Paired functions, when every pair agrees: 'point' (default) or 'wilson' (flag 'all_pairs_agree'). Ignored by the unpaired ones. */
  agreement?: AgreementFallback;
}

export type BootstrapFlag =
  /** No trials (or no pairs) to compare: estimate and bounds are NaN. */
  | 'no_data'
  /** Only one task (in an arm): the spread between tasks is unknown, so the bounds are NaN. */
  | 'single_cluster'
  /** Ratio with baseline rate 0: the estimate is Infinity (or NaN when both rates are 0). */
  | 'zero_baseline'
  /** Some resamples had an undefined statistic (a ratio 0/0) and were left out of the interval. */
  | 'undefined_resamples'
  /** BCa was asked for but undefined here; the interval is the percentile one. */
  | 'bca_fallback'
  /**
   * Family strata were asked for and the rows carry families, but a stratum has fewer than
   * MIN_STRATUM_CLUSTERS tasks (or a task has two families, or some rows lack one): tasks were
   * resampled unstratified.
   */
  | 'strata_fallback'
  /** Every pair agreed and option agreement 'wilson' widened the collapsed interval by the Wilson bound. */
  | 'all_pairs_agree';

export interface BootstrapResult {
  /** The statistic on the data: rate(b) - rate(a), or rate(b) / rate(a). */
  estimate: number;
  /** Lower bound of the interval (NaN when it cannot be computed, see flags). */
  lo: number;
  /** Upper bound of the interval (may be Infinity for a ratio). */
  hi: number;
  /** Completion rate of arm a (the baseline) over the trials compared. */
  rate_a: number;
  /** Completion rate of arm b. */
  rate_b: number;
  /** Standard deviation of the defined bootstrap replicates (a bootstrap standard error). */
  se: number;
  /** Resamples drawn (0 when there was nothing to resample). */
  B: number;
  /** Resamples whose statistic was undefined and left out (ratio 0/0). */
  n_undefined: number;
  confidence: number;
  /** The method the bounds actually come from. */
  method: IntervalMethod;
  /** The resampling actually used: within families, or over the whole pool. */
  strata: Strata;
  flags: BootstrapFlag[];
}

export interface PairedBootstrapResult extends BootstrapResult {
  /** Units (task, replicate, session, slot) present, and not infra failures, in both arms. */
  n_pairs: number;
  /** Tasks among the pairs: the resampling clusters. */
  n_clusters: number;
  /** Strata the tasks were resampled within (1 when unstratified). */
  n_strata: number;
}

export interface UnpairedBootstrapResult extends BootstrapResult {
  /** Trials counted in arm a and in arm b (infra failures left out). */
  n_a: number;
  n_b: number;
  /** Tasks in arm a and in arm b; each arm's tasks are resampled separately (stratified by arm). */
  n_clusters_a: number;
  n_clusters_b: number;
  /** n_clusters_a + n_clusters_b. */
  n_clusters: number;
  /** Strata within each arm (1 when unstratified). */
  n_strata_a: number;
  n_strata_b: number;
}

/** A statistic of the two arms' totals: successes and trials of a, then of b. */
type Statistic = (sa: number, na: number, sb: number, nb: number) => number;

const difference: Statistic = (sa, na, sb, nb) => sb / nb - sa / na;
const ratio: Statistic = (sa, na, sb, nb) => {
  if (sa === 0) return sb === 0 ? NaN : Infinity;
  return sb / nb / (sa / na);
};

/**
 * The p-quantile of ascending `sorted` values by linear interpolation between order statistics
 * (Hyndman & Fan 1996 type 7, R's default): position (len - 1) * p. Infinite values are handled
 * (interpolating towards Infinity gives Infinity). NaN for an empty array.
 */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const len = sorted.length;
  if (len === 0 || Number.isNaN(p)) return NaN;
  const pos = Math.min(Math.max(p, 0), 1) * (len - 1);
  const i = Math.floor(pos);
  const h = pos - i;
  const x0 = sorted[i]!;
  if (h === 0 || i + 1 >= len) return x0;
  const x1 = sorted[i + 1]!;
  if (x0 === x1) return x0;
  if (!Number.isFinite(x0) || !Number.isFinite(x1)) return x1 === Infinity ? Infinity : x0;
  return x0 + h * (x1 - x0);
}

function checkOptions(opts: BootstrapOptions): Required<BootstrapOptions> {
  const B = opts.B ?? 2000;
  const confidence = opts.confidence ?? 0.95;
  if (!Number.isInteger(B) || B < 1) throw new RangeError(`bootstrap: B must be a positive integer, got ${B}`);
  if (!(confidence > 0 && confidence < 1)) {
    throw new RangeError(`bootstrap: confidence must be in (0, 1), got ${confidence}`);
  }
  return { seed: opts.seed ?? 0, B, confidence, method: opts.method ?? 'percentile', strata: opts.strata ?? 'family', agreement: opts.agreement ?? 'point' };
}

function standardDeviation(values: Float64Array): number {
  const m = values.length;
  if (m < 2) return NaN;
  let mean = 0;
  for (let i = 0; i < m; i++) mean += values[i]!;
  mean /= m;
  if (!Number.isFinite(mean)) return Infinity;
  let ss = 0;
  for (let i = 0; i < m; i++) ss += (values[i]! - mean) ** 2;
  return Math.sqrt(ss / (m - 1));
}

/**
 * Percentile, expanded percentile or BCa bounds from the defined replicates (sorted), the estimate,
 * the design behind the expansion (clusters and strata) and the jackknife terms (one array per
 * independently resampled group, a stratum or an arm: leave-one-cluster-out statistics).
 */
function bounds(
  sorted: Float64Array,
  estimate: number,
  design: Design,
  jackknife: number[][],
  confidence: number,
  method: IntervalMethod,
  flags: BootstrapFlag[],
): { lo: number; hi: number; method: IntervalMethod } {
  const alpha = (1 - confidence) / 2;
  const percentile = { lo: quantileSorted(sorted, alpha), hi: quantileSorted(sorted, 1 - alpha), method: 'percentile' as const };
  if (method === 'percentile') return percentile;
  if (method === 'expanded') {
    const level = expandedLevel(confidence, design.clusters, design.strata);
    return { lo: quantileSorted(sorted, level), hi: quantileSorted(sorted, 1 - level), method: 'expanded' };
  }

  const fallback = () => {
    flags.push('bca_fallback');
    return percentile;
  };
  if (!Number.isFinite(estimate)) return fallback();
  // Bias correction z0, counting ties with the estimate as half below (the statistics here are
  // discrete, so ties are common).
  let below = 0;
  for (let i = 0; i < sorted.length; i++) {
    const v = sorted[i]!;
    if (v < estimate) below += 1;
    else if (v === estimate) below += 0.5;
    else break;
  }
  const share = below / sorted.length;
  if (!(share > 0 && share < 1)) return fallback();
  const z0 = normalQuantile(share);

  // Acceleration from the jackknife (Efron & Tibshirani 1993, eq. 14.15; for several independently
  // resampled groups, arms or strata, the influence values are centred within each group and scaled
  // by (n_g - 1)/n_g as in Davison & Hinkley 1997, §3.2 and §3.7).
  let num = 0;
  let den = 0;
  for (const group of jackknife) {
    const g = group.length;
    if (g < 2) return fallback();
    let mean = 0;
    for (const v of group) {
      if (!Number.isFinite(v)) return fallback();
      mean += v;
    }
    mean /= g;
    const scale = (g - 1) / g;
    for (const v of group) {
      const d = (mean - v) * scale;
      num += d * d * d;
      den += d * d;
    }
  }
  const a = den > 0 ? num / (6 * den ** 1.5) : 0;

  const adjusted = (p: number): number => {
    const z = normalQuantile(p);
    const t = 1 - a * (z0 + z);
    if (!(t > 0)) return NaN;
    return normalCdf(z0 + (z0 + z) / t);
  };
  const pLo = adjusted(alpha);
  const pHi = adjusted(1 - alpha);
  if (Number.isNaN(pLo) || Number.isNaN(pHi)) return fallback();
  return { lo: quantileSorted(sorted, pLo), hi: quantileSorted(sorted, pHi), method: 'bca' };
}

/**
 * Hesterberg's expanded percentile level: the lower tail probability alpha'/2 at which to read the
 * replicates so that the interval matches a t interval with n - strata df and the (n - strata)/n
 * variance correction (n clusters resampled within `strata` strata, default 1). n > strata.
 */
export function expandedLevel(confidence: number, n: number, strata = 1): number {
  const t = studentQuantile(1 - (1 - confidence) / 2, n - strata);
  return normalCdf(-Math.sqrt(n / (n - strata)) * t);
}

/** Per-task totals. For paired data a and b share n. */
interface Clusters {
  sa: Float64Array;
  na: Float64Array;
  sb: Float64Array;
  nb: Float64Array;
}

/** Cluster indices of each stratum, in a fixed order; one stratum holding every cluster when unstratified. */
type StrataGroups = number[][];

/** The clusters and strata behind the expanded interval's correction and degrees of freedom. */
interface Design {
  clusters: number;
  strata: number;
}

function sum(xs: Float64Array): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i]!;
  return s;
}

function emptyResult(confidence: number, method: IntervalMethod, flags: BootstrapFlag[]): BootstrapResult {
  return {
    estimate: NaN,
    lo: NaN,
    hi: NaN,
    rate_a: NaN,
    rate_b: NaN,
    se: NaN,
    B: 0,
    n_undefined: 0,
    confidence,
    method,
    strata: 'none',
    flags,
  };
}

/** The values of `all` (indexed by cluster) split by stratum. */
function byStratum(all: readonly number[], strata: StrataGroups): number[][] {
  return strata.map((members) => members.map((k) => all[k]!));
}

/** Paired: one set of clusters, each holding both arms' totals over the same units, resampled within each stratum. */
function pairedBootstrap(c: Clusters, strata: StrataGroups, stat: Statistic, opts: Required<BootstrapOptions>): Omit<BootstrapResult, 'strata'> {
  const K = c.sa.length;
  const flags: BootstrapFlag[] = [];
  const SA = sum(c.sa);
  const NA = sum(c.na);
  const SB = sum(c.sb);
  const NB = sum(c.nb);
  const estimate = stat(SA, NA, SB, NB);
  const rate_a = SA / NA;
  const rate_b = SB / NB;
  if (stat === ratio && SA === 0) flags.push('zero_baseline');

  const rng = rngFrom(`bootstrap\u0000${String(opts.seed)}`);
  const reps = new Float64Array(opts.B);
  let defined = 0;
  for (let r = 0; r < opts.B; r++) {
    let sa = 0;
    let na = 0;
    let sb = 0;
    let nb = 0;
    for (const members of strata) {
      const m = members.length;
      for (let j = 0; j < m; j++) {
        const k = members[Math.floor(rng.next() * m)]!;
        sa += c.sa[k]!;
        na += c.na[k]!;
        sb += c.sb[k]!;
        nb += c.nb[k]!;
      }
    }
    const v = stat(sa, na, sb, nb);
    if (!Number.isNaN(v)) reps[defined++] = v;
  }
  const design = { clusters: K, strata: strata.length };
  return finish(reps, defined, estimate, rate_a, rate_b, design, () => byStratum(jackknifeGroup(c, stat, 'both'), strata), opts, flags);
}

/** Unpaired: each arm's clusters resampled separately, within each of the arm's strata. */
function unpairedBootstrap(
  ca: Clusters,
  cb: Clusters,
  strataA: StrataGroups,
  strataB: StrataGroups,
  stat: Statistic,
  opts: Required<BootstrapOptions>,
): Omit<BootstrapResult, 'strata'> {
  const Ka = ca.sa.length;
  const Kb = cb.sb.length;
  const flags: BootstrapFlag[] = [];
  const SA = sum(ca.sa);
  const NA = sum(ca.na);
  const SB = sum(cb.sb);
  const NB = sum(cb.nb);
  const estimate = stat(SA, NA, SB, NB);
  if (stat === ratio && SA === 0) flags.push('zero_baseline');

  const rng = rngFrom(`bootstrap\u0000${String(opts.seed)}`);
  const reps = new Float64Array(opts.B);
  let defined = 0;
  for (let r = 0; r < opts.B; r++) {
    let sa = 0;
    let na = 0;
    let sb = 0;
    let nb = 0;
    for (const members of strataA) {
      const m = members.length;
      for (let j = 0; j < m; j++) {
        const k = members[Math.floor(rng.next() * m)]!;
        sa += ca.sa[k]!;
        na += ca.na[k]!;
      }
    }
    for (const members of strataB) {
      const m = members.length;
      for (let j = 0; j < m; j++) {
        const k = members[Math.floor(rng.next() * m)]!;
        sb += cb.sb[k]!;
        nb += cb.nb[k]!;
      }
    }
    const v = stat(sa, na, sb, nb);
    if (!Number.isNaN(v)) reps[defined++] = v;
  }
  const jack = () => [
    ...byStratum(jackknifeGroup({ ...ca, sb: cb.sb, nb: cb.nb }, stat, 'a'), strataA),
    ...byStratum(jackknifeGroup({ ...cb, sa: ca.sa, na: ca.na }, stat, 'b'), strataB),
  ];
  // The expansion follows the arm with fewer degrees of freedom (clusters minus strata); without
  // strata, the arm with fewer clusters.
  const design = Ka - strataA.length <= Kb - strataB.length ? { clusters: Ka, strata: strataA.length } : { clusters: Kb, strata: strataB.length };
  return finish(reps, defined, estimate, SA / NA, SB / NB, design, jack, opts, flags);
}

/**
 * Leave-one-cluster-out statistics. 'both': the clusters hold both arms (paired). 'a' / 'b': leave
 * out one of that arm's clusters (c.sa/c.na or c.sb/c.nb are the per-cluster arrays of that arm; the
 * other arm's arrays are used only through their totals).
 */
function jackknifeGroup(c: Clusters, stat: Statistic, which: 'both' | 'a' | 'b'): number[] {
  const SA = sum(c.sa);
  const NA = sum(c.na);
  const SB = sum(c.sb);
  const NB = sum(c.nb);
  const K = which === 'b' ? c.sb.length : c.sa.length;
  const out: number[] = [];
  for (let k = 0; k < K; k++) {
    const dropA = which !== 'b';
    const dropB = which !== 'a';
    out.push(
      stat(
        dropA ? SA - c.sa[k]! : SA,
        dropA ? NA - c.na[k]! : NA,
        dropB ? SB - c.sb[k]! : SB,
        dropB ? NB - c.nb[k]! : NB,
      ),
    );
  }
  return out;
}

function finish(
  reps: Float64Array,
  defined: number,
  estimate: number,
  rate_a: number,
  rate_b: number,
  design: Design,
  jackknife: () => number[][],
  opts: Required<BootstrapOptions>,
  flags: BootstrapFlag[],
): Omit<BootstrapResult, 'strata'> {
  const values = reps.subarray(0, defined).sort();
  const n_undefined = opts.B - defined;
  if (n_undefined > 0) flags.push('undefined_resamples');
  const base = { estimate, rate_a, rate_b, se: standardDeviation(values), B: opts.B, n_undefined, confidence: opts.confidence };
  if (design.clusters < 2) {
    flags.push('single_cluster');
    return { ...base, lo: NaN, hi: NaN, method: 'percentile', flags };
  }
  const b = bounds(values, estimate, design, opts.method === 'bca' ? jackknife() : [], opts.confidence, opts.method, flags);
  return { ...base, ...b, flags };
}

/** Fewest tasks a stratum may have for the resampling to be stratified (see the header). */
export const MIN_STRATUM_CLUSTERS = 4;

/** How the tasks of one comparison fall into strata. */
interface StrataPlan {
  groups: StrataGroups;
  /**
   * 'unlabelled': no row carries a family (one stratum, no flag); 'fallback': families present but
   * not usable (one stratum, flag 'strata_fallback'); 'family': the family strata.
   */
  status: 'unlabelled' | 'fallback' | 'family';
}

/** The stratum of a row: its (suite, family), or undefined without a family. */
function stratumKey(row: OutcomeRow): string | undefined {
  return row.family === undefined ? undefined : `${row.suite ?? ''}\u0000${row.family}`;
}

/**
 * The strata of `tasks` (cluster k is tasks[k]) from the families of the counted `rows` of those
 * tasks. Falls back to one stratum ('fallback') when only some rows carry a family, when a task has
 * two families, or when a stratum has fewer than MIN_STRATUM_CLUSTERS tasks. With mode 'none', or
 * fewer than two tasks (no interval either way), one stratum without a flag.
 */
function planStrata(tasks: readonly string[], rows: Iterable<OutcomeRow>, mode: Strata): StrataPlan {
  const whole = tasks.map((_, k) => k);
  if (mode === 'none' || tasks.length < 2) return { groups: [whole], status: 'unlabelled' };
  const index = new Map(tasks.map((t, k) => [t, k]));
  const keyOf: Array<string | undefined> = new Array<string | undefined>(tasks.length);
  let labelled = 0;
  let unlabelled = 0;
  let conflict = false;
  for (const row of rows) {
    if (!counts(row)) continue;
    const k = index.get(row.task);
    if (k === undefined) continue;
    const key = stratumKey(row);
    if (key === undefined) {
      unlabelled++;
      continue;
    }
    labelled++;
    if (keyOf[k] === undefined) keyOf[k] = key;
    else if (keyOf[k] !== key) conflict = true;
  }
  if (labelled === 0) return { groups: [whole], status: 'unlabelled' };
  if (unlabelled > 0 || conflict) return { groups: [whole], status: 'fallback' };
  const byKey = new Map<string, number[]>();
  keyOf.forEach((key, k) => {
    const list = byKey.get(key!);
    if (list) list.push(k);
    else byKey.set(key!, [k]);
  });
  const groups = [...byKey.keys()].sort().map((key) => byKey.get(key)!);
  if (groups.some((g) => g.length < MIN_STRATUM_CLUSTERS)) return { groups: [whole], status: 'fallback' };
  return { groups, status: 'family' };
}

/** Per-task totals of paired outcomes, tasks in sorted order (so results do not depend on row order). */
function pairedClusters(a: readonly OutcomeRow[], b: readonly OutcomeRow[]): { clusters: Clusters; tasks: string[]; n_pairs: number; discordant: number } {
  const pairs = pairOutcomes(a, b);
  const byTask = new Map<string, [number, number, number]>();
  let discordant = 0;
  for (const p of pairs) {
    const t = byTask.get(p.task) ?? [0, 0, 0];
    t[0] += p.a ? 1 : 0;
    t[1] += p.b ? 1 : 0;
    t[2] += 1;
    byTask.set(p.task, t);
    if (p.a !== p.b) discordant++;
  }
  const tasks = [...byTask.keys()].sort();
  const K = tasks.length;
  const clusters: Clusters = { sa: new Float64Array(K), na: new Float64Array(K), sb: new Float64Array(K), nb: new Float64Array(K) };
  tasks.forEach((task, k) => {
    const [sa, sb, n] = byTask.get(task)!;
    clusters.sa[k] = sa;
    clusters.sb[k] = sb;
    clusters.na[k] = n;
    clusters.nb[k] = n;
  });
  return { clusters, tasks, n_pairs: pairs.length, discordant };
}

/** Per-task successes and trials of one arm (infra failures left out), tasks in sorted order. */
function armClusters(rows: readonly OutcomeRow[]): { s: Float64Array; n: Float64Array; tasks: string[]; trials: number } {
  const byTask = new Map<string, [number, number]>();
  let trials = 0;
  for (const row of rows) {
    if (!counts(row)) continue;
    const t = byTask.get(row.task) ?? [0, 0];
    t[0] += row.success ? 1 : 0;
    t[1] += 1;
    byTask.set(row.task, t);
    trials++;
  }
  const tasks = [...byTask.keys()].sort();
  const s = new Float64Array(tasks.length);
  const n = new Float64Array(tasks.length);
  tasks.forEach((task, k) => {
    const [succ, tot] = byTask.get(task)!;
    s[k] = succ;
    n[k] = tot;
  });
  return { s, n, tasks, trials };
}

function paired(a: readonly OutcomeRow[], b: readonly OutcomeRow[], stat: Statistic, options: BootstrapOptions): PairedBootstrapResult {
  const opts = checkOptions(options);
  const { clusters, tasks, n_pairs, discordant } = pairedClusters(a, b);
  const n_clusters = clusters.sa.length;
  if (n_pairs === 0) return { ...emptyResult(opts.confidence, 'percentile', ['no_data']), n_pairs, n_clusters, n_strata: 0 };
  const plan = planStrata(tasks, [...a, ...b], opts.strata);
  const result: PairedBootstrapResult = {
    ...pairedBootstrap(clusters, plan.groups, stat, opts),
    strata: plan.status === 'family' ? 'family' : 'none',
    n_pairs,
    n_clusters,
    n_strata: plan.groups.length,
  };
  if (plan.status === 'fallback') result.flags.push('strata_fallback');
  if (opts.agreement === 'wilson' && discordant === 0) {
    // Every pair agreed: the resamples all equal the estimate. Widen by the Wilson bound on the share
    // of pairs that could differ (see the header); for the ratio, that share over the baseline rate.
    const w = wilsonInterval(0, n_pairs, opts.confidence).hi;
    if (stat === ratio) {
      const scale = result.rate_a > 0 ? 1 / result.rate_a : NaN;
      result.lo = Math.max(0, result.estimate - w * scale);
      result.hi = result.estimate + w * scale;
    } else {
      result.lo = Math.max(-1, result.estimate - w);
      result.hi = Math.min(1, result.estimate + w);
    }
    result.flags.push('all_pairs_agree');
  }
  return result;
}

function unpaired(a: readonly OutcomeRow[], b: readonly OutcomeRow[], stat: Statistic, options: BootstrapOptions): UnpairedBootstrapResult {
  const opts = checkOptions(options);
  const ca = armClusters(a);
  const cb = armClusters(b);
  const sizes = {
    n_a: ca.trials,
    n_b: cb.trials,
    n_clusters_a: ca.s.length,
    n_clusters_b: cb.s.length,
    n_clusters: ca.s.length + cb.s.length,
  };
  if (ca.trials === 0 || cb.trials === 0) return { ...emptyResult(opts.confidence, 'percentile', ['no_data']), ...sizes, n_strata_a: 0, n_strata_b: 0 };
  // Each arm's strata come from its own rows. Both arms are stratified or neither: if one arm's
  // families are unusable, or only one arm carries families, both are resampled unstratified.
  let pa = planStrata(ca.tasks, a, opts.strata);
  let pb = planStrata(cb.tasks, b, opts.strata);
  let status: StrataPlan['status'] = pa.status === pb.status ? pa.status : 'fallback';
  // A one-task arm has no interval and no strata to speak of: it does not make the other arm fall back.
  if (ca.tasks.length < 2 || cb.tasks.length < 2) status = 'unlabelled';
  if (status !== 'family') {
    pa = { groups: [ca.tasks.map((_, k) => k)], status };
    pb = { groups: [cb.tasks.map((_, k) => k)], status };
  }
  const empty = new Float64Array(0);
  const result = unpairedBootstrap({ sa: ca.s, na: ca.n, sb: empty, nb: empty }, { sa: empty, na: empty, sb: cb.s, nb: cb.n }, pa.groups, pb.groups, stat, opts);
  if (status === 'fallback') result.flags.push('strata_fallback');
  return { ...result, strata: status === 'family' ? 'family' : 'none', ...sizes, n_strata_a: pa.groups.length, n_strata_b: pb.groups.length };
}

/**
 * rate(b) - rate(a) over the units (task, replicate, session, slot) both arms ran, with a bootstrap
 * interval resampling tasks (each with all its pairs), within their family unless `strata: 'none'`.
 * `a` and `b` are the two arms' trial rows; infra failures are left out before pairing. Throws a
 * RangeError on a duplicate unit within an arm.
 */
export function pairedDifference(a: readonly OutcomeRow[], b: readonly OutcomeRow[], options: BootstrapOptions = {}): PairedBootstrapResult {
  return paired(a, b, difference, options);
}

/**
 * rate(b) / rate(a) over the paired units, with the same clustered bootstrap. When rate(a) is 0 the
 * estimate is Infinity (NaN if rate(b) is 0 too) with flag 'zero_baseline'; resamples where both
 * rates are 0 are left out ('undefined_resamples'), and resamples with baseline 0 count as Infinity,
 * so `hi` can be Infinity.
 */
export function pairedRatio(a: readonly OutcomeRow[], b: readonly OutcomeRow[], options: BootstrapOptions = {}): PairedBootstrapResult {
  return paired(a, b, ratio, options);
}

/**
 * rate(b) - rate(a) for arms that share no units (e.g. two runs on different task sets): all non-infra
 * trials of each arm, tasks resampled within each arm independently (and within their family).
 */
export function unpairedDifference(a: readonly OutcomeRow[], b: readonly OutcomeRow[], options: BootstrapOptions = {}): UnpairedBootstrapResult {
  return unpaired(a, b, difference, options);
}

/** rate(b) / rate(a), unpaired; zero baseline handled as in pairedRatio. */
export function unpairedRatio(a: readonly OutcomeRow[], b: readonly OutcomeRow[], options: BootstrapOptions = {}): UnpairedBootstrapResult {
  return unpaired(a, b, ratio, options);
}
