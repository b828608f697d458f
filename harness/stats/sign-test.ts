// The exact sign test over tasks, for paired comparisons with few discordant pairs.
//
// A task-clustered t test leans on the spread of the per-task differences; with three discordant
// pairs it has three non-zero values to estimate that spread from, and its p-value runs far below
// the truth (three regressions gave p = 0.037 where the exact sign test gives 0.125). The sign test
// counts tasks that moved each way and asks how likely so lopsided a split is when a task is as
// likely to move up as down (Conover, "Practical Nonparametric Statistics", 3rd ed. 1999, §3.4). It
// needs no variance estimate and holds its level however few tasks moved, and it clusters on the task
// as the t test does (pairs of one task move together, and a task counts once).

import { binomialHalfCdf } from './mcnemar.js';

/** Per task: the sum over its pairs of (candidate - baseline) completion, and how many pairs differed. */
export interface TaskSigns {
  /** Tasks whose pairs, summed, went up (the candidate completed more). */
  up: number;
  /** Tasks that went down. */
  down: number;
  /** Tasks whose pairs all agreed or cancelled out. */
  ties: number;
  /** Pairs that differed, over all tasks. */
  discordant: number;
}

/** Counts tasks by the sign of their summed paired difference. `pairs`: (task, baseline success, candidate success). */
export function taskSignCounts(pairs: Iterable<{ task: string; a: boolean; b: boolean }>): TaskSigns {
  const net = new Map<string, number>();
  let discordant = 0;
  for (const p of pairs) {
    const d = (p.b ? 1 : 0) - (p.a ? 1 : 0);
    if (d !== 0) discordant++;
    net.set(p.task, (net.get(p.task) ?? 0) + d);
  }
  let up = 0;
  let down = 0;
  let ties = 0;
  for (const d of net.values()) {
    if (d > 0) up++;
    else if (d < 0) down++;
    else ties++;
  }
  return { up, down, ties, discordant };
}

/**
 * One-sided exact p-value for "the candidate is lower": P(X >= down) for X ~ Binomial(up + down, 1/2),
 * tied tasks left out. 1 when no task moved.
 */
export function signTestLower(s: Pick<TaskSigns, 'up' | 'down'>): number {
  const n = s.up + s.down;
  if (n === 0) return 1;
  // P(X >= down) = P(Y <= up) with Y = n - X, also Binomial(n, 1/2).
  return binomialHalfCdf(n, s.up);
}
