// dreambench vs promptfoo, side by side in one run: the same number of single-turn cases,
// each one request to the same local zero-latency mock Messages server (through each tool's own
// Anthropic client) and one deterministic check, at the same concurrency. Reported: wall time and
// milliseconds per case for each, and the ratio (promptfoo's time per case / dreambench's; above 1
// means dreambench is faster per case).
//
// promptfoo is not a dependency of dreambench (its ~600 packages would slow every CI install): it
// is pinned in scripts/bench-promptfoo/package.json and its lock file. Install it first with
//
//   npm ci --prefix scripts/bench-promptfoo
//   npm run build:dev && node dist-dev/scripts/bench-promptfoo.js [--cases 500] [--concurrency 4,16] [--rounds 2]
//
// A dreambench case is a whole trial: schedule slot, fresh workspace and suite environment, agent
// loop (one model call: the mock answers with text, so the agent stops after one turn), the suite's
// checker, a transcript file and a trials.jsonl record. A promptfoo case is a prompt rendered from
// vars, one provider call and a `contains` assertion, results kept in memory (no database write).
// Neither tool's response cache is used. Rounds alternate the order (dreambench first, then
// promptfoo first) and the best round of each is kept, so neither gets a warm-up advantage.

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
    concurrency: { type: 'string', default: '4,16' },
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

async function runDreambench(concurrency: number): Promise<{ seconds: number; passed: number; requests: number }> {
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
  const outcome = await executeRun({
    runDir,
    experiment,
    modelFactory: (spec) => createAnthropicModel(spec.replace(/^anthropic:/, ''), { apiKey: KEY, baseURL: server.url, maxRetries: 0 }),
  });
  const seconds = (performance.now() - started) / 1000;
  rmSync(runDir, { recursive: true, force: true });
  if (outcome.trials.length !== cases) throw new Error(`dreambench ran ${outcome.trials.length} trials, expected ${cases}`);
  return { seconds, passed: outcome.trials.filter((t) => t.error_class !== 'infra').length, requests: server.requests.length - before };
}

async function runPromptfoo(concurrency: number): Promise<{ seconds: number; passed: number; requests: number }> {
  const before = server.requests.length;
  const started = performance.now();
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
  const summary = await result.toEvaluateSummary();
  return { seconds, passed: summary.results.filter((r) => r.success).length, requests: server.requests.length - before };
}

const rows: unknown[] = [];
for (const concurrency of values.concurrency!.split(',').map(Number)) {
  let best = { dreambench: Infinity, promptfoo: Infinity };
  let checks = { dreambench: 0, promptfoo: 0, dreambenchRequests: 0, promptfooRequests: 0 };
  for (let round = 0; round < Number(values.rounds); round++) {
    const order = round % 2 === 0 ? (['dreambench', 'promptfoo'] as const) : (['promptfoo', 'dreambench'] as const);
    for (const tool of order) {
      const r = tool === 'dreambench' ? await runDreambench(concurrency) : await runPromptfoo(concurrency);
      best[tool] = Math.min(best[tool], r.seconds);
      if (tool === 'dreambench') checks = { ...checks, dreambench: r.passed, dreambenchRequests: r.requests };
      else checks = { ...checks, promptfoo: r.passed, promptfooRequests: r.requests };
      process.stderr.write(`concurrency ${concurrency} round ${round + 1}: ${tool} ${r.seconds.toFixed(2)} s (${r.requests} requests)\n`);
    }
  }
  rows.push({
    concurrency,
    cases,
    dreambench: {
      wall_s: Number(best.dreambench.toFixed(2)),
      ms_per_case: Number(((best.dreambench * 1000) / cases).toFixed(2)),
      requests: checks.dreambenchRequests,
      completed: checks.dreambench,
    },
    promptfoo: {
      wall_s: Number(best.promptfoo.toFixed(2)),
      ms_per_case: Number(((best.promptfoo * 1000) / cases).toFixed(2)),
      requests: checks.promptfooRequests,
      passed: checks.promptfoo,
    },
    ratio_promptfoo_over_dreambench: Number((best.promptfoo / best.dreambench).toFixed(2)),
  });
  best = { dreambench: Infinity, promptfoo: Infinity };
}
await server.close();
rmSync(promptfooHome, { recursive: true, force: true });
console.log(
  JSON.stringify(
    { promptfoo_version: '0.121.20', node: process.version, rows, goal: 'ratio >= 1 (dreambench at least as fast per case)' },
    null,
    2,
  ),
);
