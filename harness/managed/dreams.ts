// Dreams (client.beta.dreams; the SDK sends dreaming-2026-04-21, dreambench adds
// managed-agents-2026-04-01 as the Dreams guide's example does): an asynchronous job over exactly one
// memory store and 1..100 sessions that writes a reorganized copy of the store, into a new store
// (output_behavior create_new: the input store is never modified) or into the input store itself
// (update_existing; dreambench's input store is always a copy it made). Its status goes pending ->
// running -> completed | failed | canceled; the harness polls it with exponential backoff.
//
// A dream's usage can keep changing after it ends (after a cancel in particular): it is read again
// until two reads agree. The dream runs in a session of its own (`session_id`): that session's
// runtime is read from it and recorded apart from the tokens, for failed and canceled dreams too
// (their session ran and was billed like any other). A canceled or failed dream's output store
// (create_new) keeps what it wrote before it stopped: it is archived, never used.
//
// More than 100 sessions: the dreams are chained, each one's output store the next one's input.
// A dream that fails, is canceled, or has not finished by the timeout (it is then canceled) is a
// ModelInfraError: the runner records it and blocks the session boundary; a resume dreams again.
// The dream ids are kept in the arm's artifacts as soon as they exist, so a resume after a crash
// polls the dream it started instead of starting a second one.

import { costOf } from '../models/pricing.js';
import type { BetaDream } from '@anthropic-ai/sdk/resources/beta/dreams';
import type { ArtifactStore } from '../core/arm.js';
import { ModelInfraError, type Usage } from '../core/messages.js';
import { Backoff, DREAM_BETAS, sleep, type ManagedClient } from './client.js';
import { archiveStore } from './stores.js';
import { totalsOf, usageOfApi } from './usage.js';
import { runtimeCostOf } from './service-facts.js';

export const MAX_SESSIONS_PER_DREAM = 100;

export interface DreamRequest {
  inputStoreId: string;
  sessionIds: readonly string[];
  model: string;
  instructions?: string;
  /** Where the dream writes (default create_new). */
  output?: 'create_new' | 'update_existing';
  timeoutMs: number;
  poll: { initial_ms: number; max_ms: number; factor: number };
  /** A dream's usage counts as settled once unchanged this long after its end (default 2000 ms); read for at most `settleTimeoutMs` (default 30 s). */
  usageQuietMs?: number;
  settleTimeoutMs?: number;
  /** Where the chain's progress is kept (resume), and under which name. */
  artifacts?: ArtifactStore;
  stateName: string;
  signal?: AbortSignal;
}

export interface DreamStep {
  id: string;
  status: BetaDream['status'];
  input_store: string;
  output_store: string | null;
  sessions: number;
  usage: Usage;
  error?: { type: string; message: string };
  wall_ms?: number;
  /** The session the dream ran in, and the runtime cost of its active time (documented rate). */
  session_id?: string | null;
  runtime_cost_usd?: number;
  /** Whether the usage had stopped changing when it was recorded. */
  usage_settled?: boolean;
  /** A failed or canceled dream's output store, archived (never used). */
  archived_output?: string;
}

export interface DreamChainState {
  format: 'dreambench.managed-dream/v1';
  steps: DreamStep[];
}

export interface DreamChainResult {
  outputStoreId: string;
  steps: DreamStep[];
  usage: Usage;
  /** Runtime cost of the dreams' own sessions, apart from their tokens: the failed ones' included. */
  runtime_cost_usd: number;
  /** Dreams of this chain that failed or were canceled (an earlier, killed try's) before the chain completed: billed all the same. */
  failed: DreamStep[];
  wall_ms: number;
}

export function dreamUsage(dream: Pick<BetaDream, 'usage'>): Usage {
  return usageOfApi(dream.usage);
}

/** Run (or resume) the chain of dreams over the sessions, 100 at a time. */
export async function runDreams(client: ManagedClient, request: DreamRequest): Promise<DreamChainResult> {
  const started = performance.now();
  const chunks: string[][] = [];
  const ids = [...new Set(request.sessionIds)].sort();
  for (let i = 0; i < ids.length; i += MAX_SESSIONS_PER_DREAM) chunks.push(ids.slice(i, i + MAX_SESSIONS_PER_DREAM));
  if (chunks.length === 0) throw new Error('a dream needs at least one session');

  const state: DreamChainState = request.artifacts?.read<DreamChainState>(request.stateName) ?? {
    format: 'dreambench.managed-dream/v1',
    steps: [],
  };
  // Failed or canceled steps of an earlier try are dropped: their chunk is dreamt again.
  state.steps = state.steps.filter((s) => s.status === 'completed' || s.status === 'pending' || s.status === 'running');
  const save = (): void => request.artifacts?.write(request.stateName, state);

  let input = request.inputStoreId;
  const failedUsage: Usage = { input_tokens: 0, output_tokens: 0, cache_read_tokens: 0, cache_write_tokens: 0 };
  const failed: DreamStep[] = [];
  for (let i = 0; i < chunks.length; i++) {
    let step: DreamStep | undefined = state.steps[i];
    if (step && step.input_store !== input) {
      state.steps.length = i; // an earlier step changed: everything after it is stale
      step = undefined;
    }
    if (step && step.status !== 'completed') {
      // A dream an earlier (killed) try started: follow it; if it did not complete, dream again.
      const final = await followDream(client, step, request, save);
      if (final.status !== 'completed') {
        // Billed all the same, and never charged (the try that started it was killed): it counts in this chain's usage.
        addTo(failedUsage, step.usage);
        await archiveFailedOutput(client, step, input, save);
        failed.push(step);
        state.steps.length = i;
        step = undefined;
      }
    }
    if (!step) {
      let dream: BetaDream;
      try {
        dream = await client.sdk.beta.dreams.create({
          inputs: [
            { type: 'memory_store', memory_store_id: input },
            { type: 'sessions', session_ids: chunks[i]! },
          ],
          model: request.model,
          ...(request.instructions ? { instructions: request.instructions } : {}),
          output_behavior:
            request.output === 'update_existing' ? { type: 'update_existing', memory_store_id: input } : { type: 'create_new' },
          betas: DREAM_BETAS,
        });
      } catch (error) {
        throw client.infra(error, 'create a dream');
      }
      step = {
        id: dream.id,
        status: dream.status,
        input_store: input,
        output_store: null,
        sessions: chunks[i]!.length,
        usage: dreamUsage(dream),
      };
      state.steps[i] = step;
      save();
      const final = await followDream(client, step, request, save);
      if (final.status !== 'completed') {
        addTo(failedUsage, step.usage);
        await archiveFailedOutput(client, step, input, save);
        failed.push(step);
        const why = step.error ? `${step.error.type}: ${step.error.message}` : final.reason;
        // The tokens a failed or canceled dream used (its usage once settled) were billed, and so was
        // its session's runtime: the run counts both, as it does a completed dream's.
        const runtime = runtimeOf(failed);
        throw new ModelInfraError(`managed agents: dream ${step.id} ${step.status} (${why})`, undefined, {
          ...failedUsage,
          cost_usd: costOf(request.model, failedUsage),
          ...(runtime !== undefined ? { runtime_cost_usd: runtime } : {}),
        });
      }
    }
    if (!step.output_store) throw new ModelInfraError(`managed agents: dream ${step.id} completed without an output memory store`);
    input = step.output_store;
  }
  // Every dream of the chain, and any that failed in this try before one completed: all were billed.
  const usage: Usage = { ...failedUsage };
  for (const step of state.steps) addTo(usage, step.usage);
  const steps = state.steps.slice(0, chunks.length);
  return {
    outputStoreId: input,
    steps,
    usage,
    runtime_cost_usd: runtimeOf([...steps, ...failed]) ?? 0,
    failed,
    wall_ms: Math.round(performance.now() - started),
  };
}

/** The runtime cost of the dreams' sessions, or undefined when none of them reported one. */
function runtimeOf(steps: readonly DreamStep[]): number | undefined {
  const reported = steps.filter((s) => s.runtime_cost_usd !== undefined);
  return reported.length ? reported.reduce((sum, s) => sum + (s.runtime_cost_usd ?? 0), 0) : undefined;
}

/** Poll a step's dream to its end and record what it became (status, usage, output store, error). */
async function followDream(
  client: ManagedClient,
  step: DreamStep,
  request: Pick<DreamRequest, 'timeoutMs' | 'poll' | 'signal' | 'usageQuietMs' | 'settleTimeoutMs'>,
  save: () => void,
): Promise<{ status: BetaDream['status']; reason: string }> {
  const { dream: ended, timedOut } = await pollDream(client, step.id, request);
  const { dream, settled } = await settledDream(client, ended, request);
  step.status = timedOut ? 'canceled' : dream.status;
  step.usage = dreamUsage(dream);
  step.usage_settled = settled;
  step.session_id = dream.session_id;
  if (dream.session_id) step.runtime_cost_usd = await dreamRuntime(client, dream.session_id);
  step.output_store = dream.outputs[0]?.memory_store_id ?? null;
  if (dream.error) step.error = { type: dream.error.type, message: dream.error.message };
  else if (timedOut)
    step.error = { type: 'timeout', message: `not finished after ${Math.round(request.timeoutMs / 1000)} s (dreambench canceled it)` };
  if (dream.ended_at && dream.created_at) step.wall_ms = Math.max(0, Date.parse(dream.ended_at) - Date.parse(dream.created_at));
  save();
  return { status: step.status, reason: step.error ? `${step.error.type}: ${step.error.message}` : step.status };
}

/**
 * The dream read again until its usage stops changing (it can after the end, after a cancel in
 * particular): settled once unchanged for `usageQuietMs`, given up (unsettled) after `settleTimeoutMs`.
 */
async function settledDream(
  client: ManagedClient,
  dream: BetaDream,
  request: Pick<DreamRequest, 'poll' | 'signal' | 'usageQuietMs' | 'settleTimeoutMs'>,
): Promise<{ dream: BetaDream; settled: boolean }> {
  const quiet = request.usageQuietMs ?? 2000;
  const deadline = Date.now() + Math.max(quiet, request.settleTimeoutMs ?? 30_000);
  let current = dream;
  let since = Date.now();
  const backoff = new Backoff(Math.min(250, request.poll.initial_ms), request.poll.max_ms, 2);
  for (;;) {
    await sleep(Math.min(backoff.next(), Math.max(1, deadline - Date.now())), request.signal);
    let next: BetaDream;
    try {
      next = await client.sdk.beta.dreams.retrieve(current.id, { betas: DREAM_BETAS });
    } catch (error) {
      throw client.infra(error, `read dream ${current.id}`);
    }
    const same = JSON.stringify(next.usage) === JSON.stringify(current.usage) && next.status === current.status;
    current = next;
    if (!same) since = Date.now();
    else if (Date.now() - since >= quiet) return { dream: current, settled: true };
    if (Date.now() >= deadline) return { dream: current, settled: false };
  }
}

/** The runtime cost of the session a dream ran in (its active time at the documented rate), when it can be read. */
async function dreamRuntime(client: ManagedClient, sessionId: string): Promise<number | undefined> {
  try {
    const totals = totalsOf(await client.sdk.beta.sessions.retrieve(sessionId));
    return totals.active_seconds !== undefined ? runtimeCostOf(totals.active_seconds) : undefined;
  } catch {
    // The dream's own session may not be readable by this key: the runtime stays unreported.
    return undefined;
  }
}

/** A canceled or failed dream's new output store holds partial work: archive it (update_existing wrote into dreambench's own copy). */
async function archiveFailedOutput(client: ManagedClient, step: DreamStep, input: string, save: () => void): Promise<void> {
  if (!step.output_store || step.output_store === input) return;
  try {
    await archiveStore(client, step.output_store);
    step.archived_output = step.output_store;
    step.output_store = null;
    save();
  } catch {
    // Archiving is housekeeping: a failure leaves the store for the Console, and the dream's failure stands.
  }
}

/** Poll a dream until it is completed, failed or canceled; at the timeout, cancel it. */
export async function pollDream(
  client: ManagedClient,
  id: string,
  request: Pick<DreamRequest, 'timeoutMs' | 'poll' | 'signal'>,
): Promise<{ dream: BetaDream; timedOut: boolean }> {
  const deadline = Date.now() + request.timeoutMs;
  const backoff = new Backoff(request.poll.initial_ms, request.poll.max_ms, request.poll.factor);
  for (;;) {
    let dream: BetaDream;
    try {
      dream = await client.sdk.beta.dreams.retrieve(id, { betas: DREAM_BETAS });
    } catch (error) {
      throw client.infra(error, `poll dream ${id}`);
    }
    if (dream.status === 'completed' || dream.status === 'failed' || dream.status === 'canceled') return { dream, timedOut: false };
    if (Date.now() >= deadline) {
      try {
        dream = await client.sdk.beta.dreams.cancel(id, { betas: DREAM_BETAS });
      } catch {
        // It may have just finished; either way this try is over.
      }
      return { dream, timedOut: dream.status !== 'completed' };
    }
    await sleep(Math.min(backoff.next(), Math.max(1, deadline - Date.now())), request.signal);
  }
}

function addTo(into: Usage, more: Usage): void {
  into.input_tokens += more.input_tokens;
  into.output_tokens += more.output_tokens;
  into.cache_read_tokens += more.cache_read_tokens;
  into.cache_write_tokens += more.cache_write_tokens;
}
