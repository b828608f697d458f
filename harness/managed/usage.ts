// A managed session's usage and cost as the API reports them, read the same way everywhere:
//
// - token counts with prompt-cache creation either nested (`cache_creation.ephemeral_5m_input_tokens`
//   and `ephemeral_1h_input_tokens`, the SDK's session and thread shape) or flat
//   (`cache_creation_input_tokens`, the span, dream and outcome-evaluation shape, and the session
//   shape the Session event stream guide shows): both are accepted wherever usage is read;
// - the session settled: its status lags the idle event, and the usage read right after it may not
//   include the last turn yet, so the session is read until it is no longer running and two reads agree;
// - the cost split in two, each with where it came from. Token cost is priced by pricing.json,
//   exactly as for the open arms, so arms compare like for like; runtime cost (the container's active
//   time, which only managed arms pay) is the documented rate x active_seconds, or, when the session
//   does not report active_seconds, its list_cost minus the token cost.

import type { BetaManagedAgentsSession } from '@anthropic-ai/sdk/resources/beta/sessions/sessions';
import type { Usage } from '../core/messages.js';
import { costOf } from '../models/pricing.js';
import { Backoff, sleep, type ManagedClient } from './client.js';
import { runtimeCostOf } from './service-facts.js';

/** Usage in any of the API's shapes (every field optional; cache creation nested or flat). */
export interface ApiUsage {
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
  cache_creation?: { ephemeral_1h_input_tokens?: number | null; ephemeral_5m_input_tokens?: number | null } | null;
}

export function usageOfApi(usage: ApiUsage | null | undefined): Usage {
  const nested = usage?.cache_creation
    ? (usage.cache_creation.ephemeral_5m_input_tokens ?? 0) + (usage.cache_creation.ephemeral_1h_input_tokens ?? 0)
    : undefined;
  return {
    input_tokens: usage?.input_tokens ?? 0,
    output_tokens: usage?.output_tokens ?? 0,
    cache_read_tokens: usage?.cache_read_input_tokens ?? 0,
    // Both shapes in one object would be the same tokens twice: nested wins.
    cache_write_tokens: nested ?? usage?.cache_creation_input_tokens ?? 0,
  };
}

/** A model-request span's usage (`model_usage`), an outcome evaluation's, a dream's. */
export const usageOfSpan = usageOfApi;

export interface SessionTotals {
  usage: Usage;
  active_seconds?: number;
  /** The session's cumulative list cost (tokens and runtime at public list rates), USD. */
  list_cost_usd?: number;
}

export function totalsOf(session: Pick<BetaManagedAgentsSession, 'usage'>): SessionTotals {
  const raw = session.usage as
    | (ApiUsage & { active_seconds?: number; list_cost?: { amount: string; currency: string } | null })
    | undefined;
  const listCost = dollars(raw?.list_cost);
  return {
    usage: usageOfApi(raw),
    ...(raw?.active_seconds !== undefined ? { active_seconds: raw.active_seconds } : {}),
    ...(listCost !== undefined ? { list_cost_usd: listCost } : {}),
  };
}

/** A BetaMonetaryAmount (minor units as a decimal string) in USD. */
export function dollars(amount: { amount: string; currency: string } | null | undefined): number | undefined {
  if (amount?.currency !== 'USD') return undefined;
  const value = Number(amount.amount);
  return Number.isFinite(value) ? value / 100 : undefined;
}

/**
 * The session once its usage has settled: read until its status is no longer `running` (or
 * `rescheduling`) and its usage has not changed for `quietMs` (two reads at least that far apart
 * agreeing), within `timeoutMs` (then the last read, marked unsettled).
 */
export async function settledSession(
  client: ManagedClient,
  sessionId: string,
  options: { initialMs: number; maxMs: number; timeoutMs: number; quietMs?: number; signal?: AbortSignal },
): Promise<{ session: BetaManagedAgentsSession; settled: boolean; reads: number }> {
  const deadline = Date.now() + options.timeoutMs;
  const backoff = new Backoff(options.initialMs, options.maxMs, 2);
  let previous: string | undefined;
  let since = 0;
  for (let reads = 1; ; reads++) {
    let session: BetaManagedAgentsSession;
    try {
      session = await client.sdk.beta.sessions.retrieve(sessionId);
    } catch (error) {
      throw client.infra(error, `retrieve session ${sessionId}`);
    }
    const key = JSON.stringify(totalsOf(session));
    const stopped = session.status !== 'running' && session.status !== 'rescheduling';
    if (stopped && key === previous && Date.now() - since >= (options.quietMs ?? 0)) return { session, settled: true, reads };
    if (!stopped || key !== previous) since = Date.now();
    previous = stopped ? key : undefined;
    if (Date.now() >= deadline) return { session, settled: false, reads };
    await sleep(Math.min(backoff.next(), Math.max(1, deadline - Date.now())), options.signal);
  }
}

export interface CostSplit {
  /** Tokens priced by pricing.json: the figure arms are compared on. */
  token_cost_usd: number;
  token_cost_source: 'pricing.json';
  /** The container's active time: only the managed arms pay it. */
  runtime_cost_usd?: number;
  runtime_cost_source: 'active_seconds x documented rate' | 'list cost minus token cost' | 'not reported';
  /** What the session itself reported for this run (tokens and runtime together). */
  list_cost_usd?: number;
}

/** This run's cost, from its token usage and the change in the session's totals since `before`. */
export function splitCost(modelId: string, usage: Usage, now: SessionTotals, before?: SessionTotals): CostSplit {
  const tokenCost = costOf(modelId, usage);
  const listCost = now.list_cost_usd !== undefined ? Math.max(0, now.list_cost_usd - (before?.list_cost_usd ?? 0)) : undefined;
  let runtime: number | undefined;
  let source: CostSplit['runtime_cost_source'] = 'not reported';
  if (now.active_seconds !== undefined) {
    runtime = runtimeCostOf(Math.max(0, now.active_seconds - (before?.active_seconds ?? 0)));
    source = 'active_seconds x documented rate';
  } else if (listCost !== undefined) {
    runtime = Math.max(0, listCost - tokenCost);
    source = 'list cost minus token cost';
  }
  return {
    token_cost_usd: tokenCost,
    token_cost_source: 'pricing.json',
    ...(runtime !== undefined ? { runtime_cost_usd: runtime } : {}),
    runtime_cost_source: source,
    ...(listCost !== undefined ? { list_cost_usd: listCost } : {}),
  };
}
