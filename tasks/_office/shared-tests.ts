// Tests both office suites run the same way, written once: each suite's test file calls these inside
// its own describe blocks, so every suite still runs (and reports) each test. What differs between
// the suites (names, the build tool, how to produce a file) comes in as arguments.

import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { parseDirectives } from '../../harness/core/directives.js';
import type { CheckResult, Environment, EnvironmentContext, Pitfall, Suite, Task, ToolOutcome } from '../../harness/core/suite.js';
import { pitfallApplies } from '../../harness/core/suite.js';
import { sourcePath } from '../../harness/core/paths.js';
import type { SimPolicy } from '../../harness/models/sim/policy.js';
import type { OfficeSuiteData } from './load.js';
import { allLessons, fixes, runPolicy, toolNames } from './testing.js';

type Open<E extends Environment> = (task: Task, drifted?: string[]) => Promise<{ env: E }>;

/** The data tests of a suite's data.test.ts that hold for every office suite. */
export function officeDataTests(o: {
  /** The suite's name, as its folder is named. */
  name: string;
  suite: Suite;
  data: OfficeSuiteData;
  contentTriggers: (task: Task) => Record<string, boolean>;
  pitfallTrigger: Readonly<Record<string, string>>;
  /** The build tool the system prompt must name. */
  buildTool: string;
  /** The fewest pitfalls a task has, where the suite promises one. */
  minPitfallsPerTask?: number;
  /** The suite's families, in order (each has 7 tasks). */
  families: readonly string[];
}): void {
  const { data, suite } = o;

  it('has 5 families and 35 tasks, 7 per family', () => {
    expect(data.families.map((f) => f.id)).toEqual(o.families);
    expect(data.tasks).toHaveLength(35);
    for (const family of data.families)
      expect(
        data.tasks.filter((t) => t.family === family.id),
        family.id,
      ).toHaveLength(7);
  });

  it('has unique task ids, and every task pitfall exists, applies to its family and can bite', () => {
    const ids = data.tasks.map((t) => t.id);
    expect(new Set(ids).size).toBe(ids.length);
    const byId = new Map(data.pitfalls.map((p) => [p.id, p]));
    for (const task of data.tasks) {
      expect(task.suite).toBe(o.name);
      if (o.minPitfallsPerTask !== undefined) expect(task.pitfalls.length, task.id).toBeGreaterThanOrEqual(o.minPitfallsPerTask);
      const triggers = o.contentTriggers(task);
      for (const id of task.pitfalls) {
        const pitfall = byId.get(id)!;
        expect(pitfall, `${task.id}: ${id}`).toBeDefined();
        expect(pitfallApplies(pitfall, task.family), `${task.id}: ${id}`).toBe(true);
        const trigger = o.pitfallTrigger[pitfall.param];
        if (trigger) expect(triggers[trigger], `${task.id}: ${id} needs ${trigger}`).toBe(true);
      }
    }
  });

  it('the suite module exposes the data and its name matches its folder', () => {
    expect(suite.name).toBe(o.name);
    expect(suite.tasks).toBe(data.tasks);
    expect(suite.pitfalls).toBe(data.pitfalls);
    expect(suite.families).toBe(data.families);
    expect(suite.dataDir).toBe(sourcePath(`tasks/${o.name}`));
    expect(suite.systemPrompt).toContain(o.buildTool);
  });
}

/** Every task of the suite passes the checker when produced with the brief's content and all fixes. */
export function everyTaskPassesTest<E extends Environment>(o: {
  data: OfficeSuiteData;
  open: Open<E>;
  produce: (env: E, task: Task, settings: Record<string, string>) => Promise<ToolOutcome>;
}): void {
  it("every task of the suite passes with the brief's content and all fixes", async () => {
    for (const task of o.data.tasks) {
      const { env } = await o.open(task);
      const build = await o.produce(env, task, fixes(o.data, task));
      expect(build.is_error, `${task.id}: ${build.content}`).toBeFalsy();
      const result = await env.check();
      expect(result.feedback, task.id).toEqual([]);
      expect(result.success, task.id).toBe(true);
    }
  });
}

/** A review pitfall left at its naive value: the file fails that one check, and the reviewer names the fix. */
export function expectReviewPitfallCaught(result: CheckResult, env: Environment, p: Pitfall): void {
  expect(result.success).toBe(false);
  expect(result.checks.filter((c) => !c.passed).map((c) => c.id)).toEqual([`pitfall:${p.id}`]);
  expect(result.score).toBeLessThan(1);
  expect(result.feedback).toHaveLength(1);
  expect(result.feedback[0]).toMatch(/^Reviewer \(/);
  expect(parseDirectives(result.feedback[0]!)).toEqual([{ choice: p.choice, value: p.fix }]);
  expect(env.pitfallsHit()).toEqual([p.id]);
}

/** An agent with every lesson that is not competent this time misses content (`missing`) and nothing else. */
export function incompetentAgentTest<E extends Environment>(o: {
  data: OfficeSuiteData;
  open: Open<E>;
  policy: SimPolicy;
  family: string;
  missing: RegExp;
}): void {
  it('an agent that is not competent fails a substantive check only', async () => {
    const task = o.data.tasks.find((t) => t.family === o.family)!;
    const { env } = await o.open(task);
    await runPolicy(o.policy, env, task, { lessons: allLessons(o.data), competent: false });
    const result = await env.check();
    expect(result.success).toBe(false);
    expect(result.feedback).toHaveLength(1);
    expect(result.feedback[0]).toMatch(o.missing);
    expect(env.pitfallsHit()).toEqual([]);
  });
}

/**
 * The files a LibreOffice test opens: each sample task built twice, with every fix ("fixed") and with
 * every review pitfall left at the tool's default ("naive"), copied into `out` as <task>-<variant>.<ext>.
 */
export async function buildSampleFiles<E extends Environment>(o: {
  data: OfficeSuiteData;
  tasks: readonly Task[];
  create: (task: Task, context: EnvironmentContext, data: OfficeSuiteData) => Promise<E>;
  produce: (env: E, task: Task, settings: Record<string, string>) => Promise<ToolOutcome>;
  /** A fresh workdir for one build. */
  workdir: () => string;
  outputFile: string;
  ext: string;
  out: string;
}): Promise<string[]> {
  const files: string[] = [];
  for (const task of o.tasks) {
    const good = fixes(o.data, task);
    const naive = { ...good };
    for (const p of o.data.pitfalls) if (p.surfaces === 'review' && task.pitfalls.includes(p.id)) naive[p.choice] = p.naive;
    for (const [variant, settings] of [
      ['fixed', good],
      ['naive', naive],
    ] as const) {
      const dir = o.workdir();
      const env = await o.create(task, { workdir: dir, session: 1, drifted: new Set() }, o.data);
      const build = await o.produce(env, task, settings);
      expect(build.is_error, build.content).toBeFalsy();
      const file = join(o.out, `${task.id}-${variant}.${o.ext}`);
      copyFileSync(join(dir, o.outputFile), file);
      files.push(file);
    }
  }
  return files;
}

/** The sim policy with every lesson builds once and passes, for every task of each family. */
export function everyLessonSucceedsTest<E extends Environment>(o: {
  data: OfficeSuiteData;
  open: Open<E>;
  policy: SimPolicy;
  buildTool: string;
}): void {
  it.each(o.data.families.map((f) => f.id))('an agent with every lesson succeeds first time (%s)', async (family) => {
    for (const task of o.data.tasks.filter((t) => t.family === family)) {
      const { env } = await o.open(task);
      const history = await runPolicy(o.policy, env, task, { lessons: allLessons(o.data) });
      expect(
        toolNames(history).filter((n) => n === o.buildTool),
        task.id,
      ).toHaveLength(1);
      const result = await env.check();
      expect(result.feedback, task.id).toEqual([]);
      expect(result.success, task.id).toBe(true);
      expect(env.pitfallsHit(), task.id).toEqual([]);
    }
  });
}
