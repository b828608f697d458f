// A local stand-in for Anthropic's Messages API (POST /v1/messages) over real HTTP, for offline
// tests, fault injection and benchmarks of anything that talks to the API through
// @anthropic-ai/sdk. It answers in the API's own shapes (a `Message`, or the error envelope
// `{type: 'error', error: {type, message}}`), validates requests the way the API does (auth header,
// anthropic-version, required fields, no sampling parameters), and records every request it saw.
//
// Replies come, in order of precedence, from a queue of scripted replies, a handler function, and
// finally a plain text answer. A scripted reply can be a message, an API error with a status and
// headers (e.g. `retry-after`), a raw body, a dropped connection or a request that never answers.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

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
}

export type MockHandler = (body: MockMessagesRequestBody, info: MockRequestInfo) => MockReply | Promise<MockReply>;

export interface MockRecordedRequest extends MockRequestInfo {
  /** Parsed JSON body, or `undefined` when it was not JSON. */
  body: unknown;
  rawBody: string;
  receivedAt: number;
  /** Status the server answered with; `undefined` for dropped or unanswered requests. */
  status?: number;
  /** What answered: the mock's own validation, the reply queue, the handler or the default. */
  source?: 'validation' | 'queue' | 'handler' | 'default';
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

    const invalid = this.validate(record);
    if (invalid) {
      record.source = 'validation';
      record.status = invalid.status;
      this.sendError(res, invalid.status, invalid.type, invalid.message);
      return;
    }

    const body = record.body as MockMessagesRequestBody;
    let reply: MockReply;
    const queued = this.queue.shift();
    if (queued) {
      reply = queued;
      record.source = 'queue';
    } else if (this.handler) {
      reply = await this.handler(body, {
        index: record.index,
        method: record.method,
        path,
        headers,
        retryCount: record.retryCount,
      });
      record.source = 'handler';
    } else {
      reply = { kind: 'message' };
      record.source = 'default';
    }
    record.status = await this.send(res, reply, body, rawBody);
  }

  private validate(record: MockRecordedRequest): { status: number; type: ApiErrorType; message: string } | undefined {
    if (record.path !== '/v1/messages') {
      return { status: 404, type: 'not_found_error', message: `Not found: ${record.method} ${record.path}` };
    }
    if (record.method !== 'POST') {
      return { status: 405, type: 'invalid_request_error', message: `Method ${record.method} not allowed on /v1/messages` };
    }
    if (this.options.requireAuth) {
      const auth = record.headers['authorization'];
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
    return undefined;
  }

  /** Sends `reply` and returns the status sent (undefined when nothing was sent). */
  private async send(
    res: ServerResponse,
    reply: MockReply,
    body: MockMessagesRequestBody,
    rawBody: string,
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
        this.write(res, status, JSON.stringify(this.buildMessage(reply, body, rawBody)), {
          'content-type': 'application/json',
          ...reply.headers,
        });
        return status;
      }
    }
  }

  private buildMessage(reply: MockMessageReply, body: MockMessagesRequestBody, rawBody: string): ApiMessage {
    const n = ++this.messageCounter;
    const blocks = reply.content ?? [{ type: 'text', text: 'ok' }];
    const content = blocks.map((block, i) => toApiBlock(block, n, i));
    const hasToolUse = content.some((block) => block.type === 'tool_use');
    const estimatedOutput = Math.max(1, Math.ceil(JSON.stringify(blocks).length / 4));
    const usage: ApiUsage = {
      input_tokens: reply.usage?.input_tokens ?? Math.max(1, Math.ceil(rawBody.length / 4)),
      output_tokens: reply.usage?.output_tokens ?? estimatedOutput,
      cache_creation_input_tokens: reply.usage?.cache_creation_input_tokens ?? 0,
      cache_read_input_tokens: reply.usage?.cache_read_input_tokens ?? 0,
      cache_creation: {
        ephemeral_1h_input_tokens: 0,
        ephemeral_5m_input_tokens: reply.usage?.cache_creation_input_tokens ?? 0,
      },
      inference_geo: null,
      output_tokens_details: null,
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

  private sendError(
    res: ServerResponse,
    status: number,
    type: ApiErrorType,
    message?: string,
    headers: Record<string, string> = {},
  ): void {
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
export async function startMockMessagesServer(
  script?: MockServerOptions | MockHandler | MockReply[],
): Promise<MockMessagesServer> {
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
      return { type: 'thinking', thinking: block.thinking, signature: block.signature ?? 'mock-signature' };
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

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
