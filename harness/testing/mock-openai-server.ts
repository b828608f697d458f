// A local stand-in for an OpenAI-compatible chat-completions server (what vLLM, Ollama and
// llama.cpp's server expose at /v1/chat/completions), for offline tests and benchmarks of the
// `openai:<model>` client. It validates requests the way such servers do (model, messages, roles,
// every `tool` message answering a tool call of the assistant message before it), answers in the
// `chat.completion` shape, and records every request.
//
// Replies come from a queue of scripted replies, then a handler, then a plain "ok". A reply can be
// a completion (text and/or tool calls), an error with a status, a raw body, a dropped connection
// or a request that never answers. simBackedOpenAIHandler answers like the built-in sim agent, so a
// whole experiment runs over HTTP against it.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { ChatCompletion, ChatMessage, ChatRequest, ChatToolCall } from '../models/openai/openai-model.js';
import { simBackedHandler, type SimBackedOptions } from './sim-backed-handler.js';
import type { MockContentBlock, MockMessagesRequestBody } from './mock-messages-server.js';

export interface MockCompletionReply {
  kind: 'completion';
  content?: string | null;
  tool_calls?: Array<{ id?: string; name: string; arguments: Record<string, unknown> | string }>;
  finish_reason?: string;
  usage?: { prompt_tokens?: number; completion_tokens?: number; cached_tokens?: number; reasoning_tokens?: number };
  model?: string;
  headers?: Record<string, string>;
  delayMs?: number;
}
export interface MockOpenAIErrorReply {
  kind: 'error';
  status: number;
  message?: string;
  headers?: Record<string, string>;
}
export interface MockOpenAIRawReply {
  kind: 'raw';
  status: number;
  body: string;
  headers?: Record<string, string>;
}
export type MockOpenAIReply = MockCompletionReply | MockOpenAIErrorReply | MockOpenAIRawReply | { kind: 'drop' } | { kind: 'hang' };

export interface MockOpenAIRequest {
  index: number;
  method: string;
  path: string;
  headers: Record<string, string>;
  body: unknown;
  status?: number;
}

export type MockOpenAIHandler = (
  body: ChatRequest,
  info: { index: number; headers: Record<string, string> },
) => MockOpenAIReply | Promise<MockOpenAIReply>;

export interface MockOpenAIOptions {
  replies?: MockOpenAIReply[];
  handler?: MockOpenAIHandler;
  /** When set, requests must carry `Authorization: Bearer <apiKey>`; otherwise no key is needed (like a local server). */
  apiKey?: string;
}

export class MockOpenAIServer {
  private readonly server: Server;
  private readonly queue: MockOpenAIReply[];
  private handler: MockOpenAIHandler | undefined;
  private readonly apiKey: string | undefined;
  private readonly recorded: MockOpenAIRequest[] = [];
  private readonly sockets = new Set<Socket>();
  private baseUrl: string | undefined;
  private counter = 0;

  constructor(options: MockOpenAIOptions | MockOpenAIHandler = {}) {
    const opts: MockOpenAIOptions = typeof options === 'function' ? { handler: options } : options;
    this.queue = [...(opts.replies ?? [])];
    this.handler = opts.handler;
    this.apiKey = opts.apiKey;
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent && !res.destroyed)
          this.json(res, 500, { error: { message: `mock handler failed: ${String(error)}`, type: 'server_error' } });
        else res.destroy();
      });
    });
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  async start(): Promise<{ url: string }> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => resolve());
    });
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return { url: this.baseUrl };
  }

  /** The server root; the OpenAI base URL is `${url}/v1`. */
  get url(): string {
    if (!this.baseUrl) throw new Error('MockOpenAIServer: call start() first');
    return this.baseUrl;
  }

  async close(): Promise<void> {
    if (!this.server.listening) return;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    this.server.closeAllConnections();
    await closed;
  }

  enqueue(...replies: MockOpenAIReply[]): this {
    this.queue.push(...replies);
    return this;
  }

  setHandler(handler: MockOpenAIHandler | undefined): this {
    this.handler = handler;
    return this;
  }

  get requests(): readonly MockOpenAIRequest[] {
    return this.recorded;
  }

  reset(): void {
    this.recorded.length = 0;
    this.queue.length = 0;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await new Promise<string>((resolve, reject) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      req.on('error', reject);
    });
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    let body: unknown;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      body = undefined;
    }
    const record: MockOpenAIRequest = { index: this.recorded.length, method: req.method ?? 'GET', path, headers, body };
    this.recorded.push(record);
    const fail = (status: number, message: string, type = 'invalid_request_error'): void => {
      record.status = status;
      this.json(res, status, { error: { message, type, param: null, code: null } });
    };
    if (!/^(\/v1)?\/chat\/completions$/.test(path)) return fail(404, `Unknown route ${req.method} ${path}`, 'not_found');
    if (req.method !== 'POST') return fail(405, `Method ${req.method} not allowed`);
    if (this.apiKey !== undefined && headers.authorization !== `Bearer ${this.apiKey}`)
      return fail(401, 'Incorrect API key provided', 'authentication_error');
    const problem = validate(body);
    if (problem) return fail(400, problem);
    const request = body as ChatRequest;
    const reply: MockOpenAIReply =
      this.queue.shift() ??
      (this.handler ? await this.handler(request, { index: record.index, headers }) : { kind: 'completion', content: 'ok' });
    if (reply.kind === 'hang') return;
    if (reply.kind === 'drop') {
      res.socket?.destroy();
      return;
    }
    if (reply.kind === 'completion' && reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
    if (res.destroyed) return;
    if (reply.kind === 'error') {
      record.status = reply.status;
      this.json(res, reply.status, { error: { message: reply.message ?? 'error', type: 'server_error' } }, reply.headers);
      return;
    }
    if (reply.kind === 'raw') {
      record.status = reply.status;
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      res.end(reply.body);
      return;
    }
    record.status = 200;
    this.json(res, 200, this.completion(reply, request, raw), reply.headers);
  }

  private completion(reply: MockCompletionReply, request: ChatRequest, raw: string): ChatCompletion {
    const n = ++this.counter;
    const calls: ChatToolCall[] = (reply.tool_calls ?? []).map((call, i) => ({
      id: call.id ?? `call_mock_${n}_${i}`,
      type: 'function',
      function: { name: call.name, arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments) },
    }));
    const content = reply.content === undefined ? (calls.length ? null : 'ok') : reply.content;
    const prompt = reply.usage?.prompt_tokens ?? Math.max(1, Math.ceil(raw.length / 4));
    const completion = reply.usage?.completion_tokens ?? Math.max(1, Math.ceil(((content ?? '') + JSON.stringify(calls)).length / 4));
    return {
      id: `chatcmpl-mock-${n}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: reply.model ?? request.model,
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content, ...(calls.length ? { tool_calls: calls } : {}) },
          finish_reason: reply.finish_reason ?? (calls.length ? 'tool_calls' : 'stop'),
        },
      ],
      usage: {
        prompt_tokens: prompt,
        completion_tokens: completion,
        total_tokens: prompt + completion,
        ...(reply.usage?.cached_tokens !== undefined ? { prompt_tokens_details: { cached_tokens: reply.usage.cached_tokens } } : {}),
        ...(reply.usage?.reasoning_tokens !== undefined
          ? { completion_tokens_details: { reasoning_tokens: reply.usage.reasoning_tokens } }
          : {}),
      },
    };
  }

  private json(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
    if (res.destroyed) return;
    const text = JSON.stringify(value);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
    res.end(text);
  }
}

export async function startMockOpenAIServer(options?: MockOpenAIOptions | MockOpenAIHandler): Promise<MockOpenAIServer> {
  const server = new MockOpenAIServer(options);
  await server.start();
  return server;
}

/** Checks a chat-completions request the way OpenAI-compatible servers do; a message, or undefined when fine. */
function validate(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return 'The request body is not valid JSON';
  const b = body as Record<string, unknown>;
  if (typeof b.model !== 'string' || b.model === '') return "'model' is a required property";
  if (!Array.isArray(b.messages) || b.messages.length === 0) return "'messages' must be a non-empty array";
  if (b.max_tokens !== undefined && (typeof b.max_tokens !== 'number' || b.max_tokens < 1))
    return "'max_tokens' must be a positive integer";
  // OpenAI's reasoning models (o-series, gpt-5) refuse max_tokens, as the API does.
  if (b.max_tokens !== undefined && /^(o\d|gpt-5)/.test(b.model)) {
    return "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.";
  }
  if (b.tools !== undefined) {
    if (!Array.isArray(b.tools)) return "'tools' must be an array";
    for (const [i, tool] of b.tools.entries()) {
      const t = tool as { type?: unknown; function?: { name?: unknown; parameters?: unknown } };
      if (t.type !== 'function' || typeof t.function?.name !== 'string')
        return `tools[${i}]: expected {type: 'function', function: {name, parameters}}`;
    }
  }
  let open = new Set<string>();
  for (const [i, message] of (b.messages as unknown[]).entries()) {
    const m = message as { role?: unknown; content?: unknown; tool_calls?: unknown; tool_call_id?: unknown };
    if (!['system', 'user', 'assistant', 'tool'].includes(String(m.role)))
      return `messages[${i}].role: must be system, user, assistant or tool`;
    if (m.role === 'tool') {
      if (typeof m.tool_call_id !== 'string' || !open.has(m.tool_call_id)) {
        return `messages[${i}]: messages with role 'tool' must be a response to a preceding message with 'tool_calls' (tool_call_id ${String(m.tool_call_id)})`;
      }
      open.delete(m.tool_call_id);
      continue;
    }
    if (open.size > 0)
      return `messages[${i}]: an assistant message with 'tool_calls' must be followed by tool messages answering each tool_call_id (${[...open].join(', ')})`;
    if (m.role === 'assistant') {
      const calls = Array.isArray(m.tool_calls) ? (m.tool_calls as ChatToolCall[]) : [];
      if (m.content === null && calls.length === 0) return `messages[${i}]: an assistant message needs content or tool_calls`;
      open = new Set(calls.map((c) => c.id));
    } else if (typeof m.content !== 'string') {
      return `messages[${i}].content: expected a string`;
    }
  }
  return undefined;
}

const MEMORY_HEADING = '# Memory from earlier sessions';

/** A chat-completions request as the Messages API would have carried it (the sim agent reads that shape). */
export function chatToMessagesBody(request: ChatRequest): MockMessagesRequestBody {
  const system: Array<{ type: 'text'; text: string; cache_control?: { type: 'ephemeral' } }> = [];
  const messages: Array<{ role: 'user' | 'assistant'; content: unknown }> = [];
  let pendingUser: Array<Record<string, unknown>> | undefined;
  const flush = (): void => {
    if (pendingUser) messages.push({ role: 'user', content: pendingUser });
    pendingUser = undefined;
  };
  for (const message of request.messages as ChatMessage[]) {
    if (message.role === 'system') {
      // The client joins system blocks; the memory block (harness/agent/loop.ts memoryBlock) is cached.
      const at = message.content.indexOf(MEMORY_HEADING);
      if (at > 0) {
        system.push({ type: 'text', text: message.content.slice(0, at).replace(/\n\n$/, '') });
        system.push({ type: 'text', text: message.content.slice(at), cache_control: { type: 'ephemeral' } });
      } else {
        system.push({ type: 'text', text: message.content });
      }
    } else if (message.role === 'tool') {
      const isError = message.content.startsWith('Error: ');
      (pendingUser ??= []).push({
        type: 'tool_result',
        tool_use_id: message.tool_call_id,
        content: isError ? message.content.slice('Error: '.length) : message.content,
        ...(isError ? { is_error: true } : {}),
      });
    } else if (message.role === 'user') {
      if (pendingUser) {
        pendingUser.push({ type: 'text', text: message.content });
        flush();
      } else {
        messages.push({ role: 'user', content: message.content });
      }
    } else {
      flush();
      const blocks: Array<Record<string, unknown>> = [];
      if (message.content) blocks.push({ type: 'text', text: message.content });
      for (const call of message.tool_calls ?? []) {
        blocks.push({
          type: 'tool_use',
          id: call.id,
          name: call.function.name,
          input: JSON.parse(call.function.arguments || '{}') as unknown,
        });
      }
      messages.push({ role: 'assistant', content: blocks });
    }
  }
  flush();
  return {
    model: request.model,
    max_tokens: request.max_tokens ?? request.max_completion_tokens ?? 4096,
    messages,
    ...(system.length ? { system } : {}),
    ...(request.tools
      ? {
          tools: request.tools.map((t) => ({
            name: t.function.name,
            description: t.function.description,
            input_schema: t.function.parameters,
          })),
        }
      : {}),
  };
}

/** Answers chat completions like the built-in sim agent (see sim-backed-handler.ts), so a whole experiment runs over HTTP. */
export function simBackedOpenAIHandler(options: SimBackedOptions): MockOpenAIHandler {
  const messagesHandler = simBackedHandler(options);
  return async (request, info) => {
    const reply = await messagesHandler(chatToMessagesBody(request), {
      index: info.index,
      method: 'POST',
      path: '/v1/messages',
      headers: info.headers,
      retryCount: 0,
    });
    if (reply.kind !== 'message') throw new Error('the sim-backed handler answered with something other than a message');
    const blocks: MockContentBlock[] = reply.content ?? [];
    const text = blocks.flatMap((b) => (b.type === 'text' ? [b.text] : [])).join('\n');
    const calls = blocks.flatMap((b) =>
      b.type === 'tool_use' ? [{ ...(b.id ? { id: b.id } : {}), name: b.name, arguments: b.input }] : [],
    );
    const usage = reply.usage ?? {};
    const cached = usage.cache_read_input_tokens ?? 0;
    return {
      kind: 'completion',
      content: text === '' ? null : text,
      ...(calls.length ? { tool_calls: calls } : {}),
      usage: {
        prompt_tokens: (usage.input_tokens ?? 0) + cached + (usage.cache_creation_input_tokens ?? 0),
        completion_tokens: usage.output_tokens ?? 0,
        cached_tokens: cached,
      },
    };
  };
}
