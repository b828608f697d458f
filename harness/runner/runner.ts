// The experiment runner: suites x arms x replicates x sessions. Each (arm, replicate) is a chain
// of sessions run in order; the trials of a session run in parallel up to `concurrency`, shared by
// all chains. Between sessions the arm consolidates its memory, and the result is snapshotted.
//
// Resume: trials.jsonl says which trials are done and memory/ says which session boundaries were
// crossed. A resumed run redoes only what is missing (and trials that failed for infrastructure
// reasons), so its trials are identical to those of an uninterrupted run with the same seed. Trials
// that failed with a permanent provider error (a bad key, a mistyped model) are not re-run, so a
// resume does not re-bill work that cannot succeed, unless `retryPermanent` says the cause is fixed.
// A re-run trial keeps the failed attempt's transcript, renamed <task>.failed-N.json.br (journalled).
//
// Before anything is written, the run's models are checked (model-checks.ts): options they would
// reject, a max_tokens too small for thinking, missing prices, retired models; then, for real
// providers, one minimal request per model (the preflight).
//
// Where a trial runs is the executor's business (executor.ts): in this process, or on workers
// (harness/distributed/bullmq.ts). The engine stays here either way: session order per (arm,
// replicate), memory frozen within a session, consolidation between sessions, and the run directory
// (the executor hands back each trial's record and transcript; only this process writes them).
//
// executeRun is a list of steps: resolve the experiment, check and prepare (nothing written yet),
// open the manifest, start the executor, run the chains (run-chain.ts) over one RunState
// (run-state.ts), then record the status that runStatus (run-status.ts) derives from the tally.

import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import pLimit from 'p-limit';
import type { ModelClient } from '../core/messages.js';
import type { TrialRecord } from '../core/records.js';
import type { Suite } from '../core/suite.js';
import type { Experiment } from '../config/schema.js';
import { isSimulated } from '../models/registry.js';
import type { CacheOptions } from '../models/cache.js';
import type { RateLimiterRegistry } from '../models/rate-limit.js';
import { loadExperimentSuites, SuiteOptionsError } from '../registry/suites.js';
import { buildRunPlan, PlanError, plannedTrials, type RunPlan } from '../schedule/plan.js';
import { checkResumable, sameConfigOrRefuse } from './resume-checks.js';
import { RunSetupError } from './setup-error.js';
import { recordLeakScan } from '../controls/leak-scan.js';
import { recordRuntimeSettings } from './runtime-settings.js';
import { scheduleWarnings } from '../schedule/schedule-warnings.js';
import { newManifest, suiteHash, type Manifest, type RunStatus } from '../storage/manifest.js';
import { RunDir, repairJsonLines, writeJsonAtomic } from '../storage/run-dir.js';
import { ArmSetupError, RunInterrupted, localExecutor, prepareRun, type RunSetup, type TrialExecutor } from './executor.js';
import { drainTrialCleanups } from './trial.js';
import { checkRunModels, preflightModels, runModelSpecs } from './model-checks.js';
import { DEFAULT_ARTIFACTS_MAX_BYTES, type KeepArtifacts } from './artifacts.js';
import type { ProgressSink } from './progress.js';
import { cgroupSupport, describeMemoryCap } from '../sandbox/cgroup.js';
import { chooseSandbox, defaultIsolation, SandboxError, type Isolation } from '../sandbox/sandbox.js';
import { silentProgress } from './progress.js';
import { runChain, settleChains, type ChainContext } from './run-chain.js';
import { forgetRunStore } from '../storage/text-store.js';
import { sweepSharedTexts } from '../storage/text-sweep.js';
import { lockRun } from './run-lock.js';
import { loadRunState, type ArtifactsPolicy, type RunState } from './run-state.js';
import { runStatus } from './run-status.js';

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
  /** Every trial record, read from trials.jsonl when first asked for (the run itself does not hold them). */
  trials: TrialRecord[];
  message?: string;
  /** Things the user should know that do not stop the run (e.g. resumed at another commit). */
  warnings?: string[];
}

export { RunSetupError } from './setup-error.js';

export async function executeRun(options: RunOptions): Promise<RunOutcome> {
  const dir = new RunDir(options.runDir);
  const progress = options.progress ?? silentProgress;
  const { resume, stored, experiment } = resolveExperiment(options, dir);
  const prepared = await prepareChecked(options, experiment, resume, stored);
  // One writer at a time (run-lock.ts): taken before the first write, released however the run ends.
  const release = lockRun(options.runDir);
  try {
    return await executeLocked(options, dir, experiment, stored, prepared, progress);
  } finally {
    release();
  }
}

async function executeLocked(
  options: RunOptions,
  dir: RunDir,
  experiment: Experiment,
  stored: Manifest | undefined,
  prepared: Prepared,
  progress: NonNullable<RunOptions['progress']>,
): Promise<RunOutcome> {
  const { setup, plan } = prepared;
  const manifest = openManifest(options, dir, experiment, stored, prepared);
  const executor = await startExecutor(options, dir, manifest, setup);

  forgetRunStore(dir.root);
  const state = loadRunState(dir, manifest.artifacts ?? defaultArtifacts(), { retryPermanent: options.retryPermanent ?? false });
  const total = setup.arms.length * plannedTrials(plan);
  progress.start({ total, alreadyDone: state.done.size, doneRecords: [...state.done.values()] });
  const context: ChainContext = {
    dir,
    experiment,
    plan,
    executor,
    limit: pLimit(experiment.concurrency),
    budgets: { ...experiment.budgets },
    graderModel: setup.graderModel,
    progress,
    state,
    pilot: options.pilot,
    pendingWrites: new Set(),
    stopping: false,
  };
  try {
    // A bounded number of chains at a time, replicate by replicate: each holds its memory and its
    // session's records, so the run's memory follows the work in flight, not the number of replicates.
    // Enough chains to keep every trial slot busy while others consolidate; results never depend on it.
    const chainLimit = pLimit(Math.max(4, 2 * experiment.concurrency));
    await Promise.all(plan.chains.flatMap((chain) => setup.arms.map((loaded) => chainLimit(() => runChain(context, loaded, chain)))));
  } catch (error) {
    await settleChains(context);
    progress.stop();
    await executor.close().catch(() => undefined);
    setup.close();
    await drainTrialCleanups();
    prepared.warnings.push(...recordRuntimeSettings(manifest, setup.arms));
    return recordStop(options, dir, manifest, prepared.warnings, error);
  }
  progress.stop();
  await executor.close();
  setup.close();
  await drainTrialCleanups();
  return recordEnd(options, dir, manifest, prepared, state, total);
}

/** A run's experiment: the given one for a new run; the manifest's for a resume, with the settings a resume may change. */
function resolveExperiment(options: RunOptions, dir: RunDir): { resume: boolean; stored: Manifest | undefined; experiment: Experiment } {
  // `run --out DIR` on an existing run: the same configuration resumes it; another is refused, with the fields that differ.
  let resume = options.resume ?? false;
  if (!resume && options.experiment && dir.exists()) {
    sameConfigOrRefuse(options.runDir, JSON.parse(readFileSync(dir.manifestPath, 'utf8')) as Manifest, options.experiment);
    resume = true;
  }
  if (!resume) {
    if (!options.experiment) throw new RunSetupError('executeRun needs an experiment for a new run');
    return { resume, stored: undefined, experiment: options.experiment };
  }
  if (!dir.exists()) throw new RunSetupError(`${options.runDir}: not a run directory (no manifest.json)`);
  const stored = JSON.parse(readFileSync(dir.manifestPath, 'utf8')) as Manifest;
  // `run` on its own run: the file's settings that never change a trial (concurrency, run budgets, ci, rate limits) apply.
  const given = options.resume ? undefined : options.experiment;
  const experiment: Experiment = {
    ...stored.experiment,
    ...(given ? unhashedSettings(given) : {}),
    ...(options.concurrency ? { concurrency: options.concurrency } : {}),
  };
  experiment.budgets = { ...stored.experiment.budgets, ...(given ? runBudgetsOf(given) : {}), ...options.runBudgets };
  stored.experiment = experiment;
  return { resume, stored, experiment };
}

/** What the setup produced once every check on the input passed. */
interface Prepared {
  suites: Map<string, Suite>;
  plan: RunPlan;
  setup: RunSetup;
  cache: CacheOptions | undefined;
  sandbox: Manifest['sandbox'];
  checked: ReturnType<typeof checkRunModels>;
  preflight: Awaited<ReturnType<typeof preflightModels>> | undefined;
  warnings: string[];
}

/** Everything that can fail on bad input fails here, before anything is written (as a RunSetupError). */
async function prepareChecked(
  options: RunOptions,
  experiment: Experiment,
  resume: boolean,
  stored: Manifest | undefined,
): Promise<Prepared> {
  const where = resume ? options.runDir : 'experiment';
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
    throw error instanceof PlanError ? new RunSetupError(`${where}: ${error.message}`) : error;
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
  const sandbox = await sandboxFor(suites, experiment);

  // The run's models: options they would reject, thinking budgets, prices, lifecycle; then the preflight.
  const orchestrated = setup.arms.flatMap((loaded) => loaded.arm.orchestration?.models ?? []);
  const checked = checkRunModels(experiment, runModelSpecs(experiment, orchestrated));
  let preflight: Awaited<ReturnType<typeof preflightModels>> | undefined;
  if (checked.problems.length === 0 && (options.preflight ?? !options.modelFactory)) {
    preflight = await preflightModels([setup.model, setup.graderModel, ...orchestrated.map((spec) => setup.modelFor(spec))]);
  }
  const problems = [...checked.problems, ...(preflight?.problems ?? [])];
  if (problems.length > 0) {
    setup.close();
    throw new RunSetupError(`${where}: ${problems.join('\n  ')}`);
  }
  if (stored) {
    for (const [name, suite] of suites) {
      const recorded = stored.suites[name]?.hash;
      const now = suiteHash(suite);
      if (recorded && recorded !== now) {
        throw new RunSetupError(
          `${options.runDir}: suite "${name}" changed since this run started (hash ${recorded}, now ${now}); resuming would mix two versions of the tasks. Start a new run.`,
        );
      }
    }
  }
  return { suites, plan, setup, cache, sandbox, checked, preflight, warnings: [...checked.warnings, ...(preflight?.warnings ?? [])] };
}

const defaultArtifacts = (): ArtifactsPolicy => ({ keep: 'all', max_bytes: DEFAULT_ARTIFACTS_MAX_BYTES });

/**
 * The manifest the run works under, written before the first trial: a resume's (its stored
 * configuration checked intact, leftovers of a killed writer swept, torn journal lines dropped) or
 * a new one; with this invocation's models, sandbox, artifacts policy and cache recorded.
 */
function openManifest(
  options: RunOptions,
  dir: RunDir,
  experiment: Experiment,
  stored: Manifest | undefined,
  prepared: Prepared,
): Manifest {
  const { suites, checked, preflight, sandbox, cache, warnings } = prepared;
  let manifest: Manifest;
  if (stored) {
    manifest = stored;
    // The stored configuration is intact, and the harness is the version that started the run (or the user said otherwise).
    warnings.push(...checkResumable(options.runDir, manifest, { allowHarnessChange: options.allowHarnessChange ?? false }));
    dir.sweepTemporaries();
    repairJsonLines(dir.trialsPath);
    repairJsonLines(dir.eventsPath);
    const texts = sweepSharedTexts(dir.root);
    if (texts.removed > 0 || texts.skipped) dir.event('shared_texts_swept', { ...texts });
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
    ...(manifest.artifacts ?? defaultArtifacts()),
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
  return manifest;
}

/** Where trials run: in this process, or wherever the caller's executor sends them. */
async function startExecutor(options: RunOptions, dir: RunDir, manifest: Manifest, setup: RunSetup): Promise<TrialExecutor> {
  const local = localExecutor(setup, (loaded, replicate) => dir.artifacts(loaded.artifactsFolder, loaded.spec.name, replicate));
  let executor: TrialExecutor;
  try {
    executor = options.executor ? await options.executor(setup, { runDir: options.runDir, manifest, local }) : local;
  } catch (error) {
    setup.close();
    throw error;
  }
  if (executor.name !== 'local') dir.event('executor', { name: executor.name });
  return executor;
}

/**
 * A chain threw. An interrupted executor lost nothing (what finished is in trials.jsonl, the rest
 * runs on resume): the run stops resumable. Any other error fails the run and is rethrown.
 */
function recordStop(options: RunOptions, dir: RunDir, manifest: Manifest, warnings: string[], error: unknown): RunOutcome {
  manifest.status = 'failed';
  manifest.updated_at = new Date().toISOString();
  if (error instanceof RunInterrupted) {
    const message = `${error.message}. Run \`dreambench resume ${options.runDir}\` to continue.`;
    manifest.stop_reason = message;
    writeJsonAtomic(dir.manifestPath, manifest);
    dir.event('run_interrupted', { reason: error.message });
    return withTrials(dir, {
      status: manifest.status,
      runDir: options.runDir,
      manifest,
      message,
      ...(warnings.length ? { warnings } : {}),
    });
  }
  manifest.stop_reason = (error as Error).message;
  writeJsonAtomic(dir.manifestPath, manifest);
  dir.event('run_failed', { error: (error as Error).message });
  throw error;
}

/**
 * Every chain returned: the run's status from its tally, totals, the leak scan, and the final manifest.
 * Nothing here holds the run's records: the trial count was kept as trials finished (RunState.recorded)
 * and the leak scan reads snapshots and transcripts chain by chain, so the end of a large run needs no
 * more memory than its middle.
 */
function recordEnd(options: RunOptions, dir: RunDir, manifest: Manifest, prepared: Prepared, state: RunState, total: number): RunOutcome {
  const { warnings } = prepared;
  dir.flush();
  const trials = state.recorded;
  const { status, message } = runStatus({
    tally: state.tally,
    runDir: options.runDir,
    trials,
    total,
    pilot: options.pilot !== undefined,
  });
  manifest.status = status;
  if (state.artifacts.cap_reached_at) {
    warnings.push(
      `kept artifacts reached the run's cap of ${(state.artifacts.max_bytes / 1024 ** 2).toFixed(0)} MB at trial ${state.artifacts.cap_reached_at}: later trials keep none (raise it with --artifacts-max-mb)`,
    );
  }
  if (message) manifest.stop_reason = message;
  else delete manifest.stop_reason;
  manifest.updated_at = new Date().toISOString();
  manifest.totals = { trials, cost_usd: state.spend.cost };
  // Leak scan: memory must never hold gold answers, hidden tests or checker internals; a leak marks the run invalid.
  recordLeakScan(options.runDir, manifest, prepared.suites);
  warnings.push(...recordRuntimeSettings(manifest, prepared.setup.arms));
  writeJsonAtomic(dir.manifestPath, manifest);
  dir.event('run_finished', { status: manifest.status, trials });
  return withTrials(dir, {
    status: manifest.status,
    runDir: options.runDir,
    manifest,
    ...(message ? { message } : {}),
    ...(warnings.length ? { warnings } : {}),
  });
}

/**
 * The outcome, with `trials` read from trials.jsonl when a caller first asks for them (then kept):
 * the CLI never does, so a large run ends without holding every record.
 */
function withTrials(dir: RunDir, outcome: Omit<RunOutcome, 'trials'>): RunOutcome {
  let trials: TrialRecord[] | undefined;
  return Object.defineProperty(outcome, 'trials', {
    enumerable: true,
    get: () => (trials ??= readTrialsOf(dir)),
  }) as RunOutcome;
}

/** A run directory removed before its trials were read would otherwise read as a run of no trials. */
function readTrialsOf(dir: RunDir): TrialRecord[] {
  if (!existsSync(dir.trialsPath)) {
    throw new Error(`${dir.trialsPath} is gone: read the run outcome's trials before removing its run directory`);
  }
  return dir.trials();
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
