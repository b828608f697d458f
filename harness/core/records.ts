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

export interface TrialRecord extends TrialKey {
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
  transcript: string;
}

export function trialId(key: TrialKey): string {
  return `${key.arm}/r${key.replicate}/s${String(key.session).padStart(3, '0')}/${String(key.slot).padStart(3, '0')}-${key.task}`;
}

/** Fields that measure the machine, not the experiment: excluded when comparing runs for identity. */
export const TIMING_FIELDS = ['wall_ms'] as const;
