import { describe, expect, it } from 'vitest';
import type { TrialRecord } from '../../harness/core/records.js';
import { passAtK } from '../../harness/stats/passk.js';
import { codingPassK, formatCodingPassK } from '../_coding/passk.js';

type Row = Pick<TrialRecord, 'arm' | 'suite' | 'task' | 'replicate' | 'session' | 'slot' | 'success' | 'error_class' | 'checks'>;

/** n attempts of a task, the first `c` successful; `tests` of them pass the hidden tests. */
function attempts(arm: string, task: string, n: number, c: number, tests = c, suite = 'coding-humaneval'): Row[] {
  return Array.from({ length: n }, (_, i) => ({
    arm,
    suite,
    task,
    replicate: 1 + (i % 2),
    session: 1 + Math.floor(i / 2),
    slot: 0,
    success: i < c,
    error_class: i < c ? 'none' : 'agent',
    checks: [{ id: 'tests', passed: i < tests }],
  }));
}

describe('pass@k of coding trials', () => {
  it('averages the unbiased estimator over tasks, for success and for the hidden tests alone', () => {
    const rows = [...attempts('a', 't1', 10, 3, 5), ...attempts('a', 't2', 10, 0, 1), ...attempts('a', 't3', 4, 4)];
    const [row] = codingPassK(rows, [1, 5]);
    expect(row).toMatchObject({ arm: 'a', suite: 'coding-humaneval', trials: 24, tasks: 3 });
    expect(row!.success[0]!.estimate).toBeCloseTo((0.3 + 0 + 1) / 3, 12);
    expect(row!.success[1]).toEqual({ k: 5, estimate: (passAtK(10, 3, 5) + passAtK(10, 0, 5)) / 2, tasks: 2, skipped: 1 });
    expect(row!.tests[0]!.estimate).toBeCloseTo((0.5 + 0.1 + 1) / 3, 12);
    expect(row!.tests[1]!.estimate).toBeCloseTo((passAtK(10, 5, 5) + passAtK(10, 1, 5)) / 2, 12);
  });

  it('leaves out infrastructure failures and other suites, and groups by arm and suite', () => {
    const infra = { ...attempts('a', 't1', 1, 1)[0]!, session: 9, error_class: 'infra' as const, success: false };
    const rows = [
      ...attempts('b', 't1', 2, 1),
      ...attempts('a', 't1', 2, 2),
      infra,
      ...attempts('a', 'x', 3, 3, 3, 'legal-drafting'),
      ...attempts('a', 'c1', 2, 0, 0, 'coding-custom'),
    ];
    const out = codingPassK(rows, [1, 2]);
    expect(out.map((r) => [r.arm, r.suite, r.trials])).toEqual([
      ['a', 'coding-custom', 2],
      ['a', 'coding-humaneval', 2],
      ['b', 'coding-humaneval', 2],
    ]);
    expect(out[1]!.success.map((c) => c.estimate)).toEqual([1, 1]);
    expect(out[2]!.success.map((c) => c.estimate)).toEqual([0.5, 1]);
    const table = formatCodingPassK(out);
    expect(table.split('\n')[0]).toBe('| arm | suite | trials | tasks | pass@1 | pass@2 | tests pass@1 | tests pass@2 |');
    expect(table).toContain('| b | coding-humaneval | 2 | 1 | 50.0% | 100.0% | 50.0% | 100.0% |');
    expect(formatCodingPassK([])).toBe('No trials of a coding suite.\n');
  });
});
