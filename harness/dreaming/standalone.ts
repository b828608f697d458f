// Standalone dreaming: `dreambench dream --transcripts PATH... --memory DIR --model M` consolidates
// the logs an agent already keeps into a memory folder (notes.md, playbooks/<family>.md), and from
// there into where the agent reads memory (targets/: a CLAUDE.md or AGENTS.md section, a Claude Code
// memory folder, a Managed Agents memory store).
//
// Input: any format harness/ingest reads (dreambench transcripts, Claude Code, Agent SDK, Managed
// Agents events, OpenAI Chat Completions and Responses, Inspect AI, OpenTelemetry GenAI spans),
// detected per file. Outcomes the logs lack come from a side file, the log's own signals or a grader
// model (harness/ingest/outcomes.ts, grade.ts). Before any model sees them, digests are scrubbed of
// secrets and personal data (harness/security/privacy.ts); the changeset counts what was removed.
//
// Incremental and repeatable: <memory>/.dreambench/state.json remembers each transcript dreamt over
// and how many messages it had, so each run replays only new transcripts and the new part of one
// that grew (a Claude Code session continued later); the same logs a second time change nothing.
// Changesets go to <memory>/.dreambench/dreams/dream-NNN.json. A malformed log stops everything
// before any file is written, with the file, line and field named.

import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { MemoryFiles } from '../core/arm.js';
import type { ModelClient } from '../core/messages.js';
import { gradeUnknown } from '../ingest/grade.js';
import { applyOutcomes, type OutcomeEntry } from '../ingest/outcomes.js';
import { readLogs, describeFound } from '../ingest/read.js';
import { type IngestedTranscript, type LogFormat, LogFormatError, type OutcomeSource } from '../ingest/types.js';
import { type PrivacyCounts, scrubText, totalRemoved } from '../security/privacy.js';
import { readTree, writeFileAtomic, writeJsonAtomic } from '../storage/run-dir.js';
import { pad3, summarizeChangeset, type Changeset } from './changeset.js';
import type { DreamConfig } from './options.js';
import { dream, settleDream } from './pipeline.js';
import { digestTranscript, type ReplayedTrial } from './replay.js';
import { isStoreFile } from './store.js';
import { describeTarget, type Target, writeTargets } from './targets/index.js';

/** Kept for callers that catch the old name: a log that cannot be read. */
export { LogFormatError as TranscriptFormatError };

export class StandaloneError extends Error {
  override name = 'StandaloneError';
}

const STATE_DIR = '.dreambench';
export const stateDir = (memoryDir: string): string => join(memoryDir, STATE_DIR);
const statePath = (memoryDir: string): string => join(stateDir(memoryDir), 'state.json');
export const standaloneDreamsDir = (memoryDir: string): string => join(stateDir(memoryDir), 'dreams');

export interface StandaloneState {
  format: 'dreambench.standalone/v1';
  dreams: number;
  /** Trial ids already consolidated (or waiting in a pending changeset). */
  seen: string[];
  /** Messages each transcript had when it was last dreamt over (a grown session replays the rest). */
  messages?: Record<string, number>;
  /** Where applied memory is also written (kept so `memory review` writes them after approval). */
  targets?: Target[];
}

export interface LoadedTranscript {
  file: string;
  id: string;
  order: number;
  transcript: IngestedTranscript['transcript'];
}

/** Read and validate every transcript under `dir` (any supported format). Throws LogFormatError. */
export function loadTranscripts(dir: string): LoadedTranscript[] {
  return readLogs([dir]).transcripts.map((t, order) => ({ file: t.file, id: t.id, order, transcript: t.transcript }));
}

export function readState(memoryDir: string): StandaloneState {
  const path = statePath(memoryDir);
  if (!existsSync(path)) return { format: 'dreambench.standalone/v1', dreams: 0, seen: [] };
  return JSON.parse(readFileSync(path, 'utf8')) as StandaloneState;
}

export function readMemoryDir(memoryDir: string): MemoryFiles {
  const files = readTree(memoryDir);
  return Object.fromEntries(Object.entries(files).filter(([name]) => !name.startsWith(`${STATE_DIR}/`)));
}

export function standaloneChangesets(memoryDir: string): Array<{ path: string; changeset: Changeset }> {
  const dir = standaloneDreamsDir(memoryDir);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((n) => /^dream-\d+\.json$/.test(n))
    .sort()
    .map((n) => ({ path: join(dir, n), changeset: JSON.parse(readFileSync(join(dir, n), 'utf8')) as Changeset }));
}

/** Write the store files of `next` into the memory folder (removing store files it no longer has). */
export function writeMemoryDir(memoryDir: string, before: MemoryFiles, next: MemoryFiles): void {
  for (const [file, text] of Object.entries(next)) if (before[file] !== text) writeFileAtomic(join(memoryDir, file), text);
  for (const file of Object.keys(before)) if (isStoreFile(file) && next[file] === undefined) rmSync(join(memoryDir, file), { force: true });
}

export interface StandaloneResult {
  changeset?: Changeset;
  changesetPath?: string;
  newTrials: number;
  /** nothing-new: no new transcripts; applied / pending / failed: the dream's outcome. */
  status: 'nothing-new' | 'applied' | 'pending' | 'failed' | 'dry-run';
  message: string;
  /** What was read ("read 12 transcripts from 3 claude-code files"). */
  found?: string;
  /** One line per target written. */
  targets: string[];
}

export interface StandaloneOptions {
  /** Folders or files of logs (any supported format). */
  sources: string[];
  memoryDir: string;
  model: ModelClient;
  config: DreamConfig;
  format?: LogFormat | 'auto';
  /** Outcome side file contents (id -> outcome). */
  outcomes?: Map<string, OutcomeEntry>;
  /** Read outcomes from the logs' own signals (corrections, test exits); default true. */
  signals?: boolean;
  /** Ask this model for a verdict on transcripts still without an outcome. */
  grader?: ModelClient;
  /** Targets to add to those remembered in the state. */
  targets?: Target[];
  dryRun?: boolean;
  env?: NodeJS.ProcessEnv;
}

/** Transcripts with nothing new since the last dream are dropped; grown ones keep only the new part. */
function newWork(all: readonly IngestedTranscript[], state: StandaloneState): IngestedTranscript[] {
  const seen = new Set(state.seen);
  const counts = state.messages ?? {};
  const out: IngestedTranscript[] = [];
  for (const t of all) {
    const total = t.transcript.messages.length;
    if (!seen.has(t.id)) {
      out.push(t);
      continue;
    }
    const before = counts[t.id];
    if (before === undefined || total <= before) continue;
    // A session that went on after the last dream: replay what came after, under its own id.
    const id = `${t.id}@${before}`;
    out.push({ ...t, id, transcript: { ...t.transcript, trial_id: id, messages: t.transcript.messages.slice(before) } });
  }
  return out;
}

/** Scrub a digest's free text before it reaches a model; counts what was removed. */
function scrubDigest(trial: ReplayedTrial, counts: PrivacyCounts): ReplayedTrial {
  const clean = (text: string): string => scrubText(text, counts);
  return {
    ...trial,
    task: clean(trial.task),
    errors: trial.errors.map(clean),
    feedback: trial.feedback.map(clean),
    settings: trial.settings.map((d) => ({ ...d, value: clean(d.value) })),
    ...(trial.notes ? { notes: trial.notes.map(clean) } : {}),
  };
}

const mergeTargets = (a: readonly Target[], b: readonly Target[]): Target[] => {
  const out = [...a];
  for (const t of b) if (!out.some((o) => o.kind === t.kind && o.where === t.where)) out.push(t);
  return out;
};

export async function dreamStandalone(options: StandaloneOptions): Promise<StandaloneResult> {
  const read = readLogs(options.sources, options.format ?? 'auto'); // validates everything before any write
  const found = describeFound(read);
  const state = readState(options.memoryDir);
  const targets = mergeTargets(state.targets ?? [], options.targets ?? []);
  const waiting = standaloneChangesets(options.memoryDir).find(
    (c) => c.changeset.status === 'pending' || c.changeset.status === 'reviewed',
  );
  if (waiting) {
    throw new StandaloneError(
      `${waiting.path}: ${waiting.changeset.dream} ${waiting.changeset.status === 'pending' ? 'waits for review' : 'is reviewed but not applied'}; run \`dreambench memory review ${options.memoryDir}\` first`,
    );
  }
  let fresh = newWork(read.transcripts, state);
  if (fresh.length === 0) {
    return {
      status: 'nothing-new',
      newTrials: 0,
      found,
      targets: [],
      message: `nothing new: all ${read.transcripts.length} transcripts were dreamt over already`,
    };
  }
  fresh = applyOutcomes(fresh, { ...(options.outcomes ? { file: options.outcomes } : {}), signals: options.signals ?? true });
  let graderUsage: { calls: number; cost_usd: number } | undefined;
  if (options.grader) {
    const graded = await gradeUnknown(fresh, options.grader);
    fresh = graded.transcripts;
    graderUsage = { calls: graded.usage.calls, cost_usd: graded.usage.cost_usd };
  }

  const round = state.dreams + 1;
  const started = performance.now();
  const redacted: PrivacyCounts = {};
  const trials: ReplayedTrial[] = fresh.map((t) => scrubDigest(digestTranscript(t.transcript, { id: t.id, session: round }), redacted));
  const replayMs = performance.now() - started;
  const memory = readMemoryDir(options.memoryDir);
  const changeset = await dream({
    memory,
    trials,
    session: round,
    dream: `dream-${pad3(round)}`,
    model: options.model,
    seedKey: `standalone:${round}`,
    config: options.config,
    replayMs: Math.round(replayMs * 100) / 100,
  });
  changeset.usage = { ...changeset.usage, wall_ms: Math.round(performance.now() - started) };
  const outcomes: Partial<Record<OutcomeSource, number>> = {};
  for (const t of fresh) {
    const source = t.transcript.outcome?.success === undefined ? 'none' : t.outcomeSource;
    outcomes[source] = (outcomes[source] ?? 0) + 1;
  }
  changeset.inputs = {
    formats: read.found,
    outcomes,
    outcome_of: Object.fromEntries(fresh.map((t) => [t.id, t.transcript.outcome?.success === undefined ? 'none' : t.outcomeSource])),
    redacted,
    ...(graderUsage ? { grader: graderUsage } : {}),
  };
  if (options.dryRun)
    return {
      status: 'dry-run',
      changeset,
      newTrials: fresh.length,
      found,
      targets: [],
      message: `dry run: ${describe(changeset)}; nothing written`,
    };

  const path = join(standaloneDreamsDir(options.memoryDir), `dream-${pad3(round)}.json`);
  const settled = settleDream(memory, changeset, options.config);
  const final = settled ? settled.changeset : changeset;
  writeJsonAtomic(path, final);
  if (settled && final.status !== 'failed') writeMemoryDir(options.memoryDir, memory, settled.memory);
  const messages = { ...(state.messages ?? {}) };
  if (final.status !== 'failed') for (const t of read.transcripts) messages[t.id] = t.transcript.messages.length;
  writeJsonAtomic(statePath(options.memoryDir), {
    format: 'dreambench.standalone/v1',
    dreams: round,
    seen: final.status === 'failed' ? state.seen : [...new Set([...state.seen, ...read.transcripts.map((t) => t.id)])],
    messages,
    ...(targets.length ? { targets } : {}),
  } satisfies StandaloneState);
  const written = final.status === 'applied' && settled ? await writeTargets(targets, settled.memory, options.env) : [];
  const note =
    final.status === 'pending'
      ? `; waiting for review: \`dreambench memory review ${options.memoryDir}\`${targets.length ? ` (then written to ${targets.map(describeTarget).join(', ')})` : ''}`
      : final.status === 'failed'
        ? `; dream failed (${final.analysis.error ?? 'analysis failed'}): memory unchanged, these transcripts will be replayed next time`
        : '';
  const status = final.status === 'pending' ? 'pending' : final.status === 'failed' ? 'failed' : 'applied';
  return {
    status,
    changeset: final,
    changesetPath: path,
    newTrials: fresh.length,
    found,
    targets: written,
    message: `${describe(final)}${note}`,
  };
}

/** After `memory review` decided a standalone changeset: apply it to the memory folder. */
export function applyReviewedStandalone(memoryDir: string, path: string, changeset: Changeset, config: DreamConfig): Changeset {
  const memory = readMemoryDir(memoryDir);
  const settled = settleDream(memory, changeset, config);
  if (!settled) return changeset;
  writeMemoryDir(memoryDir, memory, settled.memory);
  writeJsonAtomic(path, settled.changeset);
  return settled.changeset;
}

/** Write the memory folder's applied memory to the targets remembered in its state (after a review). */
export async function writeStandaloneTargets(memoryDir: string, env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  const targets = readState(memoryDir).targets ?? [];
  return targets.length ? writeTargets(targets, readMemoryDir(memoryDir), env) : [];
}

function describe(changeset: Changeset): string {
  const s = summarizeChangeset(changeset);
  const u = changeset.usage;
  const cost = `${u.calls} model call${u.calls === 1 ? '' : 's'}, ${u.input_tokens + u.output_tokens} tokens, $${u.cost_usd.toFixed(4)}, ${(u.wall_ms / 1000).toFixed(2)} s`;
  const removed = changeset.inputs ? totalRemoved(changeset.inputs.redacted) : 0;
  const privacy = removed ? `; ${removed} secret or personal item${removed === 1 ? '' : 's'} redacted before analysis` : '';
  return `${changeset.dream}: ${changeset.replay.trials} transcripts, ${s.findings} findings, +${s.add} add, ${s.edit} edit, -${s.delete} delete (${changeset.status}; ${cost})${privacy}`;
}
