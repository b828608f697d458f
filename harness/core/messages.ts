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

export type ContentBlock = TextBlock | ToolUseBlock | ToolResultBlock;

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

export interface ModelRequest {
  system: SystemBlock[];
  messages: Message[];
  tools?: ToolSpec[];
  max_tokens: number;
}

export interface Usage {
  input_tokens: number;
  output_tokens: number;
  cache_read_tokens: number;
  cache_write_tokens: number;
}

export type StopReason = 'end_turn' | 'tool_use' | 'max_tokens' | 'stop_sequence' | 'refusal' | 'pause_turn';

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
  return into;
}

export function textOf(content: string | ContentBlock[]): string {
  if (typeof content === 'string') return content;
  return content
    .map((block) => (block.type === 'text' ? block.text : block.type === 'tool_result' ? block.content : ''))
    .filter(Boolean)
    .join('\n');
}

/** Thrown by model clients when the provider failed after its retries: the trial is `infra`, not `agent`. */
export class ModelInfraError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'ModelInfraError';
  }
}
