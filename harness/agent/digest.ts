// A compact account of a finished trial that an arm can show a model when asking it to reflect:
// the task, the outcome, every tool error and the reviewer's feedback (each optional, so an arm can
// show only the feedback its setting makes visible). Hidden checker details are never included.

import type { Transcript } from './transcript.js';
import { parseAgentNotes } from '../core/directives.js';

/** What a digest shows besides the task and the outcome (default: tool errors and reviewer feedback). */
export interface DigestOptions {
  /** Tool results marked as errors, as the agent saw them during the task (default true). */
  tool_errors?: boolean;
  /** The checker's visible feedback (CheckResult.feedback) after the task (default true). */
  feedback?: boolean;
  /** The agent's own tool calls, in order, with their inputs abridged (default false). */
  actions?: boolean;
  /** Notes the agent made for later during the task (`Note for future tasks: ...` lines; default true). */
  notes?: boolean;
}

const ACTION_CHARS = 240;
const MAX_ACTIONS = 40;

export function trialDigest(transcript: Transcript, title: string, options: DigestOptions = {}): string {
  const errors: string[] = [];
  const actions: string[] = [];
  const notes: string[] = [];
  // Orchestrated trials: the specialists' errors and calls count too (they acted in the workspace).
  for (const message of [...transcript.messages, ...(transcript.subagents ?? []).flatMap((s) => s.messages)]) {
    if (typeof message.content === 'string') continue;
    for (const block of message.content) {
      if (block.type === 'text' && message.role === 'assistant')
        for (const note of parseAgentNotes(block.text)) if (!notes.includes(note)) notes.push(note);
      if (block.type === 'tool_result' && block.is_error) errors.push(block.content.trim());
      if (block.type === 'tool_use') {
        const input = JSON.stringify(block.input ?? {});
        actions.push(`${block.name} ${input.length > ACTION_CHARS ? `${input.slice(0, ACTION_CHARS)}…` : input}`);
      }
    }
  }
  const lines = [
    `Task: ${title} (family: ${transcript.family})`,
    `Outcome: ${transcript.outcome.success ? 'completed' : 'not completed'} (score ${transcript.outcome.score.toFixed(2)}, ${transcript.turns.length} turns)`,
  ];
  if (options.actions && actions.length) {
    const shown =
      actions.length > MAX_ACTIONS ? [...actions.slice(0, MAX_ACTIONS - 1), `… ${actions.length - MAX_ACTIONS + 1} more`] : actions;
    lines.push('', 'Your tool calls, in order:', ...shown.map((a, i) => `${i + 1}. ${a}`));
  }
  if (options.tool_errors !== false && errors.length) lines.push('', 'Tool errors during the task:', ...errors.map((e) => `- ${e}`));
  if (options.notes !== false && notes.length) lines.push('', 'Notes you made for future tasks:', ...notes.map((n) => `- ${n}`));
  if (options.feedback !== false && transcript.outcome.feedback.length)
    lines.push('', 'Reviewer feedback after the task:', ...transcript.outcome.feedback.map((f) => `- ${f}`));
  return lines.join('\n');
}
