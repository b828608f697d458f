import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { smallExperiment, tempDir } from '../testing/run-helpers.js';
import { RUN_LOCK_FILE } from './run-lock.js';
import { executeRun } from './runner.js';

const experiment = smallExperiment({ arms: ['stateless'], sessions: 1, tasks_per_session: 2, replicates: 1 });

/** The pid of a process that has exited (so no process of this host holds it any more). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

describe('one writer per run directory', () => {
  it('refuses a second run of the same directory while one is running, and frees it when that one ends', async () => {
    const runDir = join(tempDir(), 'run');
    // Whichever reaches its first write first runs; the other is refused.
    const both = await Promise.allSettled([executeRun({ runDir, experiment }), executeRun({ runDir, experiment })]);
    const ran = both.filter((r) => r.status === 'fulfilled');
    const refused = both.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(ran).toHaveLength(1);
    expect(ran[0]!.value.status).toBe('completed');
    expect(refused).toHaveLength(1);
    expect(String(refused[0]!.reason)).toMatch(/is running this run \(run\.lock\).*remove .*run\.lock/);
    expect(existsSync(join(runDir, RUN_LOCK_FILE))).toBe(false);
    // Once the first has ended, the same command resumes (here: finds nothing left to do).
    expect((await executeRun({ runDir, experiment })).status).toBe('completed');
  });

  it("takes over a lock left by a process that no longer exists (a kill -9), and refuses a live holder's", async () => {
    const runDir = join(tempDir(), 'run');
    await executeRun({ runDir, experiment });
    const lock = join(runDir, RUN_LOCK_FILE);
    writeFileSync(lock, JSON.stringify({ pid: deadPid(), host: hostname(), since: '2026-01-01T00:00:00Z' }));
    expect((await executeRun({ runDir, experiment })).status).toBe('completed');
    expect(existsSync(lock)).toBe(false);
    // A live process of this host (this test's own parent) holds it: refused, and its lock left as it was.
    const held = JSON.stringify({ pid: process.ppid, host: hostname(), since: '2026-01-01T00:00:00Z' });
    writeFileSync(lock, held);
    await expect(executeRun({ runDir, experiment })).rejects.toThrow(new RegExp(`process ${process.ppid} on `));
    expect(readFileSync(lock, 'utf8')).toBe(held);
  });
});
