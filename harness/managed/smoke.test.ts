import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeRun } from '../runner/runner.js';
import { smallExperiment, tempDir } from '../testing/run-helpers.js';
import { MockManagedServer } from '../testing/mock-managed-server.js';
import { SimModel } from '../models/sim/sim-model.js';
import { loadSuites } from '../registry/suites.js';
import type { ModelClient } from '../core/messages.js';

const KEY = 'sk-ant-test-managed-0123456789';
let server: MockManagedServer;
beforeAll(async () => {
  const suites = await loadSuites(['legal-drafting']);
  server = new MockManagedServer({ suite: 'legal-drafting', model: new SimModel('default', suites), apiKey: KEY });
  await server.start();
  process.env.ANTHROPIC_API_KEY = KEY;
  process.env.ANTHROPIC_BASE_URL = server.url;
});
afterAll(() => server.close());

const noMessages = (spec: string): ModelClient => ({ id: spec, create: () => Promise.reject(new Error('no Messages API calls expected')) });

describe('smoke', () => {
  it('runs', async () => {
    const runDir = join(tempDir(), 'run');
    const outcome = await executeRun({
      runDir,
      experiment: smallExperiment({ model: 'anthropic:claude-sonnet-4-6', arms: ['managed-stateless', 'managed-memory', 'managed-dreaming'], sessions: 2, tasks_per_session: 3, replicates: 1, concurrency: 3 }),
      modelFactory: noMessages,
    });
    console.log(outcome.status, outcome.message);
    for (const t of outcome.trials) console.log(t.arm, t.session, t.task, t.success, t.error_class, t.error ?? '', t.turns, t.tool_calls, t.input_tokens, t.cost_usd);
    console.log(readFileSync(join(runDir, 'events.jsonl'), 'utf8').split('\n').filter((l) => l.includes('consolid') || l.includes('fail')).join('\n'));
    expect(outcome.status).toBe('completed');
  });
});
describe('inspect', () => {
  it('shows', async () => {
    const runDir = join(tempDir(), 'run');
    const outcome = await executeRun({
      runDir,
      experiment: smallExperiment({ model: 'anthropic:claude-sonnet-4-6', arms: [{ arm: 'managed-dreaming', name: 'managed-dreaming', options: { poll_initial_ms: 20 } }], sessions: 2, tasks_per_session: 2, replicates: 1, concurrency: 3 }),
      modelFactory: noMessages,
    });
    const t = outcome.trials.find((r) => r.session === 2)!;
    const tr = JSON.parse(readFileSync(join(runDir, t.transcript), 'utf8'));
    console.log(JSON.stringify(tr, null, 1).slice(0, 6000));
    console.log(JSON.stringify(t, null, 1));
    const { execSync } = await import('node:child_process');
    console.log(execSync(`find ${runDir} -type f | sort; cat ${runDir}/memory/managed-dreaming/r1/session-001/*; cat ${runDir}/dreams/managed-dreaming/r1/session-001.json | head -80`).toString());
  });
});
