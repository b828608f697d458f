import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { Environment, Task } from '../../harness/core/suite.js';
import { currentFix } from '../../harness/core/suite.js';
import { createCodingEnvironment } from '../_coding/environment.js';
import { mutants } from '../_coding/mutate.js';
import { codingPitfalls } from '../_coding/pitfalls.js';
import { HABITS, MAX_WRITES, TYPE_HINTS } from '../_coding/sim-policy.js';
import { runPolicy, workdir, type HistoryEntry } from '../_coding/testing.js';
import suite, { humanEvalData } from './index.js';

const data = humanEvalData();
const policy = suite.simPolicy!;
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function open(task: Task, drifted: string[] = []): Promise<Environment> {
  const dir = workdir();
  dirs.push(dir);
  return createCodingEnvironment(task, { workdir: dir, session: 1, drifted: new Set(drifted) }, { pitfalls: data.pitfalls, review: true });
}

function allLessons(drifted: string[] = []): Record<string, string> {
  return Object.fromEntries(data.pitfalls.map((p) => [p.choice, currentFix(p, new Set(drifted))]));
}

const names = (history: HistoryEntry[]) => history.map((h) => h.use.name);
const firstOf = (family: string) => data.tasks.find((t) => t.family === family)!;

describe('the coding sim policy', () => {
  it("has habits exactly where the pitfall table says they bite (and naive = the table's naive)", () => {
    for (const pitfall of codingPitfalls()) {
      if (pitfall.choice === TYPE_HINTS.choice) {
        expect(pitfall.naive).toBe(TYPE_HINTS.naive);
        continue;
      }
      const habit = HABITS[pitfall.choice as keyof typeof HABITS];
      expect(habit, pitfall.id).toBeDefined();
      expect(habit.naive, pitfall.id).toBe(pitfall.naive);
      expect([...habit.families].sort(), pitfall.id).toEqual([...pitfall.families].sort());
    }
  });

  it('never finds the reference solution in the prompt (so it can tell what it wrote before)', () => {
    for (const task of data.tasks) expect(task.files['problem.py']!.includes(data.canonical.get(task.id)!), task.id).toBe(false);
  });

  it('reads, writes, runs the visible tests and submits', async () => {
    const task = firstOf('strings');
    const env = await open(task);
    const history = await runPolicy(policy, env, task, { lessons: allLessons() });
    expect(names(history)).toEqual(['read_file', 'write_solution', 'run_visible_tests', 'submit']);
    expect(history[1]!.use.input).toEqual({ code: expect.stringContaining(data.canonical.get(task.id)!) });
  });

  it.each(['numbers', 'lists', 'strings'])(
    'a naive agent that never recovers hits its first habit and gives up after %s writes',
    async (family) => {
      const task = firstOf(family);
      const env = await open(task);
      const history = await runPolicy(policy, env, task);
      expect(names(history).filter((n) => n === 'run_visible_tests')).toHaveLength(MAX_WRITES);
      expect(names(history).at(-1)).toBe('submit');
      expect((await env.check()).success).toBe(false);
      const expected = { numbers: 'coding-stdlib-only', lists: 'coding-single-file', strings: 'coding-single-file' }[family]!;
      expect(env.pitfallsHit()).toContain(expected);
    },
  );

  it.each(['numbers', 'lists', 'strings'])(
    'an agent that recovers from errors fixes both habits of a %s problem in the task',
    async (family) => {
      const task = firstOf(family);
      const env = await open(task);
      const history = await runPolicy(policy, env, task, { recover: true });
      expect(names(history).filter((n) => n === 'run_visible_tests')).toHaveLength(3);
      const result = await env.check();
      expect(result.checks.find((c) => c.id === 'tests')?.passed).toBe(true);
      const habits = Object.entries(HABITS).filter(([, h]) => h.families.includes(family as never));
      const ids = codingPitfalls()
        .filter((p) => habits.some(([choice]) => choice === p.choice))
        .map((p) => p.id);
      expect(
        env
          .pitfallsHit()
          .filter((id) => id !== 'coding-type-hints')
          .sort(),
      ).toEqual(ids.sort());
    },
  );

  // Every fourth problem (41), to keep the suite fast; data.test.ts checks the signature rewriting on all 164.
  it('an agent with every lesson solves HumanEval problems first time, hitting no pitfall', { timeout: 120_000 }, async () => {
    const outcomes = await Promise.all(
      data.tasks
        .filter((_, i) => i % 4 === 0)
        .map(async (task) => {
          const env = await open(task);
          const history = await runPolicy(policy, env, task, { lessons: allLessons() });
          const result = await env.check();
          return {
            id: task.id,
            writes: names(history).filter((n) => n === 'write_solution').length,
            success: result.success,
            feedback: result.feedback,
            hit: env.pitfallsHit(),
          };
        }),
    );
    expect(outcomes.filter((o) => !o.success || o.writes !== 1 || o.hit.length > 0)).toEqual([]);
  });

  it('under drift, the old type-hint lesson fails review and the feedback names the new fix', async () => {
    const task = data.tasks[0]!;
    const env = await open(task, ['coding-type-hints']);
    await runPolicy(policy, env, task, { lessons: allLessons() });
    const result = await env.check();
    expect(result.success).toBe(false);
    expect(result.feedback.join('\n')).toContain('write_solution.type_hints="builtin"');
    const fresh = await open(task, ['coding-type-hints']);
    await runPolicy(policy, fresh, task, { lessons: allLessons(['coding-type-hints']) });
    expect((await fresh.check()).success).toBe(true);
  });

  it('when not competent it writes a one-edit variant of the reference, which fails', async () => {
    const task = data.tasks[13]!;
    const env = await open(task);
    const history = await runPolicy(policy, env, task, { lessons: allLessons(), competent: false });
    const code = String(history.find((h) => h.use.name === 'write_solution')!.use.input.code);
    expect(code).not.toContain(data.canonical.get(task.id)!);
    expect(mutants(data.canonical.get(task.id)!, 'python').some((m) => code.includes(m.code))).toBe(true);
    const result = await env.check();
    expect(result.success).toBe(false);
    expect(env.pitfallsHit()).toEqual([]);
  });
});
