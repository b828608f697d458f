// dreambench's own time per trial, without promptfoo: the single-turn legal-drafting cases of
// bench-promptfoo.ts (one request to the local zero-latency mock, the checker, a transcript and the
// journal), at one concurrency, in rounds. With `--against DIR` (another checkout's built dist-dev/,
// e.g. main's) the two builds run in the same process, rounds alternating which goes first, against
// the same mock: a before/after comparison that a busy machine disturbs far less than two separate
// runs would. Reported per build: median and best wall time per case, median CPU time per case
// (the process's, mock included; the first round of each build, which loads modules and data, is left out).
//
//   npm run build:dev && node dist-dev/scripts/bench-trial-latency.js [--cases 150] [--concurrency 1] [--rounds 7] [--against DIR]

import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { MockMessagesServer } from '../harness/testing/mock-messages-server.js';

const { values } = parseArgs({
  options: {
    cases: { type: 'string', default: '150' },
    concurrency: { type: 'string', default: '1' },
    rounds: { type: 'string', default: '7' },
    against: { type: 'string' },
  },
});
const cases = Number(values.cases);
const concurrency = Number(values.concurrency);
const rounds = Number(values.rounds);
const KEY = 'sk-ant-bench-trial-latency';

interface Build {
  parse: (value: unknown) => unknown;
  executeRun: (options: Record<string, unknown>) => Promise<unknown>;
  createAnthropicModel: (model: string, options: Record<string, unknown>) => unknown;
}

/** The entry points of a built dist-dev/ folder (this one, or the one given with --against). */
async function loadBuild(distDev: string): Promise<Build> {
  const load = (path: string): Promise<Record<string, unknown>> => import(pathToFileURL(join(distDev, path)).href);
  const schema = await load('harness/config/schema.js');
  const runner = await load('harness/runner/runner.js');
  const model = await load('harness/models/anthropic/anthropic-model.js');
  const experimentSchema = schema.experimentSchema as { parse: (value: unknown) => unknown };
  return {
    parse: (value) => experimentSchema.parse(value),
    executeRun: runner.executeRun as Build['executeRun'],
    createAnthropicModel: model.createAnthropicModel as Build['createAnthropicModel'],
  };
}

const here = resolve(import.meta.dirname, '..');
const builds: Record<string, Build> = { this: await loadBuild(here) };
if (values.against) builds.against = await loadBuild(resolve(values.against));

const server = new MockMessagesServer({ apiKey: KEY, rejectSamplingParams: false });
await server.start();
const measured: Record<string, Array<{ wall: number; cpu: number }>> = Object.fromEntries(Object.keys(builds).map((k) => [k, []]));

for (let round = 0; round < rounds; round++) {
  const names = Object.keys(builds);
  for (const name of round % 2 ? names.reverse() : names) {
    const build = builds[name]!;
    const experiment = build.parse({
      name: 'bench-trial-latency',
      seed: 1,
      model: 'anthropic:claude-haiku-4-5',
      suites: ['legal-drafting'],
      arms: ['stateless'],
      sessions: 1,
      tasks_per_session: cases,
      replicates: 1,
      concurrency,
    });
    const runDir = join(tmpdir(), `dreambench-bench-latency-${process.pid}-${name}-${round}`);
    const started = performance.now();
    const cpu = process.cpuUsage();
    await build.executeRun({
      runDir,
      experiment,
      modelFactory: (spec: string) =>
        build.createAnthropicModel(spec.replace(/^anthropic:/, ''), { apiKey: KEY, baseURL: server.url, maxRetries: 0 }),
    });
    const used = process.cpuUsage(cpu);
    measured[name]!.push({ wall: (performance.now() - started) / cases, cpu: (used.user + used.system) / 1000 / cases });
    rmSync(runDir, { recursive: true, force: true });
  }
}
await server.close();

function median(list: readonly number[]): number {
  const sorted = [...list].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
const ms = (value: number): number => Number(value.toFixed(2));
const results = Object.fromEntries(
  Object.entries(measured).map(([name, list]) => {
    const warm = list.slice(1);
    return [
      name,
      {
        median_ms_per_case: ms(median(warm.map((r) => r.wall))),
        best_ms_per_case: ms(Math.min(...warm.map((r) => r.wall))),
        median_cpu_ms_per_case: ms(median(warm.map((r) => r.cpu))),
      },
    ];
  }),
);
console.log(
  JSON.stringify({ cases, concurrency, rounds, ...(values.against ? { against: resolve(values.against) } : {}), results }, null, 2),
);
