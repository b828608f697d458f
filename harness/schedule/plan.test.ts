import { describe, expect, it } from 'vitest';
import type { Suite, Task } from '../core/suite.js';
import { experimentSchema, type Experiment } from '../config/schema.js';
import { buildSchedule } from './schedule.js';
import { buildRunPlan, chainCount, PlanError, plannedTrials } from './plan.js';
import { nestedVariance } from '../stats/variance.js';

function fakeSuite(families: Record<string, number>): Suite {
  const tasks: Task[] = Object.entries(families).flatMap(([family, count]) =>
    Array.from({ length: count }, (_, i) => ({
      id: `${family}-${i}`,
      suite: 'fake',
      family,
      title: '',
      prompt: '',
      files: {},
      pitfalls: [],
      rubric: [],
      expected: {},
    })),
  );
  return {
    name: 'fake',
    description: '',
    dataDir: '.',
    systemPrompt: '',
    families: Object.keys(families).map((id) => ({ id, title: id, description: '' })),
    pitfalls: [],
    tasks,
    createEnvironment: () => Promise.reject(new Error('unused')),
    simPolicy: { act: () => [] },
  };
}

const suite = fakeSuite({ a: 6, b: 6, c: 6, d: 6 });
const experiment = (schedule: Record<string, unknown> = {}, more: Record<string, unknown> = {}): Experiment =>
  experimentSchema.parse({
    name: 'p',
    seed: 7,
    model: 'sim:default',
    suites: ['fake'],
    arms: ['stateless'],
    sessions: 5,
    tasks_per_session: 6,
    replicates: 2,
    schedule,
    ...more,
  });
const ids = (tasks: ReadonlyArray<{ task: Task }>) => tasks.map((t) => t.task.id);

describe('run plan', () => {
  it('without controls: one chain per replicate, exactly the schedule', () => {
    const plan = buildRunPlan([suite], experiment());
    expect(plan.chains.map((c) => [c.replicate, c.task_set, c.order])).toEqual([
      [1, 1, 1],
      [2, 2, 1],
    ]);
    expect(plan.slices).toBe(false);
    const base = buildSchedule([suite], { seed: 7, replicate: 2, sessions: 5, tasksPerSession: 6, heldOut: [] });
    expect(plan.chains[1]!.sessions.map(ids)).toEqual(base.map(ids));
    expect(plan.chains[1]!.sessions.flat().every((t) => t.slice === 'train')).toBe(true);
  });

  it('orders: the same tasks per task set, dealt in other orders, held-out families still late', () => {
    const e = experiment({ orders: 4, held_out: [{ family: 'd', from_session: 3 }] });
    const plan = buildRunPlan([suite], e);
    expect(chainCount(e)).toBe(8);
    expect(plan.chains.map((c) => c.replicate)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    for (const set of [1, 2]) {
      const chains = plan.chains.filter((c) => c.task_set === set);
      expect(chains.map((c) => c.order)).toEqual([1, 2, 3, 4]);
      const multiset = (c: (typeof chains)[number]) => ids(c.sessions.flat()).sort();
      for (const c of chains) {
        expect(multiset(c)).toEqual(multiset(chains[0]!));
        for (const session of c.sessions.slice(0, 2)) expect(session.every((t) => t.task.family !== 'd')).toBe(true);
        expect(c.sessions.every((s, i) => s.length === 6 && s.every((t, slot) => t.session === i + 1 && t.slot === slot))).toBe(true);
      }
      expect(new Set(chains.map((c) => ids(c.sessions.flat()).join(','))).size).toBe(4);
    }
  });

  it('eval: N held-apart tasks per task set, the same in every listed session, never train tasks', () => {
    const plan = buildRunPlan(
      [suite],
      experiment({ eval: { tasks_per_session: 3, families: ['a', 'b'], sessions: [1, 3, 5] }, orders: 2 }),
    );
    expect(plan.slices).toBe(true);
    for (const chain of plan.chains) {
      const evalTasks = plan.evalTasks.get(chain.task_set)!.map((t) => t.id);
      expect(evalTasks).toHaveLength(3);
      expect(evalTasks.every((id) => /^[ab]-/.test(id))).toBe(true);
      chain.sessions.forEach((session, i) => {
        const ev = session.filter((t) => t.slice === 'eval');
        expect(ids(ev)).toEqual([1, 3, 5].includes(i + 1) ? evalTasks : []);
        expect(ev.map((t) => t.slot)).toEqual([1, 3, 5].includes(i + 1) ? [6, 7, 8] : []);
        for (const t of session.filter((x) => x.slice === 'train')) expect(evalTasks).not.toContain(t.task.id);
      });
    }
    // Shared by the orders of a task set, drawn anew per task set (seeded).
    expect(plan.evalTasks.get(1)).not.toEqual(plan.evalTasks.get(2));
    expect(plannedTrials(plan)).toBe(4 * (5 * 6 + 3 * 3));
  });

  it('eval from_pool holds the whole pool apart', () => {
    const pool = ['a-0', 'a-1', 'b-0', 'b-1', 'c-0'];
    const plan = buildRunPlan([suite], experiment({ eval: { tasks_per_session: 2, from_pool: pool } }));
    for (const chain of plan.chains) {
      const train = chain.sessions.flat().filter((t) => t.slice === 'train');
      expect(train.some((t) => pool.includes(t.task.id))).toBe(false);
      expect(plan.evalTasks.get(chain.task_set)!.every((t) => pool.includes(t.id))).toBe(true);
    }
    expect(() => buildRunPlan([suite], experiment({ eval: { tasks_per_session: 6, from_pool: pool } }))).toThrow(PlanError);
    expect(() => buildRunPlan([suite], experiment({ eval: { tasks_per_session: 1, from_pool: ['nope'] } }))).toThrow(
      /schedule\.eval\.from_pool\[0\]: unknown task "nope"/,
    );
  });

  it('retest: distinct tasks first met early, re-run from from_session on, pointing at their first trial', () => {
    const plan = buildRunPlan([suite], experiment({ retest: { tasks: 4, from_session: 4, early_sessions: 2 } }));
    for (const chain of plan.chains) {
      const r4 = chain.sessions[3]!.filter((t) => t.slice === 'retest');
      const r5 = chain.sessions[4]!.filter((t) => t.slice === 'retest');
      expect(r4).toHaveLength(4);
      expect(ids(r5)).toEqual(ids(r4));
      expect(
        chain.sessions
          .slice(0, 3)
          .flat()
          .some((t) => t.slice === 'retest'),
      ).toBe(false);
      for (const r of r4) {
        const first = chain.sessions[r.first_seen!.session - 1]![r.first_seen!.slot]!;
        expect(first.task.id).toBe(r.task.id);
        expect(first.session).toBeLessThanOrEqual(2);
        expect(
          chain.sessions
            .slice(0, first.session - 1)
            .flat()
            .some((t) => t.task.id === r.task.id),
        ).toBe(false);
      }
    }
    expect(() => buildRunPlan([suite], experiment({ retest: { tasks: 40, early_sessions: 1 } }))).toThrow(
      /schedule\.retest\.tasks: at most/,
    );
  });
});

describe('nested variance', () => {
  it('splits chain values into task set and order components', () => {
    // Two task sets far apart, orders close within a set.
    const v = nestedVariance([
      [0.2, 0.22, 0.18],
      [0.8, 0.78, 0.82],
    ]);
    expect(v.chains).toBe(6);
    expect(v.sets).toBe(2);
    expect(v.order).toBeCloseTo(0.0004, 10);
    expect(v.set).toBeGreaterThan(0.15);
    expect(v.sd_order).toBeCloseTo(0.02, 10);
    // One order per set: the order term cannot be told apart.
    const single = nestedVariance([[0.2], [0.8]]);
    expect(Number.isNaN(single.order)).toBe(true);
    expect(Number.isNaN(single.set)).toBe(true);
    expect(single.total).toBeCloseTo(0.18, 10);
    // Noise: the order component beyond it.
    const noisy = nestedVariance(
      [
        [0.2, 0.4],
        [0.3, 0.5],
      ],
      [
        [0.01, 0.01],
        [0.01, 0.01],
      ],
    );
    expect(noisy.order).toBeCloseTo(0.02, 10);
    expect(noisy.order_beyond_noise).toBeCloseTo(0.01, 10);
  });
});
