// A run whose suites run code chooses its sandbox before writing anything: `auto` means bwrap, and
// without bwrap it stops as bad input (exit 2) saying how to install it, unless the experiment accepts
// a weaker level by name; the level and the memory cap in force are printed and kept in the manifest.

import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { cgroupSupport } from '../sandbox/cgroup.js';
import { configureSandbox, detectIsolation } from '../sandbox/sandbox.js';
import { smallExperiment, tempDir } from '../testing/run-helpers.js';
import { executeRun } from './runner.js';
import { RunSetupError } from './setup-error.js';

const root = tempDir('sandbox-choice-');
afterAll(() => rmSync(root, { recursive: true, force: true }));
afterEach(() => {
  delete process.env.DREAMBENCH_BWRAP;
  configureSandbox({});
  vi.restoreAllMocks();
});

const coding = (sandbox?: { isolation?: 'auto' | 'bwrap' | 'unshare' | 'none'; accept?: Array<'unshare' | 'none'> }) =>
  smallExperiment({
    name: 'sandbox-choice',
    suites: ['coding-humaneval'],
    arms: ['stateless'],
    sessions: 1,
    tasks_per_session: 1,
    replicates: 1,
    concurrency: 1,
    ...(sandbox ? { sandbox } : {}),
  });

/** What the run printed on stderr. */
function captureStderr(): () => string {
  const lines: string[] = [];
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  return () => lines.join('');
}

describe('choosing the sandbox of a run', () => {
  it('auto: bwrap, printed at start and recorded in the manifest with the memory cap in force', { timeout: 120_000 }, async (ctx) => {
    if (!existsSync('/usr/bin/bwrap')) ctx.skip('bubblewrap is not installed');
    const printed = captureStderr();
    const outcome = await executeRun({ runDir: join(root, 'auto'), experiment: coding() });
    expect(outcome.manifest.sandbox).toEqual({
      requested: 'auto',
      level: 'bwrap',
      accepted: [],
      memoryCap: { kind: cgroupSupport().kind, detail: expect.any(String) },
    });
    expect(printed()).toMatch(/^sandbox: bwrap\n/m);
    expect(printed()).toMatch(/^sandbox memory cap: (cgroup v[12]: one memory cap|per process only)/m);
  });

  it('auto without bwrap: bad input (exit 2) saying how to install it, and nothing written', async () => {
    process.env.DREAMBENCH_BWRAP = '/nonexistent/bwrap';
    const runDir = join(root, 'missing');
    const run = executeRun({ runDir, experiment: coding({ isolation: 'auto' }) });
    await expect(run).rejects.toBeInstanceOf(RunSetupError);
    await expect(run).rejects.toThrow(/bwrap: not installed .*apt-get install bubblewrap.*accept a weaker level by name/);
    expect(existsSync(runDir)).toBe(false);
  });

  it('auto without bwrap runs at a weaker level the experiment accepts by name, and says so', { timeout: 120_000 }, async (ctx) => {
    process.env.DREAMBENCH_BWRAP = '/nonexistent/bwrap';
    try {
      await detectIsolation('unshare');
    } catch (error) {
      ctx.skip(`unshare does not work here: ${(error as Error).message}`);
    }
    const printed = captureStderr();
    const outcome = await executeRun({ runDir: join(root, 'accepted'), experiment: coding({ isolation: 'auto', accept: ['unshare'] }) });
    expect(outcome.manifest.sandbox).toMatchObject({ requested: 'auto', level: 'unshare', accepted: ['unshare'] });
    expect(printed()).toMatch(/^sandbox: unshare \(weaker than bwrap: host files stay readable; docs\/sandbox\.md\)$/m);
    expect(outcome.trials.every((t) => t.error_class !== 'infra')).toBe(true);
  });
});
