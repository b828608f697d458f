// Bring your own coding tasks, end to end: examples/coding-tasks.jsonl (Python and JavaScript) run
// in the sandbox, through the environment, a whole sim experiment with suite_options, resume's
// guard against a changed task file, and the compiled CLI.

import { execa } from 'execa';
import { copyFileSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, validateExperiment } from '../../harness/config/load.js';
import { parseDirectives } from '../../harness/core/directives.js';
import { packageRoot, sourcePath } from '../../harness/core/paths.js';
import type { Task } from '../../harness/core/suite.js';
import { executeRun, RunSetupError } from '../../harness/runner/runner.js';
import { smallExperiment, tempDir } from '../../harness/testing/run-helpers.js';
import { createCodingEnvironment } from '../_coding/environment.js';
import { runHiddenTests, runVisibleTests } from '../_coding/evaluate.js';
import { problemOf } from '../_coding/problem.js';
import { wrongBody } from '../_coding/sim-policy.js';
import { workdir } from '../_coding/testing.js';
import { loadCodingTasks } from './data.js';

const EXAMPLE = sourcePath('examples/coding-tasks.jsonl');
const data = loadCodingTasks(EXAMPLE);
const root = tempDir('coding-custom-e2e-');
afterAll(() => rmSync(root, { recursive: true, force: true }));
const byId = (id: string): Task => data.tasks.find((t) => t.id === id)!;

describe('the example task file in the sandbox', () => {
  it('every reference solution passes its hidden and visible tests; no solution fails, and so do the wrong variants but one', {
    timeout: 60_000,
  }, async () => {
    const results = await Promise.all(
      data.tasks.map(async (task) => {
        const problem = problemOf(task);
        const canonical = data.canonical.get(task.id)!;
        const [hidden, visible, empty, wrong] = await Promise.all([
          runHiddenTests(problem, canonical),
          runVisibleTests(problem, canonical),
          runHiddenTests(problem, ''),
          runHiddenTests(
            problem,
            wrongBody({ language: problem.language, prompt: problem.prompt, entry_point: problem.entry_point, canonical }),
          ),
        ]);
        return {
          id: task.id,
          hidden: hidden.passed,
          visible: visible.passed,
          empty: empty.passed,
          wrong: wrong.passed,
          stderr: hidden.stderr,
        };
      }),
    );
    expect(results.filter((r) => !r.hidden || !r.visible)).toEqual([]);
    expect(results.filter((r) => r.empty)).toEqual([]);
    // For a task file, the sim's wrong variant is the first single edit, unchecked: it can be
    // equivalent on the tests. Here isogram's first edit is .lower() -> .upper(), which changes nothing.
    expect(results.filter((r) => r.wrong).map((r) => r.id)).toEqual(['py-is-isogram']);
  });

  it('a JavaScript solution that needs a package, a helper module or stdin is told the fix', async () => {
    const task = byId('js-chunk');
    const module = problemOf(task).prompt + data.canonical.get(task.id)!;
    const cases: Array<[Record<string, string>, string]> = [
      [{ 'solution.js': `const _ = require('lodash');\n${module}` }, 'write_solution.imports'],
      [
        { 'helpers.js': `${module}\nmodule.exports = { chunk };\n`, 'solution.js': "const { chunk } = require('./helpers.js');\n" },
        'write_solution.layout',
      ],
      [{ 'solution.js': `${module}\nconst input = JSON.parse(require('fs').readFileSync(0, 'utf8'));\n` }, 'write_solution.kind'],
      [{ 'solution.js': `${module}\nprocess.stdin.on('data', () => {});\n` }, 'write_solution.kind'],
    ];
    for (const [files, choice] of cases) {
      const dir = workdir();
      try {
        const env = await createCodingEnvironment(
          task,
          { workdir: dir, session: 1, drifted: new Set() },
          { pitfalls: data.pitfalls, review: false },
        );
        for (const [path, code] of Object.entries(files))
          await env.call('write_solution', path === 'solution.js' ? { code } : { code, path });
        const out = await env.call('run_visible_tests', {});
        expect(out.is_error, choice).toBe(true);
        expect(
          parseDirectives(out.content).map((d) => d.choice),
          out.content,
        ).toEqual([choice]);
        expect((await env.check()).success).toBe(false);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  });

  it('JavaScript runs the visible tests of the task file, or checks that the solution loads', async () => {
    const dir = workdir();
    try {
      const clamp = await createCodingEnvironment(
        byId('js-clamp'),
        { workdir: dir, session: 1, drifted: new Set() },
        { pitfalls: data.pitfalls, review: false },
      );
      await clamp.call('write_solution', { code: '  return x;\n}\n' });
      const failed = await clamp.call('run_visible_tests', {});
      expect(failed.is_error).toBe(true);
      expect(failed.content).toMatch(/^run_visible_tests: the visible tests failed:\n[\s\S]*AssertionError/);
      await clamp.call('write_solution', { code: data.canonical.get('js-clamp')! });
      expect((await clamp.call('run_visible_tests', {})).content).toBe('The visible tests pass.');
      const words = await createCodingEnvironment(
        byId('js-word-count'),
        { workdir: dir, session: 1, drifted: new Set() },
        { pitfalls: data.pitfalls, review: false },
      );
      await words.call('write_solution', { code: data.canonical.get('js-word-count')! });
      expect((await words.call('run_visible_tests', {})).content).toBe(
        'solution.js loads and defines wordCount; the description has no runnable examples to check.',
      );
      expect(await words.check()).toMatchObject({ success: true, feedback: [] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('an experiment on your own tasks', () => {
  const experiment = (path: string) =>
    smallExperiment({
      name: 'custom',
      suites: ['coding-custom'],
      suite_options: { 'coding-custom': { path } },
      sessions: 3,
      tasks_per_session: 4,
      replicates: 1,
      concurrency: 4,
    });

  it('runs with the sim, records the file in the manifest, and refuses to resume on a changed file', { timeout: 120_000 }, async () => {
    const path = join(root, 'tasks.jsonl');
    copyFileSync(EXAMPLE, path);
    const runDir = join(root, 'run');
    const outcome = await executeRun({ runDir, experiment: experiment(path) });
    expect(outcome.status).toBe('completed');
    expect(outcome.trials).toHaveLength(2 * 3 * 4);
    expect(new Set(outcome.trials.map((t) => t.task)).size).toBeGreaterThan(3);
    expect(outcome.trials.every((t) => t.suite === 'coding-custom' && t.error_class !== 'infra')).toBe(true);
    expect(outcome.trials.some((t) => t.task.startsWith('js-'))).toBe(true);
    // The sim does the work (it finds every problem) and meets the environment's pitfalls in both languages.
    for (const language of ['py-', 'js-']) {
      const trials = outcome.trials.filter((t) => t.task.startsWith(language));
      expect(
        trials.some((t) => t.pitfalls_hit.length > 0),
        language,
      ).toBe(true);
      expect(
        trials.every((t) => t.tool_calls >= 4),
        language,
      ).toBe(true);
    }
    expect(outcome.trials.some((t) => t.success)).toBe(true);
    expect(outcome.manifest.experiment.suite_options).toEqual({ 'coding-custom': { path } });
    expect(outcome.manifest.suites['coding-custom']).toMatchObject({ tasks: 6, families: 4, pitfalls: 3 });

    // Resume with the same file: nothing to do. With a changed file: refused.
    expect((await executeRun({ runDir, resume: true })).status).toBe('completed');
    writeFileSync(path, readFileSync(path, 'utf8').replace('"js-clamp"', '"js-clamp-2"'));
    await expect(executeRun({ runDir, resume: true })).rejects.toThrow(/suite "coding-custom" changed since this run started/);
  });

  it('names a missing or bad file, and options for a suite not in the run, before writing anything', async () => {
    const runDir = join(root, 'never');
    await expect(executeRun({ runDir, experiment: smallExperiment({ suites: ['coding-custom'] }) })).rejects.toThrow(
      new RunSetupError(
        'suite_options.coding-custom.path: path is required: the JSONL file of your coding tasks (see docs/custom-suite.md)',
      ),
    );
    const bad = join(root, 'bad.jsonl');
    writeFileSync(bad, '{"id": "x"}\n');
    await expect(executeRun({ runDir, experiment: experiment(bad) })).rejects.toThrow(
      /^suite_options\.coding-custom: invalid coding tasks in .*bad\.jsonl:\n {2}.*bad\.jsonl: line 1: language: required field missing/,
    );
    await expect(executeRun({ runDir, experiment: smallExperiment({ suite_options: { 'legal-drafting': { x: 1 } } }) })).rejects.toThrow(
      'suite_options.legal-drafting: suite "legal-drafting" takes no options',
    );
    expect(existsSync(runDir)).toBe(false);
    expect(() =>
      validateExperiment(
        'exp.yaml',
        {
          name: 'x',
          seed: 1,
          model: 'sim:default',
          suites: ['legal-drafting'],
          arms: ['stateless'],
          sessions: 1,
          tasks_per_session: 1,
          suite_options: { 'coding-custom': { path: 'x' } },
        },
        {},
        { suites: ['legal-drafting', 'coding-custom'], arms: ['stateless'] },
      ),
    ).toThrow(
      new ConfigError(
        'exp.yaml',
        'suite_options.coding-custom',
        'options for a suite the experiment does not run; expected one of legal-drafting',
      ),
    );
  });

  it('the compiled CLI runs examples/coding-custom.yaml', { timeout: 120_000 }, async () => {
    const bin = join(packageRoot(), 'dist', 'harness', 'cli', 'main.js');
    if (!existsSync(bin)) throw new Error(`${bin} is missing: run \`npm run build\` (npm test does it first)`);
    const out = join(root, 'cli-run');
    const result = await execa(
      'node',
      [
        bin,
        'run',
        'examples/coding-custom.yaml',
        '--out',
        out,
        '--sessions',
        '2',
        '--tasks-per-session',
        '3',
        '--replicates',
        '1',
        '--progress',
        'none',
      ],
      {
        cwd: packageRoot(),
        reject: false,
        env: { CI: 'true' },
      },
    );
    expect(result.exitCode, result.stderr).toBe(0);
    const trials = readFileSync(join(out, 'trials.jsonl'), 'utf8').trim().split('\n');
    expect(trials).toHaveLength(2 * 2 * 3);
  });
});
