// How a suite teaches the built-in simulated agent to do its work. A policy is a competent but
// naive worker: it knows the job and the tools, not the pitfalls. Every setting that a pitfall can
// hinge on goes through `choose`, which takes the value from a lesson in memory, from a hint the
// agent saw earlier in this task (a tool error, or a revision request such as a grader's feedback),
// or from the naive default, according to the sim profile.

import type { ContentBlock, Message, ToolResultBlock, ToolUseBlock } from '../../core/messages.js';
import type { Rng } from '../../core/rng.js';
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
  /**
   * A revision request: the text of the latest user message after the task prompt (e.g. a grader's
   * feedback after the agent submitted). Directives in it count as hints in `choose`, like tool
   * errors. Absent when nobody asked for a revision.
   */
  readonly revisionRequest?: string;
  /** How many revision requests the conversation holds (0 or absent: none). */
  readonly revisionRound?: number;
  /** The tool calls made since the latest revision request (all of `history` when there is none). */
  readonly sinceRevision?: ReadonlyArray<{ use: ToolUseBlock; result?: ToolResultBlock }>;
  /** Resolve a pitfall-prone setting (`tool.param`). */
  choose(choice: string, naive: string): Choice;
  /** A tool call block with a deterministic id. */
  toolUse(name: string, input: Record<string, unknown>): ToolUseBlock;
  /** Whether the agent does the substantive work right this turn (profile.skill). */
  competent(label: string): boolean;
  /**
   * Names of the tools offered in this request (undefined when the request lists none). A specialist
   * of a team gets a subset of the suite's tools; a policy may skip the steps it has no tool for
   * (the sim model drops calls to tools that were not offered in any case).
   */
  readonly tools?: readonly string[];
  /**
   * Whether the agent knows a workflow shortcut: memory holds the hint `workflow:<label>` (e.g. from
   * a skill), applied with the profile's apply_lesson chance like any lesson.
   */
  knows?(label: string): boolean;
  /** A specialist given a share of the task's items by its lead ("Your share: part 2 of 3"). */
  readonly share?: { index: number; of: number };
}

export interface SimPolicy {
  /**
   * The next assistant turn. Return only text (no tool_use) to end the turn without submitting.
   * A policy that ignores `revisionRequest` still behaves sensibly: while a revision request has had
   * no tool call in answer, a text-only reply is turned into submitting again (when the task has a
   * `submit` tool), as an agent that sees nothing to change would do.
   */
  act(view: SimView): ContentBlock[];
}
