// The build-logs suite: triage batches of realistic CI build logs (compiler errors, flaky tests, OOM
// kills, dependency conflicts, network and disk failures, timeouts), each with a known root cause.
// Built for a lead that splits a batch among specialists, runnable by any arm.

import { sourcePath } from '../../harness/core/paths.js';
import { triageSuite } from '../_triage/suite.js';
import { loadBuildLogsData, SUITE, validateBuildLogsData } from './data.js';
import { createTriageEnvironment } from './environment.js';
import { triagePolicy } from './sim-policy.js';

const systemPrompt = `You are on the CI triage rotation at acme. Each morning you get a batch of failed CI jobs and file a triage report on the triage board: for every job, its root-cause category, the step that failed the job, the line of the root-cause error, when it failed, a one-line root cause, the owning team and the next action.

Use list_logs to see the batch, read_log to read a log (it returns one page of numbered lines per call) and grep_log to search. Logs can be long and noisy; the first error you see is not always the cause. Submit the report with submit_triage; if it rejects the report, read the error, fix the rows and submit again.`;

const { suite, data } = triageSuite({
  name: SUITE,
  description:
    'CI build-log triage: batches of 10 to 40 realistic failed jobs (compiler errors, flaky tests, OOM kills, dependency conflicts, network and disk failures, timeouts) classified by root cause, failing step, evidence line and owner.',
  dataDir: sourcePath('tasks/build-logs'),
  systemPrompt,
  load: () => loadBuildLogsData(sourcePath('tasks/build-logs/data')),
  createEnvironment: createTriageEnvironment,
  simPolicy: triagePolicy,
  validateData: validateBuildLogsData,
});

/** The suite's data, loaded and validated on first use. */
export const buildLogsData = data;

export default suite;
