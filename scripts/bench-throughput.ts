// Harness throughput benchmark: trials per second and peak memory at concurrency 1, 4
// and 16, with the built-in sim model, and with `anthropic:<model>` through the real SDK against a
// zero-latency local mock Messages server that answers like the sim (so the trials are the same
// work, plus HTTP). Each configuration runs in its own child process (a clean peak RSS); the mock
// server runs in this parent process, so its CPU is not charged to the harness's memory.
//
//   npm run build:dev && node dist-dev/scripts/bench-throughput.js [--trials 200] [--concurrency 1,4,16] [--modes sim,mock]
//
// The sim answers instantly: these figures measure the harness, never a model.

import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { experimentSchema } from '../harness/config/schema.js';
import { executeRun } from '../harness/runner/runner.js';
import { createAnthropicModel } from '../harness/models/anthropic/anthropic-model.js';

const { values } = parseArgs({
  options: {
    child: { type: 'boolean', default: false },
    mode: { type: 'string', default: 'sim' },
    url: { type: 'string' },
    trials: { type: 'string', default: '200' },
    concurrency: { type: 'string', default: '1,4,16' },
    modes: { type: 'string', default: 'sim,mock' },
  },
});
const KEY = 'sk-ant-bench-throughput';

function experimentFor(mode: string, trials: number, concurrency: number) {
  const sessions = 4;
  return experimentSchema.parse({
    name: `bench-throughput-${mode}`,
    seed: 1,
    model: mode === 'sim' ? 'sim:default' : 'anthropic:claude-haiku-4-5',
    suites: ['legal-drafting'],
    arms: ['stateless', 'learnings-md'],
    sessions,
    tasks_per_session: Math.max(1, Math.round(trials / (2 * sessions))),
    replicates: 1,
    concurrency,
  });
}

if (values.child) {
  const concurrency = Number(values.concurrency);
  const experiment = experimentFor(values.mode!, Number(values.trials), concurrency);
  const runDir = join(tmpdir(), `dreambench-bench-tp-${process.pid}`);
  const started = performance.now();
  const outcome = await executeRun({
    runDir,
    experiment,
    ...(values.mode === 'mock'
      ? {
          modelFactory: (spec: string) =>
            createAnthropicModel(spec.replace(/^anthropic:/, ''), { apiKey: KEY, baseURL: values.url!, maxRetries: 0 }),
        }
      : {}),
  });
  const records = outcome.trials; // read before the run directory goes
  const seconds = (performance.now() - started) / 1000;
  rmSync(runDir, { recursive: true, force: true });
  process.stdout.write(
    JSON.stringify({
      mode: values.mode,
      concurrency,
      trials: records.length,
      infra: records.filter((t) => t.error_class === 'infra').length,
      wall_s: Number(seconds.toFixed(2)),
      trials_per_s: Number((records.length / seconds).toFixed(1)),
      peak_rss_mib: Math.round(process.resourceUsage().maxRSS / 1024),
    }) + '\n',
  );
} else {
  const { MockMessagesServer } = await import('../harness/testing/mock-messages-server.js');
  const { simBackedHandler } = await import('../harness/testing/sim-backed-handler.js');
  const { SimModel } = await import('../harness/models/sim/sim-model.js');
  const { loadSuites } = await import('../harness/registry/suites.js');
  const suites = await loadSuites(['legal-drafting']);
  const server = new MockMessagesServer({
    apiKey: KEY,
    handler: simBackedHandler({ suite: 'legal-drafting', model: new SimModel('default', suites) }),
  });
  await server.start();
  const self = fileURLToPath(import.meta.url);
  const rows: unknown[] = [];
  for (const mode of values.modes!.split(',')) {
    for (const concurrency of values.concurrency!.split(',').map(Number)) {
      // The parent serves the mock while the child runs: run it asynchronously, not execFileSync.
      const out = await new Promise<string>((resolve, reject) => {
        execFile(
          process.execPath,
          [self, '--child', '--mode', mode, '--concurrency', String(concurrency), '--trials', values.trials!, '--url', server.url],
          { maxBuffer: 1 << 20 },
          (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout)),
        );
      });
      const row = JSON.parse(out.trim().split('\n').at(-1)!) as Record<string, unknown>;
      rows.push(row);
      process.stderr.write(`${JSON.stringify(row)}\n`);
    }
  }
  await server.close();
  console.log(
    JSON.stringify({ note: 'sim and a zero-latency sim-backed mock: these figures measure the harness, not any model', rows }, null, 2),
  );
}
