// The command line as users run it: the compiled bin in a child process (npm test builds first).

import { execa } from 'execa';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../core/paths.js';
import { comparable, tempDir } from '../testing/run-helpers.js';
import { readJsonLines } from '../storage/run-dir.js';
import type { TrialRecord } from '../core/records.js';
import { trialId } from '../core/records.js';

const BIN = join(packageRoot(), 'dist', 'harness', 'cli', 'main.js');
const cli = (args: string[], options: { reject?: boolean } = {}) =>
  execa('node', [BIN, ...args], { reject: options.reject ?? false, env: { CI: 'true' }, cwd: packageRoot() });

function experimentFile(dir: string, fields: Record<string, unknown>): string {
  const path = join(dir, 'exp.json');
  writeFileSync(
    path,
    JSON.stringify({
      name: 'cli-test',
      seed: 5,
      model: 'sim:default',
      suites: ['legal-drafting'],
      arms: ['stateless', 'learnings-md'],
      sessions: 3,
      tasks_per_session: 5,
      replicates: 1,
      concurrency: 2,
      ...fields,
    }),
  );
  return path;
}

beforeAll(() => {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run \`npm run build\` (npm test does it first)`);
});

describe('dreambench CLI', () => {
  it('documents every command and flag in --help', async () => {
    const top = await cli(['--help']);
    expect(top.exitCode).toBe(0);
    for (const command of ['run', 'resume', 'report', 'list', 'schema']) expect(top.stdout).toContain(command);
    const run = await cli(['run', '--help']);
    for (const flag of [
      '--out',
      '--model',
      '--suites',
      '--arms',
      '--sessions',
      '--tasks-per-session',
      '--replicates',
      '--seed',
      '--concurrency',
    ]) {
      expect(run.stdout).toContain(flag);
    }
  });

  it('runs an experiment, prints the completion table and writes the report', async () => {
    const dir = tempDir();
    const out = join(dir, 'run');
    const result = await cli(['run', experimentFile(dir, {}), '--out', out, '--sessions', '2']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/stateless/);
    expect(result.stdout).toMatch(/sim model; they describe the harness, not any real model/);
    const csv = readFileSync(join(out, 'report', 'summary.csv'), 'utf8');
    expect(csv.split('\n')[0]).toMatch(/^arm,session,/);
    expect(readFileSync(join(out, 'report', 'summary.md'), 'utf8')).toMatch(/describe the harness/);
    expect(readJsonLines<TrialRecord>(join(out, 'trials.jsonl'))).toHaveLength(2 * 2 * 5); // --sessions 2 won over the file
  });

  it('rejects a bad experiment file with one clear line, exit code 2 and nothing written', async () => {
    const dir = tempDir();
    const out = join(dir, 'run');
    const file = experimentFile(dir, { tasks_per_session: 'ten' });
    const result = await cli(['run', file, '--out', out]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr.trim()).toBe(`dreambench: ${file}: tasks_per_session: expected number, got "ten"`);
    expect(existsSync(out)).toBe(false);
  });

  it('fails before any work when anthropic has no key', async () => {
    const dir = tempDir();
    const out = join(dir, 'run');
    const result = await cli(['run', experimentFile(dir, {}), '--out', out, '--model', 'anthropic:claude-sonnet-4-6']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/ANTHROPIC_API_KEY is not set/);
    expect(existsSync(out)).toBe(false);
  });

  it('resumes after kill -9 at arbitrary moments: nothing lost, nothing counted twice, identical trials', async () => {
    const dir = tempDir();
    // A little simulated latency so the kills land mid-run.
    const file = experimentFile(dir, {
      model: 'sim:default?latency_ms=2',
      sessions: 4,
      tasks_per_session: 8,
      replicates: 2,
      concurrency: 3,
    });
    const whole = join(dir, 'whole');
    expect((await cli(['run', file, '--out', whole])).exitCode).toBe(0);

    const killed = join(dir, 'killed');
    const trialsFile = join(killed, 'trials.jsonl');
    const lines = (): number => (existsSync(trialsFile) ? readFileSync(trialsFile, 'utf8').split('\n').length - 1 : 0);
    let kills = 0;
    for (const killAt of [15, 70]) {
      const child =
        kills === 0
          ? execa('node', [BIN, 'run', file, '--out', killed], { reject: false, env: { CI: 'true' } })
          : execa('node', [BIN, 'resume', killed], { reject: false, env: { CI: 'true' } });
      while (lines() < killAt && child.exitCode === null) await new Promise((r) => setTimeout(r, 2));
      child.kill('SIGKILL');
      const result = await child;
      if (result.signal === 'SIGKILL') kills++;
    }
    expect(kills).toBe(2);
    expect(lines()).toBeLessThan(128);
    const resumed = await cli(['resume', killed]);
    expect(resumed.exitCode).toBe(0);

    const raw = readJsonLines<TrialRecord>(trialsFile);
    expect(new Set(raw.map(trialId)).size).toBe(raw.length); // no trial recorded twice
    expect(raw).toHaveLength(2 * 2 * 4 * 8);
    expect(comparable(raw)).toEqual(comparable(readJsonLines<TrialRecord>(join(whole, 'trials.jsonl'))));
    const events = readFileSync(join(killed, 'events.jsonl'), 'utf8');
    expect(events.match(/"run_resumed"/g)).toHaveLength(2);
  });

  it('report re-writes the report from the run directory alone', async () => {
    const dir = tempDir();
    const out = join(dir, 'run');
    await cli(['run', experimentFile(dir, { sessions: 1 }), '--out', out]);
    const result = await cli(['report', out]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('summary.md');
    expect((await cli(['report', join(dir, 'nothing')])).exitCode).toBe(2);
  });
});
