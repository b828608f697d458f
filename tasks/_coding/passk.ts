// pass@k for the coding suites, per arm, from a run's trial records: the unbiased estimator of Chen
// et al. (harness/stats/passk.ts) over each task's attempts (its counted trials across replicates and
// sessions), averaged over tasks. Two outcomes are reported:
//
//   success   the trial's success (hidden tests pass and, in coding-humaneval, the house-style review)
//   tests     the hidden tests alone (check `tests`): HumanEval's functional correctness, comparable
//             with published pass@k figures
//
// pass@1 here is the per-task mean of c/n, HumanEval's convention; tasks with fewer than k attempts
// are left out of pass@k and counted.

import type { TrialRecord } from '../../harness/core/records.js';
import { passKFromRows } from '../../harness/stats/passk.js';
import type { OutcomeRow } from '../../harness/stats/rows.js';

export const CODING_SUITES = ['coding-humaneval', 'coding-custom'];

export interface PassKCell {
  k: number;
  estimate: number;
  /** Tasks with at least k attempts (averaged over). */
  tasks: number;
  /** Tasks left out for having fewer than k attempts. */
  skipped: number;
}

export interface CodingPassKRow {
  arm: string;
  suite: string;
  /** Counted trials (infra failures left out). */
  trials: number;
  tasks: number;
  success: PassKCell[];
  tests: PassKCell[];
}

type Record_ = Pick<TrialRecord, 'arm' | 'suite' | 'task' | 'replicate' | 'session' | 'slot' | 'success' | 'error_class' | 'checks'>;

function cells(rows: OutcomeRow[], ks: readonly number[]): PassKCell[] {
  return ks.map((k) => {
    const summary = passKFromRows(rows, k);
    return { k, estimate: summary.estimate, tasks: summary.n_tasks, skipped: summary.skipped.length };
  });
}

/** pass@k per (arm, coding suite) for each k in `ks`. */
export function codingPassK(records: readonly Record_[], ks: readonly number[] = [1, 5, 10]): CodingPassKRow[] {
  const groups = new Map<string, Record_[]>();
  for (const record of records) {
    if (!CODING_SUITES.includes(record.suite)) continue;
    const key = `${record.arm}\u0000${record.suite}`;
    groups.set(key, [...(groups.get(key) ?? []), record]);
  }
  const rows: CodingPassKRow[] = [];
  for (const [key, group] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
    const [arm, suite] = key.split('\u0000') as [string, string];
    const counted = group.filter((r) => r.error_class !== 'infra');
    const row = (r: Record_, passed: boolean): OutcomeRow => ({
      task: r.task,
      replicate: r.replicate,
      session: r.session,
      slot: r.slot,
      success: passed,
      error_class: r.error_class,
    });
    const success = counted.map((r) => row(r, r.success));
    const tests = counted.map((r) =>
      row(
        r,
        r.checks.some((c) => c.id === 'tests' && c.passed),
      ),
    );
    rows.push({
      arm,
      suite,
      trials: counted.length,
      tasks: new Set(counted.map((r) => r.task)).size,
      success: cells(success, ks),
      tests: cells(tests, ks),
    });
  }
  return rows;
}

const pct = (cell: PassKCell): string => (Number.isNaN(cell.estimate) ? 'n/a' : `${(cell.estimate * 100).toFixed(1)}%`);

/** A Markdown table of the rows. */
export function formatCodingPassK(rows: readonly CodingPassKRow[]): string {
  if (rows.length === 0) return 'No trials of a coding suite.\n';
  const ks = rows[0]!.success.map((c) => c.k);
  const head = ['arm', 'suite', 'trials', 'tasks', ...ks.map((k) => `pass@${k}`), ...ks.map((k) => `tests pass@${k}`)];
  const lines = [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`];
  for (const row of rows) {
    lines.push(
      `| ${[row.arm, row.suite, String(row.trials), String(row.tasks), ...row.success.map(pct), ...row.tests.map(pct)].join(' | ')} |`,
    );
  }
  const skipped = rows.flatMap((r) =>
    [...r.success]
      .filter((c) => c.skipped > 0)
      .map((c) => `${r.arm}/${r.suite}: pass@${c.k} over ${c.tasks} tasks (${c.skipped} with fewer than ${c.k} attempts left out)`),
  );
  return `${lines.join('\n')}\n${skipped.length ? `\n${skipped.join('\n')}\n` : ''}`;
}
