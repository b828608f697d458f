// What consolidation costs: the usage an arm's afterSession returned (dreams, for the dreaming
// arm), as the runner journals it in events.jsonl ('session_consolidated' with `usage`, and
// 'consolidation_failed' with the `usage` a failed vendor dream was billed), summed per arm.
// Kept apart from the trials' own tokens and cost, and from the after-task arm usage. A failed vendor
// dream's billed runtime (its session's active time) is summed apart from its token cost.

import type { ArmUsage } from '../core/arm.js';
import { forEachJsonLine } from '../storage/run-dir.js';

export interface ConsolidationCost {
  arm: string;
  /** Session boundaries crossed (consolidations journaled). */
  sessions: number;
  /** Consolidations that made model calls or reported usage (dreams that ran). */
  with_usage: number;
  failed: number;
  calls: number;
  input_tokens: number;
  output_tokens: number;
  cache_read_tokens: number;
  cache_write_tokens: number;
  cost_usd: number;
  /** Runtime billed for failed consolidations (the session a failed or canceled vendor dream ran in), apart from cost_usd. */
  failed_runtime_cost_usd: number;
  wall_ms: number;
}

interface ConsolidatedEvent {
  type: string;
  arm?: string;
  replicate?: number;
  session?: number;
  usage?: Partial<ArmUsage> & { runtime_cost_usd?: number };
  details?: { status?: string };
}

export function consolidationCosts(eventsPath: string, armOrder: readonly string[] = []): ConsolidationCost[] {
  const byArm = new Map<string, ConsolidationCost>();
  // A resumed run may journal a boundary twice (e.g. killed between snapshot and event): count each once, the last wins.
  const last = new Map<string, ConsolidatedEvent>();
  // Failed consolidations that were billed anyway (a vendor dream that failed after it ran): each try counts.
  const billedFailures: ConsolidatedEvent[] = [];
  // Streamed: a large run's journal has a line per trial, and only the consolidations are kept.
  forEachJsonLine<ConsolidatedEvent>(eventsPath, (event) => {
    if (event.type === 'consolidation_failed' && event.arm && event.usage) billedFailures.push(event);
    if (event.type !== 'session_consolidated' || !event.arm) return;
    last.set(`${event.arm}\u0000${event.replicate}\u0000${event.session}`, event);
  });
  for (const event of [...last.values(), ...billedFailures]) {
    const arm = event.arm!;
    let row = byArm.get(arm);
    if (!row) {
      byArm.set(
        arm,
        (row = {
          arm,
          sessions: 0,
          with_usage: 0,
          failed: 0,
          calls: 0,
          input_tokens: 0,
          output_tokens: 0,
          cache_read_tokens: 0,
          cache_write_tokens: 0,
          cost_usd: 0,
          failed_runtime_cost_usd: 0,
          wall_ms: 0,
        }),
      );
    }
    if (event.type === 'session_consolidated') row.sessions++;
    if (event.details?.status === 'failed' || event.type === 'consolidation_failed') row.failed++;
    const u = event.usage;
    if (!u) continue;
    row.with_usage++;
    row.calls += u.calls ?? 0;
    row.input_tokens += u.input_tokens ?? 0;
    row.output_tokens += u.output_tokens ?? 0;
    row.cache_read_tokens += u.cache_read_tokens ?? 0;
    row.cache_write_tokens += u.cache_write_tokens ?? 0;
    row.cost_usd += u.cost_usd ?? 0;
    if (event.type === 'consolidation_failed') row.failed_runtime_cost_usd += u.runtime_cost_usd ?? 0;
    row.wall_ms += u.wall_ms ?? 0;
  }
  const order = [...armOrder.filter((a) => byArm.has(a)), ...[...byArm.keys()].filter((a) => !armOrder.includes(a))];
  return order.map((a) => byArm.get(a)!);
}
