// The `managed` runtime (Arm.runtime): each attempt of a trial is a Claude Managed Agents session.
//
//   1. the agent (suite system prompt, suite tools as custom tools, the file toolset, multiagent
//      config) and a cloud environment, created once per definition and reused;
//   2. the memory store of the trial, attached as a session resource: the session's own store
//      (read_only: shared by the session's trials, reused by content hash, e.g. a dream's output
//      store) or a fresh copy of it the agent may write (read_write: its writes are exported after
//      the trial and folded into the next session's memory by the arm, in schedule order);
//   3. sessions.create, then the task as a `user.message` (or, for outcomes, a `user.define_outcome`
//      with the task's rubric), then the event loop of session.ts, which executes the suite's tools
//      in the trial's real workspace;
//   4. at the end: the session's own usage (sessions.retrieve: cumulative tokens and list cost), its
//      threads (multiagent), the files it produced (Files API, scoped to the session: downloaded
//      into the workspace for the checker), and the trial store's contents.
//
// A revision of the attempt (the arm's debrief after the check) continues the same session with a
// new user message; the suite's tools are then closed. Every provider failure is an `infra` stop.

import type { BetaManagedAgentsEventParams } from '@anthropic-ai/sdk/resources/beta/sessions/events';
import type { BetaManagedAgentsSession } from '@anthropic-ai/sdk/resources/beta/sessions/sessions';
import type { AgentRunResult } from '../agent/loop.js';
import type { AgentRuntime, ArmContext, MemoryFiles, RuntimeRunInput, RuntimeSettings } from '../core/arm.js';
import { ModelInfraError, type Message, type ModelClient, type SystemBlock, type Usage } from '../core/messages.js';
import { costOf } from '../models/pricing.js';
import { createManagedClient, type ManagedClient } from './client.js';
import { ManagedResources, type CreatedAgent } from './definitions.js';
import { ModelSettingsLog, resolvedModel } from './model-settings.js';
import type { ManagedConfig } from './options.js';
import { downloadSessionFiles, type SessionFile } from './session-files.js';
import { settledSession, splitCost, totalsOf, usageOfApi, usageOfSpan, type CostSplit, type SessionTotals } from './usage.js';
import { runtimeCostOf } from './service-facts.js';
import { runSession, type OutcomeEvaluation, type SessionRunResult, type ThreadInfo } from './session.js';
import type { TranscriptTurn } from '../agent/transcript.js';
import { exportStore, filesHash, materialize, StoreRegistry, storeUsable, storeWrites, type StoreWrites } from './stores.js';

/** What a managed run leaves in AgentRunResult.runtime (and so in the transcript). */
export interface ManagedDetails {
  runtime: 'managed';
  session_id: string;
  agent_id: string;
  agent_version: number;
  environment_id: string;
  model: string;
  /** Runs on this session so far (1 + revisions). */
  runs: number;
  memory_store?: {
    id: string;
    access: 'read_write' | 'read_only';
    role: 'session' | 'trial';
    hash: string;
    mount_path?: string | null;
    reused: boolean;
  };
  /** read_write: what the agent changed in its copy of the store (file -> new text, null: deleted). */
  memory_writes?: StoreWrites;
  /** The model settings the agent runs with, as the service resolved them (effort, speed, inference_geo). */
  model_config?: CreatedAgent['model'];
  /** The session's cumulative usage as the API reports it (sessions.retrieve, once settled). */
  vendor_usage: Usage & { active_seconds?: number };
  /** The session's cumulative list cost (USD: tokens and runtime together), when the API reports it. */
  list_cost_usd?: number;
  /** Whether the session's usage had settled (status no longer running, two reads agreeing) when it was read. */
  usage_settled: boolean;
  /** Where the trial's tokens come from: the session's usage, or (when it reports none) the spans seen. */
  usage_source: 'session' | 'spans';
  /** Token cost of every run of this session so far, priced by pricing.json as for the open arms: the trial's cost_usd. */
  token_cost_usd: number;
  token_cost_source: CostSplit['token_cost_source'];
  /** Runtime cost (the container's active time) of every run so far: only managed arms pay it. */
  runtime_cost_usd?: number;
  runtime_cost_source: CostSplit['runtime_cost_source'];
  /** Token usage summed over the primary thread's model-request spans seen (cross-check of vendor_usage). */
  span_usage: Usage;
  /** The vendor grader's usage (span.outcome_evaluation_end.usage), and whether the session's usage already held it. */
  grader_usage: Usage;
  grader_counted?: 'in session usage' | 'added from outcome evaluations';
  /** Model requests that ended with is_error (retried by the service). */
  model_request_errors: number;
  /** The service's own limit that ended the work, if one did (see VENDOR_LIMITS). */
  vendor_limit?: string;
  stop_detail: string;
  builtin_tool_calls: number;
  events: number;
  reconnects: number;
  outcome_evaluations?: OutcomeEvaluation[];
  outcome_ids?: string[];
  /** Multiagent: every thread of the session (the primary has no parent), its usage and (subagents) its turns. */
  threads?: Array<ThreadInfo & { parent: string | null; usage?: Usage; turns?: number }>;
  errors?: SessionRunResult['errors'];
  session_files?: SessionFile[];
}

const ZERO: Usage = { input_tokens: 0, output_tokens: 0, cache_read_tokens: 0, cache_write_tokens: 0 };

export class ManagedRuntime implements AgentRuntime {
  readonly name = 'managed';
  readonly client: ManagedClient;
  readonly registry = new StoreRegistry();
  private readonly resources: ManagedResources;
  private readonly sharedStores = new Map<string, Promise<string>>();
  private readonly modelLog: ModelSettingsLog;

  constructor(
    readonly config: ManagedConfig,
    env?: NodeJS.ProcessEnv,
  ) {
    this.client = createManagedClient({
      ...(config.base_url ? { baseURL: config.base_url } : {}),
      maxRetries: config.max_retries,
      timeoutMs: config.timeout_ms,
      ...(env ? { env } : {}),
    });
    this.resources = new ManagedResources(this.client, config);
    this.modelLog = new ModelSettingsLog(config);
  }

  /** The model settings asked for and those the service resolved (each session's agent snapshot), for manifest.json. */
  settings(): RuntimeSettings | undefined {
    return this.modelLog.settings();
  }

  /** The agent's model: the arm's `model`, else the run's anthropic:<id>. */
  modelOf(model: ModelClient): string {
    if (this.config.model) return this.config.model;
    if (model.id.startsWith('anthropic:')) return model.id.slice('anthropic:'.length);
    throw new Error(
      `arm ${this.config.arm}: a managed agent runs on an Anthropic model: set the experiment's model to anthropic:<model-id>, or the arm's option "model" (the run's model is ${model.id})`,
    );
  }

  async run(input: RuntimeRunInput): Promise<AgentRunResult> {
    const modelId = this.modelOf(input.model);
    const previous = input.previous?.runtime as ManagedDetails | undefined;
    try {
      if (input.revision > 0 && previous?.runtime === 'managed') return await this.continueSession(input, modelId, previous);
      return await this.newSession(input, modelId);
    } catch (error) {
      const translated = this.client.infra(error, `trial ${input.trialId}`);
      if (!(translated instanceof ModelInfraError)) throw translated;
      return {
        stop: 'infra',
        system: input.resume?.system ?? [{ type: 'text', text: input.systemPrompt }],
        messages: input.resume ? [...input.resume.messages] : [{ role: 'user', content: input.task.prompt }],
        turns: [],
        usage: { ...ZERO },
        cost_usd: 0,
        tool_calls: 0,
        infra_error: translated.message,
        ...(input.previous?.runtime ? { runtime: input.previous.runtime } : {}),
      };
    }
  }

  /** The session's shared store (read_only), reused by content hash: a dream's output store, or one made before. */
  sharedStore(
    context: Pick<ArmContext, 'arm' | 'replicate' | 'session' | 'artifacts'>,
    files: MemoryFiles,
  ): Promise<{ id: string; reused: boolean }> {
    const key = `${context.arm}/r${context.replicate}`;
    const hash = filesHash(files);
    const cacheKey = `${key}:${hash}`;
    let promise = this.sharedStores.get(cacheKey);
    if (!promise) {
      promise = (async () => {
        const known = this.registry.get(key, context.artifacts, hash);
        if (known && (await storeUsable(this.client, known.id))) return known.id;
        if (known) this.registry.forget(key, context.artifacts, hash);
        const id = await materialize(this.client, files, {
          arm: context.arm,
          replicate: context.replicate,
          session: context.session,
          role: 'session',
        });
        this.registry.set(key, context.artifacts, hash, { id, source: 'materialized', session: context.session });
        return id;
      })();
      promise.catch(() => this.sharedStores.delete(cacheKey));
      this.sharedStores.set(cacheKey, promise);
    }
    const reused = this.registry.get(key, context.artifacts, hash)?.source === 'dream';
    return promise.then((id) => ({ id, reused }));
  }

  private async newSession(input: RuntimeRunInput, modelId: string): Promise<AgentRunResult> {
    const config = this.config;
    const [environmentId, agent] = await Promise.all([
      this.resources.environment(),
      this.resources.agent({ model: modelId, system: input.systemPrompt, tools: input.environment.tools }),
    ]);
    let store: ManagedDetails['memory_store'];
    if (config.memory !== 'none') {
      const hash = filesHash(input.memoryFiles);
      if (config.memory === 'read_only') {
        const shared = await this.sharedStore(input.context, input.memoryFiles);
        store = { id: shared.id, access: 'read_only', role: 'session', hash, reused: shared.reused };
      } else {
        const id = await materialize(this.client, input.memoryFiles, {
          arm: input.context.arm,
          replicate: input.context.replicate,
          session: input.context.session,
          role: 'trial',
          trial: input.trialId,
        });
        store = { id, access: 'read_write', role: 'trial', hash, reused: false };
      }
    }
    const maxCost = input.budgets.max_cost_per_trial;
    let session: BetaManagedAgentsSession;
    try {
      session = await this.client.sdk.beta.sessions.create({
        agent: { type: 'agent', id: agent.id, version: agent.version },
        environment_id: environmentId,
        resources: store
          ? [{ type: 'memory_store', memory_store_id: store.id, access: store.access, instructions: config.memory_instructions }]
          : [],
        title: input.trialId.slice(0, 200),
        metadata: {
          dreambench_trial: input.trialId.slice(0, 512),
          dreambench_arm: input.context.arm.slice(0, 512),
          dreambench_attempt: String(input.attempt),
        },
        // The trial's cost budget is on token cost, enforced by the harness over every thread (as for the open
        // arms). The session's own budget caps list cost, which includes runtime: it is set as a backstop
        // with the runtime allowance of a whole session on top, so it never makes the budget tighter.
        ...(maxCost !== undefined
          ? {
              budget: {
                type: 'limit',
                max_list_cost: {
                  amount: String(Math.max(1, Math.ceil(backstopCost(maxCost, config.session_timeout_s) * 100))),
                  currency: 'USD',
                },
              },
            }
          : {}),
      });
    } catch (error) {
      throw this.client.infra(error, 'create a session');
    }
    if (store) store.mount_path = session.resources.find((r) => r.type === 'memory_store')?.mount_path ?? null;
    // What the session runs with: its snapshot of the agent (the agent's own answer when the snapshot has no model).
    const modelConfig = session.agent?.model ? resolvedModel(session.agent.model) : agent.model;
    this.modelLog.note(modelId, modelConfig);

    const first = this.firstEvent(input);
    const messages: Message[] = [];
    const result = await runSession({
      client: this.client,
      config,
      sessionId: session.id,
      environment: input.environment,
      budgets: input.budgets,
      modelId,
      send: [first],
      echoOutput: config.outcomes !== null,
      messages,
      ...(input.signal ? { signal: input.signal } : {}),
    });
    const system: SystemBlock[] = [{ type: 'text', text: input.systemPrompt }];
    if (store) {
      system.push({
        type: 'text',
        text: `[memory store ${store.id} mounted at ${store.mount_path ?? '/mnt/memory/...'} (${store.access}). Instructions: ${config.memory_instructions}]`,
      });
    }
    return this.finishRun(input, modelId, result, system, {
      session_id: session.id,
      agent_id: agent.id,
      agent_version: agent.version,
      environment_id: environmentId,
      runs: 1,
      model_config: modelConfig,
      ...(store ? { memory_store: store } : {}),
    });
  }

  private async continueSession(input: RuntimeRunInput, modelId: string, previous: ManagedDetails): Promise<AgentRunResult> {
    // A copy: the conversation grows in place, and the previous run's messages must stay as they were.
    const messages: Message[] = (input.resume?.messages ?? []).map((m) => ({
      ...m,
      content: typeof m.content === 'string' ? m.content : [...m.content],
    }));
    const text = input.resume?.userMessage ?? '';
    const result = await runSession({
      client: this.client,
      config: this.config,
      sessionId: previous.session_id,
      environment: input.environment,
      budgets: input.budgets,
      modelId,
      send: [{ type: 'user.message', content: [{ type: 'text', text }] }],
      toolsClosed: true,
      messages,
      continued: true,
      spentTokens: totalTokens(previous.vendor_usage),
      ...(input.signal ? { signal: input.signal } : {}),
    });
    return this.finishRun(
      input,
      modelId,
      result,
      input.resume?.system ?? [{ type: 'text', text: input.systemPrompt }],
      {
        session_id: previous.session_id,
        agent_id: previous.agent_id,
        agent_version: previous.agent_version,
        environment_id: previous.environment_id,
        runs: previous.runs + 1,
        ...(previous.model_config ? { model_config: previous.model_config } : {}),
        ...(previous.memory_store ? { memory_store: previous.memory_store } : {}),
      },
      previous,
    );
  }

  private firstEvent(input: RuntimeRunInput): BetaManagedAgentsEventParams {
    const outcomes = this.config.outcomes;
    if (outcomes && input.task.rubric.length > 0) {
      return {
        type: 'user.define_outcome',
        description: input.task.prompt,
        rubric: { type: 'text', content: input.task.rubric.map((c) => `- ${c.replace(/\s+/g, ' ').trim()}`).join('\n') },
        max_iterations: outcomes.max_iterations,
      };
    }
    return { type: 'user.message', content: [{ type: 'text', text: input.task.prompt }] };
  }

  private async finishRun(
    input: RuntimeRunInput,
    modelId: string,
    result: SessionRunResult,
    system: SystemBlock[],
    base: Pick<ManagedDetails, 'session_id' | 'agent_id' | 'agent_version' | 'environment_id' | 'runs' | 'memory_store' | 'model_config'>,
    previous?: ManagedDetails,
  ): Promise<AgentRunResult> {
    const idleAt = Date.now();
    // The status lags the idle event: read the usage once it has settled.
    const { session, settled } = await settledSession(this.client, base.session_id, {
      initialMs: Math.min(250, this.config.poll.initial_ms),
      maxMs: this.config.poll.max_ms,
      // An infra stop (e.g. a session still running at its timeout) has nothing to wait for: one read.
      timeoutMs: result.stop === 'infra' ? 0 : this.config.settle_timeout_ms,
      quietMs: this.config.usage_quiet_ms,
      ...(input.signal ? { signal: input.signal } : {}),
    });
    const totals = totalsOf(session);
    const before: SessionTotals = previous
      ? {
          usage: previous.vendor_usage,
          ...(previous.vendor_usage.active_seconds !== undefined ? { active_seconds: previous.vendor_usage.active_seconds } : {}),
          ...(previous.list_cost_usd !== undefined ? { list_cost_usd: previous.list_cost_usd } : {}),
        }
      : { usage: ZERO };

    const turns = [...result.turns];
    let threads: ManagedDetails['threads'];
    const threadUsage: Usage = { ...ZERO };
    if (this.config.multiagent || result.threads.length) {
      threads = await this.threadsOf(base.session_id, result.threads);
      // A subagent's model requests are spans on its own thread's stream: its turns count towards the trial.
      for (const thread of threads) {
        if (thread.parent === null) continue;
        const counted = previous?.threads?.find((t) => t.id === thread.id && t.turns !== undefined);
        if (counted) {
          thread.turns = counted.turns!;
          continue;
        }
        const threadTurns = await this.threadTurns(base.session_id, thread.id, modelId);
        thread.turns = threadTurns.length;
        turns.push(...threadTurns);
        for (const t of threadTurns) addUsage(threadUsage, t.usage);
      }
    }

    // Tokens: the session's own cumulative usage (this run's part of it); without it, the spans seen.
    let usage = subtract(totals.usage, before.usage);
    let usageSource: ManagedDetails['usage_source'] = 'session';
    if (totalTokens(usage) === 0 && totalTokens(result.span_usage) + totalTokens(threadUsage) > 0) {
      usage = { ...result.span_usage };
      addUsage(usage, threadUsage);
      usageSource = 'spans';
    }
    // The vendor grader's tokens: counted once. When the session's usage is smaller than the model
    // requests plus the grader's evaluations, it does not include the grader: add them.
    let graderCounted: ManagedDetails['grader_counted'] | undefined;
    if (totalTokens(result.grader_usage) > 0) {
      const requests = usageSource === 'spans' ? totalTokens(usage) : totalTokens(result.span_usage) + totalTokens(threadUsage);
      if (totalTokens(usage) >= requests + totalTokens(result.grader_usage)) graderCounted = 'in session usage';
      else {
        addUsage(usage, result.grader_usage);
        graderCounted = 'added from outcome evaluations';
      }
    }
    const cost = splitCost(modelId, usage, totals, before);

    const details: ManagedDetails = {
      runtime: 'managed',
      ...base,
      model: modelId,
      vendor_usage: { ...totals.usage, ...(totals.active_seconds !== undefined ? { active_seconds: totals.active_seconds } : {}) },
      ...(totals.list_cost_usd !== undefined ? { list_cost_usd: totals.list_cost_usd } : {}),
      usage_settled: settled,
      usage_source: usageSource,
      token_cost_usd: cost.token_cost_usd + (previous?.token_cost_usd ?? 0),
      token_cost_source: cost.token_cost_source,
      ...(cost.runtime_cost_usd !== undefined ? { runtime_cost_usd: cost.runtime_cost_usd + (previous?.runtime_cost_usd ?? 0) } : {}),
      runtime_cost_source: cost.runtime_cost_source,
      span_usage: result.span_usage,
      grader_usage: addUsage({ ...result.grader_usage }, previous?.grader_usage ?? ZERO),
      ...(graderCounted ? { grader_counted: graderCounted } : {}),
      model_request_errors: result.model_request_errors + (previous?.model_request_errors ?? 0),
      ...(result.vendor_limit ? { vendor_limit: result.vendor_limit } : {}),
      stop_detail: result.stop_detail,
      builtin_tool_calls: result.builtin_tool_calls + (previous?.builtin_tool_calls ?? 0),
      events: result.events + (previous?.events ?? 0),
      reconnects: result.reconnects + (previous?.reconnects ?? 0),
    };
    const evaluations = [...(previous?.outcome_evaluations ?? []), ...result.outcome_evaluations];
    if (evaluations.length) details.outcome_evaluations = evaluations;
    const outcomeIds = [...(previous?.outcome_ids ?? []), ...result.outcome_ids];
    if (outcomeIds.length) details.outcome_ids = outcomeIds;
    const errors = [...(previous?.errors ?? []), ...result.errors];
    if (errors.length) details.errors = errors;
    if (threads) details.threads = threads;
    if (this.config.session_files === 'download') {
      const files = await downloadSessionFiles(this.client, {
        sessionId: base.session_id,
        workdir: input.workdir,
        already: previous?.session_files ?? [],
        idleAt,
        settleMs: this.config.files_settle_ms,
        ...(input.signal ? { signal: input.signal } : {}),
      });
      if (files.length) details.session_files = files;
    }
    if (base.memory_store?.access === 'read_write') {
      const exported = await exportStore(this.client, base.memory_store.id);
      details.memory_writes = storeWrites(input.memoryFiles, exported);
    }
    return {
      stop: result.stop,
      system,
      messages: result.messages,
      turns,
      usage,
      // Arms are compared on token cost (priced as for the open arms); the runtime cost is in the details.
      cost_usd: cost.token_cost_usd,
      ...(cost.runtime_cost_usd !== undefined ? { runtime_cost_usd: cost.runtime_cost_usd } : {}),
      runtime_cost_source: cost.runtime_cost_source,
      ...(cost.list_cost_usd !== undefined ? { list_cost_usd: cost.list_cost_usd } : {}),
      tool_calls: result.tool_calls,
      ...(result.infra_error ? { infra_error: result.infra_error } : {}),
      runtime: details as unknown as Record<string, unknown>,
    };
  }

  private async threadsOf(sessionId: string, seen: ThreadInfo[]): Promise<NonNullable<ManagedDetails['threads']>> {
    const out: NonNullable<ManagedDetails['threads']> = [];
    try {
      for await (const thread of this.client.sdk.beta.sessions.threads.list(sessionId)) {
        const name = 'name' in thread.agent ? thread.agent.name : thread.agent.type;
        out.push({
          id: thread.id,
          agent_name: name,
          status: thread.status,
          parent: thread.parent_thread_id,
          ...(thread.usage ? { usage: usageOfApi(thread.usage) } : {}),
        });
      }
    } catch (error) {
      throw this.client.infra(error, `list the threads of session ${sessionId}`);
    }
    for (const thread of seen) if (!out.some((t) => t.id === thread.id)) out.push({ ...thread, parent: null });
    return out;
  }

  /** The model requests of one thread (span.model_request_end on its own event stream), as turns. */
  private async threadTurns(sessionId: string, threadId: string, modelId: string): Promise<TranscriptTurn[]> {
    const starts = new Map<string, string>();
    const turns: TranscriptTurn[] = [];
    try {
      for await (const event of this.client.sdk.beta.sessions.threads.events.list(threadId, { session_id: sessionId, limit: 100 })) {
        if (event.type === 'span.model_request_start') starts.set(event.id, event.processed_at);
        if (event.type !== 'span.model_request_end') continue;
        const usage = usageOfSpan(event.model_usage);
        const start = starts.get(event.model_request_start_id);
        const wall = start ? Date.parse(event.processed_at) - Date.parse(start) : 0;
        turns.push({
          request_messages: 0,
          stop_reason: 'end_turn',
          usage,
          cost_usd: costOf(modelId, usage),
          wall_ms: Number.isFinite(wall) ? Math.max(0, wall) : 0,
        });
      }
    } catch (error) {
      throw this.client.infra(error, `list the events of thread ${threadId}`);
    }
    return turns;
  }
}

/** The session budget's backstop: the trial's token budget plus a whole session's runtime. */
export function backstopCost(maxTokenCost: number, sessionTimeoutS: number): number {
  return maxTokenCost + runtimeCostOf(sessionTimeoutS);
}

function subtract(a: Usage, b: Usage): Usage {
  return {
    input_tokens: Math.max(0, a.input_tokens - b.input_tokens),
    output_tokens: Math.max(0, a.output_tokens - b.output_tokens),
    cache_read_tokens: Math.max(0, a.cache_read_tokens - b.cache_read_tokens),
    cache_write_tokens: Math.max(0, a.cache_write_tokens - b.cache_write_tokens),
  };
}

function totalTokens(u: Usage): number {
  return u.input_tokens + u.output_tokens + u.cache_read_tokens + u.cache_write_tokens;
}

function addUsage(into: Usage, more: Usage): Usage {
  into.input_tokens += more.input_tokens;
  into.output_tokens += more.output_tokens;
  into.cache_read_tokens += more.cache_read_tokens;
  into.cache_write_tokens += more.cache_write_tokens;
  return into;
}
