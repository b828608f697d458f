// Wilson score interval for a binomial proportion.
//
// E. B. Wilson, "Probable inference, the law of succession, and statistical inference",
// JASA 22 (1927) 209-212. Recommended over the Wald interval by Newcombe (1998) and by
// Brown, Cai & DasGupta (2001): its coverage stays close to nominal for small n and for
// rates near 0 or 1, where the Wald interval collapses.

import { normalQuantile } from './normal.js';

export interface Proportion {
  /** successes / n; NaN when n = 0. */
  rate: number;
  /** Lower bound of the interval, in [0, 1]. */
  lo: number;
  /** Upper bound of the interval, in [0, 1]. */
  hi: number;
}

/**
 * The Wilson score interval (without continuity correction) for `successes` out of `n`,
 * two-sided at `confidence` (default 0.95).
 *
 * With n = 0 nothing is known: the result is `{ rate: NaN, lo: 0, hi: 1 }`, the whole range, so a
 * caller never mistakes an empty cell for a measured 0%. Check `n` (or `Number.isNaN(rate)`)
 * before formatting.
 *
 * Throws a RangeError if n or successes is not a non-negative integer, if successes > n, or if
 * confidence is not strictly between 0 and 1.
 */
export function wilsonInterval(successes: number, n: number, confidence = 0.95): Proportion {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`wilsonInterval: n must be a non-negative integer, got ${n}`);
  if (!Number.isInteger(successes) || successes < 0 || successes > n) {
    throw new RangeError(`wilsonInterval: successes must be an integer in [0, n=${n}], got ${successes}`);
  }
  if (!(confidence > 0 && confidence < 1)) {
    throw new RangeError(`wilsonInterval: confidence must be in (0, 1), got ${confidence}`);
  }
  if (n === 0) return { rate: NaN, lo: 0, hi: 1 };

  const z = normalQuantile(1 - (1 - confidence) / 2);
  const z2 = z * z;
  const p = successes / n;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  // At the edges the bounds are exactly 0 and 1; pin them so rounding never gives -1e-17.
  const lo = successes === 0 ? 0 : Math.max(0, centre - half);
  const hi = successes === n ? 1 : Math.min(1, centre + half);
  return { rate: p, lo, hi };
}
