// The contract between the engine and a memory/feedback strategy. An arm is a folder under
// baselines/ whose index module default-exports an `ArmFactory`; the engine never names an arm.
//
// Memory is frozen for the length of a session: every trial of session s reads the memory as it
// was after session s-1, and what the arm learns from them is folded in at the session's end, in
// schedule order. That makes results independent of concurrency and lets a killed run resume exactly.

import type { ModelClient, Usage } from './messages.js';
import type { Task } from './suite.js';
import type { TrialRecord } from './records.js';
import type { Transcript } from '../agent/transcript.js';

/** A memory store as plain text: relative path -> contents. Snapshotted after every session. */
export type MemoryFiles = Record<string, string>;

export interface ArmUsage extends Usage {
  cost_usd: number;
  calls: number;
  wall_ms: number;
}

/** Files an arm keeps in the run directory, scoped to <run>/<folder>/<arm>/r<replicate>/ (e.g. dreams/...). */
export interface ArtifactStore {
  read<T>(name: string): T | undefined;
  /** Written atomically. */
  write(name: string, data: unknown): void;
  path(name: string): string;
}

export interface ArmContext {
  /** The arm's own name in this run (an arm can be listed twice with different options). */
  arm: string;
  replicate: number;
  session: number;
  model: ModelClient;
  /** The prefix for seed keys of calls the arm makes, unique to (run seed, arm, replicate, session). */
  seedKey: string;
  options: Record<string, unknown>;
  /** The arm's own files in the run directory (present in runs; absent in unit tests that do not need it). */
  artifacts?: ArtifactStore;
}

export interface AfterTrialInput {
  task: Task;
  record: TrialRecord;
  transcript: Transcript;
}

export interface AfterTrialResult {
  notes?: string;
  usage?: ArmUsage;
}

export interface AfterSessionInput {
  memory: MemoryFiles;
  /** The session's trials, in schedule order, with whatever the arm noted after each. */
  trials: TrialRecord[];
  /** A trial's full transcript (read from the run directory on demand). */
  transcript(record: TrialRecord): Transcript;
}

export interface AfterSessionResult {
  memory: MemoryFiles;
  usage?: ArmUsage;
  /** Free-form details written to the journal (e.g. a dream's changeset summary). */
  details?: Record<string, unknown>;
  /**
   * The consolidation waits for a person (human review): no snapshot is written, the chain stops at
   * this session boundary, and `dreambench resume` calls afterSession again once the review is done.
   */
  pending?: { reason: string };
}

export interface Arm {
  readonly name: string;
  /** The memory text the agent gets for this task ('' for none). */
  contextFor(task: Task, memory: MemoryFiles): string;
  /** After each trial (may call the model). Its result is stored with the trial record. */
  afterTrial?(input: AfterTrialInput, context: ArmContext): Promise<AfterTrialResult>;
  /** At the session's end: the consolidation step (append lessons, dream, extract skills). */
  afterSession?(input: AfterSessionInput, context: ArmContext): Promise<AfterSessionResult>;
}

export interface ArmFactory {
  name: string;
  description: string;
  /** Folder under the run directory for this arm's artifacts (default: the arm name). */
  artifactsFolder?: string;
  /** Validate options and build the arm; throw an Error naming the bad option. */
  create(options: Record<string, unknown>): Arm;
}
