// Today's models through the real SDK over HTTP, against the mock Messages server behaving as the
// API does: thinking round trips (a missing or changed block is a 400), per-model request settings,
// errors that never heal, empty content, every stop reason, and prompt caching with minimum lengths.

import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

import { ModelPermanentError, replyThenUser, type ContentBlock, type Message, type ModelRequest } from '../../core/messages.js';
import type { Environment, Task } from '../../core/suite.js';
import { runAgent } from '../../agent/loop.js';
import { MockMessagesServer, mockReply } from '../../testing/mock-messages-server.js';
import { createAnthropicModel, type AnthropicModelOptions } from './anthropic-model.js';
import { resolveModelSettings, lifecycleWarning } from './model-facts.js';
import { checkRunModels, runModelSpecs } from '../../runner/model-checks.js';
import { smallExperiment } from '../../testing/run-helpers.js';

const KEY = 'sk-ant-test-thinking';
const RULES = {
  'claude-opus-5-5': { thinking: 'always' as const, forcedToolChoice: false, efforts: ['low', 'medium', 'high', 'xhigh', 'max'] },
  'claude-sonnet-5-5': { thinking: 'adaptive' as const, forcedToolChoice: false, minCacheTokens: 1024, contextWindow: 50_000 },
  'claude-sonnet-4-6': { minCacheTokens: 1024 },
};
let server: MockMessagesServer;

beforeAll(async () => {
  server = new MockMessagesServer({
    apiKey: KEY,
    models: RULES,
    knownModels: ['claude-opus-5-5', 'claude-sonnet-5-5', 'claude-sonnet-4-6'],
  });
  await server.start();
});
afterAll(() => server.close());
beforeEach(() => {
  server.reset();
  server.setHandler(undefined);
});

function model(id: string, options: AnthropicModelOptions = {}) {
  return createAnthropicModel(id, { apiKey: KEY, baseURL: server.url, maxRetries: 2, timeoutMs: 5000, env: {}, ...options });
}

const context = { seedKey: 't', purpose: 'agent' as const };
const tools: ModelRequest['tools'] = [
  { name: 'run', description: 'Run a command.', input_schema: { type: 'object', properties: { cmd: { type: 'string' } } } },
];

describe('thinking models', () => {
  it('keeps thinking blocks and sends them back byte for byte, so the second turn is accepted', async () => {
    server.enqueue({
      kind: 'message',
      content: [
        { type: 'thinking', thinking: 'The tests first.', signature: 'sig-Zm9v+/==' },
        { type: 'redacted_thinking', data: 'EncRyPtEd==' },
        { type: 'tool_use', id: 'toolu_1', name: 'run', input: { cmd: 'npm test' } },
      ],
    });
    const opus = model('claude-opus-5-5');
    const messages: Message[] = [{ role: 'user', content: 'Fix the build.' }];
    const first = await opus.create({ system: [], messages, tools, max_tokens: 20_000 }, context);
    expect(first.content.slice(0, 2)).toEqual([
      { type: 'thinking', thinking: 'The tests first.', signature: 'sig-Zm9v+/==' },
      { type: 'redacted_thinking', data: 'EncRyPtEd==' },
    ]);
    messages.push(
      { role: 'assistant', content: first.content },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'ok' }] },
    );
    const second = await opus.create({ system: [], messages, tools, max_tokens: 20_000 }, context);
    expect(second.stop_reason).toBe('end_turn');
    const sent = server.messageRequests[1]!.body as { messages: Array<{ content: unknown }> };
    expect(sent.messages[1]!.content).toEqual(first.content);
  });

  it('gets a 400 from the API when a thinking block is dropped or changed (a permanent error, not retried)', async () => {
    server.enqueue({
      kind: 'message',
      content: [
        { type: 'thinking', thinking: '', signature: 'sig-a' },
        { type: 'tool_use', id: 'toolu_2', name: 'run', input: {} },
      ],
    });
    const opus = model('claude-opus-5-5');
    const first = await opus.create({ system: [], messages: [{ role: 'user', content: 'Go.' }], tools, max_tokens: 20_000 }, context);
    const results: Message = { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_2', content: 'ok' }] };
    const dropped = first.content.filter((b) => b.type !== 'thinking');
    await expect(
      opus.create(
        {
          system: [],
          messages: [{ role: 'user', content: 'Go.' }, { role: 'assistant', content: dropped }, results],
          tools,
          max_tokens: 20_000,
        },
        context,
      ),
    ).rejects.toBeInstanceOf(ModelPermanentError);
    const changed: ContentBlock[] = first.content.map((b) => (b.type === 'thinking' ? { ...b, signature: 'sig-b' } : b));
    const before = server.requests.length;
    await expect(
      opus.create(
        {
          system: [],
          messages: [{ role: 'user', content: 'Go.' }, { role: 'assistant', content: changed }, results],
          tools,
          max_tokens: 20_000,
        },
        context,
      ),
    ).rejects.toThrow(/unmodified/);
    expect(server.requests.length - before).toBe(1);
  });

  it('sends effort and display, raises max_tokens to the thinking floor, drops a forced tool_choice the model rejects, and reports thinking tokens', async () => {
    const opus = model('claude-opus-5-5', { modelOptions: { effort: 'high', display: 'summarized' } });
    const response = await opus.create(
      { system: [], messages: [{ role: 'user', content: 'Grade this.' }], tools, tool_choice: { type: 'any' }, max_tokens: 1024 },
      { seedKey: 'g', purpose: 'grade' },
    );
    const body = server.messageRequests[0]!.body as Record<string, unknown>;
    expect(body.thinking).toEqual({ type: 'adaptive', display: 'summarized' });
    expect(body.output_config).toEqual({ effort: 'high' });
    expect(body.max_tokens).toBe(16_000);
    expect(body).not.toHaveProperty('tool_choice');
    expect(response.usage.thinking_tokens).toBeGreaterThan(0);
    expect(response.content[0]).toMatchObject({ type: 'thinking', thinking: 'Considering the next step.' });

    // A model that accepts forced tool use, without thinking, gets it.
    await model('claude-sonnet-4-6').create(
      { system: [], messages: [{ role: 'user', content: 'x' }], tools, tool_choice: { type: 'tool', name: 'run' }, max_tokens: 64 },
      context,
    );
    expect((server.messageRequests[1]!.body as Record<string, unknown>).tool_choice).toEqual({ type: 'tool', name: 'run' });
  });

  it('refuses options the model would reject, with the option and what the model accepts', () => {
    expect(resolveModelSettings('claude-opus-5-5', { thinking: 'disabled' }).problems[0]).toMatch(/always thinks/);
    expect(resolveModelSettings('claude-opus-5', { thinking: 'disabled', effort: 'max' }).problems[0]).toMatch(/effort high or below/);
    expect(resolveModelSettings('claude-opus-5', { thinking: 'disabled', effort: 'high' }).problems).toEqual([]);
    expect(resolveModelSettings('claude-sonnet-4-6', { effort: 'high' }).problems[0]).toMatch(/takes no effort/);
    expect(lifecycleWarning('claude-sonnet-4-5-20250929', '2026-12-06')).toMatch(/retired/);
    expect(lifecycleWarning('claude-opus-4-5', '2026-12-06')).toMatch(/retires on 2027-01-22/);
    expect(lifecycleWarning('claude-opus-5-5', '2026-12-06')).toBeUndefined();
  });
});

describe('deprecated and retired models', () => {
  it('no SDK deprecation warning on every request; one warning per model at the start of a run', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const deprecated = createAnthropicModel('claude-opus-4-5', { apiKey: KEY, baseURL: server.url, env: {} });
      server.setHandler(() => mockReply.text('ok'));
      await deprecated.create({ system: [], messages: [{ role: 'user', content: 'a' }], max_tokens: 10 }, context).catch(() => undefined);
      await deprecated.create({ system: [], messages: [{ role: 'user', content: 'b' }], max_tokens: 10 }, context).catch(() => undefined);
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
    const experiment = smallExperiment({ model: 'anthropic:claude-sonnet-4-5', grader_model: 'anthropic:claude-opus-4-5' });
    const { warnings, problems } = checkRunModels(experiment, runModelSpecs(experiment), {}, '2026-12-06');
    expect(problems).toEqual([]);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/claude-sonnet-4-5 is retired/);
    expect(warnings[1]).toMatch(/claude-opus-4-5 is deprecated and retires on 2027-01-22/);
  });
});

describe('errors that never heal', () => {
  it('a mistyped model is a permanent 404, sent once (no retries)', async () => {
    const error = await model('claude-opus-5-6')
      .create({ system: [], messages: [{ role: 'user', content: 'hi' }], max_tokens: 64 }, context)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelPermanentError);
    expect((error as ModelPermanentError).kind).toBe('permanent');
    expect((error as Error).message).toMatch(/404 not_found_error\): model: claude-opus-5-6/);
    expect(server.requests).toHaveLength(1);
  });

  it('a bad key is a permanent 401; a prompt longer than the context window is class context', async () => {
    const bad = createAnthropicModel('claude-sonnet-5-5', { apiKey: 'sk-wrong', baseURL: server.url, maxRetries: 2, env: {} });
    await expect(
      bad.create({ system: [], messages: [{ role: 'user', content: 'hi' }], max_tokens: 20_000 }, context),
    ).rejects.toMatchObject({ kind: 'permanent', status: 401 });
    const long = 'x'.repeat(210_000);
    await expect(
      model('claude-sonnet-5-5').create({ system: [], messages: [{ role: 'user', content: long }], max_tokens: 20_000 }, context),
    ).rejects.toMatchObject({ kind: 'context' });
  });
});

describe('empty content', () => {
  it('the API rejects an empty assistant turn; the client never sends one, and a repair joins the last user turn', async () => {
    const raw = await fetch(`${server.url}/v1/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'claude-sonnet-4-6',
        max_tokens: 10,
        messages: [
          { role: 'user', content: 'a' },
          { role: 'assistant', content: [] },
          { role: 'user', content: 'b' },
        ],
      }),
    });
    expect(raw.status).toBe(400);
    const messages = replyThenUser([{ role: 'user', content: 'Grade it.' }], '', 'Reply with JSON only.');
    expect(messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Grade it.' },
          { type: 'text', text: 'Reply with JSON only.' },
        ],
      },
    ]);
    // Even a conversation holding an empty assistant turn goes out without it.
    await model('claude-sonnet-4-6').create(
      {
        system: [],
        messages: [
          { role: 'user', content: 'a' },
          { role: 'assistant', content: [] },
          { role: 'user', content: 'b' },
        ],
        max_tokens: 10,
      },
      context,
    );
    expect(server.messageRequests.at(-1)!.status).toBe(200);
  });
});

describe('stop reasons in the agent loop', () => {
  const task = { id: 't1', suite: 's', family: 'f', prompt: 'Do it.' } as unknown as Task;
  function environment(calls: string[]): Environment {
    return {
      tools: tools!,
      call: async (name: string, input: Record<string, unknown>) => {
        calls.push(`${name}:${JSON.stringify(input)}`);
        return { content: 'done', submitted: false };
      },
    } as unknown as Environment;
  }
  const budgets = { max_turns: 5, max_output_tokens: 20_000 };

  it('max_tokens: a tool call cut off is never run, and the attempt stops as a budget stop', async () => {
    server.enqueue(mockReply.stop('max_tokens', [{ type: 'tool_use', name: 'run', input: { cmd: 'rm -rf /tm' } }]));
    const calls: string[] = [];
    const run = await runAgent({
      model: model('claude-sonnet-4-6'),
      task,
      systemPrompt: 'sys',
      memory: '',
      environment: environment(calls),
      budgets,
      seedKey: 'k',
    });
    expect(run.stop).toBe('max_tokens');
    expect(calls).toEqual([]);
    expect(run.turns[0]!.note).toMatch(/cut off by max_tokens/);
  });

  it('refusal ends the attempt and is recorded; pause_turn continues the same turn', async () => {
    server.enqueue(mockReply.stop('refusal', []));
    const refused = await runAgent({
      model: model('claude-sonnet-4-6'),
      task,
      systemPrompt: 'sys',
      memory: '',
      environment: environment([]),
      budgets,
      seedKey: 'k',
    });
    expect(refused.stop).toBe('refusal');
    expect(refused.messages.every((m) => m.content.length > 0)).toBe(true);

    server.reset();
    server.enqueue(mockReply.stop('pause_turn', [{ type: 'text', text: 'Working...' }]), mockReply.text('Finished.'));
    const paused = await runAgent({
      model: model('claude-sonnet-4-6'),
      task,
      systemPrompt: 'sys',
      memory: '',
      environment: environment([]),
      budgets,
      seedKey: 'k',
    });
    expect(paused.stop).toBe('end_turn');
    expect(paused.turns.map((t) => t.stop_reason)).toEqual(['pause_turn', 'end_turn']);
    const second = server.messageRequests[1]!.body as { messages: Array<{ role: string }> };
    expect(second.messages.at(-1)!.role).toBe('assistant');
  });

  it('model_context_window_exceeded ends the attempt with the context_window stop', async () => {
    server.enqueue(mockReply.stop('model_context_window_exceeded', [{ type: 'text', text: 'partial' }]));
    const run = await runAgent({
      model: model('claude-sonnet-4-6'),
      task,
      systemPrompt: 'sys',
      memory: '',
      environment: environment([]),
      budgets,
      seedKey: 'k',
    });
    expect(run.stop).toBe('context_window');
  });
});

describe('prompt caching', () => {
  it('places no breakpoint below the model minimum and at most 4 above it; a multi-turn conversation reads its re-sent prefix from the cache', async () => {
    const cached = new MockMessagesServer({ apiKey: KEY, models: RULES, promptCache: {} });
    await cached.start();
    try {
      const sonnet = createAnthropicModel('claude-sonnet-4-6', { apiKey: KEY, baseURL: cached.url, env: {} });
      await sonnet.create(
        { system: [{ type: 'text', text: 'short' }], messages: [{ role: 'user', content: 'hi' }], max_tokens: 10 },
        context,
      );
      expect(cached.messageRequests[0]!.rawBody).not.toContain('cache_control');

      const system = [
        { type: 'text' as const, text: 'You are careful. '.repeat(400) },
        { type: 'text' as const, text: 'Memory: '.repeat(300), cache: true },
      ];
      const messages: Message[] = [{ role: 'user', content: 'Task. '.repeat(200) }];
      const usages = [];
      for (let turn = 0; turn < 4; turn++) {
        cached.enqueue(mockReply.toolUse('run', { cmd: `step ${turn}` }, { id: `toolu_${turn}` }));
        const response = await sonnet.create({ system, messages, tools, max_tokens: 100 }, context);
        usages.push(response.usage);
        messages.push(
          { role: 'assistant', content: response.content },
          { role: 'user', content: [{ type: 'tool_result', tool_use_id: `toolu_${turn}`, content: 'output '.repeat(100) }] },
        );
        const body = cached.messageRequests.at(-1)!.rawBody;
        expect(body.split('cache_control').length - 1).toBeLessThanOrEqual(4);
      }
      let resent = 0;
      let read = 0;
      for (let i = 1; i < usages.length; i++) {
        resent += usages[i - 1]!.input_tokens + usages[i - 1]!.cache_read_tokens + usages[i - 1]!.cache_write_tokens;
        read += usages[i]!.cache_read_tokens;
      }
      expect(read / resent).toBeGreaterThanOrEqual(0.8);
    } finally {
      await cached.close();
    }
  });
});
