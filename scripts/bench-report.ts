// Report rendering benchmark: `dreambench report` on the 4,000-trial benchmark run (the
// experiment of scripts/bench-core.ts: 4 arms x 10 sessions x 50 tasks x 2 replicates, sim model).
// Prints the time of each step (load, CSV, statistics, charts, Markdown, HTML, JSON), the sizes of
// the files written and the peak memory, as JSON.
//
//   npm run build:dev && node dist-dev/scripts/bench-report.js [--run DIR] [--repeat 3] [--keep]
//
// Without --run it first makes the benchmark run in a temporary folder (about a minute). The sim
// answers instantly, so the figures measure the harness alone, never a model.

import { readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { experimentSchema } from '../harness/config/schema.js';
import { executeRun } from '../harness/runner/runner.js';
import { writeRunReport } from '../reports/run-report.js';

const { values } = parseArgs({
  options: {
    run: { type: 'string' },
    repeat: { type: 'string', default: '3' },
    keep: { type: 'boolean', default: false },
  },
});

let runDir = values.run;
if (!runDir) {
  runDir = join(tmpdir(), `dreambench-bench-report-${process.pid}`);
  const experiment = experimentSchema.parse({
    name: 'bench-report',
    seed: 1,
    model: 'sim:default',
    suites: ['legal-drafting'],
    arms: [
      'stateless',
      'learnings-md',
      { arm: 'learnings-md', name: 'learnings-capped', options: { max_entries: 20 } },
      { arm: 'learnings-md', name: 'learnings-all', options: { reflect_on: 'all' } },
    ],
    sessions: 10,
    tasks_per_session: 50,
    replicates: 2,
    concurrency: 4,
  });
  const t = performance.now();
  await executeRun({ runDir, experiment });
  process.stderr.write(`bench-report: made the benchmark run in ${((performance.now() - t) / 1000).toFixed(1)} s: ${runDir}\n`);
}

const runs: Array<{ total_ms: number; steps: Record<string, number> }> = [];
let trials = 0;
for (let i = 0; i < Number(values.repeat); i++) {
  const t = performance.now();
  const result = await writeRunReport(runDir);
  runs.push({ total_ms: Math.round(performance.now() - t), steps: result.timings_ms });
  trials = result.model.counts.trials;
}
const sizes: Record<string, number> = {};
const reportDir = join(runDir, 'report');
for (const f of readdirSync(reportDir)) {
  const st = statSync(join(reportDir, f));
  if (st.isFile()) sizes[f] = st.size;
}
const sorted = [...runs].sort((a, b) => a.total_ms - b.total_ms);
const median = sorted[Math.floor(sorted.length / 2)]!;
console.log(
  JSON.stringify(
    {
      run: runDir,
      trials,
      repeat: runs.length,
      total_ms: runs.map((r) => r.total_ms),
      median_total_ms: median.total_ms,
      median_steps_ms: median.steps,
      first_run_note: 'the first report in a process also loads the suite (about 0.3 s)',
      file_bytes: sizes,
      peak_rss_mib: Math.round(process.resourceUsage().maxRSS / 1024),
      node: process.version,
    },
    null,
    2,
  ),
);
if (!values.run && !values.keep) rmSync(runDir, { recursive: true, force: true });
