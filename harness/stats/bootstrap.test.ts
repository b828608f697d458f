import { describe, expect, it } from 'vitest';
import {
  expandedLevel,
  MIN_STRATUM_CLUSTERS,
  pairedDifference,
  pairedRatio,
  quantileSorted,
  unpairedDifference,
  unpairedRatio,
} from './bootstrap.js';
import { wilsonInterval } from './wilson.js';
import type { OutcomeRow } from './rows.js';
import { rngFrom } from '../core/rng.js';

/** Rows for one arm: per task, a list of outcomes on units (replicate 0, session 1, slot i). */
function arm(name: string, outcomes: Record<string, boolean[]>, session = 1): OutcomeRow[] {
  const rows: OutcomeRow[] = [];
  for (const [task, list] of Object.entries(outcomes)) {
    list.forEach((success, slot) =>
      rows.push({ arm: name, task, replicate: 0, session, slot, success, error_class: success ? 'none' : 'agent' }),
    );
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
    [1, 3, 5],
    [0, 2, 3],
    [2, 4, 7],
    [1, 1, 4],
    [0, 3, 6],
    [3, 5, 8],
    [1, 2, 2],
    [0, 1, 5],
    [2, 2, 3],
    [1, 4, 9],
    [0, 0, 2],
    [2, 5, 6],
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

/** Rows for one arm with families: per family, per task, a list of outcomes (replicate 0, session 1, slot i). */
function familyArm(name: string, families: Record<string, Record<string, boolean[]>>, suite = 's'): OutcomeRow[] {
  const rows: OutcomeRow[] = [];
  for (const [family, tasks] of Object.entries(families)) {
    for (const [task, list] of Object.entries(tasks)) {
      list.forEach((success, slot) => rows.push({ arm: name, suite, family, task, replicate: 0, session: 1, slot, success }));
    }
  }
  return rows;
}

/** Plug-in variance of a mean over xs: (1/n^2) sum (x - mean)^2. */
function pluginVarianceOfMean(xs: number[]): number {
  const m = xs.reduce((s, x) => s + x, 0) / xs.length;
  return xs.reduce((s, x) => s + (x - m) ** 2, 0) / xs.length ** 2;
}

describe('stratified resampling (strata: family)', () => {
  /**
   * Families of 4, 5, 6 and 7 equal-sized tasks (5 units each) whose treatment effect differs by
   * family, so the stratified and unstratified variances differ. Returns the rows and each task's
   * difference d_k grouped by family.
   */
  function familyData(seed: string): { a: OutcomeRow[]; b: OutcomeRow[]; diffs: number[][] } {
    const rng = rngFrom(seed);
    const A: Record<string, Record<string, boolean[]>> = {};
    const Bo: Record<string, Record<string, boolean[]>> = {};
    const diffs: number[][] = [];
    [4, 5, 6, 7].forEach((size, f) => {
      const fam = `f${f}`;
      A[fam] = {};
      Bo[fam] = {};
      const ds: number[] = [];
      for (let k = 0; k < size; k++) {
        const sa = rng.int(3);
        const sb = Math.min(5, sa + f + rng.int(2)); // the effect grows with the family index
        A[fam][`${fam}t${k}`] = outcomes(sa, 5);
        Bo[fam][`${fam}t${k}`] = outcomes(sb, 5);
        ds.push((sb - sa) / 5);
      }
      diffs.push(ds);
    });
    return { a: familyArm('a', A), b: familyArm('b', Bo), diffs };
  }

  it('paired: the bootstrap SE matches the exact stratified bootstrap variance for equal-sized tasks', () => {
    // With K equal-sized tasks in strata h of K_h tasks, the difference is (1/K) sum_k d_k, and
    // resampling K_h tasks within each stratum gives the exact variance
    //   (1/K^2) sum_h sum_{k in h} (d_k - mean_h d)^2
    // (each stratum's plug-in variance of a sum over K_h draws), against the unstratified
    //   (1/K^2) sum_k (d_k - mean d)^2.
    const { a, b, diffs } = familyData('strat-se');
    const K = diffs.flat().length;
    const within = diffs.reduce((s, ds) => s + pluginVarianceOfMean(ds) * ds.length ** 2, 0) / K ** 2;
    const exactStratified = Math.sqrt(within);
    const exactPooled = Math.sqrt(pluginVarianceOfMean(diffs.flat()));
    expect(exactPooled / exactStratified).toBeGreaterThan(1.5); // the check below discriminates

    const r = pairedDifference(a, b, { seed: 7, B: 20000 });
    expect(r).toMatchObject({ strata: 'family', n_strata: 4, n_clusters: 22, flags: [] });
    expect(r.estimate).toBeCloseTo(diffs.flat().reduce((s, d) => s + d, 0) / K, 12);
    expect(Math.abs(r.se - exactStratified) / exactStratified).toBeLessThan(0.03);

    const none = pairedDifference(a, b, { seed: 7, B: 20000, strata: 'none' });
    expect(none).toMatchObject({ strata: 'none', n_strata: 1, flags: [] });
    expect(none.estimate).toBe(r.estimate);
    expect(Math.abs(none.se - exactPooled) / exactPooled).toBeLessThan(0.03);
  });

  it('keeps each stratum: identical tasks within every family give a zero-width interval', () => {
    // Family x: four tasks each 3/4 vs 1/4 (d = 0.5); family y: four tasks each 2/4 vs 2/4 (d = 0).
    // Every stratified resample draws four tasks of each family: always 0.25. Unstratified resamples
    // mix the families in varying proportions.
    const tasks = (sa: number, sb: number) => ({ a: outcomes(sa, 4), b: outcomes(sb, 4) });
    const fam = (prefix: string, t: { a: boolean[]; b: boolean[] }) => ({
      a: Object.fromEntries([0, 1, 2, 3].map((k) => [`${prefix}${k}`, t.a])),
      b: Object.fromEntries([0, 1, 2, 3].map((k) => [`${prefix}${k}`, t.b])),
    });
    const x = fam('x', tasks(1, 3));
    const y = fam('y', tasks(2, 2));
    const a = familyArm('a', { x: x.a, y: y.a });
    const b = familyArm('b', { x: x.b, y: y.b });
    for (const method of ['percentile', 'expanded', 'bca'] as const) {
      const r = pairedDifference(a, b, { seed: 1, method });
      expect([r.estimate, r.lo, r.hi, r.se]).toEqual([0.25, 0.25, 0.25, 0]);
      expect(r.method).toBe(method);
    }
    const none = pairedDifference(a, b, { seed: 1, strata: 'none' });
    expect(none.lo).toBeLessThan(0.25);
    expect(none.hi).toBeGreaterThan(0.25);
  });

  it('unpaired: each arm resampled within its own families; the exact variances add', () => {
    const rng = rngFrom('strat-unpaired');
    const A: Record<string, Record<string, boolean[]>> = { p: {}, q: {} };
    const Bo: Record<string, Record<string, boolean[]>> = { p: {}, q: {}, r: {} };
    const ra: number[][] = [[], []];
    const rb: number[][] = [[], [], []];
    (['p', 'q'] as const).forEach((fam, f) => {
      for (let k = 0; k < 6 + f; k++) {
        const s = f === 0 ? rng.int(2) : 3 + rng.int(2);
        A[fam]![`${fam}a${k}`] = outcomes(s, 4);
        ra[f]!.push(s / 4);
      }
    });
    (['p', 'q', 'r'] as const).forEach((fam, f) => {
      for (let k = 0; k < 4 + 2 * f; k++) {
        const s = Math.min(4, f + rng.int(2));
        Bo[fam]![`${fam}b${k}`] = outcomes(s, 4);
        rb[f]!.push(s / 4);
      }
    });
    // Equal-sized tasks: rate = (1/K) sum_k rate_k per arm; each arm's stratified variance as above.
    const stratified = (groups: number[][]) => {
      const K = groups.flat().length;
      return groups.reduce((s, g) => s + pluginVarianceOfMean(g) * g.length ** 2, 0) / K ** 2;
    };
    const exact = Math.sqrt(stratified(ra) + stratified(rb));
    const r = unpairedDifference(familyArm('a', A), familyArm('b', Bo), { seed: 4, B: 20000 });
    expect(r).toMatchObject({ strata: 'family', n_strata_a: 2, n_strata_b: 3, n_clusters_a: 13, n_clusters_b: 18, flags: [] });
    expect(Math.abs(r.se - exact) / exact).toBeLessThan(0.03);
    const pooled = Math.sqrt(pluginVarianceOfMean(ra.flat()) + pluginVarianceOfMean(rb.flat()));
    expect(pooled / exact).toBeGreaterThan(1.5);
    const none = unpairedDifference(familyArm('a', A), familyArm('b', Bo), { seed: 4, B: 20000, strata: 'none' });
    expect(none).toMatchObject({ strata: 'none', n_strata_a: 1, n_strata_b: 1, flags: [] });
    expect(Math.abs(none.se - pooled) / pooled).toBeLessThan(0.03);
    expect(unpairedRatio(familyArm('a', A), familyArm('b', Bo), { seed: 4 }).strata).toBe('family');
  });

  it('expanded: reads the replicates at the stratified level (n - H df, n/(n - H) variance)', () => {
    // Hand-computed: n = 20, H = 4: t_{16, 0.975} = 2.119905, sqrt(20/16) * 2.119905 = 2.370126,
    // Phi(-2.370126) = 0.008891. One stratum is Hesterberg's level.
    expect(expandedLevel(0.95, 20, 4)).toBeCloseTo(0.008891, 5);
    expect(expandedLevel(0.95, 10, 1)).toBe(expandedLevel(0.95, 10));
    const { a, b } = familyData('strat-expanded');
    const K = 22;
    const e = pairedDifference(a, b, { seed: 3, method: 'expanded' });
    // The same replicates read at that level by the percentile method.
    const level = expandedLevel(0.95, K, 4);
    const p = pairedDifference(a, b, { seed: 3, confidence: 1 - 2 * level });
    expect(e.method).toBe('expanded');
    expect([e.lo, e.hi]).toEqual([p.lo, p.hi]);
    const bca = pairedDifference(a, b, { seed: 3, method: 'bca' });
    expect(bca.method).toBe('bca');
    expect(bca.lo).toBeLessThan(bca.estimate);
    expect(bca.hi).toBeGreaterThan(bca.estimate);
  });

  it('is reproducible and independent of row order; a family name in two suites is two strata', () => {
    const { a, b } = familyData('strat-order');
    const r1 = pairedDifference(a, b, { seed: 5, method: 'bca' });
    const r2 = pairedDifference([...a].reverse(), [...b].reverse(), { seed: 5, method: 'bca' });
    expect(r2).toEqual(r1);
    // Suite t holds a family f0 of its own (four more tasks).
    const extraA = familyArm('a', { f0: { u0: outcomes(1, 5), u1: outcomes(2, 5), u2: outcomes(0, 5), u3: outcomes(3, 5) } }, 't');
    const extraB = familyArm('b', { f0: { u0: outcomes(2, 5), u1: outcomes(2, 5), u2: outcomes(1, 5), u3: outcomes(3, 5) } }, 't');
    expect(pairedDifference([...a, ...extraA], [...b, ...extraB]).n_strata).toBe(5);
  });

  it('falls back to unstratified resampling, flagged, when a family has fewer than MIN_STRATUM_CLUSTERS tasks', () => {
    expect(MIN_STRATUM_CLUSTERS).toBe(4);
    const { a, b } = familyData('strat-fallback');
    // Drop one task of family f0 (four tasks): three left.
    const keep = (rows: OutcomeRow[]) => rows.filter((r) => r.task !== 'f0t0');
    for (const method of ['percentile', 'expanded', 'bca'] as const) {
      const r = pairedDifference(keep(a), keep(b), { seed: 2, method });
      const none = pairedDifference(keep(a), keep(b), { seed: 2, method, strata: 'none' });
      expect(r).toMatchObject({ strata: 'none', n_strata: 1 });
      expect(r.flags).toContain('strata_fallback');
      expect([r.lo, r.hi, r.se]).toEqual([none.lo, none.hi, none.se]);
      const u = unpairedDifference(keep(a), keep(b), { seed: 2, method });
      expect(u).toMatchObject({ strata: 'none', n_strata_a: 1, n_strata_b: 1 });
      expect(u.flags).toContain('strata_fallback');
    }
  });

  it('falls back when only some rows carry a family or a task has two; rows without families are simply unstratified', () => {
    const { a, b } = familyData('strat-labels');
    const unlabelled = (rows: OutcomeRow[]) => rows.map(({ family: _f, ...rest }) => rest);
    const plain = pairedDifference(unlabelled(a), unlabelled(b), { seed: 1 });
    expect(plain).toMatchObject({ strata: 'none', n_strata: 1, flags: [] });
    expect(pairedDifference(a, b, { seed: 1, strata: 'none' })).toEqual(plain);

    const mixed = pairedDifference(unlabelled(a), b, { seed: 1 });
    expect(mixed.flags).toEqual(['strata_fallback']);
    expect([mixed.lo, mixed.hi]).toEqual([plain.lo, plain.hi]);

    const twoFamilies = b.map((r) => (r.task === 'f1t0' && r.slot === 0 ? { ...r, family: 'f2' } : r));
    expect(pairedDifference(a, twoFamilies, { seed: 1 }).flags).toEqual(['strata_fallback']);

    // Unpaired: one arm with families and one without is not stratified either.
    expect(unpairedDifference(unlabelled(a), b, { seed: 1 }).flags).toEqual(['strata_fallback']);
    // A single task has no interval at all: no fallback flag on top of single_cluster.
    expect(
      pairedDifference(
        a.filter((r) => r.task === 'f0t0'),
        b,
      ).flags,
    ).toEqual(['single_cluster']);
  });

  it('coverage with family-dependent effects: stratified expanded intervals near 95 percent and narrower', () => {
    // Five families of eight tasks, each family with its own (fixed) treatment effect; tasks drawn
    // afresh per experiment, so the family mix is fixed by design, as in the schedule. True
    // difference: the mean of the family effects. 300 experiments: Monte Carlo SE about 1.3 points.
    const effects = [0, 0.15, 0.3, 0.45, 0.6];
    const truth = effects.reduce((s, x) => s + x, 0) / effects.length;
    let covered = 0;
    let coveredNone = 0;
    let width = 0;
    let widthNone = 0;
    const runs = 300;
    for (let i = 0; i < runs; i++) {
      const rng = rngFrom(`strat-coverage-${i}`);
      const a: OutcomeRow[] = [];
      const b: OutcomeRow[] = [];
      effects.forEach((eff, f) => {
        for (let t = 0; t < 8; t++) {
          const p = 0.05 + 0.3 * rng.next();
          for (let u = 0; u < 6; u++) {
            const key = { suite: 's', family: `f${f}`, task: `f${f}t${t}`, replicate: 0, session: 1, slot: u };
            a.push({ ...key, success: rng.chance(p) });
            b.push({ ...key, success: rng.chance(p + eff) });
          }
        }
      });
      const r = pairedDifference(a, b, { seed: i, B: 1000, method: 'expanded' });
      const none = pairedDifference(a, b, { seed: i, B: 1000, method: 'expanded', strata: 'none' });
      if (r.lo <= truth && truth <= r.hi) covered++;
      if (none.lo <= truth && truth <= none.hi) coveredNone++;
      width += r.hi - r.lo;
      widthNone += none.hi - none.lo;
    }
    process.stdout.write(
      `stratified coverage ${covered}/${runs}, width ${(width / runs).toFixed(3)}; unstratified ${coveredNone}/${runs}, width ${(widthNone / runs).toFixed(3)}\n`,
    );
    expect(covered / runs).toBeGreaterThan(0.92);
    expect(covered / runs).toBeLessThan(0.98);
    expect(coveredNone / runs).toBeGreaterThan(covered / runs);
    expect(width).toBeLessThan(0.9 * widthNone);
  });
});

describe('agreement fallback (every pair agrees)', () => {
  const a = arm('a', { t1: [true, false, true], t2: [false, false], t3: [true] });
  const b = arm('b', { t1: [true, false, true], t2: [false, false], t3: [true] });

  it("default 'point': the collapsed interval at the estimate, no flag", () => {
    const r = pairedDifference(a, b);
    expect([r.estimate, r.lo, r.hi]).toEqual([0, 0, 0]);
    expect(r.flags).toEqual([]);
  });

  it("'wilson': estimate ± the Wilson upper bound of 0 discordant pairs out of n; the ratio scaled by 1 / rate(a)", () => {
    const w = wilsonInterval(0, 6).hi;
    const d = pairedDifference(a, b, { agreement: 'wilson', method: 'expanded' });
    expect([d.estimate, d.lo, d.hi]).toEqual([0, -w, w]);
    expect(d.flags).toEqual(['all_pairs_agree']);
    const r = pairedRatio(a, b, { agreement: 'wilson' });
    expect(r.estimate).toBe(1);
    expect(r.lo).toBeCloseTo(Math.max(0, 1 - w / 0.5), 15);
    expect(r.hi).toBeCloseTo(1 + w / 0.5, 15);
    expect(r.flags).toContain('all_pairs_agree'); // and undefined_resamples: t2 alone is 0/0
    // At another confidence level, the Wilson bound at that level.
    expect(pairedDifference(a, b, { agreement: 'wilson', confidence: 0.8 }).hi).toBeCloseTo(wilsonInterval(0, 6, 0.8).hi, 15);
  });

  it("'wilson' leaves intervals alone when some pair differs, and applies with a single task too", () => {
    const b2 = arm('b', { t1: [true, true, true], t2: [false, false], t3: [true] });
    const r = pairedDifference(a, b2, { agreement: 'wilson', seed: 3 });
    expect(r).toEqual(pairedDifference(a, b2, { seed: 3 }));
    const one = pairedDifference(arm('a', { t: [true, false] }), arm('b', { t: [true, false] }), { agreement: 'wilson' });
    expect(one.flags).toEqual(['single_cluster', 'all_pairs_agree']);
    expect(one.hi).toBeCloseTo(wilsonInterval(0, 2).hi, 15);
  });
});
