// Distributed execution on BullMQ + Redis.
//
//   dreambench run exp.yaml --executor bullmq --redis redis://host:6379   # the coordinator
//   dreambench worker --redis redis://host:6379                           # on any number of machines
//
// What goes where:
// - Trials go to workers. The coordinator (the usual runner) keeps the engine: it walks each
//   (arm, replicate) chain session by session, computes every trial's memory text from the session's
//   frozen memory, and enqueues the session's trials as jobs; a job is plain data (a TrialJob plus
//   the experiment), so a worker rebuilds suites, arms and models from the experiment alone.
// - Consolidation stays on the coordinator. It is one sequential step per (arm, replicate, session)
//   that reads the session's transcripts and the arm's files in the run directory (dream changesets,
//   review queues) and writes the next memory snapshot: keeping it next to the run directory keeps
//   memory frozen within a session and session order per chain by construction (the next session's
//   jobs are not even created before the snapshot is written), and a human-review pause works as in
//   a local run. It costs no parallelism: consolidations of different chains still run concurrently.
// - Results flow back in the job's return value (record + transcript); only the coordinator writes
//   the run directory, so workers need no shared disk, and resume works as for a local run.
// - A worker killed mid-trial loses nothing: its job's lock (short: --lock-ms, default 30 s)
//   expires, another worker's stalled-job check moves the job back to the queue, and it runs again
//   from the start (a trial is a pure function of its job: same record, same transcript).
// - A job whose trial throws (a bug, not a provider failure: those come back as `infra` records) is
//   retried `attempts` times, then fails the run, as an exception would in a local run.
//
// Job ids are derived from the run and the trial, so a re-started coordinator finds a job it had
// enqueued instead of adding it twice; a finished job is removed once its result has been read, so a
// resumed run re-runs an `infra` trial instead of reading its old result.
//
// Rate limits are per process: each worker paces its own requests with the experiment's
// rate_limits (and learns the shared remaining allowance from the API's headers). With several
// workers on one API key, give each worker a share with `dreambench worker --rate-share 0.5`.

import { createHash } from 'node:crypto';
import { Queue, QueueEvents, Worker, type Job } from 'bullmq';
import type { Experiment } from '../config/schema.js';
import type { CacheOptions } from '../models/cache.js';
import { RateLimiterRegistry, type RateLimitsConfig } from '../models/rate-limit.js';
import { trialId } from '../core/records.js';
import { loadRunSuites, localExecutor, prepareRun, type RunSetup, type TrialExecutor, type TrialJob, type TrialResult } from '../runner/executor.js';

export const DEFAULT_QUEUE = 'dreambench-trials';
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
const JOB_FORMAT = 'dreambench.trial-job/v1';

export interface TrialJobData {
  format: typeof JOB_FORMAT;
  run: {
    /** Unique per run (run id and creation time): workers key their setup by it. */
    key: string;
    experiment: Experiment;
    cache?: { dir: string; mode: CacheOptions['mode'] };
  };
  job: TrialJob;
}

export interface BullmqExecutorOptions {
  redisUrl: string;
  queue?: string;
  /** Identifies the run (job ids and worker setups derive from it). */
  runKey: string;
  experiment: Experiment;
  cache?: CacheOptions;
  /** Attempts of a job whose trial throws (default 3). */
  attempts?: number;
}

export interface BullmqStats {
  enqueued: number;
  completed: number;
  /** Jobs a worker lost (killed, hung) that went back to the queue. */
  stalled: number;
  stalledJobs: string[];
}

function connectionOf(url: string): { url: string; maxRetriesPerRequest: null } {
  return { url, maxRetriesPerRequest: null };
}

function jobIdOf(runKey: string, job: TrialJob): string {
  // BullMQ reserves ':' in custom ids; a hash is short and unique.
  return `t-${createHash('sha256').update(runKey).update('\0').update(trialId(job.key)).digest('hex').slice(0, 32)}`;
}

/** The coordinator's executor: each trial becomes a job; its result comes back in the job's return value. */
export async function bullmqExecutor(options: BullmqExecutorOptions): Promise<TrialExecutor & { stats: BullmqStats }> {
  const name = options.queue ?? DEFAULT_QUEUE;
  const connection = connectionOf(options.redisUrl);
  const queue = new Queue<TrialJobData, TrialResult>(name, { connection });
  const events = new QueueEvents(name, { connection });
  const stats: BullmqStats = { enqueued: 0, completed: 0, stalled: 0, stalledJobs: [] };
  events.on('stalled', ({ jobId }) => {
    stats.stalled++;
    stats.stalledJobs.push(jobId);
  });
  await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
  const run: TrialJobData['run'] = {
    key: options.runKey,
    experiment: options.experiment,
    ...(options.cache ? { cache: { dir: options.cache.dir, mode: options.cache.mode } } : {}),
  };
  return {
    name: 'bullmq',
    stats,
    async runTrial(job: TrialJob): Promise<TrialResult> {
      const jobId = jobIdOf(options.runKey, job);
      const added: Job<TrialJobData, TrialResult> = await queue.add(
        'trial',
        { format: JOB_FORMAT, run, job },
        { jobId, attempts: options.attempts ?? 3, backoff: { type: 'fixed', delay: 1_000 }, removeOnComplete: false, removeOnFail: false },
      );
      stats.enqueued++;
      try {
        const result = await added.waitUntilFinished(events);
        stats.completed++;
        return result;
      } finally {
        // Read once: a resumed run must re-run an infra trial, not find its old result.
        await queue.remove(jobId).catch(() => 0);
      }
    },
    async close(): Promise<void> {
      await events.close();
      await queue.close();
    },
  };
}

export interface WorkerOptions {
  redisUrl: string;
  queue?: string;
  /** Trials in flight in this worker. Default 4. */
  concurrency?: number;
  /** Job lock: a killed worker's job goes back to the queue after about this long. Default 30,000 ms. */
  lockMs?: number;
  /** Multiply the experiment's rate limits by this (several workers sharing one API key). Default 1. */
  rateShare?: number;
  /** A line per job started and finished (job id and trial). */
  log?: (line: string) => void;
}

export interface RunningWorker {
  worker: Worker<TrialJobData, TrialResult>;
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

/** A worker: takes trial jobs from the queue and runs them in this process. */
export async function startWorker(options: WorkerOptions): Promise<RunningWorker> {
  const name = options.queue ?? DEFAULT_QUEUE;
  const lockMs = options.lockMs ?? 30_000;
  const log = options.log ?? (() => undefined);
  // One setup per run (suites, arms, models, rate limiters), kept while the worker lives; few runs at once.
  const setups = new Map<string, Promise<RunSetup>>();
  const setupFor = (run: TrialJobData['run']): Promise<RunSetup> => {
    let setup = setups.get(run.key);
    if (!setup) {
      setup = (async () => {
        const suites = await loadRunSuites(run.experiment);
        return prepareRun(run.experiment, suites, {
          rateLimiters: new RateLimiterRegistry(scaleLimits(run.experiment.rate_limits, options.rateShare ?? 1)),
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
  const worker = new Worker<TrialJobData, TrialResult>(
    name,
    async (job) => {
      if (job.data.format !== JOB_FORMAT) throw new Error(`job ${job.id}: unknown job format ${String(job.data.format)}`);
      const trial = trialId(job.data.job.key);
      log(`start ${job.id} ${trial} attempt ${job.attemptsMade + 1}`);
      const setup = await setupFor(job.data.run);
      const result = await localExecutor(setup).runTrial(job.data.job);
      log(`done ${job.id} ${trial} ${result.record.error_class}`);
      return result;
    },
    {
      connection: connectionOf(options.redisUrl),
      concurrency: options.concurrency ?? 4,
      lockDuration: lockMs,
      stalledInterval: Math.max(500, Math.floor(lockMs / 2)),
      maxStalledCount: 5,
    },
  );
  worker.on('failed', (job, error) => log(`failed ${job?.id ?? '?'} ${error.message}`));
  worker.on('error', (error) => log(`error ${error.message}`));
  await worker.waitUntilReady();
  return {
    worker,
    close: async () => {
      await worker.close();
      for (const setup of setups.values()) void setup.then((s) => s.close()).catch(() => undefined);
    },
  };
}
