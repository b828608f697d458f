import { describe, expect, it } from 'vitest';
import { mcnemarPaired, mcnemarTest } from './mcnemar.js';
import type { OutcomeRow } from './rows.js';

/** Exact binomial(n, 1/2) lower tail with BigInt, for checking: [P(X <= k), P(X = k)] as numbers. */
function exactTail(n: number, k: number): [number, number] {
  let c = 1n;
  let sum = 0n;
  let last = 0n;
  for (let i = 0; i <= k; i++) {
    if (i > 0) c = (c * BigInt(n - i + 1)) / BigInt(i);
    sum += c;
    last = c;
  }
  const denom = 2 ** n;
  return [Number(sum) / denom, Number(last) / denom];
}

describe('mcnemarTest', () => {
  it('Fagerland, Lydersen & Laake (2013), Table 1 example (Bentur et al. 2009: b = 1, c = 7)', () => {
    // The paper reports: exact conditional p = 0.070, mid-p = 0.039, asymptotic p = 0.034.
    // Exactly: P(X <= 1 | n = 8) = 9/256, so p = 18/256 and mid-p = 18/256 - 8/256 = 10/256.
    const r = mcnemarTest(1, 7);
    expect(r.p).toBeCloseTo(18 / 256, 15);
    expect(r.p_mid).toBeCloseTo(10 / 256, 15);
    expect(r.p).toBeCloseTo(0.07, 3);
    expect(r.p_mid).toBeCloseTo(0.039, 3);
    expect(r.chi2).toBe(4.5);
    expect(r.p_asymptotic).toBeCloseTo(0.034, 3);
    expect(r.p_asymptotic).toBeCloseTo(0.033894853524689295, 12); // P(chi2_1 >= 4.5)
    expect(r.n_discordant).toBe(8);
  });

  it('is symmetric in b and c', () => {
    expect(mcnemarTest(7, 1)).toMatchObject({ p: mcnemarTest(1, 7).p, p_mid: mcnemarTest(1, 7).p_mid });
  });

  it.each([
    [10, 25],
    [0, 20],
    [3, 4],
    [300, 360],
    [500, 420],
  ])('b = %i, c = %i: equals the exact binomial computation', (b, c) => {
    const [cdf, pmf] = exactTail(b + c, Math.min(b, c));
    const r = mcnemarTest(b, c);
    expect(Math.abs(r.p - Math.min(1, 2 * cdf)) / Math.min(1, 2 * cdf)).toBeLessThan(1e-12);
    expect(Math.abs(r.p_mid - (2 * cdf - pmf)) / (2 * cdf - pmf)).toBeLessThan(1e-12);
  });

  it('hand-computed small cases', () => {
    expect(mcnemarTest(0, 20).p).toBe(2 / 2 ** 20);
    expect(mcnemarTest(0, 20).p_mid).toBe(1 / 2 ** 20);
    expect(mcnemarTest(0, 1)).toMatchObject({ p: 1, p_mid: 0.5 }); // 2 * 1/2 = 1; 1 - 1/2
    expect(mcnemarTest(5, 5)).toMatchObject({ p: 1, p_mid: 1 });
    expect(mcnemarTest(2, 3).p).toBe(1); // 2 * P(X <= 2 | 5) = 2 * 16/32
  });

  it('no discordant pairs: p = 1, no chi-square', () => {
    const r = mcnemarTest(0, 0);
    expect(r).toMatchObject({ p: 1, p_mid: 1, n_discordant: 0 });
    expect(r.p_asymptotic).toBeNaN();
  });

  it('very many discordant pairs stay finite and accurate', () => {
    const r = mcnemarTest(5000, 5000);
    expect(r.p).toBe(1);
    const s = mcnemarTest(4800, 5200);
    expect(s.p).toBeGreaterThan(0);
    expect(s.p).toBeLessThan(1e-4);
    expect(s.p_mid).toBeLessThan(s.p);
    // Far out: underflows to 0 rather than NaN.
    expect(mcnemarTest(0, 5000).p).toBe(0);
  });

  it('rejects invalid counts', () => {
    expect(() => mcnemarTest(-1, 2)).toThrow(RangeError);
    expect(() => mcnemarTest(1.5, 2)).toThrow(RangeError);
  });
});

describe('mcnemarPaired', () => {
  it('counts discordant pairs over the units both arms ran, infra left out', () => {
    const unit = (slot: number, success: boolean, error_class = 'none'): OutcomeRow => ({
      task: 't',
      replicate: 0,
      session: 1,
      slot,
      success,
      error_class,
    });
    const a = [unit(0, true), unit(1, true), unit(2, false), unit(3, false), unit(4, false), unit(5, true, 'infra')];
    const b = [unit(0, true), unit(1, false), unit(2, true), unit(3, true), unit(4, false), unit(5, false), unit(6, true)];
    const r = mcnemarPaired(a, b);
    expect(r).toMatchObject({ b: 1, c: 2, n_pairs: 5, n_discordant: 3 });
    expect(r.p).toBe(1);
  });
});
