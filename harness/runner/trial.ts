// One trial: a fresh workspace, the suite's environment, the agent loop, the checker, the arm's
// after-trial step. Returns the record and the transcript; writing them is the runner's job.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Arm, ArmContext } from '../core/arm.js';
import type { ModelClient } from '../core/messages.js';
import { ModelInfraError } from '../core/messages.js';
import type { ErrorClass, TrialKey, TrialRecord } from '../core/records.js';
import { trialId } from '../core/records.js';
import type { Suite, Task } from '../core/suite.js';
import { pitfallApplies } from '../core/suite.js';
import { runAgent, type AgentBudgets } from '../agent/loop.js';
import type { Transcript } from '../agent/transcript.js';

export interface TrialInput {
  key: TrialKey;
  task: Task;
  suite: Suite;
  arm: Arm;
  armContext: ArmContext;
  model: ModelClient;
  memoryText: string;
  drifted: ReadonlySet<string>;
  budgets: AgentBudgets;
  seedKey: string;
  transcriptRef: string;
}

export async function runTrial(input: TrialInput): Promise<{ record: TrialRecord; transcript: Transcript }> {
  const { task, suite, key } = input;
  const started = performance.now();
  const workdir = mkdtempSync(join(tmpdir(), 'dreambench-trial-'));
  try {
    const environment = await suite.createEnvironment(task, { workdir, session: key.session, drifted: input.drifted });
    const run = await runAgent({
      model: input.model,
      task,
      systemPrompt: suite.systemPrompt,
      memory: input.memoryText,
      environment,
      budgets: input.budgets,
      seedKey: input.seedKey,
    });

    let check = { success: false, score: 0, feedback: [] as string[], checks: [] as TrialRecord['checks'] };
    let errorClass: ErrorClass;
    let error = run.infra_error;
    if (run.stop === 'infra') {
      errorClass = 'infra';
    } else {
      check = await environment.check();
      const budgetStop = run.stop === 'max_turns' || run.stop === 'token_budget' || run.stop === 'cost_budget';
      errorClass = check.success ? 'none' : budgetStop ? 'budget' : 'agent';
      if (budgetStop) error = `stopped: ${run.stop.replace('_', ' ')}`;
    }
    const hit = run.stop === 'infra' ? [] : environment.pitfallsHit();
    const applicable = suite.pitfalls.filter((p) => task.pitfalls.includes(p.id) && pitfallApplies(p, task.family)).map((p) => p.id);

    const record: TrialRecord = {
      ...key,
      suite: suite.name,
      family: task.family,
      model: input.model.id,
      success: errorClass === 'none',
      score: check.score,
      turns: run.turns.length,
      tool_calls: run.tool_calls,
      input_tokens: run.usage.input_tokens,
      output_tokens: run.usage.output_tokens,
      cache_read_tokens: run.usage.cache_read_tokens,
      cache_write_tokens: run.usage.cache_write_tokens,
      cost_usd: run.cost_usd,
      wall_ms: 0,
      error_class: errorClass,
      ...(error ? { error } : {}),
      pitfalls_hit: hit,
      // Avoided: could bite in this task and the agent did not trigger it (only meaningful when the trial ran).
      pitfalls_avoided: errorClass === 'infra' ? [] : applicable.filter((id) => !hit.includes(id)),
      feedback: check.feedback,
      checks: check.checks,
      transcript: input.transcriptRef,
    };
    const transcript: Transcript = {
      format: 'dreambench.transcript/v1',
      trial_id: trialId(key),
      suite: suite.name,
      family: task.family,
      task: task.id,
      model: input.model.id,
      system: run.system,
      tools: environment.tools,
      messages: run.messages,
      turns: run.turns,
      outcome: {
        success: record.success,
        score: record.score,
        error_class: record.error_class,
        ...(record.error ? { error: record.error } : {}),
        feedback: record.feedback,
        pitfalls_hit: record.pitfalls_hit,
      },
    };

    if (input.arm.afterTrial && errorClass !== 'infra') {
      try {
        const after = await input.arm.afterTrial({ task, record, transcript }, input.armContext);
        if (after.notes !== undefined) record.notes = after.notes;
        if (after.usage) {
          const { calls: _calls, wall_ms: _wall, ...usage } = after.usage;
          record.arm_usage = usage;
        }
      } catch (failure) {
        if (!(failure instanceof ModelInfraError)) throw failure;
        // The arm's step is part of the trial: without it the arm learns nothing, so re-run it on resume.
        Object.assign(record, { success: false, error_class: 'infra', error: `after-trial step: ${failure.message}` });
        transcript.outcome.error_class = 'infra';
      }
    }
    record.wall_ms = Math.round(performance.now() - started);
    return { record, transcript };
  } finally {
    rmSync(workdir, { recursive: true, force: true });
  }
}
