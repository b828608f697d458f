// A total memory cap (and a process cap) for all processes of one sandbox together, through a cgroup
// of its own: cgroup v2 where the harness's cgroup delegates the memory controller, else cgroup v1's
// memory (and pids) hierarchies where the harness may create groups (as root, usually), else none:
// the per-process rlimits of sandbox.ts are then the only bound (docs/sandbox.md says which applies).
//
// A sandbox's group is a child of the harness's own cgroup, so whatever limit the harness runs under
// still holds. The sandbox's first process joins it before anything else runs (`joinArgs`); when the
// sandbox ends, is stopped or goes over its cap, every process in the group is killed and the group
// removed. Groups left by a harness that was killed (kill -9) are swept the next time one starts.

import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type MemoryCapKind = 'cgroup2' | 'cgroup1' | 'per-process';

/** Where sandbox groups can be made on this machine, or why they cannot. */
export interface CgroupSupport {
  kind: MemoryCapKind;
  /** cgroup2: the parent directory; cgroup1: the memory hierarchy's parent directory. */
  memoryParent?: string;
  /** cgroup1: the pids hierarchy's parent directory, when pids groups can be made too. */
  pidsParent?: string;
  /** per-process: why no group can be made. */
  reason?: string;
}

/** What the detection reads: /proc/self/mountinfo and /proc/self/cgroup (injectable for tests). */
export interface CgroupHost {
  mountinfo: string;
  selfCgroup: string;
}

interface Mount {
  point: string;
  root: string;
  fstype: string;
  options: string[];
}

function mounts(mountinfo: string): Mount[] {
  const out: Mount[] = [];
  for (const line of mountinfo.split('\n')) {
    const [left, right] = line.split(' - ');
    if (!left || !right) continue;
    const fields = left.split(' ');
    const [fstype, , superOptions] = right.split(' ');
    if (!fields[3] || !fields[4] || !fstype) continue;
    out.push({ root: fields[3], point: fields[4], fstype, options: (superOptions ?? '').split(',') });
  }
  return out;
}

/** The directory of the harness's own group in a hierarchy mounted at `mount`. */
function ownDir(mount: Mount, path: string): string {
  const inside = mount.root === '/' ? path : path.startsWith(mount.root) ? path.slice(mount.root.length) : path;
  return inside === '/' || inside === '' ? mount.point : join(mount.point, inside);
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** Make, configure and remove a probe group: whether this process may create groups here. */
function canCreate(parent: string, settings: Record<string, string>): string | undefined {
  const dir = join(parent, `dreambench-probe-${process.pid}`);
  try {
    mkdirSync(dir);
  } catch (error) {
    return `cannot create a group under ${parent} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`;
  }
  try {
    for (const [file, value] of Object.entries(settings)) writeFileSync(join(dir, file), value);
    return undefined;
  } catch (error) {
    return `cannot set limits under ${parent} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`;
  } finally {
    try {
      rmdirSync(dir);
    } catch {
      // left for the next sweep
    }
  }
}

/** Which cap this machine allows, probing by making a group (no process is moved). */
export function detectCgroups(host: CgroupHost): CgroupSupport {
  const all = mounts(host.mountinfo);
  const lines = host.selfCgroup.split('\n').map((l) => l.split(':'));
  const reasons: string[] = [];

  const v2 = all.find((m) => m.fstype === 'cgroup2');
  const v2Path = lines.find((l) => l[0] === '0' && l[1] === '')?.[2];
  if (v2 && v2Path !== undefined) {
    const dir = ownDir(v2, v2Path);
    const delegated = (readText(join(dir, 'cgroup.subtree_control')) ?? '').split(/\s+/);
    if (!delegated.includes('memory')) reasons.push(`cgroup v2: the memory controller is not delegated to ${dir}`);
    else {
      const problem = canCreate(dir, { 'memory.max': String(64 * 1024 * 1024) });
      if (!problem) return { kind: 'cgroup2', memoryParent: dir };
      reasons.push(`cgroup v2: ${problem}`);
    }
  }

  const v1 = (controller: string): string | undefined => {
    const mount = all.find((m) => m.fstype === 'cgroup' && m.options.includes(controller));
    const path = lines.find((l) => (l[1] ?? '').split(',').includes(controller))?.[2];
    return mount && path !== undefined ? ownDir(mount, path) : undefined;
  };
  const memory = v1('memory');
  if (memory) {
    const problem = canCreate(memory, { 'memory.limit_in_bytes': String(64 * 1024 * 1024) });
    if (!problem) {
      const pids = v1('pids');
      const pidsOk = pids !== undefined && canCreate(pids, { 'pids.max': '64' }) === undefined;
      return { kind: 'cgroup1', memoryParent: memory, ...(pidsOk ? { pidsParent: pids } : {}) };
    }
    reasons.push(`cgroup v1: ${problem}`);
  } else if (!v2) reasons.push('no cgroup file system is mounted');
  else reasons.push('cgroup v1: no memory hierarchy');
  return { kind: 'per-process', reason: reasons.join('; ') };
}

let support: CgroupSupport | undefined;

/** This machine's support, probed once per process (and the leftovers of killed harnesses swept); DREAMBENCH_SANDBOX_CGROUP=off: none. */
export function cgroupSupport(): CgroupSupport {
  if (!support) {
    const host = { mountinfo: readText('/proc/self/mountinfo') ?? '', selfCgroup: readText('/proc/self/cgroup') ?? '' };
    support =
      process.env.DREAMBENCH_SANDBOX_CGROUP === 'off'
        ? { kind: 'per-process', reason: 'DREAMBENCH_SANDBOX_CGROUP=off' }
        : detectCgroups(host);
    for (const parent of [support.memoryParent, support.pidsParent]) if (parent) sweepOrphans(parent);
  }
  return support;
}

/** One line for the start of a run and the manifest: which memory cap is in force. */
export function describeMemoryCap(found: CgroupSupport = cgroupSupport()): string {
  if (found.kind === 'cgroup2') return 'cgroup v2: one memory and process cap for all processes of a sandbox';
  if (found.kind === 'cgroup1') {
    return `cgroup v1: one memory cap${found.pidsParent ? ' and process cap' : ''} for all processes of a sandbox`;
  }
  return `per process only (no cgroup: ${found.reason ?? 'unavailable'}): a sandbox's total is bounded by address space × process limit`;
}

// ---------------------------------------------------------------------------------------------
// One sandbox's group

/** Live groups of this process, removed on exit even when the harness stops early. */
const live = new Set<SandboxCgroup>();
let counter = 0;
// Group names carry the harness's pid and start time, so a sweep can tell a dead harness's groups.
const startTime = (): string => readText('/proc/self/stat')?.split(') ')[1]?.split(' ')[19] ?? '0';
const NAME = /^dreambench-(\d+)-(\d+)-[0-9a-z]+$/;
// Several copies of this module in one process (worker threads) must not pick the same names.
const instance = randomBytes(4).toString('hex');

export class SandboxCgroup {
  private constructor(
    private readonly kind: 'cgroup1' | 'cgroup2',
    /** Group directories (memory first). */
    readonly dirs: string[],
    readonly memoryMb: number,
  ) {}

  /** A group capping the sandbox's processes together at `memoryMb` and `maxProcesses`; undefined where none can be made. */
  static create(limits: { memoryMb: number; maxProcesses: number }, found: CgroupSupport = cgroupSupport()): SandboxCgroup | undefined {
    if (found.kind === 'per-process' || !found.memoryParent) return undefined;
    const name = `dreambench-${process.pid}-${startTime()}-${instance}x${++counter}`;
    const bytes = String(limits.memoryMb * 1024 * 1024);
    const dirs: string[] = [];
    try {
      const memory = join(found.memoryParent, name);
      mkdirSync(memory);
      dirs.push(memory);
      if (found.kind === 'cgroup2') {
        writeFileSync(join(memory, 'memory.max'), bytes);
        writeIfPresent(join(memory, 'memory.swap.max'), '0');
        writeIfPresent(join(memory, 'memory.oom.group'), '1'); // the kernel kills the whole group, not one process
        writeIfPresent(join(memory, 'pids.max'), String(limits.maxProcesses));
      } else {
        writeFileSync(join(memory, 'memory.limit_in_bytes'), bytes);
        writeIfPresent(join(memory, 'memory.memsw.limit_in_bytes'), bytes); // no escape into swap
        if (found.pidsParent) {
          const pids = join(found.pidsParent, name);
          mkdirSync(pids);
          dirs.push(pids);
          writeFileSync(join(pids, 'pids.max'), String(limits.maxProcesses));
        }
      }
    } catch (error) {
      new SandboxCgroup(found.kind, dirs, limits.memoryMb).remove();
      throw new Error(`could not set up the sandbox's cgroup under ${found.memoryParent}: ${(error as Error).message}`);
    }
    const group = new SandboxCgroup(found.kind, dirs, limits.memoryMb);
    live.add(group);
    return group;
  }

  /**
   * A prefix for the sandbox's argv: a shell that moves itself into the group, then execs the rest,
   * so every process of the sandbox starts inside it (the environment left as it was: the shell's PWD
   * is removed). Exits 125 with a message if it cannot join.
   */
  joinArgs(): string[] {
    return [
      '/bin/sh',
      '-c',
      'for f in "$@"; do [ "$f" = -- ] && break; echo $$ > "$f" || { echo "dreambench: cannot join the sandbox cgroup" >&2; exit 125; }; shift; done; shift; unset PWD; exec "$@"',
      'cgroup-join',
      ...this.dirs.map((d) => join(d, 'cgroup.procs')),
      '--',
    ];
  }

  /** The kernel had to kill a process of the group for going over its memory cap. */
  overMemoryCap(): boolean {
    const dir = this.dirs[0]!;
    const text = readText(join(dir, this.kind === 'cgroup2' ? 'memory.events' : 'memory.oom_control')) ?? '';
    return Number(/^oom_kill (\d+)/m.exec(text)?.[1] ?? 0) > 0;
  }

  /** SIGKILL every process in the group, until none is left (a forking process may add one between reads). */
  killAll(): void {
    if (this.kind === 'cgroup2' && writeIfPresent(join(this.dirs[0]!, 'cgroup.kill'), '1')) return;
    for (let round = 0; round < 200; round++) {
      const pids = this.dirs.flatMap((d) => (readText(join(d, 'cgroup.procs')) ?? '').split('\n').filter(Boolean));
      if (pids.length === 0) return;
      for (const pid of pids) {
        try {
          process.kill(Number(pid), 'SIGKILL');
        } catch {
          // gone already
        }
      }
    }
  }

  /** Kill what is left and remove the group; waits (briefly) for killed processes to leave it. */
  async close(): Promise<void> {
    for (let attempt = 0; attempt < 50; attempt++) {
      this.killAll();
      if (this.tryRemove()) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    live.delete(this); // left for the next harness's sweep
  }

  /** Synchronous best effort (on exit). */
  remove(): void {
    this.killAll();
    this.tryRemove();
  }

  private tryRemove(): boolean {
    for (const dir of [...this.dirs]) {
      try {
        if (existsSync(dir)) rmdirSync(dir);
        this.dirs.splice(this.dirs.indexOf(dir), 1);
      } catch {
        return false;
      }
    }
    live.delete(this);
    return true;
  }
}

function writeIfPresent(path: string, value: string): boolean {
  if (!existsSync(path)) return false;
  try {
    writeFileSync(path, value);
    return true;
  } catch {
    return false;
  }
}

/** Groups of harnesses no longer running (killed before they could clean up): kill their processes, remove them. */
export function sweepOrphans(parent: string): void {
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return;
  }
  for (const name of names) {
    const match = NAME.exec(name);
    if (!match || match[1] === String(process.pid)) continue;
    const stat = readText(`/proc/${match[1]}/stat`);
    if (stat && stat.split(') ')[1]?.split(' ')[19] === match[2]) continue; // its harness still runs
    const dir = join(parent, name);
    // A killed process leaves its group a moment later: retry the removal for up to 2 s, pausing between tries.
    for (let round = 0; round < 200; round++) {
      if (round > 0) pauseSync(10);
      const pids = (readText(join(dir, 'cgroup.procs')) ?? '').split('\n').filter(Boolean);
      for (const pid of pids) {
        try {
          process.kill(Number(pid), 'SIGKILL');
        } catch {
          // gone
        }
      }
      try {
        rmdirSync(dir);
        break;
      } catch {
        // processes still leaving
      }
    }
  }
}

/** Block this thread for `ms` (the sweep runs once, at start, where waiting a few ms is harmless). */
function pauseSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

process.once('exit', () => {
  for (const group of [...live]) group.remove();
});
