// `dreambench managed check`: before the first real run, exercise once each Managed Agents endpoint
// the chosen managed arms need, at minimal cost, and say what works, what the account lacks (beta
// access, models) and what the check spent. Every resource it creates is archived at the end.
//
//   environment   create, archive                        (every managed arm)
//   agent         create (the arms' model settings), archive; with multiagent if an arm needs it
//   memory store  create, write one memory, list, archive (arms with a memory store)
//   session       create, a one-turn "reply OK" exchange, usage and cost once settled, the
//                 session-files list, archive
//   dream         (--dream) a dream over that store and session with the dream model, polled to its
//                 end; its output store archived
//
// The check classifies each failure: no access (401/403: the key, or the beta for this family), not
// available (404: the endpoint), a model the account or feature lacks (400 naming the model), or
// another error; a family failing makes the steps that need it "skipped".

import { ModelInfraError } from '../core/messages.js';
import { APIError } from '@anthropic-ai/sdk';
import type { Environment } from '../core/suite.js';
import { createManagedClient, SESSION_FILES_BETAS } from './client.js';
import { runDreams } from './dreams.js';
import { multiagentParams } from './definitions.js';
import type { ManagedConfig } from './options.js';
import { unsupportedDreamModel } from './service-facts.js';
import { runSession } from './session.js';
import { materialize, archiveStore, exportStore } from './stores.js';
import { settledSession, splitCost, totalsOf } from './usage.js';

export type CheckStatus = 'ok' | 'failed' | 'skipped';

export interface CheckStep {
  step: string;
  status: CheckStatus;
  detail: string;
  /** What a failure means for the account: no_access, not_available, model, error. */
  lacks?: 'no_access' | 'not_available' | 'model' | 'error';
}

export interface CheckReport {
  steps: CheckStep[];
  token_cost_usd: number;
  runtime_cost_usd: number;
  ok: boolean;
}

export interface CheckRequest {
  /** The agent's model id (without anthropic:). */
  model: string;
  /** The chosen arms' configurations (what they need decides the steps). */
  configs: readonly ManagedConfig[];
  dream: boolean;
  baseURL?: string;
  env?: NodeJS.ProcessEnv;
  /** Polling of the session and the dream (tests make it fast). */
  poll?: { initial_ms: number; max_ms: number; factor: number };
  dreamTimeoutMs?: number;
  /** How long usage must stay unchanged to count as settled (default 2000 ms; tests make it short). */
  usageQuietMs?: number;
}

const ECHO_ENVIRONMENT: Pick<Environment, 'call'> = {
  call: () => Promise.resolve({ content: 'This check has no tools.', is_error: true }),
};

export async function managedCheck(request: CheckRequest): Promise<CheckReport> {
  const poll = request.poll ?? { initial_ms: 1000, max_ms: 10_000, factor: 1.5 };
  const client = createManagedClient({
    ...(request.baseURL ? { baseURL: request.baseURL } : {}),
    maxRetries: 2,
    timeoutMs: 120_000,
    ...(request.env ? { env: request.env } : {}),
  });
  const steps: CheckStep[] = [];
  const cleanup: Array<() => Promise<unknown>> = [];
  let tokenCost = 0;
  let runtimeCost = 0;
  const needsMemory = request.configs.some((c) => c.memory !== 'none');
  const multiagent = request.configs.find((c) => c.multiagent)?.multiagent ?? null;
  const settings = request.configs[0]?.model_settings ?? {};
  const dreamConfig = request.configs.find((c) => c.dreaming)?.dreaming;

  const attempt = async <T>(step: string, run: () => Promise<T>, detail: (value: T) => string): Promise<T | undefined> => {
    try {
      const value = await run();
      steps.push({ step, status: 'ok', detail: detail(value) });
      return value;
    } catch (error) {
      steps.push({ step, status: 'failed', ...classify(error) });
      return undefined;
    }
  };
  const skip = (step: string, why: string): void => void steps.push({ step, status: 'skipped', detail: why });

  const environment = await attempt(
    'environments.create',
    () =>
      client.sdk.beta.environments.create({
        name: 'dreambench-check',
        config: { type: 'cloud', networking: { type: 'limited', allowed_hosts: [] } },
        metadata: { dreambench_check: 'true' },
      }),
    (e) => e.id,
  );
  if (environment) cleanup.push(() => client.sdk.beta.environments.archive(environment.id));

  const agent = await attempt(
    'agents.create',
    () =>
      client.sdk.beta.agents.create({
        name: 'dreambench check',
        model: { id: request.model, ...settings },
        system: 'Reply with the single word OK.',
        metadata: { dreambench_check: 'true' },
      }),
    (a) => `${a.id} (model ${a.model.id}, effort ${a.model.effort?.type ?? 'default'}, speed ${a.model.speed ?? 'standard'})`,
  );
  if (agent) cleanup.push(() => client.sdk.beta.agents.archive(agent.id));
  if (multiagent && agent) {
    const team = await attempt(
      'agents.create (multiagent)',
      () =>
        client.sdk.beta.agents.create({
          name: 'dreambench check team',
          model: { id: request.model, ...settings },
          system: 'Reply with the single word OK.',
          multiagent: multiagentParams(multiagent, []),
        }),
      (a) => a.id,
    );
    if (team) cleanup.push(() => client.sdk.beta.agents.archive(team.id));
  }

  let storeId: string | undefined;
  if (needsMemory || request.dream) {
    storeId = await attempt(
      'memory_stores.create + memories.create',
      () =>
        materialize(
          client,
          { 'notes.md': '# Notes\n\n- dreambench check\n' },
          { arm: 'dreambench-check', replicate: 0, session: 0, role: 'session' },
        ),
      (id) => id,
    );
    if (storeId) {
      const id = storeId;
      await attempt(
        'memories.list',
        () => exportStore(client, id),
        (files) => `${Object.keys(files).length} file(s) read back`,
      );
    }
  }

  let sessionId: string | undefined;
  if (environment && agent) {
    const session = await attempt(
      'sessions.create',
      () =>
        client.sdk.beta.sessions.create({
          agent: { type: 'agent', id: agent.id, version: agent.version },
          environment_id: environment.id,
          resources: storeId ? [{ type: 'memory_store', memory_store_id: storeId, access: 'read_only' }] : [],
          title: 'dreambench check',
          metadata: { dreambench_check: 'true' },
        }),
      (s) => s.id,
    );
    if (session) {
      sessionId = session.id;
      const config = checkConfig(poll);
      await attempt(
        'sessions.events (one turn)',
        () =>
          runSession({
            client,
            config,
            sessionId: session.id,
            environment: ECHO_ENVIRONMENT,
            budgets: { max_turns: 2, max_output_tokens: 64 },
            modelId: request.model,
            send: [{ type: 'user.message', content: [{ type: 'text', text: 'Reply with the single word OK.' }] }],
            messages: [],
          }).then((r) => {
            if (r.stop === 'infra') throw new Error(r.infra_error ?? r.stop_detail);
            return r;
          }),
        (r) => `${r.stop} after ${r.turns.length} turn(s), ${r.events} event(s)`,
      );
      await attempt(
        'sessions.retrieve (usage, settled)',
        async () => {
          const { session: done, settled } = await settledSession(client, session.id, {
            initialMs: Math.min(250, poll.initial_ms),
            maxMs: poll.max_ms,
            timeoutMs: 30_000,
            quietMs: request.usageQuietMs ?? 2000,
          });
          const totals = totalsOf(done);
          const cost = splitCost(request.model, totals.usage, totals);
          tokenCost += cost.token_cost_usd;
          runtimeCost += cost.runtime_cost_usd ?? 0;
          return { totals, cost, settled };
        },
        ({ totals, cost, settled }) =>
          `${totals.usage.input_tokens} in / ${totals.usage.output_tokens} out tokens, token cost $${cost.token_cost_usd.toFixed(4)}, runtime $${(cost.runtime_cost_usd ?? 0).toFixed(4)} (${cost.runtime_cost_source})` +
          (totals.list_cost_usd !== undefined ? `, list cost $${totals.list_cost_usd.toFixed(4)}` : ', no list_cost reported') +
          (settled ? '' : ' (usage still changing)'),
      );
      await attempt(
        'files.list (scope_id = the session)',
        async () => {
          let n = 0;
          for await (const file of client.sdk.beta.files.list({ scope_id: session.id, betas: SESSION_FILES_BETAS })) if (file) n++;
          return n;
        },
        (n) => `${n} file(s)`,
      );
    }
  } else {
    skip('sessions', 'needs an environment and an agent');
  }

  if (request.dream) {
    const dreamModel = dreamConfig?.model ?? request.model;
    const unsupported = unsupportedDreamModel(dreamModel);
    if (unsupported && !dreamConfig?.allow_unlisted_model)
      steps.push({ step: 'dreams.create', status: 'failed', detail: unsupported, lacks: 'model' });
    else if (!storeId || !sessionId) skip('dreams', 'needs a memory store and a session');
    else {
      const store = storeId;
      const session = sessionId;
      await attempt(
        'dreams.create + retrieve',
        async () => {
          const chain = await runDreams(client, {
            inputStoreId: store,
            sessionIds: [session],
            model: dreamModel,
            timeoutMs: request.dreamTimeoutMs ?? 900_000,
            poll,
            usageQuietMs: request.usageQuietMs ?? 2000,
            stateName: 'check',
          }).catch((error: unknown) => {
            // A dream that failed after it ran was billed (tokens and its session's runtime): the check says so in what it spent.
            if (error instanceof ModelInfraError && error.spent) {
              tokenCost += error.spent.cost_usd;
              runtimeCost += error.spent.runtime_cost_usd ?? 0;
            }
            throw error;
          });
          cleanup.push(() => archiveStore(client, chain.outputStoreId));
          const cost = splitCost(dreamModel, chain.usage, { usage: chain.usage });
          tokenCost += cost.token_cost_usd;
          runtimeCost += chain.runtime_cost_usd;
          return { chain, cost };
        },
        ({ chain, cost }) => `${chain.steps[0]?.id ?? 'dream'} completed with ${dreamModel}: token cost $${cost.token_cost_usd.toFixed(4)}`,
      );
    }
  }

  if (sessionId) {
    const id = sessionId;
    cleanup.push(() => client.sdk.beta.sessions.archive(id));
  }
  if (storeId) {
    const id = storeId;
    cleanup.push(() => archiveStore(client, id));
  }
  const failedCleanups: string[] = [];
  for (const undo of cleanup.reverse()) {
    try {
      await undo();
    } catch (error) {
      failedCleanups.push(classify(error).detail);
    }
  }
  steps.push(
    failedCleanups.length
      ? { step: 'archive what the check created', status: 'failed', detail: failedCleanups.join('; '), lacks: 'error' }
      : { step: 'archive what the check created', status: 'ok', detail: `${cleanup.length} resource(s)` },
  );
  return { steps, token_cost_usd: tokenCost, runtime_cost_usd: runtimeCost, ok: steps.every((s) => s.status !== 'failed') };
}

function checkConfig(poll: ManagedConfig['poll']): ManagedConfig {
  return {
    kind: 'stateless',
    arm: 'dreambench-check',
    toolset: 'none',
    networking: 'limited',
    events: 'stream',
    memory: 'none',
    memory_instructions: '',
    debrief: false,
    outcomes: null,
    multiagent: null,
    dreaming: null,
    session_timeout_s: 300,
    poll,
    quiet_ms: Math.max(300, poll.initial_ms),
    session_files: 'ignore',
    files_settle_ms: 0,
    settle_timeout_ms: 30_000,
    usage_quiet_ms: 2000,
    cleanup: true,
    max_retries: 2,
    timeout_ms: 120_000,
    model_settings: {},
  };
}

/** What a failure means for the account. */
export function classify(error: unknown): Pick<CheckStep, 'detail' | 'lacks'> {
  const inner = error instanceof Error && 'cause' in error && error.cause instanceof APIError ? error.cause : error;
  if (inner instanceof APIError && typeof inner.status === 'number') {
    const said = `${inner.status} ${inner.type ?? 'error'}: ${inner.apiMessage ?? inner.message}`;
    if (inner.status === 401 || inner.status === 403)
      return { detail: `${said} (the key, or its access to this research preview)`, lacks: 'no_access' };
    if (inner.status === 404) return { detail: `${said} (this endpoint is not available to the account)`, lacks: 'not_available' };
    if (inner.status === 400 && /model/i.test(said)) return { detail: said, lacks: 'model' };
    return { detail: said, lacks: 'error' };
  }
  const message = error instanceof Error ? error.message : String(error);
  if (/\b(401|403)\b/.test(message)) return { detail: message, lacks: 'no_access' };
  if (/\b404\b/.test(message)) return { detail: message, lacks: 'not_available' };
  if (/\b400\b.*model|model.*\b400\b/i.test(message)) return { detail: message, lacks: 'model' };
  return { detail: message, lacks: 'error' };
}

/** The report as lines for a terminal. */
export function formatCheck(report: CheckReport): string {
  const lines = report.steps.map(
    (s) => `${s.status === 'ok' ? 'ok     ' : s.status === 'failed' ? 'FAILED ' : 'skipped'} ${s.step}: ${s.detail}`,
  );
  const lacking = report.steps.filter((s) => s.lacks && s.lacks !== 'error');
  lines.push('');
  if (lacking.length) {
    lines.push('The account lacks:');
    for (const s of lacking)
      lines.push(
        `  - ${s.step}: ${s.lacks === 'no_access' ? 'access (key or research-preview beta)' : s.lacks === 'model' ? 'the model' : 'the endpoint'}`,
      );
  }
  lines.push(`Spent: token cost $${report.token_cost_usd.toFixed(4)} (pricing.json), runtime $${report.runtime_cost_usd.toFixed(4)}.`);
  lines.push(report.ok ? 'Everything the chosen arms need works.' : 'Some steps failed: see above.');
  return lines.join('\n');
}
