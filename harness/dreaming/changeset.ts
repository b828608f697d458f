// A dream's output as a reviewable record: every proposed change to the store (add / edit /
// delete), each with its reason, its evidence trial ids and its own review status, plus the
// provenance-only updates (confirmations) that need no review. Written as JSON to
// dreams/<arm>/r<rep>/session-NNN.json in a run, or <memory>/.dreambench/dreams/dream-NNN.json
// standalone. Rejected changes stay in the record.

import type { ArmUsage, MemoryFiles } from '../core/arm.js';
import type { Category, Provenance } from './store.js';
import type { DefenseRecord, HeldEntry } from './defenses.js';

export type ChangeKind = 'add' | 'edit' | 'delete';
export type ChangeStatus = 'pending' | 'approved' | 'applied' | 'rejected';

export interface ChangeReview {
  /** Who decided: the auto mode, a policy rule, a person, the content filter or the token cap. */
  by: 'auto' | 'policy' | 'human' | 'filter' | 'cap' | 'classifier' | 'quarantine';
  /** The policy rule that matched (its index and action), or the filter's reason. */
  rule?: string;
  note?: string;
  /** A person changed the proposed text before approving it. */
  edited?: boolean;
  at?: string;
}

export interface Change {
  /** 1-based position in the changeset (what a reviewer refers to). */
  n: number;
  kind: ChangeKind;
  /** The entry's file after the change (for a delete: where it was). */
  file: string;
  /** For an edit that moves an entry to another file. */
  from_file?: string;
  /** The entry id (stable across edits). */
  id: string;
  category?: Category;
  /** Text before (edit, delete). */
  before?: string;
  /** Text after (add, edit). */
  after?: string;
  reason: string;
  /** Trial ids that support the change. */
  evidence: string[];
  /** The entry's provenance after the change (add, edit). */
  provenance?: Provenance;
  status: ChangeStatus;
  review?: ChangeReview;
}

/** A provenance-only update to an existing entry: confirmed by new evidence, or its setting was used. */
export interface Confirmation {
  id: string;
  /** New supporting trial ids (from findings). */
  trials: string[];
  /** The session in which it was last used or confirmed. */
  used: number;
  why: 'confirmed' | 'used' | 'adopted';
}

export type ChangesetStatus = 'applied' | 'pending' | 'reviewed' | 'failed';

export interface Changeset {
  format: 'dreambench.dream/v1';
  /** e.g. `dreaming/r1/s004`, or `dream-003` standalone. */
  dream: string;
  arm?: string;
  replicate?: number;
  session: number;
  created_at: string;
  /**
   * applied: every decision is made and applied; pending: some change waits for a person;
   * reviewed: every decision is made, not yet applied (the run resumes to apply it); failed: the
   * analysis failed and the dream was skipped (memory unchanged).
   */
  status: ChangesetStatus;
  review_mode: string;
  stages: Record<string, unknown>;
  replay: { trials: number; sessions: number[]; from_session: number; to_session: number };
  analysis: { mode: 'model' | 'rules'; calls: number; batches: number; repaired: number; findings: number; error?: string };
  /** Findings that did not become changes, and why (superseded by newer evidence, unusable scope...). */
  dropped_findings: Array<{ text: string; reason: string; evidence: string[] }>;
  usage: ArmUsage;
  /** Harness time of each stage (ms), model time excluded from all but analyse. */
  timings_ms: Record<string, number>;
  memory_tokens: { before: number; after?: number; cap: number | null };
  changes: Change[];
  confirmations: Confirmation[];
  /** What the memory-poisoning defenses did (classifier, quarantine, update cap), when any is on. */
  defenses?: DefenseRecord;
  /** With quarantine on: the entries held back after this dream (written to held/quarantine.json when applied). */
  quarantine?: HeldEntry[];
  reviewed_at?: string;
  applied_at?: string;
  /**
   * The memory as it would be if every pending change were approved (e.g. a vendor dream's output
   * store, exported), so `dreambench memory diff` can show a consolidation that waits for review.
   */
  proposed?: MemoryFiles;
  /**
   * Standalone dreams over existing logs: the formats read, where each transcript's outcome came
   * from (log, outcome-file, signals, grader or none), and what privacy scrubbing removed by kind.
   */
  inputs?: {
    formats: Record<string, number>;
    outcomes: Record<string, number>;
    outcome_of: Record<string, string>;
    redacted: Record<string, number>;
    grader?: { calls: number; cost_usd: number };
  };
}

export const pad3 = (n: number): string => String(n).padStart(3, '0');

export function changesetName(session: number): string {
  return `session-${pad3(session)}.json`;
}

export function countByStatus(changes: readonly Change[]): Record<ChangeStatus, number> {
  const out: Record<ChangeStatus, number> = { pending: 0, approved: 0, applied: 0, rejected: 0 };
  for (const c of changes) out[c.status]++;
  return out;
}

export function hasPending(changeset: Changeset): boolean {
  return changeset.changes.some((c) => c.status === 'pending');
}

/** A one-line account of a changeset for the journal and the terminal. */
export function summarizeChangeset(changeset: Changeset): Record<string, unknown> {
  const kinds: Record<ChangeKind, number> = { add: 0, edit: 0, delete: 0 };
  for (const c of changeset.changes) if (c.status !== 'rejected') kinds[c.kind]++;
  return {
    dream: changeset.dream,
    status: changeset.status,
    trials: changeset.replay.trials,
    findings: changeset.analysis.findings,
    ...kinds,
    ...Object.fromEntries(Object.entries(countByStatus(changeset.changes)).filter(([, n]) => n > 0)),
    confirmations: changeset.confirmations.length,
    ...(changeset.analysis.repaired ? { repaired: changeset.analysis.repaired } : {}),
    ...(changeset.analysis.error ? { error: changeset.analysis.error } : {}),
  };
}

/** A change as a reviewer reads it. */
export function describeChange(change: Change): string {
  const where = change.from_file && change.from_file !== change.file ? `${change.from_file} -> ${change.file}` : change.file;
  const lines = [`#${change.n} ${change.kind.toUpperCase()} ${where} [${change.id}]${change.category ? ` (${change.category})` : ''}`];
  if (change.kind === 'edit' && change.before === change.after) {
    lines.push(`  = ${(change.after ?? '').replace(/\n/g, '\n    ')}`, '  (text unchanged: provenance or place only)');
  } else {
    if (change.kind !== 'add' && change.before !== undefined) lines.push(`  - ${change.before.replace(/\n/g, '\n    ')}`);
    if (change.kind !== 'delete' && change.after !== undefined) lines.push(`  + ${change.after.replace(/\n/g, '\n    ')}`);
  }
  lines.push(`  reason: ${change.reason}`);
  if (change.evidence.length)
    lines.push(
      `  evidence: ${change.evidence.slice(0, 6).join(', ')}${change.evidence.length > 6 ? `, ... (${change.evidence.length})` : ''}`,
    );
  lines.push(
    `  status: ${change.status}${change.review ? ` (by ${change.review.by}${change.review.rule ? `: ${change.review.rule}` : ''})` : ''}`,
  );
  return lines.join('\n');
}
