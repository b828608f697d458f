// The response cache and replay: a ModelClient wrapper that keys every request by its content and
// keeps the replies as content-addressed files, so a run can be re-run for free and reproduced
// exactly (`--cache DIR`, `--cache DIR --replay`).
//
// The key is sha256 over the canonical JSON (sorted keys, undefined dropped) of
//
//   { v: 1, model, purpose, seed_key, subject, request }
//
// - model: the client id (`sim:default?apply_lesson=0.2`, `anthropic:claude-sonnet-4-6`);
// - request: the whole ModelRequest (system blocks with their cache marks, messages, tools, max_tokens);
// - purpose: agent, reflect, dream or grade;
// - seed_key: the call's place in the experiment (seed, replicate, session, slot, task, turn, ...);
// - subject: suite, family and task (the sim picks the suite's policy from it).
//
// Why the seed key is part of the key: the sim draws its randomness from it, so two identical
// requests at different places may get different answers; and for a real model, identical requests
// at different places (two replicates meeting the same task with the same memory, say) were two
// samples from the model, and each keeps its own reply, so a replay reproduces the run exactly,
// reply for reply. The place does not name the arm (the seed key is the same for every arm at a
// given replicate, session, slot, task and turn, as for the sim's common random numbers), so arms
// that send the identical request at the same place (e.g. in session 1, before any memory) share
// one reply and one live call. The price of keying by place is that a cache only serves the
// experiment (seed and schedule) that recorded it: a run with another seed misses from its first call.
//
// Never in the cache: credentials. API keys and base URLs are client configuration, not part of a
// request, and the files store the key's inputs' metadata (model, purpose, seed key, subject, the
// request's own hash) and the reply, never the request body or any header.
//
// Modes: 'record' (`--cache DIR`) is a read-through cache: a hit is served from the file, a miss
// calls the model and stores the reply (provider failures are not stored). 'replay'
// (`--cache DIR --replay`) never builds or calls the real client: a miss throws ReplayMissError,
// which is not an infrastructure failure, so the run fails loudly (exit 1) instead of counting a
// trial as `infra` or quietly going live.
//
// Files: DIR/<2 hex>/<64 hex>.json, written to a temporary name and hard-linked into place, so a
// reader never sees half a file and, when two processes record the same key at once, the first
// reply stays (nothing is overwritten).

import { createHash } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { CallContext, CallPurpose, ModelClient, ModelRequest, ModelResponse } from '../core/messages.js';
import type { Suite } from '../core/suite.js';
import { canonicalJson } from '../storage/manifest.js';
import { redactedJson } from '../security/redact.js';

export const CACHE_FORMAT = 'dreambench.response-cache/v1';
const KEY_VERSION = 1;

export type CacheMode = 'record' | 'replay';

export interface CacheOptions {
  /** The cache folder (created on first write). */
  dir: string;
  mode: CacheMode;
  /** Counters, filled in as the run goes (for the CLI to print). */
  stats?: CacheStats;
}

export interface CacheStats {
  hits: number;
  misses: number;
  stored: number;
}

export const newCacheStats = (): CacheStats => ({ hits: 0, misses: 0, stored: 0 });

/** What one cache file holds. */
export interface CacheEntry {
  format: typeof CACHE_FORMAT;
  key: string;
  model: string;
  purpose: CallPurpose;
  seed_key: string;
  subject?: CallContext['subject'];
  /** sha256 of the canonical request alone: tells "same request, other place" apart from "other request". */
  request_sha256: string;
  created_at: string;
  response: ModelResponse;
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** The cache key of one call (see the header for what goes in and why). */
export function cacheKey(model: string, request: ModelRequest, context: Pick<CallContext, 'seedKey' | 'purpose' | 'subject'>): string {
  return sha256(
    canonicalJson({
      v: KEY_VERSION,
      model,
      purpose: context.purpose,
      seed_key: context.seedKey,
      subject: context.subject,
      request,
    }),
  );
}

/** Thrown on a replay miss: a clear error naming the call, never a live call. Not a ModelInfraError on purpose. */
export class ReplayMissError extends Error {
  override name = 'ReplayMissError';
  constructor(
    readonly key: string,
    readonly model: string,
    readonly context: Pick<CallContext, 'seedKey' | 'purpose' | 'subject'>,
    readonly cacheDir: string,
  ) {
    const where = context.subject ? `suite ${context.subject.suite}, task ${context.subject.task}, ` : '';
    super(
      `replay: no cached reply for a ${context.purpose} call of ${model} (${where}seed key ${context.seedKey}; cache key ${key.slice(0, 16)}) ` +
        `in ${cacheDir}. Replay never calls the model: the cache was recorded by another experiment (seed, schedule, arms, model) ` +
        `or the request changed (harness, suite or arm code). Record it with --cache ${cacheDir} without --replay.`,
    );
  }
}

/** Content-addressed reply files under one folder. Safe for many writers (threads or processes). */
export class ResponseCache {
  constructor(readonly dir: string) {}

  pathOf(key: string): string {
    return join(this.dir, key.slice(0, 2), `${key}.json`);
  }

  get(key: string): CacheEntry | undefined {
    const path = this.pathOf(key);
    if (!existsSync(path)) return undefined;
    let entry: CacheEntry;
    try {
      entry = JSON.parse(readFileSync(path, 'utf8')) as CacheEntry;
    } catch (error) {
      throw new Error(`response cache: ${path} is not valid JSON (${(error as Error).message}); delete it to record it again`);
    }
    if (entry.format !== CACHE_FORMAT || entry.key !== key)
      throw new Error(`response cache: ${path} is not a ${CACHE_FORMAT} entry for key ${key}`);
    return entry;
  }

  /** Store an entry unless one is there already (first writer wins). Returns whether this call wrote it. */
  put(entry: CacheEntry): boolean {
    const path = this.pathOf(entry.key);
    if (existsSync(path)) return false;
    mkdirSync(dirname(path), { recursive: true });
    const tmp = `${path}.tmp-${process.pid}-${tmpCounter++}`;
    // Secrets never reach the cache (a reply that echoes a key is stored redacted; harness/security/redact.ts).
    writeFileSync(tmp, redactedJson(entry) + '\n');
    try {
      linkSync(tmp, path); // atomic, and fails with EEXIST instead of replacing another writer's file
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw error;
    } finally {
      unlinkSync(tmp);
    }
  }
}

let tmpCounter = 0;

/** A ModelClient that answers from the cache (and, in record mode, calls `inner` on a miss and stores the reply). */
export class CachingModel implements ModelClient {
  constructor(
    readonly id: string,
    private readonly inner: ModelClient | undefined,
    private readonly cache: ResponseCache,
    readonly mode: CacheMode,
    private readonly stats: CacheStats = newCacheStats(),
  ) {
    if (mode === 'record' && !inner) throw new Error('CachingModel: record mode needs the real client');
  }

  async create(request: ModelRequest, context: CallContext): Promise<ModelResponse> {
    const key = cacheKey(this.id, request, context);
    const hit = this.cache.get(key);
    if (hit) {
      this.stats.hits++;
      return hit.response;
    }
    this.stats.misses++;
    if (this.mode === 'replay' || !this.inner) throw new ReplayMissError(key, this.id, context, this.cache.dir);
    // Identical calls in flight at once (two arms at the same place) share one live call.
    let pending = this.inflight.get(key);
    if (!pending) {
      pending = this.record(key, request, context).finally(() => this.inflight.delete(key));
      this.inflight.set(key, pending);
    }
    return structuredClone(await pending);
  }

  private readonly inflight = new Map<string, Promise<ModelResponse>>();

  private async record(key: string, request: ModelRequest, context: CallContext): Promise<ModelResponse> {
    const response = await this.inner!.create(request, context);
    const entry: CacheEntry = {
      format: CACHE_FORMAT,
      key,
      model: this.id,
      purpose: context.purpose,
      seed_key: context.seedKey,
      ...(context.subject ? { subject: context.subject } : {}),
      request_sha256: sha256(canonicalJson(request)),
      created_at: new Date().toISOString(),
      response,
    };
    if (this.cache.put(entry)) {
      this.stats.stored++;
      // Hand back exactly what a replay will read (JSON drops undefined fields), so the two agree.
      return JSON.parse(JSON.stringify(response)) as ModelResponse;
    }
    // Another process stored this key first: use its reply, so the cache and this run agree.
    return this.cache.get(key)!.response;
  }
}

/** The client id a spec gives (what a trial record's `model` holds), without building the client. */
export function clientIdOf(spec: string): string {
  if (spec === 'sim' || spec === 'sim:') return 'sim:default';
  return spec;
}

export type ModelFactory = (spec: string, suites: ReadonlyMap<string, Suite>) => ModelClient;

/**
 * Wrap a model factory with the response cache. In replay mode the real factory is never called:
 * no client is built (so no API key is needed) and no request can leave the machine.
 */
export function withResponseCache(base: ModelFactory, options: CacheOptions): ModelFactory {
  const cache = new ResponseCache(options.dir);
  const stats = options.stats ?? newCacheStats();
  return (spec, suites) => {
    if (options.mode === 'replay') return new CachingModel(clientIdOf(spec), undefined, cache, 'replay', stats);
    const inner = base(spec, suites);
    return new CachingModel(inner.id, inner, cache, 'record', stats);
  };
}
