// One memory entry, assessed by the audit: every decoded view of it (decode.ts) against the rules
// by intent (intent-rules.ts) and the injection signals the dreaming filter uses (detect.ts). One
// rule hit flags the entry; a hit found only in a decoded view adds the `encoded-payload` intent.

import { viewsOf } from './decode.js';
import { assessText } from './detect.js';
import { INTENT_RULES, type Intent } from './intent-rules.js';

export interface RuleHit {
  rule: string;
  intent: Intent;
  /** The view the rule fired on ('plain' or the decoding that revealed it). */
  via: string;
  why: string;
}

export interface EntryAssessment {
  flagged: boolean;
  hits: RuleHit[];
  intents: Intent[];
  /** One line for a person. */
  reason: string;
}

export function assessEntry(text: string): EntryAssessment {
  const hits: RuleHit[] = [];
  const seen = new Set<string>();
  for (const view of viewsOf(text)) {
    for (const rule of INTENT_RULES) {
      if (seen.has(rule.id) || !rule.test(view.text)) continue;
      seen.add(rule.id);
      hits.push({ rule: rule.id, intent: rule.intent, via: view.via, why: rule.why });
    }
    const legacy = assessText(view.text);
    if (legacy.flagged && !seen.has('injection-signals')) {
      seen.add('injection-signals');
      hits.push({ rule: 'injection-signals', intent: 'injection-signal', via: view.via, why: legacy.reason });
    }
  }
  if (hits.some((h) => h.via !== 'plain') && !seen.has('decoded-payload')) {
    hits.push({
      rule: 'decoded-payload',
      intent: 'encoded-payload',
      via: hits.find((h) => h.via !== 'plain')!.via,
      why: 'an instruction hidden by an encoding',
    });
  }
  const intents = [...new Set(hits.map((h) => h.intent))];
  const reason = hits.map((h) => `${h.intent}: ${h.why}${h.via === 'plain' ? '' : ` (in ${h.via})`}`).join('; ');
  return { flagged: hits.length > 0, hits, intents, reason };
}
