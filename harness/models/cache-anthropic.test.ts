// Record an anthropic run over HTTP (local mock server) into the response cache, then replay it:
// the replay makes zero HTTP requests, needs no API key, reproduces every trial, and the key planted
// in the environment never reaches the cache.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeRun } from '../runner/runner.js';
import { comparable, smallExperiment, tempDir } from '../testing/run-helpers.js';
import { MockMessagesServer } from '../testing/mock-messages-server.js';
import { simBackedHandler } from '../testing/sim-backed-handler.js';
import { SimModel } from './sim/sim-model.js';
import { createAnthropicModel } from './anthropic/anthropic-model.js';
import { loadSuites } from '../registry/suites.js';

const KEY = 'sk-ant-cache-test-9876543210-never-in-the-cache';
let server: MockMessagesServer;
const savedKey = process.env.ANTHROPIC_API_KEY;

beforeAll(async () => {
  const suites = await loadSuites(['legal-drafting']);
  server = new MockMessagesServer({
    apiKey: KEY,
    handler: simBackedHandler({ suite: 'legal-drafting', model: new SimModel('default', suites) }),
  });
  await server.start();
  process.env.ANTHROPIC_API_KEY = KEY; // planted: it must not end up in any cache file
});
afterAll(async () => {
  if (savedKey === undefined) delete process.env.ANTHROPIC_API_KEY;
  else process.env.ANTHROPIC_API_KEY = savedKey;
  await server.close();
});

describe('response cache with the anthropic model', () => {
  it('replays a recorded run with zero HTTP requests and identical trials; the API key is never cached', async () => {
    const root = tempDir();
    const cacheDir = join(root, 'cache');
    const experiment = smallExperiment({
      model: 'anthropic:claude-sonnet-4-6',
      sessions: 2,
      tasks_per_session: 3,
      replicates: 1,
      concurrency: 2,
    });
    // The key comes from the environment, as in real use.
    const factory = (spec: string) => createAnthropicModel(spec.replace(/^anthropic:/, ''), { baseURL: server.url, maxRetries: 0 });

    const recorded = await executeRun({
      runDir: join(root, 'recorded'),
      experiment,
      modelFactory: factory,
      cache: { dir: cacheDir, mode: 'record' },
    });
    expect(recorded.status).toBe('completed');
    expect(recorded.trials.every((t) => t.error_class !== 'infra')).toBe(true);
    const liveRequests = server.messageRequests.length;
    expect(liveRequests).toBeGreaterThan(0);

    delete process.env.ANTHROPIC_API_KEY; // replay needs no key
    try {
      const replayed = await executeRun({
        runDir: join(root, 'replayed'),
        experiment,
        modelFactory: factory,
        cache: { dir: cacheDir, mode: 'replay' },
      });
      expect(replayed.status).toBe('completed');
      expect(server.requests.length).toBe(liveRequests); // not one HTTP request more
      expect(comparable(replayed.trials)).toEqual(comparable(recorded.trials));
      expect(replayed.trials.every((t) => t.model === 'anthropic:claude-sonnet-4-6')).toBe(true);
    } finally {
      process.env.ANTHROPIC_API_KEY = KEY;
    }

    const cached = readdirSync(cacheDir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
    expect(cached.length).toBeLessThanOrEqual(liveRequests); // arms at the same place with the same request share a reply
    const everything = cached.map((e) => readFileSync(join(e.parentPath, e.name), 'utf8')).join('\n');
    expect(everything).not.toContain(KEY);
    expect(everything).not.toContain(KEY.slice(0, 20));
    expect(everything).not.toContain(server.url);
  });
});
