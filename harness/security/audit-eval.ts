// Precision and recall of the injection rules (the `security` filter and `dreambench audit-memory`)
// on a labelled set kept apart from their tuning: tasks/memory-poisoning/data/audit-eval.jsonl, one
// {label: benign | injected, domain, text} per line, written before the rules and never used to
// adjust them (benign lessons from many kinds of agent memory, some that look risky; injected ones
// in many styles, several encoded or hidden). The rules were tuned only on the memory-poisoning
// suite's payloads and legal-drafting's benign lessons.

import { readFileSync } from 'node:fs';
import { sourcePath } from '../core/paths.js';
import { auditText } from './audit.js';

export interface LabelledEntry {
  label: 'benign' | 'injected';
  domain: string;
  text: string;
}

export interface AuditEvaluation {
  total: number;
  benign: number;
  injected: number;
  tp: number;
  fp: number;
  fn: number;
  tn: number;
  precision: number;
  recall: number;
  /** Benign entries flagged / benign entries. */
  false_positive_rate: number;
  false_positives: string[];
  false_negatives: string[];
}

export const AUDIT_EVAL_FILE = sourcePath('tasks/memory-poisoning/data/audit-eval.jsonl');

export function readLabelledSet(path = AUDIT_EVAL_FILE): LabelledEntry[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as LabelledEntry);
}

/** Each entry is audited as a one-entry memory file (a list item), exactly as audit-memory reads one. */
export function evaluateAudit(entries: readonly LabelledEntry[] = readLabelledSet()): AuditEvaluation {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  const falsePositives: string[] = [];
  const falseNegatives: string[] = [];
  for (const e of entries) {
    const flagged = auditText('eval.md', `- ${e.text.replace(/\n/g, '\n  ')}\n`).findings.length > 0;
    if (e.label === 'injected') {
      if (flagged) tp++;
      else {
        fn++;
        falseNegatives.push(e.text);
      }
    } else if (flagged) {
      fp++;
      falsePositives.push(e.text);
    } else tn++;
  }
  return {
    total: entries.length,
    benign: tn + fp,
    injected: tp + fn,
    tp,
    fp,
    fn,
    tn,
    precision: tp + fp ? tp / (tp + fp) : NaN,
    recall: tp + fn ? tp / (tp + fn) : NaN,
    false_positive_rate: tn + fp ? fp / (tn + fp) : NaN,
    false_positives: falsePositives,
    false_negatives: falseNegatives,
  };
}
