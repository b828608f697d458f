// The experiment runner: suites x arms x replicates x sessions. Each (arm, replicate) is a chain
// of sessions run in order; the trials of a session run in parallel up to `concurrency`, shared by
// all chains. Between sessions the arm consolidates its memory, and the result is snapshotted.
//
// Resume: trials.jsonl says which trials are done and memory/ says which session boundaries were
// crossed. A resumed run redoes only what is missing (and trials that failed for infrastructure
// reasons), so its trials are identical to those of an uninterrupted run with the same seed.

import { mkdirSync, existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Transcript } from '../agent/transcript.js';
import pLimit from 'p-limit';
import type { Arm, ArmContext, MemoryFiles } from '../core/arm.js';
import type { ModelClient } from '../core/messages.js';
import type { TrialKey, TrialRecord } from '../core/records.js';
import { trialId } from '../core/records.js';
import type { Suite } from '../core/suite.js';
import { resolveArms, type Experiment, type ResolvedArm } from '../config/schema.js';
import { createModel, isSimulated } from '../models/registry.js';
import { withResponseCache, type CacheOptions } from '../models/cache.js';
import { createArm, loadArmFactory } from '../registry/arms.js';
import { loadSuites, SuiteOptionsError } from '../registry/suites.js';
import { buildSchedule, driftedIn, type ScheduledTask } from '../schedule/schedule.js';
import { newManifest, suiteHash, type Manifest, type RunStatus } from '../storage/manifest.js';
import { RunDir, repairJsonLines, writeJsonAtomic } from '../storage/run-dir.js';
import { runTrial } from './trial.js';
import { redactMemory } from '../security/redact.js';
import type { ProgressSink } from './progress.js';
import { silentProgress } from './progress.js';

export interface RunOptions {
  runDir: string;
  /** Required for a new run; a resumed run uses the experiment stored in its manifest. */
  experiment?: Experiment;
  resume?: boolean;
  /** Resume may change how many trials run at once, and the run-level budgets; nothing else. */
  concurrency?: number;
  runBudgets?: { max_cost_per_run?: number; max_tokens_per_run?: number };
  progress?: ProgressSink;
  /** Test hook: build models differently (e.g. a mock server). */
  modelFactory?: (spec: string, suites: ReadonlyMap<string, Suite>) => ModelClient;
  /** Response cache (`--cache DIR`, `--replay`): see harness/models/cache.ts. A resume without it reuses the manifest's. */
  cache?: CacheOptions;
}

export interface RunOutcome {
  status: RunStatus;
  runDir: string;
  manifest: Manifest;
  trials: TrialRecord[];
  message?: string;
}

export class RunSetupError extends Error {
  override name = 'RunSetupError';
}

interface LoadedArm {
  spec: ResolvedArm;
  arm: Arm;
  artifactsFolder: string;
}

export async function executeRun(options: RunOptions): Promise<RunOutcome> {
  const dir = new RunDir(options.runDir);
  const progress = options.progress ?? silentProgress;
  let manifest: Manifest;
  let experiment: Experiment;

  if (options.resume) {
    if (!dir.exists()) throw new RunSetupError(`${options.runDir}: not a run directory (no manifest.json)`);
    manifest = JSON.parse(readFileSync(dir.manifestPath, 'utf8')) as Manifest;
    experiment = {
      ...manifest.experiment,
      ...(options.concurrency ? { concurrency: options.concurrency } : {}),
      budgets: { ...manifest.experiment.budgets, ...options.runBudgets },
    };
    manifest.experiment = experiment;
  } else {
    if (!options.experiment) throw new RunSetupError('executeRun needs an experiment for a new run');
    if (dir.exists()) {
      throw new RunSetupError(`${options.runDir} already holds a run; use \`dreambench resume ${options.runDir}\` or choose another --out`);
    }
    experiment = options.experiment;
    manifest = undefined as unknown as Manifest;
  }

  // Everything that can fail on bad input fails here, before anything is written.
  let suites: Map<string, Suite>;
  try {
    suites = await loadSuites(experiment.suites, experiment.suite_options ?? {});
  } catch (error) {
    throw error instanceof SuiteOptionsError ? new RunSetupError(error.message) : error;
  }
  checkUniqueTaskIds(suites);
  const baseFactory = options.modelFactory ?? ((spec: string, s: ReadonlyMap<string, Suite>) => createModel(spec, { suites: s }));
  const cache = options.cache ?? (options.resume ? manifest.cache : undefined);
  const makeModel = cache ? withResponseCache(baseFactory, cache) : baseFactory;
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
      arms.push({ spec, arm, artifactsFolder: arm.artifactsFolder ?? factory.artifactsFolder ?? factory.name });
    } catch (error) {
      throw new RunSetupError(`arm "${spec.name}": ${(error as Error).message}`);
    }
  }

  if (options.resume) {
    for (const [name, suite] of suites) {
      const recorded = manifest.suites[name]?.hash;
      const now = suiteHash(suite);
      if (recorded && recorded !== now) {
        throw new RunSetupError(
          `${options.runDir}: suite "${name}" changed since this run started (hash ${recorded}, now ${now}); resuming would mix two versions of the tasks. Start a new run.`,
        );
      }
    }
    dir.sweepTemporaries();
    repairJsonLines(dir.trialsPath);
    repairJsonLines(dir.eventsPath);
    manifest.status = 'running';
    dir.event('run_resumed', { concurrency: experiment.concurrency, ...(options.runBudgets ? { run_budgets: options.runBudgets } : {}) });
  } else {
    mkdirSync(options.runDir, { recursive: true });
    manifest = newManifest(basename(options.runDir), experiment, suites, isSimulated(experiment.model));
    dir.event('run_started', { name: experiment.name, config_hash: manifest.config_hash });
  }
  if (cache) {
    manifest.cache = { dir: cache.dir, mode: cache.mode };
    dir.event('response_cache', manifest.cache);
  }
  writeJsonAtomic(dir.manifestPath, manifest);

  const done = new Map<string, TrialRecord>();
  for (const record of dir.trials()) if (record.error_class !== 'infra') done.set(trialId(record), record);

  const schedules = new Map<number, ScheduledTask[][]>();
  for (let replicate = 1; replicate <= experiment.replicates; replicate++) {
    schedules.set(
      replicate,
      buildSchedule([...suites.values()], {
        seed: experiment.seed,
        replicate,
        sessions: experiment.sessions,
        tasksPerSession: experiment.tasks_per_session,
        heldOut: experiment.schedule.held_out,
      }),
    );
  }

  const total = arms.length * experiment.replicates * experiment.sessions * experiment.tasks_per_session;
  const spend = { cost: 0, tokens: 0 };
  for (const record of done.values()) charge(spend, record);
  progress.start({ total, alreadyDone: done.size, doneRecords: [...done.values()] });

  const limit = pLimit(experiment.concurrency);
  const budgets = { ...experiment.budgets };
  let stopReason: string | undefined;
  const overRunBudget = (): string | undefined => {
    if (budgets.max_cost_per_run !== undefined && spend.cost >= budgets.max_cost_per_run) return `run cost budget of $${budgets.max_cost_per_run} reached`;
    if (budgets.max_tokens_per_run !== undefined && spend.tokens >= budgets.max_tokens_per_run) return `run token budget of ${budgets.max_tokens_per_run} reached`;
    return undefined;
  };
  let infraBlocked = 0;

  let pendingReview = 0;
  const runChain = async ({ spec, arm, artifactsFolder }: LoadedArm, replicate: number): Promise<void> => {
    const artifacts = dir.artifacts(artifactsFolder, spec.name, replicate);
    let memory: MemoryFiles = {};
    if (dir.hasSnapshot(spec.name, replicate, 0)) memory = dir.readSnapshot(spec.name, replicate, 0);
    else dir.writeSnapshot(spec.name, replicate, 0, memory);

    for (let session = 1; session <= experiment.sessions; session++) {
      if (dir.hasSnapshot(spec.name, replicate, session)) {
        memory = dir.readSnapshot(spec.name, replicate, session);
        continue;
      }
      const drifted = driftedIn(session, experiment.schedule.drift);
      const scheduled = schedules.get(replicate)![session - 1]!;
      const sessionMemory = memory;
      const records = await Promise.all(
        scheduled.map(({ slot, task }) =>
          limit(async (): Promise<TrialRecord | undefined> => {
            const key: TrialKey = { arm: spec.name, replicate, session, slot, task: task.id };
            const previous = done.get(trialId(key));
            if (previous) return previous;
            stopReason ??= overRunBudget();
            if (stopReason) return undefined;
            const seedKey = `${experiment.seed}:r${replicate}:s${session}:${slot}:${task.id}`;
            const armContext: ArmContext = {
              arm: spec.name,
              replicate,
              session,
              model,
              seedKey: `${seedKey}:arm`,
              options: spec.options,
              artifacts,
            };
            const transcriptPath = dir.transcriptPath(key);
            const { record, transcript } = await runTrial({
              key,
              task,
              suite: suites.get(task.suite)!,
              arm,
              armContext,
              model,
              graderModel,
              memoryText: arm.contextFor(task, sessionMemory),
              ...(arm.memoryStats ? { memoryStats: arm.memoryStats(task, sessionMemory) } : {}),
              modelFor,
              drifted,
              budgets,
              seedKey,
              transcriptRef: dir.relative(transcriptPath),
            });
            // Transcript first, then the record: a record never points at a missing transcript.
            writeJsonAtomic(transcriptPath, transcript);
            dir.appendTrial(record);
            dir.event('trial_finished', { trial: trialId(key), success: record.success, error_class: record.error_class });
            charge(spend, record);
            progress.trialDone(record);
            return record;
          }),
        ),
      );
      if (records.some((r) => r === undefined)) return; // stopped by the run budget
      const finished = records as TrialRecord[];
      const infra = finished.filter((r) => r.error_class === 'infra').length;
      if (infra > 0) {
        // The arm must not consolidate from a partial session: stop this chain here; resume retries.
        infraBlocked += infra;
        dir.event('session_blocked', { arm: spec.name, replicate, session, infra_trials: infra });
        return;
      }
      if (arm.afterSession) {
        const context: ArmContext = {
          arm: spec.name,
          replicate,
          session,
          model: graderModel,
          seedKey: `${experiment.seed}:r${replicate}:s${session}:consolidate`,
          options: spec.options,
          artifacts,
        };
        const transcript = (record: TrialRecord): Transcript => JSON.parse(readFileSync(join(options.runDir, record.transcript), 'utf8')) as Transcript;
        const consolidated = await arm.afterSession({ memory, trials: finished, transcript }, context);
        if (consolidated.pending) {
          pendingReview++;
          dir.event('session_pending_review', { arm: spec.name, replicate, session, reason: consolidated.pending.reason });
          return;
        }
        // Secrets never reach memory: not the snapshot, nor what the next session's agent reads.
        memory = redactMemory(consolidated.memory);
        if (consolidated.usage) {
          spend.cost += consolidated.usage.cost_usd;
          spend.tokens += consolidated.usage.input_tokens + consolidated.usage.output_tokens;
        }
        dir.writeSnapshot(spec.name, replicate, session, memory);
        dir.event('session_consolidated', {
          arm: spec.name,
          replicate,
          session,
          ...(consolidated.usage ? { usage: consolidated.usage } : {}),
          ...(consolidated.details ? { details: consolidated.details } : {}),
        });
      } else {
        dir.writeSnapshot(spec.name, replicate, session, memory);
        dir.event('session_consolidated', { arm: spec.name, replicate, session });
      }
      progress.sessionDone?.(spec.name, replicate, session);
    }
  };

  try {
    const chains: Promise<void>[] = [];
    for (const loaded of arms) for (let r = 1; r <= experiment.replicates; r++) chains.push(runChain(loaded, r));
    await Promise.all(chains);
  } catch (error) {
    progress.stop();
    manifest.status = 'failed';
    manifest.stop_reason = (error as Error).message;
    manifest.updated_at = new Date().toISOString();
    writeJsonAtomic(dir.manifestPath, manifest);
    dir.event('run_failed', { error: (error as Error).message });
    throw error;
  }
  progress.stop();

  const trials = dir.trials();
  let message: string | undefined;
  if (stopReason) {
    manifest.status = 'stopped_budget';
    message = `${stopReason}; raise the budget and resume to continue`;
  } else if (pendingReview > 0) {
    manifest.status = 'awaiting_review';
    message = `${pendingReview} consolidation(s) wait for review: run \`dreambench memory review ${options.runDir}\`, then \`dreambench resume ${options.runDir}\``;
  } else if (infraBlocked > 0) {
    manifest.status = 'failed';
    message = `${infraBlocked} trial(s) failed for infrastructure reasons (provider or environment); their sessions were not consolidated. Run \`dreambench resume ${options.runDir}\` to retry them.`;
  } else {
    manifest.status = 'completed';
  }
  if (message) manifest.stop_reason = message;
  else delete manifest.stop_reason;
  manifest.updated_at = new Date().toISOString();
  manifest.totals = { trials: trials.length, cost_usd: spend.cost };
  writeJsonAtomic(dir.manifestPath, manifest);
  dir.event('run_finished', { status: manifest.status, trials: trials.length });
  return { status: manifest.status, runDir: options.runDir, manifest, trials, ...(message ? { message } : {}) };
}

function charge(spend: { cost: number; tokens: number }, record: TrialRecord): void {
  spend.cost += record.cost_usd + (record.arm_usage?.cost_usd ?? 0);
  spend.tokens +=
    record.input_tokens + record.output_tokens + (record.arm_usage ? record.arm_usage.input_tokens + record.arm_usage.output_tokens : 0);
}

function checkUniqueTaskIds(suites: ReadonlyMap<string, Suite>): void {
  const owner = new Map<string, string>();
  for (const suite of suites.values()) {
    for (const task of suite.tasks) {
      const other = owner.get(task.id);
      if (other) throw new RunSetupError(`task id "${task.id}" appears in suites "${other}" and "${suite.name}"; task ids must be unique in a run`);
      owner.set(task.id, suite.name);
    }
  }
}

export function isRunDir(path: string): boolean {
  return existsSync(new RunDir(path).manifestPath);
}
