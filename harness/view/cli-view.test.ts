// `dreambench view` as a user runs it, from the built bin (dist/): serving with a printed address and
// review token until stopped, exporting a static copy, and exit code 2 for a path that does not exist.

import { execa } from 'execa';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../core/paths.js';
import { executeRun } from '../runner/runner.js';
import { smallExperiment, tempDir } from '../testing/run-helpers.js';

const BIN = join(packageRoot(), 'dist', 'harness', 'cli', 'main.js');

describe('dreambench view (the command)', () => {
  it('serves on loopback, prints the address and the review token, and stops on SIGTERM', async () => {
    const runs = tempDir('dreambench-view-cli-');
    await executeRun({
      runDir: join(runs, 'one'),
      experiment: smallExperiment({ arms: ['stateless'], sessions: 1, tasks_per_session: 2, replicates: 1 }),
    });
    const child = execa('node', [BIN, 'view', runs, '--port', '0'], { reject: false, cwd: packageRoot() });
    let out = '';
    const printed = new Promise<void>((resolve) => {
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (/Stop with Ctrl-C/.test(out)) resolve();
      });
    });
    await printed;
    const url = /at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out)![1]!;
    expect(out).toMatch(/Review token \(needed to approve, reject or edit pending dream changes\): \S{20,}/);
    const res = await fetch(new URL('/api/runs', url));
    expect(((await res.json()) as { runs: Array<{ id: string }> }).runs.map((r) => r.id)).toEqual(['one']);
    child.kill('SIGTERM');
    expect((await child).exitCode).toBe(0);

    const share = join(tempDir('dreambench-view-share-'), 'share');
    const exported = await execa('node', [BIN, 'view', runs, '--export', share], { reject: false, cwd: packageRoot() });
    expect(exported.exitCode, exported.stderr).toBe(0);
    expect(exported.stdout).toMatch(/^Exported 1 run\(s\)/);
    expect(readFileSync(join(share, 'index.html'), 'utf8')).toMatch(/data-mode="static"/);
    expect(existsSync(join(share, 'data', 'index.js'))).toBe(true);
  }, 120_000);

  it('exits 2 when a path does not exist', async () => {
    const missing = await execa('node', [BIN, 'view', join(tempDir(), 'nope')], { reject: false, cwd: packageRoot() });
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toMatch(/no such file or directory/);
  });
});
