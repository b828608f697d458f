// The managed runtime against the service's documented behaviours that a naive client gets wrong,
// as the mock models them (harness/testing/mock-managed-server.ts, whose header says where each is
// documented): the session-files call and its indexing delay, queued client events, status and usage
// lag after the idle, one request limit per organisation, the service's own limits, failed model
// requests, cache creation in both shapes, the vendor grader's tokens, subagent turns within the
// budgets, dream models, dream output behaviours, late dream usage, failed dreams' stores and the
// runtime of a failed dream's session, counted wherever a completed dream's is.

import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { executeRun } from '../runner/runner.js';
import { smallExperiment, tempDir } from '../testing/run-helpers.js';
import { BETA, MockManagedServer, type MockManagedOptions } from '../testing/mock-managed-server.js';
import { SimModel } from '../models/sim/sim-model.js';
import { loadSuites } from '../registry/suites.js';
import type { ModelClient, ModelInfraError } from '../core/messages.js';
import type { Suite } from '../core/suite.js';
import type { TrialRecord } from '../core/records.js';
import type { ExperimentInput } from '../config/schema.js';
import type { Changeset } from '../dreaming/changeset.js';
import { ManagedRuntime, type ManagedDetails } from './runtime.js';
import { parseManagedOptions } from './options.js';
import { createManagedClient, type ManagedClient } from './client.js';
import { materialize } from './stores.js';
import { runDreams, type DreamChainState } from './dreams.js';
import { DREAM_BETAS } from './client.js';
import { vendorChangeset } from './changeset.js';
import { runtimeCosts } from '../../reports/runtime-cost.js';
import { runtimeCostOf } from './service-facts.js';
import { usageOfApi } from './usage.js';
import { serviceFacts } from './service-facts.js';
import { readTranscript } from '../storage/transcripts.js';
import { costOf } from '../models/pricing.js';
import { consolidationCosts } from '../dreaming/costs.js';

/**
 * A chain of dreams over one store and one session, polled quickly. With `state`, its chain state is
 * kept there (put a killed try's state in first to have this try resume it).
 */
function dreamChain(client: ManagedClient, store: string, sessionId: string, state?: Map<string, unknown>, stateName = 's.json') {
  const artifacts = state && {
    read: <T>(n: string) => state.get(n) as T | undefined,
    write: (n: string, d: unknown) => void state.set(n, structuredClone(d)),
    path: (n: string) => n,
  };
  return runDreams(client, {
    inputStoreId: store,
    sessionIds: [sessionId],
    model: 'claude-sonnet-4-6',
    timeoutMs: 5000,
    poll: { initial_ms: 10, max_ms: 50, factor: 1.5 },
    usageQuietMs: 50,
    stateName,
    ...(artifacts ? { artifacts } : {}),
  });
}

const KEY = 'sk-ant-test-managed-behaviour-0123456789';
const MODEL = 'anthropic:claude-sonnet-4-6';
const FAST = { poll_initial_ms: 10, poll_max_ms: 100, quiet_ms: 300, files_settle_ms: 20, settle_timeout_ms: 3000, usage_quiet_ms: 50 };

let suites: Map<string, Suite>;
let sim: SimModel;
let server: MockManagedServer | undefined;
const savedEnv = { key: process.env.ANTHROPIC_API_KEY, url: process.env.ANTHROPIC_BASE_URL };

beforeAll(async () => {
  suites = await loadSuites(['legal-drafting']);
  sim = new SimModel('default', suites);
});

afterEach(async () => {
  await server?.close();
  server = undefined;
  if (savedEnv.key === undefined) delete process.env.ANTHROPIC_API_KEY;
  else process.env.ANTHROPIC_API_KEY = savedEnv.key;
  if (savedEnv.url === undefined) delete process.env.ANTHROPIC_BASE_URL;
  else process.env.ANTHROPIC_BASE_URL = savedEnv.url;
});

async function startServer(options: Partial<MockManagedOptions> = {}): Promise<MockManagedServer> {
  server = new MockManagedServer({ suite: 'legal-drafting', model: sim, apiKey: KEY, ...options });
  await server.start();
  process.env.ANTHROPIC_API_KEY = KEY;
  process.env.ANTHROPIC_BASE_URL = server.url;
  return server;
}

const noMessages = (spec: string): ModelClient => ({ id: spec, create: () => Promise.reject(new Error('no Messages API call expected')) });

function run(runDir: string, overrides: Partial<ExperimentInput>) {
  return executeRun({
    runDir,
    experiment: smallExperiment({ model: MODEL, replicates: 1, concurrency: 2, ...overrides }),
    modelFactory: noMessages,
  });
}

function _detailsOf(runDir: string, record: TrialRecord): ManagedDetails {
  return readTranscript(runDir, record.transcript).runtime as unknown as ManagedDetails;
}

/** One attempt of the first legal-drafting task on the runtime, in a fresh workspace. */
async function oneAttempt(
  mock: MockManagedServer,
  kind: 'stateless' | 'memory' | 'outcomes' | 'multiagent',
  options: Record<string, unknown> = {},
  budgets = { max_turns: 30, max_output_tokens: 4096 },
  memoryFiles: Record<string, string> = {},
) {
  const config = parseManagedOptions(kind, `managed-${kind}`, { ...FAST, ...options });
  const runtime = new ManagedRuntime(config, { ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: mock.url });
  const suite = suites.get('legal-drafting')!;
  const task = suite.tasks[0]!;
  const workdir = mkdtempSync(join(tmpdir(), 'managed-behaviour-'));
  const environment = await suite.createEnvironment(task, { workdir, session: 1, drifted: new Set() });
  const result = await runtime.run({
    model: { id: MODEL, create: () => Promise.reject(new Error('unused')) },
    task,
    systemPrompt: suite.systemPrompt,
    memory: '',
    environment,
    budgets,
    seedKey: 'k',
    context: { arm: `managed-${kind}`, replicate: 1, session: 1, model: sim, seedKey: 'k', options: {} },
    trialId: `managed-${kind}/r1/s001/000-x`,
    attempt: 1,
    workdir,
    memoryFiles,
    revision: 0,
  });
  return { result, details: result.runtime as unknown as ManagedDetails, workdir };
}

describe('session files', () => {
  it('are listed with the managed-agents beta, every page of them, including files indexed after the idle', async () => {
    const files = Array.from({ length: 27 }, (_, i) => ({ filename: `out-${String(i).padStart(2, '0')}.txt`, content: `file ${i}` }));
    const mock = await startServer({ filesOnIdle: () => files, filesIndexMs: 150 });
    const { details, workdir } = await oneAttempt(mock, 'stateless', { files_settle_ms: 400 });
    expect(details.session_files).toHaveLength(27);
    for (const file of files) expect(readFileSync(join(workdir, file.filename), 'utf8')).toBe(file.content);
    const lists = mock.requests.filter((r) => r.method === 'GET' && r.path === '/v1/files');
    expect(
      lists.every(
        (r) => r.query.get('scope_id') === details.session_id && (r.headers['anthropic-beta'] ?? '').includes(BETA.managedAgents),
      ),
    ).toBe(true);
    expect(lists.some((r) => r.query.get('page'))).toBe(true); // the second page was read
  });

  it('the legacy call (files beta alone) is refused by the mock, as the service does not know scope_id there', async () => {
    const mock = await startServer();
    const client = createManagedClient({ maxRetries: 0, timeoutMs: 5000, env: { ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: mock.url } });
    await expect(client.sdk.beta.files.list({ scope_id: 'sesn_x', betas: [BETA.files] })).rejects.toThrow(/managed-agents-2026-04-01/);
  });
});

describe('events and usage', () => {
  it('queued client events, primary-thread status events and a status lag: usage is read once settled, reconciles list only new events', async () => {
    const mock = await startServer({ statusLagMs: 120, processDelayMs: 30 });
    const { result, details } = await oneAttempt(mock, 'stateless');
    expect(result.stop).toBe('submitted');
    const session = mock.sessions.get(details.session_id)!;
    expect(details.usage_settled).toBe(true);
    // What was recorded is the session's final usage, not the lagging read right after the idle.
    expect(result.usage.input_tokens).toBe(session.usage.input_tokens);
    expect(result.usage.output_tokens).toBe(session.usage.output_tokens);
    // The primary thread's status events did not become a subagent thread.
    expect(details.threads).toBeUndefined();
    // After the first listing, reconciles ask only for events after a cursor.
    const lists = mock.requests.filter((r) => r.method === 'GET' && r.path === `/v1/sessions/${details.session_id}/events`);
    expect(lists.length).toBeGreaterThan(0);
    expect(lists.slice(1).every((r) => r.query.get('created_at[gt]') !== null)).toBe(true);
  });

  it('one request limit per organisation: 429s are waited out, no trial is lost', async () => {
    const mock = await startServer({ requestsPerSecond: 25 });
    const runDir = join(tempDir(), 'run');
    const outcome = await run(runDir, {
      arms: [{ arm: 'managed-stateless', name: 's', options: { ...FAST, max_retries: 8 } }],
      sessions: 1,
      tasks_per_session: 3,
    });
    expect(outcome.status).toBe('completed');
    expect(outcome.trials.filter((t) => t.error_class === 'infra')).toEqual([]);
    expect(mock.rateLimited).toBeGreaterThan(0);
  });

  it("the service's own limits end the work as the agent's outcome, not a harness budget nor an outage; failed model requests are counted", async () => {
    const mock = await startServer({
      vendorLimitSession: (i) => (i === 0 ? 'tool_use_limit_reached_error' : i === 1 ? 'compaction_limit_reached_error' : undefined),
      errorSpans: (n) => n === 0,
    });
    const first = await oneAttempt(mock, 'stateless');
    expect(first.result.stop).toBe('end_turn');
    expect(first.details.vendor_limit).toBe('tool_use_limit_reached_error');
    expect(first.details.stop_detail).toBe(
      "vendor limit: tool_use_limit_reached_error (the service's limit on tool calls in a session was reached)",
    );
    expect(first.details.model_request_errors).toBe(1);
    expect(first.result.turns.every((t) => t.stop_reason !== 'max_tokens')).toBe(true);
    const second = await oneAttempt(mock, 'stateless');
    expect([second.result.stop, second.details.vendor_limit]).toEqual(['end_turn', 'compaction_limit_reached_error']);
  });

  it('cache creation is read nested or flat', async () => {
    expect(
      usageOfApi({ input_tokens: 5, cache_creation: { ephemeral_5m_input_tokens: 7, ephemeral_1h_input_tokens: 3 } }).cache_write_tokens,
    ).toBe(10);
    expect(usageOfApi({ input_tokens: 5, cache_creation_input_tokens: 9 }).cache_write_tokens).toBe(9);
    const mock = await startServer({ flatCacheCreation: true });
    // A memory store makes the sim's requests write a cached prefix.
    const { details } = await oneAttempt(mock, 'memory', {}, undefined, {
      'lessons.md': '# Lessons\n\n- Set render_docx.heading_style="LegalHeading1".\n',
    });
    const written = mock.sessions.get(details.session_id)!.usage.cache_write_tokens;
    expect(written).toBeGreaterThan(0);
    expect(details.vendor_usage.cache_write_tokens).toBe(written);
  });

  it("the vendor grader's tokens count once: added when the session's usage lacks them, not when it has them", async () => {
    const without = await startServer({ graderInSessionUsage: false });
    const a = await oneAttempt(without, 'outcomes');
    const graded = a.details.grader_usage.input_tokens + a.details.grader_usage.output_tokens;
    expect(graded).toBeGreaterThan(0);
    expect(a.details.grader_counted).toBe('added from outcome evaluations');
    const session = without.sessions.get(a.details.session_id)!;
    expect(a.result.usage.input_tokens).toBe(session.usage.input_tokens + a.details.grader_usage.input_tokens);
    await without.close();
    const withIt = await startServer();
    const b = await oneAttempt(withIt, 'outcomes');
    expect(b.details.grader_counted).toBe('in session usage');
    expect(b.result.usage.input_tokens).toBe(withIt.sessions.get(b.details.session_id)!.usage.input_tokens);
  });

  it('max_turns counts the subagent threads while the session runs', async () => {
    const mock = await startServer();
    const { result, details } = await oneAttempt(mock, 'multiagent', {}, { max_turns: 3, max_output_tokens: 4096 });
    expect(result.stop).toBe('max_turns');
    expect(mock.sessions.get(details.session_id)!.events.some((e) => e.type === 'user.interrupt')).toBe(true);
    // The primary made one request (the hand-off): the limit was reached on the subagent's turns.
    expect(details.span_usage.input_tokens).toBe(400);
  });

  it('model settings are pinned on the agent and recorded as the service resolved them', async () => {
    const mock = await startServer();
    const { details } = await oneAttempt(mock, 'stateless', { effort: 'medium', inference_geo: 'us' });
    expect(details.model_config).toEqual({ id: 'claude-sonnet-4-6', effort: 'medium', speed: 'standard', inference_geo: 'us' });
    const agent = [...mock.agents.values()][0]!;
    expect(agent.object.model.effort).toEqual({ type: 'medium' });
  });
});

describe('dreams', () => {
  it('an unsupported dream model stops the run before anything is written; the list names its source and date', async () => {
    await startServer();
    const runDir = join(tempDir(), 'run');
    await expect(
      run(runDir, {
        model: 'anthropic:claude-haiku-4-5',
        arms: [{ arm: 'managed-dreaming', name: 'd', options: FAST }],
        sessions: 1,
        tasks_per_session: 1,
      }),
    ).rejects.toThrow(
      new RegExp(
        `dreams do not support model "claude-haiku-4-5".*checked ${serviceFacts().dream_models.checked} against the Dreams guide, https://platform\\.claude\\.com/docs/en/managed-agents/dreams`,
      ),
    );
    expect(existsSync(join(runDir, 'manifest.json'))).toBe(false);
    // A supported dream_model makes the same run valid.
    const ok = await run(join(tempDir(), 'run'), {
      model: 'anthropic:claude-haiku-4-5',
      arms: [{ arm: 'managed-dreaming', name: 'd', options: { ...FAST, dream_model: 'claude-opus-4-7' } }],
      sessions: 1,
      tasks_per_session: 1,
    });
    expect(ok.status).toBe('completed');
  });

  it('the mock refuses an unlisted model as the service would; allow_unlisted_dream_model lets the run try (an infra event)', async () => {
    const mock = await startServer();
    const runDir = join(tempDir(), 'run');
    const outcome = await run(runDir, {
      model: 'anthropic:claude-haiku-4-5',
      arms: [{ arm: 'managed-dreaming', name: 'd', options: { ...FAST, allow_unlisted_dream_model: true } }],
      sessions: 2,
      tasks_per_session: 1,
    });
    expect(outcome.status).not.toBe('completed');
    expect(mock.requests.some((r) => r.path === '/v1/dreams' && r.status === 400)).toBe(true);
  });

  it('update_existing rewrites a copy dreambench made; late usage is recorded once settled', async () => {
    const mock = await startServer();
    const runDir = join(tempDir(), 'run');
    const outcome = await run(runDir, {
      arms: [{ arm: 'managed-dreaming', name: 'd', options: { ...FAST, dream_output: 'update_existing' } }],
      sessions: 1,
      tasks_per_session: 2,
    });
    expect(outcome.status).toBe('completed');
    const changeset = JSON.parse(readFileSync(join(runDir, 'dreams', 'd', 'r1', 'session-001.json'), 'utf8')) as Changeset;
    const step = (
      changeset.stages.dreams as Array<{
        id: string;
        input_store: string;
        output_store: string;
        usage_settled: boolean;
        usage: { input_tokens: number };
      }>
    )[0]!;
    expect(step.output_store).toBe(step.input_store);
    expect(mock.stores.get(step.input_store)!.object.metadata).toMatchObject({ dreambench_role: 'dream_input' });
    const dream = mock.dreams.get(step.id)!;
    expect(dream.object.output_behavior).toEqual({ type: 'update_existing', memory_store_id: step.input_store });
    expect(step.usage_settled).toBe(true);
    expect(step.usage.input_tokens).toBe(dream.object.usage.input_tokens); // includes the part that arrived after the end
  });

  it("a canceled dream's settled usage is billed: journaled with the failure, in the run's spend and the consolidation cost; its output store archived", async () => {
    const mock = await startServer({ hangDream: () => true });
    const runDir = join(tempDir(), 'run');
    const outcome = await run(runDir, {
      arms: [{ arm: 'managed-dreaming', name: 'd', options: { ...FAST, dream_timeout_s: 0.3 } }],
      sessions: 1,
      tasks_per_session: 1,
    });
    expect(outcome.status).toBe('failed');
    const dream = [...mock.dreams.values()][0]!;
    expect(dream.object.status).toBe('canceled');
    const failed = readFileSync(join(runDir, 'events.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; usage?: { input_tokens: number; output_tokens: number; cost_usd: number } })
      .find((e) => e.type === 'consolidation_failed')!;
    // The usage once settled: the part the mock adds after the cancel is in it.
    expect(failed.usage).toMatchObject({ input_tokens: dream.object.usage.input_tokens, output_tokens: dream.object.usage.output_tokens });
    expect(failed.usage!.input_tokens).toBeGreaterThan(0);
    expect(failed.usage!.cost_usd).toBeCloseTo(costOf('claude-sonnet-4-6', usageOfApi(dream.object.usage)), 10);
    const trialsCost = outcome.trials.reduce((sum, t) => sum + t.cost_usd, 0);
    expect(outcome.manifest.totals!.cost_usd).toBeCloseTo(trialsCost + failed.usage!.cost_usd, 10);
    expect(consolidationCosts(join(runDir, 'events.jsonl'))[0]).toMatchObject({ arm: 'd', sessions: 0, failed: 1 });
    expect(consolidationCosts(join(runDir, 'events.jsonl'))[0]!.cost_usd).toBeCloseTo(failed.usage!.cost_usd, 10);
    const output = (dream.object.outputs[0] as { memory_store_id: string }).memory_store_id;
    expect(mock.stores.get(output)!.object.archived_at).not.toBeNull();
  });

  it("a failed dream's partial output store is archived, never used", async () => {
    const mock = await startServer({ failDream: () => true });
    const client = createManagedClient({ maxRetries: 1, timeoutMs: 10_000, env: { ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: mock.url } });
    const store = await materialize(client, { 'notes.md': '# Notes\n' }, { arm: 'x', replicate: 1, session: 1, role: 'dream_input' });
    const stateless = await oneAttempt(mock, 'stateless');
    await expect(dreamChain(client, store, stateless.details.session_id, new Map())).rejects.toThrow(/failed/);
    const dream = [...mock.dreams.values()][0]!;
    // The error carries what the failed dream was billed, once its usage settled.
    const error = await dreamChain(client, store, stateless.details.session_id, undefined, 's2.json').then(
      () => undefined,
      (e: unknown) => e as ModelInfraError,
    );
    const second = [...mock.dreams.values()][1]!;
    expect(error?.spent).toMatchObject({
      input_tokens: second.object.usage.input_tokens,
      output_tokens: second.object.usage.output_tokens,
    });
    const output = (dream.object.outputs[0] as { memory_store_id: string }).memory_store_id;
    expect(mock.stores.get(output)!.object.archived_at).not.toBeNull();
    expect(mock.stores.get(store)!.object.archived_at).toBeNull();
  });

  it("a failed dream's session runtime is counted as a completed dream's is: in the error, the journal, the consolidation cost and the runtime-cost report", async () => {
    await startServer({ failDream: () => true, dreamSessionSeconds: 90 });
    const runDir = join(tempDir(), 'run');
    const outcome = await run(runDir, {
      arms: [{ arm: 'managed-dreaming', name: 'd', options: FAST }],
      sessions: 1,
      tasks_per_session: 1,
    });
    expect(outcome.status).toBe('failed');
    const failed = readFileSync(join(runDir, 'events.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; usage?: { cost_usd: number; runtime_cost_usd?: number } })
      .find((e) => e.type === 'consolidation_failed')!;
    // 90 s of the dream's own session at the documented rate, apart from its tokens' cost.
    expect(failed.usage!.runtime_cost_usd).toBeCloseTo(runtimeCostOf(90), 12);
    expect(failed.usage!.cost_usd).toBeGreaterThan(0);
    const consolidation = consolidationCosts(join(runDir, 'events.jsonl'));
    expect(consolidation[0]!.failed_runtime_cost_usd).toBeCloseTo(runtimeCostOf(90), 12);
    const [row] = runtimeCosts(outcome.trials, ['d'], [], consolidation);
    expect(row!.dream_runtime_cost_usd).toBeCloseTo(runtimeCostOf(90), 12);
    expect(row!.failed_dream_runtime_cost_usd).toBeCloseTo(runtimeCostOf(90), 12);
  });

  it('a dream an earlier, killed try started that then failed: its runtime and tokens count with the chain that completes after it', async () => {
    const mock = await startServer({ failDream: (i) => i === 0, dreamSessionSeconds: 60 });
    const client = createManagedClient({ maxRetries: 1, timeoutMs: 10_000, env: { ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: mock.url } });
    const store = await materialize(client, { 'notes.md': '# Notes\n' }, { arm: 'x', replicate: 1, session: 1, role: 'dream_input' });
    const stateless = await oneAttempt(mock, 'stateless');
    // The killed try had started dream 0 and kept its id; the resumed try follows it.
    const started = await client.sdk.beta.dreams.create({
      inputs: [
        { type: 'memory_store', memory_store_id: store },
        { type: 'sessions', session_ids: [stateless.details.session_id] },
      ],
      model: 'claude-sonnet-4-6',
      output_behavior: { type: 'create_new' },
      betas: DREAM_BETAS,
    });
    const empty = { input_tokens: 0, output_tokens: 0, cache_read_tokens: 0, cache_write_tokens: 0 };
    const state = new Map<string, unknown>([
      [
        's.json',
        {
          format: 'dreambench.managed-dream/v1',
          steps: [{ id: started.id, status: 'pending', input_store: store, output_store: null, sessions: 1, usage: empty }],
        } satisfies DreamChainState,
      ],
    ]);
    const chain = await dreamChain(client, store, stateless.details.session_id, state);
    expect(chain.failed.map((s) => [s.id, s.status])).toEqual([[started.id, 'failed']]);
    expect(chain.failed[0]!.runtime_cost_usd).toBeCloseTo(runtimeCostOf(60), 12);
    expect(chain.steps[0]!.runtime_cost_usd).toBeCloseTo(runtimeCostOf(60), 12);
    expect(chain.runtime_cost_usd).toBeCloseTo(2 * runtimeCostOf(60), 12);
    const failedDream = mock.dreams.get(started.id)!.object;
    expect(chain.usage.input_tokens).toBe(failedDream.usage.input_tokens + chain.steps[0]!.usage.input_tokens);
    // The changeset keeps the failed dream apart; the runtime-cost report counts its runtime with the completed one's.
    const changeset = vendorChangeset({
      arm: 'x',
      replicate: 1,
      session: 1,
      before: {},
      after: { 'notes.md': '# Notes\n' },
      evidence: [],
      steps: chain.steps,
      failed: chain.failed,
      model: 'claude-sonnet-4-6',
      review: { mode: 'auto' },
      usage: { ...chain.usage, cost_usd: 0, calls: 2, wall_ms: 0 },
      sessions: [1],
    });
    expect((changeset.stages.failed_dreams as Array<{ id: string; runtime_cost_usd: number }>)[0]).toMatchObject({
      id: started.id,
      status: 'failed',
    });
    const trial = {
      arm: 'x',
      cost_usd: 0,
      runtime_cost_usd: 0.001,
      runtime_cost_source: 'active_seconds x documented rate',
    } as TrialRecord;
    const [row] = runtimeCosts([trial], ['x'], [{ arm: 'x', replicate: 1, session: 1, changeset }]);
    expect(row!.dream_runtime_cost_usd).toBeCloseTo(2 * runtimeCostOf(60), 12);
    expect(row!.failed_dream_runtime_cost_usd).toBeCloseTo(runtimeCostOf(60), 12);
    expect([row!.dreams, row!.dreams_runtime_reported]).toEqual([1, 1]);
  });
});
