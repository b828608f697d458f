// `openai:` reasoning models and errors that never heal, against the mock OpenAI-compatible server:
// o-series and gpt-5 models get max_completion_tokens (the server refuses max_tokens for them, as
// OpenAI does), their reasoning tokens are recorded as thinking tokens, and a 404 or 401 is a
// permanent error that is not retried.

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { ModelPermanentError, type CallContext, type ModelRequest } from '../../core/messages.js';
import { MockOpenAIServer } from '../../testing/mock-openai-server.js';
import { createOpenAIModel } from './openai-model.js';

const context: CallContext = { seedKey: 'k', purpose: 'agent' };
const request: ModelRequest = {
  system: [{ type: 'text', text: 'Be brief.' }],
  messages: [{ role: 'user', content: 'Hi.' }],
  max_tokens: 2048,
};
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

const model = (id: string) =>
  createOpenAIModel(id, { baseURL: `${server.url}/v1`, env: {}, retryBaseMs: 5, timeoutMs: 2_000, onUnknownPrice: () => undefined });

describe('openai reasoning models', () => {
  it('sends max_completion_tokens to a reasoning model and records its reasoning tokens', async () => {
    server.enqueue({ kind: 'completion', content: 'Hello.', usage: { prompt_tokens: 20, completion_tokens: 300, reasoning_tokens: 256 } });
    const response = await model('o4-mini').create(request, context);
    const body = server.requests[0]!.body as Record<string, unknown>;
    expect(body.max_completion_tokens).toBe(2048);
    expect(body).not.toHaveProperty('max_tokens');
    expect(response.usage.output_tokens).toBe(300);
    expect(response.usage.thinking_tokens).toBe(256);
  });

  it('keeps max_tokens for other models; the server refuses max_tokens on a reasoning model, and that 400 is permanent', async () => {
    await model('llama3.1:8b').create(request, context);
    expect((server.requests[0]!.body as Record<string, unknown>).max_tokens).toBe(2048);
    const forced = createOpenAIModel('gpt-5-mini', {
      baseURL: `${server.url}/v1`,
      env: {},
      retryBaseMs: 5,
      reasoning: false,
      onUnknownPrice: () => undefined,
    });
    const error = await forced.create(request, context).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelPermanentError);
    expect((error as Error).message).toMatch(/max_completion_tokens/);
  });

  it('a 404 is permanent and sent once; a context_length_exceeded 400 is class context', async () => {
    server.enqueue({ kind: 'error', status: 404, message: 'The model `gpt-5-nano-x` does not exist' });
    const error = await model('gpt-5-nano-x')
      .create(request, context)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'permanent', status: 404 });
    expect(server.requests).toHaveLength(1);
    server.enqueue({
      kind: 'error',
      status: 400,
      message: "This model's maximum context length is 128000 tokens (context_length_exceeded)",
    });
    await expect(model('llama3.1:8b').create(request, context)).rejects.toMatchObject({ kind: 'context' });
  });
});
