// Standalone dreaming: `dreambench dream --transcripts DIR --memory DIR --model M` consolidates
// transcripts written by any agent into a memory folder (notes.md, playbooks/<family>.md).
//
// Transcript format: one JSON file per trial (any *.json or gzip *.json.gz under DIR, sorted by path), in the shape
// of harness/agent/transcript.ts. Required: `messages`, a non-empty array of Messages API messages
// ({role: "user"|"assistant", content: string | blocks}); tool_use blocks need id, name and input,
// tool_result blocks need tool_use_id and content (a string or text blocks). Optional: `trial_id`
// (default: the file's path under DIR without .json or .json.gz), `family` (default "general": notes.md only),
// `task`, `session` (a number that orders transcripts, oldest first; default: path order),
// `outcome.success` (boolean) and `outcome.feedback` (strings: what a reviewer said after the task).
// Every other field (system, tools, turns, usage, ...) is accepted and ignored.
//
// Incremental: <memory>/.dreambench/state.json remembers the trial ids already dreamt over; each run
// replays only new transcripts. Changesets go to <memory>/.dreambench/dreams/dream-NNN.json.
// A malformed transcript stops everything before any file is written, with the file and field named.

import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { z } from 'zod';
import type { MemoryFiles } from '../core/arm.js';
import type { ModelClient } from '../core/messages.js';
import { readTree, writeFileAtomic, writeJsonAtomic } from '../storage/run-dir.js';
import { isTranscriptFileName, transcriptJsonText } from '../storage/transcripts.js';
import { pad3, summarizeChangeset, type Changeset } from './changeset.js';
import type { DreamConfig } from './options.js';
import { dream, settleDream } from './pipeline.js';
import { digestTranscript, type ReplayedTrial, type TranscriptLike } from './replay.js';
import { isStoreFile } from './store.js';

export class TranscriptFormatError extends Error {
  override name = 'TranscriptFormatError';
}

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
}

const textBlock = z.object({ type: z.literal('text'), text: z.string() }).passthrough();
const toolUse = z.object({ type: z.literal('tool_use'), id: z.string().min(1), name: z.string().min(1), input: z.record(z.string(), z.unknown()) }).passthrough();
const toolResult = z
  .object({
    type: z.literal('tool_result'),
    tool_use_id: z.string().min(1),
    content: z.union([z.string(), z.array(z.object({ type: z.string() }).passthrough())]).default(''),
    is_error: z.boolean().optional(),
  })
  .passthrough();
const KNOWN = new Set(['text', 'tool_use', 'tool_result']);
const BY_TYPE: Record<string, z.ZodTypeAny> = { text: textBlock, tool_use: toolUse, tool_result: toolResult };
/** Any block with a type; the three kinds replay reads must be complete (other kinds, e.g. thinking, are skipped). */
const block = z
  .object({ type: z.string() })
  .passthrough()
  .superRefine((value, ctx) => {
    const schema = BY_TYPE[value.type];
    if (!schema) return;
    const parsed = schema.safeParse(value);
    if (parsed.success) return;
    for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', path: issue.path, message: `${issue.message} (in a "${value.type}" block)` });
  });

export const transcriptSchema = z
  .object({
    trial_id: z.string().min(1).optional(),
    family: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, dot, dash or underscore').optional(),
    task: z.string().optional(),
    session: z.number().finite().optional(),
    messages: z
      .array(z.object({ role: z.enum(['user', 'assistant']), content: z.union([z.string(), z.array(block)]) }).passthrough())
      .min(1, 'at least one message'),
    outcome: z
      .object({ success: z.boolean().optional(), feedback: z.array(z.string()).optional() })
      .passthrough()
      .optional(),
  })
  .passthrough();

export interface LoadedTranscript {
  file: string;
  id: string;
  order: number;
  transcript: TranscriptLike;
}

function listJson(dir: string): string[] {
  const out: string[] = [];
  const walk = (current: string): void => {
    for (const entry of readdirSync(current, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.name.startsWith('.')) continue;
      const path = join(current, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (isTranscriptFileName(entry.name)) out.push(path);
    }
  };
  walk(dir);
  return out;
}

function describeZodIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
  const message = issue.message.replace(/^Invalid input: expected (\w+), received undefined/, 'required field missing (expected $1)');
  return `${path || '(top level)'}: ${message}`;
}

/** Read and validate every transcript under `dir`. Throws TranscriptFormatError naming the file and the field. */
export function loadTranscripts(dir: string): LoadedTranscript[] {
  if (!existsSync(dir)) throw new TranscriptFormatError(`${dir}: no such directory`);
  const files = listJson(dir);
  if (files.length === 0) throw new TranscriptFormatError(`${dir}: no *.json or *.json.gz transcripts found`);
  const loaded: Array<LoadedTranscript & { session: number }> = [];
  const ids = new Map<string, string>();
  files.forEach((file, index) => {
    let value: unknown;
    try {
      value = JSON.parse(transcriptJsonText(readFileSync(file), file));
    } catch (error) {
      throw new TranscriptFormatError(`${file}: not valid JSON (${(error as Error).message})`);
    }
    if (!value || typeof value !== 'object' || Array.isArray(value)) throw new TranscriptFormatError(`${file}: expected a JSON object with a "messages" array`);
    const parsed = transcriptSchema.safeParse(value);
    if (!parsed.success) throw new TranscriptFormatError(`${file}: ${describeZodIssue(parsed.error.issues[0]!)}`);
    const t = parsed.data;
    const id = t.trial_id ?? relative(dir, file).split(sep).join('/').replace(/\.json(\.gz)?$/, '');
    const other = ids.get(id);
    if (other) throw new TranscriptFormatError(`${file}: trial_id "${id}" is also used by ${other}`);
    ids.set(id, file);
    const messages = t.messages.map((m) => ({
      role: m.role,
      content:
        typeof m.content === 'string'
          ? m.content
          : m.content
              .filter((b) => KNOWN.has(b.type))
              .map((b) => {
                const content = (b as Record<string, unknown>).content;
                // The Messages API also allows a tool_result's content as text blocks: keep their text.
                return b.type === 'tool_result' && Array.isArray(content)
                  ? { ...b, content: (content as Array<{ text?: unknown }>).map((c) => (typeof c.text === 'string' ? c.text : '')).join('\n') }
                  : b;
              }),
    })) as TranscriptLike['messages'];
    loaded.push({
      file,
      id,
      order: index,
      session: t.session ?? 0,
      transcript: {
        trial_id: id,
        ...(t.family ? { family: t.family } : {}),
        ...(t.task ? { task: t.task } : {}),
        messages,
        ...(t.outcome ? { outcome: { ...(t.outcome.success !== undefined ? { success: t.outcome.success } : {}), feedback: t.outcome.feedback ?? [] } } : {}),
      },
    });
  });
  loaded.sort((a, b) => a.session - b.session || a.order - b.order);
  return loaded.map(({ session: _s, ...rest }, order) => ({ ...rest, order }));
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
  message: string;
}

export async function dreamStandalone(options: {
  transcriptsDir: string;
  memoryDir: string;
  model: ModelClient;
  config: DreamConfig;
  dryRun?: boolean;
}): Promise<StandaloneResult> {
  const transcripts = loadTranscripts(options.transcriptsDir); // validates everything before any write
  const state = readState(options.memoryDir);
  const waiting = standaloneChangesets(options.memoryDir).find((c) => c.changeset.status === 'pending' || c.changeset.status === 'reviewed');
  if (waiting) {
    throw new StandaloneError(
      `${waiting.path}: ${waiting.changeset.dream} ${waiting.changeset.status === 'pending' ? 'waits for review' : 'is reviewed but not applied'}; run \`dreambench memory review ${options.memoryDir}\` first`,
    );
  }
  const seen = new Set(state.seen);
  const fresh = transcripts.filter((t) => !seen.has(t.id));
  if (fresh.length === 0) return { newTrials: 0, message: `nothing new: all ${transcripts.length} transcripts were dreamt over already` };

  const round = state.dreams + 1;
  const started = performance.now();
  const trials: ReplayedTrial[] = fresh.map((t) => digestTranscript(t.transcript, { id: t.id, session: round }));
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
  if (options.dryRun) return { changeset, newTrials: fresh.length, message: `dry run: ${describe(changeset)}; nothing written` };

  const path = join(standaloneDreamsDir(options.memoryDir), `dream-${pad3(round)}.json`);
  const settled = settleDream(memory, changeset, options.config);
  const final = settled ? settled.changeset : changeset;
  writeJsonAtomic(path, final);
  if (settled && final.status !== 'failed') writeMemoryDir(options.memoryDir, memory, settled.memory);
  writeJsonAtomic(statePath(options.memoryDir), {
    format: 'dreambench.standalone/v1',
    dreams: round,
    seen: final.status === 'failed' ? state.seen : [...state.seen, ...fresh.map((t) => t.id)],
  } satisfies StandaloneState);
  const note =
    final.status === 'pending'
      ? `; waiting for review: \`dreambench memory review ${options.memoryDir}\``
      : final.status === 'failed'
        ? `; dream failed (${final.analysis.error ?? 'analysis failed'}): memory unchanged, these transcripts will be replayed next time`
        : '';
  return { changeset: final, changesetPath: path, newTrials: fresh.length, message: `${describe(final)}${note}` };
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

function describe(changeset: Changeset): string {
  const s = summarizeChangeset(changeset);
  const u = changeset.usage;
  const cost = `${u.calls} model call${u.calls === 1 ? '' : 's'}, ${u.input_tokens + u.output_tokens} tokens, $${u.cost_usd.toFixed(4)}, ${(u.wall_ms / 1000).toFixed(2)} s`;
  return `${changeset.dream}: ${changeset.replay.trials} transcripts, ${s.findings} findings, +${s.add} add, ${s.edit} edit, -${s.delete} delete (${changeset.status}; ${cost})`;
}
