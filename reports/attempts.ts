// pass@1 after each try of an in-task loop (Reflexion's attempts, a grader loop's revision rounds, a
// retry control's retries): for each k, the share of trials that would have succeeded had the loop
// been stopped after its k-th try. A trial's tries are `record.attempts` in order; a trial that
// stopped earlier keeps its last result. For a loop that stops at the checker's first success
// (reflexion, retry-only) the curve is non-decreasing by construction; for a loop that stops on a
// grader's verdict (outcomes) it need not be. Infra trials are left out.

import type { TrialRecord } from '../harness/core/records.js';
import { wilsonInterval } from '../harness/stats/index.js';

export interface TryPoint {
  /** 1-based try (attempt or revision round). */
  k: number;
  n: number;
  successes: number;
  rate: number;
  lo: number;
  hi: number;
}

export interface ArmTryCurve {
  arm: string;
  points: TryPoint[];
  /** Mean tries per trial. */
  mean_tries: number;
}

/** Whether a trial succeeded after its k-th try (its last result when it stopped before k). */
export function successAfterTry(record: TrialRecord, k: number): boolean {
  const tries = record.attempts;
  if (!tries || tries.length === 0) return record.success;
  return tries[Math.min(k, tries.length) - 1]!.success;
}

/** pass@1 after each try, per arm with an in-task loop (trials that record their attempts). */
export function tryCurves(trials: readonly TrialRecord[], armOrder?: readonly string[]): ArmTryCurve[] {
  const arms = [...new Set([...(armOrder ?? []), ...trials.map((t) => t.arm)])];
  const out: ArmTryCurve[] = [];
  for (const arm of arms) {
    const mine = trials.filter((t) => t.arm === arm && t.error_class !== 'infra');
    if (!mine.some((t) => t.attempts)) continue;
    const K = Math.max(1, ...mine.map((t) => t.attempts?.length ?? 1));
    const points: TryPoint[] = [];
    for (let k = 1; k <= K; k++) {
      const successes = mine.filter((t) => successAfterTry(t, k)).length;
      const w = wilsonInterval(successes, mine.length);
      points.push({ k, n: mine.length, successes, rate: w.rate, lo: w.lo, hi: w.hi });
    }
    const mean = mine.reduce((sum, t) => sum + (t.attempts?.length ?? 1), 0) / Math.max(1, mine.length);
    out.push({ arm, points, mean_tries: mean });
  }
  return out;
}

const pct = (x: number): string => (Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : '–');

/** The "pass@1 after each try" section of summary.md ('' when no arm has an in-task loop). */
export function tryCurvesMarkdown(trials: readonly TrialRecord[], armOrder?: readonly string[]): string {
  const curves = tryCurves(trials, armOrder);
  if (curves.length === 0) return '';
  const K = Math.max(...curves.map((c) => c.points.length));
  const header = ['arm', 'trials', 'mean tries', ...Array.from({ length: K }, (_, i) => `after try ${i + 1}`)];
  const lines = [
    '## pass@1 after each try',
    '',
    'Arms with an in-task loop: the completion rate had the loop stopped after its k-th try (attempt or revision round), with Wilson 95% intervals. Compare with a retry-only arm of the same budget before reading a rise as learning.',
    '',
    `| ${header.join(' | ')} |`,
    `| ${header.map((_, i) => (i === 0 ? ':---' : '---:')).join(' | ')} |`,
  ];
  for (const c of curves) {
    const cells = Array.from({ length: K }, (_, i) => {
      const p = c.points[i] ?? c.points.at(-1)!;
      return `${pct(p.rate)} [${pct(p.lo)}, ${pct(p.hi)}]`;
    });
    lines.push(`| ${c.arm} | ${c.points[0]!.n} | ${c.mean_tries.toFixed(2)} | ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}
