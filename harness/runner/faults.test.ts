// Provider faults: a fault-injecting mock Messages server (429 with retry-after, 529
// overloaded, 500, dropped connections, requests that never answer, 200s with cut-short JSON).
// Each kind is retried within the retry budget; a call that still fails is a ModelInfraError; a
// trial that meets one is `infra`, kept apart from the agent's failures, and re-run on resume;
// the run then finishes with the same trials as a fault-free run of the same experiment.

import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeRun, type RunOutcome } from './runner.js';
import { comparable, smallExperiment, tempDir } from '../testing/run-helpers.js';
import { MockMessagesServer, mockReply, type MockFaultKind } from '../testing/mock-messages-server.js';
import { simBackedHandler } from '../testing/sim-backed-handler.js';
import { SimModel } from '../models/sim/sim-model.js';
import { createAnthropicModel } from '../models/anthropic/anthropic-model.js';
import { ModelInfraError, type ModelRequest } from '../core/messages.js';
import { loadSuites } from '../registry/suites.js';
import { RunDir } from '../storage/run-dir.js';
import type { Suite } from '../core/suite.js';

const KEY = 'sk-ant-test-faults-0123456789';
const request: ModelRequest = {
  system: [{ type: 'text', text: 'Be brief.' }],
  messages: [{ role: 'user', content: 'Say ok.' }],
  max_tokens: 32,
};
let suites: Map<string, Suite>;

beforeAll(async () => {
  suites = await loadSuites(['legal-drafting']);
});

describe('each injected fault is retried within the budget', () => {
  let server: MockMessagesServer;
  beforeAll(async () => {
    server = new MockMessagesServer({ apiKey: KEY });
    await server.start();
  });
  afterAll(() => server.close());

  const model = (maxRetries = 2) =>
    createAnthropicModel('claude-haiku-4-5', { apiKey: KEY, baseURL: server.url, maxRetries, timeoutMs: 300 });

  for (const kind of ['rate_limit', 'overloaded', 'server_error', 'drop', 'hang', 'malformed'] as MockFaultKind[]) {
    it(`${kind}: retried, then answered`, async () => {
      server.reset();
      // Every request faults until the fault is switched off after the first one.
      server.setFaults({ [kind]: 1, retryAfterSeconds: 0.02 });
      server.setHandler((_body, info) => {
        return mockReply.text(`answer to #${info.index}`);
      });
      const call = model().create(request, { seedKey: 'k', purpose: 'agent' });
      // Let the first attempt meet the fault, then heal the server.
      await waitFor(() => server.requests.length >= 1);
      server.setFaults(undefined);
      const response = await call;
      expect(response.content[0]).toMatchObject({ type: 'text' });
      expect(server.requests[0]!.fault).toBe(kind);
      expect(server.requests.at(-1)!.status).toBe(200);
      expect(server.requests.at(-1)!.retryCount).toBeGreaterThanOrEqual(1);
    });
  }

  it('a fault that outlasts the budget is a ModelInfraError naming it', async () => {
    server.reset();
    server.setFaults({ malformed: 1 });
    const error = await model(1)
      .create(request, { seedKey: 'k', purpose: 'agent' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelInfraError);
    expect((error as Error).message).toMatch(/malformed response body .* after 1 retries/);
    expect(server.requests).toHaveLength(2);
    server.setFaults({ overloaded: 1 });
    const overloaded = await model(1)
      .create(request, { seedKey: 'k', purpose: 'agent' })
      .catch((e: unknown) => e);
    expect((overloaded as ModelInfraError).status).toBe(529);
    server.setFaults(undefined);
  });
});

describe('a run against a faulty server', () => {
  it('classes unrecoverable trials infra, re-runs them on resume, and ends identical to a fault-free run', async () => {
    const experiment = smallExperiment({
      model: 'anthropic:claude-haiku-4-5',
      sessions: 2,
      tasks_per_session: 4,
      replicates: 1,
      concurrency: 4,
    });
    const handler = simBackedHandler({ suite: 'legal-drafting', model: new SimModel('default', suites) });
    const run = async (server: MockMessagesServer, runDir: string, resume = false): Promise<RunOutcome> =>
      executeRun({
        runDir,
        ...(resume ? { resume: true } : { experiment }),
        modelFactory: (spec) =>
          createAnthropicModel(spec.replace(/^anthropic:/, ''), { apiKey: KEY, baseURL: server.url, maxRetries: 2, timeoutMs: 400 }),
      });

    const clean = new MockMessagesServer({ apiKey: KEY, handler });
    await clean.start();
    const reference = await run(clean, join(tempDir(), 'clean'));
    await clean.close();
    expect(reference.status).toBe('completed');

    const faulty = new MockMessagesServer({
      apiKey: KEY,
      handler,
      // The first request fails three times in a row (more than the budget): one trial is infra for sure.
      replies: [mockReply.error(500), mockReply.error(500), mockReply.error(500)],
      faults: {
        rate_limit: 0.05,
        overloaded: 0.05,
        server_error: 0.04,
        drop: 0.04,
        hang: 0.02,
        malformed: 0.05,
        seed: 7,
        retryAfterSeconds: 0.02,
      },
    });
    await faulty.start();
    try {
      const runDir = join(tempDir(), 'faulty');
      let outcome = await run(faulty, runDir);
      expect(outcome.status).toBe('failed');
      expect(outcome.message).toMatch(/infrastructure reasons.*dreambench resume/);
      const infra = outcome.trials.filter((t) => t.error_class === 'infra');
      expect(infra.length).toBeGreaterThanOrEqual(1);
      for (const trial of infra) {
        expect(trial.success).toBe(false);
        expect(trial.error).toMatch(/API error 500|after 2 retries/);
      }
      // Resume until done (each resume re-runs only what is missing or infra).
      for (let i = 0; i < 5 && outcome.status !== 'completed'; i++) outcome = await run(faulty, runDir, true);
      expect(outcome.status).toBe('completed');
      expect(comparable(outcome.trials)).toEqual(comparable(reference.trials));
      // Nothing counted twice: one final record per trial; the infra records stay in the journal.
      expect(outcome.trials).toHaveLength(reference.trials.length);
      const lines = new RunDir(runDir).trials().length;
      expect(lines).toBe(reference.trials.length);
      // The totals count each trial once: a re-run infra trial replaces its failed record.
      expect(outcome.manifest.totals?.trials).toBe(reference.trials.length);
      const injected = Object.values(faulty.faultStats).reduce((a, b) => a + (b ?? 0), 0);
      expect(injected).toBeGreaterThan(5);
    } finally {
      await faulty.close();
    }
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
