// What a coordinator and its workers agree on: the queue's default name, the job's data format,
// job ids (derived from the run and the trial, so a job is never added twice) and the key prefix
// of the rate-limit buckets they share in Redis.

import { createHash } from 'node:crypto';
import type { Experiment } from '../config/schema.js';
import type { CacheOptions } from '../models/cache.js';
import { trialId } from '../core/records.js';
import type { TrialJob } from '../runner/executor.js';

export const DEFAULT_QUEUE = 'dreambench-trials';
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
export const JOB_FORMAT = 'dreambench.trial-job/v1';

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

export function jobIdOf(runKey: string, job: TrialJob): string {
  // BullMQ reserves ':' in custom ids; a hash is short and unique.
  return `t-${createHash('sha256').update(runKey).update('\0').update(trialId(job.key)).digest('hex').slice(0, 32)}`;
}

/** Key prefix of the shared rate-limit buckets: every process serving one queue shares them. */
export function rateKeyPrefix(queue: string): string {
  return `dreambench:rate:${queue}`;
}
