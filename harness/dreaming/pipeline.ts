// One dream: analyse the replayed trials, curate the findings against the store, and output a
// changeset whose changes the review mode decides. Shared by the dreaming arm (in a run) and by
// standalone dreaming over any agent's transcripts. Replay (reading transcripts) is the caller's:
// a run reads them from its run directory, standalone from a folder.

import type { MemoryFiles } from '../core/arm.js';
import type { ModelClient } from '../core/messages.js';
import { analyseWithModel, analyseWithRules, emptyArmUsage, type AnalysisResult } from './analyse.js';
import type { Change, Changeset } from './changeset.js';
import { applyChangeset, curate } from './curate.js';
import { describeConfig, type DreamConfig } from './options.js';
import type { ReplayedTrial } from './replay.js';
import { applyPolicy, decideAll, settle } from './review.js';
import { storeFromFiles, storeToFiles, storeTokens, type Store } from './store.js';
import { applyClassifier, applyQuarantine, applyUpdateCap, QUARANTINE_FILE, readHeld, renderHeld, type DefenseRecord } from './defenses.js';

export interface DreamInput {
  memory: MemoryFiles;
  trials: readonly ReplayedTrial[];
  session: number;
  /** The dream's id, e.g. `dreaming/r1/s004` or `dream-003`. */
  dream: string;
  arm?: string;
  replicate?: number;
  /** Needed when stages.analyse is on. */
  model?: ModelClient;
  seedKey: string;
  config: DreamConfig;
  /** Harness time already spent replaying (ms), recorded in the changeset. */
  replayMs?: number;
}

const ms = (since: number): number => Math.round((performance.now() - since) * 100) / 100;

/** Analyse, curate and decide. The returned changeset is not yet applied (see `settleDream`). */
export async function dream(input: DreamInput): Promise<Changeset> {
  const { config, session } = input;
  const timings: Record<string, number> = { replay: input.replayMs ?? 0 };
  const sessions = [...new Set(input.trials.map((t) => t.session))].sort((a, b) => a - b);
  const base: Omit<Changeset, 'status' | 'analysis' | 'usage' | 'changes' | 'confirmations' | 'dropped_findings' | 'memory_tokens'> = {
    format: 'dreambench.dream/v1',
    dream: input.dream,
    ...(input.arm !== undefined ? { arm: input.arm } : {}),
    ...(input.replicate !== undefined ? { replicate: input.replicate } : {}),
    session,
    created_at: new Date().toISOString(),
    review_mode: config.review.mode === 'policy' ? `policy:${config.review.path}` : config.review.mode,
    stages: describeConfig(config),
    replay: { trials: input.trials.length, sessions, from_session: sessions[0] ?? session, to_session: sessions.at(-1) ?? session },
    timings_ms: timings,
  };

  let started = performance.now();
  const store = storeFromFiles(input.memory);
  timings.parse = ms(started);

  started = performance.now();
  let analysis: AnalysisResult;
  if (input.trials.length === 0) {
    analysis = { ok: true, findings: [], usage: emptyArmUsage(), repaired: 0, batches: 0 };
  } else if (config.stages.analyse) {
    if (!input.model) throw new Error('dreaming: the analyse stage needs a model');
    analysis = await analyseWithModel(input.trials, { model: input.model, seedKey: input.seedKey, batchSize: config.batch_size });
  } else {
    analysis = analyseWithRules(input.trials);
  }
  timings.analyse = ms(started);
  const analysisRecord: Changeset['analysis'] = {
    mode: config.stages.analyse ? 'model' : 'rules',
    calls: analysis.usage.calls,
    batches: analysis.batches,
    repaired: analysis.repaired,
    findings: analysis.findings.length,
    ...(analysis.error ? { error: analysis.error } : {}),
  };
  const tokensBefore = storeTokens(store);
  if (!analysis.ok) {
    return {
      ...base,
      status: 'failed',
      analysis: analysisRecord,
      usage: analysis.usage,
      changes: [],
      confirmations: [],
      dropped_findings: [],
      memory_tokens: { before: tokensBefore, cap: config.curate.enabled ? config.curate.token_cap : null },
    };
  }

  started = performance.now();
  const byId = new Map(input.trials.map((t) => [t.id, t]));
  const curated = curate({
    store,
    findings: analysis.findings,
    trials: byId,
    session,
    dream: input.dream,
    filter: config.filter,
    config: config.curate,
  });
  const changeset: Changeset = {
    ...base,
    status: 'pending',
    analysis: analysisRecord,
    usage: analysis.usage,
    changes: curated.changes,
    confirmations: curated.confirmations,
    dropped_findings: curated.dropped,
    memory_tokens: {
      before: curated.tokensBefore,
      after: curated.tokensAfter,
      cap: config.curate.enabled ? config.curate.token_cap : null,
    },
  };
  timings.curate = ms(started);

  // Memory-poisoning defenses (defenses.ts), between curation and review.
  started = performance.now();
  const defenses: DefenseRecord = {};
  if (config.classifier) {
    if (!input.model) throw new Error('dreaming: the classifier needs a model');
    defenses.classifier = await applyClassifier(changeset, input.model, input.seedKey, changeset.usage);
  }
  if (config.quarantine) {
    const q = applyQuarantine(changeset, readHeld(input.memory), config.quarantine, byId);
    changeset.quarantine = q.held;
    defenses.quarantine = q.record;
  }
  if (config.max_updates !== null) defenses.cap = applyUpdateCap(changeset, config.max_updates, byId);
  if (Object.keys(defenses).length > 0) {
    changeset.defenses = defenses;
    timings.defenses = ms(started);
  }

  started = performance.now();
  if (config.review.mode === 'auto') decideAll(changeset, 'approve', 'auto');
  else if (config.review.mode === 'policy') applyPolicy(changeset, config.review.policy);
  else settle(changeset);
  timings.review = ms(started);
  return changeset;
}

/**
 * Apply a changeset whose decisions are all made: approved changes become applied, the store's cap
 * is enforced, and the new memory files are returned. A failed dream or a dry run (stages.output
 * off) leaves the memory as it was. Returns undefined while changes are pending.
 */
export function settleDream(
  memory: MemoryFiles,
  changeset: Changeset,
  config: DreamConfig,
): { memory: MemoryFiles; changeset: Changeset } | undefined {
  if (changeset.status === 'failed') return { memory, changeset };
  if (changeset.changes.some((c) => c.status === 'pending')) return undefined;
  const started = performance.now();
  const store: Store = storeFromFiles(memory);
  const cap = config.curate.enabled ? config.curate.token_cap : null;
  const { store: next, forced } = applyChangeset(store, changeset, cap);
  const out: Changeset = { ...changeset, changes: [...changeset.changes, ...forced] };
  if (config.stages.output) {
    for (const change of out.changes) if (change.status === 'approved') (change as Change).status = 'applied';
  }
  out.status = config.stages.output ? 'applied' : 'reviewed';
  out.applied_at = new Date().toISOString();
  out.memory_tokens = { ...out.memory_tokens, after: storeTokens(next) };
  out.timings_ms = { ...out.timings_ms, output: ms(started) };
  if (!config.stages.output) return { memory, changeset: out };
  const files = storeToFiles(next, memory);
  // Written even when empty, so a memory folder on disk (standalone dreaming) never keeps a stale list.
  if (out.quarantine !== undefined) files[QUARANTINE_FILE] = renderHeld(out.quarantine);
  return { memory: files, changeset: out };
}
