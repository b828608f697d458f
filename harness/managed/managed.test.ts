// The managed runtime and the managed-* arms, offline: whole experiments through the real
// @anthropic-ai/sdk against the mock Managed Agents server (harness/testing/mock-managed-server.ts),
// whose agent and dreams are backed by the sim.

import { mkdtempSync, readFileSync, readdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { executeRun } from '../runner/runner.js';
import { smallExperiment, tempDir } from '../testing/run-helpers.js';
import { BETA, MockManagedServer, type MockManagedOptions } from '../testing/mock-managed-server.js';
import { SimModel } from '../models/sim/sim-model.js';
import { loadSuites } from '../registry/suites.js';
import type { ModelClient } from '../core/messages.js';
import type { Suite } from '../core/suite.js';
import type { Transcript } from '../agent/transcript.js';
import type { TrialRecord } from '../core/records.js';
import type { Changeset } from '../dreaming/changeset.js';
import { RunDir } from '../storage/run-dir.js';
import { diffMemory } from '../dreaming/memory-view.js';
import { findPending, saveTarget } from '../dreaming/review-targets.js';
import { decideAll } from '../dreaming/review.js';
import type { ExperimentInput } from '../config/schema.js';
import type { ManagedDetails } from './runtime.js';
import { ManagedRuntime } from './runtime.js';
import { parseManagedOptions } from './options.js';
import { exportStore, filesHash, foldWrites, materialize, mergeText } from './stores.js';
import { createManagedClient } from './client.js';
import { runDreams, type DreamChainState } from './dreams.js';
import { sourcePath } from '../core/paths.js';
import { readExperimentFile, validateExperiment } from '../config/load.js';
import { resolveArms } from '../config/schema.js';
import { armNames, createArm, loadArmFactory } from '../registry/arms.js';
import { readTranscript } from '../storage/transcripts.js';

const KEY = 'sk-ant-test-managed-0123456789-do-not-leak';
const MODEL = 'anthropic:claude-sonnet-4-6';
/** Fast polling for tests (the defaults are seconds). */
const FAST = { poll_initial_ms: 10, poll_max_ms: 100, quiet_ms: 300, files_settle_ms: 20, settle_timeout_ms: 2000, usage_quiet_ms: 50 };

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
  restoreEnv();
});

function restoreEnv(): void {
  if (savedEnv.key === undefined) delete process.env.ANTHROPIC_API_KEY;
  else process.env.ANTHROPIC_API_KEY = savedEnv.key;
  if (savedEnv.url === undefined) delete process.env.ANTHROPIC_BASE_URL;
  else process.env.ANTHROPIC_BASE_URL = savedEnv.url;
}

async function startServer(options: Partial<MockManagedOptions> = {}): Promise<MockManagedServer> {
  server = new MockManagedServer({ suite: 'legal-drafting', model: sim, apiKey: KEY, ...options });
  await server.start();
  process.env.ANTHROPIC_API_KEY = KEY;
  process.env.ANTHROPIC_BASE_URL = server.url;
  return server;
}

/** The managed arms never call the Messages API: the run's model only names the agent's model. */
const noMessages = (spec: string): ModelClient => ({ id: spec, create: () => Promise.reject(new Error('no Messages API call expected')) });

function run(runDir: string, overrides: Partial<ExperimentInput>, resume = false) {
  return resume
    ? executeRun({ runDir, resume: true, modelFactory: noMessages })
    : executeRun({
        runDir,
        experiment: smallExperiment({ model: MODEL, replicates: 1, concurrency: 4, ...overrides }),
        modelFactory: noMessages,
      });
}

function transcriptOf(runDir: string, record: TrialRecord): Transcript {
  return readTranscript(runDir, record.transcript);
}

function detailsOf(runDir: string, record: TrialRecord): ManagedDetails {
  return transcriptOf(runDir, record).runtime as unknown as ManagedDetails;
}

function events(runDir: string): Array<Record<string, unknown>> {
  return readFileSync(join(runDir, 'events.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

function allText(dir: string): string {
  let out = '';
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    out += entry.isDirectory() ? allText(path) : readFileSync(path, 'utf8');
  }
  return out;
}

describe('managed arms, end to end against the mock Managed Agents server', () => {
  it('runs the five managed arms over HTTP through the real SDK: sessions, custom tools, stores, dreams, outcomes, threads, usage', async () => {
    const mock = await startServer({ rateLimitFirst: [/^\/v1\/sessions$/], eventsPageMax: 7 });
    const runDir = join(tempDir(), 'run');
    const arms = ['managed-stateless', 'managed-memory', 'managed-dreaming', 'managed-outcomes', 'managed-multiagent'].map((arm) => ({
      arm,
      name: arm,
      options: FAST,
    }));
    const outcome = await run(runDir, { arms, sessions: 2, tasks_per_session: 3 });
    expect(outcome.status).toBe('completed');
    expect(outcome.trials).toHaveLength(5 * 2 * 3);
    expect(outcome.trials.filter((t) => t.error_class === 'infra')).toEqual([]);
    expect(outcome.manifest.simulated).toBe(false);

    // Every trial was one session (plus a debrief on it): usage and cost are the API's own.
    for (const record of outcome.trials) {
      const details = detailsOf(runDir, record);
      expect(details.runtime).toBe('managed');
      const session = mock.sessions.get(details.session_id);
      expect(session, record.task).toBeDefined();
      expect(record.input_tokens).toBe(details.vendor_usage.input_tokens);
      expect(record.output_tokens).toBe(details.vendor_usage.output_tokens);
      expect(record.input_tokens).toBeGreaterThan(0);
      // Cost in two parts, each with its source: tokens priced as for the open arms (the trial's cost), runtime apart.
      expect(details.token_cost_source).toBe('pricing.json');
      expect(record.cost_usd).toBeCloseTo(details.token_cost_usd, 10);
      expect(details.runtime_cost_source).toBe('active_seconds x documented rate');
      expect(details.runtime_cost_usd!).toBeGreaterThan(0);
      expect(record.runtime_cost_usd).toBeCloseTo(details.runtime_cost_usd!, 10);
      expect(details.list_cost_usd!).toBeCloseTo(details.token_cost_usd + details.runtime_cost_usd!, 6);
      expect(details.usage_settled).toBe(true);
      expect(record.tool_calls).toBeGreaterThan(0);
      const transcript = transcriptOf(runDir, record);
      expect(transcript.turns.length).toBeGreaterThan(0);
      expect(JSON.stringify(transcript.messages)).toContain('"tool_result"');
    }
    // One session per trial: the 429 on the first POST /v1/sessions was retried by the SDK, not duplicated.
    const creates = mock.requests.filter((r) => r.method === 'POST' && r.path === '/v1/sessions');
    expect(creates[0]!.status).toBe(429);
    expect(creates.filter((r) => r.status === 200)).toHaveLength(outcome.trials.length);
    expect(mock.sessions.size).toBe(outcome.trials.length);

    // Beta headers on every family of endpoints: the SDK's own, plus managed-agents on dreams and session files (as the docs send).
    const betasOf = (path: string): string[] =>
      path.startsWith('/v1/memory_stores')
        ? [BETA.agentMemory]
        : path.startsWith('/v1/dreams')
          ? [BETA.dreaming, BETA.managedAgents]
          : [BETA.managedAgents];
    for (const request of mock.requests)
      for (const beta of betasOf(request.path)) expect(request.headers['anthropic-beta'] ?? '', request.path).toContain(beta);
    expect(mock.requests.some((r) => (r.headers['anthropic-beta'] ?? '').includes(BETA.files))).toBe(false);
    expect(mock.requests.some((r) => /\/events$/.test(r.path) && r.method === 'GET' && r.query.get('page'))).toBe(true);
    expect(mock.requests.every((r) => r.headers.authorization === `Bearer ${KEY}`)).toBe(true);

    const dir = new RunDir(runDir);
    // managed-memory: what the agents wrote is the next session's store.
    const learned = dir.readSnapshot('managed-memory', 1, 1);
    expect(Object.keys(learned)).toContain('lessons.md');
    expect(learned['lessons.md']).toMatch(/^- Set render_docx\./m);
    for (const record of outcome.trials.filter((t) => t.arm === 'managed-memory' && t.session === 2)) {
      const details = detailsOf(runDir, record);
      expect(details.memory_store?.access).toBe('read_write');
      expect(details.memory_store?.hash).toBe(filesHash(learned));
      expect(mock.stores.get(details.memory_store!.id)!.object.metadata).toMatchObject({
        dreambench_hash: filesHash(learned),
        dreambench_role: 'trial',
      });
    }

    // managed-dreaming: each session's dream, its changeset, and its output store as the next memory.
    for (const session of [1, 2]) {
      const changeset = JSON.parse(
        readFileSync(join(runDir, 'dreams', 'managed-dreaming', 'r1', `session-00${session}.json`), 'utf8'),
      ) as Changeset;
      expect(changeset.status).toBe('applied');
      const steps = changeset.stages.dreams as Array<{ id: string; output_store: string }>;
      expect(steps).toHaveLength(1);
      const dream = mock.dreams.get(steps[0]!.id)!;
      expect(dream.object.status).toBe('completed');
      const sessionIds = (dream.object.inputs as Array<{ type: string; session_ids?: string[] }>).find((i) => i.type === 'sessions')!
        .session_ids!;
      const expected = outcome.trials
        .filter((t) => t.arm === 'managed-dreaming' && t.session === session)
        .map((t) => detailsOf(runDir, t).session_id);
      expect([...sessionIds].sort()).toEqual([...expected].sort());
      expect(dir.readSnapshot('managed-dreaming', 1, session)).toEqual(mock.storeFiles(steps[0]!.output_store));
      // Every dream's output store is also kept as plain text next to its changeset.
      const exported = join(runDir, 'dreams', 'managed-dreaming', 'r1', 'outputs', `session-00${session}`);
      for (const [file, text] of Object.entries(mock.storeFiles(steps[0]!.output_store)))
        expect(readFileSync(join(exported, file), 'utf8')).toBe(text);
      expect(changeset.usage.input_tokens).toBeGreaterThan(0);
    }
    expect(
      events(runDir).some(
        (e) => e.type === 'session_consolidated' && e.arm === 'managed-dreaming' && (e.usage as { calls: number }).calls === 1,
      ),
    ).toBe(true);

    // managed-outcomes: the task was a user-defined outcome with the task's rubric; the vendor grader's verdicts are recorded.
    for (const record of outcome.trials.filter((t) => t.arm === 'managed-outcomes')) {
      const details = detailsOf(runDir, record);
      const defined = mock.sessions.get(details.session_id)!.events.find((e) => e.type === 'user.define_outcome')!;
      const task = suites.get('legal-drafting')!.tasks.find((t) => t.id === record.task)!;
      expect(((defined.rubric as { content: string }).content.match(/^- /gm) ?? []).length).toBe(task.rubric.length);
      expect(details.outcome_evaluations!.length).toBeGreaterThan(0);
      expect(record.grader?.rounds).toEqual([expect.objectContaining({ attempt: 1, revision: 0 })]);
      expect(record.grader?.success).toBe(details.outcome_evaluations!.at(-1)!.result === 'satisfied');
    }
    // managed-multiagent: a subagent thread did the work; its custom tool calls came cross-posted.
    for (const record of outcome.trials.filter((t) => t.arm === 'managed-multiagent')) {
      const details = detailsOf(runDir, record);
      expect(details.threads!.length).toBeGreaterThanOrEqual(2);
      expect(details.threads!.some((t) => (t.usage?.input_tokens ?? 0) > 0 && t.parent !== null && (t.turns ?? 0) > 0)).toBe(true);
      expect(record.turns).toBe(transcriptOf(runDir, record).turns.length);
      expect(record.turns).toBeGreaterThan(1);
      const uses = mock.sessions.get(details.session_id)!.events.filter((e) => e.type === 'agent.custom_tool_use');
      expect(uses.length).toBeGreaterThan(0);
      expect(uses.every((e) => typeof e.session_thread_id === 'string')).toBe(true);
    }
    // The stateless control never had a store.
    expect(outcome.trials.filter((t) => t.arm === 'managed-stateless').every((t) => detailsOf(runDir, t).memory_store === undefined)).toBe(
      true,
    );

    expect(allText(runDir)).not.toContain(KEY);
  });

  it('survives dropped event streams (reconnect + history reconcile) and reads events by polling too', async () => {
    const mock = await startServer({ dropStreamAfter: 4, eventsPageMax: 5 });
    const runDir = join(tempDir(), 'run');
    const outcome = await run(runDir, {
      arms: [
        { arm: 'managed-memory', name: 'managed-memory', options: FAST },
        { arm: 'managed-stateless', name: 'managed-poll', options: { ...FAST, events: 'poll' } },
      ],
      sessions: 1,
      tasks_per_session: 3,
    });
    expect(outcome.status).toBe('completed');
    expect(outcome.trials.every((t) => t.error_class !== 'infra')).toBe(true);
    const streamed = outcome.trials.filter((t) => t.arm === 'managed-memory').map((t) => detailsOf(runDir, t));
    expect(streamed.every((d) => d.reconnects > 0)).toBe(true);
    // Each custom tool use got exactly one result, though many events arrived twice (stream and history).
    for (const details of streamed) {
      const session = mock.sessions.get(details.session_id)!;
      const uses = session.events.filter((e) => e.type === 'agent.custom_tool_use').map((e) => e.id);
      const results = session.events.filter((e) => e.type === 'user.custom_tool_result').map((e) => e.custom_tool_use_id);
      expect([...results].sort()).toEqual([...uses].sort());
    }
    const polled = outcome.trials.filter((t) => t.arm === 'managed-poll');
    expect(polled).toHaveLength(3);
    expect(mock.requests.filter((r) => r.path.endsWith('/events/stream'))).not.toHaveLength(0);
  });

  it("without span events, turns are the agent's messages and usage is the session's", async () => {
    const mock = await startServer({ spans: false });
    const runDir = join(tempDir(), 'run');
    const outcome = await run(runDir, {
      arms: [{ arm: 'managed-stateless', name: 's', options: FAST }],
      sessions: 1,
      tasks_per_session: 2,
      budgets: { max_turns: 3, max_output_tokens: 4096 },
    });
    expect(outcome.status).toBe('completed');
    for (const record of outcome.trials) {
      const details = detailsOf(runDir, record);
      expect(mock.sessions.get(details.session_id)!.events.some((e) => e.type.startsWith('span.'))).toBe(false);
      expect(record.turns).toBeGreaterThan(0);
      expect(record.turns).toBeLessThanOrEqual(4);
      expect(record.input_tokens).toBe(details.vendor_usage.input_tokens);
      expect(record.input_tokens).toBeGreaterThan(0);
    }
    expect(outcome.trials.some((t) => t.error === 'stopped: max turns')).toBe(true);
  });

  it('a dream that fails is an infra event: the session boundary is blocked, recorded, and dreamt again on resume', async () => {
    let failing = true;
    const mock = await startServer({ failDream: () => failing });
    const runDir = join(tempDir(), 'run');
    const experiment = { arms: [{ arm: 'managed-dreaming', name: 'managed-dreaming', options: FAST }], sessions: 2, tasks_per_session: 2 };
    const first = await run(runDir, experiment);
    expect(first.status).toBe('failed');
    expect(first.message).toMatch(/consolidation\(s\) failed for infrastructure reasons/);
    const failed = events(runDir).find((e) => e.type === 'consolidation_failed')!;
    expect(failed).toMatchObject({ arm: 'managed-dreaming', session: 1, error_class: 'infra' });
    expect(String(failed.error)).toMatch(/dream drm_\w+ failed \(internal_error/);
    expect(new RunDir(runDir).hasSnapshot('managed-dreaming', 1, 1)).toBe(false);
    expect(first.trials).toHaveLength(2);

    failing = false;
    const second = await run(runDir, experiment, true);
    expect(second.status).toBe('completed');
    expect(second.trials).toHaveLength(4); // the session-1 trials were not re-run
    const state = JSON.parse(
      readFileSync(join(runDir, 'dreams', 'managed-dreaming', 'r1', 'managed-dream-001.json'), 'utf8'),
    ) as DreamChainState;
    expect(state.steps).toHaveLength(1);
    expect(state.steps[0]!.status).toBe('completed');
    expect(mock.dreams.size).toBe(3); // failed, then one per session
  });

  it('a dream still running at its timeout is canceled: an infra event', async () => {
    const mock = await startServer({ hangDream: () => true });
    const runDir = join(tempDir(), 'run');
    const outcome = await run(runDir, {
      arms: [{ arm: 'managed-dreaming', name: 'managed-dreaming', options: { ...FAST, dream_timeout_s: 0.3 } }],
      sessions: 1,
      tasks_per_session: 2,
    });
    expect(outcome.status).toBe('failed');
    const failed = events(runDir).find((e) => e.type === 'consolidation_failed')!;
    expect(String(failed.error)).toMatch(/canceled/);
    expect([...mock.dreams.values()].map((d) => d.object.status)).toEqual(['canceled']);
  });

  it('review: human: the output store waits for approval, `memory diff` shows it, the run continues after review', async () => {
    await startServer();
    const runDir = join(tempDir(), 'run');
    const experiment = {
      arms: [{ arm: 'managed-dreaming', name: 'managed-dreaming', options: { ...FAST, review: 'human' } }],
      sessions: 2,
      tasks_per_session: 3,
    };
    const first = await run(runDir, experiment);
    expect(first.status).toBe('awaiting_review');
    const path = join(runDir, 'dreams', 'managed-dreaming', 'r1', 'session-001.json');
    const pending = JSON.parse(readFileSync(path, 'utf8')) as Changeset;
    expect(pending.status).toBe('pending');
    expect(pending.changes.length).toBeGreaterThan(0);
    expect(pending.proposed).toBeDefined();

    const diff = diffMemory(runDir, 'managed-dreaming', 1, 0, 1);
    expect(diff).toContain('session-001 (pending review)');
    expect(diff).toMatch(/^\+- Set render_docx\./m);

    const set = findPending(runDir);
    expect(set.targets).toHaveLength(1);
    decideAll(set.targets[0]!.changeset, 'approve', 'human');
    saveTarget(set, set.targets[0]!);
    const second = await run(runDir, experiment, true);
    expect(second.status).toBe('awaiting_review'); // session 2's dream now waits
    expect(new RunDir(runDir).readSnapshot('managed-dreaming', 1, 1)).toEqual(pending.proposed);
    const applied = JSON.parse(readFileSync(path, 'utf8')) as Changeset;
    expect(applied.status).toBe('applied');

    const again = findPending(runDir);
    expect(again.targets.map((t) => t.changeset.session)).toEqual([2]);
    decideAll(again.targets[0]!.changeset, 'reject', 'human');
    saveTarget(again, again.targets[0]!);
    const third = await run(runDir, experiment, true);
    expect(third.status).toBe('completed');
    // Rejected: the memory stays what the trials wrote, without the dream's reorganisation.
    const rejected = JSON.parse(readFileSync(join(runDir, 'dreams', 'managed-dreaming', 'r1', 'session-002.json'), 'utf8')) as Changeset;
    expect(rejected.changes.every((c) => c.status === 'rejected')).toBe(true);
    expect(new RunDir(runDir).readSnapshot('managed-dreaming', 1, 2)).not.toEqual(rejected.proposed);
  });

  it('a session whose model is overloaded ends the trial as infra; resume re-runs it', async () => {
    await startServer({ overloadSession: (index) => index === 0 });
    const runDir = join(tempDir(), 'run');
    const experiment = {
      arms: [{ arm: 'managed-stateless', name: 'managed-stateless', options: FAST }],
      sessions: 1,
      tasks_per_session: 2,
      concurrency: 1,
    };
    const first = await run(runDir, experiment);
    expect(first.status).toBe('failed');
    const infra = first.trials.filter((t) => t.error_class === 'infra');
    expect(infra).toHaveLength(1);
    expect(infra[0]!.error).toMatch(/model_overloaded_error/);
    const second = await run(runDir, experiment, true);
    expect(second.status).toBe('completed');
    expect(second.trials.filter((t) => t.error_class !== 'infra')).toHaveLength(2);
  });

  it("budgets: max_turns and the token budget interrupt the session; the cost budget is the session's own", async () => {
    const mock = await startServer();
    const budgetRun = async (budgets: Record<string, number>) => {
      const runDir = join(tempDir(), 'run');
      const outcome = await run(runDir, {
        arms: [{ arm: 'managed-stateless', name: 'b', options: FAST }],
        sessions: 1,
        tasks_per_session: 2,
        budgets: { max_turns: 20, max_output_tokens: 4096, ...budgets },
      });
      expect(outcome.status).toBe('completed');
      return outcome.trials.map((t) => ({
        record: t,
        details: detailsOf(runDir, t),
        session: mock.sessions.get(detailsOf(runDir, t).session_id)!,
      }));
    };
    for (const { record, session } of await budgetRun({ max_turns: 2 })) {
      expect([record.error_class, record.error, record.turns]).toEqual(['budget', 'stopped: max turns', 2]);
      expect(session.events.some((e) => e.type === 'user.interrupt')).toBe(true);
    }
    for (const { record, session } of await budgetRun({ max_tokens_per_trial: 500 })) {
      expect([record.error_class, record.error]).toEqual(['budget', 'stopped: token budget']);
      expect(session.events.some((e) => e.type === 'user.interrupt')).toBe(true);
    }
    // Half a cent of token cost, enforced by the harness as for the open arms; the session's own list-cost
    // budget is only a backstop with a whole session's runtime on top (0.5 + 4 cents for 1800 s at $0.08/h).
    for (const { record, details, session } of await budgetRun({ max_cost_per_trial: 0.005 })) {
      expect(session.object().budget).toEqual({ type: 'limit', max_list_cost: { amount: '5', currency: 'USD' } });
      expect([record.error_class, record.error, details.stop_detail]).toEqual([
        'budget',
        'stopped: cost budget',
        'interrupted (cost_budget)',
      ]);
      expect(details.token_cost_usd).toBeGreaterThanOrEqual(0.005);
    }
  });

  it('every: 2 dreams once over both sessions; a resumed dream chain follows the dream it started', async () => {
    const mock = await startServer();
    const runDir = join(tempDir(), 'run');
    const outcome = await run(runDir, {
      arms: [{ arm: 'managed-dreaming', name: 'managed-dreaming', options: { ...FAST, every: 2 } }],
      sessions: 2,
      tasks_per_session: 2,
    });
    expect(outcome.status).toBe('completed');
    expect(mock.dreams.size).toBe(1);
    const dream = [...mock.dreams.values()][0]!;
    const sessionIds = (dream.object.inputs as Array<{ type: string; session_ids?: string[] }>).find((i) => i.type === 'sessions')!
      .session_ids!;
    expect(sessionIds).toHaveLength(4);
    expect(existsSync(join(runDir, 'dreams', 'managed-dreaming', 'r1', 'session-001.json'))).toBe(false);
    expect(events(runDir).find((e) => e.type === 'session_consolidated' && e.session === 1)!.details).toMatchObject({
      dream: 'not scheduled',
      next_dream_session: 2,
    });

    // A crash after the dream was created: the state file names it; the chain follows it instead of dreaming again.
    const client = createManagedClient({ maxRetries: 1, timeoutMs: 10_000, env: { ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: mock.url } });
    const store = await materialize(client, { 'notes.md': '# Notes\n' }, { arm: 'x', replicate: 1, session: 1, role: 'dream_input' });
    const started = await client.sdk.beta.dreams.create({
      inputs: [
        { type: 'memory_store', memory_store_id: store },
        { type: 'sessions', session_ids: sessionIds },
      ],
      model: 'claude-sonnet-4-6',
      betas: [BETA.managedAgents],
    });
    const artifacts = new Map<string, string>();
    const store2 = {
      read: <T>(n: string) => (artifacts.has(n) ? (JSON.parse(artifacts.get(n)!) as T) : undefined),
      write: (n: string, d: unknown) => void artifacts.set(n, JSON.stringify(d)),
      path: (n: string) => n,
    };
    store2.write('state.json', {
      format: 'dreambench.managed-dream/v1',
      steps: [
        {
          id: started.id,
          status: 'pending',
          input_store: store,
          output_store: null,
          sessions: 4,
          usage: { input_tokens: 0, output_tokens: 0, cache_read_tokens: 0, cache_write_tokens: 0 },
        },
      ],
    });
    const before = mock.dreams.size;
    const chain = await runDreams(client, {
      inputStoreId: store,
      sessionIds,
      model: 'claude-sonnet-4-6',
      timeoutMs: 5000,
      poll: { initial_ms: 10, max_ms: 50, factor: 1.5 },
      usageQuietMs: 50,
      artifacts: store2,
      stateName: 'state.json',
    });
    expect(mock.dreams.size).toBe(before);
    expect(chain.steps.map((s) => s.id)).toEqual([started.id]);
    expect(chain.outputStoreId).toBe((mock.dreams.get(started.id)!.object.outputs[0] as { memory_store_id: string }).memory_store_id);
  });

  it('fails before any work without an API key, and names bad options', async () => {
    delete process.env.ANTHROPIC_API_KEY;
    const runDir = join(tempDir(), 'run');
    await expect(run(runDir, { arms: ['managed-memory'], sessions: 1, tasks_per_session: 1 })).rejects.toThrow(
      /ANTHROPIC_API_KEY is not set: the managed-\* arms run on Claude Managed Agents/,
    );
    expect(existsSync(join(runDir, 'manifest.json'))).toBe(false);
    process.env.ANTHROPIC_API_KEY = KEY;
    await expect(
      run(runDir, { arms: [{ arm: 'managed-memory', name: 'm', options: { memory: 'none' } }], sessions: 1, tasks_per_session: 1 }),
    ).rejects.toThrow(/arm "m": options.memory: this arm measures a memory store/);
    await expect(
      run(runDir, { arms: [{ arm: 'managed-stateless', name: 's', options: { dream_model: 'x' } }], sessions: 1, tasks_per_session: 1 }),
    ).rejects.toThrow(/arm "s": options.dream_model: unknown option; expected one of model, base_url/);
    expect(() => parseManagedOptions('memory', 'managed-memory', { toolset: 'none' })).toThrow(/needs the files toolset/);
    expect(() => parseManagedOptions('dreaming', 'managed-dreaming', { review: 'nope.yaml' })).toThrow(
      /arm managed-dreaming: option "review": expected auto, human or a policy file/,
    );
  });

  it('named specialists become agents of the multiagent roster; a sim run model is refused with a clear message', async () => {
    const mock = await startServer();
    const runDir = join(tempDir(), 'run');
    const outcome = await run(runDir, {
      arms: [
        {
          arm: 'managed-multiagent',
          name: 'team',
          options: { ...FAST, subagents: [{ name: 'drafter', description: 'drafts and renders' }], inline_agents: false },
        },
      ],
      sessions: 1,
      tasks_per_session: 1,
    });
    expect(outcome.status).toBe('completed');
    const agents = [...mock.agents.values()];
    const drafter = agents.find((a) => a.object.name === 'drafter')!;
    const lead = agents.find((a) => a.multiagent !== null)!;
    expect(lead.multiagent!.subagents).toEqual({
      type: 'enabled',
      inline_agents: { type: 'disabled' },
      predefined_agents: [{ id: drafter.object.id, type: 'agent', version: 1 }],
    });
    expect(lead.multiagent!.workflows).toEqual({ type: 'disabled' });
    const details = detailsOf(runDir, outcome.trials[0]!);
    expect(details.threads!.find((t) => t.parent !== null)!.agent_name).toBe('drafter');

    await expect(
      executeRun({
        runDir: join(tempDir(), 'run'),
        experiment: smallExperiment({ arms: ['managed-stateless'], sessions: 1, tasks_per_session: 1, replicates: 1 }),
      }),
    ).rejects.toThrow(/a managed agent runs on an Anthropic model: set the experiment's model to anthropic:<model-id>/);
  });

  it('examples/managed.yaml is a valid experiment whose managed arms build', async () => {
    process.env.ANTHROPIC_API_KEY = KEY;
    const file = sourcePath('examples', 'managed.yaml');
    const experiment = validateExperiment(file, readExperimentFile(file), {}, { suites: ['legal-drafting'], arms: armNames() });
    expect(experiment.model).toMatch(/^anthropic:/);
    for (const spec of resolveArms(experiment.arms))
      expect((await createArm(await loadArmFactory(spec.arm), spec.options)).name).toBe(spec.arm);
  });
});

describe('the managed runtime on its own', () => {
  it('runs one attempt in a real workspace, downloads the files the session produced, continues the session for a debrief', async () => {
    const mock = await startServer({ filesOnIdle: () => [{ filename: 'report.txt', content: 'made in the container' }] });
    const config = parseManagedOptions('memory', 'managed-memory', FAST);
    const runtime = new ManagedRuntime(config, { ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: mock.url });
    const suite = suites.get('legal-drafting')!;
    const task = suite.tasks[0]!;
    const workdir = mkdtempSync(join(tmpdir(), 'managed-runtime-'));
    const environment = await suite.createEnvironment(task, { workdir, session: 1, drifted: new Set() });
    const memoryFiles = { 'lessons.md': '# Lessons\n\n- Set render_docx.heading_style="LegalHeading1".\n' };
    const base = {
      model: { id: MODEL, create: () => Promise.reject(new Error('unused')) },
      task,
      systemPrompt: suite.systemPrompt,
      memory: '',
      environment,
      budgets: { max_turns: 30, max_output_tokens: 4096 },
      seedKey: 'k',
      context: { arm: 'managed-memory', replicate: 1, session: 1, model: sim, seedKey: 'k', options: {} },
      trialId: 'managed-memory/r1/s001/000-x',
      attempt: 1,
      workdir,
      memoryFiles,
    };
    const first = await runtime.run({ ...base, revision: 0 });
    expect(first.stop).toBe('submitted');
    const details = first.runtime as unknown as ManagedDetails;
    expect(readFileSync(join(workdir, 'report.txt'), 'utf8')).toBe('made in the container');
    expect(details.session_files).toEqual([expect.objectContaining({ filename: 'report.txt', path: 'report.txt' })]);
    // The store was a copy of the session's memory, read by the agent with the built-in tools.
    const session = mock.sessions.get(details.session_id)!;
    expect(session.events.some((e) => e.type === 'agent.tool_use' && e.name === 'read')).toBe(true);
    expect(JSON.stringify(first.messages)).toContain('"name":"read"');

    const debrief = await runtime.run({
      ...base,
      revision: 1,
      previous: first,
      resume: {
        system: first.system,
        messages: first.messages,
        userMessage: 'A reviewer wrote: set render_docx.closing="Very truly yours,".',
      },
    });
    const again = debrief.runtime as unknown as ManagedDetails;
    expect(again.session_id).toBe(details.session_id);
    expect(again.runs).toBe(2);
    expect(debrief.tool_calls).toBe(0); // the suite's tools are closed in a debrief
    expect(debrief.usage.input_tokens).toBe(again.vendor_usage.input_tokens - details.vendor_usage.input_tokens);
    expect(again.memory_writes?.['lessons.md']).toContain('render_docx.closing="Very truly yours,"');
    expect(again.session_files).toHaveLength(1); // not downloaded twice
  });

  it('memory stores round-trip through the API, across pages; trial writes fold in schedule order', async () => {
    const mock = await startServer();
    const client = createManagedClient({ maxRetries: 2, timeoutMs: 10_000, env: { ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: mock.url } });
    const files: Record<string, string> = {};
    for (let i = 0; i < 45; i++) files[`playbooks/family-${String(i).padStart(2, '0')}.md`] = `# Family ${i}\n\n- lesson ${i}\n`;
    files['notes.md'] = '# Notes\n';
    const id = await materialize(client, files, { arm: 'a', replicate: 1, session: 0, role: 'session' });
    expect(await exportStore(client, id)).toEqual(
      Object.fromEntries(
        Object.keys(files)
          .sort()
          .map((k) => [k, files[k]!]),
      ),
    );
    const lists = mock.requests.filter((r) => r.path.endsWith('/memories') && r.method === 'GET');
    expect(lists.length).toBe(3); // 20 + 20 + 6 with view=full
    expect(lists.every((r) => r.query.get('view') === 'full')).toBe(true);

    const base = { 'notes.md': '# Notes\n\n- a\n', 'old.md': 'x\n' };
    const folded = foldWrites(base, [
      { 'notes.md': '# Notes\n\n- a\n- b\n', 'new.md': '# New\n- n1\n' },
      { 'notes.md': '# Notes\n\n- a\n- c\n', 'new.md': '# New\n- n2\n', 'old.md': null },
      {},
    ]);
    expect(folded['notes.md']).toContain('- b');
    expect(folded['notes.md']).toContain('- c');
    expect(folded['new.md']).toBe('# New\n- n1\n- n2\n');
    expect(folded['old.md']).toBeUndefined();
    expect(mergeText('x\n', 'x\n- same\n', 'x\n- same\n')).toBe('x\n- same\n');
  });
});
