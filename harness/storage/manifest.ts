// manifest.json: what was run, with what, and how far it got.

import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Experiment } from '../config/schema.js';
import type { Suite } from '../core/suite.js';
import { harnessVersion } from '../core/paths.js';

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

export function configHash(experiment: Experiment): string {
  // Neither how many trials run at once nor where the run stops changes any trial's result.
  // Nor do the CI thresholds (the `ci:` block), which only `dreambench compare` reads.
  const { concurrency: _c, budgets, ci: _ci, ...rest } = experiment;
  const { max_cost_per_run: _mc, max_tokens_per_run: _mt, ...trialBudgets } = budgets;
  const relevant = { ...rest, budgets: trialBudgets };
  return createHash('sha256').update(canonicalJson(relevant)).digest('hex').slice(0, 16);
}

/** sha256 over a suite's data files (names and contents), tests excluded. */
export function suiteHash(suite: Suite): string {
  const hash = createHash('sha256');
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir).sort()) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (!entry.endsWith('.test.ts')) hash.update(relative(suite.dataDir, path)).update('\0').update(readFileSync(path)).update('\0');
    }
  };
  if (existsSync(suite.dataDir)) walk(suite.dataDir);
  // Files outside the suite's folder that also define it (shared code, a user's task file).
  for (const extra of suite.hashPaths ?? []) {
    hash.update(`\0extra\0${extra}\0`);
    if (!existsSync(extra)) hash.update('missing');
    else if (statSync(extra).isDirectory()) {
      const walkExtra = (dir: string): void => {
        for (const entry of readdirSync(dir).sort()) {
          const path = join(dir, entry);
          if (statSync(path).isDirectory()) walkExtra(path);
          else if (!entry.endsWith('.test.ts')) hash.update(relative(extra, path)).update('\0').update(readFileSync(path)).update('\0');
        }
      };
      walkExtra(extra);
    } else hash.update(readFileSync(extra));
  }
  return hash.digest('hex').slice(0, 16);
}

export function gitSha(cwd: string): string | null {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim() || null;
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
      [...suites.values()].map((s) => [s.name, { hash: suiteHash(s), tasks: s.tasks.length, families: s.families.length, pitfalls: s.pitfalls.length }]),
    ),
  };
}
