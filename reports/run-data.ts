// Everything the report reads from a run directory, loaded once: manifest, trials, the journal's
// consolidation usage, memory snapshots, dream changesets, and (when the suites load) task and
// pitfall metadata. The run's files are the only source: a report can be rewritten at any time.

import { declaredArmMemory } from './arm-memory.js';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MemoryFiles } from '../harness/core/arm.js';
import type { TrialRecord } from '../harness/core/records.js';
import type { Pitfall, Suite } from '../harness/core/suite.js';
import type { Changeset } from '../harness/dreaming/changeset.js';
import { consolidationCosts, type ConsolidationCost } from '../harness/dreaming/costs.js';
import { listEntries, memoryTokens } from '../harness/dreaming/store.js';
import { resolveArms } from '../harness/config/schema.js';
import { discoverFolders } from '../harness/registry/discover.js';
import type { Manifest } from '../harness/storage/manifest.js';
import { readTree, RunDir } from '../harness/storage/run-dir.js';

export interface MemorySnapshot {
  arm: string;
  replicate: number;
  session: number;
  files: MemoryFiles;
  /** Entries: dreaming store entries, and Markdown list items of other .md/.txt files (one lesson, note or skill each). */
  entries: number;
  /** Estimated tokens the agent reads: characters / 4, HTML comments (provenance) left out. */
  tokens: number;
}

export interface DreamRecord {
  arm: string;
  replicate: number;
  session: number;
  changeset: Changeset;
}

/** What the report knows about a suite beyond the trial records (absent when the suite cannot be loaded). */
export interface SuiteMeta {
  name: string;
  families: Record<string, string>;
  pitfalls: Record<string, { description: string; kind: string; surfaces: string }>;
  /** Task id -> difficulty label, for tasks whose data declares one. */
  difficulty: Record<string, string>;
  /** The suite's pitfall table (for memory precision and recall). */
  pitfallTable: Pitfall[];
}

export interface RunData {
  root: string;
  manifest: Manifest;
  trials: TrialRecord[];
  /** Arms in report order: the experiment's order, then any others found in the trials. */
  arms: string[];
  simulated: boolean;
  /** What consolidation (dreams) cost per arm, from the journal (harness/dreaming/costs.ts). */
  consolidation: ConsolidationCost[];
  snapshots: MemorySnapshot[];
  dreams: DreamRecord[];
  suites: Record<string, SuiteMeta>;
  /** Arm name -> whether the arm declares that it carries memory across trials (reports/arm-memory.ts); undefined when unknown. */
  arm_memory?: Record<string, boolean | undefined>;
}

/** Entries and tokens of a memory store, counted as memory.csv counts them (harness/dreaming/store.ts). */
export function memorySize(files: MemoryFiles): { entries: number; tokens: number } {
  return { entries: listEntries(files).length, tokens: memoryTokens(files) };
}

const numbered = (prefix: string, name: string): number | undefined => {
  const m = new RegExp(`^${prefix}(\\d+)$`).exec(name);
  return m ? Number(m[1]) : undefined;
};

const dirs = (path: string): string[] =>
  existsSync(path)
    ? readdirSync(path, { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e) => e.name)
    : [];

/**
 * A snapshot whose files are read from its folder each time they are asked for, not held: a large
 * run's snapshots (every arm, replicate and session) outweigh its trial records, and the report
 * reads each of them a few times. Entries and tokens are counted once, when the run is loaded.
 */
class StoredSnapshot implements MemorySnapshot {
  readonly entries: number;
  readonly tokens: number;
  constructor(
    readonly arm: string,
    readonly replicate: number,
    readonly session: number,
    private readonly path: string,
  ) {
    const { entries, tokens } = memorySize(readTree(path));
    this.entries = entries;
    this.tokens = tokens;
  }
  get files(): MemoryFiles {
    return readTree(this.path);
  }
}

export function readSnapshots(root: string): MemorySnapshot[] {
  const out: MemorySnapshot[] = [];
  const base = join(root, 'memory');
  for (const arm of dirs(base)) {
    for (const repDir of dirs(join(base, arm))) {
      const replicate = numbered('r', repDir);
      if (replicate === undefined) continue;
      for (const sessionDir of dirs(join(base, arm, repDir))) {
        const session = numbered('session-', sessionDir);
        if (session === undefined) continue; // a temporary folder of a killed writer
        out.push(new StoredSnapshot(arm, replicate, session, join(base, arm, repDir, sessionDir)));
      }
    }
  }
  return out.sort((a, b) => a.arm.localeCompare(b.arm) || a.replicate - b.replicate || a.session - b.session);
}

const readChangeset = (path: string): Changeset => JSON.parse(readFileSync(path, 'utf8')) as Changeset;

/**
 * A dream whose changeset is read from its file each time it is asked for, not held: a large run's
 * changesets (evidence, provenance, every change) outweigh its trial records, and the report reads
 * each of them only once or twice.
 */
class StoredDream implements DreamRecord {
  constructor(
    readonly arm: string,
    readonly replicate: number,
    readonly session: number,
    private readonly path: string,
  ) {}
  get changeset(): Changeset {
    return readChangeset(this.path);
  }
}

function readDreams(root: string): DreamRecord[] {
  const out: DreamRecord[] = [];
  const base = join(root, 'dreams');
  for (const arm of dirs(base)) {
    for (const repDir of dirs(join(base, arm))) {
      const replicate = numbered('r', repDir);
      if (replicate === undefined) continue;
      const folder = join(base, arm, repDir);
      for (const name of readdirSync(folder)) {
        const m = /^session-(\d+)\.json$/.exec(name);
        if (!m) continue;
        try {
          const path = join(folder, name);
          const changeset = readChangeset(path);
          if (!changeset || !Array.isArray(changeset.changes)) continue;
          out.push(new StoredDream(arm, replicate, Number(m[1]), path));
        } catch {
          // A changeset that does not parse is left out of the report (the dream's own tools report it).
        }
      }
    }
  }
  return out.sort((a, b) => a.arm.localeCompare(b.arm) || a.replicate - b.replicate || a.session - b.session);
}

function difficultyOf(task: object): string | undefined {
  const t = task as { difficulty?: unknown; expected?: { difficulty?: unknown }; tags?: unknown };
  if (typeof t.difficulty === 'string' || typeof t.difficulty === 'number') return String(t.difficulty);
  if (t.expected && (typeof t.expected.difficulty === 'string' || typeof t.expected.difficulty === 'number'))
    return String(t.expected.difficulty);
  return undefined;
}

/** Suite metadata for the report; suites that fail to load are left out (the report still renders). */
export async function loadSuiteMeta(names: readonly string[]): Promise<Record<string, SuiteMeta>> {
  const out: Record<string, SuiteMeta> = {};
  if (names.length === 0) return out;
  for (const folder of discoverFolders<Suite>('tasks')) {
    const name = folder.folder;
    if (!names.includes(name)) continue;
    try {
      const suite = await folder.load();
      const difficulty: Record<string, string> = {};
      for (const task of suite.tasks) {
        const d = difficultyOf(task);
        if (d !== undefined) difficulty[task.id] = d;
      }
      out[name] = {
        name,
        families: Object.fromEntries(suite.families.map((f) => [f.id, f.title])),
        pitfalls: Object.fromEntries(suite.pitfalls.map((p) => [p.id, { description: p.description, kind: p.kind, surfaces: p.surfaces }])),
        difficulty,
        pitfallTable: suite.pitfalls,
      };
    } catch {
      // A suite whose data does not load: leave its metadata out.
    }
  }
  return out;
}

export interface LoadOptions {
  /** Load suite metadata (task difficulty, pitfall descriptions). Default true. */
  suites?: boolean;
}

/**
 * A run's arms in report order (the declared ones first, in their order; any others by name, never
 * by which finished first) and the suites its report describes, from the manifest and the trials.
 */
export function armsAndSuites(
  manifest: Manifest,
  trials: readonly Pick<TrialRecord, 'arm' | 'suite'>[],
): { arms: string[]; suiteNames: string[] } {
  let declared: string[] = [];
  try {
    declared = resolveArms(manifest.experiment.arms).map((a) => a.name);
  } catch {
    declared = [];
  }
  const present = new Set(trials.map((t) => t.arm));
  const arms = [...new Set([...declared, ...[...present].sort()])].filter((a) => present.has(a));
  const suiteNames = [...new Set([...(manifest.experiment.suites ?? []), ...trials.map((t) => t.suite)])];
  return { arms, suiteNames };
}

/** Trials sorted by arm (in `arms` order, then by name), replicate, session, slot and task (a new array). */
export function sortTrials<T extends Pick<TrialRecord, 'arm' | 'replicate' | 'session' | 'slot' | 'task'>>(
  trials: readonly T[],
  arms: readonly string[] = [],
): T[] {
  const cmp = (x: string, y: string): number => (x < y ? -1 : x > y ? 1 : 0);
  const rank = new Map(arms.map((a, i) => [a, i]));
  const armCmp = (x: string, y: string): number => (rank.get(x) ?? arms.length) - (rank.get(y) ?? arms.length) || cmp(x, y);
  return [...trials].sort(
    (a, b) => armCmp(a.arm, b.arm) || a.replicate - b.replicate || a.session - b.session || a.slot - b.slot || cmp(a.task, b.task),
  );
}

export async function loadRunData(root: string, options: LoadOptions = {}): Promise<RunData> {
  const dir = new RunDir(root);
  const manifest = JSON.parse(readFileSync(dir.manifestPath, 'utf8')) as Manifest;
  // Trials in a canonical order (arm, replicate, session, slot, task), not the order they finished in:
  // the same trials give the same report, byte for byte, whatever the concurrency or a resume did.
  const raw = dir.trials();
  const { arms, suiteNames } = armsAndSuites(manifest, raw);
  const trials = sortTrials(raw, arms);
  return {
    root,
    manifest,
    trials,
    arms,
    simulated: manifest.simulated,
    consolidation: consolidationCosts(dir.eventsPath, arms),
    snapshots: readSnapshots(root),
    dreams: readDreams(root),
    suites: options.suites === false ? {} : await loadSuiteMeta(suiteNames),
    arm_memory: await declaredArmMemory(manifest),
  };
}
