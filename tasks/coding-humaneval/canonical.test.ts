// The harness's ground truth on HumanEval: every canonical solution passes its own hidden tests
// (164/164) and every empty body (`pass`) fails them (0/164), run in the sandbox, all in parallel.

import { describe, expect, it } from 'vitest';
import { runHiddenTests } from '../_coding/evaluate.js';
import { problemOf } from '../_coding/problem.js';
import { humanEvalData } from './index.js';

const data = humanEvalData();

describe('HumanEval in the sandbox', () => {
  it('has the 164 problems', () => {
    expect(data.tasks).toHaveLength(164);
  });

  it('canonical solutions score 164/164', { timeout: 60_000 }, async () => {
    const started = performance.now();
    const results = await Promise.all(data.tasks.map((task) => runHiddenTests(problemOf(task), data.canonical.get(task.id)!)));
    const failed = data.tasks.flatMap((t, i) => (results[i]!.passed ? [] : [`${t.id}: ${results[i]!.stderr.split('\n').slice(-2).join(' ')}`]));
    expect(failed).toEqual([]);
    expect(results.filter((r) => r.passed)).toHaveLength(164);
    console.log(`canonical: 164/164 in ${Math.round(performance.now() - started)} ms (isolation ${(await import('../../harness/sandbox/sandbox.js')).defaultIsolation()})`);
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
});
