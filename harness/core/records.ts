// What a run writes down. trials.jsonl holds one TrialRecord per line.

import type { Usage } from './messages.js';

/**
 * none: success. agent: the agent failed (a refusal included). budget: a budget stopped it (turns,
 * tokens, cost, or a reply that hit max_tokens). context: the conversation outgrew the model's
 * context window. infra: the provider or environment failed transiently (resume retries it).
 * gaming: the checker saw the submission tamper with the evaluation (CheckResult.gaming), a
 * failure of the agent counted apart. permanent: the provider refused the request in a way retrying will not fix (400 invalid request,
 * 401, 403, 404): resume does not retry it unless told to, after the cause is fixed.
 */
export type ErrorClass = 'none' | 'agent' | 'infra' | 'budget' | 'context' | 'permanent' | 'gaming';

/** Classes that do not measure the agent: left out of every rate, counted apart. */
export const UNCOUNTED_CLASSES: ReadonlySet<ErrorClass> = new Set<ErrorClass>(['infra', 'permanent']);

export interface TrialKey {
  arm: string;
  replicate: number;
  session: number;
  /** Position of the task within its session (0-based), from the schedule. A task can recur in a session. */
  slot: number;
  task: string;
}

/**
 * Which slice of the schedule a trial belongs to (harness/schedule/plan.ts):
 *  - train: the schedule's tasks; they may write memory (the default: a record without `slice` is train);
 *  - eval: a fixed, held-apart set re-run every session, read-only (never fed to afterTrial or afterSession);
 *  - retest: a task first met early, re-run late, read-only (forgetting).
 */
export type TrialSlice = 'train' | 'eval' | 'retest';

export interface TrialRecord extends TrialKey {
  /** Absent means train. Written on every trial of a run that has an eval slice or a re-test. */
  slice?: TrialSlice;
  /** Runs with several task orders per replicate (schedule.orders > 1): `replicate` is the chain, these say which task set and which order of it. */
  task_set?: number;
  order?: number;
  /** Re-test trials: where the chain first met the task (its train trial). */
  first_seen?: { session: number; slot: number };
  suite: string;
  family: string;
  model: string;
  success: boolean;
  score: number;
  turns: number;
  tool_calls: number;
  input_tokens: number;
  output_tokens: number;
  cache_read_tokens: number;
  cache_write_tokens: number;
  /** Token cost (list prices): what arms are compared on. */
  cost_usd: number;
  /** A runtime's infrastructure cost apart from tokens (a managed session's active time), when it has one. */
  runtime_cost_usd?: number;
  /** Where runtime_cost_usd came from (a managed session: its active time at the documented rate, or its list cost minus the token cost). */
  runtime_cost_source?: string;
  /** What the provider itself reported, tokens and runtime together at list prices (a managed session's list_cost), when it reports it. */
  list_cost_usd?: number;
  wall_ms: number;
  error_class: ErrorClass;
  error?: string;
  /** The reward-hacking signals of the final attempt (error_class `gaming`). */
  gaming?: string[];
  pitfalls_hit: string[];
  pitfalls_avoided: string[];
  /** Reviewer feedback shown after the task. */
  feedback: string[];
  /** Checker results, for the analysis. */
  checks: Array<{ id: string; passed: boolean; detail?: string }>;
  /** Output tokens spent on reasoning (inside output_tokens), when the model reports them. */
  thinking_tokens?: number;
  /** How many replies were refusals (stop_reason refusal), over all attempts. */
  refusals?: number;
  /**
   * Prompt-cache efficiency of the trial's multi-turn conversations: tokens of the prefix each turn
   * re-sent (the previous request's whole input) and how many of them were read from the cache.
   */
  cache_prefix?: { resent_tokens: number; read_tokens: number };
  /** Tokens and cost the arm spent after the task (reflections, lesson writing), apart from the trial's. */
  arm_usage?: Usage & { cost_usd: number };
  /** What the arm noted after the task (e.g. lessons to append at the session's end). */
  notes?: string;
  /** Arms with an in-task loop: every attempt and revision, in order (pass@1 after each attempt). */
  attempts?: Array<{ attempt: number; revision: number; success: boolean; score: number; turns: number; stop: string }>;
  /** An independent grader's verdict, next to the checker's (outcomes arm). */
  grader?: {
    success: boolean;
    score: number;
    criteria: Array<{ criterion: string; score: number; passed: boolean; feedback?: string }>;
    /** Every grading round, keyed like `attempts` (for per-round grader-vs-checker agreement). */
    rounds?: Array<{ attempt: number; revision: number; success: boolean; score: number; failure?: string }>;
    /** The grader gave no usable verdict (e.g. malformed replies): excluded from agreement, counted apart. */
    failure?: string;
  };
  /** What the arm's memory looked like for this trial (e.g. a skill library's size), from `Arm.memoryStats`. */
  memory_stats?: Record<string, number>;
  /** Orchestrated trials (a lead with specialists): tokens, cost and turns per agent role, over all attempts. */
  agents?: AgentAccount[];
  transcript: string;
  /** What the trial produced, kept in the run directory (harness/runner/artifacts.ts); absent when nothing was kept. */
  artifacts?: KeptArtifacts;
}

/** A trial's kept output files: artifacts/<arm>/r<rep>/s<session>/<slot>-<task>/ in the run directory. */
export interface KeptArtifacts {
  /** The folder, relative to the run directory. */
  dir: string;
  files: number;
  bytes: number;
  /** The run's size cap was reached: `skipped` produced files were not kept. */
  capped?: true;
  skipped?: number;
}

export interface AgentAccount {
  /** 'lead' or a specialist's role. */
  role: string;
  model: string;
  /** How many times this agent ran (a specialist delegated twice ran twice). */
  runs: number;
  turns: number;
  tool_calls: number;
  input_tokens: number;
  output_tokens: number;
  cache_read_tokens: number;
  cache_write_tokens: number;
  cost_usd: number;
}

export function trialId(key: TrialKey): string {
  return `${key.arm}/r${key.replicate}/s${String(key.session).padStart(3, '0')}/${String(key.slot).padStart(3, '0')}-${key.task}`;
}

/** Fields that measure the machine, not the experiment: excluded when comparing runs for identity. */
export const TIMING_FIELDS = ['wall_ms'] as const;
