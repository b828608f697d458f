// Learning curves: completion rate per session, its slope over sessions and the area under it.

import { expandedLevel, quantileSorted, type BootstrapOptions } from './bootstrap.js';
import { counts, type OutcomeRow } from './rows.js';
import { wilsonInterval } from './wilson.js';
import { rngFrom } from '../core/rng.js';

export interface CurvePoint {
  session: number;
  /** Trials counted in this session (infra failures left out). */
  n: number;
  successes: number;
  /** successes / n, with its Wilson interval lo..hi. */
  rate: number;
  lo: number;
  hi: number;
}

export interface LearningCurve {
  arm: string;
  /** One point per session with at least one counted trial, by session ascending. */
  points: CurvePoint[];
}

/** The completion rate per session of one arm's rows (the arm field is not looked at). */
export function learningCurve(rows: readonly OutcomeRow[], confidence = 0.95): CurvePoint[] {
  const bySession = new Map<number, [number, number]>();
  for (const row of rows) {
    if (!counts(row)) continue;
    const t = bySession.get(row.session) ?? [0, 0];
    t[0] += row.success ? 1 : 0;
    t[1] += 1;
    bySession.set(row.session, t);
  }
  return [...bySession.entries()]
    .sort((x, y) => x[0] - y[0])
    .map(([session, [successes, n]]) => ({ session, n, successes, ...wilsonInterval(successes, n, confidence) }));
}

/** Learning curves of every arm in `rows` (by their arm field; missing arm = ''), arms in order of first appearance. */
export function learningCurves(rows: readonly OutcomeRow[], confidence = 0.95): LearningCurve[] {
  const byArm = new Map<string, OutcomeRow[]>();
  for (const row of rows) {
    const arm = row.arm ?? '';
    const list = byArm.get(arm);
    if (list) list.push(row);
    else byArm.set(arm, [row]);
  }
  return [...byArm.entries()].map(([arm, armRows]) => ({ arm, points: learningCurve(armRows, confidence) }));
}

/**
 * Area under the learning curve, normalized: the trapezoid rule over the sessions given (in any
 * order), divided by the session span, so a curve constant at r has area r and the result is in
 * [0, 1] for rates in [0, 1]. One point: its rate. No points: NaN. Sessions with no trials should be
 * left out (the trapezoid then interpolates across them).
 */
export function areaUnderCurve(points: ReadonlyArray<{ session: number; rate: number }>): number {
  if (points.length === 0) return NaN;
  const sorted = [...points].sort((a, b) => a.session - b.session);
  const first = sorted[0]!;
  const last = sorted[sorted.length - 1]!;
  if (last.session === first.session) return sorted.reduce((s, p) => s + p.rate, 0) / sorted.length;
  let area = 0;
  for (let i = 1; i < sorted.length; i++) {
    const p = sorted[i - 1]!;
    const q = sorted[i]!;
    area += ((q.session - p.session) * (p.rate + q.rate)) / 2;
  }
  return area / (last.session - first.session);
}

/**
 * Slope of the completion rate per session: the least-squares line through the trials' outcomes
 * (1 = success) against their session, i.e. the session rates weighted by their trial counts.
 * NaN with fewer than two distinct sessions.
 */
export function curveSlope(points: ReadonlyArray<{ session: number; n: number; successes: number }>): number {
  let N = 0;
  let Sx = 0;
  let Sxx = 0;
  let Sy = 0;
  let Sxy = 0;
  for (const p of points) {
    N += p.n;
    Sx += p.n * p.session;
    Sxx += p.n * p.session * p.session;
    Sy += p.successes;
    Sxy += p.successes * p.session;
  }
  return slopeFromSums(N, Sx, Sxx, Sy, Sxy);
}

function slopeFromSums(N: number, Sx: number, Sxx: number, Sy: number, Sxy: number): number {
  if (N === 0) return NaN;
  const sxx = Sxx - (Sx * Sx) / N;
  // Relative tolerance: with one distinct session sxx is 0 up to rounding.
  if (!(sxx > 1e-12 * Math.max(1, Sxx))) return NaN;
  return (Sxy - (Sx * Sy) / N) / sxx;
}

export interface Interval {
  estimate: number;
  lo: number;
  hi: number;
}

export interface CurveTrend {
  /** Change in completion rate per session (OLS on trials), with a bootstrap percentile interval. */
  slope: Interval;
  /** Normalized area under the learning curve, with a bootstrap percentile interval. */
  auc: Interval;
  /** Trials counted. */
  n: number;
  /** Distinct sessions. */
  sessions: number;
  /** Clusters resampled. */
  n_clusters: number;
  B: number;
  confidence: number;
  /** 'single_cluster': one cluster only, bounds NaN; 'single_session': slope NaN; 'no_data'. */
  flags: Array<'no_data' | 'single_cluster' | 'single_session'>;
}

/**
 * Slope and area under the curve of one arm's learning curve, with percentile intervals from a
 * bootstrap that resamples clusters: tasks by default (a task is hard in every session), or
 * replicates (each replicate is one independent learning trajectory). Seeded like the arm
 * comparisons. `method` 'expanded' reads the replicates at Hesterberg's expanded levels (see
 * bootstrap.ts), for few clusters. Each resample costs O(clusters x sessions).
 */
export function learningCurveTrend(
  rows: readonly OutcomeRow[],
  options: Omit<BootstrapOptions, 'method'> & { method?: 'percentile' | 'expanded'; cluster?: 'task' | 'replicate' } = {},
): CurveTrend {
  const B = options.B ?? 2000;
  const confidence = options.confidence ?? 0.95;
  if (!Number.isInteger(B) || B < 1) throw new RangeError(`learningCurveTrend: B must be a positive integer, got ${B}`);
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`learningCurveTrend: confidence must be in (0, 1), got ${confidence}`);
  const clusterOf = options.cluster === 'replicate' ? (r: OutcomeRow) => String(r.replicate) : (r: OutcomeRow) => r.task;

  const kept = rows.filter(counts);
  const sessions = [...new Set(kept.map((r) => r.session))].sort((a, b) => a - b);
  const sessionIndex = new Map(sessions.map((s, i) => [s, i]));
  const clusterNames = [...new Set(kept.map(clusterOf))].sort();
  const clusterIndex = new Map(clusterNames.map((c, i) => [c, i]));
  const S = sessions.length;
  const K = clusterNames.length;
  // succ[k * S + s], tot[k * S + s]: successes and trials of cluster k in session s.
  const succ = new Float64Array(K * S);
  const tot = new Float64Array(K * S);
  for (const r of kept) {
    const i = clusterIndex.get(clusterOf(r))! * S + sessionIndex.get(r.session)!;
    tot[i]! += 1;
    if (r.success) succ[i]! += 1;
  }

  const flags: CurveTrend['flags'] = [];
  const statistics = (ss: Float64Array, ts: Float64Array): [number, number] => {
    let N = 0,
      Sx = 0,
      Sxx = 0,
      Sy = 0,
      Sxy = 0;
    const pts: Array<{ session: number; rate: number }> = [];
    for (let s = 0; s < S; s++) {
      const n = ts[s]!;
      if (n === 0) continue;
      const x = sessions[s]!;
      N += n;
      Sx += n * x;
      Sxx += n * x * x;
      Sy += ss[s]!;
      Sxy += ss[s]! * x;
      pts.push({ session: x, rate: ss[s]! / n });
    }
    return [slopeFromSums(N, Sx, Sxx, Sy, Sxy), areaUnderCurve(pts)];
  };

  const totS = new Float64Array(S);
  const totN = new Float64Array(S);
  for (let k = 0; k < K; k++) {
    for (let s = 0; s < S; s++) {
      totS[s]! += succ[k * S + s]!;
      totN[s]! += tot[k * S + s]!;
    }
  }
  const [slope, auc] = statistics(totS, totN);
  const base = { n: kept.length, sessions: S, n_clusters: K, confidence };
  if (kept.length === 0) {
    return { slope: { estimate: NaN, lo: NaN, hi: NaN }, auc: { estimate: NaN, lo: NaN, hi: NaN }, ...base, B: 0, flags: ['no_data'] };
  }
  if (S < 2) flags.push('single_session');
  if (K < 2) {
    flags.push('single_cluster');
    return { slope: { estimate: slope, lo: NaN, hi: NaN }, auc: { estimate: auc, lo: NaN, hi: NaN }, ...base, B: 0, flags };
  }

  const rng = rngFrom(`curve\u0000${String(options.seed ?? 0)}`);
  const slopes: number[] = [];
  const aucs: number[] = [];
  const rs = new Float64Array(S);
  const rn = new Float64Array(S);
  for (let b = 0; b < B; b++) {
    rs.fill(0);
    rn.fill(0);
    for (let j = 0; j < K; j++) {
      const off = Math.floor(rng.next() * K) * S;
      for (let s = 0; s < S; s++) {
        rs[s]! += succ[off + s]!;
        rn[s]! += tot[off + s]!;
      }
    }
    const [sl, au] = statistics(rs, rn);
    if (!Number.isNaN(sl)) slopes.push(sl);
    if (!Number.isNaN(au)) aucs.push(au);
  }
  const alpha = options.method === 'expanded' ? expandedLevel(confidence, K) : (1 - confidence) / 2;
  const interval = (estimate: number, values: number[]): Interval => {
    if (Number.isNaN(estimate) || values.length === 0) return { estimate, lo: NaN, hi: NaN };
    const sorted = Float64Array.from(values).sort();
    return { estimate, lo: quantileSorted(sorted, alpha), hi: quantileSorted(sorted, 1 - alpha) };
  };
  return { slope: interval(slope, slopes), auc: interval(auc, aucs), ...base, B, flags };
}
