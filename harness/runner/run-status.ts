// How a run ends, as pure functions of what its chains reported: the run budget's stop, sessions
// blocked by infrastructure or permanent provider errors, failed consolidations, consolidations
// waiting for review, a pilot that stopped early. The runner counts these in a RunTally while the
// chains run; runStatus turns the tally into the manifest's status and the message the user reads,
// and exitCodeFor into the documented exit code (0 done, 1 failed, 3 stopped and resumable).

import type { RunStatus } from '../storage/manifest.js';
import type { Spend } from './spend.js';

/** What the chains reported that decides the run's status (counted while they run). */
export interface RunTally {
  /** Why the run budget stopped new trials (set once, by the first trial that saw it reached). */
  stopReason: string | undefined;
  /** Trials that failed for infrastructure reasons; their sessions were not consolidated. */
  infraBlocked: number;
  /** Trials that failed with a permanent provider error (bad key, unknown model). */
  permanentBlocked: number;
  /** The distinct messages of those permanent errors. */
  permanentErrors: Set<string>;
  /** Consolidations the provider failed (retried on resume). */
  consolidationsBlocked: number;
  /** Consolidations waiting for `dreambench memory review`. */
  pendingReview: number;
}

export function newTally(): RunTally {
  return {
    stopReason: undefined,
    infraBlocked: 0,
    permanentBlocked: 0,
    permanentErrors: new Set(),
    consolidationsBlocked: 0,
    pendingReview: 0,
  };
}

export interface RunBudgets {
  max_cost_per_run?: number | undefined;
  max_tokens_per_run?: number | undefined;
}

/** Why the run must not start another trial, once its spend has reached a run budget; undefined while within them. */
export function runBudgetStop(budgets: RunBudgets, spend: Spend): string | undefined {
  if (budgets.max_cost_per_run !== undefined && spend.cost >= budgets.max_cost_per_run)
    return `run cost budget of $${budgets.max_cost_per_run} reached`;
  if (budgets.max_tokens_per_run !== undefined && spend.tokens >= budgets.max_tokens_per_run)
    return `run token budget of ${budgets.max_tokens_per_run} reached`;
  return undefined;
}

export interface StatusInput {
  tally: RunTally;
  runDir: string;
  /** Distinct trials in trials.jsonl now, and how many the full experiment has. */
  trials: number;
  total: number;
  /** The run was a pilot (`dreambench plan`), which stops after its first sessions. */
  pilot: boolean;
}

export interface RunEnd {
  status: Exclude<RunStatus, 'running'>;
  /** What the user should do next; absent when the run completed. */
  message?: string;
}

/**
 * The run's status once every chain has returned. Order matters: a pilot that stopped where it was
 * asked to is a clean stop; then the run budget, reviews, permanent errors (the user must act before
 * a resume helps), infrastructure trials, failed consolidations.
 */
export function runStatus({ tally, runDir, trials, total, pilot }: StatusInput): RunEnd {
  const { stopReason, pendingReview, permanentBlocked, infraBlocked, consolidationsBlocked } = tally;
  if (pilot && trials < total && !stopReason && pendingReview === 0 && infraBlocked === 0 && consolidationsBlocked === 0) {
    return {
      status: 'stopped_budget',
      message: `pilot done (${trials} of ${total} trials); \`dreambench resume ${runDir}\` runs the rest without repeating them`,
    };
  }
  if (stopReason) return { status: 'stopped_budget', message: `${stopReason}; raise the budget and resume to continue` };
  if (pendingReview > 0) {
    return {
      status: 'awaiting_review',
      message: `${pendingReview} consolidation(s) wait for review: run \`dreambench memory review ${runDir}\`, then \`dreambench resume ${runDir}\``,
    };
  }
  if (permanentBlocked > 0) {
    const examples = [...tally.permanentErrors].slice(0, 2).join(' | ');
    return {
      status: 'failed',
      message:
        `${permanentBlocked} trial(s) failed with a provider error that retrying will not fix (${examples}). ` +
        `Resume does not re-run them: fix the cause (key, model id, request), then run \`dreambench resume ${runDir} --retry-permanent\`.` +
        (infraBlocked > 0 ? ` ${infraBlocked} other trial(s) failed for transient infrastructure reasons; resume retries those.` : ''),
    };
  }
  if (infraBlocked > 0) {
    return {
      status: 'failed',
      message: `${infraBlocked} trial(s) failed for infrastructure reasons (provider or environment); their sessions were not consolidated. Run \`dreambench resume ${runDir}\` to retry them.`,
    };
  }
  if (consolidationsBlocked > 0) {
    return {
      status: 'failed',
      message: `${consolidationsBlocked} consolidation(s) failed for infrastructure reasons (provider); their sessions were not consolidated. Run \`dreambench resume ${runDir}\` to retry them.`,
    };
  }
  return { status: 'completed' };
}

/**
 * The process exit code for a finished run: 0 completed; 3 when a resume can continue it (every
 * stop the runner explains with a message: budget, review, blocked sessions, an interrupted
 * executor); 1 for a failure nobody explained.
 */
export function exitCodeFor(end: { status: RunStatus; message?: string | undefined }): 0 | 1 | 3 {
  if (end.status === 'completed') return 0;
  return end.status === 'failed' && !end.message ? 1 : 3;
}
