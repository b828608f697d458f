// How a suite teaches the built-in simulated agent to do its work. A policy is a competent but
// naive worker: it knows the job and the tools, not the pitfalls. Every setting that a pitfall can
// hinge on goes through `choose`, which takes the value from a lesson in memory, from a hint the
// agent saw earlier in this task, or from the naive default, according to the sim profile.

import type { ContentBlock, Message, ToolResultBlock, ToolUseBlock } from '../../core/messages.js';
import type { Rng } from './rng.js';
import type { SimProfile } from './profiles.js';

export interface Choice {
  value: string;
  source: 'lesson' | 'hint' | 'naive';
}

export interface SimView {
  /** The task as the user gave it (first user message). */
  readonly prompt: string;
  /** The memory text the arm put in the system prompt (may be empty). */
  readonly memory: string;
  readonly messages: readonly Message[];
  /** 1-based index of the assistant turn being produced. */
  readonly turn: number;
  readonly profile: SimProfile;
  /** Randomness for this turn only, derived from the call's seed key. */
  readonly rng: Rng;
  /** Tool calls made so far in this task, in order, with their results. */
  readonly history: ReadonlyArray<{ use: ToolUseBlock; result?: ToolResultBlock }>;
  /** Resolve a pitfall-prone setting (`tool.param`). */
  choose(choice: string, naive: string): Choice;
  /** A tool call block with a deterministic id. */
  toolUse(name: string, input: Record<string, unknown>): ToolUseBlock;
  /** Whether the agent does the substantive work right this turn (profile.skill). */
  competent(label: string): boolean;
}

export interface SimPolicy {
  /** The next assistant turn. Return only text (no tool_use) to end the turn without submitting. */
  act(view: SimView): ContentBlock[];
}
