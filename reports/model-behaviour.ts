// "Model behaviour" in the report: per arm, what the provider and the model did that is not the
// agent's success or failure: refusals, replies cut at max_tokens, conversations that outgrew the
// context window, permanent provider errors (explained, with what to do), thinking tokens, and
// prompt-cache efficiency (cache-read tokens over re-sent prefix tokens in multi-turn trials), plus
// whether the run's cost is incomplete (models run without a price).

import type { TrialRecord } from '../harness/core/records.js';
import { formatNumber, mdTable } from './summary.js';

export interface BehaviourRow {
  arm: string;
  trials: number;
  refusals: number;
  max_tokens: number;
  context: number;
  permanent: number;
  thinking_tokens: number;
  /** Cache-read tokens over re-sent prefix tokens; null when no trial had a second turn. */
  cache_efficiency: number | null;
}

export interface ModelBehaviour {
  rows: BehaviourRow[];
  /** Models run without a price (manifest cost_incomplete). */
  cost_incomplete: string[];
  /** Distinct permanent-error messages (at most three). */
  permanent_errors: string[];
}

export function modelBehaviour(
  trials: readonly TrialRecord[],
  arms: readonly string[],
  costIncomplete: readonly string[] = [],
): ModelBehaviour {
  const rows = arms.map((arm): BehaviourRow => {
    const mine = trials.filter((t) => t.arm === arm);
    const resent = mine.reduce((sum, t) => sum + (t.cache_prefix?.resent_tokens ?? 0), 0);
    const read = mine.reduce((sum, t) => sum + (t.cache_prefix?.read_tokens ?? 0), 0);
    return {
      arm,
      trials: mine.length,
      refusals: mine.reduce((sum, t) => sum + (t.refusals ?? 0), 0),
      max_tokens: mine.filter((t) => t.error_class === 'budget' && (t.error ?? '').includes('max_tokens')).length,
      context: mine.filter((t) => t.error_class === 'context').length,
      permanent: mine.filter((t) => t.error_class === 'permanent').length,
      thinking_tokens: mine.reduce((sum, t) => sum + (t.thinking_tokens ?? 0), 0),
      cache_efficiency: resent > 0 ? read / resent : null,
    };
  });
  const permanent_errors = [...new Set(trials.filter((t) => t.error_class === 'permanent' && t.error).map((t) => t.error!))].slice(0, 3);
  return { rows, cost_incomplete: [...costIncomplete], permanent_errors };
}

/** The Markdown section (empty when there is nothing to say). */
export function renderModelBehaviour(b: ModelBehaviour): string[] {
  const out: string[] = [];
  if (b.cost_incomplete.length > 0) {
    out.push(
      `> **Cost is incomplete**: ${b.cost_incomplete.map((m) => `\`${m}\``).join(', ')} ran without a price (allow_unpriced), so their calls count as $0; every cost figure in this report is a lower bound.`,
      '',
    );
  }
  out.push('## Model behaviour', '');
  out.push(
    mdTable(
      ['Arm', 'Trials', 'Refusals', 'Cut at max_tokens', 'Context exceeded', 'Permanent errors', 'Thinking tokens', 'Cache efficiency'],
      b.rows.map((r) => [
        r.arm,
        formatNumber(r.trials),
        formatNumber(r.refusals),
        formatNumber(r.max_tokens),
        formatNumber(r.context),
        formatNumber(r.permanent),
        formatNumber(r.thinking_tokens),
        r.cache_efficiency === null ? '–' : `${(r.cache_efficiency * 100).toFixed(1)}%`,
      ]),
      ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
    ),
    '',
    'Refusals: replies with stop_reason refusal (counted as agent failures). Cut at max_tokens: trials stopped because a reply hit max_tokens (class budget; a tool call it cut off was never run). ' +
      'Context exceeded: the conversation outgrew the context window (class context). Permanent errors: provider errors that retrying will not fix (class permanent; left out of every rate like infrastructure failures). ' +
      'Cache efficiency: cache-read tokens over the prefix tokens each turn re-sent in multi-turn trials (one caching policy for every arm).',
    '',
  );
  if (b.permanent_errors.length > 0) {
    out.push(
      'Permanent errors seen (resume does not re-run these trials; fix the cause, then `dreambench resume <run> --retry-permanent`):',
      '',
      ...b.permanent_errors.map((e) => `- ${e}`),
      '',
    );
  }
  return out;
}
