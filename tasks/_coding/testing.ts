// Test support for the coding suites: the shared fake SimView and policy driver (see
// harness/testing/suite-fixtures.ts) for runs against a real coding environment (real sandbox runs).

import type { Environment, Task } from '../../harness/core/suite.js';
import type { SimPolicy, SimView } from '../../harness/models/sim/policy.js';
import * as shared from '../../harness/testing/suite-fixtures.js';
import type { DriveOptions, FakeViewOptions, HistoryEntry } from '../../harness/testing/suite-fixtures.js';

export type { FakeViewOptions, HistoryEntry };

const style: shared.FakeViewStyle = { seed: 'coding-test' };

export function fakeView(options: FakeViewOptions): SimView {
  return shared.fakeView(options, style);
}

export function workdir(): string {
  return shared.tempWorkdir('coding-test-');
}

/** Run a policy against an environment until it submits (or stops); returns the tool calls. */
export async function runPolicy(
  policy: SimPolicy,
  environment: Environment,
  task: Task,
  options: DriveOptions = {},
): Promise<HistoryEntry[]> {
  return (await shared.drivePolicy(policy, environment, task, options, { style, maxTurns: 20 })).history;
}
