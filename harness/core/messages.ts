// The Messages-API-shaped vocabulary every model, the agent loop and every transcript share.
// It mirrors Anthropic's Messages API closely on purpose: a transcript written by dreambench can be
// replayed against the real API, and a transcript from any other agent can be fed to dreaming.

export interface TextBlock {
  type: 'text';
  text: string;
}

export interface ToolUseBlock {
  type: 'tool_use';
  id: string;
  name: string;
  input: Record<string, unknown>;
}

export interface ToolResultBlock {
  type: 'tool_result';
  tool_use_id: string;
  content: string;
  is_error?: boolean;
}

/**
 * A thinking model's reasoning. It must go back to the API unmodified, signature included (the API
 * checks it), in its original place, whenever the conversation continues: transcripts keep it byte
 * for byte. `thinking` is empty at display "omitted".
 */
export interface ThinkingBlock {
  type: 'thinking';
  thinking: string;
  signature: string;
}

/** Reasoning the API returned encrypted: opaque, sent back exactly as received. */
export interface RedactedThinkingBlock {
  type: 'redacted_thinking';
  data: string;
}

export type ContentBlock = TextBlock | ToolUseBlock | ToolResultBlock | ThinkingBlock | RedactedThinkingBlock;

export interface Message {
  role: 'user' | 'assistant';
  content: string | ContentBlock[];
}

/** A system prompt part. `cache: true` marks a stable prefix (the memory) for prompt caching. */
export interface SystemBlock {
  type: 'text';
  text: string;
  cache?: boolean;
}

export interface ToolSpec {
  name: string;
  description: string;
  input_schema: {
    type: 'object';
    properties: Record<string, unknown>;
    required?: string[];
  };
}

/** How the model may pick tools. Forced choices (`any`, `tool`) are dropped for models that reject them. */
export type ToolChoice = { type: 'auto' } | { type: 'none' } | { type: 'any' } | { type: 'tool'; name: string };

export interface ModelRequest {
  system: SystemBlock[];
  messages: Message[];
  tools?: ToolSpec[];
  tool_choice?: ToolChoice;
  max_tokens: number;
}

export interface Usage {
  input_tokens: number;
  output_tokens: number;
  cache_read_tokens: number;
  cache_write_tokens: number;
  /** Output tokens spent on reasoning (already inside output_tokens), when the provider reports them. */
  thinking_tokens?: number;
  /** Cache writes with the 1-hour lifetime (already inside cache_write_tokens), priced apart. */
  cache_write_1h_tokens?: number;
}

export type StopReason =
  | 'end_turn'
  | 'tool_use'
  | 'max_tokens'
  | 'stop_sequence'
  | 'refusal'
  | 'pause_turn'
  | 'model_context_window_exceeded';

export interface ModelResponse {
  model: string;
  content: ContentBlock[];
  stop_reason: StopReason;
  usage: Usage;
  cost_usd: number;
}

/**
 * Why a model is being called: the same client serves the agent, reflections, dreams and graders.
 * 'classify': screening memory writes for injected content (harness/security/classifier.ts).
 */
export type CallPurpose = 'agent' | 'reflect' | 'dream' | 'grade' | 'skill' | 'classify';

export interface CallContext {
  /**
   * A stable key for this call's place in the experiment (run seed, replicate, session, task, turn,
   * purpose). The sim model draws its randomness from it, so results do not depend on scheduling,
   * concurrency or resumes; real models ignore it.
   */
  seedKey: string;
  purpose: CallPurpose;
  /** What the call is about. Real models ignore it; the sim uses it to pick the suite's policy. */
  subject?: { suite: string; family: string; task: string };
  /**
   * A grading call (purpose 'grade') about a trial's output: the deterministic checker's verdict on
   * that output. Real models never see it; the sim grader is right about it with its grader_accuracy.
   */
  reference?: { success: boolean };
  signal?: AbortSignal;
}

export interface ModelClient {
  /** The spec it was built from, e.g. `sim:default` or `anthropic:claude-sonnet-4-5`. */
  readonly id: string;
  create(request: ModelRequest, context: CallContext): Promise<ModelResponse>;
}

export const emptyUsage = (): Usage => ({
  input_tokens: 0,
  output_tokens: 0,
  cache_read_tokens: 0,
  cache_write_tokens: 0,
});

export function addUsage(into: Usage, more: Usage): Usage {
  into.input_tokens += more.input_tokens;
  into.output_tokens += more.output_tokens;
  into.cache_read_tokens += more.cache_read_tokens;
  into.cache_write_tokens += more.cache_write_tokens;
  if (more.thinking_tokens) into.thinking_tokens = (into.thinking_tokens ?? 0) + more.thinking_tokens;
  if (more.cache_write_1h_tokens) into.cache_write_1h_tokens = (into.cache_write_1h_tokens ?? 0) + more.cache_write_1h_tokens;
  return into;
}

export function textOf(content: string | ContentBlock[]): string {
  if (typeof content === 'string') return content;
  return content
    .map((block) => (block.type === 'text' ? block.text : block.type === 'tool_result' ? block.content : ''))
    .filter(Boolean)
    .join('\n');
}

/** All four token kinds a call is billed for (input, output, cache reads, cache writes). */
export function totalTokens(usage: Usage): number {
  return usage.input_tokens + usage.output_tokens + usage.cache_read_tokens + usage.cache_write_tokens;
}

/**
 * A model's reply followed by a user message (a repair request, a revision). An empty reply (a
 * refusal, an empty end_turn) is not sent back as an empty assistant turn, which the API rejects:
 * the user text then joins the conversation's last user turn instead.
 */
export function replyThenUser(messages: readonly Message[], reply: string | ContentBlock[], text: string): Message[] {
  const empty =
    typeof reply === 'string' ? reply.trim() === '' : reply.length === 0 || reply.every((b) => b.type === 'text' && b.text.trim() === '');
  if (empty) {
    const last = messages.at(-1);
    if (last?.role !== 'user') return [...messages, { role: 'user', content: text }];
    const blocks: ContentBlock[] = typeof last.content === 'string' ? [{ type: 'text', text: last.content }] : [...last.content];
    return [...messages.slice(0, -1), { role: 'user', content: [...blocks, { type: 'text', text }] }];
  }
  return [...messages, { role: 'assistant', content: reply }, { role: 'user', content: text }];
}

/** Thrown by model clients when the provider failed after its retries: the trial is `infra`, not `agent`. */
export class ModelInfraError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    /**
     * What the failed work was billed, when the provider charged it anyway (e.g. a vendor dream that
     * failed after it ran): its tokens and their cost, and apart from them the runtime it was billed
     * (a vendor dream's own session), when the provider reports one.
     */
    readonly spent?: Usage & { cost_usd: number; runtime_cost_usd?: number },
  ) {
    super(message);
    this.name = 'ModelInfraError';
  }
}

/**
 * Why an error will not go away by retrying: `permanent` (400 invalid request, 401, 403, 404: bad
 * credentials, a mistyped model, a request the API refuses) or `context` (the prompt is longer than
 * the model's context window). Resume does not re-run such trials blindly.
 */
export type PermanentKind = 'permanent' | 'context';

/** A provider error that retrying will not fix. A ModelInfraError, so every existing catch still stops the work. */
export class ModelPermanentError extends ModelInfraError {
  constructor(
    message: string,
    status: number | undefined,
    readonly kind: PermanentKind,
  ) {
    super(message, status);
    this.name = 'ModelPermanentError';
  }
}
