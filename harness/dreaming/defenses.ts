// Memory-poisoning defenses of a dream, run after curation and before review. Each is an
// option of the dreaming arm (and of standalone dreaming), off by default:
//
//   classifier: true          a model call (purpose 'classify') screens every text the dream would
//                             add or change; what it calls injected is rejected (by: classifier)
//   quarantine:               an added entry whose evidence comes from fewer than `min_sources`
//     min_sources: 2          distinct source documents (tasks) is held back (by: quarantine) in
//     hold_sessions: 4        held/quarantine.json until a later dream corroborates it from another
//                             source (then it is added, with the merged evidence), or for at most
//                             `hold_sessions` sessions (then it is dropped)
//   max_updates: N            at most N additions and text edits per dream, the best supported first
//                             (by distinct sources, then trials); the rest are rejected (by: cap)
//
// A rejected addition takes with it the deletions it caused (the entries it contradicted), so a
// refused poison never deletes the good lesson it contradicts. Every decision stays in the
// changeset, with its reason, and `defenses` in the changeset counts them.

import type { ArmUsage, MemoryFiles } from '../core/arm.js';
import type { ModelClient } from '../core/messages.js';
import { assessEntry } from '../security/assess-entry.js';
import { classifyTexts } from '../security/classifier.js';
import type { Change, ChangeReview, Changeset } from './changeset.js';
import type { ReplayedTrial } from './replay.js';
import { directiveOf, HELD_DIR, normaliseText, textSimilarity, type Category } from './store.js';

export interface QuarantineConfig {
  min_sources: number;
  hold_sessions: number;
}

export const DEFAULT_QUARANTINE: QuarantineConfig = { min_sources: 2, hold_sessions: 4 };

export const QUARANTINE_FILE = `${HELD_DIR}/quarantine.json`;

/** One entry held back, as kept in held/quarantine.json. */
export interface HeldEntry {
  id: string;
  file: string;
  category: Category;
  text: string;
  /** Supporting trial ids so far. */
  evidence: string[];
  /** Distinct source documents (task ids) of the evidence. */
  sources: string[];
  /** The session in which it was first held. */
  since: number;
  /** The dream that last held it. */
  dream: string;
}

export interface DefenseRecord {
  classifier?: { calls: number; screened: number; flagged: number; error?: string };
  quarantine?: { held: number; released: number; expired: number; waiting: number };
  cap?: { limit: number; proposed: number; rejected: number };
}

/** The source document of a trial: its task (from the replay, else from a run's trial id), else the trial itself. */
export function sourceOf(id: string, trials?: ReadonlyMap<string, ReplayedTrial>): string {
  const replayed = trials?.get(id);
  if (replayed?.task && replayed.task !== id) return replayed.task;
  const m = /\/s\d{3,}\/\d{3,}-(.+)$/.exec(id);
  return m ? m[1]! : id;
}

export function sourcesOf(ids: readonly string[], trials?: ReadonlyMap<string, ReplayedTrial>): string[] {
  return [...new Set(ids.map((id) => sourceOf(id, trials)))].sort();
}

const now = (): string => new Date().toISOString();

/** Changes that add or rewrite text (what the defenses screen). */
function writes(changeset: Changeset): Change[] {
  return changeset.changes.filter(
    (c) => c.status === 'pending' && (c.kind === 'add' || (c.kind === 'edit' && c.after !== undefined && c.after !== c.before)),
  );
}

/** Reject a change, and the pending deletions its finding caused (contradicted entries). */
export function rejectChange(changeset: Changeset, change: Change, review: Omit<ChangeReview, 'at'>): void {
  change.status = 'rejected';
  change.review = { ...review, at: now() };
  const d = change.after !== undefined ? directiveOf(change.after) : undefined;
  if (!d) return;
  const marker = `${d.choice}="${d.value}" replaces`;
  for (const other of changeset.changes) {
    if (
      other.status === 'pending' &&
      other.kind === 'delete' &&
      other.reason.startsWith('contradicted by trials') &&
      other.reason.includes(marker)
    ) {
      other.status = 'rejected';
      other.review = { by: review.by, rule: `the finding that contradicted it (#${change.n}) was rejected`, at: now() };
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Classifier

export async function applyClassifier(
  changeset: Changeset,
  model: ModelClient,
  seedKey: string,
  usage: ArmUsage,
): Promise<NonNullable<DefenseRecord['classifier']>> {
  const candidates = writes(changeset);
  // The audit's rule hits go along as evidence (the model decides; rules miss attacks and flag honest lessons).
  const texts = candidates.map((c) => c.after!);
  const evidence = texts.map((t) => assessEntry(t).hits.map((h) => `${h.intent}: ${h.why}`));
  const result = await classifyTexts(model, texts, seedKey, usage, evidence);
  let flagged = 0;
  candidates.forEach((change, i) => {
    const verdict = result.verdicts[i]!;
    if (!verdict.injected) return;
    flagged++;
    rejectChange(changeset, change, { by: 'classifier', rule: `classifier: ${verdict.reason || 'injected content'}` });
  });
  return { calls: result.calls, screened: candidates.length, flagged, ...(result.error ? { error: result.error } : {}) };
}

// ---------------------------------------------------------------------------------------------
// Quarantine

export function readHeld(memory: MemoryFiles): HeldEntry[] {
  const raw = memory[QUARANTINE_FILE];
  if (!raw) return [];
  try {
    const value = JSON.parse(raw) as { held?: HeldEntry[] };
    return Array.isArray(value.held) ? value.held.filter((h) => h && typeof h.text === 'string' && Array.isArray(h.sources)) : [];
  } catch {
    return [];
  }
}

export function renderHeld(held: readonly HeldEntry[]): string {
  return (
    JSON.stringify(
      {
        format: 'dreambench.quarantine/v1',
        note: 'Entries a dream held back until another source corroborates them. The agent never reads this file.',
        held,
      },
      null,
      2,
    ) + '\n'
  );
}

function sameLesson(held: HeldEntry, text: string, file: string): boolean {
  const a = directiveOf(held.text);
  const b = directiveOf(text);
  if (a || b) return !!a && !!b && a.choice === b.choice && a.value === b.value;
  return held.file === file && (normaliseText(held.text) === normaliseText(text) || textSimilarity(held.text, text) >= 0.8);
}

export function applyQuarantine(
  changeset: Changeset,
  previous: readonly HeldEntry[],
  config: QuarantineConfig,
  trials: ReadonlyMap<string, ReplayedTrial>,
): { held: HeldEntry[]; record: NonNullable<DefenseRecord['quarantine']> } {
  const session = changeset.session;
  let held = previous.map((h) => ({ ...h, evidence: [...h.evidence], sources: [...h.sources] }));
  let released = 0;
  let newlyHeld = 0;
  for (const change of changeset.changes) {
    if (change.status !== 'pending' || change.kind !== 'add' || change.after === undefined) continue;
    const match = held.find((h) => sameLesson(h, change.after!, change.file));
    const evidence = [...new Set([...(match?.evidence ?? []), ...change.evidence])];
    const sources = [...new Set([...(match?.sources ?? []), ...sourcesOf(change.evidence, trials)])].sort();
    if (sources.length >= config.min_sources) {
      if (match) {
        held = held.filter((h) => h !== match);
        released++;
        change.evidence = evidence;
        if (change.provenance) {
          change.provenance = {
            ...change.provenance,
            trials: [...new Set([...match.evidence, ...change.provenance.trials])].slice(-8),
            support: change.provenance.support + match.evidence.length,
          };
        }
        change.reason += `; corroborated by ${sources.length} sources (held back since session ${match.since})`;
      }
      continue;
    }
    rejectChange(changeset, change, {
      by: 'quarantine',
      rule: `quarantine: supported by ${sources.length} source document${sources.length === 1 ? '' : 's'} (${sources.slice(0, 3).join(', ')}); held until ${config.min_sources} agree`,
    });
    if (match) {
      match.evidence = evidence;
      match.sources = sources;
      match.dream = changeset.dream;
    } else {
      newlyHeld++;
      held.push({
        id: change.id,
        file: change.file,
        category: change.category ?? 'note',
        text: change.after,
        evidence,
        sources,
        since: session,
        dream: changeset.dream,
      });
    }
  }
  const before = held.length;
  held = held.filter((h) => session - h.since < config.hold_sessions);
  return { held, record: { held: newlyHeld, released, expired: before - held.length, waiting: held.length } };
}

// ---------------------------------------------------------------------------------------------
// Cap on updates per dream

export function applyUpdateCap(
  changeset: Changeset,
  limit: number,
  trials: ReadonlyMap<string, ReplayedTrial>,
): NonNullable<DefenseRecord['cap']> {
  const candidates = writes(changeset);
  if (candidates.length <= limit) return { limit, proposed: candidates.length, rejected: 0 };
  const ranked = [...candidates].sort(
    (a, b) =>
      sourcesOf(b.evidence, trials).length - sourcesOf(a.evidence, trials).length || b.evidence.length - a.evidence.length || a.n - b.n,
  );
  const over = ranked.slice(limit);
  for (const change of over)
    rejectChange(changeset, change, {
      by: 'cap',
      rule: `over the cap of ${limit} update${limit === 1 ? '' : 's'} per dream (least supported)`,
    });
  return { limit, proposed: candidates.length, rejected: over.length };
}
