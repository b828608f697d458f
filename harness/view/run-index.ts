// Which runs the viewer serves: each path given on the command line is a run directory, or a folder
// whose sub-folders (two levels deep) hold runs. Each run gets a short, URL-safe id (its folder name,
// made unique), and a summary for the runs page: name, model, arms, status, dates, success per arm.

import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { resolveArms } from '../config/schema.js';
import { isRun, readManifest, readTrials } from './run-reader.js';

export interface ServedRun {
  id: string;
  root: string;
}

export interface ArmSuccess {
  arm: string;
  trials: number;
  successes: number;
}

export interface RunSummary {
  id: string;
  name: string;
  model: string;
  arms: string[];
  status: string;
  created_at: string;
  updated_at: string;
  trials: number;
  /** Trials the experiment schedules (arms x replicates x sessions x tasks per session), when known. */
  planned?: number;
  cost_usd: number;
  simulated: boolean;
  stop_reason?: string;
  invalid?: string;
  per_arm: ArmSuccess[];
}

function runsUnder(dir: string, depth: number): string[] {
  if (isRun(dir)) return [dir];
  if (depth === 0) return [];
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const name of names) {
    if (name.startsWith('.') || name === 'node_modules') continue;
    const path = join(dir, name);
    try {
      if (statSync(path).isDirectory()) out.push(...runsUnder(path, depth - 1));
    } catch {
      // A folder that vanished or cannot be read holds no run to show.
    }
  }
  return out;
}

/** The runs under the given paths, each with a unique id. Paths that do not exist are an error. */
export function discoverRuns(paths: readonly string[]): ServedRun[] {
  const seen = new Map<string, ServedRun>();
  const ids = new Set<string>();
  for (const given of paths) {
    const abs = resolve(given);
    if (!existsSync(abs)) throw new Error(`${given}: no such file or directory`);
    for (const root of runsUnder(abs, 2)) {
      if (seen.has(root)) continue;
      const base = basename(root).replace(/[^A-Za-z0-9._-]+/g, '-') || 'run';
      let id = base;
      for (let k = 2; ids.has(id); k++) id = `${base}-${k}`;
      ids.add(id);
      seen.set(root, { id, root });
    }
  }
  return [...seen.values()];
}

export function summarizeRun(run: ServedRun): RunSummary {
  const manifest = readManifest(run.root);
  const arms = resolveArms(manifest.experiment.arms).map((a) => a.name);
  const trials = readTrials(run.root);
  const perArm = new Map<string, ArmSuccess>(arms.map((arm) => [arm, { arm, trials: 0, successes: 0 }]));
  for (const t of trials) {
    const row = perArm.get(t.arm) ?? { arm: t.arm, trials: 0, successes: 0 };
    row.trials++;
    if (t.success) row.successes++;
    perArm.set(t.arm, row);
  }
  const e = manifest.experiment;
  const planned = arms.length * e.replicates * e.sessions * e.tasks_per_session;
  return {
    id: run.id,
    name: manifest.name,
    model: manifest.models?.agent ?? e.model,
    arms,
    status: manifest.status,
    created_at: manifest.created_at,
    updated_at: manifest.updated_at,
    trials: trials.length,
    ...(Number.isFinite(planned) && planned > 0 ? { planned } : {}),
    cost_usd: trials.reduce((sum, t) => sum + t.cost_usd, 0),
    simulated: manifest.simulated,
    ...(manifest.stop_reason ? { stop_reason: manifest.stop_reason } : {}),
    ...(manifest.invalid ? { invalid: manifest.invalid } : {}),
    per_arm: [...perArm.values()],
  };
}
