// The experiment runner: suites x arms x replicates x sessions. Each (arm, replicate) is a chain
// of sessions run in order; the trials of a session run in parallel up to `concurrency`, shared by
// all chains. Between sessions the arm consolidates its memory, and the result is snapshotted.
//
// Resume: trials.jsonl says which trials are done and memory/ says which session boundaries were
// crossed. A resumed run redoes only what is missing (and trials that failed for infrastructure
// reasons), so its trials are identical to those of an uninterrupted run with the same seed. Trials
// that failed with a permanent provider error (a bad key, a mistyped model) are not re-run, so a
// resume does not re-bill work that cannot succeed, unless `retryPermanent` says the cause is fixed.
// A re-run trial keeps the failed attempt's transcript, renamed <task>.failed-N.json.gz (journalled).
//
// Before anything is written, the run's models are checked (model-checks.ts): options they would
// reject, a max_tokens too small for thinking, missing prices, retired models; then, for real
// providers, one minimal request per model (the preflight).
//
// Where a trial runs is the executor's business (executor.ts): in this process, or on workers
// (harness/distributed/bullmq.ts). The engine stays here either way: session order per (arm,
// replicate), memory frozen within a session, consolidation between sessions, and the run directory
// (the executor hands back each trial's record and transcript; only this process writes them).

import { mkdirSync, existsSync, readFileSync, renameSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Transcript } from '../agent/transcript.js';
import pLimit from 'p-limit';
import type { ArmContext, MemoryFiles } from '../core/arm.js';
import type { ModelClient } from '../core/messages.js';
import { ModelInfraError } from '../core/messages.js';
import type { TrialKey, TrialRecord } from '../core/records.js';
import { trialId } from '../core/records.js';
import type { Suite } from '../core/suite.js';
import type { Experiment } from '../config/schema.js';
import { isSimulated } from '../models/registry.js';
import type { CacheOptions } from '../models/cache.js';
import type { RateLimiterRegistry } from '../models/rate-limit.js';
import { loadExperimentSuites, SuiteOptionsError } from '../registry/suites.js';
import { driftedIn } from '../schedule/schedule.js';
import { buildRunPlan, PlanError, plannedTrials, type RunPlan } from '../schedule/plan.js';
import { isTrain } from '../core/slices.js';
import { checkResumable, sameConfigOrRefuse } from './resume-checks.js';
import { RunSetupError } from './setup-error.js';
import { recordLeakScan } from '../controls/leak-scan.js';
import { scheduleWarnings } from '../schedule/schedule-warnings.js';
import { newManifest, suiteHash, type Manifest, type RunStatus } from '../storage/manifest.js';
import { RunDir, readJsonLines, repairJsonLines, writeJsonAtomic } from '../storage/run-dir.js';
import { ArmSetupError, RunInterrupted, localExecutor, prepareRun, type LoadedArm, type RunSetup, type TrialExecutor } from './executor.js';
import { keepsTranscript, readTranscript, removeTranscript, writeTranscript } from '../storage/transcripts.js';
import { drainTrialCleanups } from './trial.js';
import { checkRunModels, preflightModels, runModelSpecs } from './model-checks.js';
import { charge, chargeUsage, spendSoFar } from './spend.js';
import { DEFAULT_ARTIFACTS_MAX_BYTES, type ArtifactsTarget, type KeepArtifacts } from './artifacts.js';
import { redactMemory } from '../security/redact.js';
import type { ProgressSink } from './progress.js';
import { cgroupSupport, describeMemoryCap } from '../sandbox/cgroup.js';
import { chooseSandbox, defaultIsolation, SandboxError, type Isolation } from '../sandbox/sandbox.js';
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
  /**
   * Where trials run (default: in this process). Given the run's shared parts and its directory's
   * artifacts; e.g. harness/distributed/bullmq.ts sends them to workers.
   */
  executor?: (
    setup: RunSetup,
    context: { runDir: string; manifest: Manifest; local: TrialExecutor },
  ) => TrialExecutor | Promise<TrialExecutor>;
  /** Rate limiters to use (default: one per model spec from the experiment's rate_limits). */
  rateLimiters?: RateLimiterRegistry;
  /** Resume under another harness version (`resume --allow-harness-change`): recorded in the manifest. */
  allowHarnessChange?: boolean;
  /**
   * A pilot (`dreambench plan`): run only the first `sessions` sessions of the first `replicates`
   * replicates, then stop resumable. The run directory is the full experiment's, so a later run or
   * resume of it completes the rest without paying for the pilot's trials again.
   */
  pilot?: { sessions: number; replicates: number };
  /** Re-run trials that failed with a permanent provider error (after the cause is fixed). */
  retryPermanent?: boolean;
  /** Send one minimal request per model before the first trial. Default: on, unless `modelFactory` is given (tests). */
  preflight?: boolean;
  /** What to keep of each trial's output files (`--keep-artifacts`, `--artifacts-max-mb`); a resume keeps the run's unless given. */
  artifacts?: { keep?: KeepArtifacts; maxBytes?: number };
}

export interface RunOutcome {
  status: RunStatus;
  runDir: string;
  manifest: Manifest;
  trials: TrialRecord[];
  message?: string;
  /** Things the user should know that do not stop the run (e.g. resumed at another commit). */
  warnings?: string[];
}

export { RunSetupError } from './setup-error.js';

export async function executeRun(options: RunOptions): Promise<RunOutcome> {
  const dir = new RunDir(options.runDir);
  const progress = options.progress ?? silentProgress;
  /** The resumed run's manifest (undefined for a new run, whose manifest is made once the setup has passed). */
  let stored: Manifest | undefined;
  let experiment: Experiment;
  const warnings: string[] = [];

  // `run --out DIR` on an existing run: the same configuration resumes it; another is refused, with the fields that differ.
  let resume = options.resume ?? false;
  if (!resume && options.experiment && dir.exists()) {
    sameConfigOrRefuse(options.runDir, JSON.parse(readFileSync(dir.manifestPath, 'utf8')) as Manifest, options.experiment);
    resume = true;
  }

  if (resume) {
    if (!dir.exists()) throw new RunSetupError(`${options.runDir}: not a run directory (no manifest.json)`);
    stored = JSON.parse(readFileSync(dir.manifestPath, 'utf8')) as Manifest;
    // `run` on its own run: the file's settings that never change a trial (concurrency, run budgets, ci, rate limits) apply.
    const given = options.resume ? undefined : options.experiment;
    experiment = {
      ...stored.experiment,
      ...(given ? unhashedSettings(given) : {}),
      ...(options.concurrency ? { concurrency: options.concurrency } : {}),
    };
    experiment.budgets = { ...stored.experiment.budgets, ...(given ? runBudgetsOf(given) : {}), ...options.runBudgets };
    stored.experiment = experiment;
  } else {
    if (!options.experiment) throw new RunSetupError('executeRun needs an experiment for a new run');
    experiment = options.experiment;
  }

  // Everything that can fail on bad input fails here, before anything is written.
  let suites: Map<string, Suite>;
  try {
    suites = await loadExperimentSuites(experiment);
  } catch (error) {
    throw error instanceof SuiteOptionsError ? new RunSetupError(error.message) : error;
  }
  checkUniqueTaskIds(suites);
  refuseSimWithoutPolicy(experiment, suites);
  const cache = options.cache ?? stored?.cache;
  let plan: RunPlan;
  try {
    plan = buildRunPlan([...suites.values()], experiment);
  } catch (error) {
    throw error instanceof PlanError ? new RunSetupError(`${resume ? options.runDir : 'experiment'}: ${error.message}`) : error;
  }
  let setup: RunSetup;
  try {
    setup = await prepareRun(experiment, suites, {
      ...(options.modelFactory ? { modelFactory: options.modelFactory } : {}),
      ...(cache ? { cache } : {}),
      ...(options.rateLimiters ? { rateLimiters: options.rateLimiters } : {}),
    });
  } catch (error) {
    throw error instanceof ArmSetupError ? new RunSetupError(error.message) : error;
  }
  const { arms, graderModel } = setup;
  const sandbox = await sandboxFor(suites, experiment);

  // The run's models: options they would reject, thinking budgets, prices, lifecycle; then the preflight.
  const orchestrated = arms.flatMap((loaded) => loaded.arm.orchestration?.models ?? []);
  const checked = checkRunModels(experiment, runModelSpecs(experiment, orchestrated));
  let preflight: Awaited<ReturnType<typeof preflightModels>> | undefined;
  if (checked.problems.length === 0 && (options.preflight ?? !options.modelFactory)) {
    preflight = await preflightModels([setup.model, graderModel, ...orchestrated.map((spec) => setup.modelFor(spec))]);
  }
  const problems = [...checked.problems, ...(preflight?.problems ?? [])];
  if (problems.length > 0) {
    setup.close();
    throw new RunSetupError(`${resume ? options.runDir : 'experiment'}: ${problems.join('\n  ')}`);
  }
  warnings.push(...checked.warnings, ...(preflight?.warnings ?? []));

  let manifest: Manifest;
  if (stored) {
    manifest = stored;
    for (const [name, suite] of suites) {
      const recorded = manifest.suites[name]?.hash;
      const now = suiteHash(suite);
      if (recorded && recorded !== now) {
        throw new RunSetupError(
          `${options.runDir}: suite "${name}" changed since this run started (hash ${recorded}, now ${now}); resuming would mix two versions of the tasks. Start a new run.`,
        );
      }
    }
    // The stored configuration is intact, and the harness is the version that started the run (or the user said otherwise).
    warnings.push(...checkResumable(options.runDir, manifest, { allowHarnessChange: options.allowHarnessChange ?? false }));
    dir.sweepTemporaries();
    repairJsonLines(dir.trialsPath);
    repairJsonLines(dir.eventsPath);
    manifest.status = 'running';
    dir.event('run_resumed', {
      ...(options.resume ? {} : { by: 'run', same_config: manifest.config_hash }),
      concurrency: experiment.concurrency,
      ...(options.runBudgets ? { run_budgets: options.runBudgets } : {}),
      ...(warnings.length ? { warnings } : {}),
    });
  } else {
    mkdirSync(options.runDir, { recursive: true });
    manifest = newManifest(basename(options.runDir), experiment, suites, isSimulated(experiment.model));
    warnings.push(...scheduleWarnings(experiment));
    dir.event('run_started', { name: experiment.name, config_hash: manifest.config_hash, ...(warnings.length ? { warnings } : {}) });
  }
  if (checked.unpriced.length > 0) manifest.cost_incomplete = [...new Set([...(manifest.cost_incomplete ?? []), ...checked.unpriced])];
  if (preflight && preflight.usage.input_tokens + preflight.usage.output_tokens > 0) dir.event('preflight', { usage: preflight.usage });
  if (checked.warnings.length > 0) dir.event('model_warnings', { warnings: checked.warnings });
  if (sandbox) {
    manifest.sandbox = sandbox;
    dir.event('sandbox', sandbox);
  }
  manifest.artifacts = {
    ...(manifest.artifacts ?? { keep: 'all', max_bytes: DEFAULT_ARTIFACTS_MAX_BYTES }),
    ...(options.artifacts?.keep ? { keep: options.artifacts.keep } : {}),
    ...(options.artifacts?.maxBytes !== undefined ? { max_bytes: options.artifacts.maxBytes } : {}),
  };
  // A resume that raises the cap lets later trials keep their files again.
  if (manifest.artifacts.cap_reached_at && options.artifacts?.maxBytes !== undefined) delete manifest.artifacts.cap_reached_at;
  if (cache) {
    manifest.cache = { dir: cache.dir, mode: cache.mode };
    dir.event('response_cache', manifest.cache);
  }
  writeJsonAtomic(dir.manifestPath, manifest);

  const local = localExecutor(setup, (loaded, replicate) => dir.artifacts(loaded.artifactsFolder, loaded.spec.name, replicate));
  let executor: TrialExecutor;
  try {
    executor = options.executor ? await options.executor(setup, { runDir: options.runDir, manifest, local }) : local;
  } catch (error) {
    setup.close();
    throw error;
  }
  if (executor.name !== 'local') dir.event('executor', { name: executor.name });

  const done = new Map<string, TrialRecord>();
  for (const record of dir.trials()) {
    if (record.error_class === 'infra' || (record.error_class === 'permanent' && options.retryPermanent)) continue;
    done.set(trialId(record), record);
  }
  // Earlier attempts per trial (failed ones): a re-run keeps their transcripts (renamed <task>.failed-N.json.gz).
  const attemptsSoFar = new Map<string, number>();
  for (const record of readAllTrialLines(dir)) attemptsSoFar.set(trialId(record), (attemptsSoFar.get(trialId(record)) ?? 0) + 1);
  const artifactsPolicy = manifest.artifacts;
  let keptBytes = [...done.values()].reduce((sum, r) => sum + (r.artifacts?.bytes ?? 0), 0);
  /** Where a trial keeps its output files, with what is left of the run's cap; undefined when nothing is kept. */
  const artifactsFor = (key: TrialKey): ArtifactsTarget | undefined => {
    if (artifactsPolicy.keep === 'none' || artifactsPolicy.cap_reached_at || keptBytes >= artifactsPolicy.max_bytes) return undefined;
    const ref = dir.artifactsRef(key);
    return { dir: join(options.runDir, ref), ref, keep: artifactsPolicy.keep, max_bytes: artifactsPolicy.max_bytes - keptBytes };
  };
  const countArtifacts = (record: TrialRecord): void => {
    keptBytes += record.artifacts?.bytes ?? 0;
    if ((record.artifacts?.capped || keptBytes >= artifactsPolicy.max_bytes) && !artifactsPolicy.cap_reached_at) {
      artifactsPolicy.cap_reached_at = trialId(record);
      dir.event('artifacts_cap_reached', { max_bytes: artifactsPolicy.max_bytes, kept_bytes: keptBytes, at_trial: trialId(record) });
    }
  };

  // Chains (replicate x order) and their sessions: train, eval and retest slots (harness/schedule/plan.ts).
  const chains = new Map(plan.chains.map((c) => [c.replicate, c]));

  const total = arms.length * plannedTrials(plan);
  // What the run has spent so far, as billed: every attempt (failed ones too), consolidations, preflights.
  const spend = spendSoFar(dir);
  progress.start({ total, alreadyDone: done.size, doneRecords: [...done.values()] });

  const limit = pLimit(experiment.concurrency);
  const budgets = { ...experiment.budgets };
  let stopReason: string | undefined;
  const overRunBudget = (): string | undefined => {
    if (budgets.max_cost_per_run !== undefined && spend.cost >= budgets.max_cost_per_run)
      return `run cost budget of $${budgets.max_cost_per_run} reached`;
    if (budgets.max_tokens_per_run !== undefined && spend.tokens >= budgets.max_tokens_per_run)
      return `run token budget of ${budgets.max_tokens_per_run} reached`;
    return undefined;
  };
  let infraBlocked = 0;
  let permanentBlocked = 0;
  const permanentErrors = new Set<string>();
  let consolidationsBlocked = 0;

  let pendingReview = 0;
  const runChain = async ({ spec, arm, artifactsFolder }: LoadedArm, replicate: number): Promise<void> => {
    const artifacts = dir.artifacts(artifactsFolder, spec.name, replicate);
    let memory: MemoryFiles = {};
    if (dir.hasSnapshot(spec.name, replicate, 0)) memory = dir.readSnapshot(spec.name, replicate, 0);
    else dir.writeSnapshot(spec.name, replicate, 0, memory);

    const lastSession = options.pilot ? Math.min(experiment.sessions, options.pilot.sessions) : experiment.sessions;
    if (options.pilot && replicate > options.pilot.replicates) return;
    for (let session = 1; session <= lastSession; session++) {
      if (dir.hasSnapshot(spec.name, replicate, session)) {
        memory = dir.readSnapshot(spec.name, replicate, session);
        continue;
      }
      const drifted = driftedIn(session, experiment.schedule.drift);
      const chain = chains.get(replicate)!;
      const scheduled = chain.sessions[session - 1]!;
      const sessionMemory = memory;
      const records = await Promise.all(
        scheduled.map(({ slot, task, slice, first_seen }) =>
          limit(async (): Promise<TrialRecord | undefined> => {
            const key: TrialKey = { arm: spec.name, replicate, session, slot, task: task.id };
            const previous = done.get(trialId(key));
            if (previous) return previous;
            stopReason ??= overRunBudget();
            if (stopReason) return undefined;
            const seedKey = `${experiment.seed}:r${replicate}:s${session}:${slot}:${task.id}`;
            const transcriptPath = dir.transcriptPath(key);
            // A re-run (after an infra or permanent failure) keeps the failed attempt's transcript, moved aside.
            const earlier = attemptsSoFar.get(trialId(key)) ?? 0;
            if (earlier > 0 && existsSync(transcriptPath)) {
              const kept = transcriptPath.replace(/\.json(\.gz)?$/, (extension) => `.failed-${earlier}${extension}`);
              renameSync(transcriptPath, kept);
              dir.event('transcript_kept', { trial: trialId(key), failed_attempt: earlier, transcript: dir.relative(kept) });
            }
            const artifacts = artifactsFor(key);
            const { record, transcript } = await executor.runTrial({
              ...(artifacts ? { artifacts } : {}),
              key,
              memoryText: arm.contextFor(task, sessionMemory),
              ...(arm.memoryStats ? { memoryStats: arm.memoryStats(task, sessionMemory) } : {}),
              ...(arm.runtime ? { memory: sessionMemory } : {}),
              drifted: [...drifted].sort(),
              budgets,
              seedKey,
              transcriptRef: dir.relative(transcriptPath),
              ...(plan.slices || plan.orders > 1
                ? {
                    labels: {
                      ...(plan.slices ? { slice } : {}),
                      ...(plan.orders > 1 ? { task_set: chain.task_set, order: chain.order } : {}),
                      ...(first_seen ? { first_seen } : {}),
                    },
                  }
                : {}),
            });
            // Transcript first, then the record: a record never points at a missing transcript. A
            // transcript the run does not keep (--transcripts failed|none) is still written when the
            // arm consolidates from it, and removed once the session's snapshot is safe.
            const kept = keepsTranscript(experiment.transcripts, record);
            if (kept || arm.afterSession) await writeTranscript(transcriptPath, transcript);
            if (!kept) record.transcript = '';
            dir.appendTrial(record);
            dir.event('trial_finished', { trial: trialId(key), success: record.success, error_class: record.error_class });
            countArtifacts(record);
            charge(spend, record);
            progress.trialDone(record);
            return record;
          }),
        ),
      );
      if (records.some((r) => r === undefined)) return; // stopped by the run budget
      const finished = records as TrialRecord[];
      const infra = finished.filter((r) => r.error_class === 'infra').length;
      const permanent = finished.filter((r) => r.error_class === 'permanent');
      if (infra > 0 || permanent.length > 0) {
        // The arm must not consolidate from a partial session: stop this chain here; resume retries.
        infraBlocked += infra;
        permanentBlocked += permanent.length;
        for (const r of permanent) if (r.error) permanentErrors.add(r.error);
        dir.event('session_blocked', {
          arm: spec.name,
          replicate,
          session,
          infra_trials: infra,
          ...(permanent.length ? { permanent_trials: permanent.length } : {}),
        });
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
        const transcript = (record: TrialRecord): Transcript =>
          readTranscript(options.runDir, record.transcript || dir.relative(dir.transcriptPath(record)));
        // Test-then-update: only train trials feed consolidation; eval and retest trials read memory, never write it.
        let consolidated;
        try {
          consolidated = await arm.afterSession({ memory, trials: finished.filter(isTrain), transcript }, context);
        } catch (error) {
          if (!(error instanceof ModelInfraError)) throw error;
          // The provider failed the consolidation (e.g. a vendor dream failed or timed out): like an
          // infra trial, it blocks this session boundary, is recorded, and is retried on resume.
          consolidationsBlocked++;
          dir.event('consolidation_failed', { arm: spec.name, replicate, session, error_class: 'infra', error: error.message });
          return;
        }
        if (consolidated.pending) {
          pendingReview++;
          dir.event('session_pending_review', { arm: spec.name, replicate, session, reason: consolidated.pending.reason });
          return;
        }
        // Secrets never reach memory: not the snapshot, nor what the next session's agent reads.
        memory = redactMemory(consolidated.memory);
        if (consolidated.usage) chargeUsage(spend, consolidated.usage);
        dir.writeSnapshot(spec.name, replicate, session, memory);
        for (const r of finished) if (!r.transcript) removeTranscript(options.runDir, dir.relative(dir.transcriptPath(r)));
        dir.event('session_consolidated', {
          arm: spec.name,
          replicate,
          session,
          ...(consolidated.usage ? { usage: consolidated.usage } : {}),
          ...(consolidated.details ? { details: consolidated.details } : {}),
        });
      } else {
        dir.writeSnapshot(spec.name, replicate, session, memory);
        for (const r of finished) if (!r.transcript) removeTranscript(options.runDir, dir.relative(dir.transcriptPath(r)));
        dir.event('session_consolidated', { arm: spec.name, replicate, session });
      }
      progress.sessionDone?.(spec.name, replicate, session);
    }
  };

  try {
    const chains: Promise<void>[] = [];
    for (const loaded of arms) for (const chain of plan.chains) chains.push(runChain(loaded, chain.replicate));
    await Promise.all(chains);
  } catch (error) {
    progress.stop();
    await executor.close().catch(() => undefined);
    setup.close();
    await drainTrialCleanups();
    if (error instanceof RunInterrupted) {
      // Nothing was lost: what finished is in trials.jsonl, the rest runs on resume.
      const message = `${error.message}. Run \`dreambench resume ${options.runDir}\` to continue.`;
      manifest.status = 'failed';
      manifest.stop_reason = message;
      manifest.updated_at = new Date().toISOString();
      writeJsonAtomic(dir.manifestPath, manifest);
      dir.event('run_interrupted', { reason: error.message });
      return {
        status: manifest.status,
        runDir: options.runDir,
        manifest,
        trials: dir.trials(),
        message,
        ...(warnings.length ? { warnings } : {}),
      };
    }
    manifest.status = 'failed';
    manifest.stop_reason = (error as Error).message;
    manifest.updated_at = new Date().toISOString();
    writeJsonAtomic(dir.manifestPath, manifest);
    dir.event('run_failed', { error: (error as Error).message });
    throw error;
  }
  progress.stop();
  await executor.close();
  setup.close();
  await drainTrialCleanups();

  const trials = dir.trials();
  let message: string | undefined;
  const pilotStopped = options.pilot !== undefined && trials.length < total;
  if (pilotStopped && !stopReason && pendingReview === 0 && infraBlocked === 0 && consolidationsBlocked === 0) {
    manifest.status = 'stopped_budget';
    message = `pilot done (${trials.length} of ${total} trials); \`dreambench resume ${options.runDir}\` runs the rest without repeating them`;
  } else if (stopReason) {
    manifest.status = 'stopped_budget';
    message = `${stopReason}; raise the budget and resume to continue`;
  } else if (pendingReview > 0) {
    manifest.status = 'awaiting_review';
    message = `${pendingReview} consolidation(s) wait for review: run \`dreambench memory review ${options.runDir}\`, then \`dreambench resume ${options.runDir}\``;
  } else if (permanentBlocked > 0) {
    manifest.status = 'failed';
    const examples = [...permanentErrors].slice(0, 2).join(' | ');
    message =
      `${permanentBlocked} trial(s) failed with a provider error that retrying will not fix (${examples}). ` +
      `Resume does not re-run them: fix the cause (key, model id, request), then run \`dreambench resume ${options.runDir} --retry-permanent\`.` +
      (infraBlocked > 0 ? ` ${infraBlocked} other trial(s) failed for transient infrastructure reasons; resume retries those.` : '');
  } else if (infraBlocked > 0) {
    manifest.status = 'failed';
    message = `${infraBlocked} trial(s) failed for infrastructure reasons (provider or environment); their sessions were not consolidated. Run \`dreambench resume ${options.runDir}\` to retry them.`;
  } else if (consolidationsBlocked > 0) {
    manifest.status = 'failed';
    message = `${consolidationsBlocked} consolidation(s) failed for infrastructure reasons (provider); their sessions were not consolidated. Run \`dreambench resume ${options.runDir}\` to retry them.`;
  } else {
    manifest.status = 'completed';
  }
  if (artifactsPolicy.cap_reached_at) {
    warnings.push(
      `kept artifacts reached the run's cap of ${(artifactsPolicy.max_bytes / 1024 ** 2).toFixed(0)} MB at trial ${artifactsPolicy.cap_reached_at}: later trials keep none (raise it with --artifacts-max-mb)`,
    );
  }
  if (message) manifest.stop_reason = message;
  else delete manifest.stop_reason;
  manifest.updated_at = new Date().toISOString();
  manifest.totals = { trials: trials.length, cost_usd: spend.cost };
  // Leak scan: memory must never hold gold answers, hidden tests or checker internals; a leak marks the run invalid.
  recordLeakScan(options.runDir, manifest, suites, trials);
  writeJsonAtomic(dir.manifestPath, manifest);
  dir.event('run_finished', { status: manifest.status, trials: trials.length });
  return {
    status: manifest.status,
    runDir: options.runDir,
    manifest,
    trials,
    ...(message ? { message } : {}),
    ...(warnings.length ? { warnings } : {}),
  };
}

/** The settings of an experiment outside its config hash (they never change a trial), but for the run budgets. */
function unhashedSettings(experiment: Experiment): Partial<Experiment> {
  return {
    concurrency: experiment.concurrency,
    ...(experiment.ci ? { ci: experiment.ci } : {}),
    ...(experiment.rate_limits ? { rate_limits: experiment.rate_limits } : {}),
  };
}

function runBudgetsOf(experiment: Experiment): { max_cost_per_run?: number; max_tokens_per_run?: number } {
  const { max_cost_per_run, max_tokens_per_run } = experiment.budgets;
  return {
    ...(max_cost_per_run !== undefined ? { max_cost_per_run } : {}),
    ...(max_tokens_per_run !== undefined ? { max_tokens_per_run } : {}),
  };
}

function readAllTrialLines(dir: RunDir): TrialRecord[] {
  return existsSync(dir.trialsPath) ? readJsonLines<TrialRecord>(dir.trialsPath) : [];
}

/** A suite without a sim policy runs on real models only: a sim run of it is refused before anything is written. */
function refuseSimWithoutPolicy(experiment: Experiment, suites: ReadonlyMap<string, Suite>): void {
  if (!isSimulated(experiment.model)) return;
  const without = [...suites.values()].filter((s) => !s.simPolicy).map((s) => s.name);
  if (without.length === 0) return;
  throw new RunSetupError(
    `suite${without.length > 1 ? 's' : ''} ${without.join(', ')} ${without.length > 1 ? 'have' : 'has'} no sim policy: the sim model (${experiment.model}) cannot do ${without.length > 1 ? 'their' : 'its'} tasks. ` +
      'Run with a real model (model: anthropic:<model-id> or openai:<model>), or give the suite a simPolicy.',
  );
}

function checkUniqueTaskIds(suites: ReadonlyMap<string, Suite>): void {
  const owner = new Map<string, string>();
  for (const suite of suites.values()) {
    for (const task of suite.tasks) {
      const other = owner.get(task.id);
      if (other)
        throw new RunSetupError(`task id "${task.id}" appears in suites "${other}" and "${suite.name}"; task ids must be unique in a run`);
      owner.set(task.id, suite.name);
    }
  }
}

export function isRunDir(path: string): boolean {
  return existsSync(new RunDir(path).manifestPath);
}

/**
 * The sandbox level, when a suite of the run runs code: chosen before anything is written (a level
 * that does not work here, or `auto` without bwrap and nothing weaker accepted, is bad input) and
 * printed, so nobody mistakes a weaker level for bwrap.
 */
async function sandboxFor(suites: ReadonlyMap<string, Suite>, experiment: Experiment): Promise<Manifest['sandbox']> {
  if (![...suites.values()].some((s) => s.usesSandbox)) return undefined;
  const requested = experiment.sandbox?.isolation ?? defaultIsolation();
  const accepted = experiment.sandbox?.accept ?? [];
  let level: Isolation;
  try {
    level = await chooseSandbox({ isolation: requested, ...(experiment.sandbox ? { accept: accepted } : {}) });
  } catch (error) {
    if (error instanceof SandboxError) throw new RunSetupError(`experiment: sandbox: ${error.message}`);
    throw error;
  }
  const weaker =
    level === 'bwrap'
      ? ''
      : level === 'unshare'
        ? ' (weaker than bwrap: host files stay readable; docs/sandbox.md)'
        : ' (NO file or network isolation: resource limits only; docs/sandbox.md)';
  const cap = cgroupSupport();
  const memoryCap = { kind: cap.kind, detail: describeMemoryCap(cap) };
  process.stderr.write(`sandbox: ${level}${weaker}\nsandbox memory cap: ${memoryCap.detail}\n`);
  return { requested, level, accepted: [...accepted], memoryCap };
}
