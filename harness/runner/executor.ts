// "Run this trial": the one seam between the engine (runner.ts: chains, sessions, memory, the run
// directory) and where a trial executes. A TrialJob is plain data (the trial's key, the memory text
// its arm gave it, its seed key, ...), so the same job runs in this process (localExecutor) or on a
// worker machine (harness/distributed/bullmq.ts), and gives the same record and transcript.
//
// Both ends build the run's shared parts (suites, arms, models with their rate limiters) with
// prepareRun from the experiment alone, so a worker needs nothing from the coordinator's disk.

import type { Transcript } from '../agent/transcript.js';
import type { AgentBudgets } from '../agent/loop.js';
import type { Arm, ArtifactStore, MemoryFiles } from '../core/arm.js';
import type { ModelClient } from '../core/messages.js';
import type { TrialKey, TrialRecord } from '../core/records.js';
import type { TrialLabels } from './trial.js';
import type { Suite, Task } from '../core/suite.js';
import { resolveArms, type Experiment, type ResolvedArm } from '../config/schema.js';
import { createModel } from '../models/registry.js';
import { withResponseCache, type CacheOptions } from '../models/cache.js';
import { RateLimiterRegistry } from '../models/rate-limit.js';
import { pricingTable, withPricingRows } from '../models/pricing.js';
import type { BatchOptions } from '../models/anthropic/batcher.js';
import { createArm, loadArmFactory } from '../registry/arms.js';
import { loadSuites } from '../registry/suites.js';
import { runTrial } from './trial.js';

/** Everything one trial needs beyond the run's shared parts. JSON-serialisable. */
export interface TrialJob {
  key: TrialKey;
  /** The memory text the arm gave this trial (contextFor on the session's frozen memory). */
  memoryText: string;
  memoryStats?: Record<string, number>;
  /** The session's frozen memory itself, for arms that run on their own runtime (Arm.runtime, e.g. managed-*); absent otherwise. */
  memory?: MemoryFiles;
  /** Pitfalls drifted in this session. */
  drifted: string[];
  budgets: AgentBudgets;
  seedKey: string;
  transcriptRef: string;
  /** Slice, order and task set of the trial (harness/schedule/plan.ts); eval and retest trials are read-only. */
  labels?: TrialLabels;
}

export interface TrialResult {
  record: TrialRecord;
  transcript: Transcript;
}

export interface TrialExecutor {
  /** 'local' or 'bullmq', for the journal. */
  readonly name: string;
  runTrial(job: TrialJob): Promise<TrialResult>;
  /** Release connections and timers (the run is over). */
  close(): Promise<void>;
}

export interface LoadedArm {
  spec: ResolvedArm;
  arm: Arm;
  artifactsFolder: string;
}

/** The run's shared parts, built once per run (and once per run on each worker). */
export interface RunSetup {
  experiment: Experiment;
  suites: Map<string, Suite>;
  arms: LoadedArm[];
  model: ModelClient;
  graderModel: ModelClient;
  modelFor: (spec: string) => ModelClient;
  rateLimiters: RateLimiterRegistry;
  close(): void;
}

export type ModelFactory = (spec: string, suites: ReadonlyMap<string, Suite>) => ModelClient;

export interface PrepareOptions {
  modelFactory?: ModelFactory;
  cache?: CacheOptions;
  /** Rate limiters to share (default: new ones from the experiment's rate_limits). */
  rateLimiters?: RateLimiterRegistry;
}

/**
 * An executor could not go on (e.g. its queue's Redis stayed unreachable) but nothing was lost: the
 * run stops as resumable (exit 3) instead of failing.
 */
export class RunInterrupted extends Error {
  override name = 'RunInterrupted';
}

/** Thrown for a bad arm or option while preparing (bad input). */
export class ArmSetupError extends Error {
  override name = 'ArmSetupError';
}

export function batchOptionsOf(experiment: Experiment): BatchOptions | undefined {
  const batch = experiment.batch;
  if (batch === undefined || batch === false) return undefined;
  if (batch === true) return {};
  return {
    ...(batch.purposes ? { purposes: batch.purposes } : {}),
    ...(batch.max_wait_ms !== undefined ? { maxWaitMs: batch.max_wait_ms } : {}),
    ...(batch.max_requests !== undefined ? { maxRequests: batch.max_requests } : {}),
    ...(batch.poll_ms !== undefined ? { pollMs: batch.poll_ms } : {}),
  };
}

/** Suites, arms and models of a run, from its experiment. Suites must already be loadable (checked by the caller). */
export async function prepareRun(experiment: Experiment, suites: Map<string, Suite>, options: PrepareOptions = {}): Promise<RunSetup> {
  const rateLimiters = options.rateLimiters ?? new RateLimiterRegistry(experiment.rate_limits);
  const batch = batchOptionsOf(experiment);
  const pricing = withPricingRows(pricingTable(), experiment.pricing);
  const baseFactory: ModelFactory =
    options.modelFactory ??
    ((spec, s) =>
      createModel(spec, {
        suites: s,
        rateLimiters,
        pricing,
        ...(batch ? { batch } : {}),
        ...(experiment.model_options ? { modelOptions: experiment.model_options } : {}),
      }));
  const makeModel = options.cache ? withResponseCache(baseFactory, options.cache) : baseFactory;
  const model = makeModel(experiment.model, suites);
  const graderModel = experiment.grader_model ? makeModel(experiment.grader_model, suites) : model;
  // Further models by spec (an orchestration's per-role models), built once per run.
  const models = new Map<string, ModelClient>([[experiment.model, model]]);
  if (experiment.grader_model) models.set(experiment.grader_model, graderModel);
  const modelFor = (spec: string): ModelClient => {
    let client = models.get(spec);
    if (!client) models.set(spec, (client = makeModel(spec, suites)));
    return client;
  };
  const arms: LoadedArm[] = [];
  for (const spec of resolveArms(experiment.arms)) {
    const factory = await loadArmFactory(spec.arm);
    try {
      const arm = await createArm(factory, spec.options);
      for (const modelSpec of arm.orchestration?.models ?? []) modelFor(modelSpec);
      arm.checkRun?.({ model, graderModel });
      arms.push({ spec, arm, artifactsFolder: arm.artifactsFolder ?? factory.artifactsFolder ?? factory.name });
    } catch (error) {
      throw new ArmSetupError(`arm "${spec.name}": ${(error as Error).message}`);
    }
  }
  return {
    experiment,
    suites,
    arms,
    model,
    graderModel,
    modelFor,
    rateLimiters,
    close: () => {
      rateLimiters.close();
      for (const client of models.values()) (client as { batcher?: { close(): void } }).batcher?.close();
    },
  };
}

/** Loads the suites of an experiment with its suite options. */
export function loadRunSuites(experiment: Experiment): Promise<Map<string, Suite>> {
  return loadSuites(experiment.suites, experiment.suite_options ?? {});
}

/** Finds a scheduled task by id across the run's suites. */
export function taskById(suites: ReadonlyMap<string, Suite>, id: string): Task {
  for (const suite of suites.values()) {
    const task = suite.tasks.find((t) => t.id === id);
    if (task) return task;
  }
  throw new Error(`task "${id}" is in none of the run's suites (${[...suites.keys()].join(', ')})`);
}

/** Runs trials in this process. `artifacts` gives arms their run-directory files (absent on a worker). */
export function localExecutor(setup: RunSetup, artifacts?: (arm: LoadedArm, replicate: number) => ArtifactStore): TrialExecutor {
  const byName = new Map(setup.arms.map((loaded) => [loaded.spec.name, loaded]));
  return {
    name: 'local',
    async runTrial(job: TrialJob): Promise<TrialResult> {
      const loaded = byName.get(job.key.arm);
      if (!loaded) throw new Error(`trial ${job.key.arm}/${job.key.task}: arm "${job.key.arm}" is not in this run`);
      const task = taskById(setup.suites, job.key.task);
      const store = artifacts?.(loaded, job.key.replicate);
      return runTrial({
        key: job.key,
        task,
        suite: setup.suites.get(task.suite)!,
        arm: loaded.arm,
        armContext: {
          arm: loaded.spec.name,
          replicate: job.key.replicate,
          session: job.key.session,
          model: setup.model,
          seedKey: `${job.seedKey}:arm`,
          options: loaded.spec.options,
          ...(store ? { artifacts: store } : {}),
        },
        model: setup.model,
        graderModel: setup.graderModel,
        memoryText: job.memoryText,
        ...(job.memoryStats ? { memoryStats: job.memoryStats } : {}),
        ...(job.memory ? { memory: job.memory } : {}),
        modelFor: setup.modelFor,
        drifted: new Set(job.drifted),
        budgets: job.budgets,
        seedKey: job.seedKey,
        transcriptRef: job.transcriptRef,
        ...(job.labels ? { labels: job.labels } : {}),
      });
    },
    close: async () => {},
  };
}
