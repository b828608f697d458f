// Prompt-cache benchmark: how much of the prefix each turn re-sends is read from the cache, per arm,
// under dreambench's one caching policy (harness/models/anthropic/cache-policy.ts). Every arm runs a
// small experiment with `anthropic:<model>` through the real SDK against the local mock Messages
// server, which simulates the API's prompt cache (breakpoints, 20-block lookback, each model's
// minimum cacheable length from model-facts.json) and answers like the sim agent.
//
//   npm run build && npm run bench:cache -- [--models claude-sonnet-5,claude-opus-5] [--sessions 2] [--tasks 3]
//
// Cache efficiency = cache-read tokens / prefix tokens re-sent, over turns 2.. of every trial's
// conversations (TrialRecord.cache_prefix). The mock's token counts are estimates (4 characters per
// token) and its agent is the sim: these figures measure the harness's caching, never a real model.

import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { experimentSchema } from '../harness/config/schema.js';
import { executeRun } from '../harness/runner/runner.js';
import { createAnthropicModel } from '../harness/models/anthropic/anthropic-model.js';
import { factsFor, resolveModelSettings } from '../harness/models/anthropic/model-facts.js';
import { MockMessagesServer } from '../harness/testing/mock-messages-server.js';
import { simBackedHandler } from '../harness/testing/sim-backed-handler.js';
import { SimModel } from '../harness/models/sim/sim-model.js';
import { loadSuites } from '../harness/registry/suites.js';

const { values } = parseArgs({
  options: {
    models: { type: 'string', default: 'claude-sonnet-5,claude-opus-5,claude-fable-5-1' },
    arms: { type: 'string', default: 'stateless,learnings-md,reflexion,outcomes,skills,dreaming' },
    suite: { type: 'string', default: 'legal-drafting' },
    sessions: { type: 'string', default: '2' },
    tasks: { type: 'string', default: '3' },
  },
});
const KEY = 'sk-ant-bench-cache';
const arms = values.arms!.split(',');
const suites = await loadSuites([values.suite!]);

console.log("Prompt-cache efficiency per arm (mock Messages server answering like the sim agent; harness figures, not a model's)\n");
console.log('| Model | Minimum cacheable | Arm | Multi-turn trials | Re-sent prefix tokens | Read from cache | Efficiency |');
console.log('|---|---|---|---|---|---|---|');
let worst = 1;
for (const id of values.models!.split(',')) {
  const facts = factsFor(id);
  const min = resolveModelSettings(id).settings.minCacheTokens;
  const server = new MockMessagesServer({
    apiKey: KEY,
    models: {
      [id]: {
        ...(facts && facts.thinking !== 'manual'
          ? { thinking: facts.thinking === 'always' ? ('always' as const) : ('adaptive' as const) }
          : {}),
        minCacheTokens: min,
      },
    },
    promptCache: {},
    handler: simBackedHandler({ suite: values.suite!, model: new SimModel('default', suites) }),
  });
  await server.start();
  try {
    const experiment = experimentSchema.parse({
      name: `bench-cache-${id}`,
      seed: 7,
      model: `anthropic:${id}`,
      suites: [values.suite],
      arms,
      sessions: Number(values.sessions),
      tasks_per_session: Number(values.tasks),
      concurrency: 1,
      budgets: { max_output_tokens: 16_000 },
    });
    const runDir = join(tmpdir(), `dreambench-bench-cache-${process.pid}-${id}`);
    const outcome = await executeRun({
      runDir,
      experiment,
      modelFactory: (spec) => createAnthropicModel(spec.replace(/^anthropic:/, ''), { apiKey: KEY, baseURL: server.url, maxRetries: 0 }),
    });
    const records = outcome.trials; // read before the run directory goes
    rmSync(runDir, { recursive: true, force: true });
    for (const arm of arms) {
      const trials = records.filter((t) => t.arm === arm && t.cache_prefix);
      const resent = trials.reduce((sum, t) => sum + t.cache_prefix!.resent_tokens, 0);
      const read = trials.reduce((sum, t) => sum + t.cache_prefix!.read_tokens, 0);
      const efficiency = resent > 0 ? read / resent : NaN;
      if (Number.isFinite(efficiency)) worst = Math.min(worst, efficiency);
      console.log(
        `| ${id} | ${min}${facts?.min_cache_tokens === null ? ' (assumed)' : ''} | ${arm} | ${trials.length} | ${resent} | ${read} | ${(efficiency * 100).toFixed(1)}% |`,
      );
    }
  } finally {
    await server.close();
  }
}
console.log(`\nLowest efficiency over every model and arm: ${(worst * 100).toFixed(1)}% (goal: at least 80%).`);
if (worst < 0.8) process.exitCode = 1;
