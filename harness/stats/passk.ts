// pass@k and pass^k from n attempts of which c succeeded.
//
// pass@k (at least one of k attempts succeeds): the unbiased estimator of Chen et al., "Evaluating
// Large Language Models Trained on Code" (the Codex paper), arXiv:2107.03374 (2021), §2.1:
//     pass@k = 1 - C(n - c, k) / C(n, k)
// computed, as in the paper's numpy snippet, as 1 - prod_{i = n-c+1}^{n} (1 - k / i), which neither
// overflows nor loses precision for large n.
//
// pass^k (all k attempts succeed): the unbiased estimator C(c, k) / C(n, k) of p^k, as used by
// Yao et al., "tau-bench" (arXiv:2406.12045, 2024) to measure reliability; computed as
// prod_{i=0}^{k-1} (c - i) / (n - i).

import { taskTotals, type OutcomeRow } from './rows.js';

function check(fn: string, n: number, c: number, k: number): void {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`${fn}: n must be a positive integer, got ${n}`);
  if (!Number.isInteger(c) || c < 0 || c > n) throw new RangeError(`${fn}: c must be an integer in [0, n=${n}], got ${c}`);
  if (!Number.isInteger(k) || k < 1 || k > n) throw new RangeError(`${fn}: k must be an integer in [1, n=${n}], got ${k}`);
}

/** Unbiased pass@k from n attempts with c successes (1 <= k <= n). */
export function passAtK(n: number, c: number, k: number): number {
  check('passAtK', n, c, k);
  if (n - c < k) return 1;
  let prod = 1;
  for (let i = n - c + 1; i <= n; i++) prod *= 1 - k / i;
  return 1 - prod;
}

/** Unbiased pass^k (all of k attempts succeed) from n attempts with c successes (1 <= k <= n). */
export function passHatK(n: number, c: number, k: number): number {
  check('passHatK', n, c, k);
  if (c < k) return 0;
  let prod = 1;
  for (let i = 0; i < k; i++) prod *= (c - i) / (n - i);
  return prod;
}

export interface PassKSummary {
  /** Mean over tasks of the per-task estimate. NaN if no task has k attempts. */
  estimate: number;
  /** Tasks averaged over. */
  n_tasks: number;
  /** Tasks left out for having fewer than k (counted) attempts. */
  skipped: string[];
}

/**
 * Mean pass@k (or pass^k with `kind: 'hat'`) over the tasks of one arm's rows: each task's attempts
 * are its counted trials (infra failures left out), across replicates and sessions. Tasks with fewer
 * than k attempts are skipped and listed.
 */
export function passKFromRows(rows: readonly OutcomeRow[], k: number, kind: 'at' | 'hat' = 'at'): PassKSummary {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`passKFromRows: k must be a positive integer, got ${k}`);
  const byTask = taskTotals(rows);
  const skipped: string[] = [];
  let sum = 0;
  let n_tasks = 0;
  for (const task of [...byTask.keys()].sort()) {
    const [n, c] = byTask.get(task)!;
    if (n < k) {
      skipped.push(task);
      continue;
    }
    sum += kind === 'at' ? passAtK(n, c, k) : passHatK(n, c, k);
    n_tasks++;
  }
  return { estimate: n_tasks > 0 ? sum / n_tasks : NaN, n_tasks, skipped };
}
