// skills x multi-agent with `anthropic:<model>` through the real SDK over HTTP, against a local mock
// Messages server that answers like the sim: the lead's delegate calls, the specialists (one on its
// own model), the skill-writing calls, and the accounting per agent.

import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeRun } from '../../harness/runner/runner.js';
import { smallExperiment, tempDir } from '../../harness/testing/run-helpers.js';
import { MockMessagesServer } from '../../harness/testing/mock-messages-server.js';
import { simBackedHandler } from '../../harness/testing/sim-backed-handler.js';
import { SimModel } from '../../harness/models/sim/sim-model.js';
import { createAnthropicModel } from '../../harness/models/anthropic/anthropic-model.js';
import { loadSuites } from '../../harness/registry/suites.js';
import { RunDir } from '../../harness/storage/run-dir.js';
import { readLibrary } from '../skills/library.js';
import { readTranscript } from '../../harness/storage/transcripts.js';

const KEY = 'sk-ant-test-compose-do-not-leak';
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

describe('skills + multi-agent over the Messages API', () => {
  it('delegates, writes skills and accounts every agent on its own model', async () => {
    const runDir = join(tempDir(), 'run');
    const team = {
      roles: [
        { name: 'drafter', tools: ['read_file', 'write_section'] },
        { name: 'renderer', tools: ['read_file', 'render_docx'], model: 'anthropic:claude-haiku-4-5' },
      ],
    };
    const outcome = await executeRun({
      runDir,
      experiment: smallExperiment({
        model: 'anthropic:claude-sonnet-4-6',
        arms: [
          {
            arm: 'compose',
            name: 'skills+team',
            options: { memory: 'skills', loop: 'reflexion', orchestration: 'multi-agent', orchestration_options: team },
          },
        ],
        sessions: 2,
        tasks_per_session: 4,
        replicates: 1,
        concurrency: 2,
      }),
      modelFactory: (spec) => createAnthropicModel(spec.replace(/^anthropic:/, ''), { apiKey: KEY, baseURL: server.url, maxRetries: 1 }),
    });
    expect(outcome.status).toBe('completed');
    for (const trial of outcome.trials) {
      expect(trial.error_class).not.toBe('infra');
      expect(trial.agents?.find((a) => a.role === 'renderer')?.model).toBe('anthropic:claude-haiku-4-5');
      expect(trial.agents?.find((a) => a.role === 'lead')?.model).toBe('anthropic:claude-sonnet-4-6');
      const transcript = readTranscript(runDir, trial.transcript);
      expect(transcript.subagents?.length).toBeGreaterThanOrEqual(2);
    }
    const models = server.messageRequests.map((r) => (r.body as { model: string }).model);
    expect(new Set(models)).toEqual(new Set(['claude-sonnet-4-6', 'claude-haiku-4-5']));
    // Completed trials of session 1 wrote skills (recognised over HTTP by the skill prompt), deterministically.
    expect(outcome.trials.some((t) => t.session === 1 && t.success)).toBe(true);
    expect(readLibrary(new RunDir(runDir).readSnapshot('skills+team', 1, 1)).length).toBeGreaterThan(0);
    expect(outcome.trials.filter((t) => t.session === 2).every((t) => (t.memory_stats?.library_size ?? 0) > 0)).toBe(true);
  });
});
