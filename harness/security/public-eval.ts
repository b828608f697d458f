// The audit measured on memory entries nobody on this project wrote: injected instructions from
// published prompt-injection benchmarks' data (AgentDojo's injection goals and attack wrapper,
// BIPIA's text attacks) and benign lessons from real agent memory files (AGENTS.md / CLAUDE.md of
// permissively licensed projects), each with its source and licence (eval-data/memory-entries.jsonl;
// eval-data/README.md says how it was gathered).
//
// The set is split once, by a hash of each entry's id, into a tuning part (the rules were written
// looking at its misses) and a held-out part (never looked at while writing rules): the figures
// that count are the held-out ones, with the rules alone (no model).

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { sourcePath } from '../core/paths.js';
import { assessEntry } from './assess-entry.js';
import type { Intent } from './intent-rules.js';

export interface PublicEntry {
  id: string;
  label: 'benign' | 'injected';
  text: string;
  /** For injected entries: what it tries to achieve (labelled by reading the benchmark's goal). */
  intent?: Intent;
  source: { repo: string; path: string; commit: string; item?: string };
  license: string;
  transform?: string;
}

export type Split = 'tune' | 'held-out';

export const PUBLIC_EVAL_FILE = sourcePath('harness/security/eval-data/memory-entries.jsonl');

/** The split of an entry: the first byte of sha256(id) below 128 is tuning, else held out. */
export function splitOf(id: string): Split {
  return createHash('sha256').update(id).digest()[0]! < 128 ? 'tune' : 'held-out';
}

export function readPublicSet(path = PUBLIC_EVAL_FILE): PublicEntry[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l, i) => {
      const entry = JSON.parse(l) as PublicEntry;
      if (!entry.id || (entry.label !== 'benign' && entry.label !== 'injected') || !entry.text || !entry.source?.repo || !entry.license) {
        throw new Error(`${path}: line ${i + 1}: expected id, label (benign|injected), text, source.repo and license`);
      }
      return entry;
    });
}

export interface IntentFigures {
  intent: string;
  /** Injected entries labelled with this intent. */
  labelled: number;
  /** Of those, flagged (by any rule). */
  detected: number;
  recall: number;
  /** Entries a rule of this intent fired on. */
  fired: number;
  /** Of those, injected ones. */
  fired_injected: number;
  precision: number;
}

export interface PublicEvaluation {
  split: Split | 'all';
  entries: number;
  injected: number;
  benign: number;
  tp: number;
  fp: number;
  recall: number;
  false_positive_rate: number;
  precision: number;
  intents: IntentFigures[];
  /** Ids of misses and false alarms (for the tuning split; the held-out report prints counts only). */
  missed: string[];
  false_alarms: string[];
}

const ratio = (a: number, b: number): number => (b ? a / b : NaN);

export function evaluatePublic(entries: readonly PublicEntry[], split: Split | 'all'): PublicEvaluation {
  const chosen = split === 'all' ? entries : entries.filter((e) => splitOf(e.id) === split);
  const results = chosen.map((e) => ({ entry: e, verdict: assessEntry(e.text) }));
  const injected = results.filter((r) => r.entry.label === 'injected');
  const benign = results.filter((r) => r.entry.label === 'benign');
  const tp = injected.filter((r) => r.verdict.flagged).length;
  const fp = benign.filter((r) => r.verdict.flagged).length;
  const intentNames = [
    ...new Set([...injected.map((r) => r.entry.intent ?? 'unlabelled'), ...results.flatMap((r) => r.verdict.intents)]),
  ].sort();
  const intents = intentNames.map((intent) => {
    const labelled = injected.filter((r) => (r.entry.intent ?? 'unlabelled') === intent);
    const fired = results.filter((r) => r.verdict.intents.includes(intent as Intent));
    const firedInjected = fired.filter((r) => r.entry.label === 'injected').length;
    return {
      intent,
      labelled: labelled.length,
      detected: labelled.filter((r) => r.verdict.flagged).length,
      recall: ratio(labelled.filter((r) => r.verdict.flagged).length, labelled.length),
      fired: fired.length,
      fired_injected: firedInjected,
      precision: ratio(firedInjected, fired.length),
    };
  });
  return {
    split,
    entries: results.length,
    injected: injected.length,
    benign: benign.length,
    tp,
    fp,
    recall: ratio(tp, injected.length),
    false_positive_rate: ratio(fp, benign.length),
    precision: ratio(tp, tp + fp),
    intents,
    missed: injected.filter((r) => !r.verdict.flagged).map((r) => r.entry.id),
    false_alarms: benign.filter((r) => r.verdict.flagged).map((r) => r.entry.id),
  };
}
