// The run directory: files are the source of truth. Everything is either appended one whole line at
// a time (journals) or written to a temporary name and renamed (snapshots, transcripts, manifest), so
// a process killed at any instant leaves no half-written file that a reader would trust.
// Every text written here passes through the secrets redaction (harness/security/redact.ts): API keys
// and the values of secret environment variables never reach a run's files.

import {
  appendFileSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import type { ArtifactStore, MemoryFiles } from '../core/arm.js';
import type { TrialKey, TrialRecord } from '../core/records.js';
import { currentSecrets, redactedJson, redactText } from '../security/redact.js';
import { SharedValues } from './shared-values.js';
import { LatestTrials } from './latest-trials.js';

let tmpCounter = 0;
const tmpSuffix = (): string => `.tmp-${process.pid}-${tmpCounter++}`;

export function writeFileAtomic(path: string, contents: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = path + tmpSuffix();
  writeFileSync(tmp, typeof contents === 'string' ? redactText(contents) : contents);
  renameSync(tmp, path);
}

export function writeJsonAtomic(path: string, value: unknown): void {
  writeFileAtomic(path, redactedJson(value, 2) + '\n');
}

/** UTF-16 units per write: at most 96 KB of UTF-8, below the size from which the C library maps memory apart. */
const WRITE_PIECE = 32_768;

/**
 * A text cut into pieces of at most WRITE_PIECE units (never inside a surrogate pair), for writing one
 * at a time. Each write holds its text as bytes until it is done; a piece of a few MB would be mapped
 * by malloc apart and, once freed, raise glibc's threshold for that, so that every later allocation
 * below it comes from a heap that does not give memory back: a report's peak memory grew by a third
 * on 100,000 trials (docs/scale-and-storage.md). Small pieces keep that threshold where it was.
 */
export function* writePieces(text: string): Generator<string> {
  for (let start = 0; start < text.length; ) {
    let end = Math.min(text.length, start + WRITE_PIECE);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end--;
    yield text.slice(start, end);
    start = end;
  }
}

/**
 * The asynchronous form of writeFileAtomic. A failed write leaves no temporary file behind. With
 * `durable` (the default, for reports) the data and the rename are synced to disk; the runner's
 * per-trial transcripts skip that: a killed process never leaves a partial file either way, and a
 * sync per trial would cost more than the trial.
 */
export async function writeFileAtomicAsync(
  path: string,
  contents: string | Iterable<string>,
  options: { durable?: boolean } = {},
): Promise<void> {
  const durable = options.durable ?? true;
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const tmp = path + tmpSuffix();
  try {
    const file = await open(tmp, 'wx');
    try {
      // A large file comes as chunks (whole lines each, so that redaction sees every secret whole): it is never one string in memory.
      for (const chunk of typeof contents === 'string' ? [contents] : contents) {
        // writeFile writes from the current position and, unlike write, retries a short write until the piece is all out.
        for (const piece of writePieces(redactText(chunk))) await file.writeFile(piece, 'utf8');
      }
      if (durable) await file.sync();
    } finally {
      await file.close();
    }
    await rename(tmp, path);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
  if (!durable) return;
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Directories cannot be synced on every platform (e.g. Windows); the rename is still atomic.
  }
}

/** writeJsonAtomic without blocking the event loop on the disk (the runner writes transcripts with it). */
export async function writeJsonAtomicAsync(path: string, value: unknown): Promise<void> {
  await writeFileAtomicAsync(path, redactedJson(value, 2) + '\n', { durable: false });
}

/** One line, one write(2): a kill leaves either the whole line or (rarely) a torn last line, which readers drop. */
export function appendJsonLine(path: string, value: unknown): void {
  appendFileSync(path, redactedJson(value) + '\n');
}

/**
 * The 1 MiB read buffer of forEachLine, kept for the next call instead of freed: a freed buffer that
 * size raises glibc's threshold for mapping memory apart, after which the process's heap keeps what
 * it frees (see writePieces). A nested call (a visitor reading another file) gets its own.
 */
let spareLineBuffer: Buffer | undefined;
function takeLineBuffer(): Buffer {
  const buffer = spareLineBuffer ?? Buffer.allocUnsafe(1 << 20);
  spareLineBuffer = undefined;
  return buffer;
}

/**
 * Visit each line of a text file, reading it in 1 MiB chunks: memory holds one chunk and one line,
 * never the whole file and an array of its lines (trials.jsonl of a large run is hundreds of MB).
 */
export function forEachLine(path: string, visit: (line: string, index: number, last: boolean) => void): void {
  const fd = openSync(path, 'r');
  const chunk = takeLineBuffer();
  try {
    const decoder = new StringDecoder('utf8');
    let carry = '';
    let index = 0;
    for (;;) {
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      const text = carry + decoder.write(chunk.subarray(0, n));
      let start = 0;
      for (let end = text.indexOf('\n', start); end >= 0; end = text.indexOf('\n', start)) {
        visit(text.slice(start, end), index++, false);
        start = end + 1;
      }
      carry = text.slice(start);
    }
    carry += decoder.end();
    // The text after the last newline: a torn final line, or '' when the file ends with a newline.
    visit(carry, index, true);
  } finally {
    closeSync(fd);
    spareLineBuffer = chunk;
  }
}

/** Visit each record of a JSON-lines file in order, dropping a torn final line (the mark of a killed writer). */
export function forEachJsonLine<T>(path: string, visit: (value: T) => void): void {
  if (!existsSync(path)) return;
  let pending: { line: string; index: number } | undefined;
  const parse = (line: string, index: number, last: boolean): void => {
    try {
      visit(JSON.parse(line) as T);
    } catch (error) {
      if (!last) throw new Error(`${path}: line ${index + 1} is not valid JSON (${(error as Error).message})`);
    }
  };
  // A line is parsed once the next one is seen, so the final non-empty line is known as such.
  forEachLine(path, (line, index, last) => {
    if (last && !line.trim()) {
      if (pending) parse(pending.line, pending.index, true);
      pending = undefined;
      return;
    }
    if (pending) parse(pending.line, pending.index, false);
    pending = line.trim() ? { line, index } : undefined;
    if (last && pending) parse(pending.line, pending.index, true);
  });
}

/** Parse a JSON-lines file, dropping a torn final line (the mark of a killed writer). */
export function readJsonLines<T>(path: string): T[] {
  const out: T[] = [];
  forEachJsonLine<T>(path, (value) => out.push(value));
  return out;
}

/** Drop a torn final line so the next append starts on a fresh line. */
export function repairJsonLines(path: string): void {
  if (!existsSync(path)) return;
  const text = readFileSync(path, 'utf8');
  if (text === '' || text.endsWith('\n')) return;
  const cut = text.lastIndexOf('\n');
  writeFileAtomic(path, cut >= 0 ? text.slice(0, cut + 1) : '');
}

const pad3 = (n: number): string => String(n).padStart(3, '0');

export class RunDir {
  constructor(readonly root: string) {}

  get manifestPath(): string {
    return join(this.root, 'manifest.json');
  }
  get eventsPath(): string {
    return join(this.root, 'events.jsonl');
  }
  get trialsPath(): string {
    return join(this.root, 'trials.jsonl');
  }
  get reportDir(): string {
    return join(this.root, 'report');
  }

  exists(): boolean {
    return existsSync(this.manifestPath);
  }

  /** Where a trial's compressed transcript goes (harness/storage/transcripts.ts writes and reads it). */
  transcriptPath(key: TrialKey): string {
    return join(this.root, 'transcripts', key.arm, `r${key.replicate}`, `s${pad3(key.session)}`, `${pad3(key.slot)}-${key.task}.json.br`);
  }

  /** Where a trial's produced files are kept, relative to the run dir (harness/runner/artifacts.ts). */
  artifactsRef(key: TrialKey): string {
    return ['artifacts', key.arm, `r${key.replicate}`, `s${pad3(key.session)}`, `${pad3(key.slot)}-${key.task}`].join('/');
  }

  /** Relative to the run dir, as stored in trial records. */
  relative(path: string): string {
    return relative(this.root, path).split(sep).join('/');
  }

  memoryDir(arm: string, replicate: number, session: number): string {
    return join(this.root, 'memory', arm, `r${replicate}`, `session-${pad3(session)}`);
  }

  /** An arm's own files: <run>/<folder>/<arm>/r<replicate>/<name>. */
  artifacts(folder: string, arm: string, replicate: number): ArtifactStore {
    const base = join(this.root, folder, arm, `r${replicate}`);
    const path = (name: string): string => {
      if (name.includes('..') || name.startsWith('/')) throw new Error(`artifact name "${name}" must be a relative path`);
      return join(base, name);
    };
    return {
      path,
      read: <T>(name: string): T | undefined => (existsSync(path(name)) ? (JSON.parse(readFileSync(path(name), 'utf8')) as T) : undefined),
      write: (name: string, data: unknown) => writeJsonAtomic(path(name), data),
    };
  }

  event(type: string, fields: Record<string, unknown> = {}): void {
    this.flush();
    appendJsonLine(this.eventsPath, { at: new Date().toISOString(), type, ...fields });
  }

  appendTrial(record: TrialRecord): void {
    this.flush();
    appendJsonLine(this.trialsPath, record);
  }

  /**
   * A finished trial's record and its `trial_finished` event, appended with those of every other
   * trial that finishes in the same turn of the event loop: one write(2) per journal per turn, not
   * two per trial. Whole lines only, so a kill leaves whole records (or a torn last line, which
   * readers drop). A record still waiting when the process is killed is a trial that never
   * finished: resume runs it again, and counts it once. Everything that reads the journals or
   * depends on them (trials(), snapshots, any other append) flushes first.
   */
  finishTrial(record: TrialRecord, fields: Record<string, unknown>): void {
    const secrets = currentSecrets();
    this.queue(this.trialsPath, redactedJson(record, undefined, secrets));
    this.queue(this.eventsPath, redactedJson({ at: new Date().toISOString(), type: 'trial_finished', ...fields }, undefined, secrets));
  }

  /** Write the queued journal lines now. */
  flush(): void {
    if (this.pending.size === 0) return;
    const pending = [...this.pending];
    this.pending.clear();
    for (const [path, lines] of pending) appendFileSync(path, lines.join('\n') + '\n');
  }

  private readonly pending = new Map<string, string[]>();
  private flushQueued = false;

  private queue(path: string, line: string): void {
    const lines = this.pending.get(path);
    if (lines) lines.push(line);
    else this.pending.set(path, [line]);
    if (this.flushQueued) return;
    this.flushQueued = true;
    setImmediate(() => {
      this.flushQueued = false;
      this.flush();
    });
  }

  /**
   * Every trial, deduplicated by trial id with the latest record winning (a re-run infra trial replaces its failure).
   * Values repeated across records (names, pitfall lists, checks) are shared and frozen (harness/storage/shared-values.ts).
   */
  trials(): TrialRecord[] {
    this.flush();
    const latest = new LatestTrials<TrialRecord>();
    const shared = new SharedValues();
    forEachJsonLine<TrialRecord>(this.trialsPath, (record) => latest.add(record, shared.share(record)));
    return latest.values();
  }

  hasSnapshot(arm: string, replicate: number, session: number): boolean {
    return existsSync(this.memoryDir(arm, replicate, session));
  }

  /** Write a memory snapshot: into a temporary folder, then renamed into place in one step. */
  writeSnapshot(arm: string, replicate: number, session: number, memory: MemoryFiles): void {
    // A snapshot says its session is done: the session's trial records must be on disk before it.
    this.flush();
    const final = this.memoryDir(arm, replicate, session);
    const tmp = final + tmpSuffix();
    mkdirSync(tmp, { recursive: true });
    for (const [file, text] of Object.entries(memory)) {
      if (file.includes('..') || file.startsWith('/'))
        throw new Error(`memory file name "${file}" must be a relative path inside the store`);
      mkdirSync(dirname(join(tmp, file)), { recursive: true });
      writeFileSync(join(tmp, file), redactText(text));
    }
    rmSync(final, { recursive: true, force: true });
    renameSync(tmp, final);
  }

  readSnapshot(arm: string, replicate: number, session: number): MemoryFiles {
    const dir = this.memoryDir(arm, replicate, session);
    return readTree(dir);
  }

  /** Remove leftovers of a killed writer (temporary snapshot folders and files). */
  sweepTemporaries(): void {
    const sweep = (dir: string): void => {
      if (!existsSync(dir)) return;
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (/\.tmp-\d+-\d+$/.test(entry.name)) rmSync(path, { recursive: true, force: true });
        else if (entry.isDirectory()) sweep(path);
      }
    };
    sweep(this.root);
  }
}

export function readTree(dir: string): MemoryFiles {
  const files: MemoryFiles = {};
  if (!existsSync(dir)) return files;
  const walk = (current: string): void => {
    for (const entry of readdirSync(current, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) walk(path);
      else files[relative(dir, path).split(sep).join('/')] = readFileSync(path, 'utf8');
    }
  };
  walk(dir);
  return files;
}
