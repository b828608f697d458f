// `anthropic:<model-id>`: a ModelClient over Anthropic's Messages API through @anthropic-ai/sdk.
// The SDK does retries (429 / 5xx / connection errors, honouring retry-after) and timeouts; this
// file maps our Messages-shaped vocabulary to the SDK's and back, marks the cached system prefix
// per cache-policy.ts for prompt caching, prices usage from pricing.json, and turns every provider
// failure into a ModelInfraError so the trial is counted as `infra`, not as the agent's failure, or
// into a ModelPermanentError when retrying cannot help (400 invalid request, 401, 403, 404; a prompt
// longer than the context window).
//
// Thinking models: what each request carries (thinking, output_config.effort, a max_tokens floor,
// whether a forced tool_choice may be sent) comes from model-facts.json and the experiment's
// model_options (model-facts.ts). Thinking and redacted_thinking blocks are kept in our content and
// sent back exactly as received, signature included: the API rejects a conversation whose thinking
// blocks are missing or changed.
//
// Requests go through `client.post('/v1/messages')` rather than `messages.create`, whose
// console.warn about deprecated models fires on every request; dreambench warns once per model at
// the start of a run instead (model-facts.ts lifecycleWarning).
//
// Never sent: temperature, top_p, top_k (the API version the SDK speaks rejects them).
// Never logged or put in an error message: the API key.
//
// Every HTTP attempt (the SDK's retries included) passes through one SDK middleware, which
// - waits for the model's shared rate limiter (harness/models/rate-limit.ts) before it is sent,
//   outside the SDK's per-attempt timeout, and tells the limiter what the response said (rate-limit
//   headers, 429 and retry-after) and how many tokens it used;
// - turns a 2xx response whose body is not a Message (malformed or cut-short JSON, which the SDK
//   would otherwise hand back as a parse error without retrying) into a RetryableError, so it is
//   retried within the same budget as 429s, 5xx and dropped connections.
// The middleware sees every attempt, where `.withResponse()` would show only the last one.
//
// With `batch`, grader and dreaming calls go through the Message Batches API (batcher.ts), at half price.

import Anthropic, { AnthropicError, APIConnectionError, APIConnectionTimeoutError, APIError, RetryableError } from '@anthropic-ai/sdk';
import type { Middleware } from '@anthropic-ai/sdk';
import type {
  ContentBlockParam,
  Message as ApiMessage,
  MessageCreateParamsNonStreaming,
  MessageParam,
  StopReason as ApiStopReason,
  TextBlockParam,
  Tool,
} from '@anthropic-ai/sdk/resources/messages';

import {
  ModelInfraError,
  ModelPermanentError,
  type CallContext,
  type ContentBlock,
  type Message,
  type ModelClient,
  type ModelRequest,
  type ModelResponse,
  type StopReason,
  type Usage,
} from '../../core/messages.js';
import { costOf, priceFor, type PricingTable } from '../pricing.js';
import { applyCachePolicy } from './cache-policy.js';
import { resolveModelSettings, type ModelOptions, type ModelRequestSettings } from './model-facts.js';
import { estimateInputTokens, type RateLimiter, type Reservation } from '../rate-limit.js';
import { BatchRequestError, MessageBatcher, type BatchOptions } from './batcher.js';

export const ANTHROPIC_PREFIX = 'anthropic:';
/** Retries the SDK makes after the first attempt (429, 408, 409, 5xx, connection errors). */
export const DEFAULT_MAX_RETRIES = 4;
/** Per-attempt timeout. Set explicitly so the SDK never refuses a large non-streaming max_tokens. */
export const DEFAULT_TIMEOUT_MS = 600_000;

export interface AnthropicModelOptions {
  /** Default: `ANTHROPIC_API_KEY`. */
  apiKey?: string;
  /** Default: `ANTHROPIC_BASE_URL`, else the SDK's default (https://api.anthropic.com). */
  baseURL?: string;
  /** Default {@link DEFAULT_MAX_RETRIES}. */
  maxRetries?: number;
  /** Default {@link DEFAULT_TIMEOUT_MS}. */
  timeoutMs?: number;
  /** Where the one-time "no price for this model" warning goes (default: a Node process warning). */
  onUnknownPrice?: (message: string, modelId: string) => void;
  /** Environment to read ANTHROPIC_API_KEY / ANTHROPIC_BASE_URL from. Default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** The model's rate limiter, shared by every caller of this model in the process. */
  rateLimiter?: RateLimiter;
  /** Send grader and dreaming calls (or `batch.purposes`) through the Message Batches API, at half price. */
  batch?: BatchOptions;
  /** The experiment's options for this model (effort, thinking, display): see model-facts.ts. */
  modelOptions?: ModelOptions;
  /** Prices to use (the package's pricing.json with the experiment's `pricing:` rows). */
  pricing?: PricingTable;
}

/** Thrown before any work starts when `anthropic:<model>` has no API key. */
export class AnthropicCredentialsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AnthropicCredentialsError';
  }
}

/**
 * Checks that an API key is available for `anthropic:<model>` and returns it; throws an
 * {@link AnthropicCredentialsError} otherwise. Call it before a run starts (the factory calls it too).
 */
export function assertAnthropicCredentials(modelId = '<model>', options: Pick<AnthropicModelOptions, 'apiKey' | 'env'> = {}): string {
  const key = options.apiKey ?? (options.env ?? process.env).ANTHROPIC_API_KEY;
  if (key === undefined || key.trim() === '') {
    throw new AnthropicCredentialsError(
      `ANTHROPIC_API_KEY is not set: ${ANTHROPIC_PREFIX}${bareModelId(modelId)} needs an API key. ` +
        'Export ANTHROPIC_API_KEY (and ANTHROPIC_BASE_URL for a proxy or gateway), ' +
        'or use the offline simulated model (sim:<profile>).',
    );
  }
  return key.trim();
}

/** Builds the `anthropic:<model-id>` client. Throws at once when no API key is available. */
export function createAnthropicModel(modelId: string, options: AnthropicModelOptions = {}): AnthropicModel {
  return new AnthropicModel(modelId, options);
}

export class AnthropicModel implements ModelClient {
  readonly id: string;
  /** The model id sent to the API, e.g. `claude-sonnet-4-5`. */
  readonly model: string;
  /** The base URL requests go to (no credentials in it are ever logged by this class). */
  readonly baseURL: string;
  readonly maxRetries: number;
  readonly timeoutMs: number;
  readonly rateLimiter: RateLimiter | undefined;
  readonly batcher: MessageBatcher | undefined;
  private readonly client: Anthropic;
  private readonly apiKey: string;
  private readonly onUnknownPrice: AnthropicModelOptions['onUnknownPrice'];
  private readonly pricing: PricingTable | undefined;
  /** What every request to this model carries (thinking, effort, max_tokens floor, tool_choice, cache minimum). */
  readonly settings: ModelRequestSettings;

  constructor(modelId: string, options: AnthropicModelOptions = {}) {
    const model = bareModelId(modelId);
    if (model === '') throw new Error(`anthropic model spec "${modelId}" has no model id (expected anthropic:<model-id>)`);
    this.model = model;
    this.id = `${ANTHROPIC_PREFIX}${model}`;
    this.apiKey = assertAnthropicCredentials(model, options);
    const env = options.env ?? process.env;
    const baseURL = nonEmpty(options.baseURL) ?? nonEmpty(env.ANTHROPIC_BASE_URL);
    this.maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.onUnknownPrice = options.onUnknownPrice;
    this.pricing = options.pricing;
    // Problems with the options are refused before a run (checkModelOptions); here they are applied as far as they go.
    this.settings = resolveModelSettings(model, options.modelOptions).settings;
    this.rateLimiter = options.rateLimiter;
    this.client = new Anthropic({
      apiKey: this.apiKey,
      // `null` (not undefined) so the SDK does not fall back to reading the environment itself.
      baseURL: baseURL ?? null,
      maxRetries: this.maxRetries,
      timeout: this.timeoutMs,
      middleware: [messagesMiddleware(this.rateLimiter)],
    });
    this.baseURL = this.client.baseURL;
    this.batcher = options.batch ? new MessageBatcher(this.client, options.batch) : undefined;
  }

  async create(request: ModelRequest, context: CallContext): Promise<ModelResponse> {
    const params = toApiRequest(this.model, request, this.settings);
    const batched = this.batcher?.purposes.has(context.purpose);
    let message: ApiMessage;
    try {
      message = batched
        ? await this.batcher!.submit(params, context.signal)
        : await this.client.post<ApiMessage>('/v1/messages', { body: params, signal: context.signal ?? null });
    } catch (error) {
      throw this.translateError(error, context.signal);
    }
    return this.fromApiMessage(message, batched);
  }

  /**
   * One minimal request before a run: a mistyped model, a bad key or options the model rejects
   * fail here, with the API's own message, instead of in every trial. Returns what it cost.
   */
  async preflight(signal?: AbortSignal): Promise<ModelResponse> {
    return this.create(
      { system: [], messages: [{ role: 'user', content: 'Reply with the word ok.' }], max_tokens: 16 },
      { seedKey: 'preflight', purpose: 'agent', ...(signal ? { signal } : {}) },
    );
  }

  private fromApiMessage(message: ApiMessage, batch = false): ModelResponse {
    const usage = usageOf(message);
    // Price by the model that answered (the API resolves aliases to dated ids), else by the one asked.
    const priceId = message.model && priceFor(message.model, this.pricing) ? message.model : this.model;
    const options = {
      ...(this.onUnknownPrice ? { onUnknownPrice: this.onUnknownPrice } : {}),
      ...(batch ? { batch } : {}),
      ...(this.pricing ? { table: this.pricing } : {}),
    };
    return {
      model: message.model || this.model,
      content: fromApiContent(message.content),
      stop_reason: fromApiStopReason(message.stop_reason),
      usage,
      cost_usd: costOf(priceId, usage, options),
    };
  }

  private translateError(error: unknown, signal: AbortSignal | undefined): unknown {
    if (signal?.aborted) {
      // The caller cancelled: hand back its own reason, not an infra failure.
      return signal.reason instanceof Error ? signal.reason : new DOMException('The model call was aborted', 'AbortError');
    }
    const who = this.id;
    if (error instanceof BatchRequestError) return new ModelInfraError(redact(`${who}: ${error.message}`, this.apiKey));
    if (error instanceof SyntaxError) {
      return new ModelInfraError(
        redact(`${who}: the response from ${describeHost(this.baseURL)} was not valid JSON (${error.message})`, this.apiKey),
      );
    }
    if (!(error instanceof AnthropicError)) return error;
    let message: string;
    let status: number | undefined;
    if (error instanceof RetryableError) {
      message = `${who}: ${error.message} from ${describeHost(this.baseURL)}, after ${this.maxRetries} retries`;
    } else if (error instanceof APIConnectionTimeoutError) {
      message = `${who}: the request to ${describeHost(this.baseURL)} timed out (timeout ${this.timeoutMs} ms, ${this.maxRetries} retries)`;
    } else if (error instanceof APIConnectionError) {
      const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
      message = `${who}: could not reach ${describeHost(this.baseURL)} after ${this.maxRetries} retries (${error.message}${cause})`;
    } else if (error instanceof APIError && typeof error.status === 'number') {
      status = error.status;
      const type = error.type ?? 'error';
      const said = error.apiMessage ?? error.message;
      const requestId = error.requestID ? ` [request-id ${error.requestID}]` : '';
      if (isContextOverflow(status, said)) {
        return new ModelPermanentError(
          redact(`${who}: the prompt is longer than the model's context window (${status} ${type}): ${said}${requestId}`, this.apiKey),
          status,
          'context',
        );
      }
      if (status === 400) {
        message = `${who}: the API rejected the request (400 ${type}): ${said}${requestId}`;
      } else if (status === 401 || status === 403) {
        message = `${who}: the API refused the credentials (${status} ${type}): ${said}. Check ANTHROPIC_API_KEY.${requestId}`;
      } else if (status === 404) {
        message = `${who}: not found (404 ${type}): ${said}. Check the model id.${requestId}`;
      } else if (isRetryableStatus(status)) {
        message = `${who}: API error ${status} ${type} after ${this.maxRetries} retries: ${said}${requestId}`;
      } else {
        message = `${who}: API error ${status} ${type}: ${said}${requestId}`;
      }
    } else {
      message = `${who}: ${error.message}`;
    }
    if (status !== undefined && isPermanentStatus(status))
      return new ModelPermanentError(redact(message, this.apiKey), status, 'permanent');
    return new ModelInfraError(redact(message, this.apiKey), status);
  }
}

/** The middleware every attempt of POST /v1/messages goes through (see the header). */
export function messagesMiddleware(limiter: RateLimiter | undefined): Middleware {
  return async (request, next, ctx) => {
    const url = new URL(request.url);
    if ((request.method ?? 'GET').toUpperCase() !== 'POST' || !url.pathname.endsWith('/v1/messages')) return next(request);
    let reservation: Reservation | undefined;
    if (limiter) {
      const body = typeof request.body === 'string' ? request.body : '';
      const sent = ctx.options?.body as { max_tokens?: unknown } | undefined;
      const maxTokens = typeof sent?.max_tokens === 'number' ? sent.max_tokens : 0;
      reservation = await limiter.acquire({ input: estimateInputTokens(body), output: maxTokens }, request.signal ?? undefined);
    }
    let response: Response;
    try {
      response = await next(request);
    } catch (error) {
      reservation?.release();
      throw error;
    }
    limiter?.observe(response.status, response.headers);
    if (!response.ok) {
      reservation?.release();
      return response;
    }
    let data: unknown;
    try {
      data = await ctx.parse(response);
    } catch (error) {
      reservation?.release();
      throw new RetryableError(`malformed response body (status ${response.status}: ${(error as Error).message})`, { cause: error });
    }
    if (!isRecord(data) || data.type !== 'message' || !Array.isArray(data.content)) {
      reservation?.release();
      throw new RetryableError(`unexpected response body (status ${response.status}, not a Message)`);
    }
    const usage = isRecord(data.usage) ? data.usage : {};
    const count = (value: unknown): number => (typeof value === 'number' ? value : 0);
    reservation?.commit({
      // Cache reads do not count towards the input-token limit; cache writes do.
      input: count(usage.input_tokens) + count(usage.cache_creation_input_tokens),
      output: count(usage.output_tokens),
    });
    return response;
  };
}

/**
 * Our request -> the SDK's non-streaming create params: the model's thinking and effort settings,
 * max_tokens raised to the model's floor when it thinks, a tool_choice only where the model accepts
 * it, and cache breakpoints per cache-policy.ts. No sampling parameters, ever.
 */
export function toApiRequest(
  model: string,
  request: ModelRequest,
  settings: ModelRequestSettings = resolveModelSettings(model).settings,
): MessageCreateParamsNonStreaming {
  const params: MessageCreateParamsNonStreaming = {
    model,
    max_tokens: Math.max(request.max_tokens, settings.minMaxTokens),
    messages: toApiConversation(request.messages),
  };
  const kept = request.system.filter((block) => block.text !== '');
  if (kept.length > 0) params.system = kept.map((block): TextBlockParam => ({ type: 'text', text: block.text }));
  if (request.tools && request.tools.length > 0) {
    params.tools = request.tools.map((tool): Tool => ({ name: tool.name, description: tool.description, input_schema: tool.input_schema }));
  }
  if (settings.thinking) params.thinking = settings.thinking;
  if (settings.effort) params.output_config = { effort: settings.effort };
  const choice = request.tool_choice;
  if (choice && params.tools) {
    const forced = choice.type === 'any' || choice.type === 'tool';
    // A forced choice on a model that rejects it (or with thinking on, which the API does not allow) becomes auto.
    if (!forced || (settings.forcedToolChoice && !settings.thinks)) params.tool_choice = choice;
  }
  applyCachePolicy(
    params,
    settings.minCacheTokens,
    kept.map((block) => block.cache === true),
  );
  return params;
}

/**
 * Our messages -> the API's. Empty text blocks are dropped (the API rejects them), and so is an
 * assistant turn left with no content at all (an empty reply): the user turns around it are joined,
 * since the API rejects empty content and wants the roles to alternate.
 */
function toApiConversation(messages: readonly Message[]): MessageParam[] {
  const out: MessageParam[] = [];
  for (const message of messages) {
    const mapped = toApiMessage(message);
    const empty = typeof mapped.content === 'string' ? mapped.content === '' : mapped.content.length === 0;
    if (empty) continue;
    const previous = out.at(-1);
    if (previous && previous.role === mapped.role && mapped.role === 'user') {
      previous.content = [...asBlocks(previous.content), ...asBlocks(mapped.content)];
      continue;
    }
    out.push(mapped);
  }
  return out;
}

function asBlocks(content: MessageParam['content']): ContentBlockParam[] {
  return typeof content === 'string' ? (content === '' ? [] : [{ type: 'text', text: content }]) : content;
}

function toApiMessage(message: Message): MessageParam {
  if (typeof message.content === 'string') return { role: message.role, content: message.content };
  const content = message.content
    // The API rejects empty text blocks; they carry nothing.
    .filter((block) => !(block.type === 'text' && block.text === ''))
    .map(toApiBlock);
  return { role: message.role, content };
}

function toApiBlock(block: ContentBlock): ContentBlockParam {
  switch (block.type) {
    case 'text':
      return { type: 'text', text: block.text };
    case 'tool_use':
      return { type: 'tool_use', id: block.id, name: block.name, input: block.input };
    case 'tool_result':
      return {
        type: 'tool_result',
        tool_use_id: block.tool_use_id,
        content: block.content,
        ...(block.is_error !== undefined ? { is_error: block.is_error } : {}),
      };
    // Exactly as received: the API checks the signature and the order.
    case 'thinking':
      return { type: 'thinking', thinking: block.thinking, signature: block.signature };
    case 'redacted_thinking':
      return { type: 'redacted_thinking', data: block.data };
  }
}

/**
 * The SDK's response content -> ours: text, tool_use, thinking and redacted_thinking (kept to be
 * sent back unchanged); server-tool blocks are skipped.
 */
export function fromApiContent(content: ApiMessage['content']): ContentBlock[] {
  const out: ContentBlock[] = [];
  for (const block of content) {
    if (block.type === 'text') {
      out.push({ type: 'text', text: block.text });
    } else if (block.type === 'tool_use') {
      out.push({ type: 'tool_use', id: block.id, name: block.name, input: isRecord(block.input) ? block.input : {} });
    } else if (block.type === 'thinking') {
      out.push({ type: 'thinking', thinking: block.thinking, signature: block.signature });
    } else if (block.type === 'redacted_thinking') {
      out.push({ type: 'redacted_thinking', data: block.data });
    }
  }
  return out;
}

export function fromApiStopReason(reason: ApiStopReason | null): StopReason {
  switch (reason) {
    case 'end_turn':
    case 'tool_use':
    case 'max_tokens':
    case 'stop_sequence':
    case 'refusal':
    case 'pause_turn':
    case 'model_context_window_exceeded':
      return reason;
    default:
      return 'end_turn';
  }
}

function usageOf(message: ApiMessage): Usage {
  const usage = message.usage as Partial<ApiMessage['usage']> | undefined;
  const out: Usage = {
    input_tokens: usage?.input_tokens ?? 0,
    output_tokens: usage?.output_tokens ?? 0,
    cache_read_tokens: usage?.cache_read_input_tokens ?? 0,
    cache_write_tokens: usage?.cache_creation_input_tokens ?? 0,
  };
  const thinking = usage?.output_tokens_details?.thinking_tokens;
  if (typeof thinking === 'number' && thinking > 0) out.thinking_tokens = thinking;
  const hour = usage?.cache_creation?.ephemeral_1h_input_tokens;
  if (typeof hour === 'number' && hour > 0) out.cache_write_1h_tokens = hour;
  return out;
}

function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/** Errors that a retry, now or on resume, answers the same way: bad request, credentials, billing, permission, not found. */
function isPermanentStatus(status: number): boolean {
  return status === 400 || status === 401 || status === 402 || status === 403 || status === 404;
}

/** A prompt too long for the model (the API answers 400 invalid_request_error, or 413 for a body too large). */
function isContextOverflow(status: number, said: string): boolean {
  if (status !== 400 && status !== 413) return false;
  return (
    /prompt is too long|context window|context length|too many (input )?tokens|exceeds the maximum|request_too_large/i.test(said) ||
    status === 413
  );
}

function bareModelId(spec: string): string {
  const trimmed = spec.trim();
  return trimmed.startsWith(ANTHROPIC_PREFIX) ? trimmed.slice(ANTHROPIC_PREFIX.length).trim() : trimmed;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value !== undefined && value.trim() !== '' ? value.trim() : undefined;
}

/** Scheme, host and port of a URL, without any userinfo or path. */
function describeHost(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return 'the API';
  }
}

function redact(text: string, secret: string): string {
  return secret.length > 0 ? text.split(secret).join('[redacted]') : text;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
