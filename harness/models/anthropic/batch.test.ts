// Message Batches through the real SDK against the mock server's batch endpoints:
// grader and dreaming calls of concurrent trials go out as batches (create, retrieve until ended,
// results as JSONL matched by custom_id), priced at 50%; agent turns never are.

import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelInfraError, type ModelRequest } from '../../core/messages.js';
import { MockMessagesServer, mockReply } from '../../testing/mock-messages-server.js';
import { simBackedHandler } from '../../testing/sim-backed-handler.js';
import { SimModel } from '../sim/sim-model.js';
import { loadSuites } from '../../registry/suites.js';
import { executeRun } from '../../runner/runner.js';
import { smallExperiment, tempDir } from '../../testing/run-helpers.js';
import { costOf } from '../pricing.js';
import { createAnthropicModel } from './anthropic-model.js';
import { ANALYSIS_SYSTEM_START } from '../../dreaming/analyse.js';
import { GRADER_SYSTEM_PROMPT } from '../../grader/protocol.js';

const KEY = 'sk-ant-test-batches-0123456789';
const ask = (text: string): ModelRequest => ({
  system: [{ type: 'text', text: 'Grade.' }],
  messages: [{ role: 'user', content: text }],
  max_tokens: 64,
});

describe('message batches', () => {
  let server: MockMessagesServer;
  beforeAll(async () => {
    server = new MockMessagesServer({ apiKey: KEY, batchProcessingMs: 60 });
    await server.start();
  });
  afterAll(() => server.close());

  it('sends concurrent grader calls as one batch, matches results by custom_id, and prices them at half', async () => {
    server.reset();
    server.setHandler((body, info) => {
      const text = (body.messages[0] as { content: string }).content;
      return mockReply.text(`graded ${text} (${info.batch ? `in ${info.batch.id}` : 'directly'})`, {
        usage: { input_tokens: 1000, output_tokens: 100 },
      });
    });
    const model = createAnthropicModel('claude-haiku-4-5', { apiKey: KEY, baseURL: server.url, batch: { maxWaitMs: 40, pollMs: 20 } });
    const graded = await Promise.all(['a', 'b', 'c', 'd', 'e'].map((t) => model.create(ask(t), { seedKey: t, purpose: 'grade' })));
    expect(server.batchIds).toHaveLength(1);
    graded.forEach((response, i) => {
      expect(response.content).toEqual([{ type: 'text', text: `graded ${'abcde'[i]} (in ${server.batchIds[0]})` }]);
      expect(response.cost_usd).toBeCloseTo(costOf('claude-haiku-4-5', response.usage) / 2, 12);
    });
    // It polled while the batch was in progress, then fetched the results file.
    const paths = server.requests.map((r) => `${r.method} ${r.path}`);
    expect(paths[0]).toBe('POST /v1/messages/batches');
    expect(paths.filter((p) => p === `GET /v1/messages/batches/${server.batchIds[0]}`).length).toBeGreaterThanOrEqual(2);
    expect(paths.at(-1)).toBe(`GET /v1/messages/batches/${server.batchIds[0]}/results`);

    // An agent turn is never batched, and costs the full price.
    const direct = await model.create(ask('z'), { seedKey: 'z', purpose: 'agent' });
    expect(direct.content).toEqual([{ type: 'text', text: 'graded z (directly)' }]);
    expect(direct.cost_usd).toBeCloseTo(costOf('claude-haiku-4-5', direct.usage), 12);
    expect(server.batchIds).toHaveLength(1);
  });

  it('fails only the request of a batch that errored, as a ModelInfraError', async () => {
    server.reset();
    server.setHandler((body) => {
      const text = (body.messages[0] as { content: string }).content;
      return text === 'bad' ? mockReply.error(400, { message: 'messages.0: invalid' }) : mockReply.text(`ok ${text}`);
    });
    const model = createAnthropicModel('claude-haiku-4-5', {
      apiKey: KEY,
      baseURL: server.url,
      batch: { maxWaitMs: 30, pollMs: 20, purposes: ['grade', 'reflect'] },
    });
    const results = await Promise.allSettled([
      model.create(ask('good'), { seedKey: '1', purpose: 'reflect' }),
      model.create(ask('bad'), { seedKey: '2', purpose: 'grade' }),
    ]);
    expect(results[0]).toMatchObject({ status: 'fulfilled', value: { content: [{ type: 'text', text: 'ok good' }] } });
    expect(results[1]!.status).toBe('rejected');
    const error = (results[1] as PromiseRejectedResult).reason as Error;
    expect(error).toBeInstanceOf(ModelInfraError);
    expect(error.message).toMatch(/request errored \(invalid_request_error\): messages\.0: invalid/);
  });

  it('runs the outcomes and dreaming arms with grader and dream calls batched: same trials as without, those calls at half price', async () => {
    const suites = await loadSuites(['legal-drafting']);
    const handler = simBackedHandler({ suite: 'legal-drafting', model: new SimModel('default', suites) });
    const mock = new MockMessagesServer({ apiKey: KEY, handler });
    await mock.start();
    try {
      const experiment = smallExperiment({
        model: 'anthropic:claude-haiku-4-5',
        arms: ['outcomes', 'dreaming'],
        sessions: 2,
        tasks_per_session: 4,
        replicates: 1,
        concurrency: 4,
      });
      const run = (batch: boolean) =>
        executeRun({
          runDir: join(tempDir(), batch ? 'batched' : 'direct'),
          experiment,
          modelFactory: (spec) =>
            createAnthropicModel(spec.replace(/^anthropic:/, ''), {
              apiKey: KEY,
              baseURL: mock.url,
              ...(batch ? { batch: { maxWaitMs: 30, pollMs: 20 } } : {}),
            }),
        });
      const direct = await run(false);
      const before = mock.batchIds.length;
      const batched = await run(true);
      expect(batched.status).toBe('completed');
      expect(mock.batchIds.length).toBeGreaterThan(before);
      const key = (t: { arm: string; session: number; slot: number; task: string }) => `${t.arm}/${t.session}/${t.slot}-${t.task}`;
      const byKey = new Map(direct.trials.map((t) => [key(t), t]));
      for (const trial of batched.trials) {
        const other = byKey.get(key(trial))!;
        expect([trial.success, trial.score, trial.turns, trial.grader?.success]).toEqual([
          other.success,
          other.score,
          other.turns,
          other.grader?.success,
        ]);
        // The agent's own turns are not batched; the grader's are, at half price.
        expect(trial.cost_usd).toBeCloseTo(other.cost_usd, 12);
        if (trial.arm === 'outcomes') expect(trial.arm_usage!.cost_usd).toBeCloseTo(other.arm_usage!.cost_usd / 2, 12);
      }
      // The dream between the sessions went out in a batch too.
      const batchedSystems = mock.requests
        .filter((r) => r.path === '/v1/messages/batches' && r.method === 'POST')
        .flatMap((r) => (r.body as { requests: Array<{ params: { system?: Array<{ text: string }> } }> }).requests)
        .map((q) => q.params.system?.[0]?.text ?? '');
      expect(batchedSystems.some((t) => t.startsWith(ANALYSIS_SYSTEM_START))).toBe(true);
      expect(batchedSystems.some((t) => t.startsWith(GRADER_SYSTEM_PROMPT.slice(0, 30)))).toBe(true);
    } finally {
      await mock.close();
    }
  });
});
