// The build-logs suite: triage batches of realistic CI build logs (compiler errors, flaky tests, OOM
// kills, dependency conflicts, network and disk failures, timeouts), each with a known root cause.
// Built for a lead that splits a batch among specialists, runnable by any arm.

import type { Suite } from '../../harness/core/suite.js';
import { sourcePath } from '../../harness/core/paths.js';
import { loadBuildLogsData, SUITE, validateBuildLogsData, type BuildLogsData } from './data.js';
import { createTriageEnvironment } from './environment.js';
import { triagePolicy } from './sim-policy.js';

let cached: BuildLogsData | undefined;
/** The suite's data, loaded and validated on first use. */
export function buildLogsData(): BuildLogsData {
  return (cached ??= loadBuildLogsData(sourcePath('tasks/build-logs/data')));
}

const systemPrompt = `You are on the CI triage rotation at acme. Each morning you get a batch of failed CI jobs and file a triage report on the triage board: for every job, its root-cause category, the step that failed the job, the line of the root-cause error, when it failed, a one-line root cause, the owning team and the next action.

Use list_logs to see the batch, read_log to read a log (it returns one page of numbered lines per call) and grep_log to search. Logs can be long and noisy; the first error you see is not always the cause. Submit the report with submit_triage; if it rejects the report, read the error, fix the rows and submit again.`;

const suite: Suite = {
  name: SUITE,
  description:
    'CI build-log triage: batches of 10 to 40 realistic failed jobs (compiler errors, flaky tests, OOM kills, dependency conflicts, network and disk failures, timeouts) classified by root cause, failing step, evidence line and owner.',
  dataDir: sourcePath('tasks/build-logs'),
  systemPrompt,
  get families() {
    return buildLogsData().families;
  },
  get pitfalls() {
    return buildLogsData().pitfalls;
  },
  get tasks() {
    return buildLogsData().tasks;
  },
  createEnvironment: (task, context) => createTriageEnvironment(task, context, buildLogsData()),
  simPolicy: triagePolicy,
  validateData: validateBuildLogsData,
};

export default suite;
