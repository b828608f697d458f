// `dreambench tasks list` and `dreambench tasks validate` as users run them: the compiled bin in a
// child process (npm test builds first).

import { execa } from 'execa';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../core/paths.js';
import { tempDir } from '../testing/run-helpers.js';

const BIN = join(packageRoot(), 'dist', 'harness', 'cli', 'main.js');
const cli = (args: string[]) => execa('node', [BIN, ...args], { reject: false, env: { CI: 'true' }, cwd: packageRoot() });

beforeAll(() => {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run \`npm run build\` (npm test does it first)`);
});

describe('dreambench tasks list', () => {
  it('lists the suites with their families, task and pitfall counts', async () => {
    const result = await cli(['tasks', 'list']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('build-logs: 30 tasks, 5 families, 10 pitfalls');
    expect(result.stdout).toContain('doc-review: 40 tasks, 4 families, 10 pitfalls');
    expect(result.stdout).toContain('legal-drafting: 45 tasks, 5 families, 9 pitfalls');
    expect(result.stdout).toMatch(/^ {2}release-pipelines +6 +10 +Release pipelines$/m);
    expect(result.stdout).toMatch(/^ {2}discharge-summary +10 +6 +Hospital discharge files$/m);
  });

  it('with a suite, lists its families, pitfalls and tasks with family and title', async () => {
    const result = await cli(['tasks', 'list', 'build-logs']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout.split('\n')[0]).toBe('build-logs: 30 tasks, 5 families, 10 pitfalls');
    expect(result.stdout).toMatch(/^Pitfalls \(the agent never sees these\):\n {2}bl-category-scheme +preference +review +\*$/m);
    expect(result.stdout).toMatch(/^ {2}bl-step-id +format_quirk +tool_error +\* \(drift\)$/m);
    expect(result.stdout).toMatch(/^ {2}bl-frontend-01 +frontend-web +Frontend web apps: \d+ failed jobs, Mar \d+–Mar \d+$/m);
    expect(result.stdout.match(/^ {2}bl-[a-z]+-\d\d /gm)).toHaveLength(30);
  });

  it('prints JSON with --json', async () => {
    const result = await cli(['tasks', 'list', 'doc-review', '--json']);
    expect(result.exitCode).toBe(0);
    const out = JSON.parse(result.stdout) as {
      suite: string;
      families: Array<{ id: string; tasks: number }>;
      tasks: Array<{ id: string; family: string; title: string }>;
    };
    expect(out.suite).toBe('doc-review');
    expect(out.families.map((f) => [f.id, f.tasks])).toEqual([
      ['discharge-summary', 10],
      ['clinic-record', 10],
      ['auto-claim', 10],
      ['property-claim', 10],
    ]);
    expect(out.tasks).toHaveLength(40);
    expect(out.tasks).toContainEqual(expect.objectContaining({ id: 'dr-discharge-01', family: 'discharge-summary' }));
  });

  it('names an unknown suite with exit code 2', async () => {
    const result = await cli(['tasks', 'list', 'no-such-suite']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/^dreambench: unknown suite "no-such-suite"; expected one of .*build-logs.*doc-review/);
  });
});

describe('dreambench tasks validate', () => {
  it('validates every suite (exit 0) and one suite by name', async () => {
    const all = await cli(['tasks', 'validate']);
    expect(all.exitCode, all.stderr).toBe(0);
    for (const suite of ['build-logs', 'doc-review', 'legal-drafting'])
      expect(all.stdout).toMatch(new RegExp(`^${suite}: tasks/${suite}: valid \\(\\d+ tasks, \\d+ families, \\d+ pitfalls\\)$`, 'm'));
    const one = await cli(['tasks', 'validate', 'doc-review']);
    expect(one.exitCode).toBe(0);
    expect(one.stdout.trim()).toBe('doc-review: tasks/doc-review: valid (40 tasks, 4 families, 10 pitfalls)');
  });

  it('validates a suite folder or a single data file by path', async () => {
    const folder = await cli(['tasks', 'validate', 'tasks/build-logs']);
    expect(folder.exitCode).toBe(0);
    expect(folder.stdout.trim()).toBe('build-logs: tasks/build-logs: valid');
    const file = await cli(['tasks', 'validate', join(packageRoot(), 'tasks/legal-drafting/data/tasks/nda.yaml')]);
    expect(file.exitCode).toBe(0);
    expect(file.stdout.trim()).toBe('legal-drafting: tasks/legal-drafting/data/tasks/nda.yaml: valid');
  });

  it.each([
    ['legal-drafting', 'tasks[0].expected.sections: Invalid input: expected array, received string'],
    ['build-logs', 'tasks[0].expected.min_accuracy: Invalid input: expected number, received string'],
    ['doc-review', 'tasks[0].expected.facts.incident_date: expected a date as YYYY-MM-DD, got "9 March 2025"'],
  ])('a broken task file of %s: exit 2, naming the file, the field path and what was expected', async (suite, problem) => {
    const fixture = `tasks/${suite}/fixtures/bad-tasks.yaml`;
    const result = await cli(['tasks', 'validate', fixture]);
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(new RegExp(`^${suite}: ${fixture.replaceAll('.', '\\.')}: \\d+ problems? in 1 file:\\n`));
    expect(result.stderr).toContain(`  ${fixture}: ${problem}`);
  });

  it('an edited copy of a data folder outside tasks/ is validated with --suite, naming the copy', async () => {
    const dir = join(tempDir(), 'legal-data');
    cpSync(join(packageRoot(), 'tasks/legal-drafting/data'), dir, { recursive: true });
    const pitfalls = join(dir, 'pitfalls.yaml');
    writeFileSync(pitfalls, readFileSync(pitfalls, 'utf8').replace('naive: plain', 'naive: bold'));
    const unowned = await cli(['tasks', 'validate', dir]);
    expect(unowned.exitCode).toBe(2);
    expect(unowned.stderr).toMatch(/cannot tell which suite this belongs to .*; name it with --suite/);
    const result = await cli(['tasks', 'validate', dir, '--suite', 'legal-drafting']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(`  ${pitfalls}: pitfalls[7].naive: expected "plain", the default of render_docx.defined_terms`);
    const json = await cli(['tasks', 'validate', dir, '--suite', 'legal-drafting', '--json']);
    expect(json.exitCode).toBe(2);
    const out = JSON.parse(json.stdout) as {
      valid: boolean;
      results: Array<{ issues: Array<{ file: string; path: string; message: string }> }>;
    };
    expect(out.valid).toBe(false);
    expect(out.results[0]!.issues).toContainEqual({
      file: pitfalls,
      path: 'pitfalls[7].naive',
      message: 'expected "plain", the default of render_docx.defined_terms',
    });
  });

  it('a path that does not exist, or an unknown --suite: exit 2', async () => {
    const missing = await cli(['tasks', 'validate', 'no/such/file.yaml']);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toMatch(/^dreambench: no\/such\/file\.yaml: no such file or directory, and not a suite/);
    expect((await cli(['tasks', 'validate', '--suite', 'nope'])).exitCode).toBe(2);
  });

  it('is documented in --help', async () => {
    const help = await cli(['tasks', '--help']);
    expect(help.exitCode).toBe(0);
    expect(help.stdout).toContain('dreambench tasks list [suite]');
    expect(help.stdout).toContain('dreambench tasks validate [target]');
    expect((await cli(['--help'])).stdout).toMatch(/dreambench tasks <command>/);
  });
});
