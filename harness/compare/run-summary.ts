// What `dreambench compare` and the history need from a run: its identity (from manifest.json), its
// trials as comparable units (one per (arm, task, replicate, session, slot)), and per-(arm, suite,
// task, session) totals ("cells"). Cells are what the history database keeps: from them any session
// range's rates, means and task-clustered standard errors can be recomputed exactly, so a run whose
// directory is gone can still be compared (unpaired) from its stored summary. A run directory is read
// in one streamed pass over trials.jsonl that keeps only the few fields a unit is made of, never whole
// trial records: memory grows by a small row per trial, not by the records.

import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Experiment } from '../config/schema.js';
import { UNCOUNTED_CLASSES } from '../core/records.js';
import { resolveArms } from '../config/schema.js';
import type { ErrorClass, TrialRecord, TrialSlice } from '../core/records.js';
import type { Manifest } from '../storage/manifest.js';
import { canonicalJson } from '../storage/manifest.js';
import { forEachJsonLine, RunDir } from '../storage/run-dir.js';
import { LatestTrials } from '../storage/latest-trials.js';
import { stringInterner } from '../storage/shared-values.js';
import { mainTrials } from '../core/slices.js';

/** Unusable input for compare/history: exit code 2, with the reason. */
export class CompareInputError extends Error {
  override name = 'CompareInputError';
}

export interface RunMeta {
  run_id: string;
  name: string;
  created_at: string;
  status: string;
  harness_version: string;
  git_sha: string | null;
  model: string;
  grader_model: string;
  config_hash: string;
  simulated: boolean;
  seed: number;
  sessions: number;
  tasks_per_session: number;
  replicates: number;
  /** Canonical JSON of the schedule settings (held-out families, drift): equal schedules pair. */
  schedule: string;
  /** Suite name -> hash of its task data. */
  suites: Record<string, string>;
  arms: string[];
  cache_mode?: 'record' | 'replay';
  ci?: Experiment['ci'];
}

/** One trial as the comparison sees it (infra failures are left out before this). */
export interface Unit {
  arm: string;
  suite: string;
  task: string;
  replicate: number;
  session: number;
  slot: number;
  success: boolean;
  /** USD: the trial, the arm's after-trial calls, and its share of the session's consolidation. */
  cost_usd: number;
  /** Input, output and cache tokens, counted the same way as cost_usd. */
  tokens: number;
  wall_ms: number;
}

/** Totals of one (arm, suite, task, session). */
export interface Cell {
  arm: string;
  suite: string;
  task: string;
  session: number;
  /** Trials counted (infra failures excluded). */
  n: number;
  successes: number;
  cost_usd: number;
  tokens: number;
  wall_ms: number;
  /** Trials that failed for infrastructure reasons (not counted anywhere else). */
  infra: number;
}

export interface LoadedRun {
  meta: RunMeta;
  /** Where it came from: a run directory (units available, so pairing is possible) or the history's stored summary. */
  source: 'run-dir' | 'history';
  /** The run directory (absolute), when known. */
  path?: string;
  /** Present for a run directory. */
  units?: Unit[];
  cells: Cell[];
  /** History row id, when it came from (or was found in) the history. */
  history_id?: number;
}

export function metaOf(manifest: Manifest): RunMeta {
  const e = manifest.experiment;
  return {
    run_id: manifest.run_id,
    name: manifest.name,
    created_at: manifest.created_at,
    status: manifest.status,
    harness_version: manifest.harness_version,
    git_sha: manifest.git_sha,
    model: manifest.models.agent,
    grader_model: manifest.models.grader,
    config_hash: manifest.config_hash,
    simulated: manifest.simulated,
    seed: e.seed,
    sessions: e.sessions,
    tasks_per_session: e.tasks_per_session,
    replicates: e.replicates,
    schedule: canonicalJson(e.schedule ?? {}),
    suites: Object.fromEntries(Object.entries(manifest.suites).map(([name, s]) => [name, s.hash])),
    arms: resolveArms(e.arms).map((a) => a.name),
    ...(manifest.cache ? { cache_mode: manifest.cache.mode } : {}),
    ...(e.ci ? { ci: e.ci } : {}),
  };
}

interface ConsolidationEvent {
  type: string;
  arm?: string;
  replicate?: number;
  session?: number;
  usage?: { input_tokens?: number; output_tokens?: number; cache_read_tokens?: number; cache_write_tokens?: number; cost_usd?: number };
}

const tokensOf = (
  u: { input_tokens?: number; output_tokens?: number; cache_read_tokens?: number; cache_write_tokens?: number } | undefined,
): number => (u ? (u.input_tokens ?? 0) + (u.output_tokens ?? 0) + (u.cache_read_tokens ?? 0) + (u.cache_write_tokens ?? 0) : 0);

/** The fields of a trial record that its unit and cell are made of (a whole TrialRecord is one). */
export interface UnitSource
  extends Pick<
    TrialRecord,
    | 'arm'
    | 'suite'
    | 'task'
    | 'replicate'
    | 'session'
    | 'slot'
    | 'slice'
    | 'success'
    | 'error_class'
    | 'cost_usd'
    | 'input_tokens'
    | 'output_tokens'
    | 'cache_read_tokens'
    | 'cache_write_tokens'
    | 'wall_ms'
  > {
  arm_usage?: { input_tokens?: number; output_tokens?: number; cache_read_tokens?: number; cache_write_tokens?: number; cost_usd?: number };
}

/** A trial's unit before its session's consolidation share is added (spreadConsolidation). */
function unitOf(t: UnitSource): Unit {
  return {
    arm: t.arm,
    suite: t.suite,
    task: t.task,
    replicate: t.replicate,
    session: t.session,
    slot: t.slot,
    success: t.success,
    cost_usd: t.cost_usd + (t.arm_usage?.cost_usd ?? 0),
    tokens: tokensOf(t) + tokensOf(t.arm_usage),
    wall_ms: t.wall_ms,
  };
}

/**
 * Spread each (arm, replicate, session)'s consolidation cost and tokens (from `session_consolidated`
 * events) evenly over that session's units, in place: a per-trial cost then includes what the arm
 * spent between sessions (dreaming, skill extraction).
 */
function spreadConsolidation(units: Unit[], events: readonly ConsolidationEvent[]): void {
  const sessionKey = (arm: string, replicate: number, session: number): string => `${arm}\u0000${replicate}\u0000${session}`;
  const perSession = new Map<string, number>();
  for (const u of units)
    perSession.set(sessionKey(u.arm, u.replicate, u.session), (perSession.get(sessionKey(u.arm, u.replicate, u.session)) ?? 0) + 1);
  const consolidation = new Map<string, { cost: number; tokens: number }>();
  for (const e of events) {
    if (e.type !== 'session_consolidated' || !e.usage || e.arm === undefined || e.replicate === undefined || e.session === undefined)
      continue;
    const key = sessionKey(e.arm, e.replicate, e.session);
    const c = consolidation.get(key) ?? { cost: 0, tokens: 0 };
    c.cost += e.usage.cost_usd ?? 0;
    c.tokens += tokensOf(e.usage);
    consolidation.set(key, c);
  }
  for (const u of units) {
    const key = sessionKey(u.arm, u.replicate, u.session);
    const share = consolidation.get(key);
    const m = perSession.get(key) ?? 1;
    u.cost_usd = u.cost_usd + (share ? share.cost / m : 0);
    u.tokens = u.tokens + (share ? share.tokens / m : 0);
  }
}

/** Units from trial records (infra failures left out), with their sessions' consolidation spread over them. */
export function unitsOf(trials: readonly UnitSource[], events: readonly ConsolidationEvent[] = []): Unit[] {
  const units = trials.filter((t) => !UNCOUNTED_CLASSES.has(t.error_class)).map(unitOf);
  spreadConsolidation(units, events);
  return units;
}

/** One trial as trials.jsonl is read: its unit, and what decides whether it is one. */
interface ReadTrial {
  unit: Unit;
  slice: TrialSlice | undefined;
  error_class: ErrorClass;
}

/**
 * Every trial of trials.jsonl as its unit, in one streamed pass that keeps no whole record:
 * deduplicated by trial id with the latest record winning, in the order RunDir.trials() gives
 * (harness/storage/run-dir.ts). Names repeated across records (arm, suite, task) are kept once.
 */
function readTrials(trialsPath: string): ReadTrial[] {
  const name = stringInterner();
  const latest = new LatestTrials<ReadTrial>();
  forEachJsonLine<TrialRecord>(trialsPath, (t) => {
    const unit = unitOf(t);
    unit.arm = name(t.arm);
    unit.suite = name(t.suite);
    unit.task = name(t.task);
    latest.add(t, { unit, slice: t.slice, error_class: t.error_class });
  });
  return latest.values();
}

/** Totals per (arm, suite, task, session). */
export function cellsOf(
  units: readonly Unit[],
  trials: readonly Pick<UnitSource, 'arm' | 'suite' | 'task' | 'session' | 'error_class'>[] = [],
): Cell[] {
  const key = (arm: string, suite: string, task: string, session: number): string => `${arm}\u0000${suite}\u0000${task}\u0000${session}`;
  const cells = new Map<string, Cell>();
  const cell = (arm: string, suite: string, task: string, session: number): Cell => {
    const k = key(arm, suite, task, session);
    let c = cells.get(k);
    if (!c) {
      c = { arm, suite, task, session, n: 0, successes: 0, cost_usd: 0, tokens: 0, wall_ms: 0, infra: 0 };
      cells.set(k, c);
    }
    return c;
  };
  for (const u of units) {
    const c = cell(u.arm, u.suite, u.task, u.session);
    c.n++;
    c.successes += u.success ? 1 : 0;
    c.cost_usd += u.cost_usd;
    c.tokens += u.tokens;
    c.wall_ms += u.wall_ms;
  }
  for (const t of trials) if (UNCOUNTED_CLASSES.has(t.error_class)) cell(t.arm, t.suite, t.task, t.session).infra++;
  return [...cells.values()].sort(
    (a, b) => a.arm.localeCompare(b.arm) || a.suite.localeCompare(b.suite) || a.task.localeCompare(b.task) || a.session - b.session,
  );
}

/** Read a run directory; a clear CompareInputError when it is not one. */
export function loadRunDir(path: string): LoadedRun {
  const dir = new RunDir(path);
  if (!existsSync(path)) throw new CompareInputError(`${path}: no such run directory`);
  if (!dir.exists()) throw new CompareInputError(`${path}: not a run directory (no manifest.json)`);
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(dir.manifestPath, 'utf8')) as Manifest;
  } catch (error) {
    throw new CompareInputError(`${dir.manifestPath}: not valid JSON (${(error as Error).message})`);
  }
  if (manifest.format !== 'dreambench.run/v1' || !manifest.experiment)
    throw new CompareInputError(`${dir.manifestPath}: not a dreambench run manifest`);
  if (!existsSync(dir.trialsPath)) throw new CompareInputError(`${path}: trials.jsonl is missing`);
  let trials: ReadTrial[];
  let events: ConsolidationEvent[];
  try {
    // The train slice when the run has an eval slice or re-tests (harness/core/slices.ts), as in the report's main figures.
    trials = mainTrials(readTrials(dir.trialsPath));
    // Only the consolidations' usage is needed: the journal is streamed, not held (a large run's has a line per trial).
    const consolidations: ConsolidationEvent[] = [];
    forEachJsonLine<ConsolidationEvent>(dir.eventsPath, (e) => {
      if (e.type === 'session_consolidated' && e.usage) consolidations.push(e);
    });
    events = consolidations;
  } catch (error) {
    throw new CompareInputError(`${path}: ${(error as Error).message}`);
  }
  const units = trials.filter((t) => !UNCOUNTED_CLASSES.has(t.error_class)).map((t) => t.unit);
  spreadConsolidation(units, events);
  const uncounted = trials.filter((t) => UNCOUNTED_CLASSES.has(t.error_class)).map((t) => ({ ...t.unit, error_class: t.error_class }));
  return { meta: metaOf(manifest), source: 'run-dir', path: resolve(path), units, cells: cellsOf(units, uncounted) };
}
