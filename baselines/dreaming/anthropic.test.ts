// Dreaming with `anthropic:<model>` through the real SDK over HTTP, against the local mock Messages
// server that answers like the sim (dream requests included): the analysis request, the JSON reply,
// the changeset and the priced consolidation cost, end to end.

import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeRun } from '../../harness/runner/runner.js';
import { smallExperiment, tempDir } from '../../harness/testing/run-helpers.js';
import { MockMessagesServer } from '../../harness/testing/mock-messages-server.js';
import { simBackedHandler } from '../../harness/testing/sim-backed-handler.js';
import { SimModel } from '../../harness/models/sim/sim-model.js';
import { createAnthropicModel } from '../../harness/models/anthropic/anthropic-model.js';
import { loadSuites } from '../../harness/registry/suites.js';
import { costOf } from '../../harness/models/pricing.js';
import { RunDir } from '../../harness/storage/run-dir.js';
import { ANALYSIS_SYSTEM_START } from '../../harness/dreaming/analyse.js';
import type { Changeset } from '../../harness/dreaming/changeset.js';

const KEY = 'sk-ant-test-dreaming-0123456789';
let server: MockMessagesServer;

beforeAll(async () => {
  const suites = await loadSuites(['legal-drafting']);
  server = new MockMessagesServer({
    apiKey: KEY,
    handler: simBackedHandler({ suite: 'legal-drafting', model: new SimModel('default', suites) }),
  });
  await server.start();
});
afterAll(() => server.close());

describe('dreaming with the anthropic model (mock Messages server)', () => {
  it('sends the analysis over HTTP, parses the JSON findings, applies the changeset and prices the dream', async () => {
    const runDir = join(tempDir(), 'run');
    const experiment = smallExperiment({
      model: 'anthropic:claude-sonnet-4-6',
      arms: ['dreaming'],
      sessions: 2,
      tasks_per_session: 5,
      replicates: 1,
      concurrency: 2,
    });
    const outcome = await executeRun({
      runDir,
      experiment,
      modelFactory: (spec) => createAnthropicModel(spec.replace(/^anthropic:/, ''), { apiKey: KEY, baseURL: server.url, maxRetries: 1 }),
    });
    expect(outcome.status).toBe('completed');
    const dreams = server.messageRequests.filter((r) =>
      JSON.stringify((r.body as { system?: unknown }).system ?? '').includes(ANALYSIS_SYSTEM_START),
    );
    expect(dreams).toHaveLength(2);
    expect(dreams.every((r) => (r.body as { tools?: unknown[] }).tools === undefined)).toBe(true);

    const changeset = new RunDir(runDir).artifacts('dreams', 'dreaming', 1).read<Changeset>('session-001.json')!;
    expect(changeset.status).toBe('applied');
    expect(changeset.analysis.findings).toBeGreaterThan(0);
    expect(changeset.changes.some((c) => c.kind === 'add' && c.status === 'applied')).toBe(true);
    const { usage } = changeset;
    expect(usage.cost_usd).toBeCloseTo(costOf('claude-sonnet-4-6', usage), 10);
    expect(usage.cost_usd).toBeGreaterThan(0);
    expect(Object.values(new RunDir(runDir).readSnapshot('dreaming', 1, 2)).join('\n')).toMatch(/render_docx\.[a-z_]+="/);
  });
});
