// One chain of a run: the sessions of one (arm, replicate), in order. A session's trials run in
// parallel (up to the run's concurrency, shared by all chains) on memory frozen at the session's
// start; each finished trial is counted at once and written (transcript, then record) as soon as
// it returns, outside its concurrency slot (the next trial's model call overlaps that disk work); then the
// arm consolidates from the session's train trials and the new memory is snapshotted. A session
// with an infrastructure or permanent failure, a failed consolidation or one awaiting review ends
// the chain there: a resume picks it up at that session boundary (memory/ says which were crossed).

import { renameSync } from 'node:fs';
import type { LimitFunction } from 'p-limit';
import type { Transcript } from '../agent/transcript.js';
import type { Arm, ArmContext, ArtifactStore, MemoryFiles } from '../core/arm.js';
import type { ModelClient } from '../core/messages.js';
import { ModelInfraError } from '../core/messages.js';
import type { TrialKey, TrialRecord } from '../core/records.js';
import { trialId } from '../core/records.js';
import { isTrain } from '../core/slices.js';
import type { Experiment } from '../config/schema.js';
import type { RunPlan } from '../schedule/plan.js';
import { driftedIn } from '../schedule/schedule.js';
import { redactMemory } from '../security/redact.js';
import type { RunDir } from '../storage/run-dir.js';
import { TextStore } from '../storage/text-store.js';
import { keepsTranscript, readTranscript, removeTranscript, transcriptFile, writeTranscript } from '../storage/transcripts.js';
import type { LoadedArm, TrialExecutor, TrialJob } from './executor.js';
import type { ProgressSink } from './progress.js';
import { runBudgetStop } from './run-status.js';
import { artifactsTargetFor, countArtifacts, countRecorded, recordCapReached, type RunState } from './run-state.js';
import { charge, chargeUsage } from './spend.js';

/** What every chain of a run shares. */
export interface ChainContext {
  dir: RunDir;
  experiment: Experiment;
  plan: RunPlan;
  executor: TrialExecutor;
  /** The run's concurrency limit, shared by all chains. */
  limit: LimitFunction;
  /** The experiment's budgets: per trial (the agent's) and per run (checked before each trial starts). */
  budgets: Experiment['budgets'];
  graderModel: ModelClient;
  progress: ProgressSink;
  state: RunState;
  /** A pilot runs only the first sessions of the first replicates. */
  pilot?: { sessions: number; replicates: number } | undefined;
  /** Finished trials whose transcript and record are still being written: a run that stops waits for them. */
  pendingWrites: Set<Promise<void>>;
  /** Set when the run stops on an error: chains start no new trial and no consolidation. */
  stopping: boolean;
}

type Chain = RunPlan['chains'][number];
type Scheduled = Chain['sessions'][number][number];

/** Run the sessions of one (arm, replicate) that are not yet consolidated, in order. */
export async function runChain(ctx: ChainContext, loaded: LoadedArm, chain: Chain): Promise<void> {
  const { dir, experiment, pilot } = ctx;
  const { spec } = loaded;
  const replicate = chain.replicate;
  let memory: MemoryFiles = {};
  if (dir.hasSnapshot(spec.name, replicate, 0)) memory = dir.readSnapshot(spec.name, replicate, 0);
  else dir.writeSnapshot(spec.name, replicate, 0, memory);

  const lastSession = pilot ? Math.min(experiment.sessions, pilot.sessions) : experiment.sessions;
  if (pilot && replicate > pilot.replicates) return;
  for (let session = 1; session <= lastSession; session++) {
    if (dir.hasSnapshot(spec.name, replicate, session)) {
      memory = dir.readSnapshot(spec.name, replicate, session);
      continue;
    }
    const next = await runSession(ctx, loaded, chain, session, memory);
    if (next === undefined) return;
    memory = next;
    ctx.progress.sessionDone?.(spec.name, replicate, session);
  }
}

/** One session: its trials, then consolidation. Returns the memory for the next session, or undefined when the chain stops here. */
async function runSession(
  ctx: ChainContext,
  loaded: LoadedArm,
  chain: Chain,
  session: number,
  memory: MemoryFiles,
): Promise<MemoryFiles | undefined> {
  const scheduled = chain.sessions[session - 1] ?? [];
  const drifted = [...driftedIn(session, ctx.experiment.schedule.drift)].sort();
  const records = await Promise.all(
    scheduled.map(async (slot) => {
      const ran = await ctx.limit(() => runSlot(ctx, loaded, chain, session, slot, memory, drifted));
      await ran?.written;
      return ran?.record;
    }),
  );
  if (records.some((r) => r === undefined)) return undefined; // stopped by the run budget
  const finished = records as TrialRecord[];
  if (ctx.stopping) return undefined;
  if (blockSession(ctx, loaded.spec.name, chain.replicate, session, finished)) return undefined;
  return consolidateSession(ctx, loaded, chain.replicate, session, memory, finished);
}

/** A trial's record, and the writing of its transcript and record, which may still be under way. */
interface RanSlot {
  record: TrialRecord;
  written: Promise<void>;
}

/** One scheduled trial: its earlier record when done, undefined when the run budget stops it, else run, counted and being written. */
async function runSlot(
  ctx: ChainContext,
  { spec, arm }: LoadedArm,
  chain: Chain,
  session: number,
  { slot, task, slice, first_seen }: Scheduled,
  memory: MemoryFiles,
  drifted: string[],
): Promise<RanSlot | undefined> {
  const { dir, state, plan } = ctx;
  const key: TrialKey = { arm: spec.name, replicate: chain.replicate, session, slot, task: task.id };
  const previous = state.done.get(trialId(key));
  if (previous) return { record: previous, written: Promise.resolve() };
  if (ctx.stopping) return undefined;
  state.tally.stopReason ??= runBudgetStop(ctx.budgets, state.spend);
  if (state.tally.stopReason) return undefined;
  const transcriptPath = dir.transcriptPath(key);
  keepFailedTranscript(ctx, key, transcriptPath);
  const artifacts = artifactsTargetFor(state, dir, key);
  const job: TrialJob = {
    ...(artifacts ? { artifacts } : {}),
    key,
    memoryText: arm.contextFor(task, memory),
    ...(arm.memoryStats ? { memoryStats: arm.memoryStats(task, memory) } : {}),
    ...(arm.runtime ? { memory } : {}),
    drifted: [...drifted],
    budgets: ctx.budgets,
    seedKey: `${ctx.experiment.seed}:r${chain.replicate}:s${session}:${slot}:${task.id}`,
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
  };
  const { record, transcript } = await ctx.executor.runTrial(job);
  return { record, written: finishTrial(ctx, arm, transcriptPath, record, transcript) };
}

/**
 * A re-run (after an infra or permanent failure) keeps the failed attempt's transcript, moved aside as
 * <task>.failed-N with its own extension (`.json.br`, or `.json.gz` / `.json` in a run begun by an older
 * version). When `.failed-N` is already there, an earlier resume moved the failed attempt aside and the
 * file in place belongs to a re-run killed before its record was written: it is left to be overwritten.
 */
function keepFailedTranscript(ctx: ChainContext, key: TrialKey, transcriptPath: string): void {
  const earlier = ctx.state.attempts.get(trialId(key)) ?? 0;
  if (earlier === 0) return;
  const present = transcriptFile(ctx.dir.root, ctx.dir.relative(transcriptPath));
  if (!present) return;
  const aside = (path: string): string => path.replace(/\.json(\.gz|\.br)?$/, (extension) => `.failed-${earlier}${extension}`);
  if (transcriptFile(ctx.dir.root, ctx.dir.relative(aside(transcriptPath)))) return;
  const kept = aside(present);
  renameSync(present, kept);
  ctx.dir.event('transcript_kept', { trial: trialId(key), failed_attempt: earlier, transcript: ctx.dir.relative(kept) });
}

/**
 * A trial came back. At once (before the next trial may start, so that the run's budget stop and the
 * artifacts cap see it, as in one trial after another): count its spend and kept artifacts. Then,
 * in the returned promise: write its transcript, then its record (a record never points at a
 * missing transcript) and its journal line, batched with the other trials that finish in the same
 * turn of the event loop (RunDir.finishTrial). A killed run loses at most records not yet written:
 * those trials never finished, and resume runs them again. A transcript the run does not keep
 * (--transcripts failed|none) is still written when the arm consolidates from it, and removed once
 * the session's snapshot is safe.
 */
export function finishTrial(
  ctx: ChainContext,
  arm: Arm,
  transcriptPath: string,
  record: TrialRecord,
  transcript: Transcript,
): Promise<void> {
  const { dir, state } = ctx;
  const kept = keepsTranscript(ctx.experiment.transcripts, record);
  if (!kept) record.transcript = '';
  const capReached = countArtifacts(state, record);
  charge(state.spend, record);
  const write = async (): Promise<void> => {
    // Only a kept transcript shares texts through the run's store: one removed later must leave none behind.
    if (kept || arm.afterSession) await writeTranscript(transcriptPath, transcript, kept ? TextStore.ofRun(dir.root) : undefined);
    dir.finishTrial(record, { trial: trialId(record), success: record.success, error_class: record.error_class });
    countRecorded(state, record);
    if (capReached) recordCapReached(state, dir, capReached);
    ctx.progress.trialDone(record);
  };
  const written = write();
  ctx.pendingWrites.add(written);
  const settled = (): void => void ctx.pendingWrites.delete(written);
  written.then(settled, settled);
  return written;
}

/**
 * A run stopping on an error: no chain starts another trial or consolidation, and every finished
 * trial's transcript and record are written before the run records its stop (a finished, billed
 * trial is never lost to a failure elsewhere, so resume does not pay for it again).
 */
export async function settleChains(ctx: ChainContext): Promise<void> {
  ctx.stopping = true;
  while (ctx.pendingWrites.size > 0) await Promise.allSettled([...ctx.pendingWrites]);
}

/** A session with infrastructure or permanent failures must not be consolidated from: counted and journalled; true when blocked. */
function blockSession(ctx: ChainContext, arm: string, replicate: number, session: number, finished: TrialRecord[]): boolean {
  const infra = finished.filter((r) => r.error_class === 'infra').length;
  const permanent = finished.filter((r) => r.error_class === 'permanent');
  if (infra === 0 && permanent.length === 0) return false;
  const tally = ctx.state.tally;
  tally.infraBlocked += infra;
  tally.permanentBlocked += permanent.length;
  for (const r of permanent) if (r.error) tally.permanentErrors.add(r.error);
  ctx.dir.event('session_blocked', {
    arm,
    replicate,
    session,
    infra_trials: infra,
    ...(permanent.length ? { permanent_trials: permanent.length } : {}),
  });
  return true;
}

/**
 * The session boundary: the arm consolidates from the session's train trials (eval and retest
 * trials read memory, never write it), the result is redacted and snapshotted, and transcripts
 * kept only for consolidation are removed. Returns the next session's memory, or undefined when
 * the provider failed the consolidation or it waits for review (the chain stops; resume retries).
 */
async function consolidateSession(
  ctx: ChainContext,
  { spec, arm, artifactsFolder }: LoadedArm,
  replicate: number,
  session: number,
  memory: MemoryFiles,
  finished: TrialRecord[],
): Promise<MemoryFiles | undefined> {
  const { dir, state, experiment } = ctx;
  if (!arm.afterSession) {
    snapshot(ctx, spec.name, replicate, session, memory, finished);
    dir.event('session_consolidated', { arm: spec.name, replicate, session });
    return memory;
  }
  const artifacts: ArtifactStore = dir.artifacts(artifactsFolder, spec.name, replicate);
  const context: ArmContext = {
    arm: spec.name,
    replicate,
    session,
    model: ctx.graderModel,
    seedKey: `${experiment.seed}:r${replicate}:s${session}:consolidate`,
    options: spec.options,
    artifacts,
  };
  const transcript = (record: TrialRecord): Transcript =>
    readTranscript(dir.root, record.transcript || dir.relative(dir.transcriptPath(record)));
  let consolidated;
  try {
    consolidated = await arm.afterSession({ memory, trials: finished.filter(isTrain), transcript }, context);
  } catch (error) {
    if (!(error instanceof ModelInfraError)) throw error;
    // The provider failed the consolidation (e.g. a vendor dream failed or timed out): like an
    // infra trial, it blocks this session boundary, is recorded, and is retried on resume.
    state.tally.consolidationsBlocked++;
    // What the failed consolidation was billed anyway counts towards the run's spend (spend.ts reads it back on resume).
    if (error.spent) chargeUsage(state.spend, error.spent);
    dir.event('consolidation_failed', {
      arm: spec.name,
      replicate,
      session,
      error_class: 'infra',
      error: error.message,
      ...(error.spent ? { usage: error.spent } : {}),
    });
    return undefined;
  }
  if (consolidated.pending) {
    state.tally.pendingReview++;
    dir.event('session_pending_review', { arm: spec.name, replicate, session, reason: consolidated.pending.reason });
    return undefined;
  }
  // Secrets never reach memory: not the snapshot, nor what the next session's agent reads.
  const next = redactMemory(consolidated.memory);
  if (consolidated.usage) chargeUsage(state.spend, consolidated.usage);
  snapshot(ctx, spec.name, replicate, session, next, finished);
  dir.event('session_consolidated', {
    arm: spec.name,
    replicate,
    session,
    ...(consolidated.usage ? { usage: consolidated.usage } : {}),
    ...(consolidated.details ? { details: consolidated.details } : {}),
  });
  return next;
}

/** Snapshot the session's memory, then drop the transcripts the run keeps only for consolidation. */
function snapshot(ctx: ChainContext, arm: string, replicate: number, session: number, memory: MemoryFiles, finished: TrialRecord[]): void {
  const { dir } = ctx;
  dir.writeSnapshot(arm, replicate, session, memory);
  for (const r of finished) if (!r.transcript) removeTranscript(dir.root, dir.relative(dir.transcriptPath(r)));
}
