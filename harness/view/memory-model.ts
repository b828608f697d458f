// The memory of one (arm, replicate) as the viewer shows it: every snapshot's files and entries,
// each dreaming entry's provenance (the trials it came from) and the dream changes that touched it,
// and entry-level diffs between any two sessions. Entries and diffs come from the same functions as
// `dreambench memory show` and `memory diff` (harness/dreaming/store.ts, memory-view.ts).

import type { MemoryFiles } from '../core/arm.js';
import type { Change, Changeset } from '../dreaming/changeset.js';
import { diffSnapshots } from '../dreaming/memory-view.js';
import { entriesOf, listEntries, memoryTokens, storeFromFiles, stripComments, type Provenance } from '../dreaming/store.js';
import { memoryIndex, readChangesets, readSnapshot } from './run-reader.js';

export interface EntryView {
  key: string;
  file: string;
  text: string;
  /** Dreaming entries: the id and provenance stored with the entry. */
  id?: string;
  provenance?: Provenance;
}

export interface SnapshotView {
  session: number;
  tokens: number;
  files: Array<{ file: string; text: string; raw: string }>;
  entries: EntryView[];
}

export interface EntryEdit {
  dream: string;
  session: number;
  n: number;
  kind: Change['kind'];
  status: Change['status'];
  reason: string;
  evidence: string[];
  before?: string;
  after?: string;
}

export interface MemoryTimeline {
  arm: string;
  rep: number;
  snapshots: SnapshotView[];
  changesets: Changeset[];
  /** Entry id -> every dream change that added, edited or deleted it (or merged it into another). */
  edits: Record<string, EntryEdit[]>;
}

export class MemoryNotFound extends Error {
  override name = 'MemoryNotFound';
}

function entriesWithProvenance(files: MemoryFiles): EntryView[] {
  const provenance = new Map(entriesOf(storeFromFiles(files)).map((l) => [l.entry.id, l.entry.provenance]));
  return listEntries(files).map((e) => {
    const id = e.key.startsWith('id:') ? e.key.slice(3) : undefined;
    const p = id ? provenance.get(id) : undefined;
    return { key: e.key, file: e.file, text: e.text, ...(id ? { id } : {}), ...(p ? { provenance: p } : {}) };
  });
}

function snapshotView(files: MemoryFiles, session: number): SnapshotView {
  const names = Object.keys(files).sort((a, b) => (a === 'notes.md' ? -1 : b === 'notes.md' ? 1 : a.localeCompare(b)));
  return {
    session,
    tokens: memoryTokens(files),
    files: names.map((file) => ({ file, text: stripComments(files[file]!), raw: files[file]! })),
    entries: entriesWithProvenance(files),
  };
}

function editsOf(changesets: readonly Changeset[]): Record<string, EntryEdit[]> {
  const edits: Record<string, EntryEdit[]> = {};
  for (const c of changesets) {
    for (const change of c.changes) {
      const edit: EntryEdit = {
        dream: c.dream,
        session: c.session,
        n: change.n,
        kind: change.kind,
        status: change.status,
        reason: change.reason,
        evidence: change.evidence,
        ...(change.before !== undefined ? { before: change.before } : {}),
        ...(change.after !== undefined ? { after: change.after } : {}),
      };
      for (const id of [change.id, ...(change.provenance?.merged ?? [])]) (edits[id] ??= []).push(edit);
    }
  }
  return edits;
}

export function sessionsOf(root: string, arm: string, rep: number): number[] {
  const found = memoryIndex(root)
    .find((m) => m.arm === arm)
    ?.replicates.find((r) => r.rep === rep);
  if (!found) throw new MemoryNotFound(`no memory for arm "${arm}" replicate ${rep}`);
  return found.sessions;
}

export function memoryTimeline(root: string, arm: string, rep: number): MemoryTimeline {
  const sessions = sessionsOf(root, arm, rep);
  const changesets = readChangesets(root, arm, rep);
  return {
    arm,
    rep,
    snapshots: sessions.map((s) => snapshotView(readSnapshot(root, arm, rep, s), s)),
    changesets,
    edits: editsOf(changesets),
  };
}

export interface EntryDiff {
  from: number;
  to: number;
  /** True when `to` has no snapshot yet and the diff shows what its pending changeset proposes. */
  proposed: boolean;
  added: EntryView[];
  removed: EntryView[];
  changed: Array<{ before: EntryView; after: EntryView }>;
  unchanged: number;
  /** The unified diff `dreambench memory diff` prints. */
  unified: string;
}

/** The memory after session `to` compared with after session `from`, entry by entry and line by line. */
export function entryDiff(root: string, arm: string, rep: number, from: number, to: number): EntryDiff {
  const sessions = sessionsOf(root, arm, rep);
  const snapshot = (session: number): { files: MemoryFiles; proposed: boolean } => {
    if (sessions.includes(session)) return { files: readSnapshot(root, arm, rep, session), proposed: false };
    const pending = readChangesets(root, arm, rep).find(
      (c) => c.session === session && (c.status === 'pending' || c.status === 'reviewed'),
    );
    if (pending?.proposed) return { files: pending.proposed, proposed: true };
    throw new MemoryNotFound(
      `arm "${arm}" replicate ${rep} has no snapshot after session ${session}; sessions: ${sessions.join(', ') || 'none'}`,
    );
  };
  const a = snapshot(from);
  const b = snapshot(to);
  const before = new Map(entriesWithProvenance(a.files).map((e) => [e.key, e]));
  const after = new Map(entriesWithProvenance(b.files).map((e) => [e.key, e]));
  const diff: EntryDiff = { from, to, proposed: b.proposed, added: [], removed: [], changed: [], unchanged: 0, unified: '' };
  for (const [key, e] of after) {
    const old = before.get(key);
    if (!old) diff.added.push(e);
    else if (old.text !== e.text || old.file !== e.file) diff.changed.push({ before: old, after: e });
    else diff.unchanged++;
  }
  for (const [key, e] of before) if (!after.has(key)) diff.removed.push(e);
  const label = (s: number, proposed: boolean): string => `session-${String(s).padStart(3, '0')}${proposed ? ' (pending review)' : ''}`;
  diff.unified = diffSnapshots(a.files, b.files, label(from, a.proposed), label(to, b.proposed), {}, `${arm} r${rep}`);
  return diff;
}
