import { describe, expect, it } from 'vitest';
import { pairedDifference, unpairedDifference, type OutcomeRow } from '../stats/index.js';
import { rngFrom } from '../core/rng.js';
import { clusterMean, pairedClusterDifference, pLower, tInterval, unpairedClusterDifference } from './cluster-stats.js';

describe('cluster-robust estimates', () => {
  it('computes the CR1 standard error of a mean over clusters by hand', () => {
    // Tasks: 1/2, 2/2, 0/2 -> rate 0.5; residuals 0, 1, -1; var = 3/2 * 2 / 36.
    const m = clusterMean([
      { y: 1, n: 2 },
      { y: 2, n: 2 },
      { y: 0, n: 2 },
    ]);
    expect(m.mean).toBe(0.5);
    expect(m.se).toBeCloseTo(Math.sqrt((3 / 2) * 2) / 6, 12);
    expect(m.k).toBe(3);
    expect(Number.isNaN(clusterMean([{ y: 1, n: 3 }]).se)).toBe(true);
    expect(Number.isNaN(clusterMean([]).mean)).toBe(true);
  });

  it('paired: per-task differences; unpaired: variances add with Welch df', () => {
    const d = pairedClusterDifference([
      { a: 2, b: 1, n: 2 },
      { a: 1, b: 1, n: 2 },
      { a: 2, b: 0, n: 2 },
    ]);
    expect(d.delta).toBeCloseTo(-0.5, 12);
    expect(d.df).toBe(2);
    // d_k = -1, 0, -2; residuals d_k + 0.5 * 2 = 0, 1, -1.
    expect(d.se).toBeCloseTo(Math.sqrt((3 / 2) * 2) / 6, 12);
    const u = unpairedClusterDifference({ mean: 0.5, se: 0.1, n: 20, k: 5 }, { mean: 0.3, se: 0.1, n: 20, k: 5 });
    expect(u.delta).toBeCloseTo(-0.2, 12);
    expect(u.se).toBeCloseTo(Math.sqrt(0.02), 12);
    expect(u.df).toBeCloseTo(8, 12); // equal variances and sizes: 2 (k - 1)
  });

  it('gives one-sided p-values and t intervals that agree with each other', () => {
    const d = { delta: -0.1, se: 0.05, df: 20 };
    const p = pLower(d);
    expect(p).toBeGreaterThan(0.02);
    expect(p).toBeLessThan(0.04); // t = -2 on 20 df: 0.0296
    // The one-sided 1 - p upper bound sits at 0.
    expect(tInterval(d, 1 - 2 * p).hi).toBeCloseTo(0, 8);
    expect(pLower({ delta: 0, se: 0, df: 3 })).toBe(1);
    expect(pLower({ delta: -0.1, se: 0, df: 3 })).toBe(0);
    expect(Number.isNaN(pLower({ delta: -0.1, se: NaN, df: NaN }))).toBe(true);
  });

  it('agrees with the clustered bootstrap of harness/stats (expanded percentile) on simulated data', () => {
    const rng = rngFrom('agree');
    const rows = (arm: 'a' | 'b', shift: number): OutcomeRow[] => {
      const out: OutcomeRow[] = [];
      for (let k = 0; k < 25; k++) {
        const p = 0.2 + 0.6 * rngFrom(`difficulty:${k}`).next() + shift;
        for (let s = 1; s <= 6; s++) out.push({ task: `t${k}`, replicate: 1, session: s, slot: 0, success: rng.next() < p, arm });
      }
      return out;
    };
    const a = rows('a', 0);
    const b = rows('b', -0.1);
    const boot = pairedDifference(a, b, { method: 'expanded', B: 4000, seed: 1 });
    const byTask = new Map<string, { a: number; b: number; n: number }>();
    a.forEach((ra, i) => {
      const t = byTask.get(ra.task) ?? { a: 0, b: 0, n: 0 };
      t.a += ra.success ? 1 : 0;
      t.b += b[i]!.success ? 1 : 0;
      t.n++;
      byTask.set(ra.task, t);
    });
    const d = pairedClusterDifference([...byTask.values()]);
    const ci = tInterval(d, 0.95);
    expect(d.delta).toBeCloseTo(boot.estimate, 12);
    expect(Math.abs(ci.lo - boot.lo)).toBeLessThan(0.015);
    expect(Math.abs(ci.hi - boot.hi)).toBeLessThan(0.015);

    const ub = unpairedDifference(a, b, { method: 'expanded', B: 4000, seed: 1 });
    const side = (r: OutcomeRow[]) => {
      const m = new Map<string, { y: number; n: number }>();
      for (const x of r) {
        const t = m.get(x.task) ?? { y: 0, n: 0 };
        t.y += x.success ? 1 : 0;
        t.n++;
        m.set(x.task, t);
      }
      return clusterMean([...m.values()]);
    };
    const u = unpairedClusterDifference(side(a), side(b));
    const uci = tInterval(u, 0.95);
    expect(Math.abs(uci.lo - ub.lo)).toBeLessThan(0.02);
    expect(Math.abs(uci.hi - ub.hi)).toBeLessThan(0.02);
  });
});
