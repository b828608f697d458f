// Synthetic comparison sides at the records level, for tests and the false-positive measurement:
// runs whose outcomes are drawn from known per-task rates, with the same units (paired) or not.

import { rngFrom } from '../core/rng.js';
import { cellsOf, type LoadedRun, type RunMeta, type Unit } from './run-summary.js';

export interface SyntheticSideOptions {
  run_id: string;
  /** Seed of the schedule (same seed: same units, so the runs pair). */
  scheduleSeed: number;
  /** Seed of the outcomes (independent draws when it differs). */
  outcomeSeed: string;
  arms: Record<string, (session: number, taskEffect: number) => number>;
  suite?: string;
  tasks?: number;
  sessions?: number;
  tasksPerSession?: number;
  replicates?: number;
  /** Spread of task difficulty (logit scale), shared by both runs: tasks differ, consistently. */
  taskSpread?: number;
  /** A per-(arm, replicate) shift on the logit scale (memory chains that learned early or late). */
  chainSpread?: number;
  costPerTrial?: number;
  model?: string;
}

const logit = (p: number): number => Math.log(p / (1 - p));
const expit = (x: number): number => 1 / (1 + Math.exp(-x));

/** A LoadedRun (source run-dir, with units) drawn from the given rates. */
export function syntheticSide(o: SyntheticSideOptions): LoadedRun {
  const tasks = o.tasks ?? 20;
  const sessions = o.sessions ?? 6;
  const perSession = o.tasksPerSession ?? 8;
  const replicates = o.replicates ?? 1;
  const suite = o.suite ?? 'suite-a';
  const difficulty = Array.from({ length: tasks }, (_, k) => (rngFrom(`task-difficulty:${k}`).next() - 0.5) * 2 * (o.taskSpread ?? 1.5));
  const units: Unit[] = [];
  for (const [arm, rate] of Object.entries(o.arms)) {
    for (let r = 1; r <= replicates; r++) {
      const chain = (rngFrom(`chain:${o.outcomeSeed}:${arm}:${r}`).next() - 0.5) * 2 * (o.chainSpread ?? 0);
      const schedule = rngFrom(`schedule:${o.scheduleSeed}:${r}`);
      for (let s = 1; s <= sessions; s++) {
        for (let slot = 0; slot < perSession; slot++) {
          const k = Math.floor(schedule.next() * tasks);
          const p = expit(logit(Math.min(0.999, Math.max(0.001, rate(s, difficulty[k]!)))) + difficulty[k]! + chain);
          const u = rngFrom(`outcome:${o.outcomeSeed}:${arm}:${r}:${s}:${slot}`).next();
          units.push({
            arm,
            suite,
            task: `task-${k}`,
            replicate: r,
            session: s,
            slot,
            success: u < p,
            cost_usd: (o.costPerTrial ?? 0.01) * (0.8 + 0.4 * rngFrom(`cost:${o.outcomeSeed}:${arm}:${r}:${s}:${slot}`).next()),
            tokens: 1000,
            wall_ms: 10,
          });
        }
      }
    }
  }
  const meta: RunMeta = {
    run_id: o.run_id,
    name: o.run_id,
    created_at: '2026-01-01T00:00:00.000Z',
    status: 'completed',
    harness_version: 'test',
    git_sha: null,
    model: o.model ?? 'sim:default',
    grader_model: o.model ?? 'sim:default',
    config_hash: `cfg-${o.scheduleSeed}`,
    simulated: true,
    seed: o.scheduleSeed,
    sessions,
    tasks_per_session: perSession,
    replicates,
    schedule: '{}',
    suites: { [suite]: 'hash' },
    arms: Object.keys(o.arms),
  };
  return { meta, source: 'run-dir', units, cells: cellsOf(units) };
}
