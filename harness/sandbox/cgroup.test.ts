// The total memory cap of a sandbox: which cgroup this machine allows (decided from its mounts and
// what the harness may create), a sandbox whose processes together exceed the cap is stopped and
// recorded as over it, and no group or process is left behind, even by a harness that was killed.

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cgroupSupport, describeMemoryCap, detectCgroups, SandboxCgroup, sweepOrphans } from './cgroup.js';
import { detectIsolation, findInterpreter, runSandboxed, type Isolation } from './sandbox.js';

const python = findInterpreter('python3');
const py = (code: string) => [python, '-I', '-S', '-c', code];
const support = cgroupSupport();
const noCgroup = support.kind === 'per-process' ? `no cgroup can be made here (${support.reason}); the per-process fallback applies` : '';

/** Three children of 160 MiB each: every one under the per-process limit, together over a 300 MiB cap. */
const HOGS = [
  'import os, sys, time',
  'for i in range(3):',
  '    if os.fork() == 0:',
  '        block = bytearray(160 * 1024 * 1024)',
  '        for j in range(0, len(block), 4096): block[j] = 1',
  '        time.sleep(20); os._exit(0)',
  'time.sleep(20)',
  'print("survived", flush=True)',
].join('\n');

function ourGroups(): string[] {
  const parents = [support.memoryParent, support.pidsParent].filter((p): p is string => Boolean(p));
  return parents.flatMap((p) => readdirSync(p).filter((n) => n.startsWith(`dreambench-${process.pid}-`)));
}

describe('sandbox memory cap: which one is in force', () => {
  const host = (v2dir: string, controllers: string) => {
    writeFileSync(join(v2dir, 'cgroup.subtree_control'), controllers);
    return {
      mountinfo: `41 31 0:38 / ${v2dir} rw,relatime - cgroup2 cgroup2 rw\n`,
      selfCgroup: '0::/\n',
    };
  };

  it('uses cgroup v2 only where the memory controller is delegated, else says why not', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dreambench-cg2-'));
    const without = detectCgroups(host(dir, 'cpu io'));
    expect(without.kind).toBe('per-process');
    expect(without.reason).toContain('memory controller is not delegated');
    expect(describeMemoryCap(without)).toMatch(/^per process only \(no cgroup: .*not delegated/);
    const withMemory = detectCgroups(host(dir, 'cpu memory pids'));
    expect(withMemory).toEqual({ kind: 'cgroup2', memoryParent: dir });
  });

  it('falls back to cgroup v1 memory and pids hierarchies, below the harness own group', () => {
    const base = mkdtempSync(join(tmpdir(), 'dreambench-cg1-'));
    mkdirSync(join(base, 'memory', 'job', 'a'), { recursive: true });
    mkdirSync(join(base, 'pids'), { recursive: true });
    const found = detectCgroups({
      mountinfo: [
        `35 31 0:32 / ${base}/memory rw,relatime - cgroup cgroup rw,memory`,
        `39 31 0:36 / ${base}/pids rw,relatime - cgroup cgroup rw,pids`,
        `41 31 0:38 / ${base}/unified rw,relatime - cgroup2 cgroup2 rw`,
      ].join('\n'),
      selfCgroup: '8:pids:/\n4:memory:/job/a\n0::/\n',
    });
    expect(found).toEqual({ kind: 'cgroup1', memoryParent: join(base, 'memory', 'job', 'a'), pidsParent: join(base, 'pids') });
    expect(describeMemoryCap(found)).toBe('cgroup v1: one memory cap and process cap for all processes of a sandbox');
  });

  it('says so when no cgroup file system is mounted', () => {
    const found = detectCgroups({ mountinfo: '22 1 0:5 / /proc rw - proc proc rw\n', selfCgroup: '' });
    expect(found).toEqual({ kind: 'per-process', reason: 'no cgroup file system is mounted' });
  });
});

/** Skip a test of the cap where this machine has no cgroup to cap with, or the isolation level does not work. */
async function skipUnlessCapped(ctx: { skip: (note: string) => void }, level: Isolation): Promise<void> {
  if (noCgroup) ctx.skip(noCgroup);
  try {
    await detectIsolation(level);
  } catch (error) {
    ctx.skip(`${level} does not work here: ${(error as Error).message}`);
  }
}

describe.each(['bwrap', 'unshare', 'none'] as const)('sandbox memory cap (%s)', (level: Isolation) => {
  it('stops a sandbox whose processes together exceed the cap, and records it as over the memory limit', async (ctx) => {
    await skipUnlessCapped(ctx, level);
    const result = await runSandboxed({
      isolation: level,
      command: py(HOGS),
      timeoutMs: 60_000,
      limits: { memoryMb: 512, totalMemoryMb: 300, cpuSeconds: 30 },
    });
    expect(result.memoryCap).toBe(support.kind);
    expect(result.overMemoryCap).toBe(true);
    expect(result.timedOut).toBe(false);
    expect(result.stdout).not.toContain('survived');
    expect(ourGroups()).toEqual([]);
  });

  it('lets a sandbox under the cap finish normally', async (ctx) => {
    await skipUnlessCapped(ctx, level);
    const result = await runSandboxed({
      isolation: level,
      command: py('import os\nb = bytearray(50 * 1024 * 1024)\nprint("done", os.getpid() > 0)'),
      limits: { totalMemoryMb: 300 },
    });
    expect(result.stdout.trim()).toBe('done True');
    expect(result.overMemoryCap).toBe(false);
    expect(ourGroups()).toEqual([]);
  });
});

describe('sandbox cgroups of a killed harness', () => {
  it('are swept: their processes killed and the groups removed', async (ctx) => {
    if (noCgroup) ctx.skip(noCgroup);
    const group = SandboxCgroup.create({ memoryMb: 64, maxProcesses: 8 });
    if (!group) throw new Error('no group although cgroups are supported');
    const child = spawn(group.joinArgs()[0]!, [...group.joinArgs().slice(1), '/bin/sleep', '60'], { stdio: 'ignore' });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    // Wait until the sleeper has joined its group (no fixed delay: poll the group's member list).
    for (let i = 0; i < 500 && !readFileSync(join(group.dirs[0]!, 'cgroup.procs'), 'utf8').trim(); i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
    // Rename the group as if a harness long dead had made it, then sweep.
    const dead = join(support.memoryParent!, 'dreambench-999999999-1-1');
    renameSync(group.dirs[0]!, dead);
    group.dirs[0] = dead;
    sweepOrphans(support.memoryParent!);
    await exited;
    expect(existsSync(dead)).toBe(false);
    await group.close();
  });
});
