import { describe, expect, it } from 'vitest';
import { holmAdjust, holmReject } from './holm.js';

describe('holmAdjust', () => {
  it('hand-computed: p = (0.01, 0.04, 0.03, 0.005)', () => {
    // Sorted: 0.005, 0.01, 0.03, 0.04; times 4, 3, 2, 1: 0.02, 0.03, 0.06, 0.04; running max:
    // 0.02, 0.03, 0.06, 0.06. Back in input order: 0.03, 0.06, 0.06, 0.02.
    const adj = holmAdjust([0.01, 0.04, 0.03, 0.005]);
    [0.03, 0.06, 0.06, 0.02].forEach((v, i) => expect(adj[i]).toBeCloseTo(v, 15));
    expect(holmReject([0.01, 0.04, 0.03, 0.005])).toEqual([true, false, false, true]);
  });

  it('hand-computed: caps at 1 and keeps monotone', () => {
    // Sorted 0.2, 0.3, 0.5; times 3, 2, 1: 0.6, 0.6, 0.5 -> running max 0.6, 0.6, 0.6.
    const adj = holmAdjust([0.5, 0.2, 0.3]);
    [0.6, 0.6, 0.6].forEach((v, i) => expect(adj[i]).toBeCloseTo(v, 15));
    expect(holmAdjust([0.4, 0.9])).toEqual([0.8, 0.9]);
    expect(holmAdjust([0.6, 0.7])).toEqual([1, 1]);
  });

  it('one p-value is unchanged; empty family is empty; ties share the value', () => {
    expect(holmAdjust([0.03])).toEqual([0.03]);
    expect(holmAdjust([])).toEqual([]);
    expect(holmAdjust([0.01, 0.01, 0.5])).toEqual([0.03, 0.03, 0.5]);
  });

  it('NaN stays NaN and counts toward the family by default (as R p.adjust); m overrides', () => {
    const adj = holmAdjust([0.01, NaN, 0.02]);
    expect(adj[0]).toBeCloseTo(0.03, 15); // 3 * 0.01
    expect(adj[1]).toBeNaN();
    expect(adj[2]).toBeCloseTo(0.04, 15); // 2 * 0.02
    const two = holmAdjust([0.01, NaN, 0.02], { m: 2 });
    expect(two[0]).toBeCloseTo(0.02, 15);
    expect(two[2]).toBeCloseTo(0.02, 15);
    expect(holmReject([NaN], 0.05)).toEqual([false]);
  });

  it('never below the raw p-values, never above Bonferroni', () => {
    const p = [0.001, 0.2, 0.04, 0.013, 0.7, 0.03];
    const adj = holmAdjust(p);
    p.forEach((x, i) => {
      expect(adj[i]).toBeGreaterThanOrEqual(x);
      expect(adj[i]).toBeLessThanOrEqual(Math.min(1, x * p.length) + 1e-15);
    });
  });

  it('rejects invalid input', () => {
    expect(() => holmAdjust([1.2])).toThrow(RangeError);
    expect(() => holmAdjust([-0.1])).toThrow(RangeError);
    expect(() => holmAdjust([0.1, 0.2], { m: 1 })).toThrow(RangeError);
    expect(() => holmReject([0.1], 0)).toThrow(RangeError);
  });
});
