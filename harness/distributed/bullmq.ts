// Distributed execution on BullMQ + Redis: the coordinator's side (the worker is bullmq-worker.ts).
//
//   dreambench run exp.yaml --executor bullmq --redis redis://host:6379   # the coordinator
//   dreambench worker --redis redis://host:6379                           # on any number of machines
//
// What goes where:
// - Trials go to workers. The coordinator (the usual runner) keeps the engine: it walks each
//   (arm, replicate) chain session by session, computes every trial's memory text from the session's
//   frozen memory, and enqueues the session's trials as jobs; a job is plain data (a TrialJob plus
//   the experiment), so a worker rebuilds suites, arms and models from the experiment alone.
// - Consolidation stays on the coordinator: it reads the session's transcripts and the arm's files
//   in the run directory and writes the next memory snapshot, so memory stays frozen within a session
//   and the next session's jobs are not even created before the snapshot is written.
// - Results flow back in the job's return value (record + transcript); only the coordinator writes
//   the run directory, so workers need no shared disk, and resume works as for a local run.
//
// Faults, and why nothing is lost or counted twice:
// - A worker killed mid-trial: its job's lock expires, the job goes back to the queue and runs again
//   from the start (a trial is a pure function of its job: same record, same transcript).
// - Redis restarted empty, flushed, or evicting keys: the coordinator reconciles the jobs it awaits
//   against the queue every few seconds and after every reconnect, and enqueues again any job that
//   is gone. A result is taken once (the job is settled and forgotten), so a trial that ran twice
//   is still written once.
// - Redis unreachable: the coordinator says so once, waits (default 5 min), and then stops the run
//   as resumable (exit 3); it never waits silently: with no trial finished for a while it prints
//   how many trials are queued and running, and how many workers are connected.
// - The coordinator killed: job ids derive from the run and the trial, so `resume` finds the jobs
//   it had enqueued (finished ones give their result, running ones are awaited) instead of adding
//   them twice. A job that failed for good is enqueued afresh.
//
// Rate limits: the coordinator and every worker keep each model's token buckets in Redis
// (redis-buckets.ts), so the fleet together stays within the experiment's rate_limits.

import { Queue, QueueEvents, type Job } from 'bullmq';
import type { Experiment } from '../config/schema.js';
import type { CacheOptions } from '../models/cache.js';
import { DEFAULT_QUEUE, JOB_FORMAT, jobIdOf, rateKeyPrefix, type TrialJobData } from './trial-jobs.js';
import type { RateLimiterRegistry } from '../models/rate-limit.js';
import { trialId } from '../core/records.js';
import { RunInterrupted, type TrialExecutor, type TrialJob, type TrialResult } from '../runner/executor.js';
import { bullmqConnection, describeRedis, isConnectionError, openRedisLink, type RedisLink } from './redis-link.js';
import { redisBucketsFor } from './redis-buckets.js';

export { startWorker, type RunningWorker, type WorkerOptions } from './bullmq-worker.js';
export { DEFAULT_QUEUE, DEFAULT_REDIS_URL, JOB_FORMAT, jobIdOf, rateKeyPrefix, type TrialJobData } from './trial-jobs.js';

export interface BullmqExecutorOptions {
  redisUrl: string;
  queue?: string;
  /** Identifies the run (job ids and worker setups derive from it). */
  runKey: string;
  experiment: Experiment;
  cache?: CacheOptions;
  /** Attempts of a job whose trial throws (default 3). */
  attempts?: number;
  /** The run's rate limiters: their buckets move to Redis, shared with the workers. */
  rateLimiters?: RateLimiterRegistry;
  /** Check the awaited jobs against the queue this often (and at once after a reconnect). Default 5,000 ms. */
  reconcileMs?: number;
  /** With no trial finished for this long, print what the run waits for. Default 30,000 ms. */
  statusMs?: number;
  /** Stop the run (resumable) once Redis has been unreachable this long. Default 300,000 ms. */
  giveUpMs?: number;
  /** Lines for the user (the CLI writes them to stderr). */
  log?: (line: string) => void;
}

export interface BullmqStats {
  enqueued: number;
  completed: number;
  /** Jobs a worker lost (killed, hung) that went back to the queue. */
  stalled: number;
  stalledJobs: string[];
  /** Jobs that were gone from Redis (restarted empty, flushed, evicted) and were enqueued again. */
  requeued: number;
  /** Jobs found already in the queue when first awaited (a coordinator restarted over a live queue). */
  adopted: number;
}

interface Awaited {
  jobId: string;
  data: TrialJobData;
  /** The job is known to have been in Redis (added or found). */
  added: boolean;
  busy: boolean;
  /** Asked again while a check was under way (an event arrived): check once more after it. */
  again: boolean;
  resolve: (result: TrialResult) => void;
  reject: (error: Error) => void;
}

/** Resolves to `fallback` if `promise` takes longer than `ms` (a command to a Redis that is gone). */
function within<T>(promise: Promise<T>, ms: number, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([promise, new Promise<T>((resolve) => (timer = setTimeout(() => resolve(fallback), ms)))]).finally(() =>
    clearTimeout(timer),
  );
}

/** The coordinator's executor: each trial becomes a job; its result comes back in the job's return value. */
export async function bullmqExecutor(options: BullmqExecutorOptions): Promise<TrialExecutor & { stats: BullmqStats }> {
  const name = options.queue ?? DEFAULT_QUEUE;
  const log = options.log ?? (() => undefined);
  const where = describeRedis(options.redisUrl);
  const giveUpMs = options.giveUpMs ?? 300_000;
  const awaited = new Map<string, Awaited>();
  const unremoved = new Set<string>();
  const stats: BullmqStats = { enqueued: 0, completed: 0, stalled: 0, stalledJobs: [], requeued: 0, adopted: 0 };
  let stopped: RunInterrupted | undefined;
  let lastFinished = Date.now();
  let lastStatus = Date.now();
  let workersSeen: number | undefined;

  const link: RedisLink = await openRedisLink(options.redisUrl, {
    onChange: (up, reason) => {
      if (up) {
        log(`Redis at ${where} is reachable again: checking the ${awaited.size} awaited trial(s) against the queue`);
        void reconcile();
      } else {
        log(
          `Redis at ${where} is unreachable (${reason ?? 'connection lost'}); retrying with backoff, and stopping the run (resumable) if it is still down after ${Math.round(giveUpMs / 1000)} s`,
        );
      }
    },
  });
  const connection = bullmqConnection(options.redisUrl);
  const queue = new Queue<TrialJobData, TrialResult>(name, { connection });
  const events = new QueueEvents(name, { connection });
  // Connection errors repeat on every retry: the link reports an outage once. Others once a minute each.
  const reported = new Map<string, number>();
  const onError = (error: Error): void => {
    if (isConnectionError(error) || !link.up) return;
    if (Date.now() - (reported.get(error.message) ?? 0) < 60_000) return;
    reported.set(error.message, Date.now());
    log(`Redis error: ${error.message}`);
  };
  queue.on('error', onError);
  events.on('error', onError);
  events.on('stalled', ({ jobId }) => {
    stats.stalled++;
    stats.stalledJobs.push(jobId);
  });
  events.on('completed', ({ jobId }) => void check(awaited.get(jobId)));
  events.on('failed', ({ jobId }) => void check(awaited.get(jobId)));
  await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
  options.rateLimiters?.useShared(redisBucketsFor(link.client, { prefix: rateKeyPrefix(name) }));

  const run: TrialJobData['run'] = {
    key: options.runKey,
    experiment: options.experiment,
    ...(options.cache ? { cache: { dir: options.cache.dir, mode: options.cache.mode } } : {}),
  };

  /** Take the result once: forget the job (so a resumed run re-runs an infra trial), then hand it over. */
  const settle = async (entry: Awaited, outcome: { result: TrialResult } | { error: Error }): Promise<void> => {
    if (awaited.get(entry.jobId) !== entry) return;
    awaited.delete(entry.jobId);
    const removed = await within(
      queue.remove(entry.jobId).then(
        () => true,
        () => false,
      ),
      2_000,
      false,
    );
    if (!removed) unremoved.add(entry.jobId);
    if ('result' in outcome) {
      stats.completed++;
      lastFinished = Date.now();
      entry.resolve(outcome.result);
    } else entry.reject(outcome.error);
  };

  const add = async (entry: Awaited): Promise<void> => {
    await queue.add('trial', entry.data, {
      jobId: entry.jobId,
      attempts: options.attempts ?? 3,
      backoff: { type: 'fixed', delay: 1_000 },
      removeOnComplete: false,
      removeOnFail: false,
    });
    entry.added = true;
    stats.enqueued++;
  };

  /** Compares one awaited job with the queue: take its result, or enqueue it (again) if it is not there. */
  const check = async (entry: Awaited | undefined): Promise<'lost' | 'ok'> => {
    if (!entry || stopped) return 'ok';
    if (entry.busy) {
      entry.again = true;
      return 'ok';
    }
    entry.busy = true;
    entry.again = false;
    try {
      // The state first, then the job: a job read before its state turned completed has no return value yet.
      const state = await queue.getJobState(entry.jobId);
      if (state === 'unknown') {
        const lost = entry.added;
        await add(entry);
        return lost ? 'lost' : 'ok';
      }
      if (!entry.added) stats.adopted++;
      entry.added = true;
      if (state !== 'completed' && state !== 'failed') return 'ok';
      const job: Job<TrialJobData, TrialResult> | undefined = await queue.getJob(entry.jobId);
      if (!job) return 'ok'; // gone in between: the next check enqueues it again
      if (state === 'completed' && job.returnvalue) await settle(entry, { result: job.returnvalue });
      else if (state === 'failed' && job.attemptsMade >= (job.opts.attempts ?? 1)) {
        await settle(entry, { error: new Error(`trial ${trialId(entry.data.job.key)} failed on a worker: ${job.failedReason}`) });
      }
      return 'ok';
    } catch (error) {
      // Redis went away mid-check: the next reconcile tries again. Anything else is a bug: fail the trial.
      if (!isConnectionError(error as Error) && link.up) await settle(entry, { error: error as Error });
      return 'ok';
    } finally {
      entry.busy = false;
      if (entry.again && awaited.get(entry.jobId) === entry) void check(entry);
    }
  };

  const reconcile = async (): Promise<void> => {
    if (stopped || !link.up) return;
    const results = await Promise.all([...awaited.values()].map((entry) => check(entry)));
    const lost = results.filter((r) => r === 'lost').length;
    if (lost > 0) {
      stats.requeued += lost;
      log(
        `${lost} awaited trial job(s) were gone from Redis (restarted without its data, flushed, or evicting keys): enqueued them again; each runs again from the start`,
      );
    }
    for (const jobId of unremoved)
      if (
        await within(
          queue.remove(jobId).then(
            () => true,
            () => false,
          ),
          2_000,
          false,
        )
      )
        unremoved.delete(jobId);
  };

  const status = async (): Promise<void> => {
    if (!link.up) return;
    const [counts, workers] = await Promise.all([
      within(queue.getJobCounts('waiting', 'prioritized', 'delayed', 'active'), 2_000, undefined).catch(() => undefined),
      within(queue.getWorkersCount(), 2_000, undefined).catch(() => undefined),
    ]);
    const every = options.statusMs ?? 30_000;
    const quiet = awaited.size > 0 && Date.now() - lastFinished >= every && Date.now() - lastStatus >= every;
    const changed = workers !== undefined && workers !== workersSeen;
    if (workers !== undefined) workersSeen = workers;
    if (!quiet && !changed) return;
    lastStatus = Date.now();
    const queued = counts ? (counts.waiting ?? 0) + (counts.prioritized ?? 0) + (counts.delayed ?? 0) : undefined;
    const parts = [
      `${awaited.size} trial(s) awaited`,
      ...(queued !== undefined ? [`${queued} queued`] : []),
      ...(counts ? [`${counts.active ?? 0} in flight`] : []),
      ...(workers !== undefined ? [`${workers} worker(s) connected`] : []),
    ];
    const hint =
      workers === 0 && awaited.size > 0
        ? `; no worker is connected: start one with \`dreambench worker --redis ${where} --queue ${name}\``
        : '';
    log(`queue "${name}": ${parts.join(', ')}${hint}`);
  };

  const stopAll = (): void => {
    if (stopped) return;
    stopped = new RunInterrupted(
      `Redis at ${where} was unreachable for ${Math.round(link.downForMs() / 1000)} s; the run stopped with nothing lost`,
    );
    for (const entry of [...awaited.values()]) {
      awaited.delete(entry.jobId);
      entry.reject(stopped);
    }
  };

  const tick = setInterval(() => {
    if (!link.up && link.downForMs() >= giveUpMs) stopAll();
    void reconcile().then(status);
  }, options.reconcileMs ?? 5_000);

  return {
    name: 'bullmq',
    stats,
    runTrial(job: TrialJob): Promise<TrialResult> {
      if (stopped) return Promise.reject(stopped);
      const jobId = jobIdOf(options.runKey, job);
      return new Promise<TrialResult>((resolve, reject) => {
        const entry: Awaited = { jobId, data: { format: JOB_FORMAT, run, job }, added: false, busy: false, again: false, resolve, reject };
        awaited.set(jobId, entry);
        // A job already in the queue (a coordinator restarted over it) is adopted, not added twice.
        void check(entry);
      });
    },
    async close(): Promise<void> {
      clearInterval(tick);
      await within(
        events.close().catch(() => undefined),
        3_000,
        undefined,
      );
      await within(
        queue.close().catch(() => undefined),
        3_000,
        undefined,
      );
      if (!link.up) {
        void events.disconnect().catch(() => undefined);
        void queue.disconnect().catch(() => undefined);
      }
      await link.close();
    },
  };
}
