import { describe, expect, it } from 'vitest';
import { areaUnderCurve, curveSlope, learningCurve, learningCurves, learningCurveTrend } from './curves.js';
import type { OutcomeRow } from './rows.js';
import { wilsonInterval } from './wilson.js';
import { rngFrom } from '../core/rng.js';

/** Rows of one arm: for each session, per task, k successes out of n. */
function rows(arm: string, spec: Record<number, Record<string, [number, number]>>): OutcomeRow[] {
  const out: OutcomeRow[] = [];
  for (const [session, tasks] of Object.entries(spec)) {
    for (const [task, [k, n]] of Object.entries(tasks)) {
      for (let i = 0; i < n; i++) out.push({ arm, task, replicate: 0, session: Number(session), slot: i, success: i < k });
    }
  }
  return out;
}

describe('learningCurve', () => {
  it('rate per session with Wilson bands, infra left out, sessions ascending', () => {
    const r = rows('x', { 2: { t: [81, 263] }, 1: { t: [15, 148] } });
    r.push({ arm: 'x', task: 't', replicate: 0, session: 3, slot: 0, success: true, error_class: 'infra' });
    const curve = learningCurve(r);
    expect(curve.map((p) => p.session)).toEqual([1, 2]);
    expect(curve[0]).toEqual({ session: 1, n: 148, successes: 15, ...wilsonInterval(15, 148) });
    // Newcombe (1998) example 81/263: 0.2553 to 0.3662.
    expect(curve[1]!.lo).toBeCloseTo(0.2553, 4);
    expect(curve[1]!.hi).toBeCloseTo(0.3662, 4);
  });

  it('learningCurves splits by arm in order of first appearance', () => {
    const all = [...rows('b', { 1: { t: [1, 2] } }), ...rows('a', { 1: { t: [2, 2] }, 2: { t: [0, 1] } })];
    const curves = learningCurves(all, 0.9);
    expect(curves.map((c) => c.arm)).toEqual(['b', 'a']);
    expect(curves[1]!.points.map((p) => [p.session, p.rate])).toEqual([
      [1, 1],
      [2, 0],
    ]);
    expect(curves[1]!.points[0]!.lo).toBeCloseTo(wilsonInterval(2, 2, 0.9).lo, 15);
  });
});

describe('areaUnderCurve', () => {
  it('hand-computed trapezoids, normalized by the span', () => {
    // Sessions 1..3 with rates 0.2, 0.4, 0.9: (0.3 + 0.65) / 2 = 0.475.
    expect(
      areaUnderCurve([
        { session: 1, rate: 0.2 },
        { session: 2, rate: 0.4 },
        { session: 3, rate: 0.9 },
      ]),
    ).toBeCloseTo(0.475, 15);
    // Uneven spacing, any order: sessions 0, 1, 4 with rates 0, 1, 1: (0.5 + 3) / 4 = 0.875.
    expect(
      areaUnderCurve([
        { session: 4, rate: 1 },
        { session: 0, rate: 0 },
        { session: 1, rate: 1 },
      ]),
    ).toBeCloseTo(0.875, 15);
    // Constant curve: its value.
    expect(
      areaUnderCurve([
        { session: 1, rate: 0.3 },
        { session: 9, rate: 0.3 },
      ]),
    ).toBeCloseTo(0.3, 15);
    expect(areaUnderCurve([{ session: 5, rate: 0.7 }])).toBe(0.7);
    expect(areaUnderCurve([])).toBeNaN();
  });
});

describe('curveSlope', () => {
  it('hand-computed: rates 0.2, 0.4, 0.6 over sessions 1..3 with equal n: slope 0.2', () => {
    expect(
      curveSlope([
        { session: 1, n: 10, successes: 2 },
        { session: 2, n: 10, successes: 4 },
        { session: 3, n: 10, successes: 6 },
      ]),
    ).toBeCloseTo(0.2, 14);
  });
  it('weights sessions by trials (OLS on the trials)', () => {
    // Trials: session 0: 1 of 1; session 1: 0 of 3. x = (0,1,1,1), y = (1,0,0,0):
    // xbar = 0.75, Sxx = 0.75, Sxy = sum (x - xbar) y = -0.75, slope = -1.
    expect(
      curveSlope([
        { session: 0, n: 1, successes: 1 },
        { session: 1, n: 3, successes: 0 },
      ]),
    ).toBeCloseTo(-1, 14);
    // Sessions 0, 1, 2 with n 2, 1, 1 and successes 0, 1, 1: x = (0,0,1,2), y = (0,0,1,1):
    // xbar = 0.75, Sxx = 2.75, Sxy = 0.25 + 1.25 = 1.5, slope = 6/11.
    expect(
      curveSlope([
        { session: 0, n: 2, successes: 0 },
        { session: 1, n: 1, successes: 1 },
        { session: 2, n: 1, successes: 1 },
      ]),
    ).toBeCloseTo(6 / 11, 14);
  });
  it('one session: NaN', () => {
    expect(curveSlope([{ session: 3, n: 10, successes: 2 }])).toBeNaN();
  });
});

describe('learningCurveTrend', () => {
  it('estimates match the curve functions; interval brackets a clear upward trend', () => {
    const rng = rngFrom('trend');
    const data: OutcomeRow[] = [];
    for (let t = 0; t < 20; t++) {
      const base = 0.1 + 0.3 * rng.next();
      for (let s = 1; s <= 6; s++) {
        for (let rep = 0; rep < 3; rep++)
          data.push({ task: `t${t}`, replicate: rep, session: s, slot: 0, success: rng.chance(base + 0.08 * (s - 1)) });
      }
    }
    const curve = learningCurve(data);
    const r = learningCurveTrend(data, { seed: 1 });
    expect(r.slope.estimate).toBeCloseTo(curveSlope(curve), 14);
    expect(r.auc.estimate).toBeCloseTo(areaUnderCurve(curve), 14);
    expect(r).toMatchObject({ n: 360, sessions: 6, n_clusters: 20, B: 2000, flags: [] });
    expect(r.slope.lo).toBeGreaterThan(0);
    expect(r.slope.lo).toBeLessThan(r.slope.estimate);
    expect(r.slope.hi).toBeGreaterThan(r.slope.estimate);
    expect(r.auc.lo).toBeLessThan(r.auc.estimate);
    expect(r.auc.hi).toBeGreaterThan(r.auc.estimate);
    expect(learningCurveTrend(data, { seed: 1 })).toEqual(r);
    const byRep = learningCurveTrend(data, { seed: 1, cluster: 'replicate' });
    expect(byRep.n_clusters).toBe(3);
    expect(byRep.slope.estimate).toBeCloseTo(r.slope.estimate, 14);
    const expanded = learningCurveTrend(data, { seed: 1, method: 'expanded' });
    expect(expanded.slope.hi - expanded.slope.lo).toBeGreaterThan(r.slope.hi - r.slope.lo);
  });

  it('identical tasks: zero-width intervals (hand-computed slope 0.25)', () => {
    const data = rows('x', { 1: { a: [1, 4], b: [1, 4] }, 2: { a: [2, 4], b: [2, 4] }, 3: { a: [3, 4], b: [3, 4] } });
    const r = learningCurveTrend(data, { B: 200 });
    expect(r.slope.estimate).toBeCloseTo(0.25, 14);
    expect(r.slope.lo).toBeCloseTo(0.25, 14);
    expect(r.slope.hi).toBeCloseTo(0.25, 14);
    expect(r.auc.estimate).toBeCloseTo(0.5, 14);
  });

  it('degenerate inputs: no data, one task, one session', () => {
    expect(learningCurveTrend([]).flags).toEqual(['no_data']);
    const one = learningCurveTrend(rows('x', { 1: { a: [1, 4] }, 2: { a: [3, 4] } }));
    expect(one.flags).toEqual(['single_cluster']);
    expect(one.slope.estimate).toBeCloseTo(0.5, 14);
    expect(one.slope.lo).toBeNaN();
    const flat = learningCurveTrend(rows('x', { 1: { a: [1, 4], b: [3, 4] } }), { B: 100 });
    expect(flat.flags).toEqual(['single_session']);
    expect(flat.slope.estimate).toBeNaN();
    expect(flat.auc.estimate).toBeCloseTo(0.5, 15);
  });
});
