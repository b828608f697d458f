// build-logs through the real runner with the sim model: stateless vs learnings-md, and a lead that
// splits each batch among three specialists (the multi-agent arm).

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { executeRun } from '../../harness/runner/runner.js';
import { smallExperiment, tempDir } from '../../harness/testing/run-helpers.js';

describe('build-logs end to end with sim', () => {
  it('runs every arm through the runner; learnings-md learns the team conventions', async () => {
    const { status, trials } = await executeRun({
      runDir: join(tempDir(), 'run'),
      experiment: smallExperiment({ suites: ['build-logs'], sessions: 4, tasks_per_session: 5, replicates: 1 }),
    });
    expect(status).toBe('completed');
    expect(trials).toHaveLength(2 * 4 * 5);
    for (const t of trials) {
      expect(t.suite).toBe('build-logs');
      expect(['none', 'agent', 'budget']).toContain(t.error_class);
      expect(t.turns).toBeGreaterThanOrEqual(3);
    }
    const late = (arm: string) => trials.filter((t) => t.arm === arm && t.session >= 3);
    const hits = (arm: string) => late(arm).reduce((sum, t) => sum + t.pitfalls_hit.length, 0);
    const wins = (arm: string) => late(arm).filter((t) => t.success).length;
    expect(hits('learnings-md')).toBeLessThan(hits('stateless') / 2);
    expect(wins('learnings-md')).toBeGreaterThan(wins('stateless'));
  });

  it('a lead splits each batch among three specialists, whose shares merge into one report', async () => {
    const roles = ['triager-a', 'triager-b', 'triager-c'].map((name) => ({ name, tools: '*' }));
    const { status, trials } = await executeRun({
      runDir: join(tempDir(), 'run'),
      // A sim that always takes the fix a tool error names and is never careless, so every share lands.
      experiment: smallExperiment({
        model: 'sim:default?recover=1&skill=1',
        suites: ['build-logs'],
        arms: [{ arm: 'multi-agent', options: { roles } }],
        sessions: 1,
        tasks_per_session: 3,
        replicates: 1,
      }),
    });
    expect(status).toBe('completed');
    expect(trials).toHaveLength(3);
    for (const t of trials) {
      // Every log got a row: the three shares together cover the batch.
      expect(t.checks.find((c) => c.id === 'coverage')?.passed, t.task).toBe(true);
      expect(t.checks.find((c) => c.id === 'submitted')?.passed).toBe(true);
      expect(t.agents?.map((a) => a.role)).toEqual(expect.arrayContaining(['lead', 'triager-a', 'triager-b', 'triager-c']));
    }
  });
});
