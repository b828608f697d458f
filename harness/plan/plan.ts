// `dreambench plan`: run (or read) a pilot of an experiment, then forecast the full experiment's
// tokens, cost and wall time (forecast.ts) and its statistical power (power.ts).
//
// The pilot is the full experiment's own run directory, stopped after its first sessions of the
// first replicate: the same schedule, seeds and slots, so `dreambench resume DIR` (or `run --out
// DIR` with the same file) completes the experiment without paying for the pilot's trials again.
// Whole sessions are the unit because memory arms consolidate at session boundaries: a pilot cut
// mid-session would show neither the boundary's cost nor the next session's memory.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Experiment } from '../config/schema.js';
import type { TrialRecord } from '../core/records.js';
import { loadSuites } from '../registry/suites.js';
import { executeRun, type RunOptions } from '../runner/runner.js';
import { buildRunPlan, plannedTrials, type RunPlan } from '../schedule/plan.js';
import type { Manifest } from '../storage/manifest.js';
import { readJsonLines } from '../storage/run-dir.js';
import { type Consolidation, type Forecast, forecast } from './forecast.js';
import { type PowerForecast, powerForecast } from './power.js';

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
}

export interface PlanResult {
  simulated: boolean;
  model: string;
  pilot: { run_dir: string; sessions: number; trials: number; status: string };
  planned: { trials: number; trials_per_arm: number; replicates: number; sessions: number; tasks_per_session: number };
  forecast: Forecast;
  power: PowerForecast[];
  notes: string[];
}

/** Whole sessions of replicate 1 needed for `trials` trials per arm (at least one; two when the run has two). */
export function pilotSessions(plan: RunPlan, trials: number | undefined, sessions: number): number {
  const chain = plan.chains[0];
  if (!chain) return 1;
  const target = trials ?? 0;
  let count = 0;
  for (let s = 1; s <= chain.sessions.length; s++) {
    count += chain.sessions[s - 1]!.length;
    if (count >= target && s >= Math.min(2, sessions)) return s;
  }
  return chain.sessions.length;
}

interface Event {
  at: string;
  type: string;
  arm?: string;
  replicate?: number;
  session?: number;
  usage?: { cost_usd?: number; input_tokens?: number; output_tokens?: number };
}

function consolidationsOf(events: readonly Event[]): Consolidation[] {
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
function pilotWall(events: readonly Event[]): number {
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

export async function planExperiment(options: PlanOptions): Promise<PlanResult> {
  const { experiment } = options;
  const suites = await loadSuites(experiment.suites, experiment.suite_options ?? {});
  const plan = buildRunPlan([...suites.values()], experiment);
  const sessions = pilotSessions(plan, options.pilotTrials, experiment.sessions);
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
  const trials = readJsonLines<TrialRecord>(join(options.runDir, 'trials.jsonl')).filter((t) => t.error_class !== 'infra');
  const events = readJsonLines<Event>(join(options.runDir, 'events.jsonl'));
  const arms = experiment.arms.map((a) => (typeof a === 'string' ? a : (a.name ?? a.arm)));
  const perArm = plannedTrials(plan);
  const rateLimit = Object.values(experiment.rate_limits ?? {})[0];
  const tpm =
    rateLimit?.tpm ?? (rateLimit?.itpm !== undefined && rateLimit?.otpm !== undefined ? rateLimit.itpm + rateLimit.otpm : undefined);
  const result = forecast({
    plan,
    arms,
    sessions: experiment.sessions,
    pilot: trials,
    consolidations: consolidationsOf(events),
    pilotWall: { seconds: pilotWall(events), trials: trials.length },
    ...(tpm ? { tokensPerMinute: tpm } : {}),
    ...(options.level ? { level: options.level } : {}),
  });
  const tasks = new Set(plan.chains.flatMap((c) => c.sessions.flat().map((t) => t.task.id))).size;
  const power = powerForecast({
    pilot: trials,
    arms,
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
    "A pilot of early sessions cannot see what only happens later: memory that keeps growing past the pilot, drift events, or an arm that starts to succeed (success changes trial length). Intervals assume later trials look like the pilot's, with a linear per-session trend when the pilot spans two or more sessions.",
    `Power rests on ${power[0]?.pilot_pairs ?? 0} pilot pairs per comparison; the correlations and design effect from so few pairs are rough.`,
  ];
  return {
    simulated,
    model: experiment.model,
    pilot: { run_dir: options.runDir, sessions, trials: trials.length, status },
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
