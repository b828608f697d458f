// Memory written into a Claude Managed Agents memory store, so managed agents that mount the store
// read it. dreambench owns one path prefix in the store (default /dreambench/): each store file
// becomes one memory there (notes.md -> /dreambench/notes.md, playbooks/x.md ->
// /dreambench/playbooks/x.md), comments stripped. Memories outside the prefix are never touched;
// memories under it that the store no longer has are deleted. Unchanged memories (same SHA-256)
// are not rewritten, so a second sync of the same memory makes no requests beyond the listing.

import { createHash } from 'node:crypto';
import type { MemoryFiles } from '../../core/arm.js';
import type { ManagedClient } from '../../managed/client.js';
import { MANAGED_AGENTS_BETA } from '../../managed/client.js';
import { renderFile, storeFilesInOrder } from './render.js';

export interface StoreSyncResult {
  created: number;
  updated: number;
  deleted: number;
  unchanged: number;
}

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

export async function syncManagedStore(
  client: ManagedClient,
  storeId: string,
  files: MemoryFiles,
  prefix = '/dreambench/',
): Promise<StoreSyncResult> {
  const wanted = new Map<string, string>();
  for (const file of storeFilesInOrder(files)) wanted.set(`${prefix}${file}`, `${renderFile(files[file]!, 0)}\n`);
  const memories = client.sdk.beta.memoryStores.memories;
  const existing = new Map<string, { id: string; sha: string }>();
  try {
    for await (const item of memories.list(storeId, { path_prefix: prefix, betas: [MANAGED_AGENTS_BETA] })) {
      if (item.type === 'memory') existing.set(item.path, { id: item.id, sha: item.content_sha256 });
    }
    const result: StoreSyncResult = { created: 0, updated: 0, deleted: 0, unchanged: 0 };
    for (const [path, content] of wanted) {
      const current = existing.get(path);
      if (!current) {
        await memories.create(storeId, { path, content, betas: [MANAGED_AGENTS_BETA] });
        result.created++;
      } else if (current.sha !== sha256(content)) {
        await memories.update(current.id, { memory_store_id: storeId, content, betas: [MANAGED_AGENTS_BETA] });
        result.updated++;
      } else result.unchanged++;
    }
    for (const [path, current] of existing) {
      if (wanted.has(path)) continue;
      await memories.delete(current.id, { memory_store_id: storeId, betas: [MANAGED_AGENTS_BETA] });
      result.deleted++;
    }
    return result;
  } catch (error) {
    throw client.infra(error, `writing memory store ${storeId}`);
  }
}
