// Memory dreamt from logs, linked to the conversations that taught it. Given the memory folder of
// `dreambench dream --logs` (or one of its changesets, `.dreambench/dreams/dream-NNN.json`), each
// entry now in memory and each change still pending or rejected names, through its provenance or
// evidence, the transcript ids it came from; those are the conversation ids the viewer lists. A
// continued session's id (`<id>@<n>`: the part after message n) links to the session itself.

import { existsSync, readFileSync, statSync } from 'node:fs';
import type { Changeset } from '../dreaming/changeset.js';
import { readMemoryDir, standaloneChangesets } from '../dreaming/standalone.js';
import { entriesOf, storeFromFiles } from '../dreaming/store.js';

export type LinkStatus = 'in memory' | 'pending' | 'approved' | 'rejected';

export interface MemoryLink {
  /** The entry id (stable across edits). */
  entry: string;
  file: string;
  text: string;
  status: LinkStatus;
  /** The dream that last changed it ('' for a hand-written entry). */
  dream: string;
  /** For a proposed change: add, edit or delete, and its number in the changeset. */
  change?: { kind: string; n: number; reason: string };
  /** Conversation ids, as cited (`@n` suffixes removed), oldest first. */
  conversations: string[];
}

export interface LogMemory {
  source: string;
  links: MemoryLink[];
}

export class LogMemoryError extends Error {
  override name = 'LogMemoryError';
}

const sessionOf = (trial: string): string => trial.replace(/@\d+$/, '');
const unique = (ids: readonly string[]): string[] => [...new Set(ids.map(sessionOf))];

function changeLinks(changeset: Changeset, statuses: ReadonlySet<string>): MemoryLink[] {
  return changeset.changes
    .filter((c) => statuses.has(c.status))
    .map((c) => ({
      entry: c.id,
      file: c.file,
      text: c.after ?? c.before ?? '',
      status: c.status === 'applied' ? 'in memory' : (c.status as LinkStatus),
      dream: changeset.dream,
      change: { kind: c.kind, n: c.n, reason: c.reason },
      conversations: unique([...c.evidence, ...(c.provenance?.trials ?? [])]),
    }));
}

function readChangesetFile(path: string): Changeset {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch (error) {
    throw new LogMemoryError(`${path}: not a readable changeset (${(error as Error).message})`);
  }
  const c = value as Partial<Changeset> | null;
  if (c?.format !== 'dreambench.dream/v1' || !Array.isArray(c.changes))
    throw new LogMemoryError(`${path}: format: expected a dream changeset ("dreambench.dream/v1" with changes)`);
  return c as Changeset;
}

/**
 * Read a memory folder (entries in memory, plus changes still pending or rejected in its dreams) or
 * one changeset file (all its changes). Throws LogMemoryError for anything else.
 */
export function readLogMemory(path: string): LogMemory {
  if (!existsSync(path)) throw new LogMemoryError(`${path}: no such file or directory`);
  if (statSync(path).isFile())
    return { source: path, links: changeLinks(readChangesetFile(path), new Set(['pending', 'approved', 'applied', 'rejected'])) };
  const changesets = standaloneChangesets(path);
  const files = readMemoryDir(path);
  if (changesets.length === 0 && Object.keys(files).length === 0)
    throw new LogMemoryError(`${path}: not a memory folder of \`dreambench dream\` (no notes.md, playbooks/ or .dreambench/dreams/)`);
  const entries: MemoryLink[] = entriesOf(storeFromFiles(files)).map((l) => ({
    entry: l.entry.id,
    file: l.file,
    text: l.entry.text,
    status: 'in memory',
    dream: l.entry.provenance.dream,
    conversations: unique(l.entry.provenance.trials),
  }));
  const proposed = changesets.flatMap(({ changeset }) => changeLinks(changeset, new Set(['pending', 'approved', 'rejected'])));
  return { source: path, links: [...entries, ...proposed] };
}

/** How many links cite each conversation id. */
export function linksPerConversation(memory: LogMemory): Map<string, number> {
  const out = new Map<string, number>();
  for (const link of memory.links) for (const id of link.conversations) out.set(id, (out.get(id) ?? 0) + 1);
  return out;
}
