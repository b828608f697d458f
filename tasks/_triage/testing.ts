// Test support for the triage suites (build-logs, doc-review): the shared fake SimView and policy
// driver (see harness/testing/suite-fixtures.ts) in the revision-aware style their policies read,
// environments opened in workdirs removed after each test, lessons naming every fix, and the check
// that the committed data is what the seeded generator writes.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { Environment, EnvironmentContext, Pitfall, Task } from '../../harness/core/suite.js';
import { currentFix } from '../../harness/core/suite.js';
import type { SimPolicy, SimView } from '../../harness/models/sim/policy.js';
import { cleanedWorkdirs } from '../../harness/testing/scratch-data.js';
import * as shared from '../../harness/testing/suite-fixtures.js';
import type { DriveOptions, FakeViewOptions, HistoryEntry } from '../../harness/testing/suite-fixtures.js';

export type { DriveOptions, FakeViewOptions, HistoryEntry };

/** A suite's fake view, temp workdirs and policy driver: seed and workdir prefix `<suite>-test`, at most `maxTurns` turns. */
export function triageFixtures(suite: string, policy: SimPolicy, maxTurns: number) {
  const style: shared.FakeViewStyle = { seed: `${suite}-test`, revisions: true };
  return {
    fakeView: (options: FakeViewOptions): SimView => shared.fakeView(options, style),
    workdir: (): string => shared.tempWorkdir(`${suite}-test-`),
    /** Run the sim policy against an environment until it submits or stops; returns the tool calls and the turns. */
    runPolicy: (environment: Environment, task: Task, options: DriveOptions = {}): Promise<{ history: HistoryEntry[]; turns: number }> =>
      shared.drivePolicy(policy, environment, task, options, { style, maxTurns }),
  };
}

/** Lessons naming every fix (as a well-taught agent's memory would), drift taken into account. */
export function allLessons(data: { pitfalls: readonly Pitfall[] }, drifted: ReadonlySet<string> = new Set()): Record<string, string> {
  return Object.fromEntries(data.pitfalls.map((p) => [p.choice, currentFix(p, drifted)]));
}

/**
 * `open(task, drifted)`: the suite's environment for a task in session 1 with those pitfalls drifted,
 * in a fresh workdir removed after the test. Call at a test file's top level (it registers the afterEach).
 */
export function environmentOpener<Data>(
  create: (task: Task, context: EnvironmentContext, data: Data) => Promise<Environment>,
  data: Data,
  workdir: () => string,
): (task: Task, drifted?: string[]) => Promise<Environment> {
  const freshDir = cleanedWorkdirs(workdir);
  return (task, drifted = []) => create(task, { workdir: freshDir(), session: 1, drifted: new Set(drifted) }, data);
}

/** The generated folders `subdirs` of `generatedDir` hold the same files as the committed `dataDir`, byte for byte. */
export function expectSameGeneratedFiles(generatedDir: string, dataDir: string, subdirs: readonly string[]): void {
  const filesOf = (dir: string): string[] =>
    readdirSync(dir, { recursive: true })
      .map(String)
      .filter((f) => f.includes('.'))
      .sort();
  for (const sub of subdirs) {
    const files = filesOf(join(generatedDir, sub));
    expect(files).toEqual(filesOf(join(dataDir, sub)));
    for (const f of files) expect(readFileSync(join(generatedDir, sub, f), 'utf8'), f).toBe(readFileSync(join(dataDir, sub, f), 'utf8'));
  }
}
