// compare, history, --cache and --replay through the compiled CLI, as a CI job runs them
// (npm test builds first). Exit codes: 0 no regression, 1 regression (or a replay miss), 2 bad input.

import { execa } from 'execa';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../core/paths.js';
import { comparable, tempDir } from '../testing/run-helpers.js';
import { readJsonLines } from '../storage/run-dir.js';
import type { TrialRecord } from '../core/records.js';
import { checkJUnitStructure, xmllintAvailable } from './junit-check.js';

const BIN = join(packageRoot(), 'dist', 'harness', 'cli', 'main.js');
const CLEAN_ENV = {
  CI: 'true',
  GITHUB_STEP_SUMMARY: '',
  GITHUB_HEAD_REF: '',
  GITHUB_REF_NAME: '',
  CI_COMMIT_REF_NAME: '',
  DREAMBENCH_HISTORY: '',
};
const cli = (args: string[], env: Record<string, string> = {}) =>
  execa('node', [BIN, ...args], { reject: false, env: { ...CLEAN_ENV, ...env }, cwd: packageRoot() });

let root: string;
let exp: string;
let base: string;
let worse: string;
let cacheDir: string;

function experimentFile(dir: string, fields: Record<string, unknown> = {}): string {
  const path = join(dir, 'exp.json');
  writeFileSync(
    path,
    JSON.stringify({
      name: 'ci-test',
      seed: 5,
      model: 'sim:default',
      suites: ['legal-drafting'],
      arms: ['stateless', 'learnings-md'],
      sessions: 4,
      tasks_per_session: 6,
      replicates: 2,
      concurrency: 4,
      ...fields,
    }),
  );
  return path;
}

beforeAll(async () => {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run \`npm run build\` (npm test does it first)`);
  root = tempDir();
  exp = experimentFile(root, { ci: { max_drop: 5, alpha: 0.05 } });
  base = join(root, 'base');
  worse = join(root, 'worse');
  cacheDir = join(root, 'cache');
  const [a, b] = await Promise.all([
    cli(['run', exp, '--out', base, '--progress', 'none', '--cache', cacheDir]),
    cli(['run', exp, '--out', worse, '--progress', 'none', '--model', 'sim:default?apply_lesson=0.2']),
  ]);
  expect(a.exitCode, a.stderr).toBe(0);
  expect(b.exitCode, b.stderr).toBe(0);
}, 120_000);

describe('dreambench compare (CLI)', () => {
  it('lists compare and history in --help, with their flags', async () => {
    const top = await cli(['--help']);
    expect(top.stdout).toMatch(/compare <baseline> <candidate>/);
    expect(top.stdout).toMatch(/history <command>/);
    const help = await cli(['compare', '--help']);
    for (const flag of [
      '--max-drop',
      '--alpha',
      '--max-cost-increase',
      '--gate-range',
      '--pairing',
      '--junit',
      '--json',
      '--markdown',
      '--format',
      '--db',
    ]) {
      expect(help.stdout).toContain(flag);
    }
    const run = await cli(['run', '--help']);
    expect(run.stdout).toContain('--cache');
    expect(run.stdout).toContain('--replay');
  });

  it('exits 0 with no regression, writes Markdown, JUnit, JSON and the GitHub step summary', async () => {
    const dir = tempDir();
    const summary = join(dir, 'step-summary.md');
    writeFileSync(summary, '# earlier step\n');
    const result = await cli(
      [
        'compare',
        base,
        base,
        '--junit',
        join(dir, 'out', 'junit.xml'),
        '--json',
        join(dir, 'out', 'compare.json'),
        '--markdown',
        join(dir, 'out', 'compare.md'),
      ],
      {
        GITHUB_STEP_SUMMARY: summary,
      },
    );
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/no significant regression/);
    const step = readFileSync(summary, 'utf8');
    expect(step.startsWith('# earlier step\n## dreambench compare: ✅')).toBe(true); // appended, as GitHub expects
    expect(readFileSync(join(dir, 'out', 'compare.md'), 'utf8')).toMatch(/\| legal-drafting \| learnings-md \|/);
    const json = JSON.parse(readFileSync(join(dir, 'out', 'compare.json'), 'utf8')) as {
      verdict: string;
      exit_code: number;
      pairing: string;
    };
    expect(json).toMatchObject({ verdict: 'pass', exit_code: 0, pairing: 'paired' });
    const xml = readFileSync(join(dir, 'out', 'junit.xml'), 'utf8');
    expect(checkJUnitStructure(xml)).toEqual({
      errors: [],
      testcases: [
        { classname: 'dreambench.legal-drafting', name: 'stateless', failure: false },
        { classname: 'dreambench.legal-drafting', name: 'learnings-md', failure: false },
      ],
    });
  });

  it('exits 1 on a synthetic regression (apply_lesson 0.2 vs default), with a JUnit failure and the reason on stderr', async () => {
    const dir = tempDir();
    const junit = join(dir, 'junit.xml');
    const result = await cli(['compare', base, worse, '--junit', junit, '--format', 'json']);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/dreambench: regression: legal-drafting\/learnings-md \(completion\)/);
    const json = JSON.parse(result.stdout) as {
      verdict: string;
      regressions: Array<{ arm: string }>;
      thresholds: { sources: Record<string, string> };
    };
    expect(json.verdict).toBe('regression');
    expect(json.regressions.map((r) => r.arm)).toEqual(['learnings-md']);
    expect(json.thresholds.sources.max_drop).toBe('candidate experiment'); // the ci: block of the experiment file
    const xml = readFileSync(junit, 'utf8');
    expect(checkJUnitStructure(xml).testcases.find((t) => t.name === 'learnings-md')!.failure).toBe(true);
    if (xmllintAvailable()) {
      const lint = await execa('xmllint', ['--noout', '--schema', join(packageRoot(), 'schema', 'junit.xsd'), junit], { reject: false });
      expect(lint.exitCode, lint.stderr).toBe(0);
    }
    // A huge --max-drop turns the same data into a pass.
    expect((await cli(['compare', base, worse, '--max-drop', '90'])).exitCode).toBe(0);
  });

  it('exits 2 with the reason on unusable input', async () => {
    const missing = await cli(['compare', join(root, 'nope'), base]);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toMatch(/nope: no such run directory/);

    const noTrials = join(tempDir(), 'run');
    mkdirSync(noTrials);
    writeFileSync(join(noTrials, 'manifest.json'), readFileSync(join(base, 'manifest.json')));
    const r1 = await cli(['compare', base, noTrials]);
    expect(r1.exitCode).toBe(2);
    expect(r1.stderr).toMatch(/trials.jsonl is missing/);

    const otherArms = join(root, 'other-arms');
    expect(
      (
        await cli([
          'run',
          exp,
          '--out',
          otherArms,
          '--progress',
          'none',
          '--arms',
          'stateless',
          '--sessions',
          '1',
          '--tasks-per-session',
          '2',
        ])
      ).exitCode,
    ).toBe(0);
    const manifest = JSON.parse(readFileSync(join(otherArms, 'manifest.json'), 'utf8')) as {
      experiment: { arms: unknown[] };
      suites: Record<string, unknown>;
    };
    const renamed = join(root, 'renamed');
    rmSync(renamed, { recursive: true, force: true });
    mkdirSync(renamed);
    writeFileSync(
      join(renamed, 'manifest.json'),
      JSON.stringify({ ...manifest, experiment: { ...manifest.experiment, arms: ['reflexion'] } }),
    );
    writeFileSync(
      join(renamed, 'trials.jsonl'),
      readJsonLines<TrialRecord>(join(otherArms, 'trials.jsonl'))
        .map((t) => JSON.stringify({ ...t, arm: 'reflexion' }))
        .join('\n') + '\n',
    );
    const r2 = await cli(['compare', base, renamed]);
    expect(r2.exitCode).toBe(2);
    expect(r2.stderr).toMatch(/no arm in common: baseline \[stateless, learnings-md\], candidate \[reflexion\]/);

    const otherSuite = join(root, 'other-suite');
    rmSync(otherSuite, { recursive: true, force: true });
    mkdirSync(otherSuite);
    writeFileSync(
      join(otherSuite, 'manifest.json'),
      JSON.stringify({ ...manifest, suites: { 'coding-tasks': { hash: 'x', tasks: 1, families: 1, pitfalls: 0 } } }),
    );
    writeFileSync(join(otherSuite, 'trials.jsonl'), readFileSync(join(otherArms, 'trials.jsonl')));
    const r3 = await cli(['compare', base, otherSuite]);
    expect(r3.exitCode).toBe(2);
    expect(r3.stderr).toMatch(/different suites: baseline \[legal-drafting\], candidate \[coding-tasks\]/);

    const badFlag = await cli(['compare', base, base, '--gate-range', 'early']);
    expect(badFlag.exitCode).toBe(2);
    expect(badFlag.stderr).toMatch(/--gate-range must be all, late or A-B/);

    const noHistory = await cli(['compare', 'last:main', base, '--db', join(tempDir(), 'none.sqlite')]);
    expect(noHistory.exitCode).toBe(2);
    expect(noHistory.stderr).toMatch(/no history database/);
  });
});

describe('dreambench history (CLI)', () => {
  it('adds runs, shows them by branch with a trend chart, and serves last:main as the baseline', async () => {
    const dir = tempDir();
    const db = join(dir, 'history.sqlite');
    const add = await cli(['history', 'add', base, '--branch', 'main', '--db', db]);
    expect(add.exitCode, add.stderr).toBe(0);
    expect(add.stdout).toMatch(/^History #1: base \(ci-test\) on main at \w{7}|no git sha/);
    expect((await cli(['history', 'add', worse, '--db', db], { GITHUB_REF_NAME: 'feature' })).exitCode).toBe(0);

    const show = await cli(['history', 'show', '--db', db, '--branch', 'main', '--chart', join(dir, 'trend.png')]);
    expect(show.exitCode, show.stderr).toBe(0);
    expect(show.stdout).toMatch(/^#\s+created\s+branch\s+git\s+model\s+config\s+run\s+suite\s+arm\s+rate \[95% CI\]/);
    expect(show.stdout).toMatch(/main .* legal-drafting\s+learnings-md\s+\d+\.\d% \[/);
    expect(show.stdout).not.toMatch(/feature/);
    expect(readFileSync(join(dir, 'trend.png')).subarray(1, 4).toString()).toBe('PNG');
    const json = JSON.parse((await cli(['history', 'show', '--db', db, '--format', 'json'])).stdout) as Array<{
      branch: string;
      rates: unknown[];
    }>;
    expect(json.map((r) => r.branch).sort()).toEqual(['feature', 'main']); // newest run first (by creation time)
    expect(json[0]!.rates).toHaveLength(2);

    const compare = await cli(['compare', 'last:main', worse, '--db', db]);
    expect(compare.exitCode).toBe(1);
    expect(compare.stdout).toMatch(/\*\*Baseline\*\* `base`/);

    const envDb = await cli(['compare', 'last:main', worse, '--format', 'json'], { DREAMBENCH_HISTORY: db });
    expect(envDb.exitCode).toBe(1);
    expect((JSON.parse(envDb.stdout) as { baseline: { run_id: string; history_id: number } }).baseline).toMatchObject({
      run_id: 'base',
      history_id: 1,
    });
    // The candidate itself is never its own baseline.
    const self = await cli(['compare', 'last:main', base, '--db', db]);
    expect(self.exitCode).toBe(2);
    expect(self.stderr).toMatch(/no run on branch "main"/);

    const missing = await cli(['history', 'show', '--db', join(dir, 'missing.sqlite')]);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toMatch(/no history database yet/);
  });
});

describe('--cache and --replay (CLI)', () => {
  it('replays a recorded run: same trials, no model calls; a replay miss exits 1; --replay alone exits 2', async () => {
    const out = join(tempDir(), 'replayed');
    const replay = await cli(['run', exp, '--out', out, '--progress', 'none', '--cache', cacheDir, '--replay']);
    expect(replay.exitCode, replay.stderr).toBe(0);
    expect(replay.stderr).toMatch(/Replayed from .*: \d+ cached replies, no model calls/);
    const trials = (dir: string) => comparable(readJsonLines<TrialRecord>(join(dir, 'trials.jsonl')));
    expect(trials(out)).toEqual(trials(base));
    const compare = await cli(['compare', base, out]);
    expect(compare.exitCode).toBe(0);
    expect(compare.stdout).toMatch(/replayed from cache/);

    const miss = await cli([
      'run',
      exp,
      '--out',
      join(tempDir(), 'miss'),
      '--progress',
      'none',
      '--cache',
      cacheDir,
      '--replay',
      '--seed',
      '6',
    ]);
    expect(miss.exitCode).toBe(1);
    expect(miss.stderr).toMatch(
      /dreambench: replay: no cached reply for a agent call of sim:default \(suite legal-drafting, task [\w-]+, seed key 6:r\d:s1:/,
    );

    const noCache = await cli(['run', exp, '--out', join(tempDir(), 'x'), '--replay']);
    expect(noCache.exitCode).toBe(2);
    expect(noCache.stderr).toMatch(/--replay needs --cache DIR/);
  });

  it('keeps the cache consistent when several processes record into it at once', async () => {
    const shared = join(tempDir(), 'shared-cache');
    const runs = await Promise.all(
      [1, 2, 3].map((i) =>
        cli(['run', exp, '--out', join(tempDir(), `r${i}`), '--progress', 'none', '--cache', shared, '--sessions', '2']),
      ),
    );
    for (const r of runs) expect(r.exitCode, r.stderr).toBe(0);
    const names = readdirSync(shared, { recursive: true }).map(String);
    expect(names.filter((n) => n.includes('.tmp-'))).toEqual([]);
    for (const n of names.filter((x) => x.endsWith('.json'))) JSON.parse(readFileSync(join(shared, n), 'utf8'));
    const replay = await cli([
      'run',
      exp,
      '--out',
      join(tempDir(), 'replay'),
      '--progress',
      'none',
      '--cache',
      shared,
      '--replay',
      '--sessions',
      '2',
    ]);
    expect(replay.exitCode, replay.stderr).toBe(0);
  });
});
