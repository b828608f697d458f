// The report's numbers, computed once from a run's files and shared by report.json, report.md,
// the PNG charts and report.html.
//
// Conventions (stated again in report.md):
//  - Infrastructure failures (error_class 'infra') are left out of every rate and comparison.
//  - Comparisons are against the first arm (the experiment's reference arm), paired on
//    (task, replicate, session, slot), with a bootstrap that resamples tasks (harness/stats), exact
//    McNemar on the paired outcomes, Holm's adjustment across the comparisons of the report, and
//    the minimum detectable effect of each comparison (reports/power.ts).
//  - Every bootstrap is seeded from the run's seed, so rewriting a report gives the same numbers.

import { runtimeCosts, type RuntimeCostRow } from './runtime-cost.js';
import { modelBehaviour, type ModelBehaviour } from './model-behaviour.js';
import { UNCOUNTED_CLASSES } from '../harness/core/records.js';
import { gamingRows, type GamingRow } from './gaming.js';
import type { TrialRecord, TrialSlice } from '../harness/core/records.js';
import { curveSlice, curveTrials, mainTrials, slicesPresent } from '../harness/core/slices.js';
import { resolveArms } from '../harness/config/schema.js';
import {
  compareArms,
  holmAdjust,
  learningCurve,
  learningCurveTrend,
  RUN_DESIGN_OPTIONS,
  studentQuantile,
  type CurvePoint,
  type Interval,
} from '../harness/stats/index.js';
import { computeMemoryMetrics, type MemoryMetrics, type MemoryMetricsRow, type MetricsInput } from '../harness/dreaming/metrics.js';
import { agreementOf, verdictPairs } from './agreement.js';
import { evaluateClaims, claimContext, type Claim, type ClaimResult } from './claims.js';
import { armStyle } from './palette.js';
import { describePowerModel, pairedMde, pairedPowerModel } from './power.js';
import type { RunData } from './run-data.js';
import { intervalNotes } from './interval-notes.js';
import { carriesMemory } from './arm-memory.js';
import { SIM_NOTE, summarize, type SummaryRow } from './summary.js';

export const REPORT_CONFIDENCE = 0.95;
export const REPORT_BOOTSTRAP_B = 2000;
// Every paired comparison and claim uses the bootstrap design of a dreambench run (harness/stats
// RUN_DESIGN_OPTIONS): the expanded percentile interval (Hesterberg 2015), which keeps close to 95%
// coverage with few tasks where the plain percentile interval falls short; tasks resampled within
// their (suite, family), as the schedule deals each session's slots to the families in turn; sessions
// as post-strata, as the schedule fixes each session's size; and the two-way variance over
// (replicate, family) blocks, as an arm's memory is shared by the later trials of its replicate.
// Calibration: reports/calibration.test.ts and scripts/calibrate.ts.

export interface ArmInfo {
  name: string;
  /** The arm folder under baselines/ (differs from name when an arm is run twice with options). */
  type: string;
  colour: string;
}

export interface CurveSummary {
  arm: string;
  points: CurvePoint[];
  /** Change in completion rate per session, with a 95% task-bootstrap interval. */
  slope: Interval;
  /** Normalised area under the learning curve (mean rate over the session span). */
  auc: Interval;
}

export interface Comparison {
  arm: string;
  baseline: string;
  n_pairs: number;
  n_clusters: number;
  rate_baseline: number;
  rate_arm: number;
  /**
   * flags: the stats library's, with 'all_pairs_agree' / 'constant_resamples' when the resampling saw
   * no spread and the interval was widened by the Wilson bound (harness/stats, option agreement).
   * inflation: the stretch for memory shared within a replicate and family (1: none); notes: what
   * the flags and the stretch mean, for a reader (reports/interval-notes.ts).
   */
  difference: Interval & { se: number; flags: string[]; inflation: number; shared_state: string; df: number; notes: string[] };
  ratio: Interval & { flags: string[] };
  mcnemar: { b: number; c: number; p: number; p_mid: number };
  /** Holm-adjusted exact McNemar p across the report's comparisons. */
  p_holm: number;
  /** Minimum detectable difference (80% power, alpha 0.05, two-sided) for this comparison's size. */
  mde: { mde: number; p1: number; max_power: number; design_effect: number };
  power_model: string;
}

export interface TimeRow {
  arm: string;
  session: number;
  /** Completed trials the means are over. */
  completed: number;
  turns: number;
  tokens: number;
  wall_ms: number;
  /** 95% t intervals of each mean over the completed trials ([NaN, NaN] with fewer than two). */
  turns_ci: [number, number];
  tokens_ci: [number, number];
  wall_ms_ci: [number, number];
}

export interface CostRow {
  arm: string;
  trials: number;
  successes: number;
  input_tokens: number;
  output_tokens: number;
  cache_read_tokens: number;
  cache_write_tokens: number;
  trial_cost_usd: number;
  /** Spent by the arm after tasks (reflections, lesson writing). */
  arm_tokens: number;
  arm_cost_usd: number;
  /** Spent by consolidation between sessions (dreams), from the journal. */
  consolidation_tokens: number;
  consolidation_cost_usd: number;
  consolidation_calls: number;
  total_cost_usd: number;
  /** total_cost_usd / successes. */
  cost_per_completion_usd: number;
}

export interface MemoryRow {
  arm: string;
  /** Memory after this session (what the next session reads). */
  session: number;
  replicates: number;
  entries: number;
  tokens: number;
  entries_min: number;
  entries_max: number;
  /** Lesson precision and pitfall recall (harness/dreaming/metrics.ts), mean over replicates; NaN when unknown. */
  precision: number;
  recall: number;
  /** Entries holding a fix that a drift made wrong, mean over replicates. */
  stale_entries: number;
}

export interface PitfallCell {
  arm: string;
  session: number;
  pitfall: string;
  /** Trials that hit the pitfall. */
  hit: number;
  /** Trials where the pitfall could bite (hit or avoided). */
  exposed: number;
}

export interface GraderRow {
  arm: string;
  n: number;
  both_pass: number;
  both_fail: number;
  grader_pass_checker_fail: number;
  grader_fail_checker_pass: number;
  accuracy: number;
  /** Cohen's kappa with a 95% interval from a bootstrap over tasks. */
  kappa: number;
  kappa_lo: number;
  kappa_hi: number;
}

export interface ReportModel {
  format: 'dreambench.report/v1';
  /** Refusals, max_tokens cuts, context and permanent errors, thinking tokens, cache efficiency per arm; cost completeness. */
  behaviour?: ModelBehaviour;
  generated_at: string;
  run: {
    id: string;
    name: string;
    status: string;
    model: string;
    grader_model: string;
    simulated: boolean;
    seed: number;
    sessions: number;
    replicates: number;
    tasks_per_session: number;
    suites: string[];
    harness_version: string;
    git_sha: string | null;
    config_hash: string;
  };
  /** Set on sim runs: every figure describes the harness, not a model. */
  note: string | null;
  arms: ArmInfo[];
  sessions: number[];
  families: string[];
  counts: { trials: number; counted: number; infra: number };
  confidence: number;
  bootstrap: {
    B: number;
    seed: string;
    cluster: 'task';
    interval: typeof RUN_DESIGN_OPTIONS.method;
    strata: typeof RUN_DESIGN_OPTIONS.strata;
    post_strata: typeof RUN_DESIGN_OPTIONS.postStrata;
    shared_state: typeof RUN_DESIGN_OPTIONS.sharedState;
  };
  summary: SummaryRow[];
  curves: CurveSummary[];
  comparisons: Comparison[];
  time: TimeRow[];
  cost: CostRow[];
  /** Arms with a runtime cost of their own (managed-*): token and runtime cost apart, with where each came from (reports/runtime-cost.ts). */
  runtime_cost?: RuntimeCostRow[];
  memory: MemoryRow[];
  pitfalls: { ids: string[]; descriptions: Record<string, string>; cells: PitfallCell[] };
  /** null when no trial carries a grader verdict. */
  grader: GraderRow[] | null;
  /** Reward hacking per arm (reports/gaming.ts); null when no trial was flagged. */
  gaming?: GamingRow[] | null;
  claims: ClaimResult[];
  /** Runs with an eval slice or a re-test: the slice of the main figures and of the learning curves (reports/controls.ts has every slice). */
  slices?: { main: 'train'; curves: TrialSlice; present: TrialSlice[] };
}

/** The grader's pass/fail on a trial (outcomes arm), when it gave a usable verdict; undefined otherwise. */
export function graderVerdictOf(trial: TrialRecord): boolean | undefined {
  return trial.grader && !trial.grader.failure ? trial.grader.success : undefined;
}

const tokensOf = (t: Pick<TrialRecord, 'input_tokens' | 'output_tokens' | 'cache_read_tokens' | 'cache_write_tokens'>): number =>
  t.input_tokens + t.output_tokens + t.cache_read_tokens + t.cache_write_tokens;

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

/** True when any of `arms` carries memory across trials (its declaration, else its snapshots). */
export function armsCarryMemory(data: Pick<RunData, 'arm_memory' | 'snapshots'>, arms: readonly string[]): boolean {
  return arms.some((arm) => carriesMemory(arm, data.arm_memory, data.snapshots));
}

function comparisons(data: RunData, seed: string, B: number): Comparison[] {
  const [baseline, ...others] = data.arms;
  if (!baseline || others.length === 0) return [];
  const byArm = groupBy(data.trials, (t) => t.arm);
  const a = byArm.get(baseline) ?? [];
  const rows = others.map((arm) => {
    const b = byArm.get(arm) ?? [];
    // One engine for the report, the claims and compare (harness/stats/run-design.ts); the memory's
    // luck enters only when one of the two arms carries memory across trials.
    const memory = armsCarryMemory(data, [baseline, arm]);
    const { difference: diff, ratio, mcnemar: mc } = compareArms(a, b, { seed: `${seed}:${arm}`, B, carriesMemory: memory });
    const difference = {
      estimate: diff.estimate,
      lo: diff.lo,
      hi: diff.hi,
      se: diff.se,
      flags: [...diff.flags],
      inflation: diff.inflation,
      shared_state: diff.shared_state,
      df: diff.df,
      notes: intervalNotes(diff, memory),
    };
    const model = pairedPowerModel(a, b, diff.se, diff.n_clusters);
    const mde = pairedMde(model);
    return {
      arm,
      baseline,
      n_pairs: diff.n_pairs,
      n_clusters: diff.n_clusters,
      rate_baseline: diff.rate_a,
      rate_arm: diff.rate_b,
      difference,
      ratio: { estimate: ratio.estimate, lo: ratio.lo, hi: ratio.hi, flags: ratio.flags },
      mcnemar: { b: mc.b, c: mc.c, p: mc.n_pairs > 0 ? mc.p : NaN, p_mid: mc.n_pairs > 0 ? mc.p_mid : NaN },
      p_holm: NaN,
      mde: { mde: mde.mde, p1: mde.p1, max_power: mde.max_power, design_effect: mde.design_effect },
      power_model: describePowerModel(model),
    };
  });
  const adjusted = holmAdjust(rows.map((r) => r.mcnemar.p));
  rows.forEach((r, i) => (r.p_holm = adjusted[i]!));
  return rows;
}

function curves(data: RunData, seed: string, B: number): CurveSummary[] {
  const byArm = groupBy(data.trials, (t) => t.arm);
  return data.arms.map((arm) => {
    const rows = byArm.get(arm) ?? [];
    const trend = learningCurveTrend(rows, { seed: `${seed}:curve:${arm}`, B });
    return { arm, points: learningCurve(rows, REPORT_CONFIDENCE), slope: trend.slope, auc: trend.auc };
  });
}

function timeRows(data: RunData): TimeRow[] {
  const out: TimeRow[] = [];
  const groups = groupBy(
    data.trials.filter((t) => t.success && t.error_class !== 'infra'),
    (t) => `${t.arm}\u0000${t.session}`,
  );
  for (const arm of data.arms) {
    const sessions = [...new Set(data.trials.filter((t) => t.arm === arm).map((t) => t.session))].sort((x, y) => x - y);
    for (const session of sessions) {
      const g = groups.get(`${arm}\u0000${session}`) ?? [];
      const n = g.length;
      const mean = (f: (t: TrialRecord) => number) => (n ? g.reduce((s, t) => s + f(t), 0) / n : NaN);
      // A t interval of the mean over the session's completed trials (Student, n - 1 df).
      const ci = (f: (t: TrialRecord) => number): [number, number] => {
        if (n < 2) return [NaN, NaN];
        const m = mean(f);
        const sd = Math.sqrt(g.reduce((s, t) => s + (f(t) - m) ** 2, 0) / (n - 1));
        const h = studentQuantile(0.975, n - 1) * (sd / Math.sqrt(n));
        return [m - h, m + h];
      };
      out.push({
        arm,
        session,
        completed: n,
        turns: mean((t) => t.turns),
        tokens: mean(tokensOf),
        wall_ms: mean((t) => t.wall_ms),
        turns_ci: ci((t) => t.turns),
        tokens_ci: ci(tokensOf),
        wall_ms_ci: ci((t) => t.wall_ms),
      });
    }
  }
  return out;
}

function costRows(data: RunData, summary: readonly SummaryRow[]): CostRow[] {
  return data.arms.map((arm) => {
    const trials = data.trials.filter((t) => t.arm === arm);
    const pooled = summary.find((r) => r.arm === arm && r.session === 'all');
    const c = data.consolidation.find((x) => x.arm === arm);
    const consolidationTokens = c ? tokensOf(c) : 0;
    const consolidationCost = c?.cost_usd ?? 0;
    const calls = c?.calls ?? 0;
    const trialCost = trials.reduce((s, t) => s + t.cost_usd, 0);
    const armCost = pooled?.arm_cost_usd ?? 0;
    const total = trialCost + armCost + consolidationCost;
    const successes = pooled?.successes ?? 0;
    return {
      arm,
      trials: trials.length,
      successes,
      input_tokens: trials.reduce((s, t) => s + t.input_tokens, 0),
      output_tokens: trials.reduce((s, t) => s + t.output_tokens, 0),
      cache_read_tokens: trials.reduce((s, t) => s + t.cache_read_tokens, 0),
      cache_write_tokens: trials.reduce((s, t) => s + t.cache_write_tokens, 0),
      trial_cost_usd: trialCost,
      arm_tokens: pooled?.arm_tokens ?? 0,
      arm_cost_usd: armCost,
      consolidation_tokens: consolidationTokens,
      consolidation_cost_usd: consolidationCost,
      consolidation_calls: calls,
      total_cost_usd: total,
      cost_per_completion_usd: successes > 0 ? total / successes : NaN,
    };
  });
}

/**
 * Memory quality per (arm, replicate, session) from the snapshots already loaded
 * (harness/dreaming/metrics.ts: entries, churn, lesson precision, recall, stale entries). Without the
 * suites' pitfall tables, precision and recall cannot be judged.
 */
export function memoryMetricsFor(data: RunData): MemoryMetrics {
  const snapshots: MetricsInput['snapshots'] = new Map();
  for (const s of data.snapshots) {
    let reps = snapshots.get(s.arm);
    if (!reps) snapshots.set(s.arm, (reps = new Map()));
    let sessions = reps.get(s.replicate);
    if (!sessions) reps.set(s.replicate, (sessions = new Map()));
    // Read when used: the report's snapshots read their files from disk on each access.
    sessions.set(s.session, () => s.files);
  }
  const pitfalls = Object.values(data.suites).flatMap((s) => s.pitfallTable);
  return computeMemoryMetrics({ snapshots, pitfalls, drift: data.manifest.experiment?.schedule?.drift ?? [], trials: data.trials });
}

/** Quality rows by (arm, replicate, session), when the pitfall tables are known (else precision and recall stay unknown). */
function memoryQuality(data: RunData, metrics: MemoryMetrics): Map<string, MemoryMetricsRow> {
  const out = new Map<string, MemoryMetricsRow>();
  if (!Object.values(data.suites).some((s) => s.pitfallTable.length > 0)) return out;
  for (const r of metrics.rows) out.set(`${r.arm}\u0000${r.replicate}\u0000${r.session}`, r);
  return out;
}

const meanDefined = (xs: number[]): number => {
  const ok = xs.filter((x) => Number.isFinite(x));
  return ok.length ? ok.reduce((a, b) => a + b, 0) / ok.length : NaN;
};

function memoryRows(data: RunData, metrics: MemoryMetrics): MemoryRow[] {
  const out: MemoryRow[] = [];
  const quality = memoryQuality(data, metrics);
  const groups = groupBy(data.snapshots, (s) => `${s.arm}\u0000${s.session}`);
  for (const arm of data.arms) {
    const sessions = [...new Set(data.snapshots.filter((s) => s.arm === arm).map((s) => s.session))].sort((x, y) => x - y);
    for (const session of sessions) {
      const g = groups.get(`${arm}\u0000${session}`) ?? [];
      const entries = g.map((s) => s.entries);
      const q = g.map((s) => quality.get(`${s.arm}\u0000${s.replicate}\u0000${s.session}`));
      out.push({
        arm,
        session,
        replicates: g.length,
        entries: entries.reduce((s, x) => s + x, 0) / g.length,
        tokens: g.reduce((s, x) => s + x.tokens, 0) / g.length,
        entries_min: Math.min(...entries),
        entries_max: Math.max(...entries),
        precision: meanDefined(q.map((x) => x?.precision ?? NaN)),
        recall: meanDefined(q.map((x) => x?.recall ?? NaN)),
        stale_entries: meanDefined(q.map((x) => x?.stale_entries ?? NaN)),
      });
    }
  }
  return out;
}

function pitfallCells(data: RunData): ReportModel['pitfalls'] {
  const cells = new Map<string, PitfallCell>();
  const ids = new Set<string>();
  const bump = (t: TrialRecord, pitfall: string, hit: boolean) => {
    ids.add(pitfall);
    const key = `${t.arm}\u0000${t.session}\u0000${pitfall}`;
    const cell = cells.get(key) ?? { arm: t.arm, session: t.session, pitfall, hit: 0, exposed: 0 };
    cell.exposed++;
    if (hit) cell.hit++;
    cells.set(key, cell);
  };
  for (const t of data.trials) {
    if (UNCOUNTED_CLASSES.has(t.error_class)) continue;
    const hit = new Set(t.pitfalls_hit);
    for (const p of hit) bump(t, p, true);
    for (const p of new Set(t.pitfalls_avoided)) if (!hit.has(p)) bump(t, p, false);
  }
  const descriptions: Record<string, string> = {};
  for (const meta of Object.values(data.suites))
    for (const [id, p] of Object.entries(meta.pitfalls)) if (ids.has(id)) descriptions[id] = p.description;
  return { ids: [...ids].sort(), descriptions, cells: [...cells.values()] };
}

/** Final grader verdict against the checker, per arm (reports/agreement.ts), for arms whose trials carry one. */
function graderRows(data: RunData, seed: string, B: number): GraderRow[] | null {
  const rows: GraderRow[] = [];
  for (const arm of data.arms) {
    const { pairs } = verdictPairs(
      data.trials.filter((t) => t.arm === arm),
      'final',
    );
    if (pairs.length === 0) continue;
    const a = agreementOf(pairs, { B, seed: `${seed}:grader:${arm}` });
    rows.push({
      arm,
      n: a.n,
      both_pass: a.confusion.both_pass,
      both_fail: a.confusion.both_fail,
      grader_pass_checker_fail: a.confusion.grader_only,
      grader_fail_checker_pass: a.confusion.checker_only,
      accuracy: a.accuracy,
      kappa: a.kappa,
      kappa_lo: a.kappa_ci.lo,
      kappa_hi: a.kappa_ci.hi,
    });
  }
  return rows.length ? rows : null;
}

export interface AnalysisOptions {
  claims?: readonly Claim[];
  /** Memory metrics already computed from `data` (memoryMetricsFor); computed here otherwise. */
  memory?: MemoryMetrics;
  B?: number;
  now?: Date;
}

export function analyse(data: RunData, options: AnalysisOptions = {}): ReportModel {
  const m = data.manifest;
  const exp = m.experiment;
  const B = options.B ?? REPORT_BOOTSTRAP_B;
  const seed = `${exp?.seed ?? 0}`;
  const types: Record<string, string> = {};
  try {
    for (const a of resolveArms(exp.arms)) types[a.name] = a.arm;
  } catch {
    // arms named only by the trials
  }
  // Slices (harness/core/slices.ts): the main figures use the train slice, learning curves
  // the eval slice when the run has one, cost and counts every trial. Runs without slices: all trials.
  const main: RunData = { ...data, trials: mainTrials(data.trials) };
  const curveData: RunData = { ...data, trials: curveTrials(data.trials) };
  const sliced = main.trials.length !== data.trials.length;
  const summary = summarize(main.trials, data.arms);
  const infra = data.trials.filter((t) => UNCOUNTED_CLASSES.has(t.error_class)).length;
  return {
    format: 'dreambench.report/v1',
    // The run's own last update, not the clock: rewriting the report of the same run gives the same bytes.
    generated_at: (options.now ?? new Date(m.updated_at ?? m.created_at ?? 0)).toISOString(),
    run: {
      id: m.run_id,
      name: m.name,
      status: m.status,
      model: m.models?.agent ?? exp.model,
      grader_model: m.models?.grader ?? exp.grader_model ?? exp.model,
      simulated: data.simulated,
      seed: exp.seed,
      sessions: exp.sessions,
      replicates: exp.replicates,
      tasks_per_session: exp.tasks_per_session,
      suites: exp.suites,
      harness_version: m.harness_version,
      git_sha: m.git_sha,
      config_hash: m.config_hash,
    },
    note: data.simulated ? SIM_NOTE : null,
    arms: data.arms.map((name, i) => ({ name, type: types[name] ?? name, colour: armStyle(i).colour })),
    sessions: [...new Set(data.trials.map((t) => t.session))].sort((x, y) => x - y),
    families: [...new Set(data.trials.map((t) => t.family))].sort(),
    counts: { trials: data.trials.length, counted: data.trials.length - infra, infra },
    confidence: REPORT_CONFIDENCE,
    bootstrap: {
      B,
      seed,
      cluster: 'task',
      interval: RUN_DESIGN_OPTIONS.method,
      strata: RUN_DESIGN_OPTIONS.strata,
      post_strata: RUN_DESIGN_OPTIONS.postStrata,
      shared_state: RUN_DESIGN_OPTIONS.sharedState,
    },
    summary,
    curves: curves(curveData, seed, B),
    comparisons: comparisons(main, seed, B),
    time: timeRows(main),
    cost: costRows(data, sliced ? summarize(data.trials, data.arms) : summary),
    ...withRuntimeCost(runtimeCosts(data.trials, data.arms, data.dreams, data.consolidation)),
    memory: memoryRows(data, options.memory ?? memoryMetricsFor(data)),
    pitfalls: pitfallCells(main),
    grader: graderRows(main, seed, B),
    gaming: gamingRows(data.trials, data.arms),
    claims: options.claims ? evaluateClaims(options.claims, claimContext(main, B)) : [],
    ...(sliced ? { slices: { main: 'train' as const, curves: curveSlice(data.trials), present: slicesPresent(data.trials) } } : {}),
    behaviour: modelBehaviour(data.trials, data.arms, m.cost_incomplete),
  };
}

function withRuntimeCost(rows: RuntimeCostRow[]): { runtime_cost?: RuntimeCostRow[] } {
  return rows.length ? { runtime_cost: rows } : {};
}
