// Student's t distribution with an integer number of degrees of freedom: CDF and quantile.

import { normalQuantile } from './normal.js';

function checkDf(df: number): void {
  if (!Number.isInteger(df) || df < 1) throw new RangeError(`student: df must be a positive integer, got ${df}`);
}

/**
 * P(T <= t) for T ~ t(df), df a positive integer, by the finite series of Abramowitz & Stegun,
 * "Handbook of Mathematical Functions" (1964), 26.7.3 (df odd) and 26.7.4 (df even), in
 * theta = atan(t / sqrt(df)). Costs O(df).
 */
export function studentCdf(t: number, df: number): number {
  checkDf(df);
  if (Number.isNaN(t)) return NaN;
  if (t === Infinity) return 1;
  if (t === -Infinity) return 0;
  const theta = Math.atan(Math.abs(t) / Math.sqrt(df));
  const s = Math.sin(theta);
  const c2 = Math.cos(theta) ** 2;
  // A = P(|T| <= |t|).
  let A: number;
  if (df % 2 === 1) {
    let sum = 0;
    if (df > 1) {
      let term = Math.cos(theta);
      sum = term;
      for (let k = 3; k <= df - 2; k += 2) {
        term *= (c2 * (k - 1)) / k;
        sum += term;
      }
    }
    A = (2 / Math.PI) * (theta + s * sum);
  } else {
    let term = 1;
    let sum = 1;
    for (let k = 2; k <= df - 2; k += 2) {
      term *= (c2 * (k - 1)) / k;
      sum += term;
    }
    A = s * sum;
  }
  A = Math.min(1, A);
  return t >= 0 ? (1 + A) / 2 : (1 - A) / 2;
}

/**
 * The p-quantile of t(df), df a positive integer. Closed forms for df 1 and 2; otherwise the
 * Cornish-Fisher expansion (A&S 26.7.5) as a start, refined by bisection on studentCdf to about
 * 1e-12 (for df >= 100,000 the expansion alone, whose next term is below 1e-20 there).
 */
export function studentQuantile(p: number, df: number): number {
  checkDf(df);
  if (Number.isNaN(p) || p < 0 || p > 1) return NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p === 0.5) return 0;
  if (p < 0.5) return -studentQuantile(1 - p, df);
  if (df === 1) return Math.tan(Math.PI * (p - 0.5));
  if (df === 2) return (2 * p - 1) / Math.sqrt(2 * p * (1 - p));

  const z = normalQuantile(p);
  const z2 = z * z;
  const g1 = (z2 * z + z) / 4;
  const g2 = (((5 * z2 + 16) * z2 + 3) * z) / 96;
  const g3 = ((((3 * z2 + 19) * z2 + 17) * z2 - 15) * z) / 384;
  const g4 = (((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945) * z) / 92160;
  const cf = z + g1 / df + g2 / df ** 2 + g3 / df ** 3 + g4 / df ** 4;
  if (df >= 100_000) return cf;

  // Bracket around the expansion, then bisect.
  let lo = z;
  let hi = Math.max(cf, z) * 1.1 + 0.1;
  while (studentCdf(hi, df) < p) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-13 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (studentCdf(mid, df) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}
