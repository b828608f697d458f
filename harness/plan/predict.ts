// Prediction intervals for the total of the trials a run has not made yet, from the trials a pilot
// made. Each replicate's first session is a regime of its own: memory arms start it blank and only
// carry memory from the second session on, so its trials say little about later ones (they cost
// more while nothing is learnt, then less). The model therefore has two independent parts:
//   first sessions: future first-session trials are draws like the pilot's first session: the sum
//          of N values has variance s^2 (N + N^2 / n) around N * mean (the draws' own spread plus
//          the uncertainty of the mean), t quantile with n - 1 df;
//   later sessions: two scenarios the pilot cannot tell apart, and the interval spans both: memory
//          that keeps growing (a least-squares line over the pilot's later sessions, with the
//          regression's prediction variance of a sum of N new points
//          s^2 [N + N^2 (1/n + (sbar_f - sbar)^2 / Sxx)], Draper & Smith, Applied Regression
//          Analysis, 3rd ed., 1998, section 3.3, t with n - 2 df) and memory that stays bounded
//          (curation: flat at the last pilot session's level). It needs two later sessions; with one,
//          flat as above (growth past it is not forecast, and the forecast says so).
// The parts' errors are independent (disjoint trials), so their half-widths add in quadrature.
// A pilot of the first session alone predicts later sessions from it (flat): the weakest case.

import { studentQuantile } from '../stats/student.js';

export interface Interval {
  estimate: number;
  lo: number;
  hi: number;
}

export interface Observation {
  session: number;
  value: number;
}

/** How the later sessions were predicted: flat, a per-session trend, or from first-session trials only. */
export type PredictionModel = 'flat' | 'flat+trend' | 'first-session';

interface Part {
  estimate: number;
  half: number;
  /** Extra room on either side when the part spans two scenarios (beyond its own half-width). */
  below?: number;
  above?: number;
}

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
const tq = (level: number, df: number): number => studentQuantile(1 - (1 - level) / 2, df);

/** Flat model: total of `future` more draws like `values`. */
function flatPart(values: readonly number[], future: number, level: number): Part {
  const n = values.length;
  const m = mean(values);
  if (n < 2 || future === 0) return { estimate: future * m, half: 0 };
  const s2 = values.reduce((acc, v) => acc + (v - m) ** 2, 0) / (n - 1);
  return { estimate: future * m, half: tq(level, n - 1) * Math.sqrt(s2 * (future + (future * future) / n)) };
}

/** Trend model over sessions: total at the given future sessions (one entry per future trial). */
function trendPart(obs: readonly Observation[], futureSessions: readonly number[], level: number): Part | undefined {
  const n = obs.length;
  if (n < 4 || new Set(obs.map((o) => o.session)).size < 2 || futureSessions.length === 0) return undefined;
  const sbar = mean(obs.map((o) => o.session));
  const ybar = mean(obs.map((o) => o.value));
  const sxx = obs.reduce((acc, o) => acc + (o.session - sbar) ** 2, 0);
  const b = obs.reduce((acc, o) => acc + (o.session - sbar) * (o.value - ybar), 0) / sxx;
  const a = ybar - b * sbar;
  const s2 = obs.reduce((acc, o) => acc + (o.value - a - b * o.session) ** 2, 0) / (n - 2);
  const N = futureSessions.length;
  const fbar = mean(futureSessions);
  const half = tq(level, n - 2) * Math.sqrt(s2 * (N + N * N * (1 / n + (fbar - sbar) ** 2 / sxx)));
  return { estimate: N * (a + b * fbar), half };
}

/** Flat at the level of the pilot's last session: memory that curation keeps bounded. */
function plateauPart(obs: readonly Observation[], future: number, level: number): Part {
  const last = Math.max(...obs.map((o) => o.session));
  return flatPart(
    obs.filter((o) => o.session === last).map((o) => o.value),
    future,
    level,
  );
}

/** The trend's estimate, with room to reach the plateau's when it lies on the other side. */
function spanScenarios(trend: Part, plateau: Part): Part {
  return {
    estimate: trend.estimate,
    half: Math.max(trend.half, plateau.half),
    below: Math.max(0, trend.estimate - plateau.estimate),
    above: Math.max(0, plateau.estimate - trend.estimate),
  };
}

/**
 * The total over the whole run: what the pilot observed (when its trials are the run's) plus the
 * prediction for the rest (first sessions and later sessions apart), never below what was observed.
 */
export function predictTotal(
  pilot: readonly Observation[],
  futureSessions: readonly number[],
  level = 0.9,
  /** Whether the pilot's trials are part of the run (a pilot in the run's own directory) or only data (`--from`). */
  pilotInRun = true,
): Interval & { model: PredictionModel } {
  const observed = pilotInRun ? pilot.reduce((acc, o) => acc + o.value, 0) : 0;
  const firstObs = pilot.filter((o) => o.session === 1);
  const laterObs = pilot.filter((o) => o.session !== 1);
  const futureFirst = futureSessions.filter((s) => s === 1).length;
  const futureLater = futureSessions.filter((s) => s !== 1);
  // With no later session seen (or no first session), the one regime the pilot saw stands for both.
  const firstBasis = firstObs.length ? firstObs : laterObs;
  const laterBasis = laterObs.length ? laterObs : firstObs;
  const first = flatPart(
    firstBasis.map((o) => o.value),
    futureFirst,
    level,
  );
  const trend = laterObs.length ? trendPart(laterObs, futureLater, level) : undefined;
  const later = trend
    ? spanScenarios(trend, plateauPart(laterObs, futureLater.length, level))
    : flatPart(
        laterBasis.map((o) => o.value),
        futureLater.length,
        level,
      );
  const estimate = Math.max(0, first.estimate + later.estimate);
  const half = Math.sqrt(first.half ** 2 + later.half ** 2);
  const model: PredictionModel = trend ? 'flat+trend' : laterObs.length || futureLater.length === 0 ? 'flat' : 'first-session';
  return {
    estimate: observed + estimate,
    lo: observed + Math.max(0, estimate - (later.below ?? 0) - half),
    hi: observed + Math.max(0, estimate + (later.above ?? 0) + half),
    model,
  };
}
