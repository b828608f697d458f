// The contract between the engine and a memory/feedback strategy. An arm is a folder under
// baselines/ whose index module default-exports an `ArmFactory`; the engine never names an arm.
//
// Memory is frozen for the length of a session: every trial of session s reads the memory as it
// was after session s-1, and what the arm learns from them is folded in at the session's end, in
// schedule order. That makes results independent of concurrency and lets a killed run resume exactly.

import type { ZodType } from 'zod';
import type { CallPurpose, ModelClient, ModelRequest, ModelResponse, Usage } from './messages.js';
import type { CheckResult, Environment, Task } from './suite.js';
import type { TrialRecord } from './records.js';
import type { Transcript } from '../agent/transcript.js';
import type { DigestOptions } from '../agent/digest.js';
import type { AgentBudgets, AgentRunInput, AgentRunResult } from '../agent/loop.js';

export type { DigestOptions };

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

/** One attempt at a task (a fresh workspace), possibly revised in place several times. */
export interface AttemptOutcome {
  /** 1-based attempt number. */
  attempt: number;
  /** 0 for the first try of an attempt, then 1, 2, ... for each revision round. */
  revision: number;
  stop: string;
  check: CheckResult;
  turns: number;
  tool_calls: number;
  /** An infrastructure failure (provider or environment) ended the attempt: stop the loop. */
  infra?: string;
  /** Set with `infra` when the provider's error will not heal by retrying (ModelPermanentError). */
  permanent?: boolean;
  /** What the arm's runtime reported for this run (Arm.runtime; e.g. a managed session's ids and outcome evaluations). */
  runtime?: Record<string, unknown>;
}

/**
 * What an arm with its own attempt loop (Reflexion, a grader loop, retries) drives. Every attempt
 * and revision is kept in the transcript, and its tokens and cost count towards the trial.
 */
export interface TrialDriver {
  readonly task: Task;
  /** The memory text the arm gave the agent (contextFor). */
  readonly memoryText: string;
  /** Start a new attempt in a fresh workspace; `extraContext` is added to the memory block (e.g. reflections). */
  attempt(extraContext?: string): Promise<AttemptOutcome>;
  /** Continue the latest attempt in the same workspace and conversation with a new user message (e.g. a grader's feedback). */
  revise(userMessage: string): Promise<AttemptOutcome>;
  /** What the latest attempt produced, as text a grader can read (never the agent's reasoning). */
  output(): Promise<string>;
  /** The suite's self-evaluation of the latest attempt (e.g. visible tests), or undefined if it has none. */
  selfEvaluate(): Promise<{ success: boolean; feedback: string[] } | undefined>;
  /**
   * A digest of the latest attempt for a reflection: task, outcome, tool errors, visible feedback.
   * `options` choose what it shows (e.g. Reflexion with only the tool errors visible).
   */
  digest(options?: DigestOptions): string;
  /**
   * A model call on the arm's account (a reflection, a grader): recorded in the transcript and in
   * the trial's arm_usage. `role` picks the agent's model or the grader model.
   */
  call(role: 'agent' | 'grader', request: ModelRequest, purpose: CallPurpose, label: string): Promise<ModelResponse>;
}

/** An independent grader's verdict on a trial's final output, kept next to the checker's. */
export interface GraderVerdict {
  success: boolean;
  score: number;
  criteria: Array<{ criterion: string; score: number; passed: boolean; feedback?: string }>;
  /** Every grading round of the trial, in order, keyed like `TrialRecord.attempts` (for per-round agreement). */
  rounds?: Array<{ attempt: number; revision: number; success: boolean; score: number; failure?: string }>;
  /** The grader gave no usable verdict (e.g. malformed replies): excluded from agreement, counted apart. */
  failure?: string;
}

export interface TrialLoopResult {
  /** Which attempt outcome is the trial's result (default: the last one). */
  final?: AttemptOutcome;
  grader?: GraderVerdict;
  /** Free-form, stored in the trial record's `notes` (e.g. reflections to keep). */
  notes?: string;
}

/**
 * Orchestration: an attempt run by a team instead of one agent. A lead agent acts through its own
 * tools (e.g. `delegate` and `submit`); specialists it calls work in the attempt's workspace with a
 * subset of the suite's tools. The checker always runs on the attempt's real environment. Every
 * specialist run is kept in the transcript (`subagents`) and counts towards the trial's turns,
 * tool calls, tokens and cost (per agent in the record's `agents`).
 */
export interface Orchestration {
  readonly name: string;
  /** Model specs its agents use besides the run's models: built when the run starts, so a bad spec fails early. */
  readonly models?: readonly string[];
  /** Set up the lead for one attempt (called once per attempt, before the lead's first turn). */
  lead(workspace: AttemptWorkspace): LeadSetup;
}

export interface LeadSetup {
  /** The lead's system prompt. */
  systemPrompt: string;
  /** What the lead acts in: its tools and their effects (e.g. a delegate tool over the workspace). */
  environment: Pick<Environment, 'tools' | 'call'>;
  /** The lead's model (default: the run's agent model). */
  model?: ModelClient;
  /** The lead's memory text (default: the attempt's memory). */
  memory?: string;
  /** How the lead is named in the record's per-agent accounting (default 'lead'). */
  role?: string;
}

/** One attempt's workspace as an orchestration sees it. */
export interface AttemptWorkspace {
  readonly task: Task;
  /** The attempt's environment (fresh workspace, the suite's tools): shared by every agent of the attempt. */
  readonly environment: Environment;
  /** The suite's system prompt. */
  readonly systemPrompt: string;
  /** The memory text of this attempt (the arm's context plus any extra context of the loop). */
  readonly memory: string;
  readonly budgets: AgentBudgets;
  /**
   * A model by spec: undefined or 'agent' for the run's agent model, 'grader' for the grader model,
   * otherwise a model spec (`sim:expert`, `anthropic:<id>`), built once per run.
   */
  model(spec?: string): ModelClient;
  /** Run a specialist in this workspace (recorded in the transcript and counted towards the trial). */
  runAgent(input: SubAgentInput): Promise<SubAgentResult>;
}

export interface SubAgentInput {
  /** The specialist's role name (e.g. 'drafter'). */
  role: string;
  /** Default: the run's agent model. */
  model?: ModelClient;
  systemPrompt: string;
  /** Memory text as a cacheable system block ('' for none). */
  memory: string;
  /** The first user message (the lead's instructions, with the task for context). */
  prompt: string;
  /** Names of the suite's tools it may use; a call to any other tool is refused with an error. */
  tools: string[];
  /** Default: the trial's max_turns. */
  max_turns?: number;
}

export interface SubAgentResult {
  role: string;
  stop: string;
  turns: number;
  tool_calls: number;
  /** The specialist's last text (its report to the lead). */
  report: string;
  /** The tool errors it met, in order. */
  tool_errors: string[];
  /** Set when a provider or the environment failed. */
  infra?: string;
}

/**
 * Where an attempt runs when it does not run in the built-in agent loop (harness/agent/loop.ts): e.g.
 * a vendor's hosted agent runtime (harness/managed/). The engine calls it instead of the loop for
 * every attempt and revision; the suite's environment, the checker, the record and the transcript
 * stay the engine's. It returns what the loop returns (conversation, turns, usage, cost, stop).
 */
export interface AgentRuntime {
  readonly name: string;
  run(input: RuntimeRunInput): Promise<AgentRunResult>;
  /**
   * The model settings this runtime's runs used, as its provider resolved them (recorded in
   * manifest.json under `runtime_settings.<arm>`), with warnings where they differ from what was
   * asked for; undefined before the first run.
   */
  settings?(): RuntimeSettings | undefined;
}

/** What a runtime reports of its model settings: what was asked for, what the provider resolved, and where they differ. */
export interface RuntimeSettings {
  runtime: string;
  requested: Record<string, unknown>;
  resolved: Record<string, unknown>;
  warnings: string[];
}

export interface RuntimeRunInput extends AgentRunInput {
  /** The trial's arm context (arm name, replicate, session, options, artifacts). */
  context: ArmContext;
  /** e.g. `managed-memory/r1/s002/003-nda-01`. */
  trialId: string;
  /** 1-based attempt of the trial. */
  attempt: number;
  /** 0 for the attempt's first run, then 1, 2, ... for each revision. */
  revision: number;
  /** The attempt's workspace (the environment's workdir): files the runtime fetches for the checker go here. */
  workdir: string;
  /** The memory of this session, frozen (what contextFor was given). */
  memoryFiles: MemoryFiles;
  /** A revision: what the attempt's previous run returned (its `runtime` details say how to continue it). */
  previous?: AgentRunResult;
}

export interface Arm {
  readonly name: string;
  /** Run attempts on this runtime instead of the built-in agent loop (see AgentRuntime). Not combinable with `orchestration`. */
  readonly runtime?: AgentRuntime;
  /**
   * Run every attempt of a trial as a team (see Orchestration). Works with or without `runTrial`:
   * an in-task loop's `driver.attempt()` and `driver.revise()` then drive the lead.
   */
  readonly orchestration?: Orchestration;
  /**
   * Numbers describing the memory a trial gets (e.g. `library_size`), stored in the record's
   * `memory_stats`. Memory is frozen within a session, so they describe the session's memory.
   */
  memoryStats?(task: Task, memory: MemoryFiles): Record<string, number>;
  /** Folder under the run directory for this arm's artifacts, when it differs from the factory's (compose). */
  readonly artifactsFolder?: string;
  /**
   * Checks that need the run's models (e.g. a model the arm's vendor feature must support), before
   * anything is written; throw an Error naming the option or model: the run stops as bad input.
   */
  checkRun?(run: { model: ModelClient; graderModel: ModelClient }): void;
  /**
   * The arm's own in-task loop. Without it a trial is one attempt. The loop must call
   * `driver.attempt()` at least once.
   */
  runTrial?(driver: TrialDriver, context: ArmContext): Promise<TrialLoopResult>;
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
  /**
   * The options it takes (an experiment's `arms[i].options`), as a zod schema: the engine validates
   * them with it (errors name the experiment file and the field), passes the parsed value (defaults
   * filled in) to `create` and `parts`, and merges it into the experiment's JSON Schema. Without it,
   * `create` gets the options as written and checks them itself.
   */
  options?: ZodType;
  /**
   * Arms this arm is built from (e.g. compose's memory, loop and orchestration parts), by folder name.
   * The engine loads their factories and passes them to `create` (createArm in harness/registry/arms.ts).
   */
  parts?(options: Record<string, unknown>): string[];
  /**
   * Whether the arm carries learnt state from trial to trial (notes, lessons, a skill library, a
   * memory store), so that what one replicate happened to learn early moves its later trials. The
   * report's intervals add that "memory luck" only for arms that carry memory (docs/statistics.md).
   * Undefined counts as true, the cautious side; stateless controls and in-task loops without
   * memory (retries, a grader's revise loop) return false. `parts`: as for `create`.
   */
  carriesMemory?(options: Record<string, unknown>, parts?: Readonly<Record<string, ArmFactory>>): boolean;
  /** Validate options and build the arm; throw an Error naming the bad option. `parts`: the factories `parts()` named. */
  create(options: Record<string, unknown>, parts?: Readonly<Record<string, ArmFactory>>): Arm;
}
