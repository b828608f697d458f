// `openai:<model>`: any OpenAI-compatible chat-completions server (vLLM, Ollama, llama.cpp's
// server, LM Studio, or OpenAI itself) at a base URL, with tool calls, over plain fetch.
//
// Mapping from our Messages-shaped requests:
// - system blocks -> one `system` message (their texts joined by a blank line; servers and chat
//   templates that take a single system message are the common case). Cache marks are dropped:
//   these servers cache prompt prefixes on their own.
// - assistant text + tool_use blocks -> one `assistant` message with `content` and `tool_calls`
//   (arguments as a JSON string);
// - user tool_result blocks -> one `tool` message each (`tool_call_id`, an error prefixed "Error: "),
//   then the user's text, if any, as a `user` message;
// - tools -> `{type: 'function', function: {name, description, parameters}}`.
// Back: `tool_calls` -> tool_use blocks (unparseable arguments become {}), finish_reason `tool_calls`
// -> tool_use, `length` -> max_tokens, `content_filter` -> refusal; usage prompt_tokens (less cached
// tokens) -> input, cached -> cache read, completion_tokens -> output. Cost from pricing.json by
// model id (an `openai:<id>` or `<id>` entry), else 0 (local models cost nothing per token).
//
// Reasoning models (OpenAI's o-series and gpt-5 family, or `reasoning: true`) get
// max_completion_tokens instead of max_tokens, which they refuse; their reasoning tokens
// (completion_tokens_details.reasoning_tokens) are recorded as thinking tokens. A 400, 401, 403 or
// 404 is a ModelPermanentError (a context_length_exceeded 400: kind `context`), never retried.
//
// Configuration: OPENAI_BASE_URL (default https://api.openai.com/v1; e.g. http://127.0.0.1:8000/v1
// for vLLM, http://127.0.0.1:11434/v1 for Ollama), OPENAI_API_KEY (optional: sent as a bearer token
// when set). Retries with backoff (honouring retry-after) on 408, 409, 429, 5xx, connection errors,
// timeouts and unparseable 2xx bodies; what still fails is a ModelInfraError (the trial is `infra`).

import {
  ModelInfraError,
  ModelPermanentError,
  type CallContext,
  type ContentBlock,
  type ModelClient,
  type ModelRequest,
  type ModelResponse,
  type StopReason,
  type Usage,
} from '../../core/messages.js';
import { costOf, type PricingTable } from '../pricing.js';
import { estimateInputTokens, retryAfterMs, type RateLimiter, type Reservation } from '../rate-limit.js';

export const OPENAI_PREFIX = 'openai:';
export const DEFAULT_OPENAI_BASE_URL = 'https://api.openai.com/v1';

export interface OpenAIModelOptions {
  /** Default: OPENAI_API_KEY; none is fine for local servers. */
  apiKey?: string;
  /** Default: OPENAI_BASE_URL, else https://api.openai.com/v1. */
  baseURL?: string;
  /** Retries after the first attempt. Default 4. */
  maxRetries?: number;
  /** Per-attempt timeout. Default 600,000 ms. */
  timeoutMs?: number;
  /** First backoff delay (doubles per retry, capped at 8 s, with jitter). Default 500 ms. */
  retryBaseMs?: number;
  env?: NodeJS.ProcessEnv;
  rateLimiter?: RateLimiter;
  onUnknownPrice?: (message: string, modelId: string) => void;
  /** Prices (pricing.json with the experiment's rows). */
  pricing?: PricingTable;
  /** Send max_completion_tokens instead of max_tokens. Default: true for names matching {@link REASONING_MODEL}. */
  reasoning?: boolean;
}

/** OpenAI's reasoning model names (o1, o3, o4-mini, gpt-5...), which take max_completion_tokens. */
export const REASONING_MODEL = /^(o\d|gpt-5)/;

// The chat-completions wire format (the subset we send and read).
export interface ChatToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}
export type ChatMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string }
  | { role: 'assistant'; content: string | null; tool_calls?: ChatToolCall[] }
  | { role: 'tool'; tool_call_id: string; content: string };
export interface ChatTool {
  type: 'function';
  function: { name: string; description: string; parameters: Record<string, unknown> };
}
export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  tools?: ChatTool[];
  max_tokens?: number;
  max_completion_tokens?: number;
}
export interface ChatCompletion {
  id: string;
  object: 'chat.completion';
  created: number;
  model: string;
  choices: Array<{
    index: number;
    message: { role: 'assistant'; content: string | null; tool_calls?: ChatToolCall[] };
    finish_reason: string | null;
  }>;
  usage?: {
    prompt_tokens: number;
    completion_tokens: number;
    total_tokens?: number;
    prompt_tokens_details?: { cached_tokens?: number };
    completion_tokens_details?: { reasoning_tokens?: number };
  };
}

export function createOpenAIModel(modelId: string, options: OpenAIModelOptions = {}): OpenAIModel {
  return new OpenAIModel(modelId, options);
}

export class OpenAIModel implements ModelClient {
  readonly id: string;
  readonly model: string;
  readonly baseURL: string;
  readonly maxRetries: number;
  readonly timeoutMs: number;
  private readonly retryBaseMs: number;
  private readonly apiKey: string | undefined;
  private readonly rateLimiter: RateLimiter | undefined;
  private readonly onUnknownPrice: OpenAIModelOptions['onUnknownPrice'];
  private readonly pricing: PricingTable | undefined;
  readonly reasoning: boolean;

  constructor(modelId: string, options: OpenAIModelOptions = {}) {
    const model = modelId.trim().startsWith(OPENAI_PREFIX) ? modelId.trim().slice(OPENAI_PREFIX.length) : modelId.trim();
    if (model === '') throw new Error(`openai model spec "${modelId}" has no model id (expected openai:<model>)`);
    this.model = model;
    this.id = `${OPENAI_PREFIX}${model}`;
    const env = options.env ?? process.env;
    this.apiKey = nonEmpty(options.apiKey) ?? nonEmpty(env.OPENAI_API_KEY);
    this.baseURL = (nonEmpty(options.baseURL) ?? nonEmpty(env.OPENAI_BASE_URL) ?? DEFAULT_OPENAI_BASE_URL).replace(/\/+$/, '');
    this.maxRetries = options.maxRetries ?? 4;
    this.timeoutMs = options.timeoutMs ?? 600_000;
    this.retryBaseMs = options.retryBaseMs ?? 500;
    this.rateLimiter = options.rateLimiter;
    // A model served on this machine costs nothing per token: no "unpriced model" warning for it.
    this.onUnknownPrice = options.onUnknownPrice ?? (isLoopback(this.baseURL) ? () => undefined : undefined);
    this.pricing = options.pricing;
    this.reasoning = options.reasoning ?? REASONING_MODEL.test(model);
  }

  async create(request: ModelRequest, context: CallContext): Promise<ModelResponse> {
    const body = JSON.stringify(toChatRequest(this.model, request, this.reasoning));
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    if (this.apiKey) headers.authorization = `Bearer ${this.apiKey}`;
    const url = `${this.baseURL}/chat/completions`;
    let lastProblem = 'no attempt made';
    let lastStatus: number | undefined;
    for (let attempt = 0; attempt <= this.maxRetries; attempt++) {
      if (attempt > 0) headers['x-retry-count'] = String(attempt);
      let reservation: Reservation | undefined;
      if (this.rateLimiter)
        reservation = await this.rateLimiter.acquire({ input: estimateInputTokens(body), output: request.max_tokens }, context.signal);
      const timeout = AbortSignal.timeout(this.timeoutMs);
      const signal = context.signal ? AbortSignal.any([context.signal, timeout]) : timeout;
      let response: Response;
      try {
        response = await fetch(url, { method: 'POST', headers, body, signal });
      } catch (error) {
        reservation?.release();
        if (context.signal?.aborted) throw abortReason(context.signal);
        lastStatus = undefined;
        lastProblem = timeout.aborted
          ? `the request to ${describeHost(this.baseURL)} timed out (timeout ${this.timeoutMs} ms)`
          : `could not reach ${describeHost(this.baseURL)} (${describeCause(error)})`;
        await this.backoff(attempt, undefined, context.signal);
        continue;
      }
      this.rateLimiter?.observe(response.status, response.headers);
      let text: string;
      try {
        text = await response.text();
      } catch (error) {
        reservation?.release();
        if (context.signal?.aborted) throw abortReason(context.signal);
        lastStatus = undefined;
        lastProblem = `the connection to ${describeHost(this.baseURL)} broke while reading the response (${describeCause(error)})`;
        await this.backoff(attempt, undefined, context.signal);
        continue;
      }
      if (!response.ok) {
        reservation?.release();
        lastStatus = response.status;
        lastProblem = `API error ${response.status}: ${errorMessageOf(text)}`;
        if (!isRetryableStatus(response.status)) {
          const message = this.redact(`${this.id}: ${lastProblem}`);
          if (/context_length_exceeded|maximum context length/i.test(text))
            throw new ModelPermanentError(message, response.status, 'context');
          if ([400, 401, 403, 404].includes(response.status)) throw new ModelPermanentError(message, response.status, 'permanent');
          throw new ModelInfraError(message, response.status);
        }
        await this.backoff(attempt, response.headers, context.signal);
        continue;
      }
      const parsed = parseCompletion(text);
      if (typeof parsed === 'string') {
        reservation?.release();
        lastStatus = undefined;
        lastProblem = `malformed response body (status ${response.status}: ${parsed})`;
        await this.backoff(attempt, undefined, context.signal);
        continue;
      }
      const result = this.fromCompletion(parsed);
      reservation?.commit({ input: result.usage.input_tokens + result.usage.cache_read_tokens, output: result.usage.output_tokens });
      return result;
    }
    throw new ModelInfraError(this.redact(`${this.id}: ${lastProblem}, after ${this.maxRetries} retries`), lastStatus);
  }

  /** One minimal request before a run (see harness/runner/model-checks.ts). */
  preflight(signal?: AbortSignal): Promise<ModelResponse> {
    return this.create(
      { system: [], messages: [{ role: 'user', content: 'Reply with the word ok.' }], max_tokens: 16 },
      { seedKey: 'preflight', purpose: 'agent', ...(signal ? { signal } : {}) },
    );
  }

  private fromCompletion(completion: ChatCompletion): ModelResponse {
    const choice = completion.choices[0]!;
    const content = fromChatMessage(choice.message);
    const cached = completion.usage?.prompt_tokens_details?.cached_tokens ?? 0;
    const usage: Usage = {
      input_tokens: Math.max(0, (completion.usage?.prompt_tokens ?? 0) - cached),
      output_tokens: completion.usage?.completion_tokens ?? 0,
      cache_read_tokens: cached,
      cache_write_tokens: 0,
    };
    const reasoning = completion.usage?.completion_tokens_details?.reasoning_tokens;
    if (typeof reasoning === 'number' && reasoning > 0) usage.thinking_tokens = reasoning;
    const options = {
      ...(this.onUnknownPrice ? { onUnknownPrice: this.onUnknownPrice } : {}),
      ...(this.pricing ? { table: this.pricing } : {}),
    };
    return {
      model: completion.model || this.model,
      content,
      stop_reason: fromFinishReason(choice.finish_reason, content),
      usage,
      cost_usd: costOf(this.id, usage, options),
    };
  }

  private async backoff(attempt: number, headers: Headers | undefined, signal: AbortSignal | undefined): Promise<void> {
    if (attempt >= this.maxRetries) return;
    const asked = headers ? retryAfterMs(headers) : undefined;
    const computed = Math.min(this.retryBaseMs * 2 ** attempt, 8_000) * (1 - Math.random() * 0.25);
    const wait = asked !== undefined && asked > 0 && asked <= 60_000 ? asked : computed;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, wait);
      signal?.addEventListener(
        'abort',
        () => {
          clearTimeout(timer);
          reject(abortReason(signal));
        },
        { once: true },
      );
    });
  }

  private redact(text: string): string {
    return this.apiKey ? text.split(this.apiKey).join('[redacted]') : text;
  }
}

/** Our request -> chat completions. */
export function toChatRequest(model: string, request: ModelRequest, reasoning = REASONING_MODEL.test(model)): ChatRequest {
  const messages: ChatMessage[] = [];
  const system = request.system
    .map((b) => b.text)
    .filter((t) => t !== '')
    .join('\n\n');
  if (system) messages.push({ role: 'system', content: system });
  for (const message of request.messages) {
    if (typeof message.content === 'string') {
      messages.push(message.role === 'user' ? { role: 'user', content: message.content } : { role: 'assistant', content: message.content });
      continue;
    }
    if (message.role === 'assistant') {
      const text = message.content.flatMap((b) => (b.type === 'text' && b.text !== '' ? [b.text] : [])).join('\n');
      const calls: ChatToolCall[] = message.content.flatMap((b) =>
        b.type === 'tool_use'
          ? [{ id: b.id, type: 'function' as const, function: { name: b.name, arguments: JSON.stringify(b.input ?? {}) } }]
          : [],
      );
      messages.push({ role: 'assistant', content: text === '' ? null : text, ...(calls.length ? { tool_calls: calls } : {}) });
      continue;
    }
    for (const block of message.content) {
      if (block.type === 'tool_result') {
        messages.push({
          role: 'tool',
          tool_call_id: block.tool_use_id,
          content: block.is_error ? `Error: ${block.content}` : block.content,
        });
      }
    }
    const text = message.content.flatMap((b) => (b.type === 'text' && b.text !== '' ? [b.text] : [])).join('\n');
    if (text !== '') messages.push({ role: 'user', content: text });
  }
  const out: ChatRequest = reasoning
    ? { model, messages, max_completion_tokens: request.max_tokens }
    : { model, messages, max_tokens: request.max_tokens };
  if (request.tools && request.tools.length > 0) {
    out.tools = request.tools.map((tool) => ({
      type: 'function',
      function: { name: tool.name, description: tool.description, parameters: tool.input_schema as unknown as Record<string, unknown> },
    }));
  }
  return out;
}

/** A chat completion's message -> our content blocks. */
export function fromChatMessage(message: ChatCompletion['choices'][number]['message']): ContentBlock[] {
  const out: ContentBlock[] = [];
  if (typeof message.content === 'string' && message.content !== '') out.push({ type: 'text', text: message.content });
  (message.tool_calls ?? []).forEach((call, i) => {
    let input: Record<string, unknown> = {};
    try {
      const parsed = JSON.parse(call.function.arguments || '{}') as unknown;
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) input = parsed as Record<string, unknown>;
    } catch {
      // A model that wrote broken JSON arguments: the tool sees no input and says what is missing.
    }
    out.push({ type: 'tool_use', id: call.id || `call_${i}`, name: call.function.name, input });
  });
  return out;
}

export function fromFinishReason(reason: string | null, content: readonly ContentBlock[]): StopReason {
  if (content.some((b) => b.type === 'tool_use')) return 'tool_use';
  switch (reason) {
    case 'length':
      return 'max_tokens';
    case 'content_filter':
      return 'refusal';
    default:
      return 'end_turn';
  }
}

/** The parsed completion, or a string saying what is wrong with the body. */
function parseCompletion(text: string): ChatCompletion | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return (error as Error).message;
  }
  if (typeof value !== 'object' || value === null) return 'not a JSON object';
  const choices = (value as { choices?: unknown }).choices;
  if (!Array.isArray(choices) || choices.length === 0) return 'no choices';
  const message = (choices[0] as { message?: unknown }).message;
  if (typeof message !== 'object' || message === null) return 'choices[0] has no message';
  return value as ChatCompletion;
}

function errorMessageOf(text: string): string {
  try {
    const value = JSON.parse(text) as { error?: { message?: unknown } | string; message?: unknown };
    if (typeof value.error === 'string') return value.error;
    if (typeof value.error?.message === 'string') return value.error.message;
    if (typeof value.message === 'string') return value.message;
  } catch {
    // not JSON
  }
  return text.slice(0, 300) || '(empty body)';
}

function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

function describeCause(error: unknown): string {
  const cause = (error as { cause?: unknown }).cause;
  const text = error instanceof Error ? error.message : String(error);
  return cause instanceof Error ? `${text}: ${cause.message}` : text;
}

function describeHost(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return 'the server';
  }
}

function isLoopback(url: string): boolean {
  try {
    const host = new URL(url).hostname;
    return host === 'localhost' || host === '[::1]' || host === '::1' || /^127\./.test(host);
  } catch {
    return false;
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value !== undefined && value.trim() !== '' ? value.trim() : undefined;
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason instanceof Error ? signal.reason : new DOMException('The model call was aborted', 'AbortError');
}
