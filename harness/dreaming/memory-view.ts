// `dreambench memory show` and `memory diff`: any arm's memory snapshots (memory/<arm>/r<rep>/
// session-NNN/) as readable text and as a unified diff between two sessions. By default the
// provenance comments are hidden (what a person or the agent reads); --raw shows the files as stored.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import type { MemoryFiles } from '../core/arm.js';
import { RunDir } from '../storage/run-dir.js';
import { listEntries, memoryTokens, stripComments } from './store.js';
import type { Changeset } from './changeset.js';

export class MemoryViewError extends Error {
  override name = 'MemoryViewError';
}

export interface SnapshotRef {
  arm: string;
  rep: number;
  session: number;
}

export function memoryArms(runDir: string): string[] {
  const base = join(runDir, 'memory');
  if (!existsSync(base)) return [];
  return readdirSync(base, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}

export function snapshotSessions(runDir: string, arm: string, rep: number): number[] {
  const base = join(runDir, 'memory', arm, `r${rep}`);
  if (!existsSync(base)) return [];
  return readdirSync(base, { withFileTypes: true })
    .map((e) => /^session-(\d+)$/.exec(e.name))
    .filter((m): m is RegExpExecArray => !!m)
    .map((m) => Number(m[1]))
    .sort((a, b) => a - b);
}

function replicates(runDir: string, arm: string): number[] {
  const base = join(runDir, 'memory', arm);
  if (!existsSync(base)) return [];
  return readdirSync(base)
    .map((n) => /^r(\d+)$/.exec(n))
    .filter((m): m is RegExpExecArray => !!m)
    .map((m) => Number(m[1]))
    .sort((a, b) => a - b);
}

/** Read a snapshot, or explain what exists. */
export function readSnapshotChecked(runDir: string, ref: SnapshotRef): MemoryFiles {
  if (!new RunDir(runDir).exists()) throw new MemoryViewError(`${runDir}: not a run directory (no manifest.json)`);
  const arms = memoryArms(runDir);
  if (!arms.includes(ref.arm))
    throw new MemoryViewError(`${runDir}: no memory for arm "${ref.arm}"; arms with snapshots: ${arms.join(', ') || 'none'}`);
  const reps = replicates(runDir, ref.arm);
  if (!reps.includes(ref.rep))
    throw new MemoryViewError(`${runDir}: arm "${ref.arm}" has no replicate ${ref.rep}; replicates: ${reps.join(', ')}`);
  const sessions = snapshotSessions(runDir, ref.arm, ref.rep);
  if (!sessions.includes(ref.session)) {
    throw new MemoryViewError(
      `${runDir}: arm "${ref.arm}" replicate ${ref.rep} has no snapshot after session ${ref.session}; sessions with snapshots: ${sessions.join(', ') || 'none'}`,
    );
  }
  return new RunDir(runDir).readSnapshot(ref.arm, ref.rep, ref.session);
}

const ordered = (files: MemoryFiles): string[] =>
  Object.keys(files).sort((a, b) => (a === 'notes.md' ? -1 : b === 'notes.md' ? 1 : a.localeCompare(b)));

export function showMemory(runDir: string, ref: SnapshotRef, options: { raw?: boolean; file?: string } = {}): string {
  const files = readSnapshotChecked(runDir, ref);
  const names = ordered(files).filter((f) => !options.file || f === options.file);
  if (options.file && names.length === 0) {
    throw new MemoryViewError(`no file "${options.file}" in that snapshot; files: ${ordered(files).join(', ') || 'none'}`);
  }
  const entries = listEntries(files).length;
  const out = [
    `# memory of ${ref.arm} r${ref.rep} after session ${ref.session}: ${names.length} file(s), ${entries} entries, ~${memoryTokens(files)} tokens`,
  ];
  if (names.length === 0) out.push('', '(empty: this arm keeps no memory, or has not written any yet)');
  for (const file of names) {
    const text = options.raw ? files[file]! : stripComments(files[file]!) + '\n';
    out.push('', `==> ${file} <==`, text.replace(/\n$/, ''));
  }
  return out.join('\n') + '\n';
}

export function diffMemory(
  runDir: string,
  arm: string,
  rep: number,
  from: number,
  to: number,
  options: { raw?: boolean; context?: number } = {},
): string {
  const before = readSnapshotChecked(runDir, { arm, rep, session: from });
  // A consolidation that waits for review has no snapshot yet: show what its changeset proposes, if it says.
  const pending = snapshotSessions(runDir, arm, rep).includes(to) ? undefined : pendingProposal(runDir, arm, rep, to);
  const after = pending ?? readSnapshotChecked(runDir, { arm, rep, session: to });
  const toLabel = `session-${String(to).padStart(3, '0')}${pending ? ' (pending review)' : ''}`;
  return diffSnapshots(before, after, `session-${String(from).padStart(3, '0')}`, toLabel, options, `${arm} r${rep}`);
}

/** The memory a pending changeset (dreams/<arm>/r<rep>/session-NNN.json) proposes, when it records it (`proposed`). */
function pendingProposal(runDir: string, arm: string, rep: number, session: number): MemoryFiles | undefined {
  const path = join(runDir, 'dreams', arm, `r${rep}`, `session-${String(session).padStart(3, '0')}.json`);
  if (!existsSync(path)) return undefined;
  try {
    const changeset = JSON.parse(readFileSync(path, 'utf8')) as Changeset;
    return changeset.status === 'pending' || changeset.status === 'reviewed' ? changeset.proposed : undefined;
  } catch {
    return undefined;
  }
}

/** A unified diff of two memory snapshots, file by file, with an entry count summary on top. */
export function diffSnapshots(
  before: MemoryFiles,
  after: MemoryFiles,
  fromLabel: string,
  toLabel: string,
  options: { raw?: boolean; context?: number } = {},
  title = 'memory',
): string {
  const view = (text: string | undefined): string => (text === undefined ? '' : options.raw ? text : stripComments(text) + '\n');
  const oldKeys = new Set(listEntries(before).map((e) => e.key));
  const newKeys = new Set(listEntries(after).map((e) => e.key));
  const added = [...newKeys].filter((k) => !oldKeys.has(k)).length;
  const removed = [...oldKeys].filter((k) => !newKeys.has(k)).length;
  const out = [
    `# ${title}: ${fromLabel} -> ${toLabel}: +${added} entr${added === 1 ? 'y' : 'ies'}, -${removed} entr${removed === 1 ? 'y' : 'ies'}`,
  ];
  const names = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort((a, b) =>
    a === 'notes.md' ? -1 : b === 'notes.md' ? 1 : a.localeCompare(b),
  );
  let changed = 0;
  for (const file of names) {
    const a = view(before[file]);
    const b = view(after[file]);
    if (a === b) continue;
    changed++;
    const patch = createTwoFilesPatch(
      before[file] === undefined ? '/dev/null' : `a/${file}`,
      after[file] === undefined ? '/dev/null' : `b/${file}`,
      a,
      b,
      fromLabel,
      toLabel,
      { context: options.context ?? 3 },
    );
    // Drop the "====" separator line createTwoFilesPatch puts first.
    out.push(patch.replace(/^=+\n/, '').trimEnd());
  }
  if (changed === 0) out.push('(no differences)');
  return out.join('\n') + '\n';
}
