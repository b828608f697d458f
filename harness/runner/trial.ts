// One trial: a fresh workspace, the suite's environment, the agent loop, the checker, the arm's
// after-trial step. Arms with an in-task loop (Reflexion, grader loops, retries) drive attempts
// through a TrialDriver; otherwise a trial is one attempt. Returns the record and the transcript;
// writing them is the runner's job.

import { withCappedReplies } from '../core/tool-reply-cap.js';
import type { Arm, ArmContext, AttemptOutcome, MemoryFiles, TrialDriver, TrialLoopResult } from '../core/arm.js';
import type { CallPurpose, Message, ModelClient, ModelRequest, ModelResponse, SystemBlock, Usage } from '../core/messages.js';
import { addUsage, emptyUsage, ModelInfraError, ModelPermanentError, textOf } from '../core/messages.js';
import type { ErrorClass, TrialKey, TrialRecord } from '../core/records.js';
import { trialId } from '../core/records.js';
import type { CheckResult, Environment, Suite, Task } from '../core/suite.js';
import { pitfallApplies } from '../core/suite.js';
import { runAgent, type AgentBudgets, type AgentRunInput, type AgentRunResult } from '../agent/loop.js';
import type { SubagentTranscript, Transcript, TranscriptTurn } from '../agent/transcript.js';
import { trialDigest, type DigestOptions } from '../agent/digest.js';
import { AgentLedger, setUpLead, type Lead } from './team.js';
import { keepArtifacts, type ArtifactsTarget } from './artifacts.js';
import { removeWorkspace } from './remove-workspace.js';
import { removeSpareWorkspace, takeWorkspace } from './workspace-folders.js';

export interface TrialInput {
  key: TrialKey;
  task: Task;
  suite: Suite;
  arm: Arm;
  armContext: ArmContext;
  model: ModelClient;
  graderModel: ModelClient;
  memoryText: string;
  drifted: ReadonlySet<string>;
  budgets: AgentBudgets;
  seedKey: string;
  transcriptRef: string;
  /** Builds a model from a spec, once per run (orchestrations with per-role models). */
  modelFor?: (spec: string) => ModelClient;
  /** The arm's description of the memory this trial gets (Arm.memoryStats), stored in the record. */
  memoryStats?: Record<string, number>;
  /** The session's frozen memory (what contextFor was given); an arm's runtime (Arm.runtime) gets it. */
  memory?: MemoryFiles;
  /** Slice, order and task set, stored in the record. Eval and retest trials are read-only: the arm's afterTrial is not called. */
  labels?: TrialLabels;
  /** Where to keep what the trial produced (harness/runner/artifacts.ts); absent: nothing is kept. */
  artifacts?: ArtifactsTarget;
}

/** What a trial record says about its place in the experimental design (harness/schedule/plan.ts). */
export type TrialLabels = Pick<TrialRecord, 'slice' | 'task_set' | 'order' | 'first_seen'>;

interface Attempt {
  workdir: string;
  environment: Environment;
  system: SystemBlock[];
  messages: Message[];
  turns: TranscriptTurn[];
  outcome?: AttemptOutcome;
  lastRun?: AgentRunResult;
  /** Orchestrated attempts: the lead (what runAgent drives) and the specialist runs so far. */
  lead?: Lead;
  subagents: SubagentTranscript[];
  /** Specialist turns and tool calls already reported in an outcome of this attempt. */
  reported: { turns: number; tool_calls: number };
}

const BUDGET_STOPS = new Set(['max_turns', 'token_budget', 'cost_budget', 'max_tokens']);
const EMPTY_CHECK: CheckResult = { success: false, score: 0, feedback: [], checks: [] };

/** Runs attempts for one trial and keeps everything the record and transcript need. */
class Driver implements TrialDriver {
  readonly attempts: Attempt[] = [];
  readonly outcomes: AttemptOutcome[] = [];
  readonly usage: Usage = emptyUsage();
  cost = 0;
  /** A runtime's infrastructure cost apart from tokens (e.g. a managed session's active time). */
  runtimeCost = 0;
  runtimeCostSources = new Set<string>();
  listCost: number | undefined;
  toolCalls = 0;
  readonly armUsage: Usage = emptyUsage();
  armCost = 0;
  readonly armCalls: NonNullable<Transcript['arm_calls']> = [];
  /** Per-agent accounting, kept when the arm has an orchestration. */
  readonly ledger = new AgentLedger();
  private calls = 0;

  constructor(private readonly input: TrialInput) {}

  get task(): Task {
    return this.input.task;
  }
  get memoryText(): string {
    return this.input.memoryText;
  }
  get latest(): Attempt | undefined {
    return this.attempts.at(-1);
  }

  async attempt(extraContext?: string): Promise<AttemptOutcome> {
    const { task, suite, key } = this.input;
    const workdir = takeWorkspace();
    const environment = withCappedReplies(
      await suite.createEnvironment(task, {
        workdir,
        session: key.session,
        drifted: this.input.drifted,
        grade: (request) => this.callModel('grader', request, 'grade', 'checker'),
      }),
    );
    const attempt: Attempt = {
      workdir,
      environment,
      system: [],
      messages: [],
      turns: [],
      subagents: [],
      reported: { turns: 0, tool_calls: 0 },
    };
    this.attempts.push(attempt);
    const memory = [this.input.memoryText, extraContext ?? ''].filter((t) => t.trim()).join('\n\n');
    const index = this.attempts.length;
    // The first attempt keeps the plain trial seed, so a one-attempt arm draws like a trial without a loop.
    const seedKey = index === 1 ? this.input.seedKey : `${this.input.seedKey}:a${index}`;
    if (this.input.arm.orchestration) attempt.lead = this.setUpLead(attempt, index, memory, seedKey);
    const run = await this.runOn(attempt, index, 0, {
      model: attempt.lead?.model ?? this.input.model,
      task,
      systemPrompt: attempt.lead?.systemPrompt ?? suite.systemPrompt,
      memory: attempt.lead?.memory ?? memory,
      environment: attempt.lead?.environment ?? environment,
      budgets: this.input.budgets,
      seedKey,
    });
    return this.finish(attempt, run, index, 0);
  }

  async revise(userMessage: string): Promise<AttemptOutcome> {
    const attempt = this.latest;
    if (!attempt?.outcome) throw new Error('revise() needs an attempt first');
    if (attempt.outcome.infra) return attempt.outcome;
    const index = this.attempts.length;
    const run = await this.runOn(attempt, index, attempt.outcome.revision + 1, {
      model: attempt.lead?.model ?? this.input.model,
      task: this.input.task,
      systemPrompt: this.input.suite.systemPrompt,
      memory: '',
      environment: attempt.lead?.environment ?? attempt.environment,
      budgets: this.input.budgets,
      seedKey: index === 1 ? this.input.seedKey : `${this.input.seedKey}:a${index}`,
      resume: { system: attempt.system, messages: attempt.messages, userMessage },
    });
    return this.finish(attempt, run, index, attempt.outcome.revision + 1);
  }

  /** The built-in agent loop, or the arm's own runtime (Arm.runtime) when it has one. */
  private runOn(attempt: Attempt, index: number, revision: number, input: AgentRunInput): Promise<AgentRunResult> {
    const runtime = this.input.arm.runtime;
    if (!runtime) return runAgent(input);
    if (this.input.arm.orchestration)
      throw new Error(`arm ${this.input.arm.name}: a runtime (${runtime.name}) and an orchestration cannot be combined`);
    return runtime.run({
      ...input,
      context: this.input.armContext,
      trialId: trialId(this.input.key),
      attempt: index,
      revision,
      workdir: attempt.workdir,
      memoryFiles: this.input.memory ?? {},
      ...(attempt.lastRun ? { previous: attempt.lastRun } : {}),
    });
  }

  private async finish(attempt: Attempt, run: AgentRunResult, index: number, revision: number): Promise<AttemptOutcome> {
    attempt.system = run.system;
    attempt.messages = run.messages;
    attempt.turns.push(...run.turns);
    attempt.lastRun = run;
    addUsage(this.usage, run.usage);
    this.cost += run.cost_usd;
    this.runtimeCost += run.runtime_cost_usd ?? 0;
    if (run.runtime_cost_source) this.runtimeCostSources.add(run.runtime_cost_source);
    if (run.list_cost_usd !== undefined) this.listCost = (this.listCost ?? 0) + run.list_cost_usd;
    this.toolCalls += run.tool_calls;
    // Specialists ran inside this run (their usage is already charged): their turns count in its outcome.
    const sub = this.subTotals(attempt);
    const subTurns = sub.turns - attempt.reported.turns;
    const subCalls = sub.tool_calls - attempt.reported.tool_calls;
    attempt.reported = sub;
    if (attempt.lead) {
      this.ledger.add(attempt.lead.role, attempt.lead.model.id, {
        turns: run.turns.length,
        tool_calls: run.tool_calls,
        usage: run.usage,
        cost_usd: run.cost_usd,
      });
    }
    // The provider failed (transiently or for good): nothing the agent did can be checked fairly.
    const failed = run.stop === 'infra' || run.stop === 'permanent';
    const check = failed ? EMPTY_CHECK : await attempt.environment.check();
    const outcome: AttemptOutcome = {
      attempt: index,
      revision,
      stop: run.stop,
      check,
      turns: run.turns.length + subTurns,
      tool_calls: run.tool_calls + subCalls,
      ...(failed && run.infra_error ? { infra: run.infra_error } : {}),
      ...(run.stop === 'permanent' ? { permanent: true } : {}),
      ...(run.runtime ? { runtime: run.runtime } : {}),
    };
    attempt.outcome = outcome;
    this.outcomes.push(outcome);
    return outcome;
  }

  async output(): Promise<string> {
    const environment = this.latest?.environment;
    if (!environment) throw new Error('output() needs an attempt first');
    return environment.output ? environment.output() : '(this suite exposes no text output to graders)';
  }

  async selfEvaluate(): Promise<{ success: boolean; feedback: string[] } | undefined> {
    const environment = this.latest?.environment;
    if (!environment) throw new Error('selfEvaluate() needs an attempt first');
    return environment.selfEvaluate ? environment.selfEvaluate() : undefined;
  }

  digest(options?: DigestOptions): string {
    const attempt = this.latest;
    if (!attempt?.outcome) throw new Error('digest() needs an attempt first');
    return trialDigest(this.transcriptOf(attempt, attempt.outcome), this.input.task.title, options);
  }

  async call(role: 'agent' | 'grader', request: ModelRequest, purpose: CallPurpose, label: string): Promise<ModelResponse> {
    // An arm grading the latest output (an outcomes round): the checker has judged that output already.
    const check = role === 'grader' && purpose === 'grade' ? this.latest?.outcome?.check : undefined;
    return this.callModel(role, request, purpose, label, check && !this.latest?.outcome?.infra ? { success: check.success } : undefined);
  }

  private async callModel(
    role: 'agent' | 'grader',
    request: ModelRequest,
    purpose: CallPurpose,
    label: string,
    reference?: { success: boolean },
  ): Promise<ModelResponse> {
    const model = role === 'agent' ? this.input.model : this.input.graderModel;
    const { task } = this.input;
    const response = await model.create(request, {
      seedKey: `${this.input.seedKey}:arm:${this.calls++}:${label}`,
      purpose,
      subject: { suite: task.suite, family: task.family, task: task.id },
      ...(reference ? { reference } : {}),
    });
    addUsage(this.armUsage, response.usage);
    this.armCost += response.cost_usd;
    this.armCalls.push({
      label,
      purpose,
      role,
      request: { system: request.system, messages: request.messages },
      response: textOf(response.content),
      usage: response.usage,
      cost_usd: response.cost_usd,
    });
    return response;
  }

  private setUpLead(attempt: Attempt, index: number, memory: string, seedKey: string): Lead {
    return setUpLead(this.input.arm.orchestration!, {
      task: this.input.task,
      environment: attempt.environment,
      systemPrompt: this.input.suite.systemPrompt,
      memory,
      budgets: this.input.budgets,
      seedKey,
      attempt: index,
      agentModel: this.input.model,
      graderModel: this.input.graderModel,
      ...(this.input.modelFor ? { modelFor: this.input.modelFor } : {}),
      record: (run) => attempt.subagents.push(run),
      charge: (role, model, run) => {
        addUsage(this.usage, run.usage);
        this.cost += run.cost_usd;
        this.toolCalls += run.tool_calls;
        this.ledger.add(role, model, run);
      },
    });
  }

  subTotals(attempt: Attempt): { turns: number; tool_calls: number } {
    return {
      turns: attempt.subagents.reduce((sum, s) => sum + s.turns.length, 0),
      tool_calls: attempt.subagents.reduce((sum, s) => sum + s.tool_calls, 0),
    };
  }

  /** A transcript view of one attempt (for digests and the final transcript). */
  transcriptOf(attempt: Attempt, outcome: AttemptOutcome): Transcript {
    const { key, suite, task } = this.input;
    return {
      format: 'dreambench.transcript/v1',
      trial_id: trialId(key),
      suite: suite.name,
      family: task.family,
      task: task.id,
      model: this.input.model.id,
      system: attempt.system,
      tools: (attempt.lead?.environment ?? attempt.environment).tools,
      messages: attempt.messages,
      turns: attempt.turns,
      ...(attempt.subagents.length ? { subagents: attempt.subagents } : {}),
      ...(attempt.lastRun?.runtime ? { runtime: attempt.lastRun.runtime } : {}),
      outcome: {
        success: outcome.check.success,
        score: outcome.check.score,
        error_class: errorClassOf(outcome),
        ...(outcome.infra ? { error: outcome.infra } : {}),
        feedback: outcome.check.feedback,
        pitfalls_hit: attempt.environment.pitfallsHit(),
      },
    };
  }

  /** Removes the workspaces in the background (off the event loop); drainTrialCleanups() waits for them. */
  dispose(): void {
    for (const attempt of this.attempts) {
      const removal: Promise<void> = removeWorkspace(attempt.workdir).finally(() => pendingCleanups.delete(removal));
      pendingCleanups.add(removal);
    }
  }
}

const pendingCleanups = new Set<Promise<void>>();

/** Waits until every finished trial's workspace, and the spare one, is removed (the runner calls it before it returns). */
export async function drainTrialCleanups(): Promise<void> {
  while (pendingCleanups.size > 0) await Promise.all([...pendingCleanups]);
  await removeSpareWorkspace();
}

function errorClassOf(outcome: AttemptOutcome): ErrorClass {
  if (outcome.permanent) return 'permanent';
  if (outcome.infra) return 'infra';
  if (outcome.check.gaming?.length) return 'gaming';
  if (outcome.check.success) return 'none';
  if (outcome.stop === 'context_window') return 'context';
  return BUDGET_STOPS.has(outcome.stop) ? 'budget' : 'agent';
}

/** Why a trial that ran to a stop other than success stopped, in the reader's words. */
function stopNote(outcome: AttemptOutcome, budgets: AgentBudgets): string | undefined {
  if (outcome.check.success) return undefined;
  if (outcome.stop === 'max_tokens')
    return `stopped: a reply hit max_tokens (${budgets.max_output_tokens}); a tool call it cut off was not run. Raise budgets.max_output_tokens.`;
  if (outcome.stop === 'context_window') return "stopped: the conversation no longer fits the model's context window";
  if (outcome.stop === 'refusal') return 'the model refused (stop_reason refusal)';
  return BUDGET_STOPS.has(outcome.stop) ? `stopped: ${outcome.stop.replace('_', ' ')}` : undefined;
}

/** Re-sent prefix tokens and cache reads over consecutive turns of each conversation (see TrialRecord.cache_prefix). */
function cachePrefix(turnLists: ReadonlyArray<readonly TranscriptTurn[]>): { resent_tokens: number; read_tokens: number } {
  let resent = 0;
  let read = 0;
  for (const turns of turnLists) {
    for (let i = 1; i < turns.length; i++) {
      const before = turns[i - 1]!.usage;
      const prefix = before.input_tokens + before.cache_read_tokens + before.cache_write_tokens;
      resent += prefix;
      read += Math.min(prefix, turns[i]!.usage.cache_read_tokens);
    }
  }
  return { resent_tokens: resent, read_tokens: read };
}

export async function runTrial(input: TrialInput): Promise<{ record: TrialRecord; transcript: Transcript }> {
  const { task, suite, key } = input;
  const started = performance.now();
  const driver = new Driver(input);
  try {
    let loop: TrialLoopResult = {};
    let infraFailure: string | undefined;
    let infraPermanent = false;
    try {
      if (input.arm.runTrial) {
        loop = await input.arm.runTrial(driver, input.armContext);
        if (driver.outcomes.length === 0) throw new Error(`arm ${input.arm.name}: runTrial finished without an attempt`);
      } else {
        await driver.attempt();
      }
    } catch (failure) {
      if (!(failure instanceof ModelInfraError)) throw failure;
      // A reflection or grader call failed at the provider: the trial is incomplete, not the agent's fault.
      infraFailure = `arm call: ${failure.message}`;
      infraPermanent = failure instanceof ModelPermanentError && failure.kind === 'permanent';
    }
    const final = loop.final ?? driver.outcomes.at(-1)!;
    const finalAttempt = driver.attempts[final.attempt - 1]!;
    let errorClass = errorClassOf(final);
    let error = final.infra ?? stopNote(final, input.budgets);
    const failedOutcome = driver.outcomes.find((o) => o.infra);
    if (infraFailure || failedOutcome) {
      errorClass = (infraFailure ? infraPermanent : failedOutcome?.permanent) ? 'permanent' : 'infra';
      error = infraFailure ?? failedOutcome!.infra;
    }
    const spoiled = errorClass === 'infra' || errorClass === 'permanent';

    // Pitfalls hit over the whole trial (any attempt), so retries cannot hide a pitfall the agent fell into.
    const hit = spoiled ? [] : [...new Set(driver.attempts.flatMap((a) => a.environment.pitfallsHit()))];
    const applicable = suite.pitfalls.filter((p) => task.pitfalls.includes(p.id) && pitfallApplies(p, task.family)).map((p) => p.id);
    const multi = driver.outcomes.length > 1 || Boolean(input.arm.runTrial);

    const record: TrialRecord = {
      ...key,
      ...input.labels,
      suite: suite.name,
      family: task.family,
      model: input.model.id,
      success: errorClass === 'none',
      score: final.check.score,
      // Orchestrated attempts: the specialists' turns count too.
      turns: driver.attempts.reduce((sum, a) => sum + a.turns.length + driver.subTotals(a).turns, 0),
      tool_calls: driver.toolCalls,
      input_tokens: driver.usage.input_tokens,
      output_tokens: driver.usage.output_tokens,
      cache_read_tokens: driver.usage.cache_read_tokens,
      cache_write_tokens: driver.usage.cache_write_tokens,
      cost_usd: driver.cost,
      ...(driver.runtimeCost > 0 ? { runtime_cost_usd: driver.runtimeCost } : {}),
      ...(driver.runtimeCostSources.size ? { runtime_cost_source: [...driver.runtimeCostSources].join('; ') } : {}),
      ...(driver.listCost !== undefined ? { list_cost_usd: driver.listCost } : {}),
      wall_ms: 0,
      error_class: errorClass,
      ...(error ? { error } : {}),
      ...(errorClass === 'gaming' ? { gaming: final.check.gaming } : {}),
      pitfalls_hit: hit,
      // Avoided: could bite in this task and the agent never triggered it (only meaningful when the trial ran).
      pitfalls_avoided: spoiled ? [] : applicable.filter((id) => !hit.includes(id)),
      feedback: final.check.feedback,
      checks: final.check.checks,
      ...(multi
        ? {
            attempts: driver.outcomes.map((o) => ({
              attempt: o.attempt,
              revision: o.revision,
              success: o.check.success && !o.infra,
              score: o.check.score,
              turns: o.turns,
              stop: o.stop,
            })),
          }
        : {}),
      ...(driver.usage.thinking_tokens ? { thinking_tokens: driver.usage.thinking_tokens } : {}),
      ...(driver.outcomes.some((o) => o.stop === 'refusal')
        ? { refusals: driver.outcomes.filter((o) => o.stop === 'refusal').length }
        : {}),
      ...cachePrefixField(driver.attempts.map((a) => a.turns)),
      ...(loop.grader ? { grader: loop.grader } : {}),
      ...(loop.notes !== undefined ? { notes: loop.notes } : {}),
      ...(input.memoryStats ? { memory_stats: input.memoryStats } : {}),
      ...(driver.ledger.size ? { agents: driver.ledger.list() } : {}),
      transcript: input.transcriptRef,
    };
    const transcript = driver.transcriptOf(finalAttempt, final);
    transcript.outcome = {
      success: record.success,
      score: record.score,
      error_class: record.error_class,
      ...(record.error ? { error: record.error } : {}),
      feedback: record.feedback,
      pitfalls_hit: record.pitfalls_hit,
    };
    const earlier = driver.attempts.filter((a) => a !== finalAttempt);
    if (earlier.length) transcript.previous_attempts = earlier.map((a) => ({ system: a.system, messages: a.messages, turns: a.turns }));
    if (driver.armCalls.length) transcript.arm_calls = driver.armCalls;
    const subagents = driver.attempts.flatMap((a) => a.subagents);
    if (subagents.length) transcript.subagents = subagents;
    else delete transcript.subagents;

    // Read-only trials (eval, retest) never write memory: no afterTrial, so they leave no notes for the session's end.
    const readOnly = input.labels?.slice !== undefined && input.labels.slice !== 'train';
    if (input.arm.afterTrial && !spoiled && !readOnly) {
      try {
        const after = await input.arm.afterTrial({ task, record, transcript }, input.armContext);
        if (after.notes !== undefined) record.notes = after.notes;
        if (after.usage) {
          addUsage(driver.armUsage, after.usage);
          driver.armCost += after.usage.cost_usd;
        }
      } catch (failure) {
        if (!(failure instanceof ModelInfraError)) throw failure;
        // The arm's step is part of the trial: without it the arm learns nothing, so re-run it on resume.
        const errorClassAfter: ErrorClass = failure instanceof ModelPermanentError && failure.kind === 'permanent' ? 'permanent' : 'infra';
        Object.assign(record, { success: false, error_class: errorClassAfter, error: `after-trial step: ${failure.message}` });
        transcript.outcome.error_class = errorClassAfter;
      }
    }
    if (driver.armCalls.length || input.arm.afterTrial) {
      const spent = driver.armUsage;
      if (spent.input_tokens + spent.output_tokens + spent.cache_read_tokens + spent.cache_write_tokens > 0 || driver.armCost > 0) {
        record.arm_usage = { ...spent, cost_usd: driver.armCost };
      }
    }
    if (input.artifacts) {
      const kept = await keepArtifacts(finalAttempt.workdir, task.files, record.success, input.artifacts);
      if (kept) record.artifacts = kept;
    }
    record.wall_ms = Math.round(performance.now() - started);
    return { record, transcript };
  } finally {
    driver.dispose();
  }
}

function cachePrefixField(turnLists: ReadonlyArray<readonly TranscriptTurn[]>): Pick<TrialRecord, 'cache_prefix'> {
  const prefix = cachePrefix(turnLists);
  return prefix.resent_tokens > 0 ? { cache_prefix: prefix } : {};
}
