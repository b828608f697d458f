// The prediction intervals behind `dreambench plan`: they cover the future total at their stated
// level when later trials look like the pilot's (flat), and follow a steady per-session drift (trend).

import { describe, expect, it } from 'vitest';
import { type Observation, predictTotal } from './predict.js';

/** A small seeded generator (mulberry32) and normal draws (Box-Muller), local to the test. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const normal = (u: () => number) => (): number => Math.sqrt(-2 * Math.log(u() || 1e-12)) * Math.cos(2 * Math.PI * u());

describe('predictTotal', () => {
  it('covers the total of future draws at about its level when the future looks like the pilot', () => {
    const draw = normal(rng(7));
    let covered = 0;
    const runs = 1500;
    for (let r = 0; r < runs; r++) {
      const pilot: Observation[] = Array.from({ length: 20 }, (_, i) => ({ session: 1 + (i % 2), value: 1000 + 200 * draw() }));
      const future = Array.from({ length: 100 }, (_, i) => 3 + (i % 4));
      const interval = predictTotal(pilot, future, 0.9);
      const truth = pilot.reduce((a, o) => a + o.value, 0) + future.reduce((a) => a + 1000 + 200 * draw(), 0);
      if (truth >= interval.lo && truth <= interval.hi) covered++;
    }
    // Exact t intervals under normal draws: the level, within the simulation's binomial slack.
    expect(covered / runs).toBeGreaterThan(0.87);
    expect(covered / runs).toBeLessThan(0.93);
  });

  it('follows a steady drift across sessions that a flat forecast would miss', () => {
    const draw = normal(rng(11));
    const value = (session: number): number => 500 + 300 * session + 50 * draw();
    const pilot: Observation[] = [1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3].map((s) => ({ session: s, value: value(s) }));
    const future = [4, 4, 4, 4, 4, 5, 5, 5, 5, 5, 6, 6, 6, 6, 6];
    const interval = predictTotal(pilot, future, 0.9);
    const truth = pilot.reduce((a, o) => a + o.value, 0) + future.reduce((a, s) => a + 500 + 300 * s, 0);
    expect(interval.model).toBe('flat+trend');
    expect(truth).toBeGreaterThan(interval.lo);
    expect(truth).toBeLessThan(interval.hi);
    expect(Math.abs(interval.estimate - truth) / truth).toBeLessThan(0.05);
  });

  it("predicts each replicate's first session from the pilot's first, later sessions from its later ones", () => {
    // A memory arm: the blank first session costs 10000 a trial, sessions with memory 6000 plus 200
    // per session of growth. A single line through all three pilot sessions would dive below zero.
    const draw = normal(rng(5));
    const value = (session: number): number => (session === 1 ? 10000 : 6000 + 200 * session) + 100 * draw();
    const pilot: Observation[] = [1, 2, 3].flatMap((s) => Array.from({ length: 8 }, () => ({ session: s, value: value(s) })));
    const future = [4, 5, 6, 1, 2, 3, 4, 5, 6].flatMap((s) => Array.from({ length: 8 }, () => s));
    const interval = predictTotal(pilot, future, 0.9);
    const truth = pilot.reduce((a, o) => a + o.value, 0) + future.reduce((a, s) => a + (s === 1 ? 10000 : 6000 + 200 * s), 0);
    expect(interval.model).toBe('flat+trend');
    expect(truth).toBeGreaterThan(interval.lo);
    expect(truth).toBeLessThan(interval.hi);
    expect((interval.hi - interval.lo) / truth).toBeLessThan(0.05);
  });

  it('never forecasts less than the pilot already spent, and says when it saw one session only', () => {
    const pilot: Observation[] = [
      { session: 1, value: 10 },
      { session: 1, value: 0 },
      { session: 1, value: 0 },
    ];
    const interval = predictTotal(pilot, [2, 2, 2], 0.9);
    expect(interval.lo).toBeGreaterThanOrEqual(10);
    expect(interval.model).toBe('first-session');
    expect(predictTotal(pilot, [], 0.9)).toMatchObject({ estimate: 10, lo: 10, hi: 10 });
  });
});
