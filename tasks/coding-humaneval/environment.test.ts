import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseDirectives } from '../../harness/core/directives.js';
import type { Environment, Task } from '../../harness/core/suite.js';
import { createCodingEnvironment } from '../_coding/environment.js';
import { attachProblem, problemOf } from '../_coding/problem.js';
import { rewriteTypeHints } from '../_coding/source.js';
import { workdir } from '../_coding/testing.js';
import { humanEvalData } from './index.js';

const data = humanEvalData();
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const task = (n: number): Task => data.tasks[n]!;
const canonical = (t: Task): string => data.canonical.get(t.id)!;
/** The reference as a whole module, with type hints in the house style. */
const goodModule = (t: Task, style: 'typing' | 'builtin' = 'typing'): string =>
  rewriteTypeHints(t.files['problem.py']! + canonical(t), t.expected.entry_point as string, style);

async function open(t: Task, drifted: string[] = [], review = true): Promise<{ env: Environment; dir: string }> {
  const dir = workdir();
  dirs.push(dir);
  const env = await createCodingEnvironment(
    t,
    { workdir: dir, session: 1, drifted: new Set(drifted) },
    { pitfalls: data.pitfalls, review },
  );
  return { env, dir };
}

// Problems used below: 0 has_close_elements (lists, annotated with typing generics), 23 strlen
// (strings, fully annotated, no generics), 31 is_prime (numbers, no hints at all).
const LISTS = task(0);
const STRINGS = task(23);
const NUMBERS = task(31);

describe('the coding environment', () => {
  it('declares four tools and places the stub in the workspace', async () => {
    const { env, dir } = await open(NUMBERS);
    expect(env.tools.map((t) => t.name)).toEqual(['read_file', 'write_solution', 'run_visible_tests', 'submit']);
    expect(readFileSync(join(dir, 'problem.py'), 'utf8')).toBe(NUMBERS.files['problem.py']);
    expect((await env.call('read_file', { path: 'problem.py' })).content).toBe(NUMBERS.files['problem.py']);
    expect(await env.call('read_file', { path: 'test.py' })).toEqual({
      content: 'read_file: no file "test.py" in the workspace; available files: problem.py',
      is_error: true,
    });
  });

  it('validates write_solution input', async () => {
    const { env, dir } = await open(NUMBERS);
    expect((await env.call('write_solution', {})).content).toBe('write_solution: "code" must be a non-empty string (the source)');
    expect((await env.call('write_solution', { code: 'x', path: '../evil.py' })).content).toMatch(
      /"path" must be a plain file name ending in \.py/,
    );
    expect((await env.call('write_solution', { code: 'x', path: 'problem.py' })).content).toMatch(/cannot be changed/);
    expect(await env.call('write_solution', { code: '    return True\n' })).toEqual({ content: 'Wrote solution.py (2 lines).' });
    expect(readFileSync(join(dir, 'solution.py'), 'utf8')).toBe('    return True\n');
    expect((await env.call('write_solution', { code: '    return False\n' })).content).toBe('Replaced solution.py (2 lines).');
    expect((await env.call('read_file', { path: 'solution.py' })).content).toBe('    return False\n');
    expect((await env.call('run_visible_tests', {})).is_error).toBe(true);
    expect(await env.call('fly', {})).toMatchObject({ is_error: true, content: expect.stringMatching(/^unknown tool "fly"/) });
  });

  it('runs the docstring examples one by one, as visible tests', async () => {
    const { env } = await open(NUMBERS);
    expect((await env.call('run_visible_tests', {})).content).toBe(
      'run_visible_tests: no solution.py yet; write it with write_solution first',
    );
    await env.call('write_solution', { code: canonical(NUMBERS) });
    const good = await env.call('run_visible_tests', {});
    expect(good.is_error).toBeFalsy();
    expect(good.content).toMatch(/^7 of 7 visible examples pass:\n {2}PASS is_prime\(6\) == False/);
    await env.call('write_solution', { code: '    return n > 1\n' });
    const bad = await env.call('run_visible_tests', {});
    expect(bad.is_error).toBe(true);
    expect(bad.content).toMatch(/visible examples pass/);
    expect(bad.content).toContain('FAIL is_prime(6): expected False, got True');
    expect(parseDirectives(bad.content)).toEqual([]);
  });

  it('never shows the hidden tests, and passes a whole-module solution too', async () => {
    const { env } = await open(LISTS);
    await env.call('write_solution', { code: goodModule(LISTS) });
    const out = await env.call('run_visible_tests', {});
    expect(out.content).not.toContain('def check');
    expect(out.content).not.toContain('3.9, 4.0, 5.0, 2.2'); // a value only the hidden tests use
    await env.call('submit', {});
    const result = await env.check();
    expect(result).toMatchObject({ success: true, score: 1, feedback: [] });
    expect(result.checks.map((c) => c.id)).toEqual(['solution', 'tests', 'review:coding-type-hints']);
  });
});

describe('the checker', () => {
  it('accepts a known-good solution in every family', async () => {
    for (const t of [LISTS, STRINGS, NUMBERS]) {
      const { env } = await open(t);
      await env.call('write_solution', { code: goodModule(t) });
      const result = await env.check();
      expect(result.feedback, t.id).toEqual([]);
      expect(result.success, t.id).toBe(true);
      expect(env.pitfallsHit(), t.id).toEqual([]);
    }
  });

  it('rejects a wrong solution without naming a fix, and without leaking the failing assertion', async () => {
    const { env } = await open(NUMBERS);
    await env.call('write_solution', {
      code: rewriteTypeHints(NUMBERS.files['problem.py']! + '    return n % 2 == 1\n', 'is_prime', 'typing'),
    });
    const result = await env.check();
    expect(result.success).toBe(false);
    expect(result.checks.find((c) => c.id === 'tests')).toMatchObject({ passed: false, detail: 'AssertionError' });
    expect(result.feedback).toEqual(['the hidden tests failed: AssertionError']);
    expect(env.pitfallsHit()).toEqual([]);
  });

  it('rejects no solution at all, an endless loop, and a script that exits early with status 0', async () => {
    const none = await open(NUMBERS);
    expect((await none.env.check()).feedback[0]).toMatch(/^no solution\.py was written/);
    // The same problem with a 2 s limit (HumanEval's is 10 s), to keep the test short.
    const quick = attachProblem({ ...NUMBERS, files: { ...NUMBERS.files } }, { ...problemOf(NUMBERS), timeout_s: 2 });
    const loop = await open(quick);
    await loop.env.call('write_solution', { code: '    while True:\n        pass\n' });
    const looped = await loop.env.check();
    expect(looped.checks.find((c) => c.id === 'tests')?.detail).toBe('timed out after 2 s');
    expect((await loop.env.call('run_visible_tests', {})).content).toMatch(/^run_visible_tests: timed out after 2 s/);
    const exit = await open(NUMBERS);
    await exit.env.call('write_solution', { code: 'import sys\nsys.exit(0)\n' });
    expect((await exit.env.check()).checks.find((c) => c.id === 'tests')?.passed).toBe(false);
  });

  describe('rejects each pitfall with a message that names the fix', () => {
    it('coding-stdlib-only: numpy is not installed in the sandbox', async () => {
      const { env } = await open(LISTS);
      await env.call('write_solution', { code: `import numpy as np\n${goodModule(LISTS)}` });
      const visible = await env.call('run_visible_tests', {});
      expect(visible.is_error).toBe(true);
      expect(visible.content).toContain("ModuleNotFoundError: No module named 'numpy'");
      expect(parseDirectives(visible.content)).toEqual([{ choice: 'write_solution.imports', value: 'stdlib' }]);
      const result = await env.check();
      expect(result.success).toBe(false);
      expect(result.feedback[0]).toMatch(
        /^the hidden tests failed: `numpy` is not available in the evaluation sandbox: it runs python3 -I -S with the standard library only/,
      );
      expect(env.pitfallsHit()).toEqual(['coding-stdlib-only']);
    });

    it('coding-single-file: helpers in another module cannot be imported', async () => {
      for (const importLine of ['from .helpers import strlen', 'from helpers import strlen']) {
        const { env } = await open(STRINGS);
        await env.call('write_solution', { code: goodModule(STRINGS), path: 'helpers.py' });
        await env.call('write_solution', { code: `${importLine}\n` });
        const visible = await env.call('run_visible_tests', {});
        expect(visible.is_error, importLine).toBe(true);
        expect(parseDirectives(visible.content), importLine).toEqual([{ choice: 'write_solution.layout', value: 'single-file' }]);
        expect(visible.content).toMatch(/the evaluator runs solution\.py on its own/);
        expect((await env.check()).success).toBe(false);
        expect(env.pitfallsHit(), importLine).toEqual(['coding-single-file']);
      }
    });

    it('coding-no-stdin: a script that reads standard input', async () => {
      const { env } = await open(NUMBERS);
      const script = `${goodModule(NUMBERS)}\nif __name__ == "__main__":\n    import sys\n    print(is_prime(int(sys.stdin.readline())))\n`;
      await env.call('write_solution', { code: script });
      const visible = await env.call('run_visible_tests', {});
      expect(visible.is_error).toBe(true);
      expect(parseDirectives(visible.content)).toEqual([{ choice: 'write_solution.kind', value: 'function' }]);
      const viaInput = await open(NUMBERS);
      await viaInput.env.call('write_solution', { code: `${goodModule(NUMBERS)}\nn = int(input())\n` });
      expect(parseDirectives((await viaInput.env.call('run_visible_tests', {})).content)).toEqual([
        { choice: 'write_solution.kind', value: 'function' },
      ]);
      expect((await env.check()).success).toBe(false);
      expect(env.pitfallsHit()).toEqual(['coding-no-stdin']);
    });

    it('coding-type-hints: the reviewer wants full hints, spelt with typing (then, after drift, builtin generics)', async () => {
      // The body alone keeps is_prime's bare signature: the tests pass, the review does not.
      const bare = await open(NUMBERS);
      await bare.env.call('write_solution', { code: canonical(NUMBERS) });
      const result = await bare.env.check();
      expect(result.checks.find((c) => c.id === 'tests')?.passed).toBe(true);
      expect(result.checks.find((c) => c.id === 'review:coding-type-hints')).toMatchObject({
        passed: false,
        detail: 'no type hint on parameter n, the return value',
      });
      expect(result.success).toBe(false);
      expect(result.feedback).toHaveLength(1);
      expect(parseDirectives(result.feedback[0]!)).toEqual([{ choice: 'write_solution.type_hints', value: 'typing' }]);
      expect(bare.env.pitfallsHit()).toEqual(['coding-type-hints']);

      // Before the drift, builtin generics are wrong; after it, typing generics are.
      const early = await open(LISTS);
      await early.env.call('write_solution', { code: goodModule(LISTS, 'builtin') });
      expect((await early.env.check()).checks.find((c) => c.id === 'review:coding-type-hints')?.detail).toBe(
        "builtin generics (list[]) instead of the typing module's",
      );
      const late = await open(LISTS, ['coding-type-hints']);
      await late.env.call('write_solution', { code: goodModule(LISTS, 'typing') });
      const stale = await late.env.check();
      expect(stale.checks.find((c) => c.id === 'review:coding-type-hints')?.detail).toBe('typing generics (List) instead of builtin ones');
      expect(parseDirectives(stale.feedback.join('\n'))).toEqual([{ choice: 'write_solution.type_hints', value: 'builtin' }]);
      const fresh = await open(LISTS, ['coding-type-hints']);
      await fresh.env.call('write_solution', { code: goodModule(LISTS, 'builtin') });
      expect((await fresh.env.check()).success).toBe(true);
    });

    it('with review off, success is the hidden tests alone', async () => {
      const { env } = await open(NUMBERS, [], false);
      await env.call('write_solution', { code: canonical(NUMBERS) });
      const result = await env.check();
      expect(result).toMatchObject({ success: true, feedback: [] });
      expect(result.checks.map((c) => c.id)).toEqual(['solution', 'tests']);
    });
  });

  it('accepts a module that starts with `from __future__ import annotations`', async () => {
    const { env } = await open(NUMBERS);
    await env.call('write_solution', { code: `from __future__ import annotations\n${goodModule(NUMBERS, 'builtin')}` });
    expect((await env.call('run_visible_tests', {})).is_error).toBeFalsy();
    expect(await env.check()).toMatchObject({ success: true, feedback: [] });
  });

  it('gives a grader the files the agent wrote', async () => {
    const { env } = await open(NUMBERS);
    await env.call('write_solution', { code: '    return True' });
    expect(await env.output!()).toBe('--- solution.py\n    return True\n');
  });
});
