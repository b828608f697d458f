// The contract between the engine and a task suite. A suite is a folder under tasks/ whose index
// module default-exports a `Suite`; the engine never names a suite in its own code.

import type { ZodType } from 'zod';
import type { ModelRequest, ModelResponse, ToolSpec } from './messages.js';
import type { SimPolicy } from '../models/sim/policy.js';

export interface Family {
  id: string;
  title: string;
  description: string;
}

/**
 * A recurring way to fail that an experienced colleague would know. Declared as data per suite.
 * The agent never sees this table; the analysis does.
 */
export interface Pitfall {
  id: string;
  /** format_quirk | tool_workaround | preference | rule */
  kind: 'format_quirk' | 'tool_workaround' | 'preference' | 'rule';
  /** Families where it can bite; ['*'] for all. */
  families: string[];
  description: string;
  /** How the agent finds out: an error from a tool during the task, or review feedback after it. */
  surfaces: 'tool_error' | 'review';
  /** The choice the agent must get right, as `tool.param` (the sim's and the analysis's handle). */
  choice: string;
  /** What a naive agent does. */
  naive: string;
  /** What works (before any drift). */
  fix: string;
  /** When a drift event fires for this pitfall, what works from then on. */
  drift?: { fix: string; note: string };
}

export interface Task {
  id: string;
  suite: string;
  family: string;
  title: string;
  /** What the agent is asked, verbatim. */
  prompt: string;
  /** Files placed in the trial's workspace before it starts: relative path -> text. */
  files: Record<string, string>;
  /** Pitfalls that can bite in this task (ids from the suite's table). */
  pitfalls: string[];
  /** What a grader reads: criteria in plain language. */
  rubric: string[];
  /** Checker expectations, hidden from the agent. Suite-specific. */
  expected: Record<string, unknown>;
}

/** Drift: from `from_session` on, the pitfall's fix is its `drift.fix`. */
export interface DriftEvent {
  pitfall: string;
  from_session: number;
}

export interface ToolOutcome {
  content: string;
  is_error?: boolean;
  /** The agent declared the task done. */
  submitted?: boolean;
}

export interface CheckResult {
  success: boolean;
  /** 0..1, the fraction of checks passed. */
  score: number;
  /**
   * What a reviewer would tell the agent after the task (visible to arms that learn from feedback).
   * Never includes hidden expectations beyond what a human reviewer would say.
   */
  feedback: string[];
  /** Per-check results for the analysis and the report; hidden from the agent. */
  checks: Array<{ id: string; passed: boolean; detail?: string }>;
  /**
   * Signs that the submission tried to win the evaluation rather than do the task (tampering with
   * exit, assert, builtins, the test program or its marker). Non-empty: the trial fails and is
   * recorded with error_class `gaming` (the report shows a gaming rate per arm).
   */
  gaming?: string[];
}

export interface Environment {
  readonly tools: ToolSpec[];
  call(name: string, input: Record<string, unknown>): Promise<ToolOutcome>;
  /** Run the deterministic checker over what the agent produced. */
  check(): Promise<CheckResult>;
  /** Pitfall ids the agent triggered so far (tool errors during the task, review findings after check). */
  pitfallsHit(): string[];
  /**
   * What the agent produced, as text an independent grader can read (e.g. the document's text).
   * Never the agent's reasoning or the checker's expectations.
   */
  output?(): Promise<string>;
  /**
   * An evaluation the agent could run on its own work, without the hidden checker (e.g. a coding
   * task's visible tests). Reflexion's evaluator uses it so that retries are not decided by
   * ground truth the agent could not have seen.
   */
  selfEvaluate?(): Promise<{ success: boolean; feedback: string[] }>;
}

export interface EnvironmentContext {
  /** A fresh, empty directory owned by this trial. */
  workdir: string;
  session: number;
  /** Pitfall ids whose drift is active in this session. */
  drifted: ReadonlySet<string>;
  /**
   * A call to the run's grader model, for checkers that grade with a model (a rubric). Recorded in
   * the transcript and charged to the trial. Absent where no model is at hand (e.g. `tasks check`).
   */
  grade?(request: ModelRequest): Promise<ModelResponse>;
}

/** One problem in a suite's data files: which file, where in it, and what was expected. */
export interface ValidationIssue {
  /** The file, as given or relative to the package root. */
  file: string;
  /** The field path inside the file (e.g. `tasks[0].expected.sections`); '' for the whole file. */
  path: string;
  /** What was expected (and what was found). */
  message: string;
}

export interface Suite {
  name: string;
  description: string;
  /** Directory the suite's data lives in (for hashing into the manifest). */
  dataDir: string;
  systemPrompt: string;
  families: Family[];
  pitfalls: Pitfall[];
  tasks: Task[];
  createEnvironment(task: Task, context: EnvironmentContext): Promise<Environment>;
  /**
   * How the built-in `sim` model does this suite's tasks (without knowing the pitfalls). Optional: a
   * suite without one runs on real models only, and a run of it on a sim model is refused up front.
   */
  simPolicy?: SimPolicy;
  /**
   * The options it takes (`suite_options.<suite>`), as a zod schema: the engine validates them with it
   * (errors name the experiment file and the field), passes the parsed value (defaults filled in) to
   * `configure`, and merges it into the experiment's JSON Schema (`dreambench schema --experiment FILE`).
   */
  options?: ZodType;
  /**
   * Optional: check data files against the suite's schemas without running anything (`dreambench
   * tasks validate`). `target` is a data directory (the suite's own folder, its data/ folder, or a
   * copy of it) or one data file, checked against the rest of the suite's data. Returns every
   * problem found; empty when valid. Suites without it are checked by loading them.
   */
  validateData?(target: string): ValidationIssue[];
  /**
   * Optional, for a suite that takes options (the experiment's `suite_options.<suite>`): a copy
   * configured with them. The runner calls it for every suite of a run that has it, with `{}` when
   * the experiment sets none, and it throws an Error naming the option when they are wrong or missing.
   */
  configure?(options: Record<string, unknown>, context?: ConfigureContext): Suite;
  /**
   * Optional: check that the tasks can tell right from wrong (`dreambench tasks check`): a reference
   * solution or output must pass its checker, and a stub or an empty output must fail it. Returns one
   * verdict per task; a task that cannot be checked (no reference) says so in `skipped`.
   */
  checkTasks?(): Promise<TaskCheck[]>;
  /** Files or folders outside `dataDir` that also define the suite's version (hashed into the manifest), e.g. shared code or a user's task file. */
  hashPaths?: string[];
  /**
   * Optional: texts of this task that must never appear in an arm's memory (gold answers, hidden
   * tests, checker expectations): the leak scan's markers (harness/controls/leak-scan.ts,
   * `dreambench leak-scan`). A plain string is a checker expectation; `kind` names others (`gold`,
   * `hidden_test`). Default: the long strings of `task.expected` (defaultLeakMarkers). Either way,
   * texts the agent is shown (prompt, files, rubric, system prompt) are not secrets and are dropped.
   */
  leakMarkers?(task: Task): Array<string | LeakMarkerSpec>;
  /**
   * The suite runs untrusted code in the sandbox (harness/sandbox): a run that holds it chooses the
   * sandbox level before anything is written (the experiment's `sandbox`), records it in the
   * manifest and prints it.
   */
  usesSandbox?: boolean;
}

/** One task's verdict from `dreambench tasks check` (Suite.checkTasks). */
export interface TaskCheck {
  task: string;
  /** Every problem found (e.g. "the canonical solution fails: ..."); empty when the task is sound. */
  problems: string[];
  /** Why the task could not be checked (e.g. no reference output). */
  skipped?: string;
}

/** Where the experiment that configures a suite lives. */
export interface ConfigureContext {
  /** The folder of the experiment file (relative paths in options resolve against it); the working directory when there is no file. */
  baseDir: string;
}

/** A secret text of a task, for the leak scan (Suite.leakMarkers). */
export interface LeakMarkerSpec {
  text: string;
  /** `expected` (a checker expectation, the default), `gold` (a reference answer), `hidden_test`, or a suite's own word. */
  kind?: string;
  /** Where it comes from, for the report (e.g. `canonical solution`, `expected.facts[2].value`). */
  source?: string;
}

export function pitfallApplies(pitfall: Pitfall, family: string): boolean {
  return pitfall.families.includes('*') || pitfall.families.includes(family);
}

/** The value that works for a pitfall in a session, given the active drift events. */
export function currentFix(pitfall: Pitfall, drifted: ReadonlySet<string>): string {
  return drifted.has(pitfall.id) && pitfall.drift ? pitfall.drift.fix : pitfall.fix;
}
