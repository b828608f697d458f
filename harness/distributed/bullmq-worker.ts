// A `dreambench worker`: takes trial jobs from the queue and runs them in this process.
//
// Stopping never depends on Redis: `close()` stops taking jobs, gives the trials in flight a short
// grace (default 5 s) to finish, then hands the rest back to the queue (or, with Redis gone, lets
// their locks expire so another worker takes them), and gives up on any Redis command after a few
// seconds. A fleet can scale down by itself: `idleExitMs` calls `onIdle` after that long with no job.
//
// While Redis is unreachable the worker says so once (and once when it is back); its connections
// retry with backoff (redis-link.ts). Rate limits: by default the worker keeps each model's token
// buckets in Redis, shared with the coordinator and every other worker (redis-buckets.ts), so
// workers may join or leave at any time; `rateShare` instead gives this process its own limiter
// at that fraction of the experiment's rate_limits.

import { hostname } from 'node:os';
import { WaitingError, Worker, type Job } from 'bullmq';
import { RateLimiterRegistry, type RateLimitsConfig } from '../models/rate-limit.js';
import { trialId } from '../core/records.js';
import { loadRunSuites, localExecutor, prepareRun, type RunSetup, type TrialResult } from '../runner/executor.js';
import { DEFAULT_QUEUE, JOB_FORMAT, rateKeyPrefix, type TrialJobData } from './trial-jobs.js';
import { bullmqConnection, describeRedis, isConnectionError, openRedisLink } from './redis-link.js';
import { redisBucketsFor } from './redis-buckets.js';

export interface WorkerOptions {
  redisUrl: string;
  queue?: string;
  /** Trials in flight in this worker. Default 4. */
  concurrency?: number;
  /** Job lock: a killed worker's job goes back to the queue after about this long. Default 30,000 ms. */
  lockMs?: number;
  /** Use this fraction of the experiment's rate limits in this process alone, instead of the limiter shared in Redis. */
  rateShare?: number;
  /** On close, how long trials in flight may take to finish before they go back to the queue. Default 5,000 ms. */
  stopGraceMs?: number;
  /** Call `onIdle` once no job has run for this long. */
  idleExitMs?: number;
  onIdle?: () => void;
  /** Status lines, and a line per job started and finished (job id and trial). */
  log?: (line: string) => void;
}

export interface RunningWorker {
  worker: Worker<TrialJobData, TrialResult>;
  /** Trials running now. */
  inFlight(): number;
  close(): Promise<void>;
}

function scaleLimits(config: RateLimitsConfig | undefined, share: number): RateLimitsConfig | undefined {
  if (!config || share === 1) return config;
  const out: RateLimitsConfig = {};
  for (const [key, spec] of Object.entries(config)) {
    out[key] = Object.fromEntries(Object.entries(spec).map(([k, v]) => [k, Math.max(1, Math.floor((v as number) * share))]));
  }
  return out;
}

/** Resolves after `ms` or when `promise` settles, whichever is first (never rejects). */
function atMost(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.then(
      () => undefined,
      () => undefined,
    ),
    new Promise<void>((resolve) => (timer = setTimeout(resolve, ms))),
  ]).finally(() => clearTimeout(timer));
}

export async function startWorker(options: WorkerOptions): Promise<RunningWorker> {
  const name = options.queue ?? DEFAULT_QUEUE;
  const lockMs = options.lockMs ?? 30_000;
  const log = options.log ?? (() => undefined);
  const where = describeRedis(options.redisUrl);
  const link = await openRedisLink(options.redisUrl, {
    onChange: (up, reason) =>
      log(
        up
          ? `Redis at ${where} is reachable again: taking jobs`
          : `Redis at ${where} is unreachable (${reason ?? 'connection lost'}); retrying with backoff up to 10 s; trials in flight keep running`,
      ),
  });
  const shared = options.rateShare === undefined;

  // One setup per run (suites, arms, models, rate limiters), kept while the worker lives; few runs at once.
  const setups = new Map<string, Promise<RunSetup>>();
  const setupFor = (run: TrialJobData['run']): Promise<RunSetup> => {
    let setup = setups.get(run.key);
    if (!setup) {
      setup = (async () => {
        const suites = await loadRunSuites(run.experiment);
        const rateLimiters = new RateLimiterRegistry(
          shared ? run.experiment.rate_limits : scaleLimits(run.experiment.rate_limits, options.rateShare ?? 1),
        );
        if (shared) rateLimiters.useShared(redisBucketsFor(link.client, { prefix: rateKeyPrefix(name) }));
        return prepareRun(run.experiment, suites, {
          rateLimiters,
          ...(run.cache ? { cache: { dir: run.cache.dir, mode: run.cache.mode } } : {}),
        });
      })();
      setup.catch(() => setups.delete(run.key));
      setups.set(run.key, setup);
      while (setups.size > 8) {
        const oldest = setups.keys().next().value as string;
        void setups.get(oldest)?.then((s) => s.close());
        setups.delete(oldest);
      }
    }
    return setup;
  };

  let active = 0;
  let lastActivity = Date.now();
  let closing: Promise<void> | undefined;
  // Resolved when the grace is over: trials still running are handed back to the queue.
  let releaseNow: () => void = () => undefined;
  const released = new Promise<'release'>((resolve) => (releaseNow = () => resolve('release')));

  const processTrial = async (job: Job<TrialJobData, TrialResult>, token?: string): Promise<TrialResult> => {
    if (job.data.format !== JOB_FORMAT) throw new Error(`job ${job.id}: unknown job format ${String(job.data.format)}`);
    const trial = trialId(job.data.job.key);
    active++;
    lastActivity = Date.now();
    log(`start ${job.id} ${trial} attempt ${job.attemptsMade + 1}`);
    try {
      const running = setupFor(job.data.run).then((setup) => localExecutor(setup).runTrial(job.data.job));
      running.catch(() => undefined);
      const outcome = await Promise.race([running, released]);
      if (outcome === 'release') {
        // Stopping: the trial goes back to the queue for another worker (from the start: it is a pure function of its job).
        await atMost(job.moveToWait(token), 2_000);
        log(`released ${job.id} ${trial}`);
        throw new WaitingError();
      }
      log(`done ${job.id} ${trial} ${outcome.record.error_class}`);
      return outcome;
    } finally {
      active--;
      lastActivity = Date.now();
    }
  };

  const worker = new Worker<TrialJobData, TrialResult>(name, processTrial, {
    connection: bullmqConnection(options.redisUrl),
    concurrency: options.concurrency ?? 4,
    lockDuration: lockMs,
    stalledInterval: Math.max(500, Math.floor(lockMs / 2)),
    maxStalledCount: 5,
    name: `${hostname()}:${process.pid}`,
  });
  worker.on('failed', (job, error) => {
    if (!(error instanceof WaitingError)) log(`failed ${job?.id ?? '?'} ${error.message}`);
  });
  // Connection errors repeat on every retry: the link reports the outage once. Others once a minute each.
  const reported = new Map<string, number>();
  worker.on('error', (error) => {
    if (isConnectionError(error) || !link.up) return;
    const last = reported.get(error.message) ?? 0;
    if (Date.now() - last < 60_000) return;
    reported.set(error.message, Date.now());
    log(`error ${error.message}`);
  });
  await worker.waitUntilReady();

  let idleTimer: NodeJS.Timeout | undefined;
  if (options.idleExitMs !== undefined) {
    const idleMs = options.idleExitMs;
    idleTimer = setInterval(
      () => {
        if (active === 0 && !closing && Date.now() - lastActivity >= idleMs) {
          clearInterval(idleTimer);
          options.onIdle?.();
        }
      },
      Math.min(1_000, Math.max(50, idleMs / 4)),
    );
  }

  const close = async (): Promise<void> => {
    if (idleTimer) clearInterval(idleTimer);
    // Stop taking jobs; wait for the trials in flight up to the grace, then release them.
    const graceful = worker.close();
    graceful.catch(() => undefined);
    const graceEnds = Date.now() + (options.stopGraceMs ?? 5_000);
    while (active > 0 && Date.now() < graceEnds) await new Promise((resolve) => setTimeout(resolve, 50));
    releaseNow();
    await atMost(graceful, 4_000);
    // Redis gone: BullMQ's close waits for it; drop the connections instead.
    if (!link.up) await atMost(worker.disconnect(), 1_000);
    for (const setup of setups.values()) void setup.then((s) => s.close()).catch(() => undefined);
    await link.close();
  };

  return {
    worker,
    inFlight: () => active,
    close: () => (closing ??= close()),
  };
}
