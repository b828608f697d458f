import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sourcePath } from '../core/paths.js';
import { detectIsolation, findInterpreter, runSandboxed, SandboxError, type Isolation } from './sandbox.js';

const python = findInterpreter('python3');
const node = findInterpreter('node');
const py = (code: string) => [python, '-I', '-S', '-c', code];

const bwrapInstalled = existsSync('/usr/bin/bwrap');
/** Levels this machine supports (bwrap is required wherever it is installed; .ci/run installs it). */
const levels: Isolation[] = [];
beforeAll(async () => {
  for (const level of ['bwrap', 'unshare'] as const) {
    try {
      await detectIsolation(level);
      levels.push(level);
    } catch {
      // not available here
    }
  }
});

/** No process whose command line holds `marker` is left on the host. */
function leftovers(marker: string): string[] {
  try {
    return execFileSync('pgrep', ['-af', marker], { encoding: 'utf8' })
      .split('\n')
      .filter((line) => line.trim() && !line.includes('pgrep'));
  } catch {
    return [];
  }
}

describe('sandbox: choosing the isolation level', () => {
  it('auto picks bwrap where bubblewrap is installed', async () => {
    if (!bwrapInstalled) throw new Error('bubblewrap is not installed: apt-get install bubblewrap (.ci/run does this)');
    expect(await detectIsolation('auto')).toBe('bwrap');
    expect(levels).toContain('bwrap');
  });

  it('rejects a relative interpreter and an escaping file name', async () => {
    await expect(runSandboxed({ command: ['python3', '-c', '1'] })).rejects.toThrow(SandboxError);
    await expect(runSandboxed({ command: py('1'), files: { '../x.py': '' } })).rejects.toThrow(
      /relative path inside the working directory/,
    );
  });
});

describe('sandbox (none: only when asked for)', () => {
  it('keeps the limits, the empty environment and the temporary directory, and nothing else', async () => {
    process.env.ANTHROPIC_API_KEY = 'sk-ant-should-never-leak';
    try {
      const result = await runSandboxed({ isolation: 'none', command: py('import os; print(sorted(os.environ)); print(os.getcwd())') });
      expect(result.isolation).toBe('none');
      expect(result.stdout).toMatch(/^\['HOME', 'LANG', 'LC_ALL', 'PATH', 'TMPDIR'\]\n.*dreambench-sandbox-/);
      const loop = await runSandboxed({ isolation: 'none', command: py('while True: pass'), timeoutMs: 500 });
      expect(loop.timedOut).toBe(true);
    } finally {
      delete process.env.ANTHROPIC_API_KEY;
    }
    expect(await detectIsolation('auto')).not.toBe('none');
  });
});

describe.each(['bwrap', 'unshare'] as const)('sandbox (%s)', (level) => {
  const run = (request: Parameters<typeof runSandboxed>[0]) => runSandboxed({ isolation: level, ...request });
  /** A level this machine lacks: bwrap fails the test (it is required), unshare is skipped saying why. */
  const skipUnlessAvailable = (ctx: { skip: (note?: string) => never }): void => {
    if (!levels.includes(level)) {
      if (level === 'bwrap') throw new Error('bubblewrap does not work here (see docs/sandbox.md)');
      ctx.skip(`${level} does not work here (see docs/sandbox.md)`);
    }
  };

  it('passes through stdout, stderr, exit code and stdin of normal programs', async (ctx) => {
    skipUnlessAvailable(ctx);
    const result = await run({
      command: [python, '-I', '-S', 'main.py'],
      files: { 'main.py': 'import sys\nprint("hello", sys.stdin.read().strip())\nprint("warn", file=sys.stderr)\nsys.exit(3)\n' },
      stdin: 'world\n',
    });
    expect(result).toMatchObject({
      exitCode: 3,
      signal: null,
      stdout: 'hello world\n',
      stderr: 'warn\n',
      timedOut: false,
      isolation: level,
    });
    const js = await run({
      command: [node, 'main.js'],
      files: { 'main.js': 'console.log(1 + 1); process.exitCode = 0;' },
      limits: { memoryMb: 1024 },
    });
    expect(js).toMatchObject({ exitCode: 0, stdout: '2\n' });
  });

  it('runs in a fresh working directory, with an empty environment (no API keys)', async (ctx) => {
    skipUnlessAvailable(ctx);
    process.env.ANTHROPIC_API_KEY = 'sk-ant-should-never-leak';
    try {
      const code =
        'import os, json\nopen("out.txt", "w").write("x")\nprint(json.dumps({"cwd": os.getcwd(), "files": sorted(os.listdir(".")), "env": dict(os.environ)}))';
      const result = await run({ command: [python, '-I', '-S', 'main.py'], files: { 'main.py': code, 'data/in.txt': 'in' } });
      expect(result.exitCode, result.stderr).toBe(0);
      const seen = JSON.parse(result.stdout) as { cwd: string; files: string[]; env: Record<string, string> };
      expect(seen.files).toEqual(['data', 'main.py', 'out.txt']);
      expect(
        Object.keys(seen.env)
          .filter((k) => k !== 'PWD')
          .sort(),
      ).toEqual(['HOME', 'LANG', 'LC_ALL', 'PATH', 'TMPDIR']);
      expect(seen.env.HOME).toBe(seen.cwd);
      expect(result.stdout).not.toContain('sk-ant');
      // A second run starts from a clean directory again.
      const again = await run({ command: py('import os; print(sorted(os.listdir(".")))') });
      expect(again.stdout.trim()).toBe('[]');
      expect(readdirSync(tmpdir()).filter((d) => d.startsWith('dreambench-sandbox-') && d === seen.cwd.split('/').pop())).toEqual([]);
    } finally {
      delete process.env.ANTHROPIC_API_KEY;
    }
  });

  it('kills an infinite loop at the wall-clock timeout, and a CPU burner at its CPU limit', async (ctx) => {
    skipUnlessAvailable(ctx);
    const loop = await run({ command: py('while True: pass'), timeoutMs: 1000, limits: { cpuSeconds: 30 } });
    expect(loop.timedOut).toBe(true);
    expect(loop.exitCode).toBeNull();
    const sleeper = await run({ command: py('import time; time.sleep(60)'), timeoutMs: 500 });
    expect(sleeper.timedOut).toBe(true);
    // Not a timing check (the machine may be loaded): the 60 s sleep must not be waited out.
    expect(sleeper.durationMs).toBeLessThan(30_000);
    const cpu = await run({ command: py('while True: pass'), timeoutMs: 20_000, limits: { cpuSeconds: 1 } });
    expect(cpu.timedOut).toBe(false);
    expect(['SIGXCPU', 'SIGKILL']).toContain(cpu.signal);
    // The CPU limit stopped it, well before the 20 s wall-clock timeout (a loaded machine stretches 1 s of CPU).
    expect(cpu.durationMs).toBeLessThan(15_000);
  });

  it('stops a fork bomb: the process limit holds, and nothing survives the timeout', async (ctx) => {
    skipUnlessAvailable(ctx);
    const marker = `forkbomb${process.pid}${level}`;
    // Counts how many children it could start (they sleep, so they all exist at once).
    const counted = await run({
      command: [python, '-I', '-S', `${marker}-count.py`],
      files: {
        [`${marker}-count.py`]:
          'import os, time\nok = 0\nfor i in range(500):\n    try:\n        if os.fork() == 0:\n            time.sleep(30); os._exit(0)\n        ok += 1\n    except OSError:\n        break\nprint(ok, flush=True)\nos._exit(0)\n',
      },
      limits: { maxProcesses: 32 },
      timeoutMs: 10_000,
    });
    expect(Number(counted.stdout.trim())).toBeGreaterThan(0);
    expect(Number(counted.stdout.trim())).toBeLessThan(32);
    // The real thing: forks forever, ignoring failures.
    const bomb = await run({
      command: [python, '-I', '-S', `${marker}.py`],
      files: { [`${marker}.py`]: 'import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass\n' },
      limits: { maxProcesses: 32 },
      timeoutMs: 1500,
    });
    expect(bomb.timedOut).toBe(true);
    expect(bomb.durationMs).toBeLessThan(30_000); // stopped at its timeout, not left running (no timing check)
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(leftovers(marker)).toEqual([]);
  });

  it('counts processes per sandbox: sandboxes running side by side do not share the limit', async (ctx) => {
    skipUnlessAvailable(ctx);
    // Each holds 20 processes for a second (at most DREAMBENCH_SANDBOX_CONCURRENCY sandboxes run at once, at least 2).
    const code =
      'import os, time\nok = 0\nfor i in range(20):\n    try:\n        if os.fork() == 0:\n            time.sleep(3); os._exit(0)\n        ok += 1\n    except OSError:\n        break\nprint(ok, flush=True)\ntime.sleep(1)\nos._exit(0)\n';
    const results = await Promise.all([1, 2, 3].map(() => run({ command: py(code), limits: { maxProcesses: 32 }, timeoutMs: 10_000 })));
    expect(results.map((r) => r.stdout.trim())).toEqual(['20', '20', '20']);
  });

  it('stops a memory hog at its address-space limit', async (ctx) => {
    skipUnlessAvailable(ctx);
    const hog = await run({
      command: py('x = []\nwhile True:\n    x.append(bytearray(16 * 1024 * 1024))'),
      limits: { memoryMb: 256 },
      timeoutMs: 10_000,
    });
    expect(hog.timedOut).toBe(false);
    expect(hog.exitCode).not.toBe(0);
    expect(hog.stderr).toContain('MemoryError');
    const nodeHog = await run({
      command: [node, '-e', 'const a = []; for (;;) a.push(Buffer.alloc(16 * 1024 * 1024, 1));'],
      limits: { memoryMb: 1024 },
      timeoutMs: 20_000,
    });
    expect(nodeHog.timedOut).toBe(false);
    expect(nodeHog.exitCode === 0 && nodeHog.signal === null).toBe(false);
  });

  it('caps the size of files and of the output', async (ctx) => {
    skipUnlessAvailable(ctx);
    const big = await run({ command: py('open("big", "wb").write(b"x" * (8 * 1024 * 1024))'), limits: { maxFileMb: 1 } });
    expect(big.exitCode).not.toBe(0);
    expect(big.stderr).toMatch(/File too large|Errno 27/);
    const chatty = await run({ command: py('while True: print("y" * 1000)'), maxOutputBytes: 64 * 1024, timeoutMs: 5000 });
    expect(chatty.outputTruncated).toBe(true);
    expect(chatty.stdout.length).toBeLessThanOrEqual(64 * 1024);
  });

  describe('network', () => {
    let server: Server;
    let port = 0;
    let connections = 0;
    beforeAll(async () => {
      server = createServer((socket) => {
        connections++;
        socket.end('secret-from-host\n');
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as { port: number }).port;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('cannot connect to a TCP server on the host loopback, nor resolve names', async (ctx) => {
      skipUnlessAvailable(ctx);
      // Control: the server is up and reachable from outside the sandbox.
      const control = await new Promise<string>((resolve, reject) => {
        import('node:net').then(({ connect }) => {
          const socket = connect(port, '127.0.0.1');
          let data = '';
          socket.on('data', (chunk) => (data += chunk.toString()));
          socket.on('end', () => resolve(data));
          socket.on('error', reject);
        }, reject);
      });
      expect(control).toBe('secret-from-host\n');
      const before = connections;
      const code = [
        'import socket',
        'out = []',
        'try:',
        `    s = socket.create_connection(("127.0.0.1", ${port}), timeout=3); out.append("connected:" + s.recv(100).decode())`,
        'except OSError as e:',
        '    out.append("refused:" + type(e).__name__)',
        'try:',
        '    socket.getaddrinfo("example.com", 80); out.append("resolved")',
        'except OSError as e:',
        '    out.append("noresolve")',
        'print(" ".join(out))',
      ].join('\n');
      const result = await run({ command: py(code), timeoutMs: 10_000 });
      expect(result.exitCode, result.stderr).toBe(0);
      expect(result.stdout).toMatch(/^refused:\w+ noresolve$/m);
      expect(connections).toBe(before);
      const js = await run({
        command: [
          node,
          '-e',
          `require("net").connect(${port}, "127.0.0.1").on("connect", () => console.log("connected")).on("error", (e) => console.log("refused", e.code))`,
        ],
        limits: { memoryMb: 1024 },
      });
      expect(js.stdout).toMatch(/^refused /);
      expect(connections).toBe(before);
    });
  });

  describe('files outside the sandbox', () => {
    let secretDir: string;
    let secret: string;
    beforeAll(() => {
      // Outside /tmp: bwrap and unshare give the code a private /tmp, so a secret there proves nothing.
      secretDir = mkdtempSync(join(sourcePath('.'), '.dreambench-secret-'));
      chmodSync(secretDir, 0o755);
      secret = join(secretDir, 'credentials.txt');
      writeFileSync(secret, 'ANTHROPIC_API_KEY=sk-ant-planted\n');
      chmodSync(secret, 0o644); // world-readable on purpose: only the sandbox may stop the read
    });
    afterAll(() => rmSync(secretDir, { recursive: true, force: true }));

    const reader = (paths: string[]) =>
      py(
        [
          'import json',
          'out = {}',
          `for p in ${JSON.stringify(paths)}:`,
          '    try:',
          '        out[p] = open(p).read()[:40]',
          '    except OSError as e:',
          '        out[p] = "DENIED " + type(e).__name__',
          'print(json.dumps(out))',
        ].join('\n'),
      );

    it(
      level === 'bwrap'
        ? 'cannot read the harness, the run directory or a planted secret'
        : 'does NOT stop reads of world-readable host files (the documented limit of this level)',
      async (ctx) => {
        skipUnlessAvailable(ctx);
        const paths = [secret, sourcePath('package.json'), join(process.cwd(), 'README.md'), '/etc/passwd', '/root/.bashrc'];
        const result = await run({ command: reader(paths), timeoutMs: 10_000 });
        expect(result.exitCode, result.stderr).toBe(0);
        const seen = JSON.parse(result.stdout) as Record<string, string>;
        if (level === 'bwrap') {
          for (const p of paths) expect(seen[p], p).toMatch(/^DENIED /);
          // What is visible at all: the root holds only the sandbox's own mounts.
          const root = await run({ command: py('import json, os; print(json.dumps(sorted(os.listdir("/"))))') });
          const expected = [
            'dev',
            'proc',
            'sandbox',
            'tmp',
            'usr',
            ...['bin', 'sbin', 'lib', 'lib32', 'lib64', 'libx32'].filter((d) => existsSync(`/${d}`)),
          ];
          if (existsSync('/etc/ld.so.cache')) expected.push('etc');
          expect(JSON.parse(root.stdout)).toEqual(expected.sort());
          const etc = await run({ command: py('import json, os; print(json.dumps(os.listdir("/etc")))') });
          expect(JSON.parse(etc.stdout)).toEqual(existsSync('/etc/ld.so.cache') ? ['ld.so.cache'] : []);
        } else {
          expect(seen[secret]).toBe('ANTHROPIC_API_KEY=sk-ant-planted\n');
          // What this level does guarantee: the environment is scrubbed, and a root harness's private files stay private.
          if (process.getuid?.() === 0) expect(seen['/root/.bashrc']).toMatch(/^DENIED /);
        }
      },
    );

    it(
      level === 'bwrap'
        ? 'cannot write outside its directory'
        : 'cannot write outside its directory when the harness runs as root (it drops to nobody)',
      async (ctx) => {
        skipUnlessAvailable(ctx);
        const target = join(secretDir, 'written-by-sandbox.txt');
        const result = await run({ command: py(`open(${JSON.stringify(target)}, "w").write("x")`) });
        if (level === 'bwrap' || process.getuid?.() === 0) {
          expect(result.exitCode).not.toBe(0);
          expect(existsSync(target)).toBe(false);
        } else {
          // unshare as an ordinary user: the code keeps that user's write access (documented limit).
          expect(result.exitCode).toBe(0);
        }
      },
    );
  });
});
