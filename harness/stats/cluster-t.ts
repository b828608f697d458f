// Task-clustered comparisons of two runs, in closed form: the analytic counterpart of the clustered
// bootstrap in harness/stats (resampling tasks; Hesterberg's expanded percentile interval, which is
// built to match a t interval on n - 1 degrees of freedom). `dreambench compare` needs one-sided
// p-values for a Holm correction, for many comparisons and fast (CI, and the false-positive check
// over hundreds of run pairs), so it uses these; the bootstrap interval is computed alongside as a
// cross-check (compare.ts) and the two agree closely (cluster-t.test.ts).
//
// A measure is a ratio of totals over tasks (clusters) k = 1..K: rate = sum y_k / sum n_k, with y_k
// the task's successes (or cost, tokens, milliseconds) and n_k its trials. Trials of one task are
// correlated (a hard task is hard every time), so the variance comes from the spread between tasks:
// the cluster-robust (CR1) linearisation
//
//     var = K / (K - 1) * sum_k (y_k - rate * n_k)^2 / N^2,     N = sum_k n_k,
//
// (Cameron & Miller, "A practitioner's guide to cluster-robust inference", J. Human Resources 50,
// 2015), with Student t on K - 1 degrees of freedom.
//
// Paired (the runs share tasks, seeds and schedule): each task contributes d_k = sum over its paired
// units of (candidate - baseline); delta = sum d_k / N, same variance formula on d_k. Unpaired: the
// two runs' variances add, with Welch-Satterthwaite degrees of freedom from each side's K - 1.

import { studentCdf, studentQuantile } from './student.js';

/** One task's totals on one side. */
export interface ClusterTotal {
  /** Sum of the measure (successes, USD, tokens, ms). */
  y: number;
  /** Trials. */
  n: number;
}

/** One task's totals over its paired units. */
export interface PairedClusterTotal {
  /** Baseline sum over the paired units. */
  a: number;
  /** Candidate sum over the same units. */
  b: number;
  /** Paired units. */
  n: number;
}

export interface MeanEstimate {
  mean: number;
  /** Cluster-robust standard error of the mean; NaN with fewer than 2 tasks. */
  se: number;
  /** Trials. */
  n: number;
  /** Tasks (clusters). */
  k: number;
}

export interface DifferenceEstimate {
  /** candidate - baseline. */
  delta: number;
  /** Mean on each side over what was compared (pairs, or each side's trials). */
  baseline: number;
  candidate: number;
  se: number;
  /** Degrees of freedom of the t reference (NaN when the spread is unknown). */
  df: number;
  /** Paired units, or trials per side. */
  n_baseline: number;
  n_candidate: number;
  /** Tasks: shared tasks (paired) or the smaller side's (unpaired). */
  k: number;
}

/** Mean of a measure over tasks with its cluster-robust standard error. */
export function clusterMean(clusters: readonly ClusterTotal[]): MeanEstimate {
  let Y = 0;
  let N = 0;
  for (const c of clusters) {
    Y += c.y;
    N += c.n;
  }
  const K = clusters.filter((c) => c.n > 0).length;
  if (N === 0) return { mean: NaN, se: NaN, n: 0, k: 0 };
  const mean = Y / N;
  if (K < 2) return { mean, se: NaN, n: N, k: K };
  let ss = 0;
  for (const c of clusters) ss += (c.y - mean * c.n) ** 2;
  return { mean, se: Math.sqrt((K / (K - 1)) * ss) / N, n: N, k: K };
}

/** candidate - baseline over paired units, clustered by task. */
export function pairedClusterDifference(clusters: readonly PairedClusterTotal[]): DifferenceEstimate {
  let A = 0;
  let B = 0;
  let N = 0;
  for (const c of clusters) {
    A += c.a;
    B += c.b;
    N += c.n;
  }
  const K = clusters.filter((c) => c.n > 0).length;
  if (N === 0) return { delta: NaN, baseline: NaN, candidate: NaN, se: NaN, df: NaN, n_baseline: 0, n_candidate: 0, k: 0 };
  const delta = (B - A) / N;
  let se = NaN;
  if (K >= 2) {
    let ss = 0;
    for (const c of clusters) ss += (c.b - c.a - delta * c.n) ** 2;
    se = Math.sqrt((K / (K - 1)) * ss) / N;
  }
  return { delta, baseline: A / N, candidate: B / N, se, df: K >= 2 ? K - 1 : NaN, n_baseline: N, n_candidate: N, k: K };
}

/** candidate - baseline for two independent sets of tasks' trials (Welch-Satterthwaite df). */
export function unpairedClusterDifference(baseline: MeanEstimate, candidate: MeanEstimate): DifferenceEstimate {
  const delta = candidate.mean - baseline.mean;
  const va = baseline.se ** 2;
  const vb = candidate.se ** 2;
  const se = Math.sqrt(va + vb);
  let df = NaN;
  if (baseline.k >= 2 && candidate.k >= 2) {
    const den = (va * va) / (baseline.k - 1) + (vb * vb) / (candidate.k - 1);
    df = den > 0 ? ((va + vb) * (va + vb)) / den : Math.min(baseline.k, candidate.k) - 1;
  }
  return {
    delta,
    baseline: baseline.mean,
    candidate: candidate.mean,
    se,
    df,
    n_baseline: baseline.n,
    n_candidate: candidate.n,
    k: Math.min(baseline.k, candidate.k),
  };
}

/** harness/stats' t distribution takes integer df: Welch's fractional df is rounded down (conservative). */
function integerDf(df: number): number {
  return Math.max(1, Math.floor(df + 1e-9));
}

/**
 * One-sided p-value for "the candidate is lower" (H0: delta >= 0 against H1: delta < 0):
 * P(T_df <= delta / se). A zero spread gives 0 for a negative delta and 1 otherwise; an unknown
 * spread (NaN df or se) gives NaN, which never counts as significant.
 */
export function pLower(d: Pick<DifferenceEstimate, 'delta' | 'se' | 'df'>): number {
  if (!Number.isFinite(d.delta) || Number.isNaN(d.se) || Number.isNaN(d.df) || d.df < 1) return NaN;
  if (d.se === 0) return d.delta < 0 ? 0 : 1;
  return studentCdf(d.delta / d.se, integerDf(d.df));
}

/** Two-sided t interval for delta at `confidence`; NaN bounds when the spread is unknown. */
export function tInterval(d: Pick<DifferenceEstimate, 'delta' | 'se' | 'df'>, confidence: number): { lo: number; hi: number } {
  if (!Number.isFinite(d.delta) || Number.isNaN(d.se) || Number.isNaN(d.df) || d.df < 1) return { lo: NaN, hi: NaN };
  if (d.se === 0) return { lo: d.delta, hi: d.delta };
  const t = studentQuantile(1 - (1 - confidence) / 2, integerDf(d.df));
  return { lo: d.delta - t * d.se, hi: d.delta + t * d.se };
}
