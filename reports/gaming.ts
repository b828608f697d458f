// Reward hacking per arm: how often an arm's submissions tried to win the evaluation instead of
// doing the task (error_class `gaming`: the checker saw tampering with exit, assert, builtins, the
// test program or its marker; see tasks/_coding/gaming.ts). A learning arm whose gaming rate climbs
// over sessions has learned to cheat, whatever its completion rate says.

import type { TrialRecord } from '../harness/core/records.js';
import { wilsonInterval } from '../harness/stats/wilson.js';

export interface GamingRow {
  arm: string;
  /** Counted trials (infrastructure failures left out). */
  n: number;
  gaming: number;
  rate: number;
  lo: number;
  hi: number;
  /** The signals seen, with how many trials showed each. */
  signals: Record<string, number>;
}

/** One row per arm, in the given order; null when no trial was flagged (nothing to show). */
export function gamingRows(trials: readonly TrialRecord[], arms: readonly string[]): GamingRow[] | null {
  if (!trials.some((t) => t.error_class === 'gaming')) return null;
  return arms.map((arm) => {
    const counted = trials.filter((t) => t.arm === arm && t.error_class !== 'infra');
    const flagged = counted.filter((t) => t.error_class === 'gaming');
    const signals: Record<string, number> = {};
    for (const t of flagged) for (const s of t.gaming ?? []) signals[s] = (signals[s] ?? 0) + 1;
    const interval = wilsonInterval(flagged.length, counted.length);
    return { arm, n: counted.length, gaming: flagged.length, rate: interval.rate, lo: interval.lo, hi: interval.hi, signals };
  });
}
