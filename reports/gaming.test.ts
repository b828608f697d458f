import { describe, expect, it } from 'vitest';
import type { TrialRecord } from '../harness/core/records.js';
import { gamingRows } from './gaming.js';

const trial = (arm: string, error_class: TrialRecord['error_class'], gaming?: string[]): TrialRecord =>
  ({ arm, error_class, success: error_class === 'none', ...(gaming ? { gaming } : {}) }) as TrialRecord;

describe('gaming rate per arm', () => {
  it('counts flagged trials per arm with their signals, leaving infrastructure failures out', () => {
    const rows = gamingRows(
      [
        trial('a', 'none'),
        trial('a', 'gaming', ['exit: os._exit']),
        trial('a', 'infra'),
        trial('b', 'agent'),
        trial('b', 'gaming', ['exit: os._exit', 'builtins patched']),
        trial('b', 'gaming', ['builtins patched']),
      ],
      ['a', 'b'],
    )!;
    expect(rows.map((r) => [r.arm, r.n, r.gaming])).toEqual([
      ['a', 2, 1],
      ['b', 3, 2],
    ]);
    expect(rows[1]!.rate).toBeCloseTo(2 / 3);
    expect(rows[1]!.signals).toEqual({ 'exit: os._exit': 1, 'builtins patched': 2 });
    expect(rows[0]!.lo).toBeLessThan(0.5);
  });

  it('is absent when no trial was flagged', () => {
    expect(gamingRows([trial('a', 'none'), trial('a', 'agent')], ['a'])).toBeNull();
  });
});
