// `openai:<model>` against a local mock OpenAI-compatible server: the mapping of our
// Messages-shaped requests to chat completions and back (tool calls, tool results, usage), retries,
// optional keys, and a whole experiment run over HTTP against a sim-backed chat server.

import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ModelInfraError, type CallContext, type ModelRequest } from '../../core/messages.js';
import { MockOpenAIServer, simBackedOpenAIHandler } from '../../testing/mock-openai-server.js';
import { SimModel } from '../sim/sim-model.js';
import { loadSuites } from '../../registry/suites.js';
import { executeRun } from '../../runner/runner.js';
import { smallExperiment, tempDir } from '../../testing/run-helpers.js';
import { createModel } from '../registry.js';
import { createOpenAIModel, type OpenAIModelOptions } from './openai-model.js';

const context: CallContext = { seedKey: 'k', purpose: 'agent' };
let server: MockOpenAIServer;

beforeAll(async () => {
  server = new MockOpenAIServer();
  await server.start();
});
afterAll(() => server.close());
beforeEach(() => {
  server.reset();
  server.setHandler(undefined);
});

const model = (options: OpenAIModelOptions = {}) =>
  createOpenAIModel('llama3.1:8b', {
    baseURL: `${server.url}/v1`,
    env: {},
    retryBaseMs: 5,
    timeoutMs: 2_000,
    onUnknownPrice: () => undefined,
    ...options,
  });

describe('openai model: mapping', () => {
  it('sends system, tool calls and tool results as chat messages, and reads tool calls and usage back', async () => {
    server.enqueue({
      kind: 'completion',
      content: 'Reading the plan.',
      tool_calls: [{ id: 'call_9', name: 'read_file', arguments: { path: 'plan.md' } }],
      usage: { prompt_tokens: 120, completion_tokens: 30, cached_tokens: 100 },
    });
    const request: ModelRequest = {
      system: [
        { type: 'text', text: 'You are careful.' },
        { type: 'text', text: '# Memory from earlier sessions\n\n- check the plan', cache: true },
      ],
      messages: [
        { role: 'user', content: 'Fix the build.' },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'Testing.' },
            { type: 'tool_use', id: 'toolu_1', name: 'run', input: { cmd: 'npm test' } },
            { type: 'tool_use', id: 'toolu_2', name: 'run', input: { cmd: 'lint' } },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'toolu_1', content: 'exit 1', is_error: true },
            { type: 'tool_result', tool_use_id: 'toolu_2', content: 'clean' },
            { type: 'text', text: 'Please hurry.' },
          ],
        },
      ],
      tools: [
        {
          name: 'read_file',
          description: 'Read a file.',
          input_schema: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] },
        },
      ],
      max_tokens: 512,
    };
    const response = await model().create(request, context);
    expect(server.requests[0]!.path).toBe('/v1/chat/completions');
    expect(server.requests[0]!.headers.authorization).toBeUndefined();
    expect(server.requests[0]!.body).toEqual({
      model: 'llama3.1:8b',
      max_tokens: 512,
      messages: [
        { role: 'system', content: 'You are careful.\n\n# Memory from earlier sessions\n\n- check the plan' },
        { role: 'user', content: 'Fix the build.' },
        {
          role: 'assistant',
          content: 'Testing.',
          tool_calls: [
            { id: 'toolu_1', type: 'function', function: { name: 'run', arguments: '{"cmd":"npm test"}' } },
            { id: 'toolu_2', type: 'function', function: { name: 'run', arguments: '{"cmd":"lint"}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'toolu_1', content: 'Error: exit 1' },
        { role: 'tool', tool_call_id: 'toolu_2', content: 'clean' },
        { role: 'user', content: 'Please hurry.' },
      ],
      tools: [
        { type: 'function', function: { name: 'read_file', description: 'Read a file.', parameters: request.tools![0]!.input_schema } },
      ],
    });
    expect(response.content).toEqual([
      { type: 'text', text: 'Reading the plan.' },
      { type: 'tool_use', id: 'call_9', name: 'read_file', input: { path: 'plan.md' } },
    ]);
    expect(response.stop_reason).toBe('tool_use');
    expect(response.usage).toEqual({ input_tokens: 20, output_tokens: 30, cache_read_tokens: 100, cache_write_tokens: 0 });
    expect(response.cost_usd).toBe(0);
    expect(response.model).toBe('llama3.1:8b');
  });

  it('maps finish reasons, tolerates broken tool arguments, and sends a key only when there is one', async () => {
    server.enqueue(
      { kind: 'completion', content: 'cut', finish_reason: 'length' },
      { kind: 'completion', content: null, tool_calls: [{ name: 'submit', arguments: '{not json' }] },
    );
    const keyed = model({ apiKey: 'sk-local-123' });
    expect((await keyed.create({ system: [], messages: [{ role: 'user', content: 'hi' }], max_tokens: 8 }, context)).stop_reason).toBe(
      'max_tokens',
    );
    const broken = await keyed.create({ system: [], messages: [{ role: 'user', content: 'hi' }], max_tokens: 8 }, context);
    expect(broken.content).toEqual([{ type: 'tool_use', id: expect.stringMatching(/^call_mock_/), name: 'submit', input: {} }]);
    expect(server.requests[0]!.headers.authorization).toBe('Bearer sk-local-123');
    expect(createOpenAIModel('x', { env: { OPENAI_BASE_URL: 'http://127.0.0.1:1234/v1/' } }).baseURL).toBe('http://127.0.0.1:1234/v1');
    expect(createOpenAIModel('x', { env: {} }).baseURL).toBe('https://api.openai.com/v1');
  });
});

describe('openai model: retries and failures', () => {
  const hi: ModelRequest = { system: [], messages: [{ role: 'user', content: 'hi' }], max_tokens: 8 };

  it('retries 429 (honouring retry-after), 5xx, dropped connections, hangs and malformed bodies', async () => {
    server.enqueue(
      { kind: 'error', status: 429, message: 'slow down', headers: { 'retry-after': '0.01' } },
      { kind: 'error', status: 503, message: 'loading model' },
      { kind: 'drop' },
      { kind: 'hang' },
      { kind: 'raw', status: 200, body: '{"id":"chatcmpl-x","choi' },
      { kind: 'completion', content: 'finally' },
    );
    const response = await model({ maxRetries: 5, timeoutMs: 200 }).create(hi, context);
    expect(response.content).toEqual([{ type: 'text', text: 'finally' }]);
    expect(server.requests).toHaveLength(6);
  });

  it('gives up after the budget with a ModelInfraError, and does not retry a 400', async () => {
    server.setHandler(() => ({ kind: 'error', status: 500, message: 'boom' }));
    const error = await model({ maxRetries: 2 })
      .create(hi, context)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelInfraError);
    expect((error as ModelInfraError).status).toBe(500);
    expect((error as Error).message).toMatch(/openai:llama3\.1:8b: API error 500: boom, after 2 retries/);
    expect(server.requests).toHaveLength(3);
    server.reset();
    server.setHandler(() => ({ kind: 'error', status: 400, message: 'bad tools' }));
    const bad = await model({ maxRetries: 2 })
      .create(hi, context)
      .catch((e: unknown) => e);
    expect((bad as ModelInfraError).status).toBe(400);
    expect(server.requests).toHaveLength(1);
  });

  it('the mock server refuses a tool message that answers no tool call, as real servers do', async () => {
    const res = await fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'm',
        messages: [
          { role: 'user', content: 'hi' },
          { role: 'tool', tool_call_id: 'nope', content: 'x' },
        ],
      }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/role 'tool' must be a response/);
  });
});

describe('an experiment with openai:<model> against a sim-backed chat server', () => {
  it('runs tool-use loops over HTTP, learns across sessions, and builds the model from OPENAI_BASE_URL', async () => {
    const suites = await loadSuites(['legal-drafting']);
    const chat = new MockOpenAIServer({
      handler: simBackedOpenAIHandler({ suite: 'legal-drafting', model: new SimModel('default', suites) }),
    });
    await chat.start();
    try {
      const experiment = smallExperiment({ model: 'openai:local-sim', sessions: 3, tasks_per_session: 4, replicates: 1, concurrency: 4 });
      // The run builds the model itself (harness/models/registry.ts) from the environment.
      vi.stubEnv('OPENAI_BASE_URL', `${chat.url}/v1`);
      vi.stubEnv('OPENAI_API_KEY', '');
      expect(createModel('openai:local-sim', { suites })).toMatchObject({ id: 'openai:local-sim', baseURL: `${chat.url}/v1` });
      const outcome = await executeRun({ runDir: join(tempDir(), 'run'), experiment });
      expect(outcome.status).toBe('completed');
      expect(outcome.trials).toHaveLength(24);
      expect(outcome.trials.every((t) => t.error_class !== 'infra' && t.model === 'openai:local-sim')).toBe(true);
      expect(outcome.trials.every((t) => t.input_tokens > 0 && t.cost_usd === 0)).toBe(true);
      expect(outcome.trials.some((t) => t.tool_calls > 0 && t.success)).toBe(true);
      // learnings-md sent its lessons in the system message after session 1.
      const systems = chat.requests.map((r) =>
        JSON.stringify((r.body as { messages: Array<{ role: string; content: string }> }).messages[0]),
      );
      expect(systems.some((s) => s.includes('# Memory from earlier sessions'))).toBe(true);
      expect(chat.requests.every((r) => r.status === 200)).toBe(true);
    } finally {
      vi.unstubAllEnvs();
      await chat.close();
    }
  });
});
