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
// "rule of three"), for a ratio ± w / rate(a); flag 'all_pairs_agree'. The same holds, flag
// 'constant_resamples', when pairs differ but every resample still gives the estimate (with sessions
// as post-strata: every task of each session shows the same difference, as when the treatment wins
// every pair of the one session where it differs). The default, 'point', keeps the collapsed interval.
//
// Sessions (option `postStrata: 'session'`, paired functions). The schedule also fixes how many
// pairs each session holds, and an arm that learns differs most between sessions (nothing learnt
// yet in session 1, a step after it). A task's pairs fall in whichever sessions the schedule dealt
// it to, so resampling tasks lets each session's share of the pairs vary, and adds the spread
// between sessions' effects to the standard error. Post-stratification keeps the shares at the
// design's: each resample's statistic combines per-session rates with the observed session shares,
//   difference = sum_s w_s (rate_b,s - rate_a,s),   ratio = sum_s w_s rate_b,s / sum_s w_s rate_a,s
// (Holt & Smith, "Post stratification", JRSS-A 142, 1979; on the data itself it equals the plain
// statistic, since w_s are the data's shares). Every session needs MIN_STRATUM_CLUSTERS tasks, or
// the sessions are pooled (flag 'post_strata_fallback'); a resample that misses a session altogether
// is undefined and left out ('undefined_resamples').
//
// Shared memory (option `sharedState: 'replicate-family'`, paired functions). Within a replicate an
// arm's memory carries over from session to session, so pairs of one replicate are not independent
// of one another: whether a lesson was learnt early lifts or sinks every later trial it applies to.
// A bootstrap over tasks cannot see that (a task's pairs come from different replicates), and
// under-covers by as much as the memory's luck varies. The variance is then two-way cluster-robust
// (Cameron, Gelbach & Miller, "Robust inference with multiway clustering", JBES 29, 2011; the
// bootstrap version of their §2.3): V = V_task + V_block - V_task∩block, each term a bootstrap
// variance (corrected by K/(K - H) for K clusters in H strata), where a block is (replicate,
// family): what an arm learns from a family's tasks mostly applies to that family (lessons name a
// pitfall, dreaming keeps a playbook per family). Blocks are resampled within their family (rows
// without a family: blocks are replicates), the intersection is (task, replicate). When V exceeds
// V_task the task bootstrap's replicates are stretched about the estimate by sqrt(V / V_task) (so the
// interval keeps the bootstrap's shape), and never shrunk: V below V_task (noise in a small V_block)
// leaves the task interval as it is. It needs two replicates in every family; with one replicate the
// memory's luck is not replicated and cannot be estimated (flag 'single_replicate': the interval
// leaves it out, so run two or more replicates when an arm learns).
//
// Degrees of freedom. The expanded interval's t quantile has tasks minus strata degrees of freedom,
// or fewer where the variance rests on fewer units of information: with sessions as post-strata,
// the Satterthwaite effective df of the per-session variances (Cochran 1977, §5.4: all the variance
// in one session of 5 tasks gives 4 df, however many tasks the others hold); with the two-way
// variance, the Welch-Satterthwaite df of V_task + V_block - V_task∩block (a V_block from 10 blocks in
// 5 families has 5 df, and the interval must allow for its noise). The smallest applies, rounded down.
//
// Calibration (reports/calibration.test.ts, scripts/calibrate.ts; figures in the README): on sim
// runs of a learning arm, resampling tasks alone over-covered (its SE above the true spread, as the
// sessions' shares varied), sessions as post-strata alone under-covered (the memory's luck missed),
// and both with the two-way variance came to 95%; in a synthetic design with strong memory luck,
// tasks alone covered 85%.
//
// Which combination a dreambench run calls for is RUN_DESIGN_OPTIONS: the options the report, the
// claims, `compare` and the calibration use.

import { normalCdf, normalQuantile } from './normal.js';
import { counts, pairOutcomes, taskTotals, type OutcomePair, type OutcomeRow } from './rows.js';
import { studentQuantile } from './student.js';
import { wilsonInterval } from './wilson.js';
import { rngFrom, type Rng } from '../core/rng.js';

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
  /** Paired functions: keep each session's share of the pairs fixed in every resample ('session'), or not ('none', default). See the header. */
  postStrata?: PostStrata;
  /** Paired functions: add (replicate, family) blocks as a second clustering dimension ('replicate-family'), or not ('none', default). See the header. */
  sharedState?: SharedState;
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
  | 'all_pairs_agree'
  /**
   * Pairs differed, but every resample gave the estimate (each session's tasks all showed the same
   * difference), and option agreement 'wilson' widened the collapsed interval as for all_pairs_agree.
   */
  | 'constant_resamples'
  /** Sessions as post-strata were asked for, but a session has fewer than MIN_STRATUM_CLUSTERS tasks: sessions were pooled. */
  | 'post_strata_fallback'
  /**
   * Shared state was asked for, but some family (or the run) has one replicate: the variance between
   * memory trajectories cannot be estimated and the interval leaves it out.
   */
  | 'single_replicate';

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
  /** Sessions used as post-strata ('none' when not asked for, or pooled after 'post_strata_fallback'). */
  post_strata: PostStrata;
  /** Post-strata (sessions) the statistic combined; 1 when pooled. */
  n_cells: number;
  /** (replicate, family) blocks of the two-way variance; 0 when it was not computed. */
  n_blocks: number;
  /**
   * How far the two-way variance stretched the task bootstrap's replicates about the estimate:
   * sqrt(V / V_task), 1 when it did not (not asked for, single replicate, or V <= V_task).
   */
  inflation: number;
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

/** How sessions enter the resampling: as post-strata with the design's shares, or pooled. */
export type PostStrata = 'session' | 'none';

/** The blocks of trials that share an arm's learned state, added as a second clustering dimension; or none. */
export type SharedState = 'replicate-family' | 'none';

/**
 * Per-cluster totals in C cells (the post-strata; C = 1 without them): cluster k's cell c holds
 * [trials of a, successes of a, trials of b, successes of b] at v[(k * C + c) * 4]. Paired clusters
 * have equal trials in a and b; an unpaired arm's clusters leave the other arm's two slots at 0.
 */
interface Table {
  K: number;
  C: number;
  v: Float64Array;
}

/**
 * A statistic of cell totals (length 4C) and the cells' fixed shares w (summing to 1). NaN when
 * undefined: a cell without trials of an arm, or a ratio 0/0.
 */
type Statistic = (tot: Float64Array, w: Float64Array) => number;

const difference: Statistic = (tot, w) => {
  let d = 0;
  for (let c = 0; c < w.length; c++) {
    const na = tot[4 * c]!;
    const nb = tot[4 * c + 2]!;
    if (na === 0 || nb === 0) return NaN;
    d += w[c]! * (tot[4 * c + 3]! / nb - tot[4 * c + 1]! / na);
  }
  return d;
};

const ratio: Statistic = (tot, w) => {
  let ra = 0;
  let rb = 0;
  for (let c = 0; c < w.length; c++) {
    const na = tot[4 * c]!;
    const nb = tot[4 * c + 2]!;
    if (na === 0 || nb === 0) return NaN;
    ra += w[c]! * (tot[4 * c + 1]! / na);
    rb += w[c]! * (tot[4 * c + 3]! / nb);
  }
  if (ra === 0) return rb === 0 ? NaN : Infinity;
  return rb / ra;
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

type ResolvedOptions = Required<BootstrapOptions>;

function checkOptions(opts: BootstrapOptions): ResolvedOptions {
  const B = opts.B ?? 2000;
  const confidence = opts.confidence ?? 0.95;
  if (!Number.isInteger(B) || B < 1) throw new RangeError(`bootstrap: B must be a positive integer, got ${B}`);
  if (!(confidence > 0 && confidence < 1)) {
    throw new RangeError(`bootstrap: confidence must be in (0, 1), got ${confidence}`);
  }
  return {
    seed: opts.seed ?? 0,
    B,
    confidence,
    method: opts.method ?? 'percentile',
    strata: opts.strata ?? 'family',
    agreement: opts.agreement ?? 'point',
    postStrata: opts.postStrata ?? 'none',
    sharedState: opts.sharedState ?? 'none',
  };
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
    const level = expandedLevel(confidence, design.clusters, design.strata, design.df);
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
export function expandedLevel(confidence: number, n: number, strata = 1, df = n - strata): number {
  const t = studentQuantile(1 - (1 - confidence) / 2, df);
  return normalCdf(-Math.sqrt(n / (n - strata)) * t);
}


/** Cluster indices of each stratum, in a fixed order; one stratum holding every cluster when unstratified. */
type StrataGroups = number[][];

/** The clusters and strata behind the expanded interval's correction and degrees of freedom. */
interface Design {
  clusters: number;
  strata: number;
  /** Degrees of freedom of the t quantile, when not clusters - strata (the two-way variance's Satterthwaite df). */
  df?: number;
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

/** Column sums of a table: the totals over all its clusters (length 4C). */
function tableTotals(t: Table): Float64Array {
  const width = 4 * t.C;
  const tot = new Float64Array(width);
  for (let k = 0; k < t.K; k++) for (let q = 0; q < width; q++) tot[q]! += t.v[k * width + q]!;
  return tot;
}

/** Adds to `tot` one resample of the table: within each stratum, as many clusters as it has, with replacement. */
function resampleInto(tot: Float64Array, t: Table, strata: StrataGroups, rng: Rng): void {
  const width = 4 * t.C;
  for (const members of strata) {
    const m = members.length;
    for (let j = 0; j < m; j++) {
      const off = members[Math.floor(rng.next() * m)]! * width;
      for (let q = 0; q < width; q++) tot[q]! += t.v[off + q]!;
    }
  }
}

/** The cells' shares of the trials in `tot` (arm b's trials; a paired table has the same in a). */
function shares(tot: Float64Array, C: number): Float64Array {
  const w = new Float64Array(C);
  let n = 0;
  for (let c = 0; c < C; c++) n += tot[4 * c + 2]!;
  for (let c = 0; c < C; c++) w[c] = tot[4 * c + 2]! / n;
  return w;
}

/**
 * B resamples of the statistic, each drawing clusters within strata from every (table, strata)
 * source in turn; the defined values (NaN left out), unsorted, and how many there are.
 */
function resampleStatistic(
  sources: ReadonlyArray<{ table: Table; strata: StrataGroups }>,
  width: number,
  stat: Statistic,
  w: Float64Array,
  B: number,
  rng: Rng,
): { reps: Float64Array; defined: number } {
  const reps = new Float64Array(B);
  const tot = new Float64Array(width);
  let defined = 0;
  for (let r = 0; r < B; r++) {
    tot.fill(0);
    for (const s of sources) resampleInto(tot, s.table, s.strata, rng);
    const v = stat(tot, w);
    if (!Number.isNaN(v)) reps[defined++] = v;
  }
  return { reps, defined };
}

/** Leave-one-cluster-out statistics of a table (the other tables' clusters all kept: `total` is over everything). */
function jackknife(t: Table, total: Float64Array, stat: Statistic, w: Float64Array): number[] {
  const width = 4 * t.C;
  const out: number[] = [];
  const tot = new Float64Array(width);
  for (let k = 0; k < t.K; k++) {
    for (let q = 0; q < width; q++) tot[q] = total[q]! - t.v[k * width + q]!;
    out.push(stat(tot, w));
  }
  return out;
}

/** Variance of the defined replicates, corrected for the bootstrap's (K - H)/K shrinkage (NaN when K <= H or too few values). */
function correctedVariance(values: Float64Array, clusters: number, strata: number): number {
  if (clusters <= strata) return NaN;
  const sd = standardDeviation(values);
  return sd * sd * (clusters / (clusters - strata));
}

function finish(
  values: Float64Array,
  estimate: number,
  rate_a: number,
  rate_b: number,
  design: Design,
  jackknifeGroups: () => number[][],
  opts: ResolvedOptions,
  flags: BootstrapFlag[],
): Omit<BootstrapResult, 'strata'> {
  values.sort();
  const n_undefined = opts.B - values.length;
  if (n_undefined > 0) flags.push('undefined_resamples');
  const base = { estimate, rate_a, rate_b, se: standardDeviation(values), B: opts.B, n_undefined, confidence: opts.confidence };
  if (design.clusters < 2) {
    flags.push('single_cluster');
    return { ...base, lo: NaN, hi: NaN, method: 'percentile', flags };
  }
  const b = bounds(values, estimate, design, opts.method === 'bca' ? jackknifeGroups() : [], opts.confidence, opts.method, flags);
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

/** Per-unit cluster and cell indices into a table of K clusters and C cells; sums each unit's outcomes in. */
function buildTable(K: number, C: number, units: ReadonlyArray<{ k: number; c: number; na: number; sa: number; nb: number; sb: number }>): Table {
  const v = new Float64Array(K * C * 4);
  for (const u of units) {
    const off = (u.k * C + u.c) * 4;
    v[off]! += u.na;
    v[off + 1]! += u.sa;
    v[off + 2]! += u.nb;
    v[off + 3]! += u.sb;
  }
  return { K, C, v };
}

/** Indices of `keys` grouped by `groupOf(index)`, groups in sorted key order. */
function groupIndices(n: number, groupOf: (i: number) => string): StrataGroups {
  const byKey = new Map<string, number[]>();
  for (let i = 0; i < n; i++) {
    const key = groupOf(i);
    const list = byKey.get(key);
    if (list) list.push(i);
    else byKey.set(key, [i]);
  }
  return [...byKey.keys()].sort().map((key) => byKey.get(key)!);
}

/** Sessions as post-strata: the cell index of each session, or undefined when pooled (with whether that was a fallback). */
function planCells(pairs: readonly OutcomePair[], mode: PostStrata): { cellOf: Map<number, number> | undefined; fallback: boolean } {
  if (mode === 'none') return { cellOf: undefined, fallback: false };
  const tasksIn = new Map<number, Set<string>>();
  for (const p of pairs) {
    const set = tasksIn.get(p.session);
    if (set) set.add(p.task);
    else tasksIn.set(p.session, new Set([p.task]));
  }
  if (tasksIn.size < 2) return { cellOf: undefined, fallback: false };
  if ([...tasksIn.values()].some((s) => s.size < MIN_STRATUM_CLUSTERS)) return { cellOf: undefined, fallback: true };
  const sessions = [...tasksIn.keys()].sort((x, y) => x - y);
  return { cellOf: new Map(sessions.map((s, c) => [s, c])), fallback: false };
}

/**
 * Effective degrees of freedom of a post-stratified mean (Satterthwaite 1946; Cochran, "Sampling
 * Techniques", 3rd ed. 1977, §5.4): n_e = (sum_c u_c)^2 / sum_c u_c^2 / (K_c - 1), with
 * u_c = w_c^2 s_c^2 / K_c, K_c the tasks in cell c and s_c^2 the variance of their mean paired
 * differences. When one session carries the variance (nothing learnt in session 1, say), the interval
 * rests on that session's tasks alone, and its t quantile must say so. Undefined (no cap) when no
 * cell varies.
 */
function cellDegreesOfFreedom(pairs: readonly OutcomePair[], cellOf: (session: number) => number, w: Float64Array): number | undefined {
  const byCell = Array.from({ length: w.length }, () => new Map<string, [number, number]>());
  for (const p of pairs) {
    const cell = byCell[cellOf(p.session)]!;
    const t = cell.get(p.task) ?? [0, 0];
    t[0] += (p.b ? 1 : 0) - (p.a ? 1 : 0);
    t[1] += 1;
    cell.set(p.task, t);
  }
  let num = 0;
  let den = 0;
  byCell.forEach((tasks, c) => {
    const Kc = tasks.size;
    if (Kc < 2) return;
    const means = [...tasks.values()].map(([d, n]) => d / n);
    const mean = means.reduce((x, y) => x + y, 0) / Kc;
    const s2 = means.reduce((x, y) => x + (y - mean) ** 2, 0) / (Kc - 1);
    const u = (w[c]! ** 2 * s2) / Kc;
    num += u;
    den += (u * u) / (Kc - 1);
  });
  return den > 0 ? (num * num) / den : undefined;
}

/** Stratum of each task (index into the task strata). */
function stratumOfTask(K: number, taskStrata: StrataGroups): Int32Array {
  const out = new Int32Array(K);
  taskStrata.forEach((members, h) => members.forEach((k) => (out[k] = h)));
  return out;
}

/** True when every task stratum has pairs from two or more replicates: the two-way variance can be estimated. */
function replicatedInEveryStratum(pairs: readonly OutcomePair[], taskIndex: ReadonlyMap<string, number>, taskStratum: Int32Array, H: number): boolean {
  const seen = Array.from({ length: H }, () => new Set<number>());
  for (const p of pairs) seen[taskStratum[taskIndex.get(p.task)!]!]!.add(p.replicate);
  return seen.every((reps) => reps.size >= 2);
}

/**
 * The two-way (task, block) variance of the header and the stretch it asks of the task bootstrap:
 * sqrt(V / V_task) when above 1, else 1. `taskValues` are the task bootstrap's defined replicates.
 * Call only when replicatedInEveryStratum.
 */
function twoWayInflation(
  pairs: readonly OutcomePair[],
  taskIndex: ReadonlyMap<string, number>,
  taskStrata: StrataGroups,
  taskStratum: Int32Array,
  cellOf: (session: number) => number,
  C: number,
  stat: Statistic,
  w: Float64Array,
  taskValues: Float64Array,
  opts: ResolvedOptions,
): { inflation: number; n_blocks: number; df: number } {
  const stratumOf = (p: OutcomePair): number => taskStratum[taskIndex.get(p.task)!]!;
  const unit = (p: OutcomePair) => ({ c: cellOf(p.session), na: 1, sa: p.a ? 1 : 0, nb: 1, sb: p.b ? 1 : 0 });
  // Clusters keyed by `keyOf`, each resampled within the stratum of its tasks.
  const clustering = (keyOf: (p: OutcomePair) => string): { table: Table; strata: StrataGroups } => {
    const index = new Map<string, number>();
    const stratum: number[] = [];
    const units = pairs.map((p) => {
      const key = keyOf(p);
      let k = index.get(key);
      if (k === undefined) {
        k = index.size;
        index.set(key, k);
        stratum.push(stratumOf(p));
      }
      return { k, ...unit(p) };
    });
    return { table: buildTable(index.size, C, units), strata: groupIndices(index.size, (k) => String(stratum[k]).padStart(9, '0')) };
  };
  // Blocks: (replicate, stratum); the intersection with tasks: (task, replicate).
  const blocks = clustering((p) => `${p.replicate}\u0000${stratumOf(p)}`);
  const cross = clustering((p) => `${p.task}\u0000${p.replicate}`);
  const seed = `bootstrap\u0000${String(opts.seed)}`;
  const variance = ({ table, strata }: { table: Table; strata: StrataGroups }, label: string): number => {
    const { reps, defined } = resampleStatistic([{ table, strata }], 4 * C, stat, w, opts.B, rngFrom(`${seed}\u0000${label}`));
    return correctedVariance(reps.subarray(0, defined), table.K, strata.length);
  };
  const dfTask = taskIndex.size - taskStrata.length;
  const dfBlock = blocks.table.K - blocks.strata.length;
  const dfCross = cross.table.K - cross.strata.length;
  const vTask = correctedVariance(taskValues, taskIndex.size, taskStrata.length);
  const vBlock = variance(blocks, 'blocks');
  const vCross = variance(cross, 'task-replicate');
  const v = vTask + vBlock - vCross;
  if (!(Number.isFinite(v) && vTask > 0 && v > vTask)) return { inflation: 1, n_blocks: blocks.table.K, df: dfTask };
  // Welch-Satterthwaite degrees of freedom of the combined variance: a V_block from few blocks is
  // itself uncertain, and the t quantile has to allow for it.
  const df = (v * v) / (vTask ** 2 / dfTask + (dfBlock > 0 ? vBlock ** 2 / dfBlock : 0) + (dfCross > 0 ? vCross ** 2 / dfCross : 0));
  // Rounded down: the t quantiles here take whole degrees of freedom (rounding down is the cautious side).
  return { inflation: Math.sqrt(v / vTask), n_blocks: blocks.table.K, df: Math.max(1, Math.min(dfTask, Math.floor(df))) };
}

function paired(a: readonly OutcomeRow[], b: readonly OutcomeRow[], stat: Statistic, options: BootstrapOptions): PairedBootstrapResult {
  const opts = checkOptions(options);
  const pairs = pairOutcomes(a, b);
  // Tasks in sorted order, so results do not depend on row order.
  const tasks = [...new Set(pairs.map((p) => p.task))].sort();
  const n_pairs = pairs.length;
  const K = tasks.length;
  const none = { n_pairs, n_clusters: K, post_strata: 'none' as const, n_cells: 0, n_blocks: 0, inflation: 1 };
  if (n_pairs === 0) return { ...emptyResult(opts.confidence, 'percentile', ['no_data']), ...none, n_strata: 0 };

  const flags: BootstrapFlag[] = [];
  const plan = planStrata(tasks, [...a, ...b], opts.strata);
  const taskIndex = new Map(tasks.map((t, k) => [t, k]));
  const taskStratum = stratumOfTask(K, plan.groups);
  const twoWay = opts.sharedState === 'replicate-family' && K >= 2;
  const replicated = twoWay && replicatedInEveryStratum(pairs, taskIndex, taskStratum, plan.groups.length);
  const cells = planCells(pairs, opts.postStrata);
  const C = cells.cellOf?.size ?? 1;
  const cellOf = (session: number): number => cells.cellOf?.get(session) ?? 0;
  const table = buildTable(
    K,
    C,
    pairs.map((p) => ({ k: taskIndex.get(p.task)!, c: cellOf(p.session), na: 1, sa: p.a ? 1 : 0, nb: 1, sb: p.b ? 1 : 0 })),
  );
  const total = tableTotals(table);
  const w = shares(total, C);
  // The statistic on the data, from the pooled totals (post-stratification with the data's own
  // shares gives the same value, up to rounding).
  const pooled = new Float64Array(4);
  for (let q = 0; q < total.length; q++) pooled[q % 4]! += total[q]!;
  const estimate = stat(pooled, ONE_CELL);
  if (stat === ratio && pooled[1] === 0) flags.push('zero_baseline');

  const main = resampleStatistic([{ table, strata: plan.groups }], 4 * C, stat, w, opts.B, rngFrom(`bootstrap\u0000${String(opts.seed)}`));
  const values = main.reps.subarray(0, main.defined);
  let shared: { inflation: number; n_blocks: number; df?: number } = { inflation: 1, n_blocks: 0 };
  if (replicated) {
    shared = twoWayInflation(pairs, taskIndex, plan.groups, taskStratum, cellOf, C, stat, w, values, opts);
    if (shared.inflation > 1 && Number.isFinite(estimate)) {
      for (let i = 0; i < values.length; i++) values[i] = estimate + shared.inflation * (values[i]! - estimate);
    }
  }
  // The t quantile's degrees of freedom: tasks minus strata, or fewer when the variance rests on few
  // tasks of one session (post-strata) or on few blocks (two-way); rounded down, at least 1.
  const dfCap = Math.min(shared.df ?? Infinity, cells.cellOf ? (cellDegreesOfFreedom(pairs, cellOf, w) ?? Infinity) : Infinity);
  const design: Design = { clusters: K, strata: plan.groups.length, ...(dfCap < K - plan.groups.length ? { df: Math.max(1, Math.floor(dfCap)) } : {}) };
  const jack = () => byStratum(jackknife(table, total, stat, w), plan.groups);
  const result: PairedBootstrapResult = {
    ...finish(values, estimate, pooled[1]! / pooled[0]!, pooled[3]! / pooled[2]!, design, jack, opts, flags),
    strata: plan.status === 'family' ? 'family' : 'none',
    n_pairs,
    n_clusters: K,
    n_strata: plan.groups.length,
    post_strata: cells.cellOf ? 'session' : 'none',
    n_cells: C,
    n_blocks: shared.n_blocks,
    inflation: shared.inflation,
  };
  if (plan.status === 'fallback') result.flags.push('strata_fallback');
  if (cells.fallback) result.flags.push('post_strata_fallback');
  if (twoWay && !replicated) result.flags.push('single_replicate');
  const discordant = pairs.filter((p) => p.a !== p.b).length;
  // Every pair agreed, or (two or more tasks) every resample gave the estimate all the same, as when
  // every task of each session shows the same difference: the resampling has seen no spread.
  const constant = K >= 2 && result.se === 0 && Number.isFinite(result.estimate);
  if (opts.agreement === 'wilson' && (discordant === 0 || constant)) {
    // Widen by the Wilson bound on the share of pairs that could have come out otherwise (see the
    // header); for the ratio, that share over the baseline rate.
    const wb = wilsonInterval(0, n_pairs, opts.confidence).hi;
    if (stat === ratio) {
      const scale = result.rate_a > 0 ? 1 / result.rate_a : NaN;
      result.lo = Math.max(0, result.estimate - wb * scale);
      result.hi = result.estimate + wb * scale;
    } else {
      result.lo = Math.max(-1, result.estimate - wb);
      result.hi = Math.min(1, result.estimate + wb);
    }
    result.flags.push(discordant === 0 ? 'all_pairs_agree' : 'constant_resamples');
  }
  return result;
}

/** One arm's trials as a table of its tasks (infra failures left out), tasks in sorted order; `side` says which arm's slots it fills. */
function armTable(rows: readonly OutcomeRow[], side: 'a' | 'b'): { table: Table; tasks: string[]; trials: number } {
  const byTask = taskTotals(rows);
  let trials = 0;
  for (const [n] of byTask.values()) trials += n;
  const tasks = [...byTask.keys()].sort();
  const units = tasks.map((task, k) => {
    const [n, s] = byTask.get(task)!;
    return side === 'a' ? { k, c: 0, na: n, sa: s, nb: 0, sb: 0 } : { k, c: 0, na: 0, sa: 0, nb: n, sb: s };
  });
  return { table: buildTable(tasks.length, 1, units), tasks, trials };
}

function unpaired(a: readonly OutcomeRow[], b: readonly OutcomeRow[], stat: Statistic, options: BootstrapOptions): UnpairedBootstrapResult {
  const opts = checkOptions(options);
  const ta = armTable(a, 'a');
  const tb = armTable(b, 'b');
  const Ka = ta.tasks.length;
  const Kb = tb.tasks.length;
  const sizes = { n_a: ta.trials, n_b: tb.trials, n_clusters_a: Ka, n_clusters_b: Kb, n_clusters: Ka + Kb };
  if (ta.trials === 0 || tb.trials === 0) return { ...emptyResult(opts.confidence, 'percentile', ['no_data']), ...sizes, n_strata_a: 0, n_strata_b: 0 };
  // Each arm's strata come from its own rows. Both arms are stratified or neither: if one arm's
  // families are unusable, or only one arm carries families, both are resampled unstratified.
  let pa = planStrata(ta.tasks, a, opts.strata);
  let pb = planStrata(tb.tasks, b, opts.strata);
  let status: StrataPlan['status'] = pa.status === pb.status ? pa.status : 'fallback';
  // A one-task arm has no interval and no strata to speak of: it does not make the other arm fall back.
  if (Ka < 2 || Kb < 2) status = 'unlabelled';
  if (status !== 'family') {
    pa = { groups: [ta.tasks.map((_, k) => k)], status };
    pb = { groups: [tb.tasks.map((_, k) => k)], status };
  }
  const flags: BootstrapFlag[] = [];
  const total = tableTotals(ta.table);
  const totalB = tableTotals(tb.table);
  for (let q = 0; q < 4; q++) total[q]! += totalB[q]!;
  const estimate = stat(total, ONE_CELL);
  if (stat === ratio && total[1] === 0) flags.push('zero_baseline');

  const sources = [
    { table: ta.table, strata: pa.groups },
    { table: tb.table, strata: pb.groups },
  ];
  const { reps, defined } = resampleStatistic(sources, 4, stat, ONE_CELL, opts.B, rngFrom(`bootstrap\u0000${String(opts.seed)}`));
  const jack = () => [...byStratum(jackknife(ta.table, total, stat, ONE_CELL), pa.groups), ...byStratum(jackknife(tb.table, total, stat, ONE_CELL), pb.groups)];
  // The expansion follows the arm with fewer degrees of freedom (clusters minus strata); without
  // strata, the arm with fewer clusters.
  const design = Ka - pa.groups.length <= Kb - pb.groups.length ? { clusters: Ka, strata: pa.groups.length } : { clusters: Kb, strata: pb.groups.length };
  const result = finish(reps.subarray(0, defined), estimate, total[1]! / total[0]!, total[3]! / total[2]!, design, jack, opts, flags);
  if (status === 'fallback') result.flags.push('strata_fallback');
  return { ...result, strata: status === 'family' ? 'family' : 'none', ...sizes, n_strata_a: pa.groups.length, n_strata_b: pb.groups.length };
}

/** The shares of a single cell. */
const ONE_CELL = new Float64Array([1]);

/**
 * The options that match a dreambench run's design, used by the report, the claims, `compare` and
 * the calibration: the expanded percentile interval, tasks resampled within their family, sessions
 * as post-strata, and the two-way variance over (replicate, family) blocks (see the header).
 */
export const RUN_DESIGN_OPTIONS = {
  method: 'expanded',
  strata: 'family',
  postStrata: 'session',
  sharedState: 'replicate-family',
} as const satisfies BootstrapOptions;

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
 * The session and shared-state options apply to paired comparisons only.
 */
export function unpairedDifference(a: readonly OutcomeRow[], b: readonly OutcomeRow[], options: BootstrapOptions = {}): UnpairedBootstrapResult {
  return unpaired(a, b, difference, options);
}

/** rate(b) / rate(a), unpaired; zero baseline handled as in pairedRatio. */
export function unpairedRatio(a: readonly OutcomeRow[], b: readonly OutcomeRow[], options: BootstrapOptions = {}): UnpairedBootstrapResult {
  return unpaired(a, b, ratio, options);
}
