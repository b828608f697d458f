import { describe, expect, it } from 'vitest';
import { signTestLower, taskSignCounts } from './sign-test.js';
import { binomialHalfCdf } from './mcnemar.js';

describe('the exact sign test over tasks', () => {
  it('gives 0.125 for three tasks that each lost one pair, where a t test on three values claims 0.037', () => {
    const pairs = [
      { task: 'a', a: true, b: false },
      { task: 'b', a: true, b: false },
      { task: 'c', a: true, b: false },
      ...Array.from({ length: 30 }, (_, i) => ({ task: `same${i % 10}`, a: i % 2 === 0, b: i % 2 === 0 })),
    ];
    const s = taskSignCounts(pairs);
    expect(s).toEqual({ up: 0, down: 3, ties: 10, discordant: 3 });
    expect(signTestLower(s)).toBeCloseTo(0.125, 12);
  });

  it('counts a task once, by the sign of its summed pairs', () => {
    const s = taskSignCounts([
      { task: 'x', a: true, b: false },
      { task: 'x', a: false, b: true },
      { task: 'y', a: false, b: true },
      { task: 'y', a: false, b: true },
    ]);
    expect(s).toEqual({ up: 1, down: 0, ties: 1, discordant: 4 });
    expect(signTestLower(s)).toBe(1);
    expect(signTestLower({ up: 0, down: 0 })).toBe(1);
  });

  it('holds its level: under no effect, P(p <= alpha) <= alpha for every number of moving tasks', () => {
    for (let n = 1; n <= 40; n++) {
      let reject = 0;
      for (let up = 0; up <= n; up++) {
        const p = signTestLower({ up, down: n - up });
        if (p <= 0.05) reject += binomialHalfCdf(n, up) - binomialHalfCdf(n, up - 1);
      }
      expect(reject, `n=${n}`).toBeLessThanOrEqual(0.05 + 1e-12);
    }
  });

  it('binomialHalfCdf matches the exact sums on both sides of n/2', () => {
    const exact = (n: number, k: number) => {
      let s = 0;
      let c = 1;
      for (let i = 0; i <= k; i++) {
        s += c;
        c = (c * (n - i)) / (i + 1);
      }
      return s / 2 ** n;
    };
    for (const [n, k] of [
      [10, 2],
      [10, 7],
      [7, 3],
      [7, 4],
      [25, 20],
    ] as const)
      expect(binomialHalfCdf(n, k)).toBeCloseTo(exact(n, k), 12);
    expect(binomialHalfCdf(5, -1)).toBe(0);
    expect(binomialHalfCdf(5, 5)).toBe(1);
  });
});
