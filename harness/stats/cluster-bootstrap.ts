// Paired, task-clustered bootstrap for the report's measures that are not completion rates: the
// relative change in mean time (turns, tokens, wall time) between two arms, and the difference in
// mean pass@k over tasks. The completion-rate comparisons use harness/stats (pairedDifference,
// pairedRatio); this follows the same design (resample tasks with all their pairs, the expanded
// percentile interval of harness/stats, seeded) for statistics harness/stats does not cover.
// When every resample gives the estimate (every task shows the same difference), the interval is
// widened as the paired bootstrap's is: the estimate ± the Wilson bound over the tasks, never a point.

import { expandedLevel, quantileSorted } from './bootstrap.js';
import { rngFrom } from '../core/rng.js';
import { wilsonInterval } from './wilson.js';

/** One cluster (task): its totals in arm a and arm b, and its weight (pairs, or 1 per task). */
export interface Cluster {
  a: number;
  b: number;
  w: number;
}

export interface ClusterInterval {
  estimate: number;
  lo: number;
  hi: number;
  /** Bootstrap standard error (standard deviation of the defined replicates). */
  se: number;
  n_clusters: number;
  B: number;
  /** The resampling saw no spread and the interval was widened by the Wilson bound over the tasks. */
  widened: boolean;
}

export interface ClusterBootstrapOptions {
  seed?: string | number;
  B?: number;
  confidence?: number;
  /** The range the statistic can take (e.g. [-1, 1] for a difference of rates): bounds are clamped to it. */
  bounds?: readonly [number, number];
}

/** stat(sum of a, sum of b, sum of weights) over the clusters drawn. */
export type ClusterStatistic = (a: number, b: number, w: number) => number;

/** b / a - 1: the relative change of the mean from arm a to arm b (paired, so the counts cancel). */
export const relativeChange: ClusterStatistic = (a, b) => (a > 0 ? b / a - 1 : NaN);
/** (b - a) / w: the difference of the means per unit of weight. */
export const meanDifference: ClusterStatistic = (a, b, w) => (w > 0 ? (b - a) / w : NaN);

export function clusterBootstrap(
  clusters: readonly Cluster[],
  stat: ClusterStatistic,
  options: ClusterBootstrapOptions = {},
): ClusterInterval {
  const B = options.B ?? 2000;
  const confidence = options.confidence ?? 0.95;
  const K = clusters.length;
  let A = 0;
  let Bs = 0;
  let W = 0;
  for (const c of clusters) {
    A += c.a;
    Bs += c.b;
    W += c.w;
  }
  const estimate = K > 0 ? stat(A, Bs, W) : NaN;
  if (K < 2) return { estimate, lo: NaN, hi: NaN, se: NaN, n_clusters: K, B: 0, widened: false };
  const rng = rngFrom(`cluster-bootstrap\u0000${String(options.seed ?? 0)}`);
  const values = new Float64Array(B);
  let defined = 0;
  for (let r = 0; r < B; r++) {
    let a = 0;
    let b = 0;
    let w = 0;
    for (let j = 0; j < K; j++) {
      const c = clusters[Math.floor(rng.next() * K)]!;
      a += c.a;
      b += c.b;
      w += c.w;
    }
    const v = stat(a, b, w);
    if (Number.isFinite(v)) values[defined++] = v;
  }
  const sorted = values.subarray(0, defined).sort();
  // The expanded percentile interval (Hesterberg 2015): wider levels with few clusters.
  const alpha = expandedLevel(confidence, K);
  let mean = 0;
  for (const v of sorted) mean += v;
  mean /= Math.max(1, defined);
  let ss = 0;
  for (const v of sorted) ss += (v - mean) ** 2;
  const se = defined > 1 ? Math.sqrt(ss / (defined - 1)) : NaN;
  let lo = quantileSorted(sorted, alpha);
  let hi = quantileSorted(sorted, 1 - alpha);
  const widened = se === 0 && Number.isFinite(estimate);
  if (widened) {
    const w = wilsonInterval(0, K, confidence).hi;
    lo = estimate - w;
    hi = estimate + w;
  }
  const [min, max] = options.bounds ?? [-Infinity, Infinity];
  return { estimate, lo: Math.max(min, lo), hi: Math.min(max, hi), se, n_clusters: K, B, widened };
}
