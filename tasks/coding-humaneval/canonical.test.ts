// The harness's ground truth on HumanEval: every canonical solution passes its own hidden tests
// (164/164) and every empty body (`pass`) fails them (0/164), run in the sandbox, all in parallel.

import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { detectIsolation } from '../../harness/sandbox/sandbox.js';
import { runHiddenTests, runVisibleTests } from '../_coding/evaluate.js';
import { problemOf } from '../_coding/problem.js';
import { wrongBody } from '../_coding/sim-policy.js';
import { humanEvalData, WRONG_VARIANTS_FILE } from './index.js';

const data = humanEvalData();

describe('HumanEval in the sandbox', () => {
  it('has the 164 problems', () => {
    expect(data.tasks).toHaveLength(164);
  });

  it('canonical solutions score 164/164', { timeout: 60_000 }, async () => {
    const started = performance.now();
    const results = await Promise.all(data.tasks.map((task) => runHiddenTests(problemOf(task), data.canonical.get(task.id)!)));
    const failed = data.tasks.flatMap((t, i) =>
      results[i]!.passed ? [] : [`${t.id}: ${results[i]!.stderr.split('\n').slice(-2).join(' ')}`],
    );
    expect(failed).toEqual([]);
    expect(results.filter((r) => r.passed)).toHaveLength(164);
    console.log(`canonical: 164/164 in ${Math.round(performance.now() - started)} ms (sandbox: ${await detectIsolation()})`);
  });

  it('empty bodies (`pass`) score 0/164', { timeout: 60_000 }, async () => {
    const started = performance.now();
    const results = await Promise.all(data.tasks.map((task) => runHiddenTests(problemOf(task), '    pass\n')));
    const passed = data.tasks.filter((_, i) => results[i]!.passed).map((t) => t.id);
    expect(passed).toEqual([]);
    // They fail on an assertion (or a TypeError on None), never on an environment problem.
    expect(results.filter((r) => r.diagnosis || r.timedOut)).toEqual([]);
    console.log(`empty bodies: 0/164 in ${Math.round(performance.now() - started)} ms`);
  });

  it('canonical solutions pass every visible example (the docstring examples an agent can run)', { timeout: 60_000 }, async () => {
    const results = await Promise.all(data.tasks.map((task) => runVisibleTests(problemOf(task), data.canonical.get(task.id)!)));
    const failing = data.tasks.flatMap((task, i) => {
      const examples = results[i]!.examples;
      if (!examples) return [`${task.id}: did not run (${results[i]!.stderr.trim().split('\n').at(-1)})`];
      return examples.flatMap((e, j) =>
        e.status === 'fail' || e.status === 'error' ? [`${task.id}: ${problemOf(task).examples[j]!.call}`] : [],
      );
    });
    expect(failing).toEqual([]);
    const runnable = results.filter((r) => r.examples!.some((e) => e.status === 'pass')).length;
    expect(runnable).toBe(132);
  });

  it("the sim's stored wrong variants (data/sim-wrong-variants.json) all fail their hidden tests", { timeout: 60_000 }, async () => {
    expect(existsSync(WRONG_VARIANTS_FILE)).toBe(true);
    const stored = JSON.parse(readFileSync(WRONG_VARIANTS_FILE, 'utf8')) as Record<string, number>;
    expect(Object.keys(stored).sort()).toEqual(data.tasks.map((t) => t.id).sort());
    const results = await Promise.all(
      data.tasks.map((task) =>
        runHiddenTests(
          problemOf(task),
          wrongBody({
            language: 'python',
            prompt: task.files['problem.py']!,
            entry_point: problemOf(task).entry_point,
            canonical: data.canonical.get(task.id)!,
            wrongVariant: stored[task.id]!,
          }),
        ),
      ),
    );
    expect(data.tasks.filter((_, i) => results[i]!.passed).map((t) => t.id)).toEqual([]);
    expect(results.filter((r) => r.diagnosis)).toEqual([]);
  });
});
