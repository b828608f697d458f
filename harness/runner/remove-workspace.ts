// Removing a finished trial's workspace: a few files the suite placed and the agent wrote, removed
// once per trial. fs.rm's recursive walk first lstat()s every entry and tries rmdir before it
// reads a folder; here one readdir with file types names what to unlink and which folders to
// descend, so the common case costs a readdir, one unlink per file and one rmdir per folder.
// Anything unexpected (a file appearing meanwhile, a permission) falls back to fs.rm.

import { readdir, rm, rmdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';

async function removeTree(dir: string): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  await Promise.all(entries.map((entry) => (entry.isDirectory() ? removeTree(join(dir, entry.name)) : unlink(join(dir, entry.name)))));
  await rmdir(dir);
}

/** Remove a workspace folder and everything in it; never throws (a leftover in the temporary folder harms no run). */
export async function removeWorkspace(dir: string): Promise<void> {
  try {
    await removeTree(dir);
  } catch {
    await rm(dir, { recursive: true, force: true }).catch(() => undefined);
  }
}
