// Trial transcripts on disk: one Brotli file per trial (transcripts/<arm>/r<rep>/s<session>/<slot>-<task>.json.br),
// written to a temporary name and renamed, so a killed run never leaves a half-written transcript and
// resume gives the same trials. A kept transcript's long texts that recur in the run (system prompt,
// memory, the task's files) go to the run's store of shared texts (shared-texts.ts, text-store.ts)
// and the file references them; a transcript the run will remove (--transcripts failed|none) is
// written whole, so its removal never leaves a stored text that nothing references. Every reader of
// a run's transcripts goes through readTranscript, which also reads the gzip `.json.gz` and plain
// `.json` transcripts of older runs. Why Brotli: transcript-codec.ts.

import { existsSync, readFileSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import type { Transcript } from '../agent/transcript.js';
import type { TrialRecord } from '../core/records.js';
import { redactedJsonText } from '../security/redact.js';
import { writeFileAtomic } from './run-dir.js';
import { checkEnvelope, EnvelopeError, isEnvelope, joinSharedTexts, SHARED_TEXT_MIN_CHARS, splitSharedTexts } from './shared-texts.js';
import { TextStore, TextStoreError, storeNear } from './text-store.js';
import { CodecError, compressText, decompressFile, encodeForName, encodeForNameSync } from './transcript-codec.js';

const writeFileCallback = promisify(writeFile);

/** Which transcripts a run keeps: every one, those of failed trials only, or none. */
export type TranscriptKeep = 'all' | 'failed' | 'none';
export const TRANSCRIPT_KEEP_MODES: readonly TranscriptKeep[] = ['all', 'failed', 'none'];

export const TRANSCRIPT_EXTENSION = '.json.br';
/** Every spelling a transcript file has had: Brotli (now), gzip, plain JSON (runs before compression). */
const SPELLINGS = ['.json.br', '.json.gz', '.json'] as const;

/** A transcript file that is missing or cannot be read as a transcript; the message names the file. */
export class TranscriptReadError extends Error {
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`${path}: ${reason}`);
    this.name = 'TranscriptReadError';
  }
}

/** Whether a finished trial's transcript stays in the run directory under this mode. */
export function keepsTranscript(mode: TranscriptKeep | undefined, record: Pick<TrialRecord, 'success'>): boolean {
  if (mode === 'none') return false;
  if (mode === 'failed') return !record.success;
  return true;
}

/** A transcript's redacted JSON, with its recurring long texts put in `store` when one is given (they are on disk when this returns). */
async function transcriptJson(transcript: Transcript, store: TextStore | undefined): Promise<string> {
  // Secrets are redacted before anything is hashed or written: a stored text's name is the hash of redacted text.
  const json = redactedJsonText(transcript);
  if (!store) return json;
  const { envelope, texts } = splitSharedTexts(JSON.parse(json), SHARED_TEXT_MIN_CHARS, (hash) => store.sighted(hash));
  if (texts.length === 0) return json;
  await store.put(texts);
  return JSON.stringify(envelope);
}

/** The bytes of a transcript file: compact JSON, secrets redacted, Brotli-compressed; with `store`, recurring long texts are stored there and referenced. */
export async function encodeTranscript(transcript: Transcript, store?: TextStore): Promise<Buffer> {
  return compressText(await transcriptJson(transcript, store));
}

/** encodeTranscript in the codec a file name says (transcript-codec.ts encodeForName): `.json.br` as the runner writes, `.json.gz` or `.json` as older runs did. */
async function encodeTranscriptFor(path: string, transcript: Transcript, store: TextStore | undefined): Promise<Buffer> {
  return encodeForName(path, await transcriptJson(transcript, store));
}

/**
 * Write a transcript to `path` (a `.json.br` name) through a temporary file and a rename, its shared
 * texts (with `store`: the run's TextStore.ofRun, for transcripts the run keeps) first. The folder
 * is created only when the first write finds it missing (one per session folder, not one mkdir per
 * trial). The callback API is used: a promise FileHandle costs more than the write of a small file.
 * The runner does not hold a trial's concurrency slot during this write (harness/runner/run-chain.ts),
 * so its file-system calls stay asynchronous: they overlap the next trial's work.
 */
export async function writeTranscript(path: string, transcript: Transcript, store?: TextStore): Promise<void> {
  const bytes = await encodeTranscriptFor(path, transcript, store);
  const tmp = `${path}.tmp-${process.pid}-${tmpCounter++}`;
  try {
    try {
      await writeNew(tmp, bytes);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      await mkdir(dirname(path), { recursive: true });
      await writeNew(tmp, bytes);
    }
    await rename(tmp, path);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}
let tmpCounter = 0;
const writeNew = (path: string, bytes: Buffer): Promise<void> => writeFileCallback(path, bytes, { flag: 'wx' });

/** The synchronous writeTranscript, for tools that write a run outside the runner (generators, imports); the transcript is written whole. */
export function writeTranscriptSync(path: string, transcript: Transcript): void {
  writeFileAtomic(path, encodeForNameSync(path, redactedJsonText(transcript)));
}

/** The JSON text of a transcript file: decompressed by its name (.br) or magic bytes (gzip), as is otherwise. */
export function transcriptJsonText(bytes: Buffer, path: string): string {
  try {
    return decompressFile(bytes, path).toString('utf8');
  } catch (error) {
    if (error instanceof CodecError) throw new TranscriptReadError(path, error.message);
    throw error;
  }
}

/**
 * The transcript a parsed transcript file stands for: an envelope's shared texts are read from
 * `store` (by default the store nearest the file: see storeNear), a whole transcript is returned as is.
 */
export function expandTranscriptJson(value: unknown, path: string, store?: TextStore): unknown {
  if (!isEnvelope(value)) return value;
  try {
    checkEnvelope(value);
    const texts = value.texts;
    const source = texts.length ? (store ?? storeNear(path)) : undefined;
    if (texts.length && !source) throw new EnvelopeError('it references shared texts, but no .texts folder is found beside it or above it');
    return joinSharedTexts(value.body, texts.length, (i) => source!.read(texts[i]!));
  } catch (error) {
    if (error instanceof EnvelopeError) throw new TranscriptReadError(path, error.message);
    if (error instanceof TextStoreError)
      throw new TranscriptReadError(path, `a shared text it references cannot be read: ${error.message}`);
    throw error;
  }
}

/** Decode the contents of a transcript file (Brotli, gzip or plain JSON; whole or referencing shared texts). */
export function decodeTranscript(bytes: Buffer, path: string, store?: TextStore): Transcript {
  const text = transcriptJsonText(bytes, path);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new TranscriptReadError(path, `not valid JSON (${(error as Error).message})`);
  }
  value = expandTranscriptJson(value, path, store);
  if (!value || typeof value !== 'object' || !Array.isArray((value as { messages?: unknown }).messages)) {
    throw new TranscriptReadError(path, 'expected a transcript object with a "messages" array');
  }
  return value as Transcript;
}

/** A transcript path without its spelling (`.json.br`, `.json.gz` or `.json`), or undefined when it has none of them. */
const stem = (path: string): string | undefined => {
  const spelling = SPELLINGS.find((s) => path.endsWith(s));
  return spelling === undefined ? undefined : path.slice(0, -spelling.length);
};

/**
 * The file a transcript reference points to. A reference names `.json.br` (this format), `.json.gz`
 * or `.json` (older runs); when that exact file is absent the other spellings are tried, so a run
 * resumed across versions, or recompressed after the fact, stays readable.
 */
export function transcriptFile(runDir: string, ref: string): string | undefined {
  const path = join(runDir, ref);
  if (existsSync(path)) return path;
  const base = stem(path);
  if (base === undefined) return undefined;
  return SPELLINGS.map((s) => base + s).find((p) => existsSync(p));
}

/** Read a trial's transcript by its reference in trials.jsonl (the record's `transcript` field), relative to the run directory. */
export function readTranscript(runDir: string, ref: string): Transcript {
  if (!ref) throw new TranscriptReadError(runDir, 'this trial kept no transcript (the run used --transcripts failed or none)');
  const path = transcriptFile(runDir, ref);
  if (!path) throw new TranscriptReadError(join(runDir, ref), 'no such transcript file');
  return decodeTranscript(readFileSync(path), path, runStore(runDir, ref));
}

/** The store of the run a reference belongs to (references are `transcripts/...`), else the one nearest the file. */
const runStore = (runDir: string, ref: string): TextStore | undefined =>
  ref.startsWith('transcripts/') ? TextStore.ofRun(runDir) : undefined;

/** readTranscript, or undefined when the trial kept none or the file is missing or unreadable. */
export function tryReadTranscript(runDir: string, ref: string): Transcript | undefined {
  try {
    return readTranscript(runDir, ref);
  } catch (error) {
    if (error instanceof TranscriptReadError) return undefined;
    throw error;
  }
}

/**
 * Remove a transcript file (every spelling); used for trials whose transcript the run does not keep.
 * Those were written whole (no store), so no shared text loses its last reference here.
 */
export function removeTranscript(runDir: string, ref: string): void {
  const path = join(runDir, ref);
  rmSync(path, { force: true });
  const base = stem(path);
  if (base !== undefined) for (const s of SPELLINGS) rmSync(base + s, { force: true });
}
