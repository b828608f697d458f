// Memory stores (client.beta.memoryStores and .memories) as plain text, and back:
//
//   materialize   a new store holding MemoryFiles (`notes.md` -> memory path `/notes.md`)
//   exportStore   every memory of a store (list, view=full, all pages) -> MemoryFiles
//   StoreRegistry which store holds which memory (by content hash), so a session reuses the store a
//                 dream produced, and a resumed run the store it already made
//   storeWrites / foldWrites   what one trial's agent wrote into its copy of the session's store, and
//                 those writes folded, in schedule order, into the memory of the next session
//
// The run directory's memory snapshots stay the source of truth: a store is a materialization of a
// snapshot, made again from the text whenever the registry does not know (or lost) it.

import { createHash } from 'node:crypto';
import { applyPatch, structuredPatch } from 'diff';
import type { ArtifactStore, MemoryFiles } from '../core/arm.js';
import type { ManagedClient } from './client.js';

/** The memory store's name: its mount path in a session is /mnt/memory/<slug of the name>. */
export const STORE_NAME = 'dreambench-memory';
export const STORE_DESCRIPTION = 'Lessons from earlier tasks (dreambench).';
export const REGISTRY_FILE = 'managed-stores.json';

/** Memory content limit of the API (100 kB per memory). */
const MAX_MEMORY_BYTES = 102_400;

export function memoryPathOf(file: string): string {
  return '/' + file.replace(/^\/+/, '');
}

export function fileOfMemoryPath(path: string): string {
  return path.replace(/^\/+/, '');
}

/** A stable hash of a memory's files (names and contents). */
export function filesHash(files: MemoryFiles): string {
  const hash = createHash('sha256');
  for (const name of Object.keys(files).sort()) hash.update(name).update('\0').update(files[name]!).update('\0');
  return hash.digest('hex').slice(0, 32);
}

export interface MaterializeLabels {
  arm: string;
  replicate: number;
  session: number;
  /** What the store is for: the session's shared store, one trial's copy, a dream's input. */
  role: 'session' | 'trial' | 'dream_input';
  trial?: string;
}

/** A new memory store holding `files`. */
export async function materialize(client: ManagedClient, files: MemoryFiles, labels: MaterializeLabels): Promise<string> {
  for (const [file, text] of Object.entries(files)) {
    if (Buffer.byteLength(text, 'utf8') > MAX_MEMORY_BYTES) {
      throw new Error(
        `memory file ${file} is ${Buffer.byteLength(text, 'utf8')} bytes; a memory store holds at most ${MAX_MEMORY_BYTES} bytes per memory`,
      );
    }
  }
  const hash = filesHash(files);
  const metadata: Record<string, string> = {
    dreambench_arm: labels.arm.slice(0, 512),
    dreambench_replicate: String(labels.replicate),
    dreambench_session: String(labels.session),
    dreambench_role: labels.role,
    dreambench_hash: hash,
    ...(labels.trial ? { dreambench_trial: labels.trial.slice(0, 512) } : {}),
  };
  let id: string;
  try {
    const store = await client.sdk.beta.memoryStores.create({ name: STORE_NAME, description: STORE_DESCRIPTION, metadata });
    id = store.id;
  } catch (error) {
    throw client.infra(error, 'create a memory store');
  }
  for (const file of Object.keys(files).sort()) {
    try {
      await client.sdk.beta.memoryStores.memories.create(id, { path: memoryPathOf(file), content: files[file]! });
    } catch (error) {
      throw client.infra(error, `write ${file} into memory store ${id}`);
    }
  }
  return id;
}

/** Every memory of a store, as files. */
export async function exportStore(client: ManagedClient, storeId: string): Promise<MemoryFiles> {
  const files: MemoryFiles = {};
  try {
    for await (const item of client.sdk.beta.memoryStores.memories.list(storeId, { view: 'full', limit: 20 })) {
      if (item.type !== 'memory') continue;
      let content = item.content;
      if (content === null || content === undefined) {
        content = (await client.sdk.beta.memoryStores.memories.retrieve(item.id, { memory_store_id: storeId, view: 'full' })).content ?? '';
      }
      files[fileOfMemoryPath(item.path)] = content;
    }
  } catch (error) {
    throw client.infra(error, `export memory store ${storeId}`);
  }
  return sortedFiles(files);
}

/** Archive a store we no longer attach (best effort: it stays readable). */
export async function archiveStore(client: ManagedClient, storeId: string): Promise<void> {
  try {
    await client.sdk.beta.memoryStores.archive(storeId);
  } catch {
    // Archiving only tidies up the workspace.
  }
}

/** Whether a store still exists and can be attached (not archived). */
export async function storeUsable(client: ManagedClient, storeId: string): Promise<boolean> {
  try {
    const store = await client.sdk.beta.memoryStores.retrieve(storeId);
    return store.archived_at === null;
  } catch {
    return false;
  }
}

interface RegistryEntry {
  id: string;
  source: 'materialized' | 'dream';
  session: number;
  at: string;
}

interface RegistryFile {
  by_hash: Record<string, RegistryEntry>;
}

/**
 * Which store holds which memory (content hash -> store id), per (arm, replicate): in the run
 * directory when the arm has artifacts, always in the process. A store found here is checked
 * (still there, not archived) before it is used.
 */
export class StoreRegistry {
  private readonly local = new Map<string, Map<string, RegistryEntry>>();

  private mapFor(key: string, artifacts: ArtifactStore | undefined): Map<string, RegistryEntry> {
    let map = this.local.get(key);
    if (!map) {
      map = new Map(Object.entries(artifacts?.read<RegistryFile>(REGISTRY_FILE)?.by_hash ?? {}));
      this.local.set(key, map);
    }
    return map;
  }

  get(key: string, artifacts: ArtifactStore | undefined, hash: string): RegistryEntry | undefined {
    return this.mapFor(key, artifacts).get(hash);
  }

  set(key: string, artifacts: ArtifactStore | undefined, hash: string, entry: Omit<RegistryEntry, 'at'>): void {
    const map = this.mapFor(key, artifacts);
    map.set(hash, { ...entry, at: new Date().toISOString() });
    artifacts?.write(REGISTRY_FILE, { by_hash: Object.fromEntries(map) } satisfies RegistryFile);
  }

  forget(key: string, artifacts: ArtifactStore | undefined, hash: string): void {
    const map = this.mapFor(key, artifacts);
    if (!map.delete(hash)) return;
    artifacts?.write(REGISTRY_FILE, { by_hash: Object.fromEntries(map) } satisfies RegistryFile);
  }
}

/** What a trial's agent wrote into its copy of the store: file -> new content, or null when it deleted the file. */
export type StoreWrites = Record<string, string | null>;

export function storeWrites(before: MemoryFiles, after: MemoryFiles): StoreWrites {
  const writes: StoreWrites = {};
  for (const [file, text] of Object.entries(after)) if (before[file] !== text) writes[file] = text;
  for (const file of Object.keys(before)) if (!(file in after)) writes[file] = null;
  return writes;
}

/**
 * Fold the writes of a session's trials (each made against `base`, in schedule order) into one
 * memory. A file only one trial changed takes that trial's version; a file several changed is
 * merged line by line (each trial's edit applied as a patch against the merge so far; an edit that
 * no longer applies adds its new lines at the end), so every trial's lessons survive. A delete
 * wins only over a file no earlier trial changed.
 */
export function foldWrites(base: MemoryFiles, writesInOrder: readonly StoreWrites[]): MemoryFiles {
  const merged: MemoryFiles = { ...base };
  const touched = new Set<string>();
  for (const writes of writesInOrder) {
    for (const [file, text] of Object.entries(writes)) {
      if (text === null) {
        if (!touched.has(file)) delete merged[file];
        touched.add(file);
        continue;
      }
      const current = merged[file];
      if (current === undefined) {
        merged[file] = text;
      } else if (!touched.has(file) && current === base[file]) {
        merged[file] = text;
      } else if (base[file] === undefined) {
        // Several trials created the same file: keep the first one's, plus every line the others add.
        merged[file] = unionLines(current, text);
      } else {
        merged[file] = mergeText(base[file], current, text);
      }
      touched.add(file);
    }
  }
  return sortedFiles(merged);
}

/** Apply the edit base -> mine onto `current` (a later version of base). */
export function mergeText(base: string, current: string, mine: string): string {
  if (mine === base || mine === current) return current;
  if (current === base) return mine;
  const patch = structuredPatch('a', 'b', base, mine, undefined, undefined, { context: 2 });
  const applied = applyPatch(current, patch, { fuzzFactor: 2 });
  if (applied !== false) return dedupeListItems(applied);
  // The edit no longer applies: keep every line it added that the merge does not hold yet.
  const baseLines = new Set(base.split('\n').map((l) => l.trim()));
  return unionLines(
    current,
    mine
      .split('\n')
      .filter((l) => !baseLines.has(l.trim()))
      .join('\n'),
  );
}

/** Two trials wrote the same lesson: keep the first copy of a repeated list item. */
function dedupeListItems(text: string): string {
  const seen = new Set<string>();
  return text
    .split('\n')
    .filter((line) => {
      if (!/^\s*[-*]\s+\S/.test(line)) return true;
      const key = line.trim();
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .join('\n');
}

/** `current`, then every non-empty line of `mine` it does not hold yet. */
export function unionLines(current: string, mine: string): string {
  const have = new Set(current.split('\n').map((l) => l.trim()));
  const added = mine.split('\n').filter((l) => l.trim() !== '' && !have.has(l.trim()));
  return added.length === 0 ? current : `${current.replace(/\n*$/, '\n')}${added.join('\n')}\n`;
}

export function sortedFiles(files: MemoryFiles): MemoryFiles {
  return Object.fromEntries(
    Object.keys(files)
      .sort()
      .map((k) => [k, files[k]!]),
  );
}
