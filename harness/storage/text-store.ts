// The files of a run's shared texts (harness/storage/shared-texts.ts says what goes there and why):
// transcripts/.texts/<first 2 hex>/<sha256>.txt.br, one Brotli-compressed UTF-8 text each.
// A blob is written to a temporary name and renamed, and is on disk before any transcript that
// names it is written, so a transcript never references a missing blob. A run killed between the
// two leaves a blob no transcript names (a real model's different reply on resume never names it
// again): resume sweeps such blobs before it writes anything (text-sweep.ts).

import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { type SharedText, textHash } from './shared-texts.js';
import { CodecError, compressText, decompressFile } from './transcript-codec.js';

/** The store's folder name inside a transcripts folder; a dot folder, so tools that list transcripts skip it. */
export const TEXT_STORE_FOLDER = '.texts';
const BLOB_EXTENSIONS = ['.txt.br', '.txt.gz', '.txt'] as const;

/** A text referenced by a transcript is missing or damaged; the message names the file. */
export class TextStoreError extends Error {}

/** Texts sighted once per store: a text goes to the store from its second sighting (see TextStore.sighted). */
const MAX_SIGHTINGS = 50_000;

export class TextStore {
  /** Blobs known to be on disk (written or found by this process). */
  private readonly present = new Set<string>();
  private readonly writing = new Map<string, Promise<void>>();
  private readonly sightings = new Set<string>();

  constructor(readonly dir: string) {}

  /** The store of a run directory. */
  static ofRun(runDir: string): TextStore {
    return storeAt(join(runDir, 'transcripts', TEXT_STORE_FOLDER));
  }

  blobPath(hash: string, extension: (typeof BLOB_EXTENSIONS)[number] = '.txt.br'): string {
    return join(this.dir, hash.slice(0, 2), `${hash}${extension}`);
  }

  /**
   * Whether a long text should go to the store: yes once this process met it before (in an earlier
   * transcript of the run) or stored it. A text met only once stays inline, compressed with the rest
   * of its transcript, where it costs less than alone in a blob (measured: scripts/bench-transcript-codecs.ts).
   * The memory of first sightings is bounded (cleared when full) and starts empty on resume (no file
   * system look-up per text): forgetting one costs one more inline copy, never correctness.
   */
  sighted(hash: string): boolean {
    if (this.present.has(hash) || this.sightings.has(hash)) return true;
    if (this.sightings.size >= MAX_SIGHTINGS) this.sightings.clear();
    this.sightings.add(hash);
    return false;
  }

  /** Make sure every text is on disk (written once per run, skipped when present). */
  async put(texts: readonly SharedText[]): Promise<void> {
    await Promise.all(texts.map((t) => this.putOne(t)));
  }

  private putOne({ hash, text }: SharedText): Promise<void> {
    if (this.present.has(hash)) return Promise.resolve();
    let pending = this.writing.get(hash);
    if (!pending) {
      pending = this.write(hash, text).finally(() => this.writing.delete(hash));
      this.writing.set(hash, pending);
    }
    return pending;
  }

  private async write(hash: string, text: string): Promise<void> {
    const path = this.blobPath(hash);
    if (!existsSync(path)) {
      const bytes = await compressText(text);
      const tmp = `${path}.tmp-${process.pid}-${tmpCounter++}`;
      try {
        await mkdir(dirname(path), { recursive: true });
        await writeFile(tmp, bytes, { flag: 'wx' });
        await rename(tmp, path); // another writer's identical blob may already be there: same bytes either way
      } catch (error) {
        await rm(tmp, { force: true });
        throw error;
      }
    }
    this.present.add(hash);
  }

  /** A stored text, checked against its hash (a damaged or misplaced blob is an error, never silently wrong text). */
  read(hash: string): string {
    const cached = readCache.get(hash);
    if (cached !== undefined) return cached;
    const path = BLOB_EXTENSIONS.map((e) => this.blobPath(hash, e)).find((p) => existsSync(p));
    if (!path) throw new TextStoreError(`${this.blobPath(hash)}: no such shared text (the transcript references it)`);
    let text: string;
    try {
      text = decompressFile(readFileSync(path), path).toString('utf8');
    } catch (error) {
      if (error instanceof CodecError) throw new TextStoreError(`${path}: ${error.message}`);
      throw error;
    }
    if (textHash(text) !== hash) throw new TextStoreError(`${path}: its contents do not match its name (a damaged shared text)`);
    remember(hash, text);
    return text;
  }
}
let tmpCounter = 0;

/** One TextStore per folder per process, so that writers share what is known to be on disk. */
const stores = new Map<string, TextStore>();

/**
 * Forget what this process knew of a run's store: a run (or resume) opening calls it, so that a run
 * directory removed and made again at the same path within one process (a library user, a test)
 * never has its transcripts reference texts that went with the old directory.
 */
export function forgetRunStore(runDir: string): void {
  stores.delete(join(runDir, 'transcripts', TEXT_STORE_FOLDER));
}
export function storeAt(dir: string): TextStore {
  let store = stores.get(dir);
  if (!store) {
    store = new TextStore(dir);
    stores.set(dir, store);
  }
  return store;
}

/** Texts read recently, by hash (a report reads the same system prompt and memory in every transcript); bounded by characters held. */
const readCache = new Map<string, string>();
const READ_CACHE_CHARS = 4 * 1024 * 1024;
let cachedChars = 0;
function remember(hash: string, text: string): void {
  if (text.length > READ_CACHE_CHARS / 4) return;
  readCache.set(hash, text);
  cachedChars += text.length;
  for (const [key, value] of readCache) {
    if (cachedChars <= READ_CACHE_CHARS) break;
    readCache.delete(key);
    cachedChars -= value.length;
  }
}

/**
 * The store serving a transcript file outside a known run directory (e.g. `dreambench dream
 * --transcripts runs/<id>/transcripts/dreaming`): the nearest ancestor folder holding a `.texts` folder.
 */
export function storeNear(file: string): TextStore | undefined {
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    const candidate = join(dir, TEXT_STORE_FOLDER);
    if (existsSync(candidate)) return storeAt(candidate);
    if (dirname(dir) === dir) return undefined;
  }
}
