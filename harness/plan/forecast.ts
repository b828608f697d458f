// The forecast of a full experiment from a pilot: per arm and in total, tokens by kind, cost, the
// consolidation costs (dreams, lesson writing, reflections, graders paid by the arm) and wall time,
// each as a prediction interval (predict.ts), with what was extrapolated from how many trials.
// The pilot's trials are part of the full run (it resumes from the pilot's directory), so each
// total is the pilot's observed figure plus the prediction for the trials not yet made.

import type { TrialKey } from '../core/records.js';
import { trialId } from '../core/records.js';
import type { RunPlan } from '../schedule/plan.js';
import { type Interval, type Observation, type PredictionModel, predictTotal } from './predict.js';
import type { PilotTrial } from './sources.js';

/** Token kinds forecast; thinking tokens are part of output tokens (billed as output), shown apart. */
export const TOKEN_KINDS = ['input_tokens', 'output_tokens', 'cache_read_tokens', 'cache_write_tokens', 'thinking_tokens'] as const;
export type TokenKind = (typeof TOKEN_KINDS)[number];

export interface Consolidation {
  arm: string;
  replicate: number;
  session: number;
  cost_usd: number;
  tokens: number;
}

export interface ArmForecast {
  arm: string;
  pilot_trials: number;
  planned_trials: number;
  /** The pilot's sessions (the trend model sees growth only across them). */
  pilot_sessions: number[];
  tokens: Record<TokenKind, Interval>;
  /** Trial cost (the agent's calls), and what the arm spent around trials (reflections, lessons). */
  trial_cost_usd: Interval;
  arm_cost_usd: Interval;
  /** Consolidations between sessions (dreams, skill extraction), from the pilot's session boundaries. */
  consolidation_cost_usd: Interval;
  consolidations: { pilot: number; planned: number };
  cost_usd: Interval;
  model: PredictionModel;
}

export interface Forecast {
  level: number;
  arms: ArmForecast[];
  total: { tokens: Record<TokenKind, Interval>; cost_usd: Interval; wall_seconds: Interval };
  /** What limits the wall time: the pilot's measured pace at the run's concurrency, or a rate limit. */
  wall_basis: string;
  extrapolated: string[];
}

const MODEL_WORDS: Record<PredictionModel, string> = {
  'flat+trend': 'first sessions apart, a per-session trend over the later ones',
  flat: 'first sessions apart; no trend: one later session seen, growth past it not forecast',
  'first-session': 'later sessions from the first one: memory not yet seen at work',
};

const sumIntervals = (xs: readonly Interval[]): Interval => ({
  estimate: xs.reduce((a, x) => a + x.estimate, 0),
  // Summing bounds is conservative (it assumes the errors move together), the honest choice when
  // token kinds and arms are driven by the same prompts.
  lo: xs.reduce((a, x) => a + x.lo, 0),
  hi: xs.reduce((a, x) => a + x.hi, 0),
});

/** Future sessions, one entry per planned trial of `arm` the pilot did not make. */
function futureSessions(plan: RunPlan, arm: string, done: ReadonlySet<string>): number[] {
  const out: number[] = [];
  for (const chain of plan.chains) {
    chain.sessions.forEach((trials, index) => {
      for (const t of trials) {
        const key: TrialKey = { arm, replicate: chain.replicate, session: index + 1, slot: t.slot, task: t.task.id };
        if (!done.has(trialId(key))) out.push(index + 1);
      }
    });
  }
  return out;
}

export interface ForecastInput {
  plan: RunPlan;
  arms: string[];
  /** Arms that consolidate between sessions (their pilot boundaries are the basis for the rest). */
  sessions: number;
  pilot: readonly PilotTrial[];
  /**
   * Whether the pilot's trials are trials of this run (its own directory, resumed to the end) or
   * data from other runs or a cache (`--from`): then every planned trial is still to be made.
   */
  pilotInRun?: boolean;
  consolidations: readonly Consolidation[];
  /** The pilot's wall-clock seconds and the trials it ran in them (its pace at the run's concurrency). */
  pilotWall: { seconds: number; trials: number };
  /** Per-minute token limit shared by the run's trials, when the experiment sets one. */
  tokensPerMinute?: number;
  level?: number;
}

export function forecast(input: ForecastInput): Forecast {
  const level = input.level ?? 0.9;
  const inRun = input.pilotInRun ?? true;
  const done = new Set(inRun ? input.pilot.map((t) => trialId(t)) : []);
  const extrapolated: string[] = [];
  const arms = input.arms.map((arm): ArmForecast => {
    const trials = input.pilot.filter((t) => t.arm === arm);
    const future = futureSessions(input.plan, arm, done);
    const obs = (value: (t: PilotTrial) => number): Observation[] => trials.map((t) => ({ session: t.session, value: value(t) }));
    const predict = (value: (t: PilotTrial) => number) => predictTotal(obs(value), future, level, inRun);
    const tokens = Object.fromEntries(TOKEN_KINDS.map((k) => [k, predict((t) => t[k] ?? 0)])) as Record<
      TokenKind,
      Interval & { model: PredictionModel }
    >;
    const trialCost = predict((t) => t.cost_usd);
    const armCost = predict((t) => t.arm_usage?.cost_usd ?? 0);
    const own = input.consolidations.filter((c) => c.arm === arm);
    // Session boundaries still to come, for arms whose pilot boundaries cost something.
    const seen = new Set(inRun ? own.map((c) => `${c.replicate}:${c.session}`) : []);
    const futureBoundaries = own.length
      ? input.plan.chains.flatMap((chain) =>
          Array.from({ length: input.sessions }, (_, i) => i + 1).filter((s) => !seen.has(`${chain.replicate}:${s}`)),
        )
      : [];
    const plannedConsolidations = (inRun ? own.length : 0) + futureBoundaries.length;
    const consolidation = predictTotal(
      own.map((c) => ({ session: c.session, value: c.cost_usd })),
      futureBoundaries,
      level,
      inRun,
    );
    const cost = sumIntervals([trialCost, armCost, consolidation]);
    const pilotSessions = [...new Set(trials.map((t) => t.session))].sort((a, b) => a - b);
    extrapolated.push(
      `${arm}: ${future.length} trials extrapolated from ${trials.length} ${inRun ? 'pilot' : 'earlier'} trials (sessions ${pilotSessions.join(', ') || 'none'}; ${MODEL_WORDS[tokens.input_tokens.model]})` +
        (own.length ? `, ${futureBoundaries.length} consolidations from ${own.length}` : ''),
    );
    return {
      arm,
      pilot_trials: trials.length,
      planned_trials: (inRun ? trials.length : 0) + future.length,
      pilot_sessions: pilotSessions,
      tokens,
      trial_cost_usd: trialCost,
      arm_cost_usd: armCost,
      consolidation_cost_usd: consolidation,
      consolidations: { pilot: own.length, planned: plannedConsolidations },
      cost_usd: cost,
      model: tokens.input_tokens.model,
    };
  });
  const tokens = Object.fromEntries(TOKEN_KINDS.map((k) => [k, sumIntervals(arms.map((a) => a.tokens[k]))])) as Record<TokenKind, Interval>;
  const cost = sumIntervals(arms.map((a) => a.cost_usd));
  // Wall time: the pilot's pace at this concurrency, scaled to the trials left; a per-minute token
  // limit sets a floor when it binds harder (tokens / limit).
  const planned = arms.reduce((a, x) => a + x.planned_trials, 0);
  const left = planned - (inRun ? input.pilot.length : 0);
  const spent = inRun ? input.pilotWall.seconds : 0;
  const pace = input.pilotWall.trials > 0 ? input.pilotWall.seconds / input.pilotWall.trials : 0;
  const byPace: Interval = {
    estimate: spent + left * pace,
    lo: spent + left * pace * 0.8,
    hi: spent + left * pace * 1.25,
  };
  let wall = byPace;
  let basis = `the pilot's pace (${pace.toFixed(3)} s per trial at the run's concurrency), +25%/-20%`;
  if (input.tokensPerMinute) {
    // Thinking tokens are already inside output tokens: count each token once against the limit.
    const all = TOKEN_KINDS.filter((k) => k !== 'thinking_tokens').map((k) => tokens[k]);
    const byLimit = sumIntervals(
      all.map((i) => ({
        estimate: (i.estimate / input.tokensPerMinute!) * 60,
        lo: (i.lo / input.tokensPerMinute!) * 60,
        hi: (i.hi / input.tokensPerMinute!) * 60,
      })),
    );
    if (byLimit.estimate > byPace.estimate) {
      wall = byLimit;
      basis = `the rate limit of ${input.tokensPerMinute} tokens per minute`;
    }
  }
  return { level, arms, total: { tokens, cost_usd: cost, wall_seconds: wall }, wall_basis: basis, extrapolated };
}
