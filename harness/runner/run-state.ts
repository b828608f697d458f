// The one mutable state of a run while its chains execute: which trials are already done (from
// trials.jsonl, so a resume skips them), how many earlier attempts each trial had (a re-run keeps
// their transcripts), what has been spent, the bytes of kept artifacts against the run's cap, and
// the tally that decides the run's status (run-status.ts). Every chain reads and updates this one
// object; the functions here are the only ones that change its artifact count.

import { join } from 'node:path';
import type { TrialKey, TrialRecord } from '../core/records.js';
import { trialId } from '../core/records.js';
import type { Manifest } from '../storage/manifest.js';
import { forEachJsonLine, type RunDir } from '../storage/run-dir.js';
import type { ArtifactsTarget } from './artifacts.js';
import { newTally, type RunTally } from './run-status.js';
import { spendSoFar, type Spend } from './spend.js';

export type ArtifactsPolicy = NonNullable<Manifest['artifacts']>;

export interface RunState {
  /** Trials that need no re-run, by trial id. */
  done: Map<string, TrialRecord>;
  /** Attempts in trials.jsonl when the run (or resume) started, per trial id (failed ones included). */
  attempts: Map<string, number>;
  /**
   * Distinct trials in trials.jsonl: those there at the start, plus each trial finished since that was
   * not there (a re-run of a failed trial replaces its record). Counted as trials finish, so the end of
   * a run needs no pass over every record.
   */
  recorded: number;
  /** What the run has spent, as billed (every attempt, consolidations, preflights). */
  spend: Spend;
  /** The manifest's artifacts policy (its cap_reached_at is set here when the cap is reached). */
  artifacts: ArtifactsPolicy;
  /** Bytes of artifacts the run keeps so far. */
  keptBytes: number;
  /**
   * The trial that reached the cap, as soon as it finished: the manifest's cap_reached_at is set only
   * once its record is written, so the manifest never names a trial that trials.jsonl lacks.
   */
  capReachedBy?: string;
  tally: RunTally;
}

/** The state a run (new or resumed) starts its chains from, read from its directory. */
export function loadRunState(dir: RunDir, artifacts: ArtifactsPolicy, options: { retryPermanent: boolean }): RunState {
  const done = new Map<string, TrialRecord>();
  for (const record of dir.trials()) {
    if (record.error_class === 'infra' || (record.error_class === 'permanent' && options.retryPermanent)) continue;
    done.set(trialId(record), record);
  }
  const attempts = new Map<string, number>();
  forEachJsonLine<TrialRecord>(dir.trialsPath, (record) => attempts.set(trialId(record), (attempts.get(trialId(record)) ?? 0) + 1));
  return {
    done,
    attempts,
    recorded: attempts.size,
    spend: spendSoFar(dir),
    artifacts,
    keptBytes: [...done.values()].reduce((sum, r) => sum + (r.artifacts?.bytes ?? 0), 0),
    tally: newTally(),
  };
}

/** Where a trial keeps its output files, with what is left of the run's cap; undefined when nothing is kept. */
export function artifactsTargetFor(state: RunState, dir: RunDir, key: TrialKey): ArtifactsTarget | undefined {
  const policy = state.artifacts;
  if (policy.keep === 'none' || policy.cap_reached_at || state.capReachedBy || state.keptBytes >= policy.max_bytes) return undefined;
  const ref = dir.artifactsRef(key);
  return { dir: join(dir.root, ref), ref, keep: policy.keep, max_bytes: policy.max_bytes - state.keptBytes };
}

/** Count a trial just appended to trials.jsonl (a re-run of a trial already there is not a new one). */
export function countRecorded(state: RunState, record: TrialRecord): void {
  if (!state.attempts.has(trialId(record))) state.recorded++;
}

/** The `artifacts_cap_reached` journal event of the trial that reached the run's cap of kept artifacts. */
export interface CapReached {
  max_bytes: number;
  kept_bytes: number;
  at_trial: string;
}

/**
 * Add a finished trial's kept bytes. For the first trial to reach the cap, later trials keep nothing
 * from now on, and the fields of its journal event are returned, for the caller to record (recordCapReached)
 * after the trial's own record.
 */
export function countArtifacts(state: RunState, record: TrialRecord): CapReached | undefined {
  const policy = state.artifacts;
  state.keptBytes += record.artifacts?.bytes ?? 0;
  if ((record.artifacts?.capped || state.keptBytes >= policy.max_bytes) && !policy.cap_reached_at && !state.capReachedBy) {
    state.capReachedBy = trialId(record);
    return { max_bytes: policy.max_bytes, kept_bytes: state.keptBytes, at_trial: trialId(record) };
  }
  return undefined;
}

/** Once the trial that reached the cap is in trials.jsonl: the manifest's policy names it, and the journal says so. */
export function recordCapReached(state: RunState, dir: RunDir, capReached: CapReached): void {
  state.artifacts.cap_reached_at = capReached.at_trial;
  dir.event('artifacts_cap_reached', { ...capReached });
}
