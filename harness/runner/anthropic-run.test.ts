// A whole experiment with `anthropic:<model>` through the real SDK over HTTP, against a local mock
// Messages server that answers like the sim agent, with a rate limit thrown in.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeRun } from './runner.js';
import { smallExperiment, tempDir } from '../testing/run-helpers.js';
import { MockMessagesServer, mockReply } from '../testing/mock-messages-server.js';
import { simBackedHandler } from '../testing/sim-backed-handler.js';
import { SimModel } from '../models/sim/sim-model.js';
import { createAnthropicModel } from '../models/anthropic/anthropic-model.js';
import { loadSuites } from '../registry/suites.js';
import { costOf } from '../models/pricing.js';
import { readTranscript } from '../storage/transcripts.js';

const KEY = 'sk-ant-test-0123456789-do-not-leak';
let server: MockMessagesServer;

beforeAll(async () => {
  const suites = await loadSuites(['legal-drafting']);
  server = new MockMessagesServer({
    apiKey: KEY,
    replies: [mockReply.rateLimited(0.01)],
    handler: simBackedHandler({ suite: 'legal-drafting', model: new SimModel('default', suites) }),
  });
  await server.start();
});
afterAll(() => server.close());

describe('a run with the anthropic model against a mock Messages server', () => {
  it('runs tool-use loops over HTTP, accounts usage and cost, survives a 429, and never writes the key', async () => {
    const runDir = join(tempDir(), 'run');
    const experiment = smallExperiment({
      model: 'anthropic:claude-sonnet-4-6',
      sessions: 2,
      tasks_per_session: 3,
      replicates: 1,
      concurrency: 2,
    });
    const outcome = await executeRun({
      runDir,
      experiment,
      modelFactory: (spec) => createAnthropicModel(spec.replace(/^anthropic:/, ''), { apiKey: KEY, baseURL: server.url, maxRetries: 2 }),
    });
    expect(outcome.status).toBe('completed');
    expect(outcome.trials).toHaveLength(12);
    expect(outcome.trials.every((t) => t.error_class !== 'infra')).toBe(true);
    expect(outcome.manifest.simulated).toBe(false);

    // The first request was rate limited and retried once by the SDK; tool results went back to the model.
    expect(server.requests[0]?.status).toBe(429);
    expect(server.requests.filter((r) => r.retryCount === 1 && r.status === 200)).toHaveLength(1);
    const bodies = server.messageRequests.map((r) => r.body as { messages: Array<{ content: unknown }>; temperature?: unknown });
    expect(bodies.some((b) => JSON.stringify(b.messages).includes('"tool_result"'))).toBe(true);
    expect(bodies.every((b) => b.temperature === undefined)).toBe(true);
    expect(server.requests.every((r) => r.headers.authorization === `Bearer ${KEY}`)).toBe(true);

    for (const trial of outcome.trials) {
      expect(trial.model).toBe('anthropic:claude-sonnet-4-6');
      expect(trial.input_tokens).toBeGreaterThan(0);
      const expected = costOf('claude-sonnet-4-6', {
        input_tokens: trial.input_tokens,
        output_tokens: trial.output_tokens,
        cache_read_tokens: trial.cache_read_tokens,
        cache_write_tokens: trial.cache_write_tokens,
      });
      expect(trial.cost_usd).toBeCloseTo(expected, 10);
    }
    // The memory arm sent its lessons as a cached system block after session 1.
    const cached = server.messageRequests.filter((r) =>
      JSON.stringify((r.body as { system?: unknown }).system ?? '').includes('cache_control'),
    );
    expect(cached.length).toBeGreaterThan(0);

    const everything = ['trials.jsonl', 'events.jsonl', 'manifest.json'].map((f) => readFileSync(join(runDir, f), 'utf8')).join('\n');
    const transcripts = outcome.trials.map((t) => JSON.stringify(readTranscript(runDir, t.transcript))).join('\n');
    expect(everything + transcripts).not.toContain(KEY);
  });
});
