// A local stand-in for Anthropic's Messages API (POST /v1/messages) over real HTTP, for offline
// tests, fault injection and benchmarks of anything that talks to the API through
// @anthropic-ai/sdk. It answers in the API's own shapes (a `Message`, or the error envelope
// `{type: 'error', error: {type, message}}`), validates requests the way the API does (auth header,
// anthropic-version, required fields, no sampling parameters), and records every request it saw.
//
// Replies come, in order of precedence, from a queue of scripted replies, a handler function, and
// finally a plain text answer. A scripted reply can be a message, an API error with a status and
// headers (e.g. `retry-after`), a raw body, a dropped connection or a request that never answers.
//
// Beyond scripted replies:
// - `rateLimit`: enforces requests / input tokens / output tokens per window (a sliding window,
//   60 s by default) like the API: a 429 rate_limit_error with retry-after once a limit is reached,
//   and the anthropic-ratelimit-* headers (limit, remaining, reset) on every answer. Input tokens
//   count as the answer's usage reports them (input plus cache writes; a request is admitted on an
//   estimate of a quarter of its body's bytes); output tokens as reported, once answered.
// - `faults`: a fault-injecting server. Each request to POST /v1/messages, with a configured
//   probability (seeded, so a test is repeatable), gets a 429 with retry-after, a 529 overloaded, a
//   500, a dropped connection, a request that never answers, or a 200 whose JSON is cut short.
// - Message Batches: POST /v1/messages/batches, GET /v1/messages/batches/{id} (processing_status
//   in_progress, then ended with request_counts and results_url) and GET .../{id}/results (JSONL,
//   not in request order). Each request of a batch is answered like a POST /v1/messages would be
//   (queue, handler, default), as the SDK's types say.
//
// API rules (mock-api-rules.ts), always on: thinking blocks the server issued must come back
// unmodified and in order with their tool_use turn, else a 400; no message may have empty content
// (but an optional final assistant turn); a text block may not be empty. Optional: `models` (per-model
// rules: thinking always on, forced tool_choice refused, efforts, context window, minimum cacheable
// length; a thinking model's replies start with a thinking block, empty at the default display),
// `knownModels` (others get a 404) and `promptCache` (cache reads and writes computed from the
// request's breakpoints instead of the reply's usage).

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

import {
  checkModelRules,
  checkNonEmpty,
  mockSignature,
  MockPromptCache,
  ruleFor,
  thinksOn,
  ThinkingLedger,
  type MockModelRule,
} from './mock-api-rules.js';
import type {
  ContentBlock as ApiContentBlock,
  Message as ApiMessage,
  StopReason as ApiStopReason,
  Usage as ApiUsage,
} from '@anthropic-ai/sdk/resources/messages';

/** The API's error `type` values, as sent in `{type: 'error', error: {type, message}}`. */
export type ApiErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'billing_error'
  | 'permission_error'
  | 'not_found_error'
  | 'request_too_large'
  | 'rate_limit_error'
  | 'timeout_error'
  | 'api_error'
  | 'overloaded_error';

export type MockContentBlock =
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id?: string; name: string; input: Record<string, unknown> }
  | { type: 'thinking'; thinking: string; signature?: string }
  | { type: 'redacted_thinking'; data: string };

export interface MockUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number | null;
  cache_read_input_tokens: number | null;
}

interface ReplyCommon {
  /** Extra response headers, e.g. `{ 'retry-after': '0.01' }`. */
  headers?: Record<string, string>;
  /** Wait this long before answering (latency injection). */
  delayMs?: number;
}

/** A successful `Message`. Unset fields get sensible defaults (see `MockMessagesServer`). */
export interface MockMessageReply extends ReplyCommon {
  kind: 'message';
  /** Default: one text block `"ok"`. */
  content?: MockContentBlock[];
  /** Default: `tool_use` when the content has a tool_use block, else `end_turn`. */
  stop_reason?: ApiStopReason | null;
  stop_sequence?: string | null;
  /** Default: the request's `model`. */
  model?: string;
  id?: string;
  /** Default: token counts estimated from the request and reply sizes, no cache activity. */
  usage?: Partial<MockUsage>;
  /** Default 200. */
  status?: number;
}

/** An API error: status plus the API's error envelope. */
export interface MockErrorReply extends ReplyCommon {
  kind: 'error';
  status: number;
  /** Default: the type the API uses for that status (429 -> rate_limit_error, 529 -> overloaded_error...). */
  errorType?: ApiErrorType;
  message?: string;
}

/** Any status and body, for malformed or unexpected responses. Objects are sent as JSON. */
export interface MockRawReply extends ReplyCommon {
  kind: 'raw';
  status: number;
  body: string | object;
}

/** Destroy the connection without answering (a reset / network failure). */
export interface MockDropReply {
  kind: 'drop';
  delayMs?: number;
}

/** Never answer: the request stays open until the client gives up or the server closes. */
export interface MockHangReply {
  kind: 'hang';
}

export type MockReply = MockMessageReply | MockErrorReply | MockRawReply | MockDropReply | MockHangReply;

/** The parsed JSON body of a POST /v1/messages (already validated for the required fields). */
export interface MockMessagesRequestBody {
  model: string;
  max_tokens: number;
  messages: unknown[];
  system?: unknown;
  tools?: unknown[];
  [key: string]: unknown;
}

export interface MockRequestInfo {
  /** 0-based position of this request among all requests the server received. */
  index: number;
  method: string;
  path: string;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  /** The SDK's own retry counter (`x-stainless-retry-count`), 0 on a first attempt. */
  retryCount: number;
  /** Set when the request is one of a Message Batch's (`custom_id` and the batch's id). */
  batch?: { id: string; custom_id: string };
}

export type MockHandler = (body: MockMessagesRequestBody, info: MockRequestInfo) => MockReply | Promise<MockReply>;

export interface MockRecordedRequest extends MockRequestInfo {
  /** Parsed JSON body, or `undefined` when it was not JSON. */
  body: unknown;
  rawBody: string;
  receivedAt: number;
  /** Status the server answered with; `undefined` for dropped or unanswered requests. */
  status?: number;
  /** What answered: the mock's own validation, the reply queue, the handler or the default, or the rate limit, an injected fault, the batch API. */
  source?: 'validation' | 'queue' | 'handler' | 'default' | 'rate_limit' | 'fault' | 'batch';
  /** The injected fault, when one was. */
  fault?: MockFaultKind;
  /** The usage a message answer reported. */
  usage?: ApiUsage;
}

/** Limits the mock enforces on POST /v1/messages, per window (default 60 s: per minute). */
export interface MockRateLimit {
  rpm?: number;
  itpm?: number;
  otpm?: number;
  /** The window's length. Default 60,000. */
  windowMs?: number;
}

export type MockFaultKind = 'rate_limit' | 'overloaded' | 'server_error' | 'drop' | 'hang' | 'malformed';

/** Fractions (0..1) of POST /v1/messages requests that get each fault; the rest are answered normally. */
export interface MockFaults {
  rate_limit?: number;
  overloaded?: number;
  server_error?: number;
  drop?: number;
  hang?: number;
  malformed?: number;
  /** Seed of the draws (by request index). Default 1. */
  seed?: number;
  /** retry-after of an injected 429, in seconds. Default 0.05. */
  retryAfterSeconds?: number;
}

export interface MockRateLimitStats {
  admitted: number;
  rejected: number;
  /** Admitted requests per window at the busiest moment (never above the limit). */
  peakRequestsInWindow: number;
}

export interface MockServerOptions {
  /** Scripted replies, consumed in order before the handler is asked. */
  replies?: MockReply[];
  handler?: MockHandler;
  /** Require `Authorization: Bearer <token>` (or `x-api-key`). Default true. */
  requireAuth?: boolean;
  /** When set, the bearer token (or x-api-key) must equal it, else 401. */
  apiKey?: string;
  /** Reject `temperature`, `top_p` and `top_k` with a 400 as API version 2026-10-21 does. Default true. */
  rejectSamplingParams?: boolean;
  /** Require the `anthropic-version` header. Default true. */
  requireVersionHeader?: boolean;
  /** Enforce rate limits (see the header). */
  rateLimit?: MockRateLimit;
  /** Inject faults (see the header). */
  faults?: MockFaults;
  /** How long a Message Batch stays in_progress after its requests were answered. Default 0. */
  batchProcessingMs?: number;
  /** Per-model rules by model-id prefix (see mock-api-rules.ts). */
  models?: Record<string, MockModelRule>;
  /** Model ids (or prefixes) the server knows; any other model is a 404 not_found_error. */
  knownModels?: string[];
  /** Simulate prompt caching: usage's cache fields come from the request's breakpoints. */
  promptCache?: { ttlMs?: number; defaultMinTokens?: number };
}

interface MockBatch {
  id: string;
  created_at: string;
  expires_at: string;
  ended_at: string | null;
  cancel_initiated_at: string | null;
  count: number;
  results: Array<{ custom_id: string; result: Record<string, unknown> }>;
  ended: boolean;
}

interface WindowEntry {
  at: number;
  input: number;
  output: number;
}

const SAMPLING_PARAMS = ['temperature', 'top_p', 'top_k'] as const;

export class MockMessagesServer {
  private readonly server: Server;
  private readonly queue: MockReply[];
  private handler: MockHandler | undefined;
  private readonly options: Required<Pick<MockServerOptions, 'requireAuth' | 'rejectSamplingParams' | 'requireVersionHeader'>> &
    Pick<MockServerOptions, 'apiKey'>;
  private readonly recorded: MockRecordedRequest[] = [];
  private readonly sockets = new Set<Socket>();
  private baseUrl: string | undefined;
  private messageCounter = 0;
  private rateLimit: MockRateLimit | undefined;
  private faults: MockFaults | undefined;
  private readonly window: WindowEntry[] = [];
  private readonly limitStats: MockRateLimitStats = { admitted: 0, rejected: 0, peakRequestsInWindow: 0 };
  private readonly faultCounts: Partial<Record<MockFaultKind, number>> = {};
  private readonly batches = new Map<string, MockBatch>();
  private readonly batchProcessingMs: number;
  private readonly models: Record<string, MockModelRule> | undefined;
  private readonly knownModels: string[] | undefined;
  private readonly thinking = new ThinkingLedger();
  /** The simulated prompt cache, when `promptCache` is set (its stats say what was read and written). */
  readonly promptCache: MockPromptCache | undefined;
  private readonly defaultMinCache: number;

  constructor(script: MockServerOptions | MockHandler | MockReply[] = {}) {
    const options: MockServerOptions =
      typeof script === 'function' ? { handler: script } : Array.isArray(script) ? { replies: script } : script;
    this.queue = [...(options.replies ?? [])];
    this.handler = options.handler;
    this.options = {
      requireAuth: options.requireAuth ?? true,
      rejectSamplingParams: options.rejectSamplingParams ?? true,
      requireVersionHeader: options.requireVersionHeader ?? true,
      apiKey: options.apiKey,
    };
    this.rateLimit = options.rateLimit;
    this.faults = options.faults;
    this.batchProcessingMs = options.batchProcessingMs ?? 0;
    this.models = options.models;
    this.knownModels = options.knownModels;
    this.promptCache = options.promptCache ? new MockPromptCache(options.promptCache.ttlMs) : undefined;
    this.defaultMinCache = options.promptCache?.defaultMinTokens ?? 1024;
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        // A bug in a handler must not hang the client: answer like the API's internal error.
        if (!res.headersSent && !res.destroyed) {
          this.sendError(res, 500, 'api_error', `mock server handler failed: ${String(error)}`);
        } else {
          res.destroy();
        }
      });
    });
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  /** Starts listening on 127.0.0.1 on a free port. `url` is the base URL to give the SDK. */
  async start(): Promise<{ url: string }> {
    if (this.baseUrl) return { url: this.baseUrl };
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    const { port } = this.server.address() as AddressInfo;
    this.baseUrl = `http://127.0.0.1:${port}`;
    return { url: this.baseUrl };
  }

  /** The base URL once started. */
  get url(): string {
    if (!this.baseUrl) throw new Error('MockMessagesServer: call start() first');
    return this.baseUrl;
  }

  /** Stops the server and cuts open connections (including hanging requests). */
  async close(): Promise<void> {
    if (!this.server.listening) return;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    this.server.closeAllConnections();
    await closed;
    this.baseUrl = undefined;
  }

  /** Appends scripted replies to the queue. */
  enqueue(...replies: MockReply[]): this {
    this.queue.push(...replies);
    return this;
  }

  /** Replaces the handler used once the queue is empty. */
  setHandler(handler: MockHandler | undefined): this {
    this.handler = handler;
    return this;
  }

  /** Scripted replies not yet used. */
  get pendingReplies(): number {
    return this.queue.length;
  }

  /** Every request received so far, in arrival order. */
  get requests(): readonly MockRecordedRequest[] {
    return this.recorded;
  }

  /** Requests that reached POST /v1/messages and passed validation. */
  get messageRequests(): readonly MockRecordedRequest[] {
    return this.recorded.filter((r) => r.source !== undefined && r.source !== 'validation');
  }

  /** Forgets recorded requests and any queued replies. */
  reset(): void {
    this.recorded.length = 0;
    this.queue.length = 0;
  }

  /** Sets (or, undefined, removes) the enforced rate limits; forgets the window. */
  setRateLimit(limit: MockRateLimit | undefined): this {
    this.rateLimit = limit;
    this.window.length = 0;
    Object.assign(this.limitStats, { admitted: 0, rejected: 0, peakRequestsInWindow: 0 });
    return this;
  }

  /** Sets (or removes) fault injection. */
  setFaults(faults: MockFaults | undefined): this {
    this.faults = faults;
    return this;
  }

  get rateLimitStats(): Readonly<MockRateLimitStats> {
    return this.limitStats;
  }

  /** How many faults of each kind were injected. */
  get faultStats(): Readonly<Partial<Record<MockFaultKind, number>>> {
    return this.faultCounts;
  }

  /** Message Batches created so far (ids, in creation order). */
  get batchIds(): string[] {
    return [...this.batches.keys()];
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const rawBody = await readBody(req);
    const headers = flattenHeaders(req);
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const record: MockRecordedRequest = {
      index: this.recorded.length,
      method: req.method ?? 'GET',
      path,
      headers,
      retryCount: Number.parseInt(headers['x-stainless-retry-count'] ?? '0', 10) || 0,
      body: parseJson(rawBody),
      rawBody,
      receivedAt: Date.now(),
    };
    this.recorded.push(record);

    if (path.startsWith('/v1/messages/batches')) {
      await this.handleBatches(record, res);
      return;
    }

    const invalid = this.validate(record);
    if (invalid) {
      record.source = 'validation';
      record.status = invalid.status;
      this.sendError(res, invalid.status, invalid.type, invalid.message);
      return;
    }

    const body = record.body as MockMessagesRequestBody;
    const limited = this.admit(rawBody);
    if (limited.rejected) {
      record.source = 'rate_limit';
      record.status = 429;
      this.sendError(res, 429, 'rate_limit_error', limited.rejected, limited.headers);
      return;
    }
    const fault = this.drawFault(record.index);
    if (fault) {
      record.source = 'fault';
      record.fault = fault;
      this.faultCounts[fault] = (this.faultCounts[fault] ?? 0) + 1;
      limited.entry?.release();
      record.status = await this.send(res, this.faultReply(fault), body, rawBody);
      return;
    }
    const { reply, source } = await this.nextReply(body, {
      index: record.index,
      method: record.method,
      path,
      headers,
      retryCount: record.retryCount,
    });
    record.source = source;
    if (limited.headers && (reply.kind === 'message' || reply.kind === 'error' || reply.kind === 'raw')) {
      reply.headers = { ...limited.headers, ...reply.headers };
    }
    record.status = await this.send(res, reply, body, rawBody, (usage) => {
      record.usage = usage;
      limited.entry?.settle(usage);
    });
  }

  private async nextReply(
    body: MockMessagesRequestBody,
    info: MockRequestInfo,
  ): Promise<{ reply: MockReply; source: 'queue' | 'handler' | 'default' }> {
    const queued = this.queue.shift();
    if (queued) return { reply: { ...queued }, source: 'queue' };
    if (this.handler) return { reply: { ...(await this.handler(body, info)) }, source: 'handler' };
    return { reply: { kind: 'message' }, source: 'default' };
  }

  /** The sliding-window limit check at a request's arrival: admits it (and says what remains) or says why not. */
  private admit(rawBody: string): {
    rejected?: string;
    headers?: Record<string, string>;
    entry?: { settle(usage: ApiUsage): void; release(): void };
  } {
    const limit = this.rateLimit;
    if (!limit) return {};
    const windowMs = limit.windowMs ?? 60_000;
    const now = Date.now();
    while (this.window.length > 0 && this.window[0]!.at <= now - windowMs) this.window.shift();
    const input = Math.max(1, Math.ceil(rawBody.length / 4));
    const inputSum = this.window.reduce((sum, e) => sum + e.input, 0);
    const outputSum = this.window.reduce((sum, e) => sum + e.output, 0);
    const count = this.window.length;
    const oldest = this.window[0]?.at ?? now;
    const resetAt = new Date(oldest + windowMs).toISOString();
    const secondsUntil = (at: number): string => String(Math.max(0.001, (at - now) / 1000).toFixed(3));
    // When the earliest entry whose expiry would make room leaves the window.
    const freeAt = (fits: (dropped: number) => boolean): number => {
      for (let i = 0; i < this.window.length; i++) if (fits(i + 1)) return this.window[i]!.at + windowMs;
      return now + windowMs;
    };
    let rejected: string | undefined;
    let retryAt = now;
    if (limit.rpm !== undefined && count + 1 > limit.rpm) {
      rejected = `Number of requests has exceeded your per-minute rate limit (${limit.rpm})`;
      retryAt = freeAt((dropped) => count - dropped + 1 <= limit.rpm!);
    } else if (limit.itpm !== undefined && inputSum + input > limit.itpm) {
      rejected = `Number of input tokens has exceeded your per-minute rate limit (${limit.itpm})`;
      retryAt = freeAt((dropped) => inputSum - this.window.slice(0, dropped).reduce((sum, e) => sum + e.input, 0) + input <= limit.itpm!);
    } else if (limit.otpm !== undefined && outputSum >= limit.otpm) {
      rejected = `Number of output tokens has exceeded your per-minute rate limit (${limit.otpm})`;
      retryAt = freeAt((dropped) => outputSum - this.window.slice(0, dropped).reduce((sum, e) => sum + e.output, 0) < limit.otpm!);
    }
    const entry: WindowEntry = { at: now, input, output: 0 };
    if (!rejected) {
      this.window.push(entry);
      this.limitStats.admitted++;
      this.limitStats.peakRequestsInWindow = Math.max(this.limitStats.peakRequestsInWindow, this.window.length);
    } else {
      this.limitStats.rejected++;
    }
    const used = rejected ? 0 : 1;
    const headers: Record<string, string> = {};
    if (limit.rpm !== undefined) {
      headers['anthropic-ratelimit-requests-limit'] = String(limit.rpm);
      headers['anthropic-ratelimit-requests-remaining'] = String(Math.max(0, limit.rpm - count - used));
      headers['anthropic-ratelimit-requests-reset'] = resetAt;
    }
    if (limit.itpm !== undefined) {
      headers['anthropic-ratelimit-input-tokens-limit'] = String(limit.itpm);
      headers['anthropic-ratelimit-input-tokens-remaining'] = String(Math.max(0, limit.itpm - inputSum - (rejected ? 0 : input)));
      headers['anthropic-ratelimit-input-tokens-reset'] = resetAt;
    }
    if (limit.otpm !== undefined) {
      headers['anthropic-ratelimit-output-tokens-limit'] = String(limit.otpm);
      headers['anthropic-ratelimit-output-tokens-remaining'] = String(Math.max(0, limit.otpm - outputSum));
      headers['anthropic-ratelimit-output-tokens-reset'] = resetAt;
    }
    if (rejected) {
      headers['retry-after'] = secondsUntil(retryAt);
      return { rejected, headers };
    }
    return {
      headers,
      entry: {
        // The window counts what the answer reports (its usage is the server's own count), as the API's does.
        settle: (usage: ApiUsage) => {
          entry.input = usage.input_tokens + (usage.cache_creation_input_tokens ?? 0);
          entry.output = usage.output_tokens;
        },
        // An injected fault: the request was not served, so it does not count.
        release: () => {
          const at = this.window.indexOf(entry);
          if (at >= 0) this.window.splice(at, 1);
        },
      },
    };
  }

  private drawFault(index: number): MockFaultKind | undefined {
    const faults = this.faults;
    if (!faults) return undefined;
    const draw = unitDraw((faults.seed ?? 1) * 1_000_003 + index);
    let cumulative = 0;
    for (const kind of ['rate_limit', 'overloaded', 'server_error', 'drop', 'hang', 'malformed'] as const) {
      cumulative += faults[kind] ?? 0;
      if (draw < cumulative) return kind;
    }
    return undefined;
  }

  private faultReply(kind: MockFaultKind): MockReply {
    switch (kind) {
      case 'rate_limit':
        return mockReply.rateLimited(this.faults?.retryAfterSeconds ?? 0.05);
      case 'overloaded':
        return mockReply.overloaded();
      case 'server_error':
        return mockReply.error(500, { message: 'Internal server error (injected)' });
      case 'drop':
        return mockReply.drop();
      case 'hang':
        return mockReply.hang();
      case 'malformed':
        return {
          kind: 'raw',
          status: 200,
          body: '{"id":"msg_mock_cut","type":"message","role":"assistant","content":[{"type":"te',
          headers: { 'content-type': 'application/json' },
        };
    }
  }

  /** The Message Batches endpoints. */
  private async handleBatches(record: MockRecordedRequest, res: ServerResponse): Promise<void> {
    record.source = 'batch';
    const fail = (status: number, type: ApiErrorType, message: string): void => {
      record.status = status;
      this.sendError(res, status, type, message);
    };
    if (this.options.requireAuth) {
      const auth = record.headers.authorization;
      const token = auth?.match(/^Bearer\s+(\S+)$/i)?.[1] ?? record.headers['x-api-key'];
      if (!token || (this.options.apiKey !== undefined && token !== this.options.apiKey)) {
        fail(401, 'authentication_error', 'invalid x-api-key');
        return;
      }
    }
    const parts = record.path.split('/').filter(Boolean); // v1 messages batches [id] [results|cancel]
    const id = parts[3];
    const action = parts[4];
    if (parts.length === 3 && record.method === 'POST') {
      const body = record.body;
      if (!isRecord(body) || !Array.isArray(body.requests) || body.requests.length === 0) {
        fail(400, 'invalid_request_error', 'requests: Field required (a non-empty list)');
        return;
      }
      const seen = new Set<string>();
      for (const [i, entry] of body.requests.entries()) {
        if (!isRecord(entry) || typeof entry.custom_id !== 'string' || !/^[a-zA-Z0-9_-]{1,64}$/.test(entry.custom_id)) {
          fail(400, 'invalid_request_error', `requests.${i}.custom_id: a string of 1-64 letters, digits, - or _`);
          return;
        }
        if (seen.has(entry.custom_id)) {
          fail(400, 'invalid_request_error', `requests.${i}.custom_id: "${entry.custom_id}" is used twice; custom_id must be unique`);
          return;
        }
        seen.add(entry.custom_id);
        const params = entry.params;
        if (
          !isRecord(params) ||
          typeof params.model !== 'string' ||
          typeof params.max_tokens !== 'number' ||
          !Array.isArray(params.messages)
        ) {
          fail(400, 'invalid_request_error', `requests.${i}.params: model, max_tokens and messages are required`);
          return;
        }
      }
      const batchId = `msgbatch_mock_${String(this.batches.size + 1).padStart(6, '0')}`;
      const now = new Date();
      const batch: MockBatch = {
        id: batchId,
        created_at: now.toISOString(),
        expires_at: new Date(now.getTime() + 24 * 3600 * 1000).toISOString(),
        ended_at: null,
        cancel_initiated_at: null,
        count: body.requests.length,
        results: [],
        ended: false,
      };
      this.batches.set(batchId, batch);
      void this.processBatch(batch, body.requests as Array<{ custom_id: string; params: MockMessagesRequestBody }>, record.headers);
      record.status = 200;
      this.write(res, 200, JSON.stringify(this.batchObject(batch)), { 'content-type': 'application/json' });
      return;
    }
    const batch = id ? this.batches.get(id) : undefined;
    if (!batch) {
      fail(404, 'not_found_error', `Not found: ${record.method} ${record.path}`);
      return;
    }
    if (action === undefined && record.method === 'GET') {
      record.status = 200;
      this.write(res, 200, JSON.stringify(this.batchObject(batch)), { 'content-type': 'application/json' });
      return;
    }
    if (action === 'results' && record.method === 'GET') {
      if (!batch.ended) {
        fail(404, 'not_found_error', `Results for batch ${batch.id} are not available until processing has ended`);
        return;
      }
      // Not in request order: the API does not promise it either, so clients must match by custom_id.
      const lines =
        [...batch.results]
          .reverse()
          .map((r) => JSON.stringify(r))
          .join('\n') + '\n';
      record.status = 200;
      this.write(res, 200, lines, { 'content-type': 'application/binary' });
      return;
    }
    if (action === 'cancel' && record.method === 'POST') {
      batch.cancel_initiated_at ??= new Date().toISOString();
      record.status = 200;
      this.write(res, 200, JSON.stringify(this.batchObject(batch)), { 'content-type': 'application/json' });
      return;
    }
    fail(405, 'invalid_request_error', `Method ${record.method} not allowed on ${record.path}`);
  }

  private async processBatch(
    batch: MockBatch,
    requests: Array<{ custom_id: string; params: MockMessagesRequestBody }>,
    headers: Record<string, string>,
  ): Promise<void> {
    const results = await Promise.all(
      requests.map(async ({ custom_id, params }) => {
        const info: MockRequestInfo = {
          index: this.recorded.length,
          method: 'POST',
          path: '/v1/messages',
          headers,
          retryCount: 0,
          batch: { id: batch.id, custom_id },
        };
        let result: Record<string, unknown>;
        try {
          const { reply } = await this.nextReply(params, info);
          if (reply.kind === 'message') {
            result = { type: 'succeeded', message: this.buildMessage(reply, params, JSON.stringify(params)) };
          } else if (reply.kind === 'error') {
            const type = reply.errorType ?? errorTypeFor(reply.status);
            result = {
              type: 'errored',
              error: { type: 'error', error: { type, message: reply.message ?? defaultErrorMessage(type) }, request_id: null },
            };
          } else {
            result = {
              type: 'errored',
              error: {
                type: 'error',
                error: { type: 'api_error', message: `mock: a ${reply.kind} reply cannot be part of a batch` },
                request_id: null,
              },
            };
          }
        } catch (error) {
          result = { type: 'errored', error: { type: 'error', error: { type: 'api_error', message: String(error) }, request_id: null } };
        }
        return { custom_id, result };
      }),
    );
    if (this.batchProcessingMs > 0) await sleep(this.batchProcessingMs);
    batch.results = batch.cancel_initiated_at ? results.map((r) => ({ custom_id: r.custom_id, result: { type: 'canceled' } })) : results;
    batch.ended = true;
    batch.ended_at = new Date().toISOString();
  }

  private batchObject(batch: MockBatch): Record<string, unknown> {
    const count = (type: string) => batch.results.filter((r) => r.result.type === type).length;
    return {
      id: batch.id,
      type: 'message_batch',
      processing_status: batch.ended ? 'ended' : batch.cancel_initiated_at ? 'canceling' : 'in_progress',
      request_counts: batch.ended
        ? {
            processing: 0,
            succeeded: count('succeeded'),
            errored: count('errored'),
            canceled: count('canceled'),
            expired: count('expired'),
          }
        : { processing: batch.count, succeeded: 0, errored: 0, canceled: 0, expired: 0 },
      ended_at: batch.ended_at,
      created_at: batch.created_at,
      expires_at: batch.expires_at,
      archived_at: null,
      cancel_initiated_at: batch.cancel_initiated_at,
      results_url: batch.ended ? `${this.baseUrl ?? ''}/v1/messages/batches/${batch.id}/results` : null,
    };
  }

  private validate(record: MockRecordedRequest): { status: number; type: ApiErrorType; message: string } | undefined {
    if (record.path !== '/v1/messages') {
      return { status: 404, type: 'not_found_error', message: `Not found: ${record.method} ${record.path}` };
    }
    if (record.method !== 'POST') {
      return { status: 405, type: 'invalid_request_error', message: `Method ${record.method} not allowed on /v1/messages` };
    }
    if (this.options.requireAuth) {
      const auth = record.headers.authorization;
      const bearer = auth?.match(/^Bearer\s+(\S+)$/i)?.[1];
      const token = bearer ?? record.headers['x-api-key'];
      if (!token) {
        return {
          status: 401,
          type: 'authentication_error',
          message: 'Missing authentication: send an "Authorization: Bearer <API key>" header',
        };
      }
      if (this.options.apiKey !== undefined && token !== this.options.apiKey) {
        return { status: 401, type: 'authentication_error', message: 'invalid API key' };
      }
    }
    if (this.options.requireVersionHeader && !record.headers['anthropic-version']) {
      return { status: 400, type: 'invalid_request_error', message: 'anthropic-version: header is required' };
    }
    const body = record.body;
    if (!isRecord(body)) {
      return { status: 400, type: 'invalid_request_error', message: 'The request body is not valid JSON' };
    }
    if (this.options.rejectSamplingParams) {
      const sent = SAMPLING_PARAMS.filter((name) => name in body);
      if (sent.length > 0) {
        return {
          status: 400,
          type: 'invalid_request_error',
          message: `${sent.join(', ')}: ${sent.length > 1 ? 'these parameters are' : 'this parameter is'} not supported by anthropic-version ${record.headers['anthropic-version'] ?? 'of this request'}`,
        };
      }
    }
    if (typeof body.model !== 'string' || body.model === '') {
      return { status: 400, type: 'invalid_request_error', message: 'model: Field required' };
    }
    if (typeof body.max_tokens !== 'number' || !Number.isInteger(body.max_tokens) || body.max_tokens < 0) {
      return { status: 400, type: 'invalid_request_error', message: 'max_tokens: Field required (a non-negative integer)' };
    }
    if (!Array.isArray(body.messages)) {
      return { status: 400, type: 'invalid_request_error', message: 'messages: Field required' };
    }
    if (body.tools !== undefined && !Array.isArray(body.tools)) {
      return { status: 400, type: 'invalid_request_error', message: 'tools: Input should be a valid list' };
    }
    if (body.stream === true) {
      return { status: 400, type: 'invalid_request_error', message: 'stream: the mock Messages server does not implement streaming' };
    }
    const typed = body as MockMessagesRequestBody;
    return (
      checkModelRules(typed, this.models, this.knownModels, record.rawBody) ??
      checkNonEmpty(body.messages) ??
      this.thinking.check(body.messages)
    );
  }

  /** Sends `reply` and returns the status sent (undefined when nothing was sent). */
  private async send(
    res: ServerResponse,
    reply: MockReply,
    body: MockMessagesRequestBody,
    rawBody: string,
    onUsage?: (usage: ApiUsage) => void,
  ): Promise<number | undefined> {
    if (reply.kind === 'hang') return undefined;
    if (reply.delayMs && reply.delayMs > 0) await sleep(reply.delayMs);
    if (res.destroyed) return undefined;
    switch (reply.kind) {
      case 'drop':
        res.socket?.destroy();
        res.destroy();
        return undefined;
      case 'error':
        this.sendError(res, reply.status, reply.errorType ?? errorTypeFor(reply.status), reply.message, reply.headers);
        return reply.status;
      case 'raw': {
        const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
        const contentType = typeof reply.body === 'string' ? 'text/plain; charset=utf-8' : 'application/json';
        this.write(res, reply.status, text, { 'content-type': contentType, ...reply.headers });
        return reply.status;
      }
      case 'message': {
        const status = reply.status ?? 200;
        const message = this.buildMessage(reply, body, rawBody);
        onUsage?.(message.usage);
        this.write(res, status, JSON.stringify(message), {
          'content-type': 'application/json',
          ...reply.headers,
        });
        return status;
      }
    }
  }

  private buildMessage(reply: MockMessageReply, body: MockMessagesRequestBody, rawBody: string): ApiMessage {
    const n = ++this.messageCounter;
    let blocks = reply.content ?? [{ type: 'text', text: 'ok' }];
    const rule = ruleFor(this.models, body.model);
    const thinks = thinksOn(rule, body);
    // A thinking model's reply opens with its reasoning; at the default display its text is empty.
    if (thinks && !blocks.some((b) => b.type === 'thinking' || b.type === 'redacted_thinking')) {
      const display = (body.thinking as { display?: string } | undefined)?.display;
      blocks = [{ type: 'thinking', thinking: display === 'summarized' ? 'Considering the next step.' : '' }, ...blocks];
    }
    const content = blocks.map((block, i) => toApiBlock(block, n, i));
    this.thinking.record(content);
    const hasToolUse = content.some((block) => block.type === 'tool_use');
    const estimatedOutput = Math.max(1, Math.ceil(JSON.stringify(blocks).length / 4));
    const thinkingTokens = thinks ? Math.max(8, Math.ceil(estimatedOutput / 2)) : 0;
    const cached = this.promptCache?.account(body, rule?.minCacheTokens ?? this.defaultMinCache);
    const written = cached?.cache_creation_input_tokens ?? reply.usage?.cache_creation_input_tokens ?? 0;
    const usage: ApiUsage = {
      input_tokens: cached?.input_tokens ?? reply.usage?.input_tokens ?? Math.max(1, Math.ceil(rawBody.length / 4)),
      output_tokens: (reply.usage?.output_tokens ?? estimatedOutput) + thinkingTokens,
      cache_creation_input_tokens: written,
      cache_read_input_tokens: cached?.cache_read_input_tokens ?? reply.usage?.cache_read_input_tokens ?? 0,
      cache_creation: {
        ephemeral_1h_input_tokens: 0,
        ephemeral_5m_input_tokens: written,
      },
      inference_geo: null,
      output_tokens_details: thinks ? { thinking_tokens: thinkingTokens } : null,
      server_tool_use: null,
      service_tier: 'standard',
      speed: null,
    };
    return {
      id: reply.id ?? `msg_mock_${String(n).padStart(6, '0')}`,
      type: 'message',
      role: 'assistant',
      model: reply.model ?? body.model,
      content,
      stop_reason: reply.stop_reason === undefined ? (hasToolUse ? 'tool_use' : 'end_turn') : reply.stop_reason,
      stop_sequence: reply.stop_sequence ?? null,
      stop_details: null,
      container: null,
      diagnostics: null,
      usage,
    };
  }

  private sendError(res: ServerResponse, status: number, type: ApiErrorType, message?: string, headers: Record<string, string> = {}): void {
    const requestId = `req_mock_${String(this.recorded.length).padStart(6, '0')}`;
    const envelope = {
      type: 'error',
      error: { type, message: message ?? defaultErrorMessage(type) },
      request_id: requestId,
    };
    this.write(res, status, JSON.stringify(envelope), { 'content-type': 'application/json', ...headers }, requestId);
  }

  private write(
    res: ServerResponse,
    status: number,
    text: string,
    headers: Record<string, string>,
    requestId = `req_mock_${String(this.recorded.length).padStart(6, '0')}`,
  ): void {
    if (res.destroyed) return;
    res.writeHead(status, { 'request-id': requestId, 'content-length': Buffer.byteLength(text), ...headers });
    res.end(text);
  }
}

/** Creates and starts a mock server in one step. */
export async function startMockMessagesServer(script?: MockServerOptions | MockHandler | MockReply[]): Promise<MockMessagesServer> {
  const server = new MockMessagesServer(script);
  await server.start();
  return server;
}

/** Shorthands for scripted replies. */
export const mockReply = {
  text(text: string, extra: Omit<MockMessageReply, 'kind' | 'content'> = {}): MockMessageReply {
    return { kind: 'message', content: [{ type: 'text', text }], ...extra };
  },
  toolUse(
    name: string,
    input: Record<string, unknown>,
    extra: Omit<MockMessageReply, 'kind' | 'content'> & { id?: string; text?: string } = {},
  ): MockMessageReply {
    const { id, text, ...rest } = extra;
    const content: MockContentBlock[] = [];
    if (text !== undefined) content.push({ type: 'text', text });
    content.push({ type: 'tool_use', name, input, ...(id !== undefined ? { id } : {}) });
    return { kind: 'message', content, ...rest };
  },
  error(status: number, options: Omit<MockErrorReply, 'kind' | 'status'> = {}): MockErrorReply {
    return { kind: 'error', status, ...options };
  },
  rateLimited(retryAfterSeconds = 0.01, message = 'Number of request tokens has exceeded your rate limit'): MockErrorReply {
    return {
      kind: 'error',
      status: 429,
      errorType: 'rate_limit_error',
      message,
      headers: { 'retry-after': String(retryAfterSeconds) },
    };
  },
  /** A reply with any stop reason (max_tokens, refusal, pause_turn, model_context_window_exceeded, ...). */
  stop(
    stop_reason: ApiStopReason,
    content: MockContentBlock[] = [],
    extra: Omit<MockMessageReply, 'kind' | 'content' | 'stop_reason'> = {},
  ): MockMessageReply {
    return { kind: 'message', content, stop_reason, ...extra };
  },
  overloaded(message = 'Overloaded'): MockErrorReply {
    return { kind: 'error', status: 529, errorType: 'overloaded_error', message };
  },
  drop(): MockDropReply {
    return { kind: 'drop' };
  },
  hang(): MockHangReply {
    return { kind: 'hang' };
  },
};

/** The error type the API uses for an HTTP status. */
export function errorTypeFor(status: number): ApiErrorType {
  switch (status) {
    case 400:
      return 'invalid_request_error';
    case 401:
      return 'authentication_error';
    case 402:
      return 'billing_error';
    case 403:
      return 'permission_error';
    case 404:
      return 'not_found_error';
    case 408:
    case 504:
      return 'timeout_error';
    case 413:
      return 'request_too_large';
    case 429:
      return 'rate_limit_error';
    case 529:
      return 'overloaded_error';
    default:
      return status >= 500 ? 'api_error' : 'invalid_request_error';
  }
}

function defaultErrorMessage(type: ApiErrorType): string {
  switch (type) {
    case 'rate_limit_error':
      return 'Rate limit exceeded';
    case 'overloaded_error':
      return 'Overloaded';
    case 'api_error':
      return 'Internal server error';
    case 'authentication_error':
      return 'invalid x-api-key';
    default:
      return type.replace(/_/g, ' ');
  }
}

function toApiBlock(block: MockContentBlock, messageNumber: number, index: number): ApiContentBlock {
  switch (block.type) {
    case 'text':
      return { type: 'text', text: block.text, citations: null };
    case 'tool_use':
      return {
        type: 'tool_use',
        id: block.id ?? `toolu_mock_${String(messageNumber).padStart(6, '0')}_${index}`,
        name: block.name,
        input: block.input,
        caller: { type: 'direct' },
      };
    case 'thinking':
      return {
        type: 'thinking',
        thinking: block.thinking,
        signature: block.signature ?? mockSignature(block.thinking, messageNumber * 100 + index),
      };
    case 'redacted_thinking':
      return { type: 'redacted_thinking', data: block.data };
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function flattenHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A uniform draw in [0, 1) from an integer (mulberry32). */
function unitDraw(seed: number): number {
  let t = (seed >>> 0) + 0x6d2b79f5;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
