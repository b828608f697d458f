// Test support for the office suites: the shared fake SimView and policy driver (see
// harness/testing/suite-fixtures.ts) with the office seed and temp-dir prefix, and what both suites'
// tests need of their data and environments (fixes, lessons, opening an environment).

import type { Environment, EnvironmentContext, Task } from '../../harness/core/suite.js';
import { currentFix } from '../../harness/core/suite.js';
import type { SimPolicy, SimView } from '../../harness/models/sim/policy.js';
import * as shared from '../../harness/testing/suite-fixtures.js';
import type { DriveOptions, FakeViewOptions, HistoryEntry } from '../../harness/testing/suite-fixtures.js';
import { cleanedWorkdirs } from '../../harness/testing/scratch-data.js';
import type { OfficeSuiteData } from './load.js';

export type { FakeViewOptions, HistoryEntry };
export { toolUses } from '../../harness/testing/suite-fixtures.js';

const style: shared.FakeViewStyle = { seed: 'office-test' };

export function fakeView(options: FakeViewOptions): SimView {
  return shared.fakeView(options, style);
}

export function workdir(prefix = 'office-test-'): string {
  return shared.tempWorkdir(prefix);
}

/** Run a sim policy against an environment until it submits (or stops); returns the tool calls. */
export async function runPolicy(
  policy: SimPolicy,
  environment: Environment,
  task: Task,
  options: DriveOptions = {},
): Promise<HistoryEntry[]> {
  return (await shared.drivePolicy(policy, environment, task, options, { style, maxTurns: 20 })).history;
}

// ---------------------------------------------------------------------------------------------
// The suites' data and environments in tests

/** The first task of a family (the suites' tests pick their examples this way). */
export function firstTaskOf(data: OfficeSuiteData): (family: string) => Task {
  return (family) => data.tasks.find((t) => t.family === family)!;
}

/** Every pitfall-prone setting of the task at its fix, by `tool.param` (drift taken into account). */
export function fixes(data: OfficeSuiteData, task: Task, drifted: readonly string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of data.pitfalls.filter((p) => task.pitfalls.includes(p.id))) out[p.choice] = currentFix(p, new Set(drifted));
  return out;
}

/** Every pitfall's fix in force, by `tool.param`: the lessons of an agent that has learnt them all. */
export function allLessons(data: OfficeSuiteData, drifted: readonly string[] = []): Record<string, string> {
  return Object.fromEntries(data.pitfalls.map((p) => [p.choice, currentFix(p, new Set(drifted))]));
}

/** The settings of one tool in a `tool.param` settings map, as that tool's input. */
export function toolSettings(settings: Record<string, string>, tool: string): Record<string, string> {
  return Object.fromEntries(
    Object.entries(settings)
      .filter(([c]) => c.startsWith(`${tool}.`))
      .map(([c, v]) => [c.slice(tool.length + 1), v]),
  );
}

/** The names of the tools called, in order. */
export const toolNames = (history: HistoryEntry[]): string[] => history.map((h) => h.use.name);

type CreateEnvironment<E extends Environment> = (task: Task, context: EnvironmentContext, data: OfficeSuiteData) => Promise<E>;

/**
 * Opens a suite's environment for a task in a fresh workdir (removed after each test), optionally
 * with drift. Call at a test file's top level: it registers the afterEach that cleans up.
 */
export function environmentOpener<E extends Environment>(create: CreateEnvironment<E>, data: OfficeSuiteData, prefix: string) {
  const freshDir = cleanedWorkdirs(() => workdir(prefix));
  return async (task: Task, drifted: string[] = []): Promise<{ env: E; dir: string }> => {
    const dir = freshDir();
    const env = await create(task, { workdir: dir, session: 1, drifted: new Set(drifted) }, data);
    return { env, dir };
  };
}
