// The suite module of a triage suite (build-logs, doc-review): its data loaded and validated on first
// use (not when the engine discovers the suites), and the Suite reading families, pitfalls and tasks
// from that one load, so a suite and its tests see the same objects.

import type { Environment, EnvironmentContext, Family, Pitfall, Suite, Task } from '../../harness/core/suite.js';
import { sourcePath } from '../../harness/core/paths.js';

export interface TriageSuiteSpec<Data>
  extends Pick<Suite, 'name' | 'description' | 'dataDir' | 'systemPrompt' | 'simPolicy'>,
    Required<Pick<Suite, 'validateData'>> {
  load(): Data;
  createEnvironment(task: Task, context: EnvironmentContext, data: Data): Promise<Environment>;
}

export function triageSuite<Data extends { families: Family[]; pitfalls: Pitfall[]; tasks: Task[] }>(
  spec: TriageSuiteSpec<Data>,
): { suite: Suite; data: () => Data } {
  let cached: Data | undefined;
  const data = (): Data => (cached ??= spec.load());
  const suite: Suite = {
    name: spec.name,
    description: spec.description,
    dataDir: spec.dataDir,
    systemPrompt: spec.systemPrompt,
    get families() {
      return data().families;
    },
    get pitfalls() {
      return data().pitfalls;
    },
    get tasks() {
      return data().tasks;
    },
    createEnvironment: (task, context) => spec.createEnvironment(task, context, data()),
    simPolicy: spec.simPolicy,
    validateData: spec.validateData,
    // The shared triage code also defines what the suite loads, shows and checks.
    hashPaths: [sourcePath('tasks/_triage')],
  };
  return { suite, data };
}
