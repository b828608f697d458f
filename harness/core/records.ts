// What a run writes down. trials.jsonl holds one TrialRecord per line.

import type { Usage } from './messages.js';

export type ErrorClass = 'none' | 'agent' | 'infra' | 'budget';

export interface TrialKey {
  arm: string;
  replicate: number;
  session: number;
  /** Position of the task within its session (0-based), from the schedule. A task can recur in a session. */
  slot: number;
  task: string;
}

/**
 * Which slice of the schedule a trial belongs to (issue 11; harness/schedule/plan.ts):
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
  cost_usd: number;
  wall_ms: number;
  error_class: ErrorClass;
  error?: string;
  pitfalls_hit: string[];
  pitfalls_avoided: string[];
  /** Reviewer feedback shown after the task. */
  feedback: string[];
  /** Checker results, for the analysis. */
  checks: Array<{ id: string; passed: boolean; detail?: string }>;
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
