import { describe, expect, it } from 'vitest';
import { expandedLevel, pairedDifference, pairedRatio, quantileSorted, unpairedDifference, unpairedRatio } from './bootstrap.js';
import type { OutcomeRow } from './rows.js';
import { rngFrom } from '../models/sim/rng.js';

/** Rows for one arm: per task, a list of outcomes on units (replicate 0, session 1, slot i). */
function arm(name: string, outcomes: Record<string, boolean[]>, session = 1): OutcomeRow[] {
  const rows: OutcomeRow[] = [];
  for (const [task, list] of Object.entries(outcomes)) {
    list.forEach((success, slot) => rows.push({ arm: name, task, replicate: 0, session, slot, success, error_class: success ? 'none' : 'agent' }));
  }
  return rows;
}

/** k successes out of n, successes first. */
const outcomes = (k: number, n: number): boolean[] => Array.from({ length: n }, (_, i) => i < k);

describe('expandedLevel (Hesterberg 2015)', () => {
  it('reads the replicates further out with few clusters, tending to alpha/2 with many', () => {
    // Hand-computed: n = 10, t_{9, 0.975} = 2.262157 (t tables), sqrt(10/9) * 2.262157 =
    // 2.384523, Phi(-2.384523) = 0.008551.
    expect(expandedLevel(0.95, 10)).toBeCloseTo(0.00855, 5);
    expect(expandedLevel(0.95, 1e6)).toBeCloseTo(0.025, 5);
    expect(expandedLevel(0.95, 40)).toBeLessThan(0.025);
    expect(expandedLevel(0.95, 40)).toBeGreaterThan(expandedLevel(0.95, 10));
  });

  it('widens the interval with few clusters', () => {
    const rng = rngFrom('expanded');
    const A: Record<string, boolean[]> = {};
    const Bo: Record<string, boolean[]> = {};
    for (let k = 0; k < 8; k++) {
      A[`t${k}`] = Array.from({ length: 6 }, () => rng.chance(0.4));
      Bo[`t${k}`] = Array.from({ length: 6 }, () => rng.chance(0.6));
    }
    const p = pairedDifference(arm('a', A), arm('b', Bo), { seed: 1 });
    const e = pairedDifference(arm('a', A), arm('b', Bo), { seed: 1, method: 'expanded' });
    expect(e.method).toBe('expanded');
    expect(e.lo).toBeLessThan(p.lo);
    expect(e.hi).toBeGreaterThan(p.hi);
  });
});

describe('quantileSorted (type 7)', () => {
  it('interpolates between order statistics (hand-computed)', () => {
    const x = [1, 2, 3, 4, 5];
    expect(quantileSorted(x, 0)).toBe(1);
    expect(quantileSorted(x, 1)).toBe(5);
    expect(quantileSorted(x, 0.5)).toBe(3);
    expect(quantileSorted(x, 0.1)).toBeCloseTo(1.4, 12); // position 0.4
    expect(quantileSorted([10, 20], 0.25)).toBeCloseTo(12.5, 12);
    expect(quantileSorted([], 0.5)).toBeNaN();
  });
  it('handles infinite values', () => {
    expect(quantileSorted([1, 2, Infinity], 0.9)).toBe(Infinity);
    expect(quantileSorted([1, Infinity, Infinity], 0.9)).toBe(Infinity);
    expect(quantileSorted([1, 2, Infinity], 0.25)).toBeCloseTo(1.5, 12);
  });
});

describe('pairedDifference', () => {
  it('estimates rate(b) - rate(a) over the units both arms ran (hand-computed)', () => {
    const a = arm('a', { t1: outcomes(1, 4), t2: outcomes(2, 4), t3: outcomes(0, 2) });
    const b = arm('b', { t1: outcomes(3, 4), t2: outcomes(2, 4), t3: outcomes(2, 2) });
    const r = pairedDifference(a, b, { seed: 1 });
    expect(r.n_pairs).toBe(10);
    expect(r.n_clusters).toBe(3);
    expect(r.rate_a).toBeCloseTo(3 / 10, 15);
    expect(r.rate_b).toBeCloseTo(7 / 10, 15);
    expect(r.estimate).toBeCloseTo(0.4, 15);
    expect(r.B).toBe(2000);
    expect(r.lo).toBeLessThanOrEqual(r.estimate);
    expect(r.hi).toBeGreaterThanOrEqual(r.estimate);
    expect(r.flags).toEqual([]);
  });

  it('pairs on (task, replicate, session, slot), dropping unmatched units and infra failures in either arm', () => {
    const a: OutcomeRow[] = [
      { task: 't', replicate: 0, session: 1, slot: 0, success: true },
      { task: 't', replicate: 0, session: 1, slot: 1, success: false, error_class: 'infra' },
      { task: 't', replicate: 0, session: 2, slot: 0, success: false },
      { task: 't', replicate: 1, session: 1, slot: 0, success: false }, // not in b
      { task: 'u', replicate: 0, session: 1, slot: 0, success: false },
    ];
    const b: OutcomeRow[] = [
      { task: 't', replicate: 0, session: 1, slot: 0, success: true },
      { task: 't', replicate: 0, session: 1, slot: 1, success: true }, // a's twin was infra
      { task: 't', replicate: 0, session: 2, slot: 0, success: true },
      { task: 'u', replicate: 0, session: 1, slot: 0, success: false, error_class: 'infra' },
      { task: 'v', replicate: 0, session: 1, slot: 0, success: true }, // not in a
    ];
    const r = pairedDifference(a, b);
    expect(r.n_pairs).toBe(2);
    expect(r.n_clusters).toBe(1);
    expect(r.rate_a).toBe(0.5);
    expect(r.rate_b).toBe(1);
    expect(r.estimate).toBe(0.5);
    // One task: the spread between tasks is unknown, so no interval.
    expect(r.flags).toContain('single_cluster');
    expect(r.lo).toBeNaN();
    expect(r.hi).toBeNaN();
  });

  it('rejects two trials for one unit in an arm', () => {
    const a = arm('a', { t: [true] });
    expect(() => pairedDifference([...a, ...a], a)).toThrow(RangeError);
  });

  it('no pairs: NaN with flag no_data', () => {
    const r = pairedDifference(arm('a', { t: [true] }), arm('b', { u: [true] }));
    expect(r).toMatchObject({ n_pairs: 0, n_clusters: 0, B: 0, flags: ['no_data'] });
    expect(r.estimate).toBeNaN();
  });

  it('two tasks: the bootstrap distribution has three points, exactly as enumerated by hand', () => {
    // Task A: diff 3/4 - 1/4 = 0.5; task B: 2/4 - 2/4 = 0. Resampling two tasks of equal size gives
    // {A,A} -> 0.5 (prob 1/4), {A,B} -> 0.25 (1/2), {B,B} -> 0 (1/4): the 2.5% and 97.5% percentiles
    // are 0 and 0.5, and the bootstrap variance is (1/4)(0.25^2) * 2 = 0.03125.
    const a = arm('a', { A: outcomes(1, 4), B: outcomes(2, 4) });
    const b = arm('b', { A: outcomes(3, 4), B: outcomes(2, 4) });
    const r = pairedDifference(a, b, { seed: 'two', B: 20000 });
    expect(r.estimate).toBeCloseTo(0.25, 15);
    expect(r.lo).toBe(0);
    expect(r.hi).toBe(0.5);
    expect(Math.abs(r.se - Math.sqrt(0.03125)) / Math.sqrt(0.03125)).toBeLessThan(0.02);
  });

  it('bootstrap standard error matches the exact bootstrap variance for equal-sized tasks', () => {
    // With K tasks of equal size the difference is the mean of the per-task differences d_k, and its
    // exact bootstrap variance is (1/K^2) sum (d_k - mean d)^2 (the plug-in variance of a mean over K).
    const rng = rngFrom('se-check');
    const A: Record<string, boolean[]> = {};
    const Bo: Record<string, boolean[]> = {};
    const diffs: number[] = [];
    for (let k = 0; k < 20; k++) {
      const sa = rng.int(6);
      const sb = rng.int(6);
      A[`t${k}`] = outcomes(sa, 5);
      Bo[`t${k}`] = outcomes(sb, 5);
      diffs.push((sb - sa) / 5);
    }
    const mean = diffs.reduce((s, d) => s + d, 0) / diffs.length;
    const exactSe = Math.sqrt(diffs.reduce((s, d) => s + (d - mean) ** 2, 0) / diffs.length ** 2);
    const r = pairedDifference(arm('a', A), arm('b', Bo), { seed: 3, B: 20000 });
    expect(r.estimate).toBeCloseTo(mean, 12);
    expect(Math.abs(r.se - exactSe) / exactSe).toBeLessThan(0.03);
  });

  it('is reproducible from the seed and independent of row order', () => {
    const a = arm('a', { t1: outcomes(1, 4), t2: outcomes(2, 4), t3: outcomes(0, 3), t4: outcomes(3, 3) });
    const b = arm('b', { t1: outcomes(3, 4), t2: outcomes(2, 4), t3: outcomes(2, 3), t4: outcomes(3, 3) });
    const r1 = pairedDifference(a, b, { seed: 42 });
    const r2 = pairedDifference([...a].reverse(), [...b].reverse(), { seed: 42 });
    expect(r2).toEqual(r1);
    const r3 = pairedDifference(a, b, { seed: 43 });
    expect(r3.estimate).toBe(r1.estimate);
    expect([r3.lo, r3.hi, r3.se]).not.toEqual([r1.lo, r1.hi, r1.se]);
  });

  it('identical tasks give a zero-width interval at the estimate, also with BCa', () => {
    const a = arm('a', { t1: outcomes(1, 4), t2: outcomes(1, 4), t3: outcomes(1, 4) });
    const b = arm('b', { t1: outcomes(2, 4), t2: outcomes(2, 4), t3: outcomes(2, 4) });
    for (const method of ['percentile', 'bca'] as const) {
      const r = pairedDifference(a, b, { method });
      expect([r.estimate, r.lo, r.hi]).toEqual([0.25, 0.25, 0.25]);
      // Every replicate ties the estimate: z0 = 0 (ties count half) and the jackknife has no spread
      // (a = 0), so BCa reduces to the percentile interval.
      expect(r.method).toBe(method);
      expect(r.flags).toEqual([]);
    }
  });

  it('validates options', () => {
    const a = arm('a', { t: [true] });
    expect(() => pairedDifference(a, a, { B: 0 })).toThrow(RangeError);
    expect(() => pairedDifference(a, a, { confidence: 1 })).toThrow(RangeError);
  });

  it('narrower at lower confidence', () => {
    const rng = rngFrom('width');
    const A: Record<string, boolean[]> = {};
    const Bo: Record<string, boolean[]> = {};
    for (let k = 0; k < 15; k++) {
      A[`t${k}`] = Array.from({ length: 6 }, () => rng.chance(0.4));
      Bo[`t${k}`] = Array.from({ length: 6 }, () => rng.chance(0.6));
    }
    const r95 = pairedDifference(arm('a', A), arm('b', Bo), { seed: 1 });
    const r80 = pairedDifference(arm('a', A), arm('b', Bo), { seed: 1, confidence: 0.8 });
    expect(r80.lo).toBeGreaterThanOrEqual(r95.lo);
    expect(r80.hi).toBeLessThanOrEqual(r95.hi);
    expect(r80.hi - r80.lo).toBeLessThan(r95.hi - r95.lo);
  });

  it('10,000 trials x 2000 resamples well under a second', () => {
    const rng = rngFrom('perf');
    const a: OutcomeRow[] = [];
    const b: OutcomeRow[] = [];
    for (let t = 0; t < 50; t++) {
      for (let rep = 0; rep < 4; rep++) {
        for (let s = 0; s < 50; s++) {
          a.push({ task: `t${t}`, replicate: rep, session: s, slot: 0, success: rng.chance(0.4) });
          b.push({ task: `t${t}`, replicate: rep, session: s, slot: 0, success: rng.chance(0.5) });
        }
      }
    }
    const start = performance.now();
    const r = pairedDifference(a, b, { seed: 1, B: 2000, method: 'bca' });
    const ms = performance.now() - start;
    expect(r.n_pairs).toBe(10000);
    expect(ms).toBeLessThan(1000);
  });
});

describe('BCa against an independent implementation', () => {
  // Reference: scipy.stats.bootstrap (SciPy 1.17) on the same 12 tasks as paired samples (successes
  // of a, successes of b, trials), statistic sum(b)/sum(a) and (sum(b) - sum(a)) / sum(n),
  // method='BCa', n_resamples=200000: ratio [1.7778, 3.875], difference [0.2222, 0.4074];
  // percentile: ratio [1.7917, 4.0], difference [0.2203, 0.4068]. The statistics are discrete, so
  // bounds agree to the neighbouring attainable values (tie handling and quantile interpolation differ).
  const spec: Array<[number, number, number]> = [
    [1, 3, 5], [0, 2, 3], [2, 4, 7], [1, 1, 4], [0, 3, 6], [3, 5, 8],
    [1, 2, 2], [0, 1, 5], [2, 2, 3], [1, 4, 9], [0, 0, 2], [2, 5, 6],
  ];
  const A: Record<string, boolean[]> = {};
  const Bo: Record<string, boolean[]> = {};
  spec.forEach(([sa, sb, n], t) => {
    A[`t${String(t).padStart(2, '0')}`] = outcomes(sa, n);
    Bo[`t${String(t).padStart(2, '0')}`] = outcomes(sb, n);
  });
  const a = arm('a', A);
  const b = arm('b', Bo);

  it('difference', () => {
    const bca = pairedDifference(a, b, { seed: 1, B: 100000, method: 'bca' });
    expect(bca.method).toBe('bca');
    expect(bca.estimate).toBeCloseTo(19 / 60, 15);
    expect(Math.abs(bca.lo - 0.2222)).toBeLessThan(0.005);
    expect(Math.abs(bca.hi - 0.4074)).toBeLessThan(0.005);
    const pct = pairedDifference(a, b, { seed: 1, B: 100000 });
    expect(Math.abs(pct.lo - 0.2203)).toBeLessThan(0.005);
    expect(Math.abs(pct.hi - 0.4068)).toBeLessThan(0.005);
  });

  it('ratio', () => {
    const bca = pairedRatio(a, b, { seed: 1, B: 100000, method: 'bca' });
    expect(bca.estimate).toBeCloseTo(32 / 13, 14);
    expect(Math.abs(bca.lo - 1.7778)).toBeLessThan(0.03);
    expect(Math.abs(bca.hi - 3.875)).toBeLessThan(0.06);
    const pct = pairedRatio(a, b, { seed: 1, B: 100000 });
    expect(Math.abs(pct.lo - 1.7917)).toBeLessThan(0.03);
    expect(Math.abs(pct.hi - 4.0)).toBeLessThan(0.06);
  });
});

describe('pairedRatio', () => {
  it('estimates rate(b) / rate(a) (hand-computed)', () => {
    const a = arm('a', { t1: outcomes(1, 4), t2: outcomes(1, 4) });
    const b = arm('b', { t1: outcomes(3, 4), t2: outcomes(3, 4) });
    const r = pairedRatio(a, b);
    expect(r.estimate).toBeCloseTo(3, 14);
    expect([r.lo, r.hi].map((x) => Math.round(x * 1e12) / 1e12)).toEqual([3, 3]);
  });

  it('zero baseline: Infinity with a flag; both zero: NaN; no crash', () => {
    const a = arm('a', { t1: outcomes(0, 4), t2: outcomes(0, 4) });
    const b = arm('b', { t1: outcomes(2, 4), t2: outcomes(0, 4) });
    const r = pairedRatio(a, b, { seed: 5, method: 'bca' });
    expect(r.estimate).toBe(Infinity);
    expect(r.flags).toContain('zero_baseline');
    expect(r.flags).toContain('bca_fallback');
    // A quarter of the resamples draw t2 twice: 0/0, left out.
    expect(r.flags).toContain('undefined_resamples');
    expect(r.n_undefined).toBeGreaterThan(0.2 * 2000);
    expect(r.n_undefined).toBeLessThan(0.3 * 2000);
    expect(r.hi).toBe(Infinity);

    const none = pairedRatio(a, arm('b', { t1: outcomes(0, 4), t2: outcomes(0, 4) }));
    expect(none.estimate).toBeNaN();
    expect(none.flags).toContain('zero_baseline');
    expect(none.n_undefined).toBe(2000);
    expect(none.lo).toBeNaN();
  });

  it('brackets the estimate and excludes 1 for a clear effect', () => {
    const rng = rngFrom('ratio');
    const A: Record<string, boolean[]> = {};
    const Bo: Record<string, boolean[]> = {};
    for (let k = 0; k < 25; k++) {
      A[`t${k}`] = Array.from({ length: 8 }, () => rng.chance(0.2));
      Bo[`t${k}`] = Array.from({ length: 8 }, () => rng.chance(0.5));
    }
    const r = pairedRatio(arm('a', A), arm('b', Bo), { seed: 9 });
    expect(r.lo).toBeLessThan(r.estimate);
    expect(r.hi).toBeGreaterThan(r.estimate);
    expect(r.lo).toBeGreaterThan(1);
  });
});

describe('unpairedDifference / unpairedRatio', () => {
  it('uses every non-infra trial of each arm, on different task sets (hand-computed)', () => {
    const a = arm('a', { t1: outcomes(1, 4), t2: outcomes(1, 2) });
    const b = [...arm('b', { u1: outcomes(2, 3), u2: outcomes(3, 3), u3: outcomes(1, 2) })];
    b.push({ task: 'u3', replicate: 0, session: 1, slot: 9, success: false, error_class: 'infra' });
    const r = unpairedDifference(a, b, { seed: 2 });
    expect(r).toMatchObject({ n_a: 6, n_b: 8, n_clusters_a: 2, n_clusters_b: 3, n_clusters: 5, flags: [] });
    expect(r.rate_a).toBeCloseTo(2 / 6, 15);
    expect(r.rate_b).toBeCloseTo(6 / 8, 15);
    expect(r.estimate).toBeCloseTo(6 / 8 - 2 / 6, 15);
    expect(unpairedRatio(a, b).estimate).toBeCloseTo(6 / 8 / (2 / 6), 14);
  });

  it('exact bootstrap SE for equal-sized tasks: the two arms add their plug-in variances', () => {
    const rng = rngFrom('unpaired-se');
    const A: Record<string, boolean[]> = {};
    const Bo: Record<string, boolean[]> = {};
    const ra: number[] = [];
    const rb: number[] = [];
    for (let k = 0; k < 15; k++) {
      const sa = rng.int(5);
      A[`a${k}`] = outcomes(sa, 4);
      ra.push(sa / 4);
    }
    for (let k = 0; k < 25; k++) {
      const sb = rng.int(5);
      Bo[`b${k}`] = outcomes(sb, 4);
      rb.push(sb / 4);
    }
    const plugin = (xs: number[]) => {
      const m = xs.reduce((s, x) => s + x, 0) / xs.length;
      return xs.reduce((s, x) => s + (x - m) ** 2, 0) / xs.length ** 2;
    };
    const exactSe = Math.sqrt(plugin(ra) + plugin(rb));
    const r = unpairedDifference(arm('a', A), arm('b', Bo), { seed: 4, B: 20000 });
    expect(Math.abs(r.se - exactSe) / exactSe).toBeLessThan(0.03);
  });

  it('an empty arm gives no_data; a one-task arm gives single_cluster', () => {
    expect(unpairedDifference([], arm('b', { u: [true] })).flags).toEqual(['no_data']);
    const r = unpairedDifference(arm('a', { t: [true, false] }), arm('b', { u: [true], v: [false] }));
    expect(r.flags).toContain('single_cluster');
    expect(r.lo).toBeNaN();
  });
});

describe('coverage of the 95% intervals on simulated experiments with a known effect', () => {
  // Tasks drawn from a population with difficulty p ~ U(0.2, 0.7); arm b adds 0.1 to every task's
  // rate, so the true difference is exactly 0.1 and the true ratio E[p + 0.1] / E[p] = 0.55 / 0.45.
  // Each experiment: 40 tasks x 3 replicates x 2 sessions. Coverage should be near 95%; with 300
  // experiments the Monte Carlo standard error is about 1.3 points.
  function experiment(seed: number, paired: boolean): { a: OutcomeRow[]; b: OutcomeRow[] } {
    const rng = rngFrom(`coverage-${seed}`);
    const a: OutcomeRow[] = [];
    const b: OutcomeRow[] = [];
    for (let t = 0; t < 40; t++) {
      const p = 0.2 + 0.5 * rng.next();
      const pb = paired ? p : 0.2 + 0.5 * rng.next();
      for (let rep = 0; rep < 3; rep++) {
        for (let s = 0; s < 2; s++) {
          a.push({ task: `t${t}`, replicate: rep, session: s, slot: 0, success: rng.chance(p) });
          b.push({ task: paired ? `t${t}` : `u${t}`, replicate: rep, session: s, slot: 0, success: rng.chance(pb + 0.1) });
        }
      }
    }
    return { a, b };
  }
  const runs = 300;

  it.each(['percentile', 'expanded', 'bca'] as const)('paired difference, %s: coverage within 91-99 percent', (method) => {
    let covered = 0;
    for (let i = 0; i < runs; i++) {
      const { a, b } = experiment(i, true);
      const r = pairedDifference(a, b, { seed: i, B: 1000, method });
      if (r.lo <= 0.1 && 0.1 <= r.hi) covered++;
    }
    expect(covered / runs).toBeGreaterThan(0.91);
    expect(covered / runs).toBeLessThan(0.99);
  });

  it.each(['percentile', 'expanded'] as const)('unpaired difference and ratio, %s: coverage within 91-99 percent', (method) => {
    let coveredDiff = 0;
    let coveredRatio = 0;
    for (let i = 0; i < runs; i++) {
      const { a, b } = experiment(i, false);
      const d = unpairedDifference(a, b, { seed: i, B: 1000, method });
      if (d.lo <= 0.1 && 0.1 <= d.hi) coveredDiff++;
      const r = unpairedRatio(a, b, { seed: i, B: 1000, method });
      if (r.lo <= 0.55 / 0.45 && 0.55 / 0.45 <= r.hi) coveredRatio++;
    }
    expect(coveredDiff / runs).toBeGreaterThan(0.91);
    expect(coveredDiff / runs).toBeLessThan(0.99);
    expect(coveredRatio / runs).toBeGreaterThan(0.91);
    expect(coveredRatio / runs).toBeLessThan(0.99);
  });
});
