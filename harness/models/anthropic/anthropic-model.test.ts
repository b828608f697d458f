// The anthropic:<model> client against the mock Messages server over real HTTP, with the real SDK.

import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

import { ModelInfraError, type CallContext, type ModelRequest } from '../../core/messages.js';
import { MockMessagesServer, mockReply } from '../../testing/mock-messages-server.js';
import { costOf, estimateCost, priceFor, resetUnknownPriceWarnings } from '../pricing.js';
import {
  AnthropicCredentialsError,
  assertAnthropicCredentials,
  createAnthropicModel,
  type AnthropicModelOptions,
} from './anthropic-model.js';

const API_KEY = 'sk-ant-test-DO-NOT-LEAK-0123456789';
const context: CallContext = { seedKey: 'run/1/session/1/task/1/turn/1', purpose: 'agent' };

let server: MockMessagesServer;

beforeAll(async () => {
  server = new MockMessagesServer();
  await server.start();
});

afterAll(async () => {
  await server.close();
});

beforeEach(() => {
  server.reset();
  server.setHandler(undefined);
});

afterEach(() => {
  vi.unstubAllEnvs();
});

/** A client pointed at the mock server, with fast retries and no dependence on the real environment. */
function model(modelId = 'claude-sonnet-4-6', options: AnthropicModelOptions = {}) {
  return createAnthropicModel(modelId, {
    apiKey: API_KEY,
    baseURL: server.url,
    maxRetries: 2,
    timeoutMs: 5_000,
    env: {},
    ...options,
  });
}

const simpleRequest: ModelRequest = {
  system: [{ type: 'text', text: 'You are a careful agent.' }],
  messages: [{ role: 'user', content: 'Say hi.' }],
  max_tokens: 256,
};

describe('anthropic model: request and response mapping', () => {
  it('round-trips a tool-use turn: system prefix (too short to cache: no breakpoint), tools, tool_result blocks, tool_use reply', async () => {
    server.enqueue(mockReply.toolUse('read_file', { path: 'notes/plan.md' }, { id: 'toolu_abc', text: 'Let me read the plan.' }));
    const request: ModelRequest = {
      system: [
        { type: 'text', text: 'You are a careful agent.' },
        { type: 'text', text: 'MEMORY:\n- check the plan before editing', cache: true },
        { type: 'text', text: 'Task: fix the build.' },
      ],
      messages: [
        { role: 'user', content: 'Fix the build.' },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'Running the tests first.' },
            { type: 'tool_use', id: 'toolu_1', name: 'run', input: { cmd: 'npm test' } },
            { type: 'tool_use', id: 'toolu_2', name: 'run', input: { cmd: 'npm run lint' } },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'toolu_1', content: 'exit 1: missing module', is_error: true },
            { type: 'tool_result', tool_use_id: 'toolu_2', content: 'clean' },
          ],
        },
      ],
      tools: [
        {
          name: 'read_file',
          description: 'Read a file from the workspace.',
          input_schema: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] },
        },
        {
          name: 'run',
          description: 'Run a shell command.',
          input_schema: { type: 'object', properties: { cmd: { type: 'string' } } },
        },
      ],
      max_tokens: 1024,
    };

    const response = await model().create(request, context);

    expect(server.requests).toHaveLength(1);
    const sent = server.requests[0]!;
    expect(sent.method).toBe('POST');
    expect(sent.path).toBe('/v1/messages');
    expect(sent.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(sent.headers['anthropic-version']).toBeTruthy();
    expect(sent.body).toEqual({
      model: 'claude-sonnet-4-6',
      max_tokens: 1024,
      system: [
        { type: 'text', text: 'You are a careful agent.' },
        { type: 'text', text: 'MEMORY:\n- check the plan before editing' },
        { type: 'text', text: 'Task: fix the build.' },
      ],
      messages: [
        { role: 'user', content: 'Fix the build.' },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'Running the tests first.' },
            { type: 'tool_use', id: 'toolu_1', name: 'run', input: { cmd: 'npm test' } },
            { type: 'tool_use', id: 'toolu_2', name: 'run', input: { cmd: 'npm run lint' } },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'toolu_1', content: 'exit 1: missing module', is_error: true },
            { type: 'tool_result', tool_use_id: 'toolu_2', content: 'clean' },
          ],
        },
      ],
      tools: request.tools,
    });

    expect(response.content).toEqual([
      { type: 'text', text: 'Let me read the plan.' },
      { type: 'tool_use', id: 'toolu_abc', name: 'read_file', input: { path: 'notes/plan.md' } },
    ]);
    expect(response.stop_reason).toBe('tool_use');
    expect(response.model).toBe('claude-sonnet-4-6');
  });

  it('omits system and tools when there are none, and never sends temperature, top_p or top_k', async () => {
    const client = model();
    await client.create({ system: [], messages: [{ role: 'user', content: 'hi' }], max_tokens: 16 }, context);
    await client.create(simpleRequest, context);
    expect(server.requests).toHaveLength(2);
    const first = server.requests[0]!.body as Record<string, unknown>;
    expect(first).not.toHaveProperty('system');
    expect(first).not.toHaveProperty('tools');
    for (const recorded of server.requests) {
      const body = recorded.body as Record<string, unknown>;
      for (const param of ['temperature', 'top_p', 'top_k']) expect(body).not.toHaveProperty(param);
      expect(recorded.status).toBe(200);
    }
  });

  it('keeps thinking and redacted_thinking blocks in the reply and maps stop reasons', async () => {
    server.enqueue({
      kind: 'message',
      content: [
        { type: 'thinking', thinking: 'hmm', signature: 'sig' },
        { type: 'redacted_thinking', data: 'opaque' },
        { type: 'text', text: 'Done.' },
      ],
      stop_reason: 'model_context_window_exceeded',
    });
    const response = await model().create(simpleRequest, context);
    expect(response.content).toEqual([
      { type: 'thinking', thinking: 'hmm', signature: 'sig' },
      { type: 'redacted_thinking', data: 'opaque' },
      { type: 'text', text: 'Done.' },
    ]);
    expect(response.stop_reason).toBe('model_context_window_exceeded');
  });
});

describe('anthropic model: usage and cost', () => {
  it('reports input, output, cache read and cache write tokens and prices them from pricing.json', async () => {
    server.enqueue(
      mockReply.text('ok', {
        model: 'claude-sonnet-4-5-20250929',
        usage: {
          input_tokens: 1_000,
          output_tokens: 500,
          cache_creation_input_tokens: 2_000,
          cache_read_input_tokens: 10_000,
        },
      }),
    );
    const response = await model().create(simpleRequest, context);
    expect(response.model).toBe('claude-sonnet-4-5-20250929');
    expect(response.usage).toEqual({
      input_tokens: 1_000,
      output_tokens: 500,
      cache_read_tokens: 10_000,
      cache_write_tokens: 2_000,
    });
    // Sonnet 4.x: $3 in, $15 out, $3.75 5-minute cache write, $0.30 cache read per MTok.
    // 1000*3 + 500*15 + 2000*3.75 + 10000*0.30 = 3000 + 7500 + 7500 + 3000 = 21000 micro-dollars.
    expect(response.cost_usd).toBeCloseTo(0.021, 12);
  });

  it('treats null cache counts as 0', async () => {
    server.enqueue(
      mockReply.text('ok', {
        usage: { input_tokens: 10, output_tokens: 2, cache_creation_input_tokens: null, cache_read_input_tokens: null },
      }),
    );
    const response = await model('claude-haiku-4-5').create(simpleRequest, context);
    expect(response.usage).toEqual({ input_tokens: 10, output_tokens: 2, cache_read_tokens: 0, cache_write_tokens: 0 });
    expect(response.cost_usd).toBeCloseTo((10 * 1 + 2 * 5) / 1e6, 15);
  });

  it('costs an unpriced model 0 and warns once through the caller-supplied function', async () => {
    resetUnknownPriceWarnings();
    const warnings: string[] = [];
    const client = model('claude-unknown-9', { onUnknownPrice: (message) => warnings.push(message) });
    server.enqueue(mockReply.text('a', { usage: { input_tokens: 100, output_tokens: 10 } }));
    server.enqueue(mockReply.text('b', { usage: { input_tokens: 100, output_tokens: 10 } }));
    expect((await client.create(simpleRequest, context)).cost_usd).toBe(0);
    expect((await client.create(simpleRequest, context)).cost_usd).toBe(0);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/no price for model "claude-unknown-9"/);
  });
});

describe('anthropic model: retries and failures', () => {
  it('retries a 429 that carries retry-after and then succeeds', async () => {
    server.enqueue(mockReply.rateLimited(0.01), mockReply.text('after the rate limit'));
    const started = Date.now();
    const response = await model().create(simpleRequest, context);
    expect(response.content).toEqual([{ type: 'text', text: 'after the rate limit' }]);
    expect(server.requests).toHaveLength(2);
    expect(server.requests.map((r) => r.status)).toEqual([429, 200]);
    expect(server.requests[1]!.retryCount).toBe(1);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('turns persistent 500s into a ModelInfraError with the status, after the SDK retries', async () => {
    server.setHandler(() => mockReply.error(500, { message: 'upstream exploded', headers: { 'retry-after-ms': '5' } }));
    const error = await model('claude-sonnet-4-6', { maxRetries: 2 })
      .create(simpleRequest, context)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelInfraError);
    expect((error as ModelInfraError).status).toBe(500);
    expect((error as ModelInfraError).message).toMatch(/500 api_error after 2 retries: upstream exploded/);
    expect(server.requests).toHaveLength(3);
  });

  it('surfaces a 400 as a ModelInfraError that says what the API said, without retrying', async () => {
    server.enqueue(mockReply.error(400, { message: 'messages.1.content.0: unexpected `tool_use_id` found in `tool_result` blocks' }));
    const error = await model()
      .create(simpleRequest, context)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelInfraError);
    expect((error as ModelInfraError).status).toBe(400);
    expect((error as ModelInfraError).message).toContain('the API rejected the request (400 invalid_request_error)');
    expect((error as ModelInfraError).message).toContain('unexpected `tool_use_id` found in `tool_result` blocks');
    expect(server.requests).toHaveLength(1);
  });

  it('never puts the API key in an error message', async () => {
    // A hostile or buggy upstream echoing the key back must not get it into our errors or logs.
    server.enqueue(mockReply.error(401, { message: `invalid x-api-key: ${API_KEY}` }));
    const error = await model()
      .create(simpleRequest, context)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelInfraError);
    expect((error as ModelInfraError).status).toBe(401);
    expect((error as Error).message).not.toContain(API_KEY);
    expect((error as Error).message).toContain('[redacted]');
    expect(String((error as Error).stack)).not.toContain(API_KEY);

    server.setHandler(() => mockReply.error(503, { headers: { 'retry-after-ms': '1' } }));
    const other = await model()
      .create(simpleRequest, context)
      .catch((e: unknown) => e);
    expect(other).toBeInstanceOf(ModelInfraError);
    expect(JSON.stringify({ message: (other as Error).message, ...(other as object) })).not.toContain(API_KEY);
  });

  it('retries a dropped connection and reports an unreachable server as a ModelInfraError without a status', async () => {
    server.enqueue(mockReply.drop(), mockReply.text('back'));
    const response = await model('claude-sonnet-4-6', { maxRetries: 1 }).create(simpleRequest, context);
    expect(response.content).toEqual([{ type: 'text', text: 'back' }]);

    const closed = new MockMessagesServer();
    const { url } = await closed.start();
    await closed.close();
    const error = await model('claude-sonnet-4-6', { baseURL: url, maxRetries: 0 })
      .create(simpleRequest, context)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelInfraError);
    expect((error as ModelInfraError).status).toBeUndefined();
    expect((error as Error).message).toMatch(/could not reach http:\/\/127\.0\.0\.1:\d+/);
  });

  it('reports a timeout as a ModelInfraError', async () => {
    server.enqueue(mockReply.hang());
    const error = await model('claude-sonnet-4-6', { timeoutMs: 100, maxRetries: 0 })
      .create(simpleRequest, context)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelInfraError);
    expect((error as Error).message).toMatch(/timed out/);
  });

  it('passes context.signal through: an aborted call rejects with the abort reason, not an infra error', async () => {
    server.enqueue(mockReply.hang());
    const controller = new AbortController();
    const call = model().create(simpleRequest, { ...context, signal: controller.signal });
    setTimeout(() => controller.abort(new Error('trial cancelled')), 30);
    const error = await call.catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(ModelInfraError);
    expect((error as Error).message).toBe('trial cancelled');
    expect(server.requests).toHaveLength(1);
  });
});

describe('anthropic model: credentials and environment', () => {
  it('refuses to start without an API key, before any request reaches the server', () => {
    const build = () => createAnthropicModel('claude-sonnet-4-6', { baseURL: server.url, env: {} });
    expect(build).toThrow(AnthropicCredentialsError);
    expect(build).toThrow(/^ANTHROPIC_API_KEY is not set: anthropic:claude-sonnet-4-6 needs an API key/);
    expect(() => assertAnthropicCredentials('anthropic:claude-opus-4-5', { env: { ANTHROPIC_API_KEY: '  ' } })).toThrow(
      /anthropic:claude-opus-4-5 needs an API key/,
    );
    vi.stubEnv('ANTHROPIC_API_KEY', '');
    expect(() => createAnthropicModel('claude-sonnet-4-6', { baseURL: server.url })).toThrow(AnthropicCredentialsError);
    expect(server.requests).toHaveLength(0);
  });

  it('honours ANTHROPIC_BASE_URL and ANTHROPIC_API_KEY from the environment', async () => {
    vi.stubEnv('ANTHROPIC_API_KEY', API_KEY);
    vi.stubEnv('ANTHROPIC_BASE_URL', server.url);
    const client = createAnthropicModel('anthropic:claude-haiku-4-5', { maxRetries: 0 });
    expect(client.id).toBe('anthropic:claude-haiku-4-5');
    expect(client.baseURL).toBe(server.url);
    server.enqueue(mockReply.text('from the env-configured server'));
    const response = await client.create(simpleRequest, context);
    expect(response.content).toEqual([{ type: 'text', text: 'from the env-configured server' }]);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]!.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect((server.requests[0]!.body as { model: string }).model).toBe('claude-haiku-4-5');
  });

  it('lets explicit options override the environment', () => {
    const client = createAnthropicModel('claude-sonnet-4-6', {
      apiKey: 'explicit',
      baseURL: 'http://127.0.0.1:9/',
      env: { ANTHROPIC_BASE_URL: 'http://example.invalid' },
    });
    expect(client.baseURL).toBe('http://127.0.0.1:9/');
  });
});

describe('mock messages server', () => {
  async function post(body: unknown, headers: Record<string, string> = {}) {
    const res = await fetch(`${server.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'anthropic-version': '2026-10-21', ...headers },
      body: JSON.stringify(body),
    });
    return { status: res.status, headers: res.headers, json: (await res.json()) as Record<string, unknown> };
  }

  const valid = { model: 'claude-sonnet-4-6', max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] };

  it('rejects a request without an Authorization: Bearer header with the API error shape', async () => {
    const res = await post(valid);
    expect(res.status).toBe(401);
    expect(res.json).toMatchObject({ type: 'error', error: { type: 'authentication_error' } });
    expect(server.pendingReplies).toBe(0);
  });

  it('rejects sampling parameters with a 400 like the API', async () => {
    server.enqueue(mockReply.text('not consumed by an invalid request'));
    const res = await post({ ...valid, temperature: 0.2, top_k: 5 }, { authorization: 'Bearer k' });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
    expect(String((res.json.error as { message: string }).message)).toMatch(/temperature, top_k/);
    expect(server.pendingReplies).toBe(1);
    expect(server.requests[0]!.source).toBe('validation');
  });

  it('answers with a faithful Message object and scripted error headers', async () => {
    server.enqueue(mockReply.rateLimited(3), mockReply.text('hello'));
    const limited = await post(valid, { authorization: 'Bearer k' });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('3');
    expect(limited.json).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } });
    const ok = await post(valid, { authorization: 'Bearer k' });
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-6',
      content: [{ type: 'text', text: 'hello' }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: { cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    });
    expect(String(ok.json.id)).toMatch(/^msg_/);
    expect(ok.headers.get('request-id')).toBeTruthy();
  });

  it('uses a handler once the queue is empty, with the parsed body and request info', async () => {
    server.setHandler((body, info) => mockReply.text(`${body.model} #${info.index}`));
    const res = await post(valid, { authorization: 'Bearer k' });
    expect((res.json.content as Array<{ text: string }>)[0]!.text).toBe('claude-sonnet-4-6 #0');
    expect(server.messageRequests).toHaveLength(1);
  });
});

describe('pricing', () => {
  it('matches the longest prefix at a word boundary', () => {
    expect(priceFor('claude-sonnet-4-5-20250929')?.key).toBe('claude-sonnet-4');
    expect(priceFor('claude-opus-4-5-20251101')?.key).toBe('claude-opus-4-5');
    expect(priceFor('claude-opus-4-20250514')?.key).toBe('claude-opus-4');
    expect(priceFor('anthropic:claude-haiku-4-5')?.key).toBe('claude-haiku-4');
    expect(priceFor('sim:default')?.key).toBe('sim');
    expect(priceFor('claude-opus-45')).toBeUndefined();
    expect(priceFor('simple-model')).toBeUndefined();
  });

  it('prices each token kind and flags unknown models', () => {
    const usage = { input_tokens: 1e6, output_tokens: 1e6, cache_read_tokens: 1e6, cache_write_tokens: 1e6 };
    expect(estimateCost('claude-opus-4-1', usage)).toMatchObject({ cost_usd: 15 + 75 + 18.75 + 1.5, priced: true });
    expect(estimateCost('sim:default', usage).cost_usd).toBeCloseTo(1 + 5 + 1.25 + 0.1, 12);
    expect(estimateCost('gpt-x', usage)).toEqual({ cost_usd: 0, priced: false });
    resetUnknownPriceWarnings();
    const seen: string[] = [];
    expect(costOf('gpt-x', usage, { onUnknownPrice: (m) => seen.push(m) })).toBe(0);
    expect(costOf('gpt-x', usage, { onUnknownPrice: (m) => seen.push(m) })).toBe(0);
    expect(seen).toHaveLength(1);
  });
});
