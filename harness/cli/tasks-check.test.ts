// `dreambench tasks check`: a canonical solution or reference must pass and a stub or empty output
// must fail; tests that cannot fail are named with why (exit 1), and Node's console.assert, which only
// prints, no longer lets a stub pass.

import { execa } from 'execa';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packageRoot, sourcePath } from '../core/paths.js';
import { tempDir } from '../testing/run-helpers.js';
import { loadSuite } from '../registry/suites.js';
import type { Suite } from '../core/suite.js';

const BIN = join(packageRoot(), 'dist', 'harness', 'cli', 'main.js');
const root = tempDir('tasks-check-');
afterAll(() => rmSync(root, { recursive: true, force: true }));

const configured = async (suite: string, path: string): Promise<Suite> => (await loadSuite(suite)).configure!({ path }, { baseDir: root });

const js = (id: string, tests: string, canonical = '  return a + b;\n}\n') =>
  JSON.stringify({
    id,
    language: 'javascript',
    entry_point: 'add',
    prompt: '/** Add two numbers. */\nfunction add(a, b) {\n',
    canonical_solution: canonical,
    tests,
  });

describe('tasks check', () => {
  it('coding: passes sound tasks; names a task whose tests cannot fail and one whose canonical solution fails', {
    timeout: 60_000,
  }, async () => {
    const file = join(root, 'coding.jsonl');
    writeFileSync(
      file,
      [
        js('sound', "const assert = require('node:assert');\nfunction check(add) { assert.strictEqual(add(2, 3), 5); }\n"),
        // console.assert only prints: the pass rule refuses a run whose output reports a failed assertion, so the stub fails.
        js('console-assert', 'function check(add) { console.assert(add(2, 3) === 5, "2 + 3"); }\n'),
        js('cannot-fail', 'function check(add) { add(2, 3); }\n'),
        js(
          'wrong-canonical',
          "const assert = require('node:assert');\nfunction check(add) { assert.strictEqual(add(2, 3), 5); }\n",
          '  return a - b;\n}\n',
        ),
      ].join('\n') + '\n',
    );
    const results = await (await configured('coding-custom', file)).checkTasks!();
    const problems = Object.fromEntries(results.map((r) => [r.task, r.problems.join('; ')]));
    expect(problems.sound).toBe('');
    expect(problems['console-assert']).toBe('');
    expect(problems['cannot-fail']).toMatch(/a stub \(empty body\) passes the tests: they cannot fail/);
    expect(problems['wrong-canonical']).toMatch(/the canonical solution fails its tests/);
  });

  it('the shipped example task files are sound', { timeout: 120_000 }, async () => {
    for (const [suite, file] of [
      ['coding-custom', 'examples/coding-tasks.jsonl'],
      ['custom', 'examples/custom-tasks.yaml'],
    ] as const) {
      const results = await (await configured(suite, sourcePath(file))).checkTasks!();
      expect(
        results.flatMap((r) => r.problems.map((p) => `${r.task}: ${p}`)),
        file,
      ).toEqual([]);
    }
  });

  it('custom: a reference that fails and graders an empty output passes are named; the CLI exits 1', { timeout: 60_000 }, async () => {
    const file = join(root, 'custom.yaml');
    writeFileSync(
      file,
      'tasks:\n' +
        '  - {id: ok, instructions: Say hi., reference: hi, graders: [{type: match, equals: hi}]}\n' +
        '  - {id: bad-reference, instructions: Say hi., reference: hello, graders: [{type: match, equals: hi}]}\n' +
        "  - {id: always-passes, instructions: Say hi., reference: hi, graders: [{type: match, regex: '.*'}]}\n" +
        '  - {id: rubric-only, instructions: Say hi., graders: [{type: rubric, criteria: [Greets]}]}\n',
    );
    const results = await (await configured('custom', file)).checkTasks!();
    const byId = Object.fromEntries(results.map((r) => [r.task, r]));
    expect(byId.ok!.problems).toEqual([]);
    expect(byId['bad-reference']!.problems.join()).toMatch(/the reference fails grader match:1/);
    expect(byId['always-passes']!.problems.join()).toMatch(/an empty output passes every grader/);
    expect(byId['rubric-only']!.skipped).toMatch(/only rubric graders/);
    if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run \`npm run build\``);
    const cli = await execa('node', [BIN, 'tasks', 'check', file], { reject: false, cwd: root });
    expect(cli.exitCode).toBe(1);
    expect(cli.stdout).toContain('bad-reference: the reference fails grader match:1');
    expect(cli.stdout).toContain('always-passes: an empty output passes every grader');
  });
});
