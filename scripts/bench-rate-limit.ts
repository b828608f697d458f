// Rate-limit benchmark: a whole experiment with `anthropic:<model>` through the real SDK
// against the local mock Messages server enforcing a per-minute limit with a sliding 60 s window
// (429 + retry-after + anthropic-ratelimit-* headers), the model answering like the sim agent.
// The limits come from the experiment's `rate_limits`, through the same code path as a real run
// (harness/models/registry.ts), with the SDK's retries switched OFF: a single 429 would fail a
// trial as `infra`, so "no trial failed by a 429" is checked, not assumed.
//
//   npm run build:dev && node dist-dev/scripts/bench-rate-limit.js [--seconds 75] [--rpm 600] [--itpm 60000] [--concurrency 16]
//
// Two scenarios: requests-bound (rpm) and input-tokens-bound (itpm, with the rpm set high).
// Reports achieved requests (or tokens) per minute against the allowance over the steady state
// (first to last request), the busiest 60 s window the server saw, 429s and infra trials.

import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { experimentSchema } from '../harness/config/schema.js';
import { executeRun } from '../harness/runner/runner.js';
import { MockMessagesServer } from '../harness/testing/mock-messages-server.js';
import { simBackedHandler } from '../harness/testing/sim-backed-handler.js';
import { SimModel } from '../harness/models/sim/sim-model.js';
import { loadSuites } from '../harness/registry/suites.js';
import { createAnthropicModel } from '../harness/models/anthropic/anthropic-model.js';
import { RateLimiterRegistry } from '../harness/models/rate-limit.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '75' },
    rpm: { type: 'string', default: '600' },
    itpm: { type: 'string', default: '200000' },
    concurrency: { type: 'string', default: '16' },
    scenario: { type: 'string', default: 'both' },
  },
});
const seconds = Number(values.seconds);
const concurrency = Number(values.concurrency);
const KEY = 'sk-ant-bench-rate-limit';
const WINDOW_MS = 60_000;

const suites = await loadSuites(['legal-drafting']);
const handler = simBackedHandler({ suite: 'legal-drafting', model: new SimModel('default', suites) });

interface Result {
  scenario: string;
  limit: string;
  allowed_per_min: number;
  achieved_per_min: number;
  ratio: number;
  busiest_60s_window: number;
  requests: number;
  trials: number;
  http_429: number;
  infra_trials: number;
  wall_s: number;
}

async function scenario(name: 'rpm' | 'itpm'): Promise<Result> {
  const rpm = Number(values.rpm);
  const itpm = Number(values.itpm);
  const limit = name === 'rpm' ? { rpm } : { rpm: rpm * 100, itpm };
  const server = new MockMessagesServer({ apiKey: KEY, handler, rateLimit: { ...limit, windowMs: WINDOW_MS } });
  await server.start();
  // ~5 requests per trial: size the experiment to outlast the measuring time.
  const perSecond = name === 'rpm' ? rpm / 60 : itpm / 60 / 2000;
  const trials = Math.ceil((perSecond * seconds) / 4.5);
  const tasksPerSession = Math.ceil(trials / (2 * 2 * 3));
  const experiment = experimentSchema.parse({
    name: `bench-rate-limit-${name}`,
    seed: 1,
    model: 'anthropic:claude-haiku-4-5',
    suites: ['legal-drafting'],
    arms: ['stateless', 'learnings-md'],
    sessions: 3,
    tasks_per_session: tasksPerSession,
    replicates: 2,
    concurrency,
    rate_limits: { 'anthropic:': limit },
  });
  const runDir = join(tmpdir(), `dreambench-bench-rl-${name}-${process.pid}`);
  // The limiters a run builds from `rate_limits` (one per model spec), and the model the registry
  // would build, except for the SDK's retries: none, so a 429 would end its trial as `infra`.
  const rateLimiters = new RateLimiterRegistry(experiment.rate_limits);
  const started = performance.now();
  const outcome = await executeRun({
    runDir,
    experiment,
    rateLimiters,
    modelFactory: (spec) =>
      createAnthropicModel(spec.replace(/^anthropic:/, ''), {
        apiKey: KEY,
        baseURL: server.url,
        maxRetries: 0,
        rateLimiter: rateLimiters.for(spec),
      }),
  });
  const wall = (performance.now() - started) / 1000;
  const served = server.requests.filter((r) => r.path === '/v1/messages' && r.status === 200);
  const times = served.map((r) => r.receivedAt).sort((a, b) => a - b);
  const span = (times.at(-1)! - times[0]!) / 60_000;
  let achieved: number;
  let allowed: number;
  let busiest = 0;
  if (name === 'rpm') {
    achieved = (times.length - 1) / span;
    allowed = rpm;
    let start = 0;
    for (let end = 0; end < times.length; end++) {
      while (times[end]! - times[start]! >= WINDOW_MS) start++;
      busiest = Math.max(busiest, end - start + 1);
    }
  } else {
    // Input tokens as the server counted them (input plus cache writes of the usage it reported),
    // less the last request's (it falls at the end of the span).
    const counted = served.map((r) => (r.usage ? r.usage.input_tokens + (r.usage.cache_creation_input_tokens ?? 0) : 0));
    achieved = (counted.reduce((a, b) => a + b, 0) - counted.at(-1)!) / span;
    allowed = itpm;
    let start = 0;
    let inWindow = 0;
    const byTime = served.map((r, i) => ({ at: r.receivedAt, tokens: counted[i]! })).sort((a, b) => a.at - b.at);
    for (let end = 0; end < byTime.length; end++) {
      inWindow += byTime[end]!.tokens;
      while (byTime[end]!.at - byTime[start]!.at >= WINDOW_MS) inWindow -= byTime[start++]!.tokens;
      busiest = Math.max(busiest, inWindow);
    }
  }
  const records = outcome.trials; // read before the run directory goes
  await server.close();
  rmSync(runDir, { recursive: true, force: true });
  return {
    scenario: name === 'rpm' ? 'requests-bound' : 'input-tokens-bound',
    limit: name === 'rpm' ? `${rpm} requests/min` : `${itpm} input tokens/min`,
    allowed_per_min: allowed,
    achieved_per_min: Math.round(achieved),
    ratio: Number((achieved / allowed).toFixed(3)),
    busiest_60s_window: busiest,
    requests: server.requests.length,
    trials: records.length,
    http_429: server.requests.filter((r) => r.status === 429).length,
    infra_trials: records.filter((t) => t.error_class === 'infra').length,
    wall_s: Number(wall.toFixed(1)),
  };
}

const results: Result[] = [];
if (values.scenario === 'both' || values.scenario === 'rpm') results.push(await scenario('rpm'));
if (values.scenario === 'both' || values.scenario === 'itpm') results.push(await scenario('itpm'));
console.log(
  JSON.stringify(
    { concurrency, window_s: WINDOW_MS / 1000, sdk_retries: 0, results, goal: 'ratio >= 0.95 with http_429 = 0 and infra_trials = 0' },
    null,
    2,
  ),
);
