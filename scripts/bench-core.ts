// Harness overhead benchmark: a sim experiment of 4 arms x 10 sessions x 50 tasks x 2
// replicates = 4,000 trials, each a real workspace, real tool calls, a real .docx rendered and
// checked, a transcript and a record written. Reports wall time, trials per second and peak memory.
//
//   npm run build:dev && node dist-dev/scripts/bench-core.js [--concurrency 4] [--sessions 10] [--tasks 50] [--replicates 2]
//
// The sim answers instantly, so this measures the harness alone, never a model.

import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { experimentSchema } from '../harness/config/schema.js';
import { executeRun } from '../harness/runner/runner.js';

const { values } = parseArgs({
  options: {
    concurrency: { type: 'string', default: '4' },
    sessions: { type: 'string', default: '10' },
    tasks: { type: 'string', default: '50' },
    replicates: { type: 'string', default: '2' },
    keep: { type: 'boolean', default: false },
  },
});

const experiment = experimentSchema.parse({
  name: 'bench-core',
  seed: 1,
  model: 'sim:default',
  suites: ['legal-drafting'],
  arms: [
    'stateless',
    'learnings-md',
    { arm: 'learnings-md', name: 'learnings-capped', options: { max_entries: 20 } },
    { arm: 'learnings-md', name: 'learnings-all', options: { reflect_on: 'all' } },
  ],
  sessions: Number(values.sessions),
  tasks_per_session: Number(values.tasks),
  replicates: Number(values.replicates),
  concurrency: Number(values.concurrency),
});

const runDir = join(tmpdir(), `dreambench-bench-${process.pid}`);
const started = performance.now();
const outcome = await executeRun({ runDir, experiment });
const seconds = (performance.now() - started) / 1000;
const trials = outcome.trials.length;
const peakMiB = process.resourceUsage().maxRSS / 1024;

console.log(
  JSON.stringify(
    {
      trials,
      arms: experiment.arms.length,
      sessions: experiment.sessions,
      tasks_per_session: experiment.tasks_per_session,
      replicates: experiment.replicates,
      concurrency: experiment.concurrency,
      wall_s: Number(seconds.toFixed(2)),
      trials_per_s: Number((trials / seconds).toFixed(1)),
      peak_rss_mib: Number(peakMiB.toFixed(0)),
      goal_trials_per_s: 200,
      note: 'sim model: measures the harness, not any real model',
    },
    null,
    2,
  ),
);
if (!values.keep) rmSync(runDir, { recursive: true, force: true });
else console.log(`run kept in ${runDir}`);
