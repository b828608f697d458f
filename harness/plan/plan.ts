// `dreambench plan`: run (or read) a pilot of an experiment, then forecast the full experiment's
// tokens, cost and wall time (forecast.ts) and its statistical power (power.ts).
//
// The pilot is the full experiment's own run directory, stopped after its first sessions of the
// first replicate: the same schedule, seeds and slots, so `dreambench resume DIR` (or `run --out
// DIR` with the same file) completes the experiment without paying for the pilot's trials again.
// Whole sessions are the unit because memory arms consolidate at session boundaries: a pilot cut
// mid-session would show neither the boundary's cost nor the next session's memory.
// Instead of a pilot, earlier runs or a response cache of the same suites and model can be read
// (`from`, sources.ts), once compatibility.ts has checked they can predict this experiment.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Experiment } from '../config/schema.js';
import { loadSuites } from '../registry/suites.js';
import { executeRun, type RunOptions } from '../runner/runner.js';
import { buildRunPlan, plannedTrials, type RunPlan } from '../schedule/plan.js';
import type { Manifest } from '../storage/manifest.js';
import { resolveArms } from '../config/schema.js';
import { clientIdOf } from '../models/cache.js';
import { type CombinedPilot, combineSources } from './compatibility.js';
import { type Forecast, forecast } from './forecast.js';
import { readRunSource, readSource } from './sources.js';
import { type PowerForecast, powerForecast } from './power.js';
import { declaredArmMemoryOf } from '../../reports/arm-memory.js';

export interface PlanOptions {
  experiment: Experiment;
  /** The pilot's run directory (a new one is run, an existing one of the same experiment is resumed or read). */
  runDir: string;
  /** Trials per arm the pilot runs at least (rounded up to whole sessions of replicate 1). */
  pilotTrials?: number;
  power?: number;
  targetEffect?: number;
  level?: number;
  progress?: RunOptions['progress'];
  /** Earlier run directories or response caches to forecast from instead of running a pilot. */
  from?: readonly string[];
}

export interface PlanResult {
  simulated: boolean;
  model: string;
  /** The pilot run for the plan, or (`from`) the earlier runs and caches read instead. */
  pilot: { run_dir: string; sessions: number; trials: number; status: string; from?: string[] };
  planned: { trials: number; trials_per_arm: number; replicates: number; sessions: number; tasks_per_session: number };
  forecast: Forecast;
  power: PowerForecast[];
  notes: string[];
}

/**
 * Whole sessions of replicate 1 needed for `trials` trials per arm. At least two (the first session
 * of a memory arm is blank, the second shows memory at work); by default (no `trials`) three when
 * the run has five or more sessions, so that growth across the later sessions is seen: the pilot's
 * trials are part of the full run, so the longer default costs nothing when the run goes ahead.
 */
export function pilotSessions(plan: RunPlan, trials: number | undefined, sessions: number): number {
  const chain = plan.chains[0];
  if (!chain) return 1;
  const target = trials ?? 0;
  const minimum = trials === undefined && sessions >= 5 ? 3 : 2;
  let count = 0;
  for (let s = 1; s <= chain.sessions.length; s++) {
    count += chain.sessions[s - 1]!.length;
    if (count >= target && s >= Math.min(sessions, minimum)) return s;
  }
  return chain.sessions.length;
}

/** Run (or resume, or read) the pilot in the run's own directory: its trials become the run's. */
async function runPilot(options: PlanOptions, sessions: number): Promise<CombinedPilot & { status: string }> {
  const { experiment } = options;
  const manifestPath = join(options.runDir, 'manifest.json');
  const existing = existsSync(manifestPath) ? (JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest) : undefined;
  let status = existing?.status ?? 'new';
  // An earlier run of the experiment (a finished pilot, or even the run itself) is read as it is.
  if (!existing || existing.status === 'running') {
    const outcome = await executeRun({
      runDir: options.runDir,
      experiment,
      pilot: { sessions, replicates: 1 },
      ...(options.progress ? { progress: options.progress } : {}),
    });
    status = outcome.status;
  }
  const source = readRunSource(options.runDir);
  return {
    trials: source.trials,
    count: source.trials.length,
    records: source.trials,
    consolidations: source.consolidations,
    wall: source.wall,
    outcomes: true,
    warnings: [],
    status,
  };
}

export async function planExperiment(options: PlanOptions): Promise<PlanResult> {
  const { experiment } = options;
  const suites = await loadSuites(experiment.suites, experiment.suite_options ?? {});
  const plan = buildRunPlan([...suites.values()], experiment);
  const sessions = pilotSessions(plan, options.pilotTrials, experiment.sessions);
  const arms = resolveArms(experiment.arms).map((a) => a.name);
  const taskIds = new Set(plan.chains.flatMap((c) => c.sessions.flat().map((t) => t.task.id)));
  const data: CombinedPilot & { status?: string } = options.from?.length
    ? combineSources(
        { experiment, suites: [...suites.keys()], tasks: taskIds, sessions: experiment.sessions },
        options.from.map((path) => readSource(path, clientIdOf(experiment.model))),
      )
    : await runPilot(options, sessions);
  const perArm = plannedTrials(plan);
  const rateLimit = Object.values(experiment.rate_limits ?? {})[0];
  const tpm =
    rateLimit?.tpm ?? (rateLimit?.itpm !== undefined && rateLimit?.otpm !== undefined ? rateLimit.itpm + rateLimit.otpm : undefined);
  const result = forecast({
    plan,
    arms,
    sessions: experiment.sessions,
    pilot: data.trials,
    pilotInRun: !options.from?.length,
    consolidations: data.consolidations,
    pilotWall: data.wall,
    ...(tpm ? { tokensPerMinute: tpm } : {}),
    ...(options.level ? { level: options.level } : {}),
  });
  const trials = data.records;
  const tasks = taskIds.size;
  // Arms the report will count the memory's luck for: the arm's own declaration (an arm that could
  // not say is taken to carry memory, the wider interval).
  const declared = await declaredArmMemoryOf(experiment.arms);
  const power = !data.outcomes
    ? []
    : powerForecast({
        pilot: trials,
        arms,
        carriesMemory: (arm) => declared[arm] ?? true,
        plannedPairsPerArm: perArm,
        plannedTasks: tasks,
        replicates: experiment.replicates,
        power: options.power ?? 0.8,
        ...(options.targetEffect !== undefined ? { targetPoints: options.targetEffect } : {}),
        seed: String(experiment.seed),
      });
  const simulated = experiment.model.startsWith('sim:');
  const notes = [
    ...(simulated
      ? [
          'The model is the built-in sim: these are forecasts of sim figures (tokens, nominal dollars, simulated time). They say nothing about any real model.',
        ]
      : []),
    "A pilot of early sessions cannot see what only happens later: memory that keeps growing past the pilot, drift events, or an arm that starts to succeed (success changes trial length). Intervals assume later trials look like the pilot's: each replicate's first session like the pilot's first, later sessions between a continued per-session trend and a plateau at the pilot's last level (a trend needs two sessions after the first).",
    ...(data.outcomes
      ? [
          `Power rests on ${power[0]?.pilot_pairs ?? 0} ${options.from?.length ? 'pairs from the data' : 'pilot pairs'} per comparison; the correlations and design effect from so few pairs are rough.`,
        ]
      : []),
    ...data.warnings,
  ];
  return {
    simulated,
    model: experiment.model,
    pilot: options.from?.length
      ? {
          run_dir: '',
          sessions: Math.max(0, ...data.trials.map((t) => t.session)),
          trials: data.count,
          status: 'read',
          from: [...options.from],
        }
      : { run_dir: options.runDir, sessions, trials: data.trials.length, status: data.status ?? 'read' },
    planned: {
      trials: perArm * arms.length,
      trials_per_arm: perArm,
      replicates: experiment.replicates,
      sessions: experiment.sessions,
      tasks_per_session: experiment.tasks_per_session,
    },
    forecast: result,
    power,
    notes,
  };
}
