// What a run has spent, as the provider billed it: every trial attempt in trials.jsonl (failed ones
// a resume re-ran included: they were billed too), the arms' after-task calls, every consolidation
// (failed ones that were billed too) and the preflight requests (from events.jsonl). Tokens are all four kinds (input, output, cache
// reads, cache writes), as in the trial token budget, so the run budget and the bill agree.

import { totalTokens, type Usage } from '../core/messages.js';
import type { TrialRecord } from '../core/records.js';
import { forEachJsonLine, type RunDir } from '../storage/run-dir.js';

export interface Spend {
  cost: number;
  tokens: number;
}

export function charge(spend: Spend, record: TrialRecord): void {
  spend.cost += record.cost_usd + (record.arm_usage?.cost_usd ?? 0);
  spend.tokens +=
    record.input_tokens +
    record.output_tokens +
    record.cache_read_tokens +
    record.cache_write_tokens +
    (record.arm_usage ? totalTokens(record.arm_usage) : 0);
}

export function chargeUsage(spend: Spend, usage: Usage & { cost_usd: number }): void {
  spend.cost += usage.cost_usd;
  spend.tokens += totalTokens(usage);
}

/** Journal events whose `usage` was billed: consolidations, failed ones too (a vendor dream that failed after it ran), and preflights. */
const CHARGED_EVENTS = new Set(['session_consolidated', 'consolidation_failed', 'preflight']);

/** Everything spent so far in the run directory (see the header). */
export function spendSoFar(dir: RunDir): Spend {
  const spend: Spend = { cost: 0, tokens: 0 };
  // Both files are streamed, one line at a time: a resumed run of 100,000 trials does not hold them.
  forEachJsonLine<TrialRecord>(dir.trialsPath, (record) => charge(spend, record));
  forEachJsonLine<{ type?: string; usage?: Partial<Usage> & { cost_usd?: number } }>(dir.eventsPath, (event) => {
    if (!CHARGED_EVENTS.has(event.type ?? '') || !event.usage) return;
    const u = event.usage;
    chargeUsage(spend, {
      input_tokens: u.input_tokens ?? 0,
      output_tokens: u.output_tokens ?? 0,
      cache_read_tokens: u.cache_read_tokens ?? 0,
      cache_write_tokens: u.cache_write_tokens ?? 0,
      cost_usd: u.cost_usd ?? 0,
    });
  });
  return spend;
}
