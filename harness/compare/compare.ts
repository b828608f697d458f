// `dreambench compare <baseline> <candidate>`: did the candidate run get worse than the baseline?
//
// Per suite x arm x session range: the change in completion rate, cost, tokens and wall time per
// trial, with task-clustered intervals, paired where the runs share tasks, seeds and schedule and
// unpaired otherwise (harness/stats/cluster-t.ts).
//
// The regression rule (docs/ci.md):
//   For each suite x arm in the gate range (default: all common sessions), delta = candidate rate -
//   baseline rate. Its one-sided p-value (H0: delta >= 0 against H1: delta < 0; Student t on the
//   task-clustered standard error) is Holm-adjusted over the suite x arm comparisons of the gate
//   range. A comparison is a REGRESSION when its Holm-adjusted p <= alpha AND its estimated drop
//   (-delta, in percentage points) is larger than max_drop. With max_cost_increase set, a mean cost
//   per trial above baseline x (1 + max_cost_increase/100) is a COST REGRESSION (point estimates:
//   a budget is about spend, not evidence). Any regression: verdict 'regression', exit code 1.
//
// Since every regression is also a Holm rejection, two runs that differ only by noise are flagged
// with probability at most alpha (family-wise), whatever max_drop is; max_drop keeps drops too
// small to matter from failing a build when the runs are large.

import { canonicalJson } from '../storage/manifest.js';
import { TrialKeyMap } from '../storage/trial-key-map.js';
import {
  holmAdjust,
  pairedDifference,
  runDesignOptions,
  signTestLower,
  taskSignCounts,
  unpairedDifference,
  wilsonInterval,
  type OutcomeRow,
} from '../stats/index.js';
import type { TaskSigns } from '../stats/sign-test.js';
import {
  clusterMean,
  pairedClusterDifference,
  pLower,
  tInterval,
  unpairedClusterDifference,
  type ClusterTotal,
  type DifferenceEstimate,
  type PairedClusterTotal,
} from '../stats/cluster-t.js';
import { CompareInputError, type Cell, type LoadedRun, type RunMeta, type Unit } from './run-summary.js';

export const COMPARE_FORMAT = 'dreambench.compare/v1';

export type PairingChoice = 'auto' | 'paired' | 'unpaired';

export interface CompareOptions {
  /** Family-wise significance level of the one-sided test. */
  alpha?: number;
  /** Drop in percentage points that matters. */
  maxDrop?: number;
  /** Allowed increase of the mean cost per trial, in percent; undefined: not checked. */
  maxCostIncrease?: number;
  /** 'all', 'late' (the last half of the common sessions) or 'A-B'. */
  gateRange?: string;
  pairing?: PairingChoice;
  /** Two-sided confidence of the intervals shown. Default 0.95. */
  confidence?: number;
  /** Resamples of the bootstrap cross-check interval (0: skip it). Default 2000. */
  bootstrapB?: number;
}

export type ThresholdSource = 'flag' | 'candidate experiment' | 'baseline experiment' | 'default';

export interface Thresholds {
  alpha: number;
  max_drop_points: number;
  max_cost_increase_pct: number | null;
  gate_range: string;
  sources: Record<'alpha' | 'max_drop' | 'max_cost_increase' | 'gate_range', ThresholdSource>;
}

export interface SessionRange {
  name: string;
  from: number;
  to: number;
  gate: boolean;
}

export interface MetricChange {
  baseline: number;
  candidate: number;
  delta: number;
  /** delta / baseline (NaN when the baseline is 0). */
  rel_change: number;
  lo: number;
  hi: number;
}

export interface CompletionChange {
  /** Rates in [0, 1], over what was compared (the pairs, or each side's trials). */
  baseline: number;
  candidate: number;
  /** Wilson intervals of each side's rate. */
  baseline_ci: [number, number];
  candidate_ci: [number, number];
  /** candidate - baseline, in percentage points, with its two-sided interval at `confidence`. */
  delta_points: number;
  lo_points: number;
  hi_points: number;
  /** The one-sided (1 - alpha) upper bound: below 0 exactly when the unadjusted test rejects. */
  upper_one_sided_points: number;
  se_points: number;
  df: number;
  /** One-sided p for "the candidate is lower", and its Holm adjustment within the range's family. */
  p_one_sided: number;
  /**
   * The test behind p_one_sided: the task-clustered t test, or (paired runs with fewer than
   * FEW_DISCORDANT discordant pairs) the exact sign test over tasks, which holds its level there.
   */
  test: 'cluster-t' | 'sign';
  p_holm: number;
  /** The clustered bootstrap (harness/stats, expanded percentile) interval, as a cross-check. */
  bootstrap?: { lo_points: number; hi_points: number; method: string };
}

export type ComparisonStatus = 'pass' | 'regression' | 'cost_regression' | 'untestable';

export interface Comparison {
  suite: string;
  arm: string;
  range: string;
  sessions: [number, number];
  /** Part of the verdict (the gate range) or for information. */
  gate: boolean;
  pairing: 'paired' | 'unpaired';
  /** Trials counted on each side (pairs when paired). */
  n_baseline: number;
  n_candidate: number;
  /** Tasks behind the standard error (shared tasks when paired, the smaller side's when not). */
  tasks: number;
  infra_baseline: number;
  infra_candidate: number;
  completion: CompletionChange;
  cost_per_trial: MetricChange;
  tokens_per_trial: MetricChange;
  wall_ms_per_trial: MetricChange;
  significant: boolean;
  exceeds_max_drop: boolean;
  regression: boolean;
  cost_over_budget: boolean;
  status: ComparisonStatus;
  /** One line saying why. */
  reason: string;
}

export interface SideInfo {
  run_id: string;
  name: string;
  created_at: string;
  status: string;
  git_sha: string | null;
  model: string;
  config_hash: string;
  simulated: boolean;
  source: 'run-dir' | 'history';
  path?: string;
  history_id?: number;
  replayed: boolean;
}

export interface CompareResult {
  format: typeof COMPARE_FORMAT;
  verdict: 'pass' | 'regression';
  exit_code: 0 | 1;
  generated_at: string;
  rule: string;
  thresholds: Thresholds;
  confidence: number;
  pairing: 'paired' | 'unpaired';
  pairing_reason: string;
  baseline: SideInfo;
  candidate: SideInfo;
  suites: string[];
  arms: string[];
  arms_only_in_baseline: string[];
  arms_only_in_candidate: string[];
  ranges: SessionRange[];
  comparisons: Comparison[];
  regressions: Array<{ suite: string; arm: string; kind: 'completion' | 'cost'; reason: string }>;
  notes: string[];
  simulated: boolean;
}

const DEFAULTS = { alpha: 0.05, maxDrop: 5, gateRange: 'all' } as const;

/** Flags win, then the candidate's experiment `ci:` block, then the baseline's, then the defaults. */
export function resolveThresholds(options: CompareOptions, candidate?: RunMeta['ci'], baseline?: RunMeta['ci']): Thresholds {
  const pick = <T>(flag: T | undefined, c: T | undefined, b: T | undefined, fallback: T): [T, ThresholdSource] =>
    flag !== undefined
      ? [flag, 'flag']
      : c !== undefined
        ? [c, 'candidate experiment']
        : b !== undefined
          ? [b, 'baseline experiment']
          : [fallback, 'default'];
  const [alpha, sa] = pick(options.alpha, candidate?.alpha, baseline?.alpha, DEFAULTS.alpha);
  const [maxDrop, sd] = pick(options.maxDrop, candidate?.max_drop, baseline?.max_drop, DEFAULTS.maxDrop);
  const [maxCost, sc] = pick<number | null>(options.maxCostIncrease, candidate?.max_cost_increase, baseline?.max_cost_increase, null);
  const [gate, sg] = pick(options.gateRange, candidate?.gate_range, baseline?.gate_range, DEFAULTS.gateRange);
  if (!(alpha > 0 && alpha < 0.5)) throw new CompareInputError(`--alpha must be in (0, 0.5), got ${alpha}`);
  if (!(maxDrop >= 0 && maxDrop <= 100))
    throw new CompareInputError(`--max-drop must be between 0 and 100 percentage points, got ${maxDrop}`);
  if (maxCost !== null && !(maxCost >= 0)) throw new CompareInputError(`--max-cost-increase must be a percentage >= 0, got ${maxCost}`);
  if (!/^(all|late|\d+-\d+)$/.test(gate)) throw new CompareInputError(`--gate-range must be all, late or A-B (e.g. 4-6), got "${gate}"`);
  return {
    alpha,
    max_drop_points: maxDrop,
    max_cost_increase_pct: maxCost,
    gate_range: gate,
    sources: { alpha: sa, max_drop: sd, max_cost_increase: sc, gate_range: sg },
  };
}

/**
 * The session ranges compared: 'all' (sessions 1..S, S the smaller session count of the two runs),
 * 'late' (the last half: floor(S/2)+1..S) and a custom 'A-B' when that is the gate.
 */
export function sessionRanges(sessions: number, gate: string): SessionRange[] {
  const S = sessions;
  const ranges: SessionRange[] = [
    { name: 'all', from: 1, to: S, gate: gate === 'all' },
    { name: 'late', from: Math.floor(S / 2) + 1, to: S, gate: gate === 'late' },
  ];
  const custom = /^(\d+)-(\d+)$/.exec(gate);
  if (custom) {
    const from = Number(custom[1]);
    const to = Number(custom[2]);
    if (!(from >= 1 && from <= to && to <= S))
      throw new CompareInputError(`gate range ${gate} is outside the sessions both runs have (1-${S})`);
    ranges.push({ name: gate, from, to, gate: true });
  }
  return ranges;
}

function sideInfo(run: LoadedRun): SideInfo {
  const m = run.meta;
  return {
    run_id: m.run_id,
    name: m.name,
    created_at: m.created_at,
    status: m.status,
    git_sha: m.git_sha,
    model: m.model,
    config_hash: m.config_hash,
    simulated: m.simulated,
    source: run.source,
    ...(run.path ? { path: run.path } : {}),
    ...(run.history_id !== undefined ? { history_id: run.history_id } : {}),
    replayed: m.cache_mode === 'replay',
  };
}

/** Whether the two runs' units can be paired, and why (or why not). */
function choosePairing(
  baseline: LoadedRun,
  candidate: LoadedRun,
  choice: PairingChoice,
  suites: string[],
  arms: string[],
): { pairing: 'paired' | 'unpaired'; reason: string } {
  const problems: string[] = [];
  const b = baseline.meta;
  const c = candidate.meta;
  if (!baseline.units) problems.push('the baseline comes from the history summary (its run directory is not available)');
  if (!candidate.units) problems.push('the candidate comes from the history summary');
  if (b.seed !== c.seed) problems.push(`the seeds differ (${b.seed} vs ${c.seed}), so the schedules differ`);
  if (b.tasks_per_session !== c.tasks_per_session)
    problems.push(`tasks per session differ (${b.tasks_per_session} vs ${c.tasks_per_session})`);
  if (b.schedule !== c.schedule) problems.push('the schedule settings (held-out families, drift) differ');
  const changed = suites.filter((s) => b.suites[s] !== c.suites[s]);
  if (changed.length) problems.push(`the task data of ${changed.join(', ')} changed (suite hash)`);
  if (problems.length === 0 && baseline.units && candidate.units) {
    // Same seed and schedule: the units should coincide. Check that they do (a harness change could move them).
    const keys = new TrialKeyMap<true>();
    for (const u of baseline.units) if (arms.includes(u.arm)) keys.set(u, true);
    const cand = candidate.units.filter((u) => arms.includes(u.arm) && u.session <= Math.min(b.sessions, c.sessions));
    const matched = cand.filter((u) => keys.has(u)).length;
    if (cand.length === 0 || matched < 0.5 * cand.length)
      problems.push(
        `only ${matched} of ${cand.length} candidate trials have a baseline trial on the same (arm, task, replicate, session, slot)`,
      );
  }
  if (choice === 'unpaired') return { pairing: 'unpaired', reason: 'unpaired: asked for with --pairing unpaired' };
  if (problems.length) {
    if (choice === 'paired') throw new CompareInputError(`--pairing paired is not possible: ${problems.join('; ')}`);
    return { pairing: 'unpaired', reason: `unpaired: ${problems.join('; ')}` };
  }
  return { pairing: 'paired', reason: `paired on (arm, task, replicate, session, slot): same seed (${b.seed}), schedule and task data` };
}

type Measure = 'success' | 'cost_usd' | 'tokens' | 'wall_ms';
const unitValue = (u: Unit, m: Measure): number => (m === 'success' ? (u.success ? 1 : 0) : u[m]);
const cellValue = (c: Cell, m: Measure): number => (m === 'success' ? c.successes : c[m]);

function metric(d: DifferenceEstimate, confidence: number): MetricChange {
  const { lo, hi } = tInterval(d, confidence);
  return {
    baseline: d.baseline,
    candidate: d.candidate,
    delta: d.delta,
    rel_change: d.baseline !== 0 ? d.delta / d.baseline : NaN,
    lo,
    hi,
  };
}

interface RawComparison {
  diffs: Record<Measure, DifferenceEstimate>;
  n_baseline: number;
  n_candidate: number;
  successes: [number, number];
  tasks: number;
  bootstrap?: { lo: number; hi: number; method: string };
  /** Paired runs: tasks by the sign of their summed completion difference (the exact sign test's counts). */
  signs?: TaskSigns;
}

function pairedCompare(base: Unit[], cand: Unit[], bootstrapB: number, confidence: number): RawComparison {
  const index = new TrialKeyMap<Unit>();
  for (const u of base) index.set(u, u);
  const pairs: Array<[Unit, Unit]> = [];
  for (const u of cand) {
    const b = index.get(u);
    if (b) pairs.push([b, u]);
  }
  const diffs = {} as Record<Measure, DifferenceEstimate>;
  for (const m of ['success', 'cost_usd', 'tokens', 'wall_ms'] as const) {
    const byTask = new Map<string, PairedClusterTotal>();
    for (const [b, c] of pairs) {
      const t = byTask.get(c.task) ?? { a: 0, b: 0, n: 0 };
      t.a += unitValue(b, m);
      t.b += unitValue(c, m);
      t.n += 1;
      byTask.set(c.task, t);
    }
    diffs[m] = pairedClusterDifference([...byTask.values()]);
  }
  const signs = taskSignCounts(pairs.map(([b, c]) => ({ task: c.task, a: b.success, b: c.success })));
  const sa = pairs.filter(([b]) => b.success).length;
  const sb = pairs.filter(([, c]) => c.success).length;
  let bootstrap: RawComparison['bootstrap'];
  if (bootstrapB > 0 && pairs.length > 0) {
    const rows = (side: 0 | 1): OutcomeRow[] =>
      pairs.map((p) => ({
        task: p[side].task,
        replicate: p[side].replicate,
        session: p[side].session,
        slot: p[side].slot,
        success: p[side].success,
      }));
    // The run design's bootstrap, as the report's (the runs' arms may carry memory: the cautious side).
    const r = pairedDifference(rows(0), rows(1), { ...runDesignOptions(true), confidence, B: bootstrapB, seed: 'compare' });
    bootstrap = { lo: r.lo, hi: r.hi, method: r.method };
  }
  return {
    diffs,
    n_baseline: pairs.length,
    n_candidate: pairs.length,
    successes: [sa, sb],
    tasks: diffs.success.k,
    signs,
    ...(bootstrap ? { bootstrap } : {}),
  };
}

function unpairedCompare(base: Cell[], cand: Cell[], bootstrapB: number, confidence: number): RawComparison {
  const perTask = (cells: Cell[], m: Measure): ClusterTotal[] => {
    const byTask = new Map<string, ClusterTotal>();
    for (const c of cells) {
      const t = byTask.get(c.task) ?? { y: 0, n: 0 };
      t.y += cellValue(c, m);
      t.n += c.n;
      byTask.set(c.task, t);
    }
    return [...byTask.values()].filter((t) => t.n > 0);
  };
  const diffs = {} as Record<Measure, DifferenceEstimate>;
  for (const m of ['success', 'cost_usd', 'tokens', 'wall_ms'] as const)
    diffs[m] = unpairedClusterDifference(clusterMean(perTask(base, m)), clusterMean(perTask(cand, m)));
  const total = (cells: Cell[], f: (c: Cell) => number): number => cells.reduce((s, c) => s + f(c), 0);
  const na = total(base, (c) => c.n);
  const nb = total(cand, (c) => c.n);
  let bootstrap: RawComparison['bootstrap'];
  if (bootstrapB > 0 && na > 0 && nb > 0) {
    // The bootstrap resamples tasks with their totals, so rows rebuilt from the cells give the same answer as the trials.
    const rows = (cells: Cell[]): OutcomeRow[] =>
      cells.flatMap((c) =>
        Array.from({ length: c.n }, (_, i) => ({ task: c.task, replicate: 1, session: c.session, slot: i, success: i < c.successes })),
      );
    const r = unpairedDifference(rows(base), rows(cand), { method: 'expanded', confidence, B: bootstrapB, seed: 'compare' });
    bootstrap = { lo: r.lo, hi: r.hi, method: r.method };
  }
  return {
    diffs,
    n_baseline: na,
    n_candidate: nb,
    successes: [total(base, (c) => c.successes), total(cand, (c) => c.successes)],
    tasks: diffs.success.k,
    ...(bootstrap ? { bootstrap } : {}),
  };
}

/**
 * Below this many discordant pairs the task-clustered t test cannot estimate its spread (three
 * discordant pairs gave p = 0.037 where the exact sign test gives 0.125), so the exact sign test over
 * tasks decides (harness/stats/sign-test.ts). scripts/measure-compare-fpr.ts measures the level.
 */
export const FEW_DISCORDANT = 30;

/** The one-sided p for "the candidate is lower": the t test's, or with few discordant pairs the exact sign test's. */
function oneSidedP(d: DifferenceEstimate, signs: TaskSigns | undefined): { p_one_sided: number; test: 'cluster-t' | 'sign' } {
  if (signs && signs.discordant < FEW_DISCORDANT) return { p_one_sided: signTestLower(signs), test: 'sign' };
  return { p_one_sided: pLower(d), test: 'cluster-t' };
}

const points = (x: number): number => x * 100;
const fmtPts = (x: number): string => `${x >= 0 ? '+' : ''}${x.toFixed(1)}`;

/** Compare two loaded runs. Throws CompareInputError on unusable input (exit 2 in the CLI). */
export function compareRuns(baseline: LoadedRun, candidate: LoadedRun, options: CompareOptions = {}): CompareResult {
  const thresholds = resolveThresholds(options, candidate.meta.ci, baseline.meta.ci);
  const confidence = options.confidence ?? 0.95;
  if (!(confidence > 0 && confidence < 1)) throw new CompareInputError(`--confidence must be in (0, 1), got ${confidence}`);
  const bootstrapB = options.bootstrapB ?? 2000;
  const b = baseline.meta;
  const c = candidate.meta;
  const notes: string[] = [];

  const bs = Object.keys(b.suites).sort();
  const cs = Object.keys(c.suites).sort();
  if (canonicalJson(bs) !== canonicalJson(cs)) {
    throw new CompareInputError(
      `the runs have different suites: baseline [${bs.join(', ')}], candidate [${cs.join(', ')}]; compare runs of the same suites`,
    );
  }
  const arms = c.arms.filter((a) => b.arms.includes(a));
  if (arms.length === 0)
    throw new CompareInputError(`the runs have no arm in common: baseline [${b.arms.join(', ')}], candidate [${c.arms.join(', ')}]`);
  const onlyBase = b.arms.filter((a) => !arms.includes(a));
  const onlyCand = c.arms.filter((a) => !arms.includes(a));
  if (onlyBase.length) notes.push(`Arms only in the baseline, not compared: ${onlyBase.join(', ')}.`);
  if (onlyCand.length) notes.push(`Arms only in the candidate, not compared: ${onlyCand.join(', ')}.`);
  for (const [side, run] of [
    ['baseline', baseline],
    ['candidate', candidate],
  ] as const) {
    if (!run.cells.some((cell) => cell.n > 0 && arms.includes(cell.arm)))
      throw new CompareInputError(`the ${side} run ${run.meta.run_id} has no counted trials for the common arms`);
    if (run.meta.status !== 'completed')
      notes.push(`The ${side} run's status is "${run.meta.status}", not "completed": it may be missing trials.`);
  }
  const sessions = Math.min(b.sessions, c.sessions);
  if (b.sessions !== c.sessions) notes.push(`The runs have ${b.sessions} and ${c.sessions} sessions; sessions 1-${sessions} are compared.`);
  const ranges = sessionRanges(sessions, thresholds.gate_range);
  const { pairing, reason: pairingReason } = choosePairing(baseline, candidate, options.pairing ?? 'auto', bs, arms);
  if (baseline.source === 'history')
    notes.push(
      `The baseline's run directory is not available${baseline.path ? ` (${baseline.path})` : ''}: compared from its stored summary in the history, with unpaired statistics.`,
    );
  if (b.simulated || c.simulated) notes.push('A run used the built-in sim model: these results describe the harness, not any real model.');
  if (c.cache_mode === 'replay') notes.push('The candidate was replayed from a response cache: no model was called.');
  if (b.model !== c.model) notes.push(`Models differ: baseline ${b.model}, candidate ${c.model}.`);

  const comparisons: Comparison[] = [];
  for (const range of ranges) {
    const family: Comparison[] = [];
    for (const suite of bs) {
      for (const arm of arms) {
        const inRange = (x: { arm: string; suite: string; session: number }): boolean =>
          x.arm === arm && x.suite === suite && x.session >= range.from && x.session <= range.to;
        const baseCells = baseline.cells.filter(inRange);
        const candCells = candidate.cells.filter(inRange);
        const raw =
          pairing === 'paired'
            ? pairedCompare(baseline.units!.filter(inRange), candidate.units!.filter(inRange), range.gate ? bootstrapB : 0, confidence)
            : unpairedCompare(baseCells, candCells, range.gate ? bootstrapB : 0, confidence);
        const d = raw.diffs.success;
        const ci = tInterval(d, confidence);
        const upper = tInterval(d, 1 - 2 * thresholds.alpha).hi;
        const wb = wilsonInterval(raw.successes[0], raw.n_baseline, confidence);
        const wc = wilsonInterval(raw.successes[1], raw.n_candidate, confidence);
        family.push({
          suite,
          arm,
          range: range.name,
          sessions: [range.from, range.to],
          gate: range.gate,
          pairing,
          n_baseline: raw.n_baseline,
          n_candidate: raw.n_candidate,
          tasks: raw.tasks,
          infra_baseline: baseCells.reduce((s, x) => s + x.infra, 0),
          infra_candidate: candCells.reduce((s, x) => s + x.infra, 0),
          completion: {
            baseline: d.baseline,
            candidate: d.candidate,
            baseline_ci: [wb.lo, wb.hi],
            candidate_ci: [wc.lo, wc.hi],
            delta_points: points(d.delta),
            lo_points: points(ci.lo),
            hi_points: points(ci.hi),
            upper_one_sided_points: points(upper),
            se_points: points(d.se),
            df: d.df,
            ...oneSidedP(d, raw.signs),
            p_holm: NaN,
            ...(raw.bootstrap
              ? { bootstrap: { lo_points: points(raw.bootstrap.lo), hi_points: points(raw.bootstrap.hi), method: raw.bootstrap.method } }
              : {}),
          },
          cost_per_trial: metric(raw.diffs.cost_usd, confidence),
          tokens_per_trial: metric(raw.diffs.tokens, confidence),
          wall_ms_per_trial: metric(raw.diffs.wall_ms, confidence),
          significant: false,
          exceeds_max_drop: false,
          regression: false,
          cost_over_budget: false,
          status: 'pass',
          reason: '',
        });
      }
    }
    // Holm over this range's suite x arm family (untestable comparisons stay in the family as NaN).
    const adjusted = holmAdjust(family.map((x) => x.completion.p_one_sided));
    family.forEach((x, i) => {
      x.completion.p_holm = adjusted[i]!;
      judge(x, thresholds);
    });
    comparisons.push(...family);
  }

  const gated = comparisons.filter((x) => x.gate);
  const regressions: CompareResult['regressions'] = [];
  for (const x of gated) {
    if (x.regression) regressions.push({ suite: x.suite, arm: x.arm, kind: 'completion', reason: x.reason });
    if (x.cost_over_budget) regressions.push({ suite: x.suite, arm: x.arm, kind: 'cost', reason: costReason(x, thresholds) });
  }
  if (gated.some((x) => x.status === 'untestable'))
    notes.push('Some comparisons could not be tested (fewer than two tasks, or no trials on a side); they never fail the build.');
  const regressed = regressions.length > 0;
  return {
    format: COMPARE_FORMAT,
    verdict: regressed ? 'regression' : 'pass',
    exit_code: regressed ? 1 : 0,
    generated_at: new Date().toISOString(),
    rule: ruleText(thresholds),
    thresholds,
    confidence,
    pairing,
    pairing_reason: pairingReason,
    baseline: sideInfo(baseline),
    candidate: sideInfo(candidate),
    suites: bs,
    arms,
    arms_only_in_baseline: onlyBase,
    arms_only_in_candidate: onlyCand,
    ranges,
    comparisons,
    regressions,
    notes,
    simulated: b.simulated || c.simulated,
  };
}

export function ruleText(t: Thresholds): string {
  const range =
    t.gate_range === 'all'
      ? 'all common sessions'
      : t.gate_range === 'late'
        ? 'the last half of the common sessions'
        : `sessions ${t.gate_range}`;
  let text =
    `A suite x arm regresses when its completion rate over ${range} is lower in the candidate with one-sided ` +
    `Holm-adjusted p <= ${t.alpha} (task-clustered t test, Holm across the suite x arm comparisons) ` +
    `and the estimated drop is larger than ${t.max_drop_points} percentage points.`;
  if (t.max_cost_increase_pct !== null)
    text += ` Mean cost per trial more than ${t.max_cost_increase_pct}% above the baseline's is a cost regression.`;
  return text;
}

function costReason(x: Comparison, t: Thresholds): string {
  const c = x.cost_per_trial;
  return `mean cost per trial $${c.baseline.toFixed(5)} -> $${c.candidate.toFixed(5)} (${Number.isFinite(c.rel_change) ? `${fmtPts(c.rel_change * 100)}%` : 'from 0'}), over the +${t.max_cost_increase_pct}% budget`;
}

function judge(x: Comparison, t: Thresholds): void {
  const c = x.completion;
  const drop = -c.delta_points;
  x.significant = c.p_holm <= t.alpha;
  x.exceeds_max_drop = drop > t.max_drop_points;
  x.regression = x.significant && x.exceeds_max_drop;
  if (t.max_cost_increase_pct !== null) {
    const cost = x.cost_per_trial;
    x.cost_over_budget = cost.baseline > 0 ? cost.candidate > cost.baseline * (1 + t.max_cost_increase_pct / 100) : cost.candidate > 0;
  }
  const change = `${fmtPts(c.delta_points)} points (${(c.baseline * 100).toFixed(1)}% -> ${(c.candidate * 100).toFixed(1)}%)`;
  if (Number.isNaN(c.p_one_sided)) {
    x.status = 'untestable';
    x.reason =
      x.n_baseline === 0 || x.n_candidate === 0
        ? 'no trials to compare on one side'
        : `${change}; the spread between tasks is unknown (fewer than 2 tasks), not tested`;
  } else if (x.regression) {
    x.status = 'regression';
    x.reason = `completion ${change}, a drop larger than ${t.max_drop_points} points, significant (one-sided Holm p = ${fmtP(c.p_holm)} <= ${t.alpha})`;
  } else {
    x.status = 'pass';
    x.reason = x.significant
      ? `completion ${change}: significant (Holm p = ${fmtP(c.p_holm)}) but not larger than ${t.max_drop_points} points`
      : `completion ${change}: not a significant drop (Holm p = ${fmtP(c.p_holm)} > ${t.alpha})`;
  }
  if (x.cost_over_budget && x.gate) {
    x.status = x.status === 'regression' ? 'regression' : 'cost_regression';
    x.reason += `; ${costReason(x, t)}`;
  }
}

export function fmtP(p: number): string {
  if (Number.isNaN(p)) return 'n/a';
  if (p < 0.0001) return '<0.0001';
  return p.toFixed(4);
}
