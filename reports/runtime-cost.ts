// Token cost and runtime cost apart, for arms whose trials run on a provider's runtime (the managed-*
// arms: a Claude Managed Agents session bills its container's active time on top of tokens). Every
// arm is compared on token cost (the trial's cost_usd, priced by harness/models/pricing.json for
// every arm alike); the runtime cost is what only these arms pay, shown beside it with where each
// figure came from, and the provider's own list cost (tokens and runtime together) as a cross-check.
// Dreams: the runtime of the session a vendor dream ran in (the changeset's stages.dreams[]), and
// that of dreams that failed or were canceled, billed all the same: those before one completed
// (stages.failed_dreams[]) and those of a consolidation that failed (its journaled usage).

import type { TrialRecord } from '../harness/core/records.js';
import type { ConsolidationCost } from '../harness/dreaming/costs.js';
import type { DreamRecord } from './run-data.js';
import { formatUsd, mdTable } from './summary.js';

export const TOKEN_COST_SOURCE = 'price table (harness/models/pricing.json)';

export interface RuntimeCostRow {
  arm: string;
  trials: number;
  /** The trials' cost_usd: tokens priced by the price table, the figure arms are compared on. */
  token_cost_usd: number;
  token_cost_source: string;
  /** The trials' runtime_cost_usd. */
  runtime_cost_usd: number;
  /** Where the runtime cost came from, with how many trials each source priced. */
  runtime_cost_sources: Record<string, number>;
  /** The provider's own list cost (tokens and runtime together), summed over the trials that report it; null when none does. */
  list_cost_usd: number | null;
  list_cost_trials: number;
  /** list cost - (token + runtime cost) over the trials that report a list cost: near 0 when the price table matches the provider's prices. */
  list_cost_gap_usd: number | null;
  /** Runtime of the sessions the arm's dreams ran in, when the provider reported it: failed and canceled dreams' included. */
  dream_runtime_cost_usd: number;
  /** The part of dream_runtime_cost_usd that failed or canceled dreams ran up. */
  failed_dream_runtime_cost_usd: number;
  dreams: number;
  /** Dreams whose session's runtime was reported (the session a dream ran in may not be readable). */
  dreams_runtime_reported: number;
}

interface DreamStage {
  runtime_cost_usd?: number;
}

/** One row per arm that ran on a runtime with a cost of its own (any trial with a runtime cost, a source or a list cost); [] for runs without one. */
export function runtimeCosts(
  trials: readonly TrialRecord[],
  arms: readonly string[],
  dreams: readonly DreamRecord[] = [],
  consolidation: readonly Pick<ConsolidationCost, 'arm' | 'failed_runtime_cost_usd'>[] = [],
): RuntimeCostRow[] {
  const rows: RuntimeCostRow[] = [];
  for (const arm of arms) {
    const own = trials.filter((t) => t.arm === arm);
    if (!own.some((t) => t.runtime_cost_usd !== undefined || t.runtime_cost_source !== undefined || t.list_cost_usd !== undefined))
      continue;
    const sources: Record<string, number> = {};
    for (const t of own) {
      const source = t.runtime_cost_source ?? 'not reported';
      sources[source] = (sources[source] ?? 0) + 1;
    }
    const listed = own.filter((t) => t.list_cost_usd !== undefined);
    const listCost = listed.reduce((s, t) => s + (t.list_cost_usd ?? 0), 0);
    const listedOwnCost = listed.reduce((s, t) => s + t.cost_usd + (t.runtime_cost_usd ?? 0), 0);
    const ownDreams = dreams.filter((d) => d.arm === arm);
    const stagesOf = (key: string): DreamStage[] =>
      ownDreams.flatMap((d) => (Array.isArray(d.changeset.stages[key]) ? (d.changeset.stages[key] as DreamStage[]) : []));
    const stages = stagesOf('dreams');
    const runtimeOf = (list: DreamStage[]): number =>
      list.reduce((s, d) => s + (typeof d.runtime_cost_usd === 'number' ? d.runtime_cost_usd : 0), 0);
    const failedRuntime =
      runtimeOf(stagesOf('failed_dreams')) + consolidation.filter((c) => c.arm === arm).reduce((s, c) => s + c.failed_runtime_cost_usd, 0);
    rows.push({
      arm,
      trials: own.length,
      token_cost_usd: own.reduce((s, t) => s + t.cost_usd, 0),
      token_cost_source: TOKEN_COST_SOURCE,
      runtime_cost_usd: own.reduce((s, t) => s + (t.runtime_cost_usd ?? 0), 0),
      runtime_cost_sources: sources,
      list_cost_usd: listed.length ? listCost : null,
      list_cost_trials: listed.length,
      list_cost_gap_usd: listed.length ? listCost - listedOwnCost : null,
      dream_runtime_cost_usd: runtimeOf(stages) + failedRuntime,
      failed_dream_runtime_cost_usd: failedRuntime,
      dreams: stages.length,
      dreams_runtime_reported: stages.filter((d) => typeof d.runtime_cost_usd === 'number').length,
    });
  }
  return rows;
}

const sourcesText = (sources: Record<string, number>): string =>
  Object.entries(sources)
    .map(([source, n]) => `${source} (${n})`)
    .join('; ');

function dreamCell(r: RuntimeCostRow): string {
  const failed = r.failed_dream_runtime_cost_usd > 0 ? `${formatUsd(r.failed_dream_runtime_cost_usd)} of it failed dreams` : '';
  if (r.dreams === 0) return failed ? `${formatUsd(r.dream_runtime_cost_usd)} (failed dreams)` : '–';
  if (r.dreams_runtime_reported === 0 && !failed) return `not reported (${r.dreams} dreams)`;
  const completed =
    r.dreams_runtime_reported === 0 ? `completed dreams: not reported (${r.dreams})` : `${r.dreams_runtime_reported} of ${r.dreams} dreams`;
  return `${formatUsd(r.dream_runtime_cost_usd)} (${[completed, failed].filter(Boolean).join('; ')})`;
}

/** The section for summary.md and report.md; [] when no arm has a runtime cost. */
export function runtimeCostMarkdown(rows: readonly RuntimeCostRow[], heading = '##'): string[] {
  if (rows.length === 0) return [];
  const header = [
    'Arm',
    'Trials',
    'Token cost',
    'Runtime cost',
    'Runtime cost from (trials)',
    'List cost (provider)',
    'List − (token + runtime)',
    'Dream runtime',
  ];
  return [
    `${heading} Token cost and runtime cost`,
    '',
    `Arms are compared on **token cost**: every arm's tokens priced by the same ${TOKEN_COST_SOURCE}. ` +
      'The runtime cost (a managed session bills its container’s active time) is what only these arms pay, and is kept apart; ' +
      'the list cost is what the provider itself reported (tokens and runtime together, at its list prices), a cross-check of the other two.',
    '',
    mdTable(
      header,
      rows.map((r) => [
        r.arm,
        String(r.trials),
        formatUsd(r.token_cost_usd),
        formatUsd(r.runtime_cost_usd),
        sourcesText(r.runtime_cost_sources),
        r.list_cost_usd === null ? 'not reported' : `${formatUsd(r.list_cost_usd)} (${r.list_cost_trials} trials)`,
        r.list_cost_gap_usd === null ? '–' : formatUsd(r.list_cost_gap_usd),
        dreamCell(r),
      ]),
      header.map((_, i) => (i === 0 || i === 4 ? 'l' : 'r')),
    ),
    '',
  ];
}
