import { describe, expect, it } from 'vitest';
import type { Suite, Task } from '../core/suite.js';
import { buildSchedule, driftedIn } from './schedule.js';

function fakeSuite(families: Record<string, number>): Suite {
  const tasks: Task[] = Object.entries(families).flatMap(([family, count]) =>
    Array.from({ length: count }, (_, i) => ({
      id: `${family}-${i}`,
      suite: 'fake',
      family,
      title: `${family} ${i}`,
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

const suite = fakeSuite({ a: 5, b: 5, c: 5, d: 5 });
const ids = (s: ReturnType<typeof buildSchedule>): string[][] => s.map((session) => session.map((t) => t.task.id));
const options = { seed: 11, replicate: 1, sessions: 6, tasksPerSession: 8, heldOut: [] };

describe('schedule', () => {
  it('is a pure function of the seed and replicate (the same for every arm)', () => {
    expect(ids(buildSchedule([suite], options))).toEqual(ids(buildSchedule([suite], options)));
  });

  it('differs between seeds and between replicates', () => {
    const first = ids(buildSchedule([suite], options));
    expect(ids(buildSchedule([suite], { ...options, seed: 12 }))).not.toEqual(first);
    expect(ids(buildSchedule([suite], { ...options, replicate: 2 }))).not.toEqual(first);
  });

  it('fills every session with the requested number of slots, families mixed evenly', () => {
    const schedule = buildSchedule([suite], options);
    for (const session of schedule) {
      expect(session.map((t) => t.slot)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
      const perFamily = new Map<string, number>();
      session.forEach((t) => perFamily.set(t.task.family, (perFamily.get(t.task.family) ?? 0) + 1));
      expect([...perFamily.values()]).toEqual([2, 2, 2, 2]);
    }
  });

  it("deals each family's tasks without repeats until all have been seen", () => {
    const schedule = buildSchedule([suite], { ...options, sessions: 5, tasksPerSession: 4 });
    const firstFive = schedule
      .flat()
      .filter((t) => t.task.family === 'a')
      .slice(0, 5)
      .map((t) => t.task.id);
    expect(new Set(firstFive).size).toBe(5);
  });

  it('keeps held-out families out until their session', () => {
    const schedule = buildSchedule([suite], { ...options, heldOut: [{ family: 'd', from_session: 4 }] });
    schedule.forEach((session, i) => {
      const hasD = session.some((t) => t.task.family === 'd');
      expect(hasD).toBe(i + 1 >= 4);
    });
  });

  it('activates drift from its session on', () => {
    const events = [{ pitfall: 'p1', from_session: 3 }];
    expect([1, 2, 3, 4].map((s) => driftedIn(s, events).has('p1'))).toEqual([false, false, true, true]);
  });
});
