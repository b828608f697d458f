// Kept artifacts: what a trial produced (documents, decks, code, answers) is copied out of its
// workspace into the run directory, artifacts/<arm>/r<rep>/s<session>/<slot>-<task>/, before the
// workspace is removed. "Produced" means every regular file of the final attempt's workspace that is
// not one of the task's input files unchanged. A byte cap per run bounds the disk a run can take: the
// runner gives each trial what is left, and a trial that reaches it keeps what fitted and says so.

//
// Finding what was produced reads a handful of small files on every trial, on the trial's critical
// path: it uses synchronous calls, which cost the system calls alone, where each asynchronous call
// waits for a thread-pool thread to be scheduled (milliseconds each on a busy machine). Copying,
// rare and possibly large, stays asynchronous.

import { lstatSync, readdirSync, readFileSync, type Dirent } from 'node:fs';
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import type { KeptArtifacts } from '../core/records.js';

export type { KeptArtifacts };

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
function listFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) out.push(relative(root, path).split(sep).join('/'));
    }
  };
  walk(root);
  return out;
}

/** Whether a workspace file is still the task's input file, byte for byte. */
function unchangedInput(path: string, input: string | undefined): boolean {
  if (input === undefined) return false;
  try {
    return readFileSync(path).equals(Buffer.from(input, 'utf8'));
  } catch {
    return false;
  }
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
  for (const path of listFiles(workdir)) {
    const full = join(workdir, path);
    if (unchangedInput(full, inputs[path])) continue;
    produced.push({ path, size: lstatSync(full).size });
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
