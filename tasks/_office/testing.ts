// Test support for the office suites: the shared fake SimView and policy driver (see
// harness/testing/suite-fixtures.ts) with the office seed and temp-dir prefix.

import type { Environment, Task } from '../../harness/core/suite.js';
import type { SimPolicy, SimView } from '../../harness/models/sim/policy.js';
import * as shared from '../../harness/testing/suite-fixtures.js';
import type { DriveOptions, FakeViewOptions, HistoryEntry } from '../../harness/testing/suite-fixtures.js';

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
export async function runPolicy(policy: SimPolicy, environment: Environment, task: Task, options: DriveOptions = {}): Promise<HistoryEntry[]> {
  return (await shared.drivePolicy(policy, environment, task, options, { style, maxTurns: 20 })).history;
}
