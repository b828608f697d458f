// The managed-* arms (baselines/managed-*/index.ts) are built here: each runs its trials on the
// managed runtime (runtime.ts) and maps onto one vendor feature:
//
//   managed-stateless    a session per trial, no memory store (the control)
//   managed-memory       a memory store the agent reads and writes; no dreams
//   managed-dreaming     as managed-memory, plus a vendor dream between sessions over that session's
//                        transcripts: its output store becomes the next session's store (review applies)
//   managed-outcomes     the task as a user-defined outcome with the task's rubric: the vendor's grader
//                        evaluates and the agent revises in the session; its verdicts go in record.grader
//   managed-multiagent   the agent may spawn session threads (subagents) that use the suite's tools
//
// What the engine sees: memory as plain text (the snapshots in memory/<arm>/r<rep>/session-NNN/ are
// the stores' exported contents), frozen within a session; the consolidation at the session's end
// folds the trials' store writes (in schedule order) and, for managed-dreaming, dreams. A debrief
// (option `debrief`, on for arms with a writable store) sends the checker's reviewer feedback to the
// session after the check, so the agent can write what a reviewer said into its memory, as the open
// arms learn from it; the trial's result is the first attempt's, the debrief's tokens count towards it.

import type {
  AfterSessionResult,
  Arm,
  ArmContext,
  ArmFactory,
  ArmUsage,
  ArtifactStore,
  GraderVerdict,
  MemoryFiles,
  TrialLoopResult,
} from '../core/arm.js';
import { trialId, type TrialRecord } from '../core/records.js';
import type { Transcript } from '../agent/transcript.js';
import { costOf } from '../models/pricing.js';
import { memoryTokens } from '../dreaming/store.js';
import { pad3, type Changeset } from '../dreaming/changeset.js';
import { applyChangeset, changesetFile, reviewChangeset, vendorChangeset } from './changeset.js';
import { runDreams } from './dreams.js';
import { unsupportedDreamModel } from './service-facts.js';
import { managedOptionsSchema, parseManagedOptions, type ManagedConfig, type ManagedKind } from './options.js';
import { ManagedRuntime, type ManagedDetails } from './runtime.js';
import type { OutcomeEvaluation } from './session.js';
import { writeFileAtomic } from '../storage/run-dir.js';
import { archiveStore, exportStore, filesHash, foldWrites, materialize, storeUsable, type StoreWrites } from './stores.js';

export interface ManagedArmSpec {
  kind: ManagedKind;
  name: string;
  description: string;
  /** Test hook: the environment to read credentials from (default process.env). */
  env?: NodeJS.ProcessEnv;
}

export function debriefMessage(feedback: readonly string[]): string {
  return [
    'A reviewer read the work you submitted and wrote:',
    '',
    ...feedback.map((f) => `- ${f.replace(/\s+/g, ' ').trim()}`),
    '',
    'The task is closed (its tools no longer work). If any of this is worth remembering for similar tasks, write it to your memory now.',
  ].join('\n');
}

/**
 * The vendor grader's verdict (the last span.outcome_evaluation_end) as a dreambench GraderVerdict.
 * Only the last evaluation is a round: it graded the final work, the one the checker read; the
 * earlier ones graded intermediate work the checker never saw (they stay in the transcript,
 * runtime.outcome_evaluations), so pairing them with the checker would bias the agreement.
 */
export function outcomeVerdict(evaluations: readonly OutcomeEvaluation[], attempt: number): GraderVerdict | undefined {
  const last = evaluations.at(-1);
  if (!last) return undefined;
  const passed = last.result === 'satisfied';
  const failure =
    last.result === 'failed' || last.result === 'interrupted'
      ? `the vendor grader gave no verdict (${last.result}): ${last.explanation}`
      : undefined;
  return {
    success: passed,
    score: passed ? 1 : 0,
    criteria: [
      {
        criterion: `the outcome (vendor grader, whole rubric; ${evaluations.length} evaluation(s))`,
        score: passed ? 1 : 0,
        passed,
        feedback: `${last.result}: ${last.explanation}`,
      },
    ],
    rounds: [{ attempt, revision: 0, success: passed, score: passed ? 1 : 0, ...(failure ? { failure } : {}) }],
    ...(failure ? { failure } : {}),
  };
}

export function managedArmFactory(spec: ManagedArmSpec): ArmFactory {
  return {
    name: spec.name,
    description: spec.description,
    // managed-dreaming's changesets live where `dreambench memory review` and the report look for them.
    artifactsFolder: spec.kind === 'dreaming' ? 'dreams' : 'managed',
    options: managedOptionsSchema(spec.kind),
    carriesMemory: (options) => parseManagedOptions(spec.kind, spec.name, options).memory !== 'none',
    create(options) {
      const config = parseManagedOptions(spec.kind, spec.name, options);
      const runtime = new ManagedRuntime(config, spec.env);
      return createManagedArm(config, runtime);
    },
  };
}

/** The dream's model: the arm's dream_model, else the agent's. */
export function dreamModelOf(config: ManagedConfig, runtime: ManagedRuntime, model: ArmContext['model']): string {
  return config.dreaming?.model ?? runtime.modelOf(model);
}

export function createManagedArm(config: ManagedConfig, runtime: ManagedRuntime): Arm {
  const arm: Arm = {
    name: config.arm,
    runtime,
    // Before anything is written: the agent needs an Anthropic model, and dreams accept only the
    // documented models (a bad one would fail only at the first session boundary, after paid trials).
    checkRun: ({ model }) => {
      runtime.modelOf(model);
      if (!config.dreaming || config.dreaming.allow_unlisted_model) return;
      const problem = unsupportedDreamModel(dreamModelOf(config, runtime, model));
      if (problem) throw new Error(`option "dream_model": ${problem}`);
    },
    // The memory reaches the agent as a mounted store, not as text in its prompt.
    contextFor: () => '',
    ...(config.memory !== 'none'
      ? { memoryStats: (_task, memory: MemoryFiles) => ({ memory_files: Object.keys(memory).length, memory_tokens: memoryTokens(memory) }) }
      : {}),
  };
  if (config.debrief || config.outcomes) {
    arm.runTrial = async (driver): Promise<TrialLoopResult> => {
      const first = await driver.attempt();
      const evaluations = ((first.runtime as ManagedDetails | undefined)?.outcome_evaluations ?? []) as OutcomeEvaluation[];
      const grader = config.outcomes ? outcomeVerdict(evaluations, first.attempt) : undefined;
      if (config.debrief && !first.infra && first.check.feedback.length > 0) await driver.revise(debriefMessage(first.check.feedback));
      return { final: first, ...(grader ? { grader } : {}) };
    };
  }
  if (config.memory === 'read_write' || config.dreaming) {
    arm.afterSession = (input, context) => consolidate(config, runtime, input, context);
  }
  return arm;
}

interface QueuedSession {
  session: number;
  session_ids: string[];
  trials: string[];
}

const queueName = (session: number): string => `queue/session-${pad3(session)}.json`;
/** Where each dream's output store is exported as plain text: dreams/<arm>/r<rep>/outputs/session-NNN/. */
export const outputsDir = (session: number): string => `outputs/session-${pad3(session)}`;
const dreamStateName = (session: number): string => `managed-dream-${pad3(session)}.json`;

function localArtifacts(): ArtifactStore {
  const files = new Map<string, string>();
  return {
    read: <T>(name: string) => (files.has(name) ? (JSON.parse(files.get(name)!) as T) : undefined),
    write: (name, data) => void files.set(name, JSON.stringify(data)),
    path: (name) => `(in memory)/${name}`,
  };
}

const fallbackArtifacts = new Map<string, ArtifactStore>();
function artifactsOf(context: ArmContext): ArtifactStore {
  if (context.artifacts) return context.artifacts;
  const key = `${context.arm}/r${context.replicate}`;
  let store = fallbackArtifacts.get(key);
  if (!store) fallbackArtifacts.set(key, (store = localArtifacts()));
  return store;
}

async function consolidate(
  config: ManagedConfig,
  runtime: ManagedRuntime,
  input: { memory: MemoryFiles; trials: TrialRecord[]; transcript(record: TrialRecord): Transcript },
  context: ArmContext,
): Promise<AfterSessionResult> {
  const started = performance.now();
  const runs = input.trials
    .filter((r) => r.error_class !== 'infra')
    .map((record) => ({ record, details: input.transcript(record).runtime as ManagedDetails | undefined }));

  // 1. The trials' writes, folded in schedule order into the next session's memory.
  const writes: StoreWrites[] = config.memory === 'read_write' ? runs.map((r) => r.details?.memory_writes ?? {}) : [];
  const folded = config.memory === 'read_write' ? foldWrites(input.memory, writes) : input.memory;
  const writers = writes.filter((w) => Object.keys(w).length > 0).length;
  if (config.cleanup && config.memory === 'read_write') {
    await Promise.all(
      runs.map((r) => (r.details?.memory_store?.role === 'trial' ? archiveStore(runtime.client, r.details.memory_store.id) : undefined)),
    );
  }
  const foldDetails = {
    trials: runs.length,
    trials_that_wrote: writers,
    files: Object.keys(folded).length,
    memory_tokens: memoryTokens(folded),
  };
  if (!config.dreaming) return { memory: folded, details: foldDetails };

  // 2. managed-dreaming: a vendor dream over the store and this session's (or these sessions') sessions.
  const dreaming = config.dreaming;
  const artifacts = artifactsOf(context);
  const session = context.session;
  const name = changesetFile(session);

  // A changeset already exists: a resume after review (or after a crash). Never dream twice.
  const existing = artifacts.read<Changeset>(name);
  if (existing) return settle(existing, folded, artifacts, name, foldDetails);

  const sessionIds = [...new Set(runs.map((r) => r.details?.session_id).filter((id): id is string => typeof id === 'string'))];
  artifacts.write(queueName(session), {
    session,
    session_ids: sessionIds,
    trials: runs.map((r) => trialId(r.record)),
  } satisfies QueuedSession);
  if (session % dreaming.every !== 0) {
    return {
      memory: folded,
      details: { ...foldDetails, dream: 'not scheduled', next_dream_session: session + dreaming.every - (session % dreaming.every) },
    };
  }
  const window: QueuedSession[] = [];
  for (let s = session - dreaming.every + 1; s <= session; s++) {
    const queued = artifacts.read<QueuedSession>(queueName(s));
    if (queued) window.push(queued);
  }
  const allSessions = window.flatMap((q) => q.session_ids);
  if (allSessions.length === 0) return { memory: folded, details: { ...foldDetails, dream: 'no sessions to dream over' } };

  const dreamModel = dreamModelOf(config, runtime, context.model);
  // The dream's input store: the one that already holds this memory (e.g. the session's shared store), else a new one.
  // update_existing rewrites its input: always a fresh copy, never a store a session or the registry still uses.
  const inputStore =
    dreaming.output === 'update_existing' ? await freshDreamInput(runtime, context, folded) : await dreamInput(runtime, context, folded);
  const chain = await runDreams(runtime.client, {
    inputStoreId: inputStore,
    sessionIds: allSessions,
    model: dreamModel,
    ...(dreaming.instructions ? { instructions: dreaming.instructions } : {}),
    output: dreaming.output,
    timeoutMs: dreaming.timeout_s * 1000,
    poll: config.poll,
    usageQuietMs: config.usage_quiet_ms,
    settleTimeoutMs: config.settle_timeout_ms,
    artifacts,
    stateName: dreamStateName(session),
  });
  const output = await exportStore(runtime.client, chain.outputStoreId);
  // The dream's output store as plain text, whatever review later decides (the snapshot is what was applied).
  if (context.artifacts) {
    for (const [file, text] of Object.entries(output)) writeFileAtomic(context.artifacts.path(`${outputsDir(session)}/${file}`), text);
  }
  // The next session's trials reuse the dream's own output store (read_only) when the memory is unchanged by review.
  runtime.registry.set(`${context.arm}/r${context.replicate}`, context.artifacts, filesHash(output), {
    id: chain.outputStoreId,
    source: 'dream',
    session,
  });

  // The dream's token cost, priced as every arm's tokens are; its sessions' runtime is in the changeset's
  // stages.dreams (and stages.failed_dreams for dreams that failed before one completed).
  const usage: ArmUsage = {
    ...chain.usage,
    cost_usd: costOf(dreamModel, chain.usage),
    calls: chain.steps.length,
    wall_ms: Math.round(performance.now() - started),
  };
  const changeset = vendorChangeset({
    arm: context.arm,
    replicate: context.replicate,
    session,
    before: folded,
    after: output,
    evidence: window.flatMap((q) => q.trials),
    steps: chain.steps,
    failed: chain.failed,
    model: dreamModel,
    ...(dreaming.instructions ? { instructions: dreaming.instructions } : {}),
    review: dreaming.review,
    usage,
    sessions: window.map((q) => q.session),
  });
  reviewChangeset(changeset, dreaming.review);
  artifacts.write(name, changeset);
  return settle(changeset, folded, artifacts, name, foldDetails);
}

function settle(
  changeset: Changeset,
  folded: MemoryFiles,
  artifacts: ArtifactStore,
  name: string,
  foldDetails: Record<string, unknown>,
): AfterSessionResult {
  const summary = {
    ...foldDetails,
    dream: changeset.dream,
    dreams: (changeset.stages.dreams as Array<{ id: string }> | undefined)?.map((d) => d.id) ?? [],
    status: changeset.status,
    add: changeset.changes.filter((c) => c.kind === 'add').length,
    edit: changeset.changes.filter((c) => c.kind === 'edit').length,
    delete: changeset.changes.filter((c) => c.kind === 'delete').length,
  };
  if (changeset.status === 'pending') {
    const pending = changeset.changes.filter((c) => c.status === 'pending').length;
    return {
      memory: folded,
      pending: { reason: `${pending} change(s) of vendor dream ${changeset.dream} wait for review (${artifacts.path(name)})` },
      details: summary,
    };
  }
  const memory = applyChangeset(changeset, folded);
  artifacts.write(name, changeset);
  return { memory, usage: changeset.usage, details: { ...summary, status: changeset.status } };
}

async function dreamInput(runtime: ManagedRuntime, context: ArmContext, files: MemoryFiles): Promise<string> {
  const key = `${context.arm}/r${context.replicate}`;
  const known = runtime.registry.get(key, context.artifacts, filesHash(files));
  if (known && (await storeUsable(runtime.client, known.id))) return known.id;
  return freshDreamInput(runtime, context, files);
}

function freshDreamInput(runtime: ManagedRuntime, context: ArmContext, files: MemoryFiles): Promise<string> {
  return materialize(runtime.client, files, {
    arm: context.arm,
    replicate: context.replicate,
    session: context.session,
    role: 'dream_input',
  });
}
