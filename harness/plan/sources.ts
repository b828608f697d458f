// Where a plan's pilot data comes from when it is not run for the plan: earlier run directories
// (`--from RUN_DIR`, one or more) or a response cache (`--from CACHE_DIR`, harness/models/cache.ts)
// of the same suites and model. Each is read into the trials and session-boundary costs the forecast
// works from; what makes the data unfit (another model, no suite or arm in common) is found by
// compatibility.ts. A cache names no arm (arms that sent the same request at the same place shared
// one reply), so its trials are pooled: each place's calls summed and divided by the number of
// distinct conversations that started there.

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Experiment } from '../config/schema.js';
import type { Usage } from '../core/messages.js';
import type { TrialRecord } from '../core/records.js';
import { CACHE_FORMAT, type CacheEntry } from '../models/cache.js';
import { costOf } from '../models/pricing.js';
import type { Manifest } from '../storage/manifest.js';
import { readJsonLines } from '../storage/run-dir.js';
import type { Consolidation } from './forecast.js';

/** The fields of a trial the forecast and the compatibility check read. */
export type PilotTrial = Pick<
  TrialRecord,
  | 'arm'
  | 'replicate'
  | 'session'
  | 'slot'
  | 'task'
  | 'suite'
  | 'model'
  | 'input_tokens'
  | 'output_tokens'
  | 'cache_read_tokens'
  | 'cache_write_tokens'
  | 'thinking_tokens'
  | 'cost_usd'
  | 'arm_usage'
>;

export interface RunSource {
  kind: 'run';
  path: string;
  experiment: Experiment;
  model: string;
  trials: TrialRecord[];
  consolidations: Consolidation[];
  wall: { seconds: number; trials: number };
}

export interface CacheSource {
  kind: 'cache';
  path: string;
  /** Client ids of the models whose replies the cache holds. */
  models: string[];
  /** Pooled trials of `model` (arm '*': the cache does not say which arm made them). */
  trials: PilotTrial[];
  consolidations: Consolidation[];
  /** Entries read, and distinct trial places they fall in. */
  entries: number;
}

export type PlanSource = RunSource | CacheSource;

/** Bad `--from` input: the plan command turns it into exit 2 with nothing written. */
export class PlanSourceError extends Error {
  override name = 'PlanSourceError';
}

interface RunEvent {
  at: string;
  type: string;
  arm?: string;
  replicate?: number;
  session?: number;
  usage?: { cost_usd?: number; input_tokens?: number; output_tokens?: number };
}

/** Session-boundary consolidations (dreams, skill extraction) from a run's journal. */
export function consolidationsOf(events: readonly RunEvent[]): Consolidation[] {
  return events
    .filter((e) => e.type === 'session_consolidated' && e.usage && e.arm !== undefined)
    .map((e) => ({
      arm: e.arm!,
      replicate: e.replicate ?? 1,
      session: e.session ?? 0,
      cost_usd: e.usage?.cost_usd ?? 0,
      tokens: (e.usage?.input_tokens ?? 0) + (e.usage?.output_tokens ?? 0),
    }));
}

/** Wall-clock seconds the trials took: from each start (or resume) to the next finish, summed. */
export function wallSecondsOf(events: readonly RunEvent[]): number {
  let total = 0;
  let start: number | undefined;
  for (const e of events) {
    const t = Date.parse(e.at);
    if (e.type === 'run_started' || e.type === 'run_resumed') start = t;
    if ((e.type === 'run_finished' || e.type === 'run_failed') && start !== undefined) {
      total += (t - start) / 1000;
      start = undefined;
    }
  }
  return total;
}

/** A run directory's trials (infrastructure failures left out), boundaries and pace. */
export function readRunSource(path: string): RunSource {
  const manifestPath = join(path, 'manifest.json');
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
  } catch (error) {
    throw new PlanSourceError(`--from ${path}: ${manifestPath} is not a readable run manifest (${(error as Error).message})`);
  }
  if (!manifest.experiment) throw new PlanSourceError(`--from ${path}: ${manifestPath} has no "experiment" field`);
  const trials = existsSync(join(path, 'trials.jsonl'))
    ? readJsonLines<TrialRecord>(join(path, 'trials.jsonl')).filter((t) => t.error_class !== 'infra')
    : [];
  const events = existsSync(join(path, 'events.jsonl')) ? readJsonLines<RunEvent>(join(path, 'events.jsonl')) : [];
  return {
    kind: 'run',
    path,
    experiment: manifest.experiment,
    model: manifest.models?.agent ?? manifest.experiment.model,
    trials,
    consolidations: consolidationsOf(events),
    wall: { seconds: wallSecondsOf(events), trials: trials.length },
  };
}

const ZERO: Usage = { input_tokens: 0, output_tokens: 0, cache_read_tokens: 0, cache_write_tokens: 0, thinking_tokens: 0 };

function addUsage(a: Usage, b: Usage): Usage {
  return {
    input_tokens: a.input_tokens + b.input_tokens,
    output_tokens: a.output_tokens + b.output_tokens,
    cache_read_tokens: a.cache_read_tokens + b.cache_read_tokens,
    cache_write_tokens: a.cache_write_tokens + b.cache_write_tokens,
    thinking_tokens: (a.thinking_tokens ?? 0) + (b.thinking_tokens ?? 0),
  };
}

const scaleUsage = (u: Usage, k: number): Usage => ({
  input_tokens: u.input_tokens * k,
  output_tokens: u.output_tokens * k,
  cache_read_tokens: u.cache_read_tokens * k,
  cache_write_tokens: u.cache_write_tokens * k,
  thinking_tokens: (u.thinking_tokens ?? 0) * k,
});

function* cacheEntries(path: string): Generator<CacheEntry> {
  for (const shard of readdirSync(path)) {
    if (!/^[0-9a-f]{2}$/.test(shard) || !statSync(join(path, shard)).isDirectory()) continue;
    for (const file of readdirSync(join(path, shard))) {
      if (!file.endsWith('.json')) continue;
      const at = join(path, shard, file);
      let entry: CacheEntry;
      try {
        entry = JSON.parse(readFileSync(at, 'utf8')) as CacheEntry;
      } catch (error) {
        throw new PlanSourceError(`--from ${path}: ${at} is not valid JSON (${(error as Error).message})`);
      }
      if (entry.format !== CACHE_FORMAT) throw new PlanSourceError(`--from ${path}: ${at} is not a ${CACHE_FORMAT} entry (format field)`);
      yield entry;
    }
  }
}

interface Place {
  replicate: number;
  session: number;
  slot: number;
  task: string;
  suite: string;
  agent: Usage;
  around: Usage;
  /** Distinct conversations started here (first-turn requests): one per arm whose calls differed. */
  starts: number;
}

/** A response cache's replies of `model`, pooled into one trial per place (see the header). */
export function readCacheSource(path: string, model: string): CacheSource {
  const places = new Map<string, Place>();
  const boundaries = new Map<string, Consolidation>();
  const models = new Set<string>();
  let entries = 0;
  for (const entry of cacheEntries(path)) {
    entries++;
    models.add(entry.model);
    if (entry.model !== model) continue;
    const usage = { ...ZERO, ...entry.response.usage };
    const boundary = /^[^:]+:r(\d+):s(\d+):consolidate/.exec(entry.seed_key);
    if (boundary) {
      const key = `${boundary[1]}:${boundary[2]}`;
      const c = boundaries.get(key) ?? { arm: '*', replicate: Number(boundary[1]), session: Number(boundary[2]), cost_usd: 0, tokens: 0 };
      c.cost_usd += costOf(model, usage);
      c.tokens += usage.input_tokens + usage.output_tokens;
      boundaries.set(key, c);
      continue;
    }
    const trial = /^[^:]+:r(\d+):s(\d+):(\d+):/.exec(entry.seed_key);
    const task = entry.subject?.task;
    if (!trial || !task || !entry.seed_key.slice(trial[0].length).startsWith(task)) continue;
    const key = `${trial[0]}${task}`;
    const place = places.get(key) ?? {
      replicate: Number(trial[1]),
      session: Number(trial[2]),
      slot: Number(trial[3]),
      task,
      suite: entry.subject?.suite ?? '',
      agent: { ...ZERO },
      around: { ...ZERO },
      starts: 0,
    };
    if (entry.purpose === 'agent') place.agent = addUsage(place.agent, usage);
    else place.around = addUsage(place.around, usage);
    if (entry.purpose === 'agent' && entry.seed_key === `${key}:t1`) place.starts++;
    places.set(key, place);
  }
  const trials = [...places.values()].map((p): PilotTrial => {
    const k = 1 / Math.max(1, p.starts);
    const agent = scaleUsage(p.agent, k);
    const around = scaleUsage(p.around, k);
    return {
      arm: '*',
      replicate: p.replicate,
      session: p.session,
      slot: p.slot,
      task: p.task,
      suite: p.suite,
      model,
      input_tokens: agent.input_tokens,
      output_tokens: agent.output_tokens,
      cache_read_tokens: agent.cache_read_tokens,
      cache_write_tokens: agent.cache_write_tokens,
      thinking_tokens: agent.thinking_tokens ?? 0,
      cost_usd: costOf(model, agent),
      arm_usage: { ...around, cost_usd: costOf(model, around) },
    };
  });
  return { kind: 'cache', path, models: [...models].sort(), trials, consolidations: [...boundaries.values()], entries };
}

/** A `--from` path: a run directory (it has manifest.json) or a response cache (two-hex shard folders). */
export function readSource(path: string, model: string): PlanSource {
  if (!existsSync(path)) throw new PlanSourceError(`--from ${path}: no such directory`);
  if (existsSync(join(path, 'manifest.json'))) return readRunSource(path);
  const shards = readdirSync(path).filter((f) => /^[0-9a-f]{2}$/.test(f));
  if (shards.length) return readCacheSource(path, model);
  throw new PlanSourceError(
    `--from ${path}: expected a run directory (with manifest.json) or a response cache (folders of ${CACHE_FORMAT} entries), found neither`,
  );
}
