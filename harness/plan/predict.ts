// Prediction intervals for the total of the trials a run has not made yet, from the trials a pilot
// made. Two models, and the forecast is the hull of both:
//   flat:  every future trial is another draw like the pilot's: the sum of N future values has
//          variance s^2 (N + N^2 / n) around N * mean (the future draws' own spread plus the
//          uncertainty of the mean), t quantile with n - 1 df;
//   trend: values drift linearly with the session (memory grows, so do prompts): the sum over the
//          future sessions of a least-squares line, with the regression's prediction variance
//          s^2 [N + N^2 (1/n + (sbar_f - sbar)^2 / Sxx)] (Draper & Smith, Applied Regression
//          Analysis, 3rd ed., 1998, section 3.3, summed over N new points), t with n - 2 df.
// The trend model needs a pilot over two or more sessions; a drift it cannot see (a pilot of one
// session) is the main way a forecast misses, and the forecast says so.

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

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

/** Flat model: total of `future` more trials, at `level` (two-sided). */
function flatTotal(values: readonly number[], future: number, level: number): Interval {
  const n = values.length;
  const m = mean(values);
  if (n < 2 || future === 0) return { estimate: future * m, lo: future * m, hi: future * m };
  const s2 = values.reduce((acc, v) => acc + (v - m) ** 2, 0) / (n - 1);
  const half = studentQuantile(1 - (1 - level) / 2, n - 1) * Math.sqrt(s2 * (future + (future * future) / n));
  return { estimate: future * m, lo: future * m - half, hi: future * m + half };
}

/** Trend model over sessions: total at the given future sessions (one entry per future trial). */
function trendTotal(obs: readonly Observation[], futureSessions: readonly number[], level: number): Interval | undefined {
  const n = obs.length;
  const sessions = new Set(obs.map((o) => o.session));
  if (n < 4 || sessions.size < 2 || futureSessions.length === 0) return undefined;
  const sbar = mean(obs.map((o) => o.session));
  const ybar = mean(obs.map((o) => o.value));
  const sxx = obs.reduce((acc, o) => acc + (o.session - sbar) ** 2, 0);
  const b = obs.reduce((acc, o) => acc + (o.session - sbar) * (o.value - ybar), 0) / sxx;
  const a = ybar - b * sbar;
  const s2 = obs.reduce((acc, o) => acc + (o.value - a - b * o.session) ** 2, 0) / (n - 2);
  const N = futureSessions.length;
  const fbar = mean(futureSessions);
  const estimate = N * (a + b * fbar);
  const half = studentQuantile(1 - (1 - level) / 2, n - 2) * Math.sqrt(s2 * (N + N * N * (1 / n + (fbar - sbar) ** 2 / sxx)));
  return { estimate, lo: estimate - half, hi: estimate + half };
}

/**
 * The total over the whole run: what the pilot observed plus the prediction for the rest, as the
 * hull of the flat and trend models (estimate: the trend's when it exists, else the flat one's),
 * never below what was already observed nor below zero.
 */
export function predictTotal(
  pilot: readonly Observation[],
  futureSessions: readonly number[],
  level = 0.9,
): Interval & { model: 'flat' | 'flat+trend' } {
  const observed = pilot.reduce((acc, o) => acc + o.value, 0);
  const flat = flatTotal(
    pilot.map((o) => o.value),
    futureSessions.length,
    level,
  );
  const trend = trendTotal(pilot, futureSessions, level);
  const lo = Math.max(0, Math.min(flat.lo, trend?.lo ?? Infinity));
  const hi = Math.max(flat.hi, trend?.hi ?? -Infinity);
  const estimate = Math.max(0, trend?.estimate ?? flat.estimate);
  return { estimate: observed + estimate, lo: observed + lo, hi: observed + Math.max(hi, estimate), model: trend ? 'flat+trend' : 'flat' };
}
