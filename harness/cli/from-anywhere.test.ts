// A run made from one folder is resumed, reported, leak-scanned and claim-checked from another: the
// manifest records the experiment's folder (base_dir) and absolute paths, so nothing depends on the
// working directory. Here with your own task file (coding-custom), whose path is relative to the
// experiment file.

import { execa } from 'execa';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot, sourcePath } from '../core/paths.js';
import { comparable, tempDir } from '../testing/run-helpers.js';
import type { TrialRecord } from '../core/records.js';

const BIN = join(packageRoot(), 'dist', 'harness', 'cli', 'main.js');
const root = tempDir('from-anywhere-');
afterAll(() => rmSync(root, { recursive: true, force: true }));
beforeAll(() => {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run \`npm run build\` (npm test does it first)`);
});

const cli = (cwd: string, ...args: string[]) =>
  execa('node', [BIN, ...args, ...(args[0] === 'run' || args[0] === 'resume' ? ['--progress', 'none'] : [])], {
    cwd,
    reject: false,
    env: { CI: 'true' },
  });
const records = (runDir: string): TrialRecord[] =>
  readFileSync(join(runDir, 'trials.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as TrialRecord);

describe('commands on a run work from any working directory', () => {
  it('resume, report, leak-scan and claims from another folder than the run was made in', { timeout: 240_000 }, async () => {
    const project = join(root, 'project');
    const elsewhere = join(root, 'elsewhere');
    for (const dir of [project, elsewhere]) mkdirSync(dir, { recursive: true });
    copyFileSync(sourcePath('examples/coding-custom.yaml'), join(project, 'experiment.yaml'));
    copyFileSync(sourcePath('examples/coding-tasks.jsonl'), join(project, 'coding-tasks.jsonl'));
    const run = await cli(
      project,
      'run',
      'experiment.yaml',
      '--out',
      'runs/r',
      '--sessions',
      '2',
      '--tasks-per-session',
      '3',
      '--replicates',
      '1',
    );
    expect(run.exitCode, run.stderr).toBe(0);
    const runDir = join(project, 'runs/r');
    const full = records(runDir);
    expect(full).toHaveLength(2 * 2 * 3);

    // Undo session 2 (its trials and its memory snapshots), as if the run had been killed in it.
    writeFileSync(
      join(runDir, 'trials.jsonl'),
      full
        .filter((r) => r.session === 1)
        .map((r) => JSON.stringify(r))
        .join('\n') + '\n',
    );
    for (const arm of readdirSync(join(runDir, 'memory')))
      rmSync(join(runDir, 'memory', arm, 'r1', 'session-002'), { recursive: true, force: true });

    const resumed = await cli(elsewhere, 'resume', runDir);
    expect(resumed.exitCode, resumed.stderr).toBe(0);
    expect(comparable(records(runDir))).toEqual(comparable(full));

    const report = await cli(elsewhere, 'report', runDir);
    expect(report.exitCode, report.stderr).toBe(0);
    const scan = await cli(elsewhere, 'leak-scan', runDir);
    expect(scan.exitCode, scan.stderr + scan.stdout).toBe(0);
    const claims = await cli(elsewhere, 'claims', runDir, '--json');
    expect(claims.exitCode, claims.stderr).toBe(0);
    expect(existsSync(join(elsewhere, 'runs'))).toBe(false);
  });
});
