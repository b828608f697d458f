// manifest.json: what was run, with what, and how far it got.

import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import type { Experiment } from '../config/schema.js';
import type { Suite } from '../core/suite.js';
import { harnessVersion, packageRoot } from '../core/paths.js';

export type RunStatus = 'running' | 'completed' | 'stopped_budget' | 'awaiting_review' | 'failed';

export interface Manifest {
  format: 'dreambench.run/v1';
  run_id: string;
  name: string;
  created_at: string;
  updated_at: string;
  status: RunStatus;
  harness_version: string;
  git_sha: string | null;
  node_version: string;
  /** The experiment after command-line overrides: resume runs exactly this. */
  experiment: Experiment;
  /** Hash of the experiment's result-relevant fields (concurrency and run budgets excluded: they never change a trial). */
  config_hash: string;
  simulated: boolean;
  models: { agent: string; grader: string };
  suites: Record<string, { hash: string; tasks: number; families: number; pitfalls: number }>;
  totals?: { trials: number; cost_usd: number };
  /** Set when the run used the response cache (`--cache DIR`), or was replayed from it (`--replay`). */
  cache?: { dir: string; mode: 'record' | 'replay' };
  stop_reason?: string;
  /**
   * The sandbox level of a run whose suites run code (harness/sandbox): what was asked for and what
   * ran, and which memory cap was in force (a cgroup for all processes of a sandbox together, or
   * the per-process limits only; `detail` says why when no cgroup could be made).
   */
  sandbox?: {
    requested: string;
    level: string;
    accepted: string[];
    memoryCap?: { kind: 'cgroup2' | 'cgroup1' | 'per-process'; detail: string };
  };
  /**
   * The leak scan of the memory snapshots (harness/controls/leak-scan.ts), written at the end of a
   * run and by `dreambench leak-scan`. status 'leak': memory held gold answers, hidden tests or checker
   * internals the agent never saw, and the run is invalid (see `invalid`).
   */
  leak_scan?: { status: 'clean' | 'leak'; at: string; snapshots: number; markers: number; leaks: number; seen: number; gaming?: number };
  /** Models run without a price (allow_unpriced): their calls count as $0, so every cost figure is a lower bound. */
  cost_incomplete?: string[];
  /** What the run keeps of each trial's output files (harness/runner/artifacts.ts), and when its size cap was reached. */
  artifacts?: { keep: 'all' | 'failed' | 'none'; max_bytes: number; cap_reached_at?: string };
  /** Set when the run's results must not be used, with the reason (e.g. a memory leak). */
  invalid?: string;
  /** Resumes under another harness version or commit (`resume --allow-harness-change`), oldest first. */
  harness_changes?: Array<{
    at: string;
    from: { version: string; git_sha: string | null };
    to: { version: string; git_sha: string | null };
  }>;
}

export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value as object)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The fields of an experiment that the config hash covers (see configHash); harness/storage/config-diff.ts lists their differences. */
export function hashedFields(experiment: Experiment): Record<string, unknown> {
  // Neither how many trials run at once nor where the run stops changes any trial's result.
  // Nor do the CI thresholds (the `ci:` block), which only `dreambench compare` reads, nor the
  // client-side rate limits, which only pace requests.
  // Nor where the experiment file lives (base_dir): the suites' hashes cover what its paths point at;
  // nor which transcripts are kept on disk.
  const { concurrency: _c, budgets, ci: _ci, rate_limits: _rl, base_dir: _bd, transcripts: _t, ...rest } = experiment;
  const { max_cost_per_run: _mc, max_tokens_per_run: _mt, ...trialBudgets } = budgets;
  return { ...rest, budgets: trialBudgets };
}

export function configHash(experiment: Experiment): string {
  return createHash('sha256')
    .update(canonicalJson(hashedFields(experiment)))
    .digest('hex')
    .slice(0, 16);
}

/** sha256 over a suite's data files (names and contents), tests excluded. */
/** sha256 over a suite's data files and any shared files that also define it (names and contents), tests excluded. */
export function suiteHash(suite: Suite): string {
  const hash = createHash('sha256');
  const root = packageRoot();
  // Paths enter the hash relative to the package, so the same suite hashes alike in every checkout.
  const name = (path: string): string => (isAbsolute(path) ? relative(root, path) : path).split(sep).join('/');
  const add = (path: string): void => {
    if (!existsSync(path)) {
      hash.update(`${name(path)}\0missing\0`);
      return;
    }
    if (statSync(path).isDirectory()) {
      for (const entry of readdirSync(path).sort()) add(join(path, entry));
    } else if (!path.endsWith('.test.ts')) {
      hash.update(name(path)).update('\0').update(readFileSync(path)).update('\0');
    }
  };
  add(suite.dataDir);
  for (const extra of suite.hashPaths ?? []) add(extra);
  return hash.digest('hex').slice(0, 16);
}

export function gitSha(cwd: string): string | null {
  try {
    return (
      execFileSync('git', ['rev-parse', 'HEAD'], { cwd, stdio: ['ignore', 'pipe', 'ignore'] })
        .toString()
        .trim() || null
    );
  } catch {
    return null;
  }
}

export function newManifest(runId: string, experiment: Experiment, suites: ReadonlyMap<string, Suite>, simulated: boolean): Manifest {
  const now = new Date().toISOString();
  return {
    format: 'dreambench.run/v1',
    run_id: runId,
    name: experiment.name,
    created_at: now,
    updated_at: now,
    status: 'running',
    harness_version: harnessVersion(),
    git_sha: gitSha(process.cwd()),
    node_version: process.version,
    experiment,
    config_hash: configHash(experiment),
    simulated,
    models: { agent: experiment.model, grader: experiment.grader_model ?? experiment.model },
    suites: Object.fromEntries(
      [...suites.values()].map((s) => [
        s.name,
        { hash: suiteHash(s), tasks: s.tasks.length, families: s.families.length, pitfalls: s.pitfalls.length },
      ]),
    ),
  };
}
