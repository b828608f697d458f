// `dreambench audit-memory --model SPEC`: every entry also goes to a model, which gives a verdict
// (injected or not) and a reason, with the rules' hits passed along as evidence (classifier.ts: the
// same request the dreaming arm's classifier sends). The model's verdict decides what is reported;
// an entry the rules flagged and the model cleared is kept in the JSON with both opinions. Entries
// go in batches so a long memory stays within a reply's size. A reply that cannot be used, even
// after the classifier's one repair retry, holds its whole batch as injected (fail closed).

import type { ArmUsage } from '../core/arm.js';
import type { ModelClient } from '../core/messages.js';
import { assessEntry } from './assess-entry.js';
import type { AuditEntry, AuditFinding, AuditResult } from './audit.js';
import { classifyTexts } from './classifier.js';

/** Entries per model call. */
export const MODEL_BATCH = 20;

export interface ModelAuditOutcome {
  result: AuditResult;
  /** Every entry with both opinions (for --json). */
  verdicts: AuditFinding[];
}

export async function auditWithModel(result: AuditResult, model: ModelClient, spec: string): Promise<ModelAuditOutcome> {
  const entries: AuditEntry[] = result.all ?? [];
  const usage: ArmUsage = {
    input_tokens: 0,
    output_tokens: 0,
    cache_read_tokens: 0,
    cache_write_tokens: 0,
    cost_usd: 0,
    calls: 0,
    wall_ms: 0,
  };
  const verdicts: AuditFinding[] = [];
  const errors: string[] = [];
  let calls = 0;
  for (let start = 0; start < entries.length; start += MODEL_BATCH) {
    const batch = entries.slice(start, start + MODEL_BATCH);
    const assessed = batch.map((e) => assessEntry(e.entry));
    const reply = await classifyTexts(
      model,
      batch.map((e) => e.entry),
      `audit-memory:${start}`,
      usage,
      assessed.map((a) => a.hits.map((h) => `${h.intent}: ${h.why}`)),
    );
    calls += reply.calls;
    if (reply.error) errors.push(`entries ${start + 1}-${start + batch.length}: ${reply.error}`);
    batch.forEach((entry, i) => {
      const a = assessed[i]!;
      const v = reply.verdicts[i]!;
      verdicts.push({
        ...entry,
        reason: a.reason,
        intents: a.intents,
        rule_hits: a.hits.map((h) => `${h.intent}/${h.rule}${h.via === 'plain' ? '' : ` (${h.via})`}`),
        model: { injected: v.injected, reason: v.reason },
      });
    });
  }
  return {
    result: {
      ...result,
      findings: verdicts.filter((v) => v.model?.injected),
      model: { spec, calls, ...(errors.length ? { error: `Unusable replies (held as injected): ${errors.join('; ')}` } : {}) },
    },
    verdicts,
  };
}
