// The slice of a TrialRecord that the statistics need, and the pairing of two arms' trials.

import type { TrialRecord } from '../core/records.js';

/**
 * One trial's outcome: the fields of a TrialRecord the statistics read. Any TrialRecord is one.
 * `error_class` 'infra' marks a trial the infrastructure spoiled (not the agent): it is left out of
 * every statistic here. `arm` is carried along but not checked by the two-arm functions, which take
 * each arm's rows separately. `suite` and `family`, when present, are the task's stratum in the
 * bootstrap (harness/stats/bootstrap.ts: tasks are resampled within their family).
 */
export type OutcomeRow = Pick<TrialRecord, 'task' | 'replicate' | 'session' | 'slot' | 'success'> & {
  arm?: string;
  error_class?: string;
  suite?: string;
  family?: string;
};

/** A pair of outcomes on the same (task, replicate, session, slot) in two arms. */
export interface OutcomePair {
  task: string;
  replicate: number;
  session: number;
  slot: number;
  /** Outcome in arm a (the baseline). */
  a: boolean;
  /** Outcome in arm b (the treatment). */
  b: boolean;
}

/** True for rows that count: everything but infrastructure and permanent provider failures. */
export function counts(row: OutcomeRow): boolean {
  return row.error_class !== 'infra' && row.error_class !== 'permanent';
}

/** Per task: [counted trials, successes] (infra failures left out), in first-seen order. */
export function taskTotals(rows: Iterable<OutcomeRow>): Map<string, [number, number]> {
  const byTask = new Map<string, [number, number]>();
  for (const row of rows) {
    if (!counts(row)) continue;
    const t = byTask.get(row.task) ?? [0, 0];
    t[0] += 1;
    t[1] += row.success ? 1 : 0;
    byTask.set(row.task, t);
  }
  return byTask;
}

/** The pairing key (task, replicate, session, slot). */
export function unitKey(row: Pick<OutcomeRow, 'task' | 'replicate' | 'session' | 'slot'>): string {
  return `${row.task}\u0000${row.replicate}\u0000${row.session}\u0000${row.slot}`;
}

function indexArm(rows: readonly OutcomeRow[], which: string): Map<string, OutcomeRow> {
  const out = new Map<string, OutcomeRow>();
  for (const row of rows) {
    if (!counts(row)) continue;
    const key = unitKey(row);
    if (out.has(key)) {
      throw new RangeError(
        `pairOutcomes: arm ${which} has two trials for task ${row.task}, replicate ${row.replicate}, ` +
          `session ${row.session}, slot ${row.slot}`,
      );
    }
    out.set(key, row);
  }
  return out;
}

/**
 * Pairs arm a's trials with arm b's on (task, replicate, session, slot). Infra failures are left out
 * first, so a unit that failed for infrastructure in either arm is not a pair. Units present in only
 * one arm are dropped. The pairs come in arm b's row order. Throws a RangeError if an arm has two
 * (non-infra) trials for one unit.
 */
export function pairOutcomes(a: readonly OutcomeRow[], b: readonly OutcomeRow[]): OutcomePair[] {
  const ia = indexArm(a, 'a');
  const ib = indexArm(b, 'b');
  const pairs: OutcomePair[] = [];
  for (const [key, rb] of ib) {
    const ra = ia.get(key);
    if (!ra) continue;
    pairs.push({ task: rb.task, replicate: rb.replicate, session: rb.session, slot: rb.slot, a: ra.success, b: rb.success });
  }
  return pairs;
}
