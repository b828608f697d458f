// One writer per run directory. Two processes running the same run at once (the same command in a
// second terminal, a CI retry while the first job still runs: `run --out DIR` on an existing run
// resumes it) would run the same missing trials twice, and the second one's sweep of shared texts
// could remove a text the first is about to name. A run takes `run.lock` (created exclusively,
// holding its pid and host) before it writes anything and removes it when it ends, however it ends.
// A lock left by a process that no longer exists on this host (kill -9, a crash) is taken over.

import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { RunSetupError } from './setup-error.js';

export const RUN_LOCK_FILE = 'run.lock';

interface LockHolder {
  pid: number;
  host: string;
  since: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readHolder(path: string): LockHolder | undefined {
  try {
    const holder = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockHolder>;
    return typeof holder.pid === 'number' && typeof holder.host === 'string'
      ? { pid: holder.pid, host: holder.host, since: String(holder.since ?? '') }
      : undefined;
  } catch {
    return undefined;
  }
}

/** Take the run directory's lock, or refuse (bad input) when a live process holds it; returns the release. */
export function lockRun(runDir: string): () => void {
  mkdirSync(runDir, { recursive: true });
  const path = join(runDir, RUN_LOCK_FILE);
  const me: LockHolder = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      try {
        writeSync(fd, `${JSON.stringify(me)}\n`);
      } finally {
        closeSync(fd);
      }
      return () => {
        // Only our own lock: never one another process took over after ours was judged stale.
        const holder = readHolder(path);
        if (holder?.pid === me.pid && holder.since === me.since) rmSync(path, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = readHolder(path);
    // A lock being written this instant reads as empty: leave it to its writer.
    if (holder && holder.host === me.host && !alive(holder.pid)) {
      rmSync(path, { force: true });
      continue;
    }
    break;
  }
  const holder = readHolder(path);
  const who = holder ? `process ${holder.pid} on ${holder.host}, since ${holder.since}` : 'another process';
  throw new RunSetupError(
    `${runDir}: ${who} is running this run (${RUN_LOCK_FILE}). Wait for it to finish or stop it; if no such process is running, remove ${join(runDir, RUN_LOCK_FILE)}.`,
  );
}
