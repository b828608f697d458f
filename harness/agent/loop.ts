// The tool-use loop in the shape of the Messages API: system prompt (with the arm's memory as a
// cacheable prefix), the task, the suite's tools; it ends on submit, on a turn without tool calls,
// on max turns, or on a budget. Every request and response is kept in the transcript.
//
// Stop reasons: `max_tokens` ends the attempt as a budget stop, and a tool call cut off by it is
// never run (its input is partial); `refusal` ends it and is recorded; `pause_turn` sends the paused
// turn back as it is so the model continues it; `model_context_window_exceeded` (or a prompt the
// API calls too long) ends it with the `context_window` stop. An empty reply is not kept as an empty
// assistant turn (the API rejects empty content when the conversation continues).

import type { ContentBlock, Message, ModelClient, SystemBlock, ToolResultBlock, Usage } from '../core/messages.js';
import { addUsage, emptyUsage, ModelInfraError, ModelPermanentError, totalTokens } from '../core/messages.js';
import type { Environment, Task } from '../core/suite.js';
import type { TranscriptTurn } from './transcript.js';

export interface AgentBudgets {
  max_turns: number;
  max_output_tokens: number;
  max_tokens_per_trial?: number;
  max_cost_per_trial?: number;
}

export interface AgentRunInput {
  model: ModelClient;
  task: Task;
  systemPrompt: string;
  /** The arm's memory text ('' for none). Sent as a separate, cacheable system block. */
  memory: string;
  environment: Environment;
  budgets: AgentBudgets;
  /** Seed key prefix for this trial's model calls. */
  seedKey: string;
  /** Continue an earlier conversation (a revision round) instead of starting from the task prompt. */
  resume?: { system: SystemBlock[]; messages: Message[]; userMessage: string };
  signal?: AbortSignal;
}

/** The first line of the system block that carries the arm's memory (what a reader of a request looks for). */
export const MEMORY_HEADER = '# Memory from earlier sessions';

export type AgentStop =
  | 'submitted'
  | 'end_turn'
  | 'max_turns'
  | 'token_budget'
  | 'cost_budget'
  | 'infra'
  /** The reply hit max_tokens (a budget stop). */
  | 'max_tokens'
  /** The model declined (stop_reason refusal). */
  | 'refusal'
  /** The conversation no longer fits the model's context window. */
  | 'context_window'
  /** The provider answered with an error that retrying will not fix (ModelPermanentError). */
  | 'permanent';

export interface AgentRunResult {
  stop: AgentStop;
  system: SystemBlock[];
  messages: Message[];
  turns: TranscriptTurn[];
  usage: Usage;
  cost_usd: number;
  /** A runtime's infrastructure cost apart from tokens (a managed session's active time), for this run. */
  runtime_cost_usd?: number;
  /** Where runtime_cost_usd came from (e.g. the service's active time at its documented rate). */
  runtime_cost_source?: string;
  /** What the provider itself reported for this run, tokens and runtime together at list prices, when it reports it. */
  list_cost_usd?: number;
  tool_calls: number;
  /** Set when stop is 'infra': what failed (provider or environment), never a secret. */
  infra_error?: string;
  /**
   * Details of a run on another runtime than this loop (Arm.runtime, e.g. a Managed Agents session:
   * its ids, the vendor's usage, outcome evaluations). Kept on the attempt's outcome and in the
   * transcript; a revision of the attempt gets it back as `previous`.
   */
  runtime?: Record<string, unknown>;
}

/**
 * Add a user message to a conversation. When the conversation already ends with a user turn (the
 * tool results of the last call), the text joins that turn: roles must alternate for some APIs.
 */
export function withUserText(messages: readonly Message[], text: string): Message[] {
  const last = messages.at(-1);
  if (last?.role !== 'user') return [...messages, { role: 'user', content: text }];
  const blocks: ContentBlock[] = typeof last.content === 'string' ? [{ type: 'text', text: last.content }] : [...last.content];
  return [...messages.slice(0, -1), { role: 'user', content: [...blocks, { type: 'text', text }] }];
}

export function memoryBlock(memory: string): SystemBlock[] {
  return memory.trim() ? [{ type: 'text', text: `${MEMORY_HEADER}\n\n${memory.trim()}\n`, cache: true }] : [];
}

export async function runAgent(input: AgentRunInput): Promise<AgentRunResult> {
  const { model, task, environment, budgets } = input;
  const system: SystemBlock[] = input.resume?.system ?? [{ type: 'text', text: input.systemPrompt }, ...memoryBlock(input.memory)];
  const messages: Message[] = input.resume
    ? withUserText(input.resume.messages, input.resume.userMessage)
    : [{ role: 'user', content: task.prompt }];
  // Turn numbers continue across revision rounds, so seed keys never repeat within a trial.
  const firstTurn = input.resume ? input.resume.messages.filter((m) => m.role === 'assistant').length + 1 : 1;
  const turns: TranscriptTurn[] = [];
  const usage = emptyUsage();
  let cost = 0;
  let toolCalls = 0;
  const result = (stop: AgentStop, infra_error?: string): AgentRunResult => ({
    stop,
    system,
    messages,
    turns,
    usage,
    cost_usd: cost,
    tool_calls: toolCalls,
    ...(infra_error ? { infra_error } : {}),
  });

  for (let turn = firstTurn; turn < firstTurn + budgets.max_turns; turn++) {
    const started = performance.now();
    let response;
    try {
      response = await model.create(
        { system, messages, tools: environment.tools, max_tokens: budgets.max_output_tokens },
        {
          seedKey: `${input.seedKey}:t${turn}`,
          purpose: 'agent',
          subject: { suite: task.suite, family: task.family, task: task.id },
          ...(input.signal ? { signal: input.signal } : {}),
        },
      );
    } catch (error) {
      if (error instanceof ModelPermanentError) return result(error.kind === 'context' ? 'context_window' : 'permanent', error.message);
      if (error instanceof ModelInfraError) return result('infra', error.message);
      throw error;
    }
    addUsage(usage, response.usage);
    cost += response.cost_usd;
    const reason = response.stop_reason;
    const truncated = reason === 'max_tokens' ? response.content.filter((b) => b.type === 'tool_use').length : 0;
    turns.push({
      request_messages: messages.length,
      stop_reason: reason,
      usage: response.usage,
      cost_usd: response.cost_usd,
      wall_ms: Math.round(performance.now() - started),
      ...(truncated ? { note: `${truncated} tool call(s) cut off by max_tokens, not run` } : {}),
    });
    // A tool call cut off by max_tokens has partial input: it is never run, nor sent back.
    const kept = truncated ? response.content.filter((b) => b.type !== 'tool_use') : response.content;
    if (kept.length > 0) messages.push({ role: 'assistant', content: kept });

    if (reason === 'max_tokens') return result('max_tokens');
    if (reason === 'refusal') return result('refusal');
    if (reason === 'model_context_window_exceeded') return result('context_window');
    // The API paused a long turn: sending it back as it is lets the model continue it.
    if (reason === 'pause_turn' && kept.length > 0) continue;

    const uses = kept.filter((b): b is Extract<ContentBlock, { type: 'tool_use' }> => b.type === 'tool_use');
    if (uses.length === 0) return result('end_turn');

    const results: ToolResultBlock[] = [];
    let submitted = false;
    for (const use of uses) {
      toolCalls++;
      let outcome;
      try {
        outcome = await environment.call(use.name, use.input ?? {});
      } catch (error) {
        // A tool that throws is a bug in the environment, not the agent's failure.
        return result('infra', `tool ${use.name} crashed: ${(error as Error).message}`);
      }
      results.push({
        type: 'tool_result',
        tool_use_id: use.id,
        content: outcome.content,
        ...(outcome.is_error ? { is_error: true } : {}),
      });
      if (outcome.submitted) submitted = true;
    }
    messages.push({ role: 'user', content: results });
    if (submitted) return result('submitted');

    const tokens = totalTokens(usage);
    if (budgets.max_tokens_per_trial !== undefined && tokens >= budgets.max_tokens_per_trial) return result('token_budget');
    if (budgets.max_cost_per_trial !== undefined && cost >= budgets.max_cost_per_trial) return result('cost_budget');
  }
  return result('max_turns');
}
