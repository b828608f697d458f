import { describe, expect, it } from 'vitest';
import { designEffectFor, minimumDetectableEffect, powerTwoProportions, sampleSizeTwoProportions } from './mde.js';

const Z975 = 1.959963984540054;
const Z80 = 0.8416212335729143;

describe('sampleSizeTwoProportions', () => {
  it('0.5 vs 0.6, alpha .05 two-sided, power .8: 388 per group (pooled, Fleiss eq. 4.14)', () => {
    // Hand: pbar = 0.55, sqrt(2 * 0.55 * 0.45) = 0.703562, sqrt(0.25 + 0.24) = 0.7,
    // (1.959964 * 0.703562 + 0.841621 * 0.7)^2 / 0.1^2 = 387.3385, the n R's
    // power.prop.test(p1 = .5, p2 = .6, power = .8) reports (same formula).
    const r = sampleSizeTwoProportions(0.5, 0.6);
    expect(r.n).toBeCloseTo(387.3385, 3);
    expect(r.n_ceil).toBe(388);
    expect(r.design_effect).toBe(1);
    // Symmetric in the direction of the difference.
    expect(sampleSizeTwoProportions(0.6, 0.5).n).toBeCloseTo(r.n, 9);
  });

  it('the other formulas for 0.5 vs 0.6: unpooled 385, continuity-corrected 408, arcsine 388', () => {
    // Unpooled: (1.959964 + 0.841621)^2 * 0.49 / 0.01 = 384.595.
    expect(sampleSizeTwoProportions(0.5, 0.6, { formula: 'unpooled' }).n).toBeCloseTo(384.5951, 3);
    // Fleiss-Tytun-Ury: 387.3385 / 4 * (1 + sqrt(1 + 4 / (387.3385 * 0.1)))^2 = 407.093.
    const cc = sampleSizeTwoProportions(0.5, 0.6, { continuityCorrection: true });
    expect(cc.n).toBeCloseTo(407.0929, 3);
    expect(cc.n_ceil).toBe(408);
    // Cohen: h = 2 asin sqrt(.6) - 2 asin sqrt(.5) = 0.201358, n = 2 (2.801585 / h)^2 = 387.169.
    expect(sampleSizeTwoProportions(0.5, 0.6, { formula: 'arcsine' }).n).toBeCloseTo(387.1687, 3);
  });

  it("Cohen's effect sizes h = 0.2, 0.5, 0.8: 392, 63 and 25 per group (Cohen 1988, power tables for h)", () => {
    // n = 2 ((z_.975 + z_.80) / h)^2 = 392.44, 62.79, 24.53.
    for (const [h, n] of [
      [0.2, 392],
      [0.5, 63],
      [0.8, 25],
    ] as const) {
      const p1 = Math.sin(Math.asin(Math.sqrt(0.5)) + h / 2) ** 2;
      expect(Math.round(sampleSizeTwoProportions(0.5, p1, { formula: 'arcsine' }).n)).toBe(n);
    }
  });

  it("R's documented example power.prop.test(p1 = .50, p2 = .75, power = .90): n = 76.7", () => {
    expect(sampleSizeTwoProportions(0.5, 0.75, { power: 0.9 }).n).toBeCloseTo(76.7069, 3);
  });

  it('paired (Connor 1987): hand-computed', () => {
    // Independent outcomes: psi = 0.5 * 0.4 + 0.6 * 0.5 = 0.5, d = 0.1:
    // n = (1.959964 sqrt(0.5) + 0.841621 sqrt(0.5 - 0.01))^2 / 0.01 = 390.078.
    const ind = sampleSizeTwoProportions(0.5, 0.6, { design: 'paired' });
    // (normalQuantile is Acklam's approximation, ~1e-9 relative, hence 5 decimals.)
    expect(ind.n).toBeCloseTo((Z975 * Math.sqrt(0.5) + Z80 * Math.sqrt(0.49)) ** 2 / 0.01, 5);
    expect(ind.n).toBeCloseTo(390.078, 2);
    // Correlation r with p11 = 0.3 + r sqrt(0.25 * 0.24) set so that psi = 0.2:
    // n = (1.959964 sqrt(0.2) + 0.841621 sqrt(0.19))^2 / 0.01 = 154.599.
    const r = 0.3 / (2 * Math.sqrt(0.06));
    const corr = sampleSizeTwoProportions(0.5, 0.6, { design: 'paired', correlation: r });
    expect(corr.n).toBeCloseTo(154.5986, 3);
    expect(corr.n_ceil).toBe(155);
  });

  it('one-sided uses z_{1-alpha}', () => {
    const n = sampleSizeTwoProportions(0.5, 0.6, { twoSided: false, formula: 'unpooled' }).n;
    expect(n).toBeCloseTo(((1.6448536269514715 + Z80) ** 2 * 0.49) / 0.01, 5);
  });

  it('design effect: given, from icc and cluster size, and with a fixed number of clusters', () => {
    const base = sampleSizeTwoProportions(0.5, 0.6).n;
    expect(sampleSizeTwoProportions(0.5, 0.6, { designEffect: 2 }).n).toBeCloseTo(2 * base, 9);
    // 1 + (11 - 1) * 0.1 = 2; clusters of 11: ceil(774.68 / 11) = 71.
    const m = sampleSizeTwoProportions(0.5, 0.6, { icc: 0.1, clusterSize: 11 });
    expect(m.n).toBeCloseTo(2 * base, 9);
    expect(m.design_effect).toBeCloseTo(2, 12);
    expect(m.clusters).toBe(71);
    // 100 clusters, cluster size growing: n = n0 (1 - icc) / (1 - n0 icc / k) = 569.0, and then
    // indeed n = n0 * (1 + (n / 100 - 1) * 0.1).
    const k = sampleSizeTwoProportions(0.5, 0.6, { icc: 0.1, clusters: 100 });
    expect(k.n).toBeCloseTo((base * 0.9) / (1 - (base * 0.1) / 100), 9);
    expect(k.n).toBeCloseTo(base * (1 + (k.n / 100 - 1) * 0.1), 9);
    expect(k.clusters).toBe(100);
    // Too few clusters: no number of trials per task suffices.
    expect(sampleSizeTwoProportions(0.5, 0.6, { icc: 0.1, clusters: 30 }).n).toBe(Infinity);
  });

  it('equal rates need infinitely many; invalid input throws', () => {
    expect(sampleSizeTwoProportions(0.4, 0.4).n).toBe(Infinity);
    expect(() => sampleSizeTwoProportions(1.2, 0.4)).toThrow(RangeError);
    expect(() => sampleSizeTwoProportions(0.2, 0.4, { alpha: 0 })).toThrow(RangeError);
    expect(() => sampleSizeTwoProportions(0.2, 0.4, { design: 'paired', continuityCorrection: true })).toThrow(RangeError);
    expect(() => sampleSizeTwoProportions(0.2, 0.4, { icc: 0.1 })).toThrow(RangeError);
  });
});

describe('powerTwoProportions', () => {
  it("R's documented example power.prop.test(n = 50, p1 = .50, p2 = .75): power = 0.7401659", () => {
    expect(powerTwoProportions(0.5, 0.75, 50)).toBeCloseTo(0.7401659, 7);
  });

  it('inverts the sample size for every formula and design', () => {
    const variants = [
      {},
      { formula: 'unpooled' as const },
      { formula: 'arcsine' as const },
      { continuityCorrection: true },
      { design: 'paired' as const, correlation: 0.4 },
      { designEffect: 1.7 },
      { icc: 0.05, clusterSize: 8 },
      { power: 0.9, alpha: 0.01 },
    ];
    for (const v of variants) {
      const n = sampleSizeTwoProportions(0.3, 0.45, v).n;
      expect(powerTwoProportions(0.3, 0.45, n, v)).toBeCloseTo(v.power ?? 0.8, 9);
    }
  });

  it('no effect: alpha / 2 (one tail); no trials: 0', () => {
    expect(powerTwoProportions(0.3, 0.3, 100)).toBeCloseTo(0.025, 12);
    expect(powerTwoProportions(0.3, 0.6, 0)).toBe(0);
  });
});

describe('minimumDetectableEffect', () => {
  it('with 388 per group and baseline 0.5, just under 0.1 (inverse of the sample size)', () => {
    const r = minimumDetectableEffect(0.5, 388);
    expect(r.mde).toBeLessThan(0.1);
    expect(r.mde).toBeGreaterThan(0.099);
    expect(r.p1).toBeCloseTo(0.5 + r.mde, 15);
    expect(sampleSizeTwoProportions(0.5, r.p1).n).toBeCloseTo(388, 6);
    expect(r.n_effective).toBe(388);
  });

  it('decrease direction and the paired design', () => {
    const down = minimumDetectableEffect(0.6, 388, { direction: 'decrease' });
    expect(sampleSizeTwoProportions(0.6, down.p1).n).toBeCloseTo(388, 6);
    expect(down.p1).toBeLessThan(0.6);
    const paired = minimumDetectableEffect(0.5, 155, { design: 'paired', correlation: 0.5 });
    expect(sampleSizeTwoProportions(0.5, paired.p1, { design: 'paired', correlation: 0.5 }).n).toBeCloseTo(155, 6);
  });

  it('clusters: n / deff effective trials, so a bigger MDE', () => {
    // 400 trials in 40 tasks (10 each), ICC 0.1: deff = 1.9, effective n = 210.53.
    const r = minimumDetectableEffect(0.5, 400, { icc: 0.1, clusters: 40 });
    expect(r.design_effect).toBeCloseTo(1.9, 12);
    expect(r.n_effective).toBeCloseTo(400 / 1.9, 9);
    const plain = minimumDetectableEffect(0.5, 400 / 1.9);
    expect(r.mde).toBeCloseTo(plain.mde, 9);
    expect(r.mde).toBeGreaterThan(minimumDetectableEffect(0.5, 400).mde);
  });

  it('too small a run detects nothing: NaN, with the best power reachable', () => {
    const r = minimumDetectableEffect(0.9, 5);
    expect(r.mde).toBeNaN();
    expect(r.p1).toBeNaN();
    expect(r.max_power).toBeLessThan(0.8);
  });

  it('designEffectFor', () => {
    expect(designEffectFor(100, {})).toBe(1);
    expect(designEffectFor(100, { designEffect: 3 })).toBe(3);
    expect(designEffectFor(100, { icc: 0.2, clusters: 10 })).toBeCloseTo(2.8, 12);
    expect(designEffectFor(100, { icc: 0.2, clusterSize: 5 })).toBeCloseTo(1.8, 12);
    expect(() => designEffectFor(100, { designEffect: 0.5 })).toThrow(RangeError);
  });
});
