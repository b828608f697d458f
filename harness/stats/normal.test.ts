import { describe, expect, it } from 'vitest';
import { normalCdf, normalQuantile } from './normal.js';

describe('normalCdf', () => {
  // Reference values: scipy.stats.norm.cdf (SciPy 1.17, from the Cephes ndtr), double precision;
  // Phi(1.96) = 0.9750021 and Phi(-3) = 0.0013499 as in printed normal tables (A&S Table 26.1).
  const cases: Array<[number, number]> = [
    [1.96, 0.9750021048517795],
    [-1, 0.15865525393145707],
    [-3, 0.0013498980316300933],
    [-5, 2.866515718791933e-7],
    [-8, 6.22096057427174e-16],
    [-10, 7.61985302416047e-24],
    [-20, 2.7536241186061556e-89],
    [-30, 4.906713927147908e-198],
    [0.5, 0.6914624612740131],
    [-0.3, 0.3820885778110474],
    [-2.9, 0.0018658133003840375],
    [-3.1, 0.0009676032132183563],
    [2.9, 0.998134186699616],
  ];
  it.each(cases)('Phi(%s) = %s to ~1e-14 relative', (x, p) => {
    expect(Math.abs(normalCdf(x) - p) / p).toBeLessThan(1e-13);
  });
  it('symmetry, ends and inverse', () => {
    expect(normalCdf(0)).toBe(0.5);
    expect(normalCdf(Infinity)).toBe(1);
    expect(normalCdf(-Infinity)).toBe(0);
    expect(normalCdf(NaN)).toBeNaN();
    for (const x of [0.1, 1, 2.5]) expect(normalCdf(x) + normalCdf(-x)).toBeCloseTo(1, 15);
    for (const p of [0.001, 0.2, 0.975]) expect(normalCdf(normalQuantile(p))).toBeCloseTo(p, 9);
  });
});
