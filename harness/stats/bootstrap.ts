// Differences and ratios between two arms' completion rates, with bootstrap intervals clustered by
// task: tasks resampled within their (suite, family), sessions as post-strata, the two-way variance
// over (replicate, family) blocks for the memory's luck, and Hesterberg's expanded percentile
// interval. What each option does, why, its sources and its calibration: docs/statistics.md.
// RUN_DESIGN_OPTIONS is the combination a dreambench run calls for (harness/stats/run-design.ts).

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
  /** Whether the memory's luck entered the variance: 'replicate-family' when it was asked for and could be estimated. */
  shared_state: SharedState;
  /**
   * The (replicate, family) blocks were resampled over the whole run rather than within their family
   * (as the tasks were, when some family had fewer than MIN_STRATUM_CLUSTERS tasks).
   */
  blocks_pooled: boolean;
  /** Degrees of freedom of the t quantile behind the expanded interval (NaN for other methods or without an interval). */
  df: number;
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
  if (method === 'expanded') return expandedBounds(sorted, estimate, design, confidence);

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

/**
 * The shallowest tail the expanded interval reads the replicates at. Hesterberg's level falls fast
 * with few degrees of freedom (1 df: about 1e-40), and a quantile that deep is just the smallest or
 * largest of the B replicates, so the interval would widen as B grows. Below this level the interval
 * is read here and stretched about the estimate to the width the t quantile asks for (see docs/statistics.md).
 */
export const EXPANDED_LEVEL_FLOOR = 0.005;

/**
 * Hesterberg's expanded percentile interval, read at max(level, EXPANDED_LEVEL_FLOOR); when the
 * level lies deeper, the bounds read at the floor are stretched about the estimate by
 * (sqrt(n/(n-H)) t_df) / z_floor, the ratio of the width asked for to the width read: the same
 * expansion carried out on the bootstrap's spread instead of its extreme tails, which converges as
 * B grows.
 */
function expandedBounds(
  sorted: Float64Array,
  estimate: number,
  design: Design,
  confidence: number,
): { lo: number; hi: number; method: 'expanded' } {
  const n = design.clusters;
  const k = Math.sqrt(n / (n - design.strata)) * studentQuantile(1 - (1 - confidence) / 2, design.df ?? n - design.strata);
  const level = normalCdf(-k);
  if (!(level < EXPANDED_LEVEL_FLOOR) || !Number.isFinite(estimate)) {
    return { lo: quantileSorted(sorted, level), hi: quantileSorted(sorted, 1 - level), method: 'expanded' };
  }
  const stretch = k / normalQuantile(1 - EXPANDED_LEVEL_FLOOR);
  const lo = quantileSorted(sorted, EXPANDED_LEVEL_FLOOR);
  const hi = quantileSorted(sorted, 1 - EXPANDED_LEVEL_FLOOR);
  return { lo: estimate - stretch * (estimate - lo), hi: estimate + stretch * (hi - estimate), method: 'expanded' };
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

/**
 * A table's non-zero entries, cluster by cluster: cluster k's entries are at[start[k]..start[k+1]) with
 * values val. A (task, replicate) cluster of a large run holds a task in a few of its sessions, so most
 * of its 4C slots are 0; resampling adds only the others.
 */
interface SparseRows {
  start: Int32Array;
  at: Int32Array;
  val: Float64Array;
}

const sparseRows = new WeakMap<Table, SparseRows>();

function sparseOf(t: Table): SparseRows {
  let rows = sparseRows.get(t);
  if (rows) return rows;
  const width = 4 * t.C;
  let n = 0;
  for (let i = 0; i < t.v.length; i++) if (t.v[i] !== 0) n++;
  rows = { start: new Int32Array(t.K + 1), at: new Int32Array(n), val: new Float64Array(n) };
  let j = 0;
  for (let k = 0; k < t.K; k++) {
    rows.start[k] = j;
    for (let q = 0; q < width; q++) {
      const x = t.v[k * width + q]!;
      if (x === 0) continue;
      rows.at[j] = q;
      rows.val[j++] = x;
    }
  }
  rows.start[t.K] = j;
  sparseRows.set(t, rows);
  return rows;
}

/**
 * Add one resample of the table's clusters (drawn with replacement within each stratum) to tot.
 * The draws are counted first and each drawn cluster's row added once, times its count: a cluster of
 * a large run's (task, replicate) table is drawn about twice as often as another is at all, so this
 * adds about a third fewer rows than adding one row per draw. The cells hold counts (whole numbers
 * far below 2^53), so their float sums are exact in any order: the totals are bit for bit those of
 * adding one row per draw, and the draws are the same.
 */
function resampleInto(tot: Float64Array, t: Table, strata: StrataGroups, rng: Rng, drawn: Int32Array): void {
  const { start, at, val } = sparseOf(t);
  for (const members of strata) {
    const m = members.length;
    for (let j = 0; j < m; j++) drawn[members[Math.floor(rng.next() * m)]!]!++;
  }
  for (let k = 0; k < t.K; k++) {
    const times = drawn[k]!;
    if (times === 0) continue;
    drawn[k] = 0;
    const end = start[k + 1]!;
    for (let i = start[k]!; i < end; i++) tot[at[i]!]! += times * val[i]!;
  }
}
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
  const drawn = sources.map((s) => new Int32Array(s.table.K));
  let defined = 0;
  for (let r = 0; r < B; r++) {
    tot.fill(0);
    for (let i = 0; i < sources.length; i++) resampleInto(tot, sources[i]!.table, sources[i]!.strata, rng, drawn[i]!);
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
function buildTable(
  K: number,
  C: number,
  units: ReadonlyArray<{ k: number; c: number; na: number; sa: number; nb: number; sb: number }>,
): Table {
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

/**
 * The (suite, family) of each task from the counted rows ('' when a task has none, or two). Blocks of
 * the two-way variance are (replicate, family) whether or not the tasks could be stratified by family:
 * a family of 2 tasks is too small a stratum to resample tasks within, but still a block of trials
 * that share what the memory learnt about it.
 */
function familyOfTasks(tasks: readonly string[], rows: Iterable<OutcomeRow>): string[] {
  const index = new Map(tasks.map((t, k) => [t, k]));
  const out: Array<string | undefined> = new Array<string | undefined>(tasks.length);
  const conflict = new Set<number>();
  for (const row of rows) {
    if (!counts(row)) continue;
    const k = index.get(row.task);
    if (k === undefined) continue;
    const key = stratumKey(row) ?? '';
    if (out[k] === undefined) out[k] = key;
    else if (out[k] !== key) conflict.add(k);
  }
  return tasks.map((_, k) => (conflict.has(k) ? '' : (out[k] ?? '')));
}

/** How the blocks of the two-way variance were formed and resampled. */
interface BlockPlan {
  /** Block key of a pair: its replicate and its task's family. */
  keyOf: (p: OutcomePair) => string;
  /** Stratum of a block (its family when tasks are stratified by family; one stratum when pooled). */
  stratumOf: (p: OutcomePair) => string;
  pooled: boolean;
}

/**
 * True when the memory's luck can be estimated: two or more replicates in every block stratum (every
 * family when blocks are resampled within families; the run when pooled).
 */
function replicatedInEveryStratum(pairs: readonly OutcomePair[], plan: BlockPlan): boolean {
  // Pooled blocks need two of them: two replicates, or (one replicate) two families, whose blocks then
  // carry what that replicate's memory learnt about each family.
  if (plan.pooled) return new Set(pairs.map(plan.keyOf)).size >= 2;
  const seen = new Map<string, Set<number>>();
  for (const p of pairs) {
    const key = plan.stratumOf(p);
    const reps = seen.get(key);
    if (reps) reps.add(p.replicate);
    else seen.set(key, new Set([p.replicate]));
  }
  return [...seen.values()].every((reps) => reps.size >= 2);
}

/** Builds a table of clusters keyed by `keyOf`, numbered in sorted key order so that row order never matters. */
function clusterTable(
  pairs: readonly OutcomePair[],
  keyOf: (p: OutcomePair) => string,
  stratumOf: (p: OutcomePair) => string,
  cellOf: (session: number) => number,
  C: number,
): { table: Table; strata: StrataGroups } {
  const stratumByKey = new Map<string, string>();
  for (const p of pairs) stratumByKey.set(keyOf(p), stratumOf(p));
  const keys = [...stratumByKey.keys()].sort();
  const index = new Map(keys.map((key, k) => [key, k]));
  const units = pairs.map((p) => ({ k: index.get(keyOf(p))!, c: cellOf(p.session), na: 1, sa: p.a ? 1 : 0, nb: 1, sb: p.b ? 1 : 0 }));
  return { table: buildTable(keys.length, C, units), strata: groupIndices(keys.length, (k) => stratumByKey.get(keys[k]!)!) };
}

/**
 * The two-way (task, block) variance of docs/statistics.md and the stretch it asks of the task
 * bootstrap: sqrt(V / V_task) when above 1, else 1. `taskValues` are the task bootstrap's defined
 * replicates. Call only when replicatedInEveryStratum.
 *
 * Degrees of freedom: Welch-Satterthwaite over the three estimated terms, each counted with its own
 * df (clusters minus strata), df = V^2 / (V_task^2/df_task + V_block^2/df_block + V_cross^2/df_cross).
 * Counting the subtracted term's noise too leans to the cautious side (Satterthwaite is not exact for
 * a combination with a negative coefficient: Gaylor & Hopper, Technometrics 11, 1969); it calibrated
 * at 93-97% (docs/statistics.md). Blocks are (replicate, family) even when families pool, so the block
 * term rests on replicates x families blocks, not on 2 replicates.
 */
function twoWayInflation(
  pairs: readonly OutcomePair[],
  taskIndex: ReadonlyMap<string, number>,
  taskStrata: StrataGroups,
  taskStratum: Int32Array,
  blocksPlan: BlockPlan,
  cellOf: (session: number) => number,
  C: number,
  stat: Statistic,
  w: Float64Array,
  taskValues: Float64Array,
  opts: ResolvedOptions,
): { inflation: number; n_blocks: number; df: number } {
  const taskStratumOf = (p: OutcomePair): string => String(taskStratum[taskIndex.get(p.task)!]!).padStart(9, '0');
  // Blocks: (replicate, family); the intersection with tasks: (task, replicate), within the task's stratum.
  const blocks = clusterTable(pairs, blocksPlan.keyOf, blocksPlan.stratumOf, cellOf, C);
  const cross = clusterTable(pairs, (p) => `${p.task}\u0000${p.replicate}`, taskStratumOf, cellOf, C);
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
  if (!(Number.isFinite(v) && vTask > 0 && v > vTask && dfBlock > 0)) return { inflation: 1, n_blocks: blocks.table.K, df: dfTask };
  const df = (v * v) / (vTask ** 2 / dfTask + vBlock ** 2 / dfBlock + (dfCross > 0 ? vCross ** 2 / dfCross : 0));
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
  const none = {
    n_pairs,
    n_clusters: K,
    post_strata: 'none' as const,
    n_cells: 0,
    n_blocks: 0,
    inflation: 1,
    shared_state: 'none' as const,
    blocks_pooled: false,
    df: NaN,
  };
  if (n_pairs === 0) return { ...emptyResult(opts.confidence, 'percentile', ['no_data']), ...none, n_strata: 0 };

  const flags: BootstrapFlag[] = [];
  const plan = planStrata(tasks, [...a, ...b], opts.strata);
  const taskIndex = new Map(tasks.map((t, k) => [t, k]));
  const taskStratum = stratumOfTask(K, plan.groups);
  const twoWay = opts.sharedState === 'replicate-family' && K >= 2;
  const family = familyOfTasks(tasks, [...a, ...b]);
  const familyOf = (p: OutcomePair): string => family[taskIndex.get(p.task)!]!;
  // Blocks are resampled within their family when the tasks are; otherwise (families too small, and
  // so pooled for the tasks too) over the whole run, where one replicate's blocks are its families.
  // Family-stratified tasks with one replicate leave the memory's luck out (single_replicate): pooling
  // their blocks would count the families' fixed differences as luck.
  const withinFamily = plan.status === 'family';
  const blocksPlan: BlockPlan = {
    keyOf: (p) => `${familyOf(p)}\u0000${String(p.replicate).padStart(9, '0')}`,
    stratumOf: withinFamily ? familyOf : () => '',
    pooled: !withinFamily,
  };
  const replicated = twoWay && replicatedInEveryStratum(pairs, blocksPlan);
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
    shared = twoWayInflation(pairs, taskIndex, plan.groups, taskStratum, blocksPlan, cellOf, C, stat, w, values, opts);
    if (shared.inflation > 1 && Number.isFinite(estimate)) {
      for (let i = 0; i < values.length; i++) values[i] = estimate + shared.inflation * (values[i]! - estimate);
    }
  }
  // The t quantile's degrees of freedom: tasks minus strata, or fewer when the variance rests on few
  // tasks of one session (post-strata) or on few blocks (two-way); rounded down, at least 1.
  const dfCap = Math.min(shared.df ?? Infinity, cells.cellOf ? (cellDegreesOfFreedom(pairs, cellOf, w) ?? Infinity) : Infinity);
  const design: Design = {
    clusters: K,
    strata: plan.groups.length,
    ...(dfCap < K - plan.groups.length ? { df: Math.max(1, Math.floor(dfCap)) } : {}),
  };
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
    shared_state: replicated ? 'replicate-family' : 'none',
    blocks_pooled: replicated && blocksPlan.pooled,
    df: opts.method === 'expanded' && K >= 2 ? (design.df ?? K - plan.groups.length) : NaN,
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
  if (stat === ratio && result.rate_a === 0 && result.rate_b > 0) {
    // Zero baseline: every resample's ratio is infinite, yet the data bound it from below: the
    // treatment's lowest plausible rate over the baseline's highest (Wilson bounds on the pairs).
    const hiA = wilsonInterval(0, n_pairs, opts.confidence).hi;
    const loB = wilsonInterval(Math.round(result.rate_b * n_pairs), n_pairs, opts.confidence).lo;
    result.lo = loB / hiA;
    result.hi = Infinity;
  }
  return clampBounds(result, stat === ratio);
}

/** A difference of rates lies in [-1, 1] and a ratio in [0, ∞): stretched or widened bounds are clamped there. */
function clampBounds<T extends Pick<BootstrapResult, 'lo' | 'hi'>>(r: T, isRatio: boolean): T {
  if (isRatio) {
    if (r.lo < 0) r.lo = 0;
  } else {
    if (r.lo < -1) r.lo = -1;
    if (r.hi > 1) r.hi = 1;
  }
  return r;
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
  if (ta.trials === 0 || tb.trials === 0)
    return { ...emptyResult(opts.confidence, 'percentile', ['no_data']), ...sizes, n_strata_a: 0, n_strata_b: 0 };
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
  const jack = () => [
    ...byStratum(jackknife(ta.table, total, stat, ONE_CELL), pa.groups),
    ...byStratum(jackknife(tb.table, total, stat, ONE_CELL), pb.groups),
  ];
  // The expansion follows the arm with fewer degrees of freedom (clusters minus strata); without
  // strata, the arm with fewer clusters.
  const design =
    Ka - pa.groups.length <= Kb - pb.groups.length
      ? { clusters: Ka, strata: pa.groups.length }
      : { clusters: Kb, strata: pb.groups.length };
  const result = finish(reps.subarray(0, defined), estimate, total[1]! / total[0]!, total[3]! / total[2]!, design, jack, opts, flags);
  if (status === 'fallback') result.flags.push('strata_fallback');
  clampBounds(result, stat === ratio);
  return {
    ...result,
    strata: status === 'family' ? 'family' : 'none',
    ...sizes,
    n_strata_a: pa.groups.length,
    n_strata_b: pb.groups.length,
  };
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
export function pairedDifference(
  a: readonly OutcomeRow[],
  b: readonly OutcomeRow[],
  options: BootstrapOptions = {},
): PairedBootstrapResult {
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
export function unpairedDifference(
  a: readonly OutcomeRow[],
  b: readonly OutcomeRow[],
  options: BootstrapOptions = {},
): UnpairedBootstrapResult {
  return unpaired(a, b, difference, options);
}

/** rate(b) / rate(a), unpaired; zero baseline handled as in pairedRatio. */
export function unpairedRatio(a: readonly OutcomeRow[], b: readonly OutcomeRow[], options: BootstrapOptions = {}): UnpairedBootstrapResult {
  return unpaired(a, b, ratio, options);
}
