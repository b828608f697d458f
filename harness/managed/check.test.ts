// `dreambench managed check` against the mock Managed Agents server: every endpoint the chosen arms
// need exercised once, what the account lacks named, the cost reported, everything archived.

import { costOf } from '../models/pricing.js';
import { usageOfApi } from './usage.js';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import yargs from 'yargs';
import { MockManagedServer, type MockManagedOptions } from '../testing/mock-managed-server.js';
import { SimModel } from '../models/sim/sim-model.js';
import { loadSuites } from '../registry/suites.js';
import { managedCheck, formatCheck } from './check.js';
import { parseManagedOptions } from './options.js';
import { managedCommand } from '../cli/commands/managed.js';

const KEY = 'sk-ant-test-managed-check-0123456789';
const FAST = { initial_ms: 10, max_ms: 100, factor: 1.5 };
let sim: SimModel;
let server: MockManagedServer | undefined;

beforeAll(async () => {
  sim = new SimModel('default', await loadSuites(['legal-drafting']));
});

afterEach(async () => {
  await server?.close();
  server = undefined;
  process.exitCode = undefined;
  vi.restoreAllMocks();
});

async function startServer(options: Partial<MockManagedOptions> = {}): Promise<MockManagedServer> {
  server = new MockManagedServer({ suite: 'legal-drafting', model: sim, apiKey: KEY, ...options });
  await server.start();
  return server;
}

const configs = (...kinds: Array<'stateless' | 'memory' | 'dreaming' | 'multiagent'>) =>
  kinds.map((k) => parseManagedOptions(k, `managed-${k}`, {}));

describe('managed check', () => {
  it('exercises each endpoint the arms need once, reports the cost, and archives what it created', async () => {
    const mock = await startServer();
    const report = await managedCheck({
      model: 'claude-sonnet-4-6',
      configs: configs('memory', 'multiagent', 'dreaming'),
      dream: true,
      env: { ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: mock.url },
      poll: FAST,
      usageQuietMs: 50,
    });
    expect(report.steps.filter((s) => s.status !== 'ok')).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.steps.map((s) => s.step)).toEqual([
      'environments.create',
      'agents.create',
      'agents.create (multiagent)',
      'memory_stores.create + memories.create',
      'memories.list',
      'sessions.create',
      'sessions.events (one turn)',
      'sessions.retrieve (usage, settled)',
      'files.list (scope_id = the session)',
      'dreams.create + retrieve',
      'archive what the check created',
    ]);
    expect(mock.sessions.size).toBe(1);
    expect(mock.dreams.size).toBe(1);
    expect(report.token_cost_usd).toBeGreaterThan(0);
    expect(report.runtime_cost_usd).toBeGreaterThan(0);
    expect([...mock.environments.values()].every((e) => e.archived_at !== null)).toBe(true);
    expect([...mock.agents.values()].every((a) => a.object.archived_at !== null)).toBe(true);
    expect([...mock.stores.values()].every((s) => s.object.archived_at !== null)).toBe(true);
    expect([...mock.sessions.values()].every((s) => s.object().archived_at !== null)).toBe(true);
    expect(formatCheck(report)).toMatch(/Spent: token cost \$\d+\.\d{4} \(pricing\.json\), runtime \$\d+\.\d{4}\./);
  });

  it('names what the account lacks: a research preview it has no access to, a model dreams do not support', async () => {
    const mock = await startServer({ forbidPaths: [/^\/v1\/memory_stores/] });
    const report = await managedCheck({
      model: 'claude-haiku-4-5',
      configs: configs('dreaming'),
      dream: true,
      env: { ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: mock.url },
      poll: FAST,
      usageQuietMs: 50,
    });
    expect(report.ok).toBe(false);
    const byStep = Object.fromEntries(report.steps.map((s) => [s.step, s]));
    expect(byStep['memory_stores.create + memories.create']).toMatchObject({ status: 'failed', lacks: 'no_access' });
    expect(byStep['dreams.create']).toMatchObject({ status: 'failed', lacks: 'model' });
    expect(byStep['sessions.events (one turn)']).toMatchObject({ status: 'ok' });
    const text = formatCheck(report);
    expect(text).toContain('The account lacks:');
    expect(text).toMatch(/memory_stores\.create \+ memories\.create: access/);
    expect(text).not.toContain(KEY);
  });

  it('counts what a dream that failed after it ran was billed in what the check spent', async () => {
    const mock = await startServer({ failDream: () => true });
    const report = await managedCheck({
      model: 'claude-sonnet-4-6',
      configs: configs('dreaming'),
      dream: true,
      env: { ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: mock.url },
      poll: FAST,
      usageQuietMs: 50,
    });
    expect(report.steps.find((s) => s.step === 'dreams.create + retrieve')).toMatchObject({ status: 'failed' });
    const dream = [...mock.dreams.values()][0]!;
    expect(dream.object.usage.input_tokens).toBeGreaterThan(0);
    expect(mock.sessions.size).toBe(1); // the check's one-turn session
    const session = [...mock.sessions.values()][0]!;
    const sessionTokenCost = costOf('claude-sonnet-4-6', session.usage);
    const dreamTokenCost = costOf('claude-sonnet-4-6', usageOfApi(dream.object.usage));
    expect(report.token_cost_usd).toBeCloseTo(sessionTokenCost + dreamTokenCost, 10);
  });

  it('runs from the command line: prints the report and sets the exit code', async () => {
    const mock = await startServer();
    const prev = { key: process.env.ANTHROPIC_API_KEY, url: process.env.ANTHROPIC_BASE_URL };
    process.env.ANTHROPIC_API_KEY = KEY;
    process.env.ANTHROPIC_BASE_URL = mock.url;
    const out: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out.push(String(chunk));
      return true;
    });
    try {
      await yargs(['managed', 'check', '--arms', 'managed-stateless', '--model', 'anthropic:claude-sonnet-4-6'])
        .command(managedCommand)
        .strict()
        .parseAsync();
    } finally {
      if (prev.key === undefined) delete process.env.ANTHROPIC_API_KEY;
      else process.env.ANTHROPIC_API_KEY = prev.key;
      if (prev.url === undefined) delete process.env.ANTHROPIC_BASE_URL;
      else process.env.ANTHROPIC_BASE_URL = prev.url;
    }
    expect(out.join('')).toContain('Everything the chosen arms need works.');
    expect(process.exitCode).toBe(0);
    expect(mock.stores.size).toBe(0); // managed-stateless needs no memory store
  });
});
