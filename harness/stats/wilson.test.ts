import { describe, expect, it } from 'vitest';
import { normalQuantile } from './normal.js';
import { wilsonInterval } from './wilson.js';

describe('normalQuantile', () => {
  // Reference values: Wichura's AS241 to double precision (as in Python's statistics.NormalDist.inv_cdf).
  const cases: Array<[number, number]> = [
    [0.975, 1.9599639845400536],
    [0.95, 1.6448536269514715],
    [0.995, 2.5758293035489],
    [0.3, -0.5244005127080407],
    [0.01, -2.3263478740408408],
    [0.001, -3.090232306167813],
    [1e-10, -6.361340902404056],
  ];
  it.each(cases)('quantile(%s) = %s to ~1e-9 relative', (p, z) => {
    expect(Math.abs(normalQuantile(p) - z) / Math.abs(z)).toBeLessThan(1.2e-9);
  });

  it('is antisymmetric around 0.5', () => {
    for (const p of [0.001, 0.02, 0.1, 0.3, 0.45]) {
      expect(normalQuantile(1 - p)).toBeCloseTo(-normalQuantile(p), 8);
    }
    expect(normalQuantile(0.5)).toBe(0);
  });

  it('handles the ends and invalid input', () => {
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
    expect(normalQuantile(-0.1)).toBeNaN();
    expect(normalQuantile(1.1)).toBeNaN();
    expect(normalQuantile(NaN)).toBeNaN();
  });
});

describe('wilsonInterval', () => {
  // Reference values: R. G. Newcombe, "Two-sided confidence intervals for the single proportion:
  // comparison of seven methods", Statistics in Medicine 17 (1998) 857-872: the worked
  // examples 81/263, 15/148, 0/20 and 1/29 under method 3 (Wilson score interval without
  // continuity correction), 95%, four decimals.
  const newcombe: Array<[number, number, number, number]> = [
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0.0, 0.1611],
    [1, 29, 0.0061, 0.1718],
  ];
  it.each(newcombe)('%i/%i -> [%s, %s] (Newcombe 1998)', (x, n, lo, hi) => {
    const r = wilsonInterval(x, n);
    expect(r.rate).toBeCloseTo(x / n, 12);
    expect(Math.abs(r.lo - lo)).toBeLessThan(5e-5);
    expect(Math.abs(r.hi - hi)).toBeLessThan(5e-5);
  });

  it('0/n and n/n: closed forms z²/(n+z²) and n/(n+z²), bounds pinned to 0 and 1', () => {
    const z2 = 1.9599639845400536 ** 2;
    const none = wilsonInterval(0, 10);
    expect(none).toMatchObject({ rate: 0, lo: 0 });
    expect(none.hi).toBeCloseTo(z2 / (10 + z2), 9); // 0.2775
    expect(none.hi).toBeCloseTo(0.2775, 4);
    const all = wilsonInterval(10, 10);
    expect(all).toMatchObject({ rate: 1, hi: 1 });
    expect(all.lo).toBeCloseTo(10 / (10 + z2), 9); // 0.7225
    expect(all.lo).toBeCloseTo(0.7225, 4);
  });

  it('is symmetric: x/n mirrors (n-x)/n', () => {
    for (const [x, n] of [
      [3, 17],
      [1, 2],
      [40, 41],
    ] as const) {
      const a = wilsonInterval(x, n);
      const b = wilsonInterval(n - x, n);
      expect(a.lo).toBeCloseTo(1 - b.hi, 12);
      expect(a.hi).toBeCloseTo(1 - b.lo, 12);
    }
  });

  it('narrows as confidence falls and contains the point estimate', () => {
    const c99 = wilsonInterval(81, 263, 0.99);
    const c95 = wilsonInterval(81, 263);
    const c90 = wilsonInterval(81, 263, 0.9);
    expect(c99.lo).toBeLessThan(c95.lo);
    expect(c95.lo).toBeLessThan(c90.lo);
    expect(c90.hi).toBeLessThan(c95.hi);
    expect(c95.hi).toBeLessThan(c99.hi);
    expect(c90.lo).toBeLessThan(c90.rate);
    expect(c90.hi).toBeGreaterThan(c90.rate);
  });

  it('n = 0: rate NaN, the whole [0, 1] range', () => {
    const r = wilsonInterval(0, 0);
    expect(r.rate).toBeNaN();
    expect(r.lo).toBe(0);
    expect(r.hi).toBe(1);
  });

  it('rejects invalid input', () => {
    expect(() => wilsonInterval(3, 2)).toThrow(RangeError);
    expect(() => wilsonInterval(-1, 2)).toThrow(RangeError);
    expect(() => wilsonInterval(1.5, 2)).toThrow(RangeError);
    expect(() => wilsonInterval(1, -2)).toThrow(RangeError);
    expect(() => wilsonInterval(1, 2, 1)).toThrow(RangeError);
    expect(() => wilsonInterval(1, 2, 0)).toThrow(RangeError);
  });
});
