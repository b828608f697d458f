import { describe, expect, it } from 'vitest';
import { passAtK, passHatK, passKFromRows } from './passk.js';
import type { OutcomeRow } from './rows.js';

/** Exact C(n, k) with BigInt. */
function C(n: number, k: number): bigint {
  if (k < 0 || k > n) return 0n;
  let r = 1n;
  for (let i = 1; i <= k; i++) r = (r * BigInt(n - k + i)) / BigInt(i);
  return r;
}
/** Exact a / b for big integers, as a double. */
function ratio(a: bigint, b: bigint): number {
  const scale = 10n ** 30n;
  return Number((a * scale) / b) / 1e30;
}

describe('passAtK (Chen et al. 2021, 1 - C(n-c, k) / C(n, k))', () => {
  it('the definition on n = 10, c = 3', () => {
    expect(passAtK(10, 3, 1)).toBeCloseTo(0.3, 15); // pass@1 = c / n
    expect(passAtK(10, 3, 5)).toBeCloseTo(1 - 21 / 252, 15); // C(7,5) = 21, C(10,5) = 252
    expect(passAtK(10, 3, 8)).toBe(1); // n - c = 7 < 8: every draw of 8 includes a success
    expect(passAtK(10, 0, 5)).toBe(0);
    expect(passAtK(10, 10, 1)).toBe(1);
  });

  it.each([
    [200, 37, 1],
    [200, 37, 10],
    [200, 37, 100],
    [200, 1, 100],
    [1000, 5, 50],
  ])('n = %i, c = %i, k = %i equals the exact binomial ratio', (n, c, k) => {
    const exact = 1 - ratio(C(n - c, k), C(n, k));
    expect(Math.abs(passAtK(n, c, k) - exact)).toBeLessThan(1e-13);
  });

  it('rejects invalid input', () => {
    expect(() => passAtK(10, 11, 1)).toThrow(RangeError);
    expect(() => passAtK(10, 3, 0)).toThrow(RangeError);
    expect(() => passAtK(10, 3, 11)).toThrow(RangeError);
    expect(() => passAtK(0, 0, 1)).toThrow(RangeError);
  });
});

describe('passHatK (C(c, k) / C(n, k))', () => {
  it('hand-computed', () => {
    expect(passHatK(10, 3, 1)).toBeCloseTo(0.3, 15);
    expect(passHatK(10, 3, 2)).toBeCloseTo(3 / 45, 15); // C(3,2) / C(10,2)
    expect(passHatK(10, 3, 3)).toBeCloseTo(1 / 120, 15); // C(3,3) / C(10,3)
    expect(passHatK(10, 3, 4)).toBe(0);
    expect(passHatK(10, 10, 7)).toBe(1);
  });
  it.each([
    [200, 150, 20],
    [50, 49, 30],
  ])('n = %i, c = %i, k = %i equals the exact binomial ratio', (n, c, k) => {
    const exact = ratio(C(c, k), C(n, k));
    expect(Math.abs(passHatK(n, c, k) - exact) / exact).toBeLessThan(1e-12);
  });
});

describe('passKFromRows', () => {
  it('averages per task, skipping tasks with fewer than k attempts and infra failures', () => {
    const rows: OutcomeRow[] = [];
    const add = (task: string, outcomes: boolean[]) =>
      outcomes.forEach((success, i) => rows.push({ task, replicate: i, session: 1, slot: 0, success }));
    add('a', [true, false, false, false]); // n = 4, c = 1
    add('b', [true, true, false, true]); // n = 4, c = 3
    add('c', [true]); // n = 1 < k
    rows.push({ task: 'b', replicate: 9, session: 1, slot: 0, success: false, error_class: 'infra' });
    // pass@2: a: 1 - C(3,2)/C(4,2) = 1/2; b: 1 - 0 = 1 -> mean 0.75.
    expect(passKFromRows(rows, 2)).toEqual({ estimate: 0.75, n_tasks: 2, skipped: ['c'] });
    // pass^2: a: 0; b: C(3,2)/C(4,2) = 1/2 -> mean 0.25.
    expect(passKFromRows(rows, 2, 'hat').estimate).toBeCloseTo(0.25, 15);
    expect(passKFromRows(rows, 1).estimate).toBeCloseTo((0.25 + 0.75 + 1) / 3, 15);
    expect(passKFromRows(rows, 9).estimate).toBeNaN();
  });
});
