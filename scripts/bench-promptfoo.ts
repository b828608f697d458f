// dreambench vs promptfoo, side by side in one run: the same number of single-turn cases,
// each one request to the same local zero-latency mock Messages server (through each tool's own
// Anthropic client) and one deterministic check, at the same concurrency. Reported: wall time and
// milliseconds per case for each (best and median of the rounds, wall and CPU), and the ratios
// (promptfoo's time per case / dreambench's; above 1 means dreambench is faster per case). On a
// shared machine the wall times swing with other jobs; the CPU time of each run moves less.
//
// promptfoo is not a dependency of dreambench (its ~600 packages would slow every CI install): it
// is pinned in scripts/bench-promptfoo/package.json and its lock file. Install it first with
//
//   npm ci --prefix scripts/bench-promptfoo --ignore-scripts
//   npm run build:dev && node dist-dev/scripts/bench-promptfoo.js [--cases 500] [--concurrency 1,4,16] [--rounds 2]
//
// A dreambench case is a whole trial: schedule slot, fresh workspace and suite environment, agent
// loop (one model call: the mock answers with text, so the agent stops after one turn), the suite's
// checker, a transcript file and a trials.jsonl record. A promptfoo case is a prompt rendered from
// vars, one provider call and a `contains` assertion, results kept in memory (no database write).
// Neither tool's response cache is used. Rounds alternate the order (dreambench first, then
// promptfoo first), so neither gets a warm-up advantage.

import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { experimentSchema } from '../harness/config/schema.js';
import { executeRun } from '../harness/runner/runner.js';
import { createAnthropicModel } from '../harness/models/anthropic/anthropic-model.js';
import { MockMessagesServer } from '../harness/testing/mock-messages-server.js';
import { sourcePath } from '../harness/core/paths.js';

const { values } = parseArgs({
  options: {
    cases: { type: 'string', default: '500' },
    concurrency: { type: 'string', default: '1,4,16' },
    rounds: { type: 'string', default: '2' },
  },
});
const cases = Number(values.cases);
const KEY = 'sk-ant-bench-promptfoo';
const MODEL = 'claude-haiku-4-5';

const promptfooEntry = sourcePath('scripts/bench-promptfoo/node_modules/promptfoo/dist/src/index.js');
if (!existsSync(promptfooEntry)) {
  process.stderr.write('promptfoo is not installed for this benchmark: run `npm ci --prefix scripts/bench-promptfoo` first.\n');
  process.exit(2);
}
// promptfoo: no telemetry, no update check, its config and database in a temporary folder.
const promptfooHome = mkdtempSync(join(tmpdir(), 'dreambench-promptfoo-'));
Object.assign(process.env, {
  PROMPTFOO_DISABLE_TELEMETRY: '1',
  PROMPTFOO_DISABLE_UPDATE: '1',
  PROMPTFOO_CONFIG_DIR: promptfooHome,
  PROMPTFOO_CACHE_ENABLED: 'false',
  PROMPTFOO_DISABLE_SHARING: '1',
  LOG_LEVEL: 'error',
});
const promptfoo = (await import(pathToFileURL(promptfooEntry).href)) as {
  evaluate: (
    suite: Record<string, unknown>,
    options: Record<string, unknown>,
  ) => Promise<{ toEvaluateSummary(): Promise<{ results: Array<{ success: boolean }> }> }>;
};

// promptfoo sends temperature; the mock's API-version check would refuse it, so it is off here.
const server = new MockMessagesServer({ apiKey: KEY, rejectSamplingParams: false });
await server.start();

interface Measured {
  seconds: number;
  /** CPU time of this process during the run (user + system), the mock server's share included (the same for both tools). */
  cpuSeconds: number;
  passed: number;
  requests: number;
}

async function runDreambench(concurrency: number): Promise<Measured> {
  const experiment = experimentSchema.parse({
    name: 'bench-vs-promptfoo',
    seed: 1,
    model: `anthropic:${MODEL}`,
    suites: ['legal-drafting'],
    arms: ['stateless'],
    sessions: 1,
    tasks_per_session: cases,
    replicates: 1,
    concurrency,
  });
  const runDir = join(tmpdir(), `dreambench-bench-pf-${process.pid}-${concurrency}-${Date.now()}`);
  const before = server.requests.length;
  const started = performance.now();
  const cpu = process.cpuUsage();
  const outcome = await executeRun({
    runDir,
    experiment,
    modelFactory: (spec) => createAnthropicModel(spec.replace(/^anthropic:/, ''), { apiKey: KEY, baseURL: server.url, maxRetries: 0 }),
  });
  const seconds = (performance.now() - started) / 1000;
  const cpuSeconds = cpuSecondsSince(cpu);
  const trials = outcome.trials; // read before the run directory goes
  rmSync(runDir, { recursive: true, force: true });
  if (trials.length !== cases) throw new Error(`dreambench ran ${trials.length} trials, expected ${cases}`);
  return {
    seconds,
    cpuSeconds,
    passed: trials.filter((t) => t.error_class !== 'infra').length,
    requests: server.requests.length - before,
  };
}

async function runPromptfoo(concurrency: number): Promise<Measured> {
  const before = server.requests.length;
  const started = performance.now();
  const cpu = process.cpuUsage();
  const result = await promptfoo.evaluate(
    {
      prompts: ['Answer the question: {{question}}'],
      providers: [{ id: `anthropic:messages:${MODEL}`, config: { apiBaseUrl: server.url, apiKey: KEY, max_tokens: 256 } }],
      tests: Array.from({ length: cases }, (_, i) => ({ vars: { question: `case ${i}` }, assert: [{ type: 'contains', value: 'ok' }] })),
      writeLatestResults: false,
    },
    { maxConcurrency: concurrency, cache: false, showProgressBar: false },
  );
  const seconds = (performance.now() - started) / 1000;
  const cpuSeconds = cpuSecondsSince(cpu);
  const summary = await result.toEvaluateSummary();
  return { seconds, cpuSeconds, passed: summary.results.filter((r) => r.success).length, requests: server.requests.length - before };
}

function cpuSecondsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const perCase = (seconds: number): number => Number(((seconds * 1000) / cases).toFixed(2));

const rows: unknown[] = [];
for (const concurrency of values.concurrency!.split(',').map(Number)) {
  const runs = { dreambench: [] as Measured[], promptfoo: [] as Measured[] };
  for (let round = 0; round < Number(values.rounds); round++) {
    const order = round % 2 === 0 ? (['dreambench', 'promptfoo'] as const) : (['promptfoo', 'dreambench'] as const);
    for (const tool of order) {
      const r = tool === 'dreambench' ? await runDreambench(concurrency) : await runPromptfoo(concurrency);
      runs[tool].push(r);
      process.stderr.write(
        `concurrency ${concurrency} round ${round + 1}: ${tool} ${r.seconds.toFixed(2)} s, ${r.cpuSeconds.toFixed(2)} s CPU (${r.requests} requests)\n`,
      );
    }
  }
  const summary = (tool: keyof typeof runs) => {
    const wall = runs[tool].map((r) => r.seconds);
    const cpu = runs[tool].map((r) => r.cpuSeconds);
    const last = runs[tool].at(-1)!;
    return {
      best_ms_per_case: perCase(Math.min(...wall)),
      median_ms_per_case: perCase(median(wall)),
      median_cpu_ms_per_case: perCase(median(cpu)),
      requests: last.requests,
      [tool === 'dreambench' ? 'completed' : 'passed']: last.passed,
    };
  };
  const ratio = (f: (r: Measured) => number, pick: (v: number[]) => number): number =>
    Number((pick(runs.promptfoo.map(f)) / pick(runs.dreambench.map(f))).toFixed(2));
  rows.push({
    concurrency,
    cases,
    dreambench: summary('dreambench'),
    promptfoo: summary('promptfoo'),
    // Above 1: dreambench takes less time per case than promptfoo.
    ratio_best: ratio(
      (r) => r.seconds,
      (v) => Math.min(...v),
    ),
    ratio_median: ratio((r) => r.seconds, median),
    ratio_median_cpu: ratio((r) => r.cpuSeconds, median),
  });
}
await server.close();
rmSync(promptfooHome, { recursive: true, force: true });
console.log(
  JSON.stringify(
    {
      promptfoo_version: '0.121.20',
      node: process.version,
      rows,
      goal: 'ratio >= 1.2 at every concurrency (dreambench at least 1.2x as fast per case)',
    },
    null,
    2,
  ),
);
