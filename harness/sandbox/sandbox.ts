// Running untrusted code (an agent's solution, a user's tests) in a separate process, as far from
// the harness as this machine allows. Three isolation levels, chosen once per process:
//
//   bwrap    bubblewrap: new user, pid, network, ipc, uts and cgroup namespaces; a root file system
//            holding only /usr (read-only), the interpreter's install prefix (read-only), a private
//            /proc and /dev, a size-limited tmpfs /tmp and a size-limited tmpfs working directory
//            /sandbox with the request's files bound read-only into it. Nothing else of the host is
//            visible: not the harness, not the run directory, not $HOME, not /etc (but ld.so.cache).
//   unshare  util-linux unshare: new user, network, pid and mount namespaces (no network, the
//            sandbox's processes only in /proc), private tmpfs over /tmp, /var/tmp and /dev/shm; but
//            the rest of the host file system stays visible: code can read whatever its user can
//            read. Weaker than bwrap: used only when named (isolation, or accepted by `auto`).
//   none     resource limits, a scrubbed environment and a temporary working directory only: network
//            and file reads are NOT isolated. Used only when named.
//
// `auto` means bwrap. When bwrap does not work it stops with how to install it, unless a weaker
// level was accepted by name (the experiment's `sandbox.accept`, or DREAMBENCH_SANDBOX_ACCEPT).
//
// When the harness runs as root, every sandbox runs under a uid of its own (from a per-process block
// of unused uids), with its working directory readable by that uid only: concurrent sandboxes cannot
// read each other's programs (hidden tests, markers) and do not share the process limit; whatever is
// left running under that uid when the sandbox ends (a daemon, a detached child) is killed.
//
// In every level: a wall-clock timeout that kills the whole process group (and with bwrap/unshare
// the whole pid namespace), rlimits through prlimit (CPU seconds, address space, processes, file
// size, open files, no core dumps), an empty environment (HOME, PATH, LANG, LC_ALL and TMPDIR only:
// no API key reaches the code), stdout/stderr capped, a fresh temporary directory removed afterwards, and,
// when the harness runs as root, the code runs as an unprivileged uid of its own via setpriv.
//
// Memory: RLIMIT_AS caps each process, and where this machine allows it (cgroup.ts) a cgroup of the
// sandbox's own caps all its processes together (totalMemoryMb, maxProcesses); without one, the total
// is bounded only by memoryMb × maxProcesses (docs/sandbox.md).

import { execFileSync } from 'node:child_process';
import {
  accessSync,
  chmodSync,
  chownSync,
  constants,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { availableParallelism, constants as osConstants, tmpdir } from 'node:os';
import { delimiter, dirname, isAbsolute, join, normalize, sep } from 'node:path';
import { Duplex } from 'node:stream';
import { execa } from 'execa';
import pLimit from 'p-limit';
import { cgroupSupport, type MemoryCapKind, SandboxCgroup } from './cgroup.js';

export type Isolation = 'bwrap' | 'unshare' | 'none';

export interface SandboxLimits {
  /** RLIMIT_CPU: CPU seconds (the process gets SIGXCPU, then SIGKILL a second later). */
  cpuSeconds: number;
  /** RLIMIT_AS: address space in MiB (node needs about 1024 to start; python far less). */
  memoryMb: number;
  /** RLIMIT_NPROC: processes/threads of the sandbox user; also the sandbox cgroup's pids.max where there is one. */
  maxProcesses: number;
  /** Resident memory of all the sandbox's processes together, MiB (its cgroup's cap; where no cgroup can be made, not enforced). */
  totalMemoryMb: number;
  /** RLIMIT_FSIZE: largest file the code may write, MiB. */
  maxFileMb: number;
  /** RLIMIT_NOFILE. */
  maxOpenFiles: number;
  /** Size of the writable tmpfs /sandbox and /tmp under bwrap, MiB each. */
  diskMb: number;
}

export const DEFAULT_LIMITS: SandboxLimits = {
  cpuSeconds: 10,
  memoryMb: 512,
  maxProcesses: 64,
  totalMemoryMb: 1024,
  maxFileMb: 16,
  maxOpenFiles: 256,
  diskMb: 64,
};

export interface SandboxRequest {
  /** argv: argv[0] an absolute interpreter path (see `findInterpreter`); file arguments are relative to the working dir. */
  command: string[];
  /** Files placed in the working directory (relative path -> text). Read-only under bwrap. */
  files?: Record<string, string>;
  /** Standard input (default: none: /dev/null). */
  stdin?: string;
  /** Wall-clock limit in milliseconds (default 10 s). */
  timeoutMs?: number;
  limits?: Partial<SandboxLimits>;
  /** Default: the run's choice, else DREAMBENCH_SANDBOX, else 'auto' (bwrap, else a weaker level accepted by name, else an error). */
  isolation?: Isolation | 'auto';
  /** Cap per stream in bytes (default 1 MiB); the rest is dropped and `outputTruncated` set. */
  maxOutputBytes?: number;
  /** Extra environment variables, given explicitly (nothing is inherited). */
  env?: Record<string, string>;
}

export interface SandboxResult {
  /** Exit code, or null when killed by a signal. */
  exitCode: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  /** Killed by the wall-clock timeout. */
  timedOut: boolean;
  outputTruncated: boolean;
  durationMs: number;
  isolation: Isolation;
  /** Which cap bounded the sandbox's memory as a whole (cgroup.ts). */
  memoryCap: MemoryCapKind;
  /** Its processes together went over totalMemoryMb: the kernel killed one, and the sandbox was stopped. */
  overMemoryCap: boolean;
}

/** The sandbox could not run the code at all (missing tool, namespaces refused): an infrastructure failure, not the code's. */
export class SandboxError extends Error {
  override name = 'SandboxError';
}

/** Working directory inside the bwrap sandbox. */
export const SANDBOX_DIR = '/sandbox';
/** The user code runs as when the harness runs as root. */
const NOBODY = 65534;

const isRoot = (): boolean => typeof process.getuid === 'function' && process.getuid() === 0;

function which(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '/usr/bin:/bin').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

function tool(name: string, apt: string): string {
  const found = ['/usr/bin', '/bin', '/usr/sbin', '/sbin'].map((d) => join(d, name)).find((p) => existsSync(p)) ?? which(name);
  if (!found) throw new SandboxError(`the sandbox needs \`${name}\` (Debian/Ubuntu: apt-get install ${apt})`);
  return found;
}

/** Whether uid 65534 can reach and execute a path (every ancestor searchable by "other"). */
function otherCanExecute(path: string): boolean {
  let current = path;
  for (;;) {
    try {
      const mode = statSync(current).mode;
      if (!(mode & 0o001)) return false;
    } catch {
      return false;
    }
    const parent = dirname(current);
    if (parent === current) return true;
    current = parent;
  }
}

const interpreters = new Map<string, string>();

/**
 * The absolute, real path of an interpreter the sandbox can run: `python3` (DREAMBENCH_PYTHON, else
 * /usr/bin/python3, else python3 on PATH resolved through sys.executable, so pyenv shims work) or
 * `node` (DREAMBENCH_NODE, else /usr/bin/node, else the node running the harness).
 */
export function findInterpreter(name: 'python3' | 'node'): string {
  const cached = interpreters.get(name);
  if (cached) return cached;
  let found: string | undefined;
  const override = name === 'python3' ? process.env.DREAMBENCH_PYTHON : process.env.DREAMBENCH_NODE;
  if (override) {
    if (!isAbsolute(override) || !existsSync(override)) {
      throw new SandboxError(
        `${name === 'python3' ? 'DREAMBENCH_PYTHON' : 'DREAMBENCH_NODE'} must be an absolute path to an existing interpreter, got "${override}"`,
      );
    }
    found = override;
  } else if (name === 'python3') {
    found = ['/usr/bin/python3', '/usr/local/bin/python3'].find((p) => existsSync(p));
    if (!found) {
      const onPath = which('python3');
      if (onPath) {
        try {
          found =
            execFileSync(onPath, ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8', timeout: 10_000 }).trim() || undefined;
        } catch {
          found = undefined;
        }
      }
    }
    if (!found) throw new SandboxError('python3 not found: install it (apt-get install python3) or set DREAMBENCH_PYTHON');
  } else {
    found = existsSync('/usr/bin/node') ? '/usr/bin/node' : process.execPath;
  }
  const real = realpathSync(found);
  interpreters.set(name, real);
  return real;
}

// ---------------------------------------------------------------------------------------------
// Choosing the isolation level

/**
 * The bubblewrap binary: DREAMBENCH_BWRAP (an absolute path), else /usr/bin/bwrap, else bwrap on
 * PATH; undefined when there is none, with why.
 */
export function findBwrap(): { path?: string; missing?: string } {
  const override = process.env.DREAMBENCH_BWRAP;
  if (override) {
    if (!isAbsolute(override)) return { missing: `DREAMBENCH_BWRAP must be an absolute path, got "${override}"` };
    return existsSync(override) ? { path: override } : { missing: `not installed (DREAMBENCH_BWRAP=${override} does not exist)` };
  }
  const path = ['/usr/bin/bwrap', '/bin/bwrap'].find((p) => existsSync(p)) ?? which('bwrap');
  return path ? { path } : { missing: 'not installed' };
}

function bwrapBinary(): string {
  const found = findBwrap();
  if (!found.path) throw new SandboxError(`the sandbox needs bubblewrap: ${found.missing} (Debian/Ubuntu: apt-get install bubblewrap)`);
  return found.path;
}

const probes = new Map<string, Promise<string | undefined>>();

/** Run `true` under a level; resolves to undefined when it works, else why not. */
function probe(level: Isolation): Promise<string | undefined> {
  const key = level === 'bwrap' ? `bwrap:${findBwrap().path ?? ''}` : level;
  let pending = probes.get(key);
  if (!pending) {
    pending = (async () => {
      const dir = makeWorkdir();
      try {
        const trueBin = ['/usr/bin/true', '/bin/true'].find((p) => existsSync(p)) ?? '/usr/bin/true';
        const argv = wrap(level, [trueBin], dir, DEFAULT_LIMITS, {}, []);
        const result = await execa(argv[0]!, argv.slice(1), {
          reject: false,
          timeout: 20_000,
          env: {},
          extendEnv: false,
          cwd: dir,
          stdin: 'ignore',
        });
        if (result.exitCode === 0) return undefined;
        return (result.stderr || result.stdout || `exit code ${result.exitCode}`).toString().trim().split('\n')[0];
      } catch (error) {
        return (error as Error).message;
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    })();
    probes.set(key, pending);
  }
  return pending;
}

/** The level that `auto` picks on this machine: bwrap, else a weaker level accepted by name; throws (with how to install bubblewrap) when neither. */
export async function detectIsolation(requested: Isolation | 'auto' = defaultIsolation()): Promise<Isolation> {
  if (requested !== 'auto') {
    if (requested !== 'none') {
      const problem = await probe(requested);
      if (problem) throw new SandboxError(`sandbox isolation "${requested}" does not work here: ${problem}`);
    }
    return requested;
  }
  const reasons: string[] = [];
  for (const level of ['bwrap', ...accepted.filter((l) => l === 'unshare')] as const) {
    const missing = level === 'bwrap' ? findBwrap().missing : undefined;
    if (missing) {
      reasons.push(`bwrap: ${missing}`);
      continue;
    }
    const problem = await probe(level);
    if (!problem) return level;
    reasons.push(`${level}: ${problem}`);
  }
  if (accepted.includes('none')) return 'none';
  throw new SandboxUnavailableError(
    `the bubblewrap sandbox is not available (${reasons.join('; ')}). Install it (Debian/Ubuntu: apt-get install bubblewrap; ` +
      'it also needs unprivileged user namespaces: sysctl kernel.unprivileged_userns_clone=1 where that setting exists), ' +
      'or accept a weaker level by name in the experiment (sandbox: {accept: [unshare]} or [none]; DREAMBENCH_SANDBOX_ACCEPT=unshare outside experiments). ' +
      'Weaker levels isolate less: see docs/sandbox.md.',
  );
}

/**
 * The level a run uses, chosen once before the run writes anything: the experiment's isolation (auto:
 * bwrap, or an accepted weaker level), probed so that a level that does not work here fails now.
 * Every later sandbox of the process uses it.
 */
export async function chooseSandbox(
  options: { isolation?: Isolation | 'auto'; accept?: ReadonlyArray<'unshare' | 'none'> } = {},
): Promise<Isolation> {
  configureSandbox({ accept: options.accept ?? acceptedFromEnv() });
  const requested = options.isolation ?? defaultIsolation();
  const level = await detectIsolation(requested);
  configureSandbox({ isolation: level, accept: options.accept ?? acceptedFromEnv() });
  return level;
}

/** Weaker levels `auto` may use when bwrap does not work (set from the experiment, or DREAMBENCH_SANDBOX_ACCEPT). */
let accepted: Array<'unshare' | 'none'> = acceptedFromEnv();

function acceptedFromEnv(): Array<'unshare' | 'none'> {
  return (process.env.DREAMBENCH_SANDBOX_ACCEPT ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s): s is 'unshare' | 'none' => s === 'unshare' || s === 'none');
}

/** The run's choice: what `auto` may fall back to, and the level every later sandbox uses. */
export function configureSandbox(options: { isolation?: Isolation | 'auto'; accept?: ReadonlyArray<'unshare' | 'none'> }): void {
  accepted = [...(options.accept ?? [])];
  chosen = options.isolation && options.isolation !== 'auto' ? options.isolation : undefined;
}

let chosen: Isolation | undefined;

const cgroupKind = (): MemoryCapKind => cgroupSupport().kind;

/** `auto` without bwrap and without an accepted weaker level: bad input (exit 2), not a crash. */
export class SandboxUnavailableError extends SandboxError {
  override name = 'SandboxUnavailableError';
}

export function defaultIsolation(): Isolation | 'auto' {
  if (chosen) return chosen;
  const value = process.env.DREAMBENCH_SANDBOX;
  if (value === undefined || value === '' || value === 'auto') return 'auto';
  if (value === 'bwrap' || value === 'unshare' || value === 'none') return value;
  throw new SandboxError(`DREAMBENCH_SANDBOX must be auto, bwrap, unshare or none, got "${value}"`);
}

// ---------------------------------------------------------------------------------------------
// Building the command line

function prlimitArgs(limits: SandboxLimits): string[] {
  const mib = 1024 * 1024;
  return [
    tool('prlimit', 'util-linux'),
    `--cpu=${limits.cpuSeconds}:${limits.cpuSeconds + 1}`,
    `--as=${limits.memoryMb * mib}`,
    `--nproc=${limits.maxProcesses}`,
    `--fsize=${limits.maxFileMb * mib}`,
    `--nofile=${limits.maxOpenFiles}`,
    '--core=0',
    '--',
  ];
}

function dropPrivileges(uid: number): string[] {
  return isRoot() ? [tool('setpriv', 'util-linux'), `--reuid=${uid}`, `--regid=${uid}`, '--clear-groups', '--'] : [];
}

// A block of uids for this process's sandboxes, at a random place far above ordinary accounts, so
// that two harness processes on one machine are unlikely to share one (each block: 4096 uids).
const UID_BLOCK = 4096;
const uidBase = 1_000_000 + Math.floor(Math.random() * 400_000) * UID_BLOCK;
const uidsInUse = new Set<number>();

let nextUid = 0;

/**
 * A uid no other sandbox of this process holds (root only; otherwise the harness's own). Taken in
 * turn through the block rather than the lowest free one: the killed processes of a sandbox that just
 * ended may still count against its uid's process limit for a moment, so the next sandbox gets another.
 */
function takeUid(): number {
  if (!isRoot()) return typeof process.getuid === 'function' ? process.getuid() : NOBODY;
  for (let i = 0; i < UID_BLOCK; i++) {
    const uid = uidBase + ((nextUid + i) % UID_BLOCK);
    if (!uidsInUse.has(uid)) {
      nextUid = (nextUid + i + 1) % UID_BLOCK;
      uidsInUse.add(uid);
      return uid;
    }
  }
  throw new SandboxError(`more than ${UID_BLOCK} sandboxes at once`);
}

/** Kill every process still running under a sandbox's uid (a daemon or a detached child that escaped the process group). */
function killUid(uid: number): void {
  if (!isRoot() || uid === 0) return;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const status = readFileSync(`/proc/${entry}/status`, 'utf8');
      const real = /^Uid:\s+(\d+)/m.exec(status)?.[1];
      if (Number(real) === uid) process.kill(Number(entry), 'SIGKILL');
    } catch {
      // gone already, or not ours to read
    }
  }
}

const ROOT_LINKS = ['bin', 'sbin', 'lib', 'lib32', 'lib64', 'libx32'];

/** Read-only views of the host the bwrap sandbox needs: /usr, the merged-/usr links, the interpreter's prefix. */
function bwrapFilesystem(command: readonly string[]): string[] {
  const args = ['--ro-bind', '/usr', '/usr'];
  for (const name of ROOT_LINKS) {
    const path = `/${name}`;
    let stat;
    try {
      stat = lstatSync(path);
    } catch {
      continue;
    }
    if (stat.isSymbolicLink()) args.push('--symlink', readlinkSync(path), path);
    else if (stat.isDirectory()) args.push('--ro-bind', path, path);
  }
  args.push('--ro-bind-try', '/etc/ld.so.cache', '/etc/ld.so.cache');
  // An interpreter outside /usr (pyenv, nvm, a venv): its install prefix, read-only.
  const program = command[0]!;
  const underSystem = ['/usr/', ...ROOT_LINKS.map((n) => `/${n}/`)].some((p) => program.startsWith(p));
  if (!underSystem) args.push('--ro-bind', dirname(dirname(program)), dirname(dirname(program)));
  return args;
}

function envArgs(level: Isolation, workdir: string, extra: Record<string, string>): Record<string, string> {
  // The working directory in every level (under unshare it keeps its path inside the private /tmp).
  const home = level === 'bwrap' ? SANDBOX_DIR : workdir;
  return {
    HOME: home,
    PATH: '/usr/local/bin:/usr/bin:/bin',
    LANG: 'C.UTF-8',
    LC_ALL: 'C.UTF-8',
    TMPDIR: level === 'none' ? workdir : '/tmp',
    ...extra,
  };
}

/** The full argv for a level (exported for tests and the README's description). */
export function wrap(
  level: Isolation,
  command: readonly string[],
  workdir: string,
  limits: SandboxLimits,
  extraEnv: Record<string, string>,
  files: readonly string[],
  uid: number = NOBODY,
): string[] {
  const env = envArgs(level, workdir, extraEnv);
  const inner = [...prlimitArgs(limits), ...command];
  if (level === 'none') return [...dropPrivileges(uid), ...inner];
  if (level === 'unshare') {
    const mib = limits.diskMb;
    return [
      ...dropPrivileges(uid),
      tool('unshare', 'util-linux'),
      '--user',
      '--map-root-user',
      '--net',
      '--pid',
      '--fork',
      '--kill-child',
      '--mount',
      '--mount-proc',
      '--',
      // A shell as pid 1 of the namespace: pid 1 ignores signals it has no handler for, so the code
      // must not be pid 1 itself, or SIGXCPU and kill(2) would not stop it. `; exit $?` keeps the shell
      // from exec-ing the command; it exits with 128+N when the command dies of signal N. First it
      // puts private tmpfs over /tmp, /var/tmp and /dev/shm, and moves the working directory (under the
      // host's /tmp, parked on /mnt meanwhile) back to its own path inside the new /tmp (a bind, then
      // unmounting the parked one: `mount --move` is refused inside the namespace on recent kernels).
      '/bin/sh',
      '-c',
      `W="$(pwd)"; case "$W" in /tmp/*) mount --bind "$W" /mnt || exit 125;; esac; ` +
        `mount -t tmpfs -o size=${mib}m,mode=1777 tmpfs /tmp || exit 125; ` +
        `case "$W" in /tmp/*) mkdir -p "$W" && mount --bind /mnt "$W" && umount /mnt && cd "$W" || exit 125;; esac; ` +
        `for d in /var/tmp /dev/shm; do [ -d "$d" ] && mount -t tmpfs -o size=${mib}m,mode=1777 tmpfs "$d"; done; unset PWD OLDPWD; "$@"; exit $?`,
      'sandbox',
      ...inner,
    ];
  }
  const mib = 1024 * 1024;
  const args = [
    ...dropPrivileges(uid),
    bwrapBinary(),
    '--unshare-all',
    '--die-with-parent',
    '--new-session',
    '--cap-drop',
    'ALL',
    '--hostname',
    'sandbox',
    ...bwrapFilesystem(command),
    '--proc',
    '/proc',
    '--dev',
    '/dev',
    '--size',
    String(limits.diskMb * mib),
    '--tmpfs',
    '/tmp',
    '--size',
    String(limits.diskMb * mib),
    '--tmpfs',
    SANDBOX_DIR,
  ];
  for (const file of files) args.push('--ro-bind', join(workdir, file), `${SANDBOX_DIR}/${file}`);
  args.push('--chdir', SANDBOX_DIR, '--clearenv');
  for (const [key, value] of Object.entries(env)) args.push('--setenv', key, value);
  args.push('--', ...inner);
  return args;
}

/** A fresh working directory, owned by the sandbox's uid and readable by it alone. */
function makeWorkdir(uid: number = NOBODY): string {
  const dir = mkdtempSync(join(tmpdir(), 'dreambench-sandbox-'));
  if (isRoot()) {
    if (!otherCanExecute(tmpdir())) {
      rmSync(dir, { recursive: true, force: true });
      throw new SandboxError(
        `the temporary directory ${tmpdir()} is not reachable by the unprivileged sandbox user; set TMPDIR to one that is (e.g. /tmp)`,
      );
    }
    chownSync(dir, uid, uid);
    chmodSync(dir, 0o700);
  }
  return dir;
}

function safeRelative(path: string): string {
  const clean = normalize(path);
  if (!clean || isAbsolute(clean) || clean === '.' || clean.split(sep).includes('..')) {
    throw new SandboxError(`sandbox file name must be a relative path inside the working directory, got "${path}"`);
  }
  return clean;
}

// ---------------------------------------------------------------------------------------------
// Running

const concurrency = Number(process.env.DREAMBENCH_SANDBOX_CONCURRENCY) || Math.max(2, availableParallelism());
const slots = pLimit(concurrency);

/** Run a command in the sandbox. Resolves with what happened (never rejects for the code's own failures). */
export function runSandboxed(request: SandboxRequest): Promise<SandboxResult> {
  return slots(() => runNow(request));
}

/** A two-way byte channel on file descriptor 3 of a sandboxed program, and a way to stop it early. */
interface Link {
  onChannel(stream: Duplex): void;
  stop: AbortSignal;
}

/**
 * Two programs in two separate sandboxes, side by side, whose file descriptors 3 are joined: what
 * one writes there the other reads. Neither sees the other's files, memory or processes. When the
 * first (the driver) ends, the second (the worker) gets end-of-file, then is stopped after
 * `graceMs`. Used to judge code from outside its own process (tasks/_coding/isolated.ts).
 */
export function runConnected(
  driver: SandboxRequest,
  worker: SandboxRequest,
  graceMs = 2000,
): Promise<{ driver: SandboxResult; worker: SandboxResult }> {
  return slots(async () => {
    const stopWorker = new AbortController();
    const stopDriver = new AbortController();
    let driverStream: Duplex | undefined;
    let workerStream: Duplex | undefined;
    const connect = (): void => {
      if (!driverStream || !workerStream) return;
      driverStream.pipe(workerStream);
      workerStream.pipe(driverStream);
    };
    const swallow = (stream: Duplex): Duplex => stream.on('error', () => undefined);
    const workerRun = runNow(worker, {
      onChannel: (s) => {
        workerStream = swallow(s);
        connect();
      },
      stop: stopWorker.signal,
    });
    const driverRun = runNow(driver, {
      onChannel: (s) => {
        driverStream = swallow(s);
        connect();
      },
      stop: stopDriver.signal,
    });
    // A worker that cannot start at all must not leave the driver waiting for it.
    workerRun.catch(() => stopDriver.abort());
    let driverResult: SandboxResult;
    try {
      driverResult = await driverRun;
    } finally {
      workerStream?.end();
      const timer = setTimeout(() => stopWorker.abort(), graceMs);
      await workerRun.catch(() => undefined);
      clearTimeout(timer);
    }
    return { driver: driverResult, worker: await workerRun };
  });
}

async function runNow(request: SandboxRequest, link?: Link): Promise<SandboxResult> {
  if (request.command.length === 0 || !isAbsolute(request.command[0]!)) {
    throw new SandboxError('sandbox command must start with an absolute interpreter path (see findInterpreter)');
  }
  const level = await detectIsolation(request.isolation ?? defaultIsolation());
  const limits: SandboxLimits = { ...DEFAULT_LIMITS, ...request.limits };
  const timeoutMs = request.timeoutMs ?? 10_000;
  const maxOutput = request.maxOutputBytes ?? 1024 * 1024;
  if (isRoot() && !otherCanExecute(request.command[0]!)) {
    throw new SandboxError(
      `${request.command[0]} is not reachable by the unprivileged sandbox user (uid ${NOBODY}); point DREAMBENCH_PYTHON / DREAMBENCH_NODE at an interpreter outside private directories (e.g. /usr/bin/python3)`,
    );
  }

  const uid = takeUid();
  const workdir = makeWorkdir(uid);
  let group: SandboxCgroup | undefined;
  try {
    try {
      group = SandboxCgroup.create({ memoryMb: limits.totalMemoryMb, maxProcesses: limits.maxProcesses });
    } catch (error) {
      throw new SandboxError((error as Error).message);
    }
    const names: string[] = [];
    for (const [path, content] of Object.entries(request.files ?? {})) {
      const rel = safeRelative(path);
      const target = join(workdir, rel);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, content);
      chmodSync(target, 0o644);
      if (isRoot()) {
        for (let d = dirname(target); d.startsWith(workdir) && d !== workdir; d = dirname(d)) chownSync(d, uid, uid);
        chownSync(target, uid, uid);
      }
      names.push(rel);
    }
    const argv = [...(group?.joinArgs() ?? []), ...wrap(level, request.command, workdir, limits, request.env ?? {}, names, uid)];
    const started = performance.now();
    const child = execa(argv[0]!, argv.slice(1), {
      cwd: workdir,
      env: level === 'bwrap' ? {} : envArgs(level, workdir, request.env ?? {}),
      extendEnv: false,
      reject: false,
      detached: true, // its own process group, so a timeout kills everything it started
      cleanup: true,
      stripFinalNewline: false,
      encoding: 'utf8',
      maxBuffer: maxOutput,
      ...(link
        ? { stdio: ['ignore', 'pipe', 'pipe', 'pipe'] as const, buffer: { stdout: true, stderr: true, fd3: false } }
        : request.stdin !== undefined
          ? { input: request.stdin }
          : { stdin: 'ignore' as const }),
    });
    if (link) {
      const channel: unknown = child.stdio[3];
      if (channel instanceof Duplex) link.onChannel(channel);
    }
    let timedOut = false;
    const killGroup = (): void => {
      group?.killAll();
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, timeoutMs);
    // Over the cap, the kernel kills one process; the sandbox as a whole is stopped at once.
    let overMemoryCap = false;
    const watch = group
      ? setInterval(() => {
          if (!overMemoryCap && group?.overMemoryCap()) {
            overMemoryCap = true;
            killGroup();
          }
        }, 100)
      : undefined;
    link?.stop.addEventListener('abort', killGroup, { once: true });
    let result;
    try {
      result = await child;
    } finally {
      clearTimeout(timer);
      clearInterval(watch);
      overMemoryCap ||= group?.overMemoryCap() ?? false;
      killGroup(); // stragglers that outlived the main process (in 'none' mode)
    }
    const durationMs = Math.round(performance.now() - started);
    if (result.failed && result.exitCode === undefined && result.signal === undefined && !result.isMaxBuffer && !timedOut) {
      throw new SandboxError(`the sandbox could not start ${request.command[0]}: ${result.shortMessage ?? result.message}`);
    }
    const text = (value: unknown): string => (typeof value === 'string' ? value : Array.isArray(value) ? value.join('\n') : '');
    let stderr = text(result.stderr);
    if (group && result.exitCode === 125 && /^dreambench: cannot join the sandbox cgroup/m.test(stderr)) {
      throw new SandboxError(`the sandbox failed: ${stderr.trim()}`);
    }
    // bwrap's own failures (a bind that cannot be made) are infrastructure errors, not the code's.
    if (level === 'bwrap' && result.exitCode === 1 && /^bwrap: /m.test(stderr) && !stderr.replace(/^bwrap: .*$/gm, '').trim()) {
      throw new SandboxError(`the sandbox failed: ${stderr.trim()}`);
    }
    if (stderr.length > maxOutput) stderr = stderr.slice(0, maxOutput);
    let exitCode = result.exitCode ?? null;
    let signal: string | null = result.signal ?? null;
    // Under bwrap and unshare the code is a grandchild: its death by signal N arrives as exit code 128+N.
    if (level !== 'none' && exitCode !== null && exitCode > 128 && exitCode <= 128 + 64) {
      const name = Object.entries(osConstants.signals).find(([, n]) => n === exitCode! - 128)?.[0];
      if (name) [exitCode, signal] = [null, name];
    }
    return {
      exitCode,
      signal,
      stdout: text(result.stdout).slice(0, maxOutput),
      stderr,
      timedOut,
      outputTruncated: Boolean(result.isMaxBuffer),
      durationMs,
      isolation: level,
      memoryCap: group ? cgroupKind() : 'per-process',
      overMemoryCap,
    };
  } finally {
    await group?.close();
    killUid(uid);
    uidsInUse.delete(uid);
    rmSync(workdir, { recursive: true, force: true });
  }
}
