// Scale-out benchmark: how a distributed run's request rate grows with worker processes, and that
// the fleet holds at the API's limit (and never above it) once it is reached. Everything runs as a
// user would run it: Debian's redis-server on loopback, `dreambench run --executor bullmq` as the
// coordinator process and 1, 2, 4, 8 `dreambench worker` processes, all calling `anthropic:` through
// the real SDK against the local mock Messages server, which answers like the sim agent after 1-3 s
// (a realistic model latency) and enforces a per-minute request limit with a sliding 60 s window.
// The fleet shares one rate limiter in Redis; no worker is given a --rate-share.
//
//   npm run build && npm run bench:scale-out             # 75 s measured per fleet size (plus process start-up)
//   npm run build && npm run bench:scale-out -- --quick  # 30 s measured per fleet size
//   options: --seconds N  --rpm N (default 600)  --workers 1,2,4,8  --concurrency N (trials per worker, default 4)
//
// Per fleet size: requests per minute served over the measured span (`seconds` after a 5 s ramp from the first request), the
// busiest 60 s window the server saw, and the 429s it answered. Sim-backed answers: the figures
// describe the harness's pacing, not any real model.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { MockMessagesServer, type MockHandler } from '../harness/testing/mock-messages-server.js';
import { simBackedHandler } from '../harness/testing/sim-backed-handler.js';
import { SimModel } from '../harness/models/sim/sim-model.js';
import { loadSuites } from '../harness/registry/suites.js';
import { startRedis } from '../harness/testing/redis-server.js';
import { startCli } from '../harness/testing/worker-process.js';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    seconds: { type: 'string' },
    rpm: { type: 'string', default: '600' },
    workers: { type: 'string', default: '1,2,4,8' },
    concurrency: { type: 'string', default: '4' },
  },
});
const seconds = Number(values.seconds ?? (values.quick ? 30 : 75));
const rpm = Number(values.rpm);
const perWorker = Number(values.concurrency);
const fleets = values.workers.split(',').map(Number);
const KEY = 'sk-ant-bench-scale-out';
const RAMP_MS = 5_000;
const WINDOW_MS = 60_000;

/** Deterministic 1-3 s latency by request position (a small hash, not Math.random). */
function latencyMs(index: number): number {
  const x = Math.sin(index * 12.9898 + 78.233) * 43758.5453;
  return 1_000 + Math.floor((x - Math.floor(x)) * 2_000);
}

const suites = await loadSuites(['legal-drafting']);
const sim = simBackedHandler({ suite: 'legal-drafting', model: new SimModel('default', suites) });
const served: number[] = [];
const handler: MockHandler = async (body, info) => {
  const reply = await sim(body, info);
  served.push(Date.now());
  return reply.kind === 'message' ? { ...reply, delayMs: latencyMs(info.index) } : reply;
};

const redis = await startRedis();
const server = new MockMessagesServer({ apiKey: KEY, handler });
await server.start();
const env = { ...process.env, ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: server.url };
const work = mkdtempSync(join(tmpdir(), 'dreambench-scale-out-'));

interface Row {
  workers: number;
  rpm_limit: number;
  achieved_rpm: number;
  of_limit: number;
  busiest_60s_window: number;
  http_429: number;
  requests: number;
}

async function fleet(size: number): Promise<Row> {
  const queue = `scale-${size}-${Date.now()}`;
  served.length = 0;
  server.reset();
  server.setRateLimit({ rpm, windowMs: WINDOW_MS });
  const workers = Array.from({ length: size }, () =>
    startCli(['worker', '--redis', redis.url, '--queue', queue, '--concurrency', String(perWorker)], { env }),
  );
  await Promise.all(workers.map((w) => w.waitFor(/^worker ready/)));
  // Enough trials to outlast the measurement at the limit (about 5 requests per trial).
  const file = join(work, `${queue}.json`);
  const chains = 8;
  writeFileSync(
    file,
    JSON.stringify({
      name: queue,
      seed: 1,
      model: 'anthropic:claude-haiku-4-5',
      suites: ['legal-drafting'],
      arms: ['stateless'],
      sessions: 20,
      tasks_per_session: 8,
      replicates: chains,
      concurrency: chains * 8,
      rate_limits: { 'anthropic:': { rpm } },
    }),
  );
  const coordinator = startCli(
    ['run', file, '--executor', 'bullmq', '--redis', redis.url, '--queue', queue, '--out', join(work, queue), '--progress', 'none'],
    { env },
  );
  // The clock starts at the first request (processes start slowly on a loaded machine), then runs `seconds` past the ramp.
  const startBy = Date.now() + 120_000;
  while (served.length === 0 && Date.now() < startBy) await new Promise((resolve) => setTimeout(resolve, 100));
  if (served.length === 0) throw new Error(`no request within 120 s: ${coordinator.output}`);
  await new Promise((resolve) => setTimeout(resolve, RAMP_MS + seconds * 1000));
  if (coordinator.child.exitCode !== null) throw new Error(`the coordinator ended early: ${coordinator.output}`);
  coordinator.child.kill('SIGKILL');
  for (const worker of workers) worker.child.kill('SIGKILL');
  await new Promise((resolve) => setTimeout(resolve, 500));
  const times = [...served].sort((a, b) => a - b);
  const from = (times[0] ?? 0) + RAMP_MS;
  const measured = times.filter((t) => t >= from);
  const spanMin = measured.length > 1 ? (measured.at(-1)! - measured[0]!) / 60_000 : 1;
  let busiest = 0;
  let start = 0;
  for (let end = 0; end < times.length; end++) {
    while (times[end]! - times[start]! >= WINDOW_MS) start++;
    busiest = Math.max(busiest, end - start + 1);
  }
  const achieved = (measured.length - 1) / spanMin;
  return {
    workers: size,
    rpm_limit: rpm,
    achieved_rpm: Math.round(achieved),
    of_limit: Number((achieved / rpm).toFixed(3)),
    busiest_60s_window: busiest,
    http_429: server.rateLimitStats.rejected,
    requests: times.length,
  };
}

const rows: Row[] = [];
try {
  for (const size of fleets) {
    const row = await fleet(size);
    rows.push(row);
    process.stderr.write(`${JSON.stringify(row)}\n`);
  }
} finally {
  await server.close();
  await redis.stop();
  rmSync(work, { recursive: true, force: true });
}
console.log(
  JSON.stringify(
    {
      seconds_per_fleet: seconds,
      trials_per_worker: perWorker,
      latency: '1-3 s per request',
      rows,
      goal: 'achieved_rpm grows with workers until the limit, then holds at >= 95% of it; busiest_60s_window <= rpm_limit; http_429 = 0',
      note: 'sim-backed mock answers: these figures describe the harness, not any real model',
    },
    null,
    2,
  ),
);
process.exit(0);
