// McNemar's test for paired pass/fail outcomes.
//
// Only discordant pairs carry information: b = pairs where arm a passed and arm b failed, c = pairs
// where a failed and b passed. Under the null hypothesis (equal completion rates) each discordant
// pair is equally likely to go either way, so given n = b + c, X = b ~ Binomial(n, 1/2).
//
// - exact conditional p: min(1, 2 * P(X <= min(b, c)))
// - mid-p: 2 * [P(X <= min(b, c)) - P(X = min(b, c)) / 2], recommended by Fagerland, Lydersen &
//   Laake, "The McNemar test for binary matched-pairs data: mid-p and asymptotic are better than
//   exact conditional", BMC Medical Research Methodology 13:91 (2013): the exact test is
//   conservative, the mid-p keeps close to the nominal level.
// - asymptotic: chi-square (b - c)^2 / (b + c) on 1 degree of freedom, without continuity correction.

import { normalCdf } from './normal.js';
import { pairOutcomes, type OutcomeRow } from './rows.js';

export interface McNemarResult {
  /** Pairs where arm a passed and arm b failed. */
  b: number;
  /** Pairs where arm a failed and arm b passed. */
  c: number;
  /** Discordant pairs, b + c. */
  n_discordant: number;
  /** Exact conditional two-sided p-value; 1 when there are no discordant pairs. */
  p: number;
  /** Mid-p two-sided p-value; 1 when there are no discordant pairs. */
  p_mid: number;
  /** Asymptotic p-value from the chi-square statistic (b - c)^2 / (b + c); NaN with no discordant pairs. */
  p_asymptotic: number;
  /** The chi-square statistic (b - c)^2 / (b + c); NaN with no discordant pairs. */
  chi2: number;
}

export interface McNemarPairedResult extends McNemarResult {
  /** All pairs compared (concordant and discordant). */
  n_pairs: number;
}

/** P(X <= k) and P(X = k) for X ~ Binomial(n, 1/2), k <= n/2, stable for large n. */
function binomialHalfLowerTail(n: number, k: number): { cdf: number; pmf: number } {
  let pmf: number;
  if (n <= 1000) {
    // Directly: C(n, k) <= C(1000, 500) ~ 2.7e299 and 2^-1000 ~ 9.3e-302 are both in range, and
    // small cases come out exact (e.g. C(5, 2) / 32).
    let binom = 1;
    for (let i = 1; i <= k; i++) binom = (binom * (n - k + i)) / i;
    pmf = binom * 2 ** -n;
  } else {
    // log P(X = k) = log C(n, k) - n log 2, with log C(n, k) = sum_{i=1..k} log((n - k + i) / i).
    let logPmf = -n * Math.LN2;
    for (let i = 1; i <= k; i++) logPmf += Math.log((n - k + i) / i);
    pmf = Math.exp(logPmf);
  }
  // Walk down from k: P(X = i - 1) = P(X = i) * i / (n - i + 1). Terms shrink, so the sum is stable.
  let term = pmf;
  let cdf = pmf;
  for (let i = k; i > 0 && term > 0; i--) {
    term = (term * i) / (n - i + 1);
    cdf += term;
    if (term < cdf * 1e-17) break;
  }
  return { cdf, pmf };
}

/** P(X <= k) for X ~ Binomial(n, 1/2), any integer k (0 below 0, 1 from n up). */
export function binomialHalfCdf(n: number, k: number): number {
  if (k < 0) return 0;
  if (k >= n) return 1;
  if (2 * k <= n) return binomialHalfLowerTail(n, k).cdf;
  // By symmetry P(X <= k) = 1 - P(X >= k + 1) = 1 - P(X <= n - k - 1).
  return 1 - binomialHalfLowerTail(n, n - k - 1).cdf;
}

/** McNemar's test from the discordant counts b and c (non-negative integers). */
export function mcnemarTest(b: number, c: number): McNemarResult {
  for (const [name, v] of [
    ['b', b],
    ['c', c],
  ] as const) {
    if (!Number.isInteger(v) || v < 0) throw new RangeError(`mcnemarTest: ${name} must be a non-negative integer, got ${v}`);
  }
  const n = b + c;
  if (n === 0) return { b, c, n_discordant: 0, p: 1, p_mid: 1, p_asymptotic: NaN, chi2: NaN };
  const { cdf, pmf } = binomialHalfLowerTail(n, Math.min(b, c));
  const chi2 = (b - c) ** 2 / n;
  return {
    b,
    c,
    n_discordant: n,
    p: Math.min(1, 2 * cdf),
    p_mid: Math.min(1, 2 * cdf - pmf),
    // P(chi2_1 >= x) = 2 * (1 - Phi(sqrt(x))).
    p_asymptotic: Math.min(1, 2 * normalCdf(-Math.abs(b - c) / Math.sqrt(n))),
    chi2,
  };
}

/**
 * McNemar's test between two arms' trial rows, paired on (task, replicate, session, slot) as in
 * pairedDifference (infra failures left out). b counts pairs a passed and b failed; c the reverse.
 */
export function mcnemarPaired(a: readonly OutcomeRow[], bRows: readonly OutcomeRow[]): McNemarPairedResult {
  const pairs = pairOutcomes(a, bRows);
  let b = 0;
  let c = 0;
  for (const p of pairs) {
    if (p.a && !p.b) b++;
    else if (!p.a && p.b) c++;
  }
  return { ...mcnemarTest(b, c), n_pairs: pairs.length };
}
