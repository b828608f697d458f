// Trial transcripts on disk: one gzip file per trial (transcripts/<arm>/r<rep>/s<session>/<slot>-<task>.json.gz),
// written to a temporary name and renamed, so a killed run never leaves a half-written transcript and
// resume gives the same trials. Every reader of a run's transcripts goes through readTranscript, which
// also reads the uncompressed `.json` transcripts of runs made before compression.
// Why gzip: it ships in node:zlib (no dependency) and shrinks transcript JSON about tenfold; zstd would
// compress a little better and faster, but Node 20's zlib has no zstd (it arrived in Node 22.15).

import { existsSync, readFileSync, rmSync } from 'node:fs';
import { writeFileAtomic } from './run-dir.js';
import { writeFile } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync, gzip, gzipSync } from 'node:zlib';
import type { Transcript } from '../agent/transcript.js';
import type { TrialRecord } from '../core/records.js';
import { redactedJsonText } from '../security/redact.js';

const gzipAsync = promisify(gzip);
const writeFileCallback = promisify(writeFile);

/** Which transcripts a run keeps: every one, those of failed trials only, or none. */
export type TranscriptKeep = 'all' | 'failed' | 'none';
export const TRANSCRIPT_KEEP_MODES: readonly TranscriptKeep[] = ['all', 'failed', 'none'];

export const TRANSCRIPT_EXTENSION = '.json.gz';

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

/** Transcripts up to this size are compressed on the calling thread: for the few KB most trials write, the thread pool's round trip costs several times the compression. */
const SYNC_GZIP_MAX_BYTES = 256 * 1024;

/** The bytes of a transcript file: compact JSON, secrets redacted, gzip-compressed. */
export async function encodeTranscript(transcript: Transcript): Promise<Buffer> {
  const json = Buffer.from(redactedJsonText(transcript), 'utf8');
  return json.length <= SYNC_GZIP_MAX_BYTES ? gzipSync(json) : gzipAsync(json);
}

/**
 * Write a transcript to `path` (a `.json.gz` name) through a temporary file and a rename. The folder
 * is created only when the first write finds it missing (one per session folder, not one mkdir per
 * trial). The callback API is used: a promise FileHandle costs more than the write of a small file.
 * The runner does not hold a trial's concurrency slot during this write (harness/runner/run-chain.ts),
 * so its file-system calls stay asynchronous: they overlap the next trial's work.
 */
export async function writeTranscript(path: string, transcript: Transcript): Promise<void> {
  const bytes = await encodeTranscript(transcript);
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

/** The synchronous writeTranscript, for tools that write a run outside the runner (generators, imports). */
export function writeTranscriptSync(path: string, transcript: Transcript): void {
  writeFileAtomic(path, gzipSync(Buffer.from(redactedJsonText(transcript), 'utf8')));
}

/** The JSON text of a transcript file: gunzipped when it starts with the gzip magic bytes, as is otherwise. */
export function transcriptJsonText(bytes: Buffer, path: string): string {
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes.toString('utf8');
  try {
    return gunzipSync(bytes).toString('utf8');
  } catch (error) {
    throw new TranscriptReadError(path, `not a readable gzip file (${(error as Error).message})`);
  }
}

/** Whether a file name is a transcript's: `.json.gz`, or `.json` from runs made before compression. */
export const isTranscriptFileName = (name: string): boolean => name.endsWith('.json') || name.endsWith(TRANSCRIPT_EXTENSION);

/** Decode the contents of a transcript file (gzip or plain JSON). */
export function decodeTranscript(bytes: Buffer, path: string): Transcript {
  const text = transcriptJsonText(bytes, path);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new TranscriptReadError(path, `not valid JSON (${(error as Error).message})`);
  }
  if (!value || typeof value !== 'object' || !Array.isArray((value as { messages?: unknown }).messages)) {
    throw new TranscriptReadError(path, 'expected a transcript object with a "messages" array');
  }
  return value as Transcript;
}

/**
 * The file a transcript reference points to. A reference names `.json.gz` (this format) or `.json`
 * (runs made before compression); when that exact file is absent the other spelling is tried, so a
 * run compressed after the fact stays readable.
 */
export function transcriptFile(runDir: string, ref: string): string | undefined {
  const path = join(runDir, ref);
  if (existsSync(path)) return path;
  const other = ref.endsWith(TRANSCRIPT_EXTENSION) ? path.slice(0, -'.gz'.length) : ref.endsWith('.json') ? `${path}.gz` : undefined;
  return other !== undefined && existsSync(other) ? other : undefined;
}

/** Read a trial's transcript by its reference in trials.jsonl (the record's `transcript` field), relative to the run directory. */
export function readTranscript(runDir: string, ref: string): Transcript {
  if (!ref) throw new TranscriptReadError(runDir, 'this trial kept no transcript (the run used --transcripts failed or none)');
  const path = transcriptFile(runDir, ref);
  if (!path) throw new TranscriptReadError(join(runDir, ref), 'no such transcript file');
  return decodeTranscript(readFileSync(path), path);
}

/** readTranscript, or undefined when the trial kept none or the file is missing or unreadable. */
export function tryReadTranscript(runDir: string, ref: string): Transcript | undefined {
  try {
    return readTranscript(runDir, ref);
  } catch (error) {
    if (error instanceof TranscriptReadError) return undefined;
    throw error;
  }
}

/** Remove a transcript file (both spellings); used for trials whose transcript the run does not keep. */
export function removeTranscript(runDir: string, ref: string): void {
  const path = join(runDir, ref);
  rmSync(path, { force: true });
  if (path.endsWith(TRANSCRIPT_EXTENSION)) rmSync(path.slice(0, -'.gz'.length), { force: true });
}
