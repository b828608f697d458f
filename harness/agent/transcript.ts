// A trial's full record of what the agent saw and did, in Messages API shape. Requests are stored
// once: request k of a trial is `system` + `tools` + messages[0 .. turns[k].request_messages).
// This is also the documented format for standalone dreaming over any agent's logs.

import type { Message, StopReason, SystemBlock, ToolSpec, Usage } from '../core/messages.js';

export interface TranscriptTurn {
  /** How many messages the request of this turn carried. */
  request_messages: number;
  stop_reason: StopReason;
  usage: Usage;
  cost_usd: number;
  wall_ms: number;
  /** What the loop did about this turn's stop reason (e.g. a tool call cut off by max_tokens, not run). */
  note?: string;
}

export interface Transcript {
  format: 'dreambench.transcript/v1';
  trial_id: string;
  suite: string;
  family: string;
  task: string;
  model: string;
  system: SystemBlock[];
  tools: ToolSpec[];
  messages: Message[];
  turns: TranscriptTurn[];
  /** Arms with an in-task loop: the earlier attempts (each a fresh workspace), oldest first. */
  previous_attempts?: Array<{ system: SystemBlock[]; messages: Message[]; turns: TranscriptTurn[] }>;
  /** Calls the arm made during the trial (reflections, grading), in order. */
  arm_calls?: Array<{
    label: string;
    purpose: string;
    role: 'agent' | 'grader';
    request: { system: SystemBlock[]; messages: Message[] };
    response: string;
    usage: Usage;
    cost_usd: number;
  }>;
  /** Orchestrated trials: every specialist run, in order (the lead's own turns are `messages`/`turns`). */
  subagents?: SubagentTranscript[];
  /** Trials run on another runtime than the built-in loop (Arm.runtime): what that runtime reported for the final attempt. */
  runtime?: Record<string, unknown>;
  outcome: {
    success: boolean;
    score: number;
    error_class: string;
    error?: string;
    feedback: string[];
    pitfalls_hit: string[];
  };
}

/** One specialist run inside an orchestrated attempt. */
export interface SubagentTranscript {
  /** 1-based attempt of the trial it belongs to. */
  attempt: number;
  role: string;
  model: string;
  stop: string;
  system: SystemBlock[];
  tools: ToolSpec[];
  messages: Message[];
  turns: TranscriptTurn[];
  tool_calls: number;
  usage: Usage;
  cost_usd: number;
}
