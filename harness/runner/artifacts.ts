// Kept artifacts: what a trial produced (documents, decks, code, answers) is copied out of its
// workspace into the run directory, artifacts/<arm>/r<rep>/s<session>/<slot>-<task>/, before the
// workspace is removed. "Produced" means every regular file of the final attempt's workspace that is
// not one of the task's input files unchanged. A byte cap per run bounds the disk a run can take: the
// runner gives each trial what is left, and a trial that reaches it keeps what fitted and says so.

import { readFile } from 'node:fs';
import { copyFile, lstat, mkdir, readdir, rm } from 'node:fs/promises';
import { promisify } from 'node:util';
import { dirname, join, relative, sep } from 'node:path';
import type { KeptArtifacts } from '../core/records.js';

export type { KeptArtifacts };

const readFileCallback = promisify(readFile);

export type KeepArtifacts = 'all' | 'failed' | 'none';

export const KEEP_ARTIFACTS: readonly KeepArtifacts[] = ['all', 'failed', 'none'];

/** Default cap of the bytes a run keeps: 2 GiB. */
export const DEFAULT_ARTIFACTS_MAX_BYTES = 2 * 1024 ** 3;

/** Where one trial's artifacts go, and how much it may keep. JSON-serialisable (part of a TrialJob). */
export interface ArtifactsTarget {
  /** Absolute folder to copy into. */
  dir: string;
  /** The same folder relative to the run directory (what the trial record names). */
  ref: string;
  keep: Exclude<KeepArtifacts, 'none'>;
  /** Bytes this trial may keep (what is left of the run's cap). */
  max_bytes: number;
}

/** Relative paths of the regular files under `root`, sorted (symbolic links are not followed). */
async function listFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile()) out.push(relative(root, path).split(sep).join('/'));
    }
  };
  await walk(root);
  return out;
}

/**
 * Whether a workspace file is still the task's input file, byte for byte. The callback readFile is
 * used: a promise FileHandle per file costs more than reading a small file.
 */
async function unchangedInput(path: string, input: string | undefined): Promise<boolean> {
  if (input === undefined) return false;
  const bytes = await readFileCallback(path).catch(() => undefined);
  return bytes?.equals(Buffer.from(input, 'utf8')) === true;
}

/** Copy what a trial produced from `workdir` into `target.dir`; undefined when it produced nothing or the policy keeps nothing for it. */
export async function keepArtifacts(
  workdir: string,
  inputs: Readonly<Record<string, string>>,
  success: boolean,
  target: ArtifactsTarget,
): Promise<KeptArtifacts | undefined> {
  if (target.keep === 'failed' && success) return undefined;
  const produced: Array<{ path: string; size: number }> = [];
  for (const path of await listFiles(workdir)) {
    const full = join(workdir, path);
    if (await unchangedInput(full, inputs[path])) continue;
    produced.push({ path, size: (await lstat(full)).size });
  }
  if (produced.length === 0) return undefined;
  // A trial re-run on resume starts from an empty folder: nothing of a killed attempt stays behind.
  await rm(target.dir, { recursive: true, force: true });
  let bytes = 0;
  let files = 0;
  let skipped = 0;
  for (const { path, size } of produced) {
    if (bytes + size > target.max_bytes) {
      skipped++;
      continue;
    }
    const to = join(target.dir, path);
    await mkdir(dirname(to), { recursive: true });
    await copyFile(join(workdir, path), to);
    bytes += size;
    files++;
  }
  return { dir: target.ref, files, bytes, ...(skipped ? { capped: true as const, skipped } : {}) };
}
