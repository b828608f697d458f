// What each weaker level promises, on this machine: unshare keeps writes off the host's /tmp; under
// unshare and none a sandbox cannot read a concurrent sandbox's files; under none, a daemon that left
// the process group does not outlive its sandbox, nor stretches its timeout, and sandboxes do not share
// the process limit. And the run-level choice: auto means bwrap.

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cgroupSupport } from './cgroup.js';
import { chooseSandbox, detectIsolation, findInterpreter, runSandboxed, type Isolation } from './sandbox.js';

const python = findInterpreter('python3');
const py = (code: string) => [python, '-I', '-S', '-c', code];
const root = process.getuid?.() === 0;

/** Processes on the host whose command line holds `marker`. */
function pgrep(marker: string): string {
  try {
    return execFileSync('pgrep', ['-f', marker], { encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
}

/** Why a level does not work here (the test is then skipped, saying so), or '' when it does. */
async function unavailable(level: Isolation): Promise<string> {
  try {
    await detectIsolation(level);
    return '';
  } catch (error) {
    return `${level} does not work here: ${(error as Error).message}`;
  }
}

describe('sandbox levels keep their word', () => {
  it('unshare: a write to /tmp lands in a private /tmp, not on the host', async (ctx) => {
    const why = await unavailable('unshare');
    if (why) ctx.skip(why);
    const name = `dreambench-escape-${process.pid}-${Date.now()}`;
    const result = await runSandboxed({ isolation: 'unshare', command: py(`open('/tmp/${name}', 'w').write('x'); print('wrote')`) });
    expect(result.stdout.trim()).toBe('wrote');
    expect(existsSync(`/tmp/${name}`)).toBe(false);
  });

  it.for(['unshare', 'none'] as const)('%s: a sandbox cannot read the files of a sandbox running beside it', async (level, ctx) => {
    if (level === 'none' && !root) ctx.skip('without root every sandbox runs as the harness user and can read the others (documented)');
    const why = await unavailable(level);
    if (why) ctx.skip(why);
    const holder = runSandboxed({
      isolation: level,
      files: { 'hidden.txt': 'SECRET-OF-A\n' },
      command: py('import time; time.sleep(4)'),
      timeoutMs: 20_000,
    });
    const reader = runSandboxed({
      isolation: level,
      timeoutMs: 20_000,
      command: py(
        [
          'import glob, os, time',
          'out = []',
          'for _ in range(30):',
          '    for d in glob.glob("/tmp/dreambench-sandbox-*"):',
          // Another test's sandbox may end (and its folder go) between the listing and the look.
          '        try:',
          '            if os.path.samefile(d, os.getcwd()): continue',
          '            out.append(open(d + "/hidden.txt").read())',
          '        except FileNotFoundError: continue',
          '        except OSError as e: out.append("DENIED " + type(e).__name__)',
          '    if out: break',
          '    time.sleep(0.1)',
          'print(out)',
        ].join('\n'),
      ),
    });
    const [, read] = await Promise.all([holder, reader]);
    expect(read.exitCode, read.stderr).toBe(0);
    expect(read.stdout).not.toContain('SECRET-OF-A');
  });

  it('none: a setsid daemon does not outlive its sandbox', async (ctx) => {
    if (!root) ctx.skip('the sweep needs a uid (or a cgroup) of the sandbox own: not available without root');
    const marker = `dreambench-daemon-${process.pid}-${Date.now()}`;
    const result = await runSandboxed({
      isolation: 'none',
      timeoutMs: 10_000,
      command: py(
        `import os, sys, time\nif os.fork() == 0:\n    os.setsid()\n    if os.fork() == 0:\n        os.execv("/bin/sleep", ["/bin/sleep", "60", "${marker}"])\n    os._exit(0)\nprint("started")`,
      ),
    });
    expect(result.stdout.trim()).toBe('started');
    expect(pgrep(marker)).toBe('');
  });

  it('none: a daemon that keeps the output open and sleeps is stopped at the timeout, not waited out', async (ctx) => {
    if (!root && cgroupSupport().kind === 'per-process') ctx.skip('needs a uid or a cgroup of the sandbox own: not available here');
    const marker = `dreambench-holder-${process.pid}-${Date.now()}`;
    const result = await runSandboxed({
      isolation: 'none',
      timeoutMs: 2_000,
      command: py(
        `import os, time\nif os.fork() == 0:\n    os.setsid()\n    os.execv("/bin/sleep", ["/bin/sleep", "120", "${marker}"])\nprint("started", flush=True)\ntime.sleep(120)`,
      ),
    });
    expect(result.timedOut).toBe(true);
    expect(result.durationMs).toBeLessThan(60_000); // not a timing check: the 120 s sleeps were not waited out
    expect(pgrep(marker)).toBe('');
  });

  it('none: sandboxes side by side do not share the process limit', async (ctx) => {
    if (!root && cgroupSupport().kind === 'per-process')
      ctx.skip('without root or a cgroup, every sandbox shares the harness user and its limit');
    const code =
      'import os, time\nok = 0\nfor i in range(20):\n    try:\n        if os.fork() == 0:\n            time.sleep(3); os._exit(0)\n        ok += 1\n    except OSError:\n        break\nprint(ok, flush=True)\ntime.sleep(1)\nos._exit(0)\n';
    const results = await Promise.all(
      [1, 2, 3].map(() => runSandboxed({ isolation: 'none', command: py(code), limits: { maxProcesses: 32 }, timeoutMs: 20_000 })),
    );
    expect(results.map((r) => r.stdout.trim())).toEqual(['20', '20', '20']);
  });

  it('auto means bwrap, and the chosen level holds for later sandboxes', async (ctx) => {
    if (!existsSync('/usr/bin/bwrap')) ctx.skip('bubblewrap is not installed');
    expect(await chooseSandbox({ isolation: 'auto' })).toBe('bwrap');
    const result = await runSandboxed({ command: py('import os; print(os.getcwd())') });
    expect(result.isolation).toBe('bwrap');
  });
});
