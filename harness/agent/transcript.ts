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
  outcome: {
    success: boolean;
    score: number;
    error_class: string;
    error?: string;
    feedback: string[];
    pitfalls_hit: string[];
  };
}
