// Claims as data: "dreaming gives 6x task completion", written down as a metric over a run, and
// checked against what the run measured.
//
// A claim file (claims/*.yaml or *.json) holds one claim, or `claims: [...]`. Each claim names a
// metric, the two arms (baseline and treatment), optionally a suite and a filter, and the claimed
// value. For each claim the report gives the measured value with a 95% interval from a paired,
// task-clustered bootstrap, and a verdict:
//
//   not supported   the interval lies wholly on the near side of the claimed value: the data rule
//                   out an effect as large as claimed (or rule out the claimed direction);
//   supported       otherwise, if the interval excludes "no effect" in the claimed direction (an
//                   interval wholly beyond the claimed value also supports an "at least" claim);
//   inconclusive    otherwise (the interval holds both "no effect" and the claimed value), with the
//                   sample size that would detect the claimed effect with 80% power;
//   not applicable  the run lacks an arm, the suite, the task labels or any trial the claim needs.
//
// Verdicts computed from a `sim` run describe the harness, not any model, and say so.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import type { TrialRecord } from '../harness/core/records.js';
import { ConfigError } from '../harness/config/load.js';
import { resolveArms } from '../harness/config/schema.js';
import {
  clusterBootstrap,
  compareArms,
  counts,
  meanDifference,
  normalQuantile,
  passAtK,
  relativeChange,
  unitKey,
  wilsonInterval,
  type OutcomeRow,
  type Cluster,
  type PairedBootstrapResult,
} from '../harness/stats/index.js';
import { intervalNotes } from './interval-notes.js';
import { describePowerModel, pairedPowerModel, pairsToDetect } from './power.js';
import type { MemorySnapshot, RunData, SuiteMeta } from './run-data.js';
import { carriesMemory } from './arm-memory.js';
import { mainTrials } from '../harness/core/slices.js';

export const METRICS = ['rate_ratio', 'rate_difference', 'time_change', 'passk_difference'] as const;
export type ClaimMetric = (typeof METRICS)[number];
export const TIME_MEASURES = ['wall_ms', 'turns', 'tokens', 'tool_calls', 'cost_usd'] as const;
export type TimeMeasure = (typeof TIME_MEASURES)[number];

const name = z.string().min(1);
const names = z.union([name, z.array(name).min(1)]).transform((v) => (Array.isArray(v) ? v : [v]));

export const claimSchema = z
  .object({
    id: z
      .string()
      .regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, dot, dash or underscore')
      .describe('unique id of the claim'),
    title: z.string().min(1).describe('the claim in words, as a reader would quote it'),
    source: z.string().min(1).describe('where the claim comes from (a citation or a note)'),
    metric: z.enum(METRICS).describe('rate_ratio, rate_difference, time_change or passk_difference'),
    arms: z
      .object({
        baseline: name.describe('arm name (or arm folder) of the comparison: the control'),
        treatment: name.describe('arm name (or arm folder) the claim is about'),
      })
      .strict(),
    suite: name.optional().describe('suite the claim is about (default: every suite in the run)'),
    filter: z
      .object({
        families: names.optional().describe('task families to keep'),
        difficulty: names.optional().describe("task difficulty labels to keep (from the suite's task data)"),
        tasks: names.optional().describe('task ids to keep'),
        sessions: z
          .object({ from: z.number().int().positive().optional(), to: z.number().int().positive().optional() })
          .strict()
          .optional()
          .describe('session range, inclusive'),
        memory_entries_min: z
          .number()
          .int()
          .nonnegative()
          .optional()
          .describe(
            "keep units where the treatment arm's memory held at least this many entries when the trial started (its memory_stats, else the snapshot)",
          ),
      })
      .strict()
      .default({}),
    claimed: z.number().refine(Number.isFinite, 'a finite number').describe('the claimed value of the metric'),
    claimed_text: z.string().optional().describe('the claimed value as stated (e.g. "6x", "80% to 91%")'),
    claimed_baseline: z
      .number()
      .min(0)
      .max(1)
      .optional()
      .describe(
        "the baseline's completion rate (or pass@k) in the claim's source, e.g. 0.8 for \"80% to 91%\": the verdict says when the run's baseline lies far from it",
      ),
    measure: z.enum(TIME_MEASURES).default('wall_ms').describe('time_change: what is timed'),
    over: z.enum(['completed', 'all']).default('completed').describe('time_change: units both arms completed (default), or all units'),
    k: z.number().int().positive().default(1).describe('passk_difference: k of pass@k'),
    note: z.string().optional(),
  })
  .strict()
  .superRefine((claim, ctx) => {
    const nullValue = claim.metric === 'rate_ratio' ? 1 : 0;
    if (claim.claimed === nullValue) {
      ctx.addIssue({ code: 'custom', path: ['claimed'], message: `must differ from ${nullValue} (no effect): a claim states an effect` });
    }
    if (claim.metric === 'rate_ratio' && claim.claimed <= 0)
      ctx.addIssue({ code: 'custom', path: ['claimed'], message: 'a ratio must be positive' });
    if (claim.metric === 'time_change' && claim.claimed <= -1)
      ctx.addIssue({ code: 'custom', path: ['claimed'], message: 'a relative change must be above -1 (-100%)' });
    if (claim.arms.baseline === claim.arms.treatment)
      ctx.addIssue({ code: 'custom', path: ['arms', 'treatment'], message: 'must differ from arms.baseline' });
  });

export type ClaimInput = z.input<typeof claimSchema>;
export type Claim = z.output<typeof claimSchema> & { file: string };

const fileSchema = z.union([z.object({ claims: z.array(z.unknown()).min(1) }).strict(), z.record(z.string(), z.unknown())]);

function fieldPath(path: readonly PropertyKey[]): string {
  return path.map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i === 0 ? '' : '.'}${String(part)}`)).join('');
}

/** Parse and validate one claim file. Throws a ConfigError naming the file and the field. */
export function parseClaimFile(file: string, text: string): Claim[] {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const first = doc.errors[0]!;
    const where = first.linePos?.[0] ? `line ${first.linePos[0].line}, column ${first.linePos[0].col}` : '';
    throw new ConfigError(file, where, `not valid YAML/JSON: ${first.message.split('\n')[0]}`);
  }
  const value: unknown = doc.toJS();
  if (!fileSchema.safeParse(value).success || value === null || typeof value !== 'object') {
    throw new ConfigError(file, '', 'expected a claim (id, title, source, metric, arms, claimed, ...) or `claims: [ ... ]`');
  }
  const many = 'claims' in value && Array.isArray((value as { claims: unknown }).claims);
  const items: unknown[] = many ? (value as { claims: unknown[] }).claims : [value];
  return items.map((item, i) => {
    const result = claimSchema.safeParse(item);
    if (!result.success) {
      const issue = result.error.issues[0]!;
      const path = [...(many ? ['claims', i] : []), ...issue.path];
      const received = path
        .slice(many ? 2 : 0)
        .reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k as PropertyKey] : undefined), item);
      const message =
        issue.code === 'invalid_type' && received === undefined
          ? `required field missing: expected ${issue.expected}`
          : issue.code === 'unrecognized_keys'
            ? `unknown field "${issue.keys.join('", "')}"`
            : `${issue.message}${received !== undefined && typeof received !== 'object' ? `, got ${JSON.stringify(received)}` : ''}`;
      throw new ConfigError(file, fieldPath(path), message);
    }
    return { ...result.data, file };
  });
}

/** Every claim in a folder (*.yaml, *.yml, *.json, sorted by name) or a single file. Ids must be unique. */
export function loadClaims(path: string): Claim[] {
  let files: string[];
  try {
    files = statSync(path).isDirectory()
      ? readdirSync(path)
          .filter((f) => ['.yaml', '.yml', '.json'].includes(extname(f)))
          .sort()
          .map((f) => join(path, f))
      : [path];
  } catch (error) {
    throw new ConfigError(path, '', `cannot read claims (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  const out: Claim[] = [];
  const seen = new Map<string, string>();
  for (const file of files) {
    for (const claim of parseClaimFile(file, readFileSync(file, 'utf8'))) {
      const first = seen.get(claim.id);
      if (first) throw new ConfigError(file, 'id', `duplicate claim id "${claim.id}" (also in ${basename(first)})`);
      seen.set(claim.id, file);
      out.push(claim);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Evaluation

export type Verdict = 'supported' | 'not_supported' | 'inconclusive' | 'not_applicable';

export const VERDICT_LABEL: Record<Verdict, string> = {
  supported: 'supported',
  not_supported: 'not supported',
  inconclusive: 'inconclusive at this sample size',
  not_applicable: 'not applicable',
};

export interface ClaimMeasurement {
  estimate: number;
  lo: number;
  hi: number;
  confidence: number;
  /** Paired units compared (for passk: tasks). */
  n: number;
  unit: 'pairs' | 'tasks';
  n_clusters: number;
  /** What each arm scored on the compared units (rate, mean time or mean pass@k). */
  baseline_value: number;
  treatment_value: number;
}

export interface SampleSizeNeeded {
  /** Units (pairs or tasks) that would detect the claimed effect with 80% power at alpha 0.05; Infinity when no number would. */
  n: number;
  unit: 'pairs' | 'tasks';
  /** The run's own count of those units. */
  n_now: number;
  /** Tasks those units would span at this run's units per task (more tasks, not more repeats of the same ones). */
  tasks?: number;
  /** How the number was found. */
  method: string;
}

export interface ClaimResult {
  id: string;
  title: string;
  source: string;
  file: string;
  metric: ClaimMetric;
  claimed: number;
  claimed_text: string;
  baseline: string;
  treatment: string;
  scope: string;
  verdict: Verdict;
  verdict_label: string;
  /** Why: which arm or suite is missing, or how the interval sits against the claim. */
  reason: string;
  measured?: ClaimMeasurement;
  sample_size?: SampleSizeNeeded;
  /** Set when the run used the sim model: the verdict describes the harness, not a model. */
  harness_only: boolean;
  note?: string;
}

export const HARNESS_ONLY_NOTE = 'sim run: this verdict describes the harness, not any model';

const pct = (x: number, digits = 1): string => `${(x * 100).toFixed(digits)}%`;
const signedPts = (x: number): string => `${x >= 0 ? '+' : '−'}${Math.abs(x * 100).toFixed(1)} pts`;
const signedPct = (x: number): string => `${x >= 0 ? '+' : '−'}${Math.abs(x * 100).toFixed(1)}%`;

/** A metric value as a reader expects it: 6.0x, +8.4 pts, -50.0%. */
export function formatMetric(metric: ClaimMetric, x: number): string {
  if (Number.isNaN(x)) return '–';
  if (x === Infinity) return '∞';
  switch (metric) {
    case 'rate_ratio':
      return `${Number(x.toFixed(x >= 10 ? 1 : 2))}x`;
    case 'rate_difference':
    case 'passk_difference':
      return signedPts(x);
    case 'time_change':
      return signedPct(x);
  }
}

const nullOf = (metric: ClaimMetric): number => (metric === 'rate_ratio' ? 1 : 0);

/** The verdict from the interval, the claimed value and the null (see the file's header). */
export function verdictFor(
  metric: ClaimMetric,
  claimed: number,
  lo: number,
  hi: number,
): { verdict: Exclude<Verdict, 'not_applicable'>; reason: string } {
  const nul = nullOf(metric);
  const up = claimed > nul;
  const f = (x: number) => formatMetric(metric, x);
  if (Number.isNaN(lo) || Number.isNaN(hi)) {
    return { verdict: 'inconclusive', reason: 'no interval could be computed (too few tasks, or no completion in either arm)' };
  }
  if (lo === Infinity || hi === -Infinity) {
    return {
      verdict: 'inconclusive',
      reason:
        'the baseline arm completed none of the compared trials, so the ratio is unbounded; a rate_difference claim can still be judged',
    };
  }
  if (up ? hi < claimed : lo > claimed) {
    return {
      verdict: 'not_supported',
      reason: `the interval [${f(lo)}, ${f(hi)}] lies wholly ${up ? 'below' : 'above'} the claimed ${f(claimed)}`,
    };
  }
  if (up ? lo > nul : hi < nul) {
    const beyond = up ? lo > claimed : hi < claimed;
    return {
      verdict: 'supported',
      reason:
        `the interval [${f(lo)}, ${f(hi)}] excludes no effect (${f(nul)}) and ` +
        (beyond
          ? `lies wholly beyond the claimed ${f(claimed)}: the effect measured is larger than claimed`
          : `is consistent with the claimed ${f(claimed)}`),
    };
  }
  return {
    verdict: 'inconclusive',
    reason: `the interval [${f(lo)}, ${f(hi)}] holds both no effect (${f(nul)}) and the claimed ${f(claimed)}`,
  };
}

/** The fields of a trial record that claims read (a whole TrialRecord is one). */
export type ClaimTrial = Pick<
  TrialRecord,
  | 'arm'
  | 'suite'
  | 'family'
  | 'task'
  | 'replicate'
  | 'session'
  | 'slot'
  | 'slice'
  | 'success'
  | 'error_class'
  | 'memory_stats'
  | Exclude<TimeMeasure, 'tokens'>
  | 'input_tokens'
  | 'output_tokens'
  | 'cache_read_tokens'
  | 'cache_write_tokens'
>;

/** What claims need of a run: a RunData (reports/run-data.ts) is one, and so is the lighter load of reports/claim-data.ts. */
export interface ClaimSources {
  manifest: Pick<RunData['manifest'], 'experiment'>;
  trials: readonly ClaimTrial[];
  arms: readonly string[];
  simulated: boolean;
  snapshots: ReadonlyArray<Pick<MemorySnapshot, 'arm' | 'replicate' | 'session' | 'entries'>>;
  suites: Readonly<Record<string, Pick<SuiteMeta, 'difficulty'>>>;
  arm_memory?: Record<string, boolean | undefined>;
}

/** Context for evaluating claims: the run's trials and what the report knows about arms, suites and memory. */
export interface ClaimContext {
  trials: readonly ClaimTrial[];
  arms: readonly string[];
  /** Arm name -> arm folder, for claims that name the folder (e.g. `dreaming`) of an arm run under another name. */
  armTypes: Record<string, string>;
  /** suite -> task -> difficulty label. */
  difficulty: Record<string, Record<string, string>>;
  /** `${arm}\0${replicate}\0${session}` -> memory entries after that session. */
  memoryEntries: Map<string, number>;
  simulated: boolean;
  seed: string | number;
  B?: number;
  /** Whether an arm carries memory across trials (the memory's luck enters its intervals only then). */
  carriesMemory: (arm: string) => boolean;
}

/**
 * The context of a run's claims: the main slice of its trials (harness/core/slices.ts: train, or every
 * trial of a run without slices), so that `dreambench claims` and the report measure the same units.
 */
export function claimContext(data: ClaimSources, B?: number): ClaimContext {
  const armTypes: Record<string, string> = {};
  try {
    for (const a of resolveArms(data.manifest.experiment.arms)) armTypes[a.name] = a.arm;
  } catch {
    // An old manifest: arms are matched by name only.
  }
  return {
    trials: mainTrials(data.trials),
    arms: data.arms,
    armTypes,
    carriesMemory: (arm) => carriesMemory(arm, data.arm_memory, data.snapshots),
    difficulty: Object.fromEntries(Object.entries(data.suites).map(([s, m]) => [s, m.difficulty])),
    memoryEntries: new Map(data.snapshots.map((s) => [`${s.arm}\u0000${s.replicate}\u0000${s.session}`, s.entries])),
    simulated: data.simulated,
    seed: data.manifest.experiment?.seed ?? 0,
    ...(B ? { B } : {}),
  };
}

function resolveArm(ctx: ClaimContext, wanted: string): { arm?: string; problem?: string } {
  if (ctx.arms.includes(wanted)) return { arm: wanted };
  const byType = ctx.arms.filter((a) => ctx.armTypes[a] === wanted);
  if (byType.length === 1) return { arm: byType[0]! };
  if (byType.length > 1) return { problem: `arms ${byType.join(', ')} all run "${wanted}"; name one of them in the claim` };
  return { problem: `the run has no arm "${wanted}" (arms: ${ctx.arms.join(', ') || 'none'})` };
}

/**
 * Entries in an arm's memory when a trial started: what the arm reported for the trial
 * (`memory_stats.entries` or `memory_stats.library_size`, e.g. a skill library), else the entries
 * of the snapshot the trial read (after the previous session).
 */
export function memoryAtTrial(t: ClaimTrial, ctx: Pick<ClaimContext, 'memoryEntries'>): number {
  const stats = t.memory_stats;
  if (stats) {
    if (typeof stats.entries === 'number') return stats.entries;
    if (typeof stats.library_size === 'number') return stats.library_size;
  }
  return ctx.memoryEntries.get(`${t.arm}\u0000${t.replicate}\u0000${t.session - 1}`) ?? 0;
}

function describeScope(claim: Claim): string {
  const parts = [claim.suite ? `suite ${claim.suite}` : 'all suites'];
  const f = claim.filter;
  if (f.families) parts.push(`families ${f.families.join(', ')}`);
  if (f.difficulty) parts.push(`difficulty ${f.difficulty.join(', ')}`);
  if (f.tasks) parts.push(`${f.tasks.length} task${f.tasks.length === 1 ? '' : 's'}`);
  if (f.sessions) parts.push(`sessions ${f.sessions.from ?? 1}–${f.sessions.to ?? 'end'}`);
  if (f.memory_entries_min !== undefined) parts.push(`treatment memory ≥ ${f.memory_entries_min} entries`);
  if (claim.metric === 'time_change')
    parts.push(
      // cost_usd is token cost for every arm; a managed arm's runtime cost is never in it.
      `${claim.measure === 'cost_usd' ? 'cost_usd (token cost)' : claim.measure}, ${claim.over === 'completed' ? 'units both arms completed' : 'all units'}`,
    );
  if (claim.metric === 'passk_difference') parts.push(`pass@${claim.k}`);
  return parts.join('; ');
}

function defaultClaimedText(claim: Claim): string {
  return claim.claimed_text ?? formatMetric(claim.metric, claim.claimed);
}

const tokensOf = (t: ClaimTrial): number => t.input_tokens + t.output_tokens + t.cache_read_tokens + t.cache_write_tokens;
function measureOf(t: ClaimTrial, measure: TimeMeasure): number {
  return measure === 'tokens' ? tokensOf(t) : t[measure];
}

/** Below this many tasks (clusters) the bootstrap intervals under-cover (scripts/calibrate.ts): the report says so. */
export const FEW_TASKS = 10;

/** Power 0.8 at two-sided alpha 0.05: the distance (in standard errors) between null and effect. */
const Z_DECIDE = normalQuantile(0.975) + normalQuantile(0.8);

/** Pairs needed to detect the claimed completion-rate effect (baseline p0 -> p1), from the run's power model. */
function pairsNeeded(
  rowsA: readonly OutcomeRow[],
  rowsB: readonly OutcomeRow[],
  p1: number,
  diff: PairedBootstrapResult,
): SampleSizeNeeded {
  const model = pairedPowerModel(rowsA, rowsB, diff.se, diff.n_clusters);
  const target = Math.min(1, Math.max(0, p1));
  const need = pairsToDetect(model, target);
  return {
    n: need.pairs,
    unit: 'pairs',
    n_now: model.n,
    ...(Number.isFinite(need.tasks) ? { tasks: need.tasks } : {}),
    method: `paired sample size (Connor 1987) for ${pct(model.p0)} → ${pct(target)}, ${describePowerModel(model)}`,
  };
}

/** Units needed when the standard error shrinks as 1/sqrt(n): se_needed = |effect| / (z_0.975 + z_0.8). */
function scaledNeed(nNow: number, clusters: number, se: number, effect: number, unit: 'pairs' | 'tasks', what: string): SampleSizeNeeded {
  const need = Number.isFinite(se) && se > 0 && effect !== 0 ? Math.ceil(nNow * ((se * Z_DECIDE) / Math.abs(effect)) ** 2) : Infinity;
  const tasks = Number.isFinite(need) ? Math.ceil((need * clusters) / Math.max(1, nNow)) : undefined;
  return {
    n: need,
    unit,
    n_now: nNow,
    ...(tasks !== undefined && unit === 'pairs' ? { tasks } : {}),
    method: `bootstrap standard error ${what} scaled as 1/√n to detect the claimed effect with 80% power`,
  };
}

/** The arms and units a claim compares, after its scope and filter. */
interface ClaimScope {
  claim: Claim;
  ctx: ClaimContext;
  a: string;
  b: string;
  rowsA: ClaimTrial[];
  rowsB: ClaimTrial[];
  seed: string;
  B: number;
}

/** What a metric's handler measured: the interval, the sample size that would decide, and any notes. */
interface Measured {
  measured: ClaimMeasurement;
  sampleSize: SampleSizeNeeded;
  notes: string[];
}

/** A metric's handler: measure the claim on its scope, or say why it cannot (not applicable). */
type MetricHandler = (s: ClaimScope) => Measured | { notApplicable: string };

/** rate_ratio and rate_difference: the run's paired comparison (harness/stats compareArms), as the report's. */
const rateHandler: MetricHandler = ({ claim, ctx, a, b, rowsA, rowsB, seed, B }) => {
  const { difference: diff, ratio } = compareArms(rowsA, rowsB, { seed, B, carriesMemory: ctx.carriesMemory(a) || ctx.carriesMemory(b) });
  if (diff.n_pairs === 0) return { notApplicable: `${a} and ${b} share no (task, replicate, session, slot) units in this scope` };
  const boot = claim.metric === 'rate_ratio' ? ratio : diff;
  const notes = intervalNotes(boot, ctx.carriesMemory(a) || ctx.carriesMemory(b));
  const p0 = diff.rate_a;
  const p1 = claim.metric === 'rate_ratio' ? p0 * claim.claimed : p0 + claim.claimed;
  if (p1 > 1 || p1 < 0) notes.push(`the claimed ${defaultClaimedText(claim)} is impossible from this baseline rate of ${pct(p0)}`);
  return {
    measured: {
      estimate: boot.estimate,
      lo: boot.lo,
      hi: boot.hi,
      confidence: boot.confidence,
      n: diff.n_pairs,
      unit: 'pairs',
      n_clusters: diff.n_clusters,
      baseline_value: diff.rate_a,
      treatment_value: diff.rate_b,
    },
    sampleSize: pairsNeeded(rowsA, rowsB, p1, diff),
    notes,
  };
};

/** time_change: the relative change of the mean measure over paired units, task-clustered bootstrap. */
const timeHandler: MetricHandler = ({ claim, ctx, a, b, rowsA, rowsB, seed, B }) => {
  const byUnit = new Map(rowsA.map((t) => [unitKey(t), t]));
  const perTask = new Map<string, Cluster>();
  let n = 0;
  for (const tb of rowsB) {
    const ta = byUnit.get(unitKey(tb));
    if (!ta) continue;
    if (claim.over === 'completed' && !(ta.success && tb.success)) continue;
    const c = perTask.get(tb.task) ?? { a: 0, b: 0, w: 0 };
    c.a += measureOf(ta, claim.measure);
    c.b += measureOf(tb, claim.measure);
    c.w += 1;
    perTask.set(tb.task, c);
    n++;
  }
  if (n === 0)
    return { notApplicable: `no units that both ${a} and ${b} ${claim.over === 'completed' ? 'completed' : 'ran'} in this scope` };
  const clusters = [...perTask.keys()].sort().map((k) => perTask.get(k)!);
  const r = clusterBootstrap(clusters, relativeChange, { seed, B, bounds: [-1, Infinity] });
  const W = clusters.reduce((s, c) => s + c.w, 0);
  const notes: string[] = [];
  if (ctx.simulated && claim.measure === 'wall_ms')
    notes.push(
      "wall time of a sim run measures the harness's own speed, not an agent's: read this claim's verdict as a check of the machinery only",
    );
  if (r.widened)
    notes.push(`every resample gave the estimate, so the interval is the estimate ± the Wilson bound over ${r.n_clusters} tasks`);
  return {
    measured: {
      estimate: r.estimate,
      lo: r.lo,
      hi: r.hi,
      confidence: 0.95,
      n,
      unit: 'pairs',
      n_clusters: r.n_clusters,
      baseline_value: clusters.reduce((s, c) => s + c.a, 0) / W,
      treatment_value: clusters.reduce((s, c) => s + c.b, 0) / W,
    },
    sampleSize: scaledNeed(n, r.n_clusters, r.se, claim.claimed, 'pairs', `of the relative change in ${claim.measure}`),
    notes,
  };
};

/** passk_difference: the mean over tasks of pass@k(treatment) - pass@k(baseline), task bootstrap. */
const passkHandler: MetricHandler = ({ claim, a, b, rowsA, rowsB, seed, B }) => {
  const k = claim.k;
  const tally = (list: readonly ClaimTrial[]) => {
    const m = new Map<string, [number, number]>();
    for (const t of list) {
      const v = m.get(t.task) ?? [0, 0];
      v[0]++;
      if (t.success) v[1]++;
      m.set(t.task, v);
    }
    return m;
  };
  const ta = tally(rowsA);
  const tb = tally(rowsB);
  const clusters: Cluster[] = [];
  for (const task of [...tb.keys()].sort()) {
    const x = ta.get(task);
    const y = tb.get(task)!;
    if (!x || x[0] < k || y[0] < k) continue;
    clusters.push({ a: passAtK(x[0], x[1], k), b: passAtK(y[0], y[1], k), w: 1 });
  }
  if (clusters.length === 0) return { notApplicable: `no task has ${k} or more attempts in both ${a} and ${b}` };
  const r = clusterBootstrap(clusters, meanDifference, { seed, B, bounds: [-1, 1] });
  const notes = r.widened
    ? [
        `every task showed the same difference, so the bootstrap saw no spread and the interval is the estimate ± the Wilson bound over ${r.n_clusters} tasks`,
      ]
    : [];
  return {
    measured: {
      estimate: r.estimate,
      lo: r.lo,
      hi: r.hi,
      confidence: 0.95,
      n: clusters.length,
      unit: 'tasks',
      n_clusters: clusters.length,
      baseline_value: clusters.reduce((s, c) => s + c.a, 0) / clusters.length,
      treatment_value: clusters.reduce((s, c) => s + c.b, 0) / clusters.length,
    },
    sampleSize: scaledNeed(clusters.length, clusters.length, r.se, claim.claimed, 'tasks', `of the pass@${k} difference over tasks`),
    notes,
  };
};

const HANDLERS: Record<ClaimMetric, MetricHandler> = {
  rate_ratio: rateHandler,
  rate_difference: rateHandler,
  time_change: timeHandler,
  passk_difference: passkHandler,
};

/** The claim's rows after its suite and filter, or why none are left. */
function scopeRows(
  claim: Claim,
  ctx: ClaimContext,
  a: string,
  b: string,
): { rowsA: ClaimTrial[]; rowsB: ClaimTrial[] } | { notApplicable: string } {
  let rows = ctx.trials.filter((t) => counts(t) && (t.arm === a || t.arm === b));
  if (claim.suite) {
    const suites = [...new Set(rows.map((t) => t.suite))];
    rows = rows.filter((t) => t.suite === claim.suite);
    if (rows.length === 0)
      return { notApplicable: `the run has no trials of suite "${claim.suite}" (suites: ${suites.join(', ') || 'none'})` };
  }
  const f = claim.filter;
  if (f.families) {
    const keep = new Set(f.families);
    rows = rows.filter((t) => keep.has(t.family));
    if (rows.length === 0) return { notApplicable: `no trials of famil${f.families.length === 1 ? 'y' : 'ies'} ${f.families.join(', ')}` };
  }
  if (f.difficulty) {
    const suites = [...new Set(rows.map((t) => t.suite))];
    const unlabelled = suites.filter((s) => Object.keys(ctx.difficulty[s] ?? {}).length === 0);
    if (unlabelled.length === suites.length)
      return {
        notApplicable: `suite${suites.length === 1 ? '' : 's'} ${suites.join(', ')} declare${suites.length === 1 ? 's' : ''} no task difficulty`,
      };
    const keep = new Set(f.difficulty);
    rows = rows.filter((t) => keep.has(ctx.difficulty[t.suite]?.[t.task] ?? ''));
    if (rows.length === 0) return { notApplicable: `no trials of tasks with difficulty ${f.difficulty.join(', ')}` };
  }
  if (f.tasks) {
    const keep = new Set(f.tasks);
    rows = rows.filter((t) => keep.has(t.task));
    if (rows.length === 0) return { notApplicable: `no trials of the listed tasks` };
  }
  if (f.sessions) {
    const from = f.sessions.from ?? 1;
    const to = f.sessions.to ?? Infinity;
    rows = rows.filter((t) => t.session >= from && t.session <= to);
    if (rows.length === 0) return { notApplicable: `no trials in sessions ${from}–${f.sessions.to ?? 'end'}` };
  }
  let rowsA = rows.filter((t) => t.arm === a);
  let rowsB = rows.filter((t) => t.arm === b);
  if (f.memory_entries_min !== undefined) {
    const min = f.memory_entries_min;
    rowsB = rowsB.filter((t) => memoryAtTrial(t, ctx) >= min);
    if (rowsB.length === 0) return { notApplicable: `the ${b} arm's memory never held ${min} or more entries before a trial` };
    const units = new Set(rowsB.map(unitKey));
    rowsA = rowsA.filter((t) => units.has(unitKey(t)));
  }
  if (rowsA.length === 0) return { notApplicable: `no ${a} trials in this scope` };
  if (rowsB.length === 0) return { notApplicable: `no ${b} trials in this scope` };
  return { rowsA, rowsB };
}

/**
 * When the claim states the baseline it started from (claimed_baseline) and this run's baseline lies
 * far from it (the Wilson interval of the measured baseline excludes it), the verdict says so: the
 * effect is measured at another level of difficulty than the claim's.
 */
function baselineNote(claim: Claim, m: ClaimMeasurement): string | undefined {
  if (claim.claimed_baseline === undefined || claim.metric === 'time_change') return undefined;
  const successes = Math.round(m.baseline_value * m.n);
  const w = wilsonInterval(successes, m.n);
  if (claim.claimed_baseline >= w.lo && claim.claimed_baseline <= w.hi) return undefined;
  return (
    `the claim starts from a baseline of ${pct(claim.claimed_baseline, 0)}; this run's baseline is ${pct(m.baseline_value)} ` +
    `[${pct(w.lo)}, ${pct(w.hi)}], so the effect is measured at another level than the claim's and the comparison says little about it`
  );
}

export function evaluateClaim(claim: Claim, ctx: ClaimContext): ClaimResult {
  const base = {
    id: claim.id,
    title: claim.title,
    source: claim.source,
    file: claim.file,
    metric: claim.metric,
    claimed: claim.claimed,
    claimed_text: defaultClaimedText(claim),
    baseline: claim.arms.baseline,
    treatment: claim.arms.treatment,
    scope: describeScope(claim),
    harness_only: ctx.simulated,
    ...(claim.note ? { note: claim.note } : {}),
  };
  const na = (reason: string): ClaimResult => ({ ...base, verdict: 'not_applicable', verdict_label: VERDICT_LABEL.not_applicable, reason });

  const a = resolveArm(ctx, claim.arms.baseline);
  const b = resolveArm(ctx, claim.arms.treatment);
  const missing = [a.problem, b.problem].filter(Boolean);
  if (missing.length) return na(missing.join('; '));
  base.baseline = a.arm!;
  base.treatment = b.arm!;
  const scoped = scopeRows(claim, ctx, a.arm!, b.arm!);
  if ('notApplicable' in scoped) return na(scoped.notApplicable);

  const out = HANDLERS[claim.metric]({
    claim,
    ctx,
    a: a.arm!,
    b: b.arm!,
    ...scoped,
    seed: `${ctx.seed}:claim:${claim.id}`,
    B: ctx.B ?? 2000,
  });
  if ('notApplicable' in out) return na(out.notApplicable);
  const { measured, sampleSize } = out;
  const extraReasons = [...out.notes];
  const far = baselineNote(claim, measured);
  if (far) extraReasons.unshift(far);
  if (measured.n_clusters < FEW_TASKS) {
    extraReasons.push(
      `only ${measured.n_clusters} task${measured.n_clusters === 1 ? '' : 's'}: intervals from so few run narrow (see docs/statistics.md)`,
    );
  }
  // Every verdict reads the interval as widened (Wilson bound when the resampling saw no spread,
  // stretched for the memory's luck, clamped to the metric's range): never a zero-width interval.
  const { verdict, reason } = verdictFor(claim.metric, claim.claimed, measured.lo, measured.hi);
  if (claim.metric === 'rate_ratio' && measured.baseline_value === 0) {
    // No sample size decides a ratio over a baseline of zero: only a baseline that completes some tasks does.
    const bound = wilsonInterval(0, measured.n).hi;
    extraReasons.push(
      `to decide, the baseline must complete some trials: none of ${measured.n} did (Wilson 95% upper bound ${pct(bound)})`,
    );
    return { ...base, verdict, verdict_label: VERDICT_LABEL[verdict], reason: [reason, ...extraReasons].join('; '), measured };
  }
  return {
    ...base,
    verdict,
    verdict_label: VERDICT_LABEL[verdict],
    reason: [reason, ...extraReasons].join('; '),
    measured,
    ...(verdict === 'inconclusive' ? { sample_size: sampleSize } : {}),
  };
}

export function evaluateClaims(claims: readonly Claim[], ctx: ClaimContext): ClaimResult[] {
  return claims.map((c) => evaluateClaim(c, ctx));
}

/** "≈ 1,240 pairs (this run: 120)" or "more than this task set can give". */
export function formatSampleSize(s: SampleSizeNeeded): string {
  if (!Number.isFinite(s.n)) return `no sample size detects it at the measured spread (this run: ${s.n_now} ${s.unit})`;
  const tasks = s.tasks !== undefined ? ` over ≈ ${s.tasks.toLocaleString('en-US')} tasks` : '';
  return `≈ ${s.n.toLocaleString('en-US')} ${s.unit}${tasks} (this run: ${s.n_now.toLocaleString('en-US')})`;
}

/** What each arm scored on the compared units: a completion rate, a mean time or a mean pass@k. */
export function formatLevel(r: Pick<ClaimResult, 'metric' | 'scope'>, x: number): string {
  if (!Number.isFinite(x)) return '–';
  if (r.metric !== 'time_change') return `${(x * 100).toFixed(1)}%`;
  if (r.scope.includes('wall_ms')) return `${(x / 1000).toFixed(2)} s`;
  if (r.scope.includes('cost_usd')) return `$${x.toFixed(4)}`;
  return x.toFixed(1);
}

/** A plain-text table of claim results for the terminal. */
export function renderClaimsText(results: readonly ClaimResult[]): string {
  const lines: string[] = [];
  if (results.some((r) => r.harness_only)) lines.push('Note: sim run: every verdict below describes the harness, not any model.', '');
  for (const r of results) {
    lines.push(`${r.id}: ${r.title}`);
    lines.push(`  ${r.treatment} vs ${r.baseline}, ${r.metric}; ${r.scope}`);
    lines.push(
      `  claimed   ${r.claimed_text}${r.claimed_text !== formatMetric(r.metric, r.claimed) ? ` (${formatMetric(r.metric, r.claimed)})` : ''}`,
    );
    if (r.measured) {
      const m = r.measured;
      lines.push(
        `  measured  ${formatMetric(r.metric, m.estimate)}, 95% CI [${formatMetric(r.metric, m.lo)}, ${formatMetric(r.metric, m.hi)}] ` +
          `over ${m.n} ${m.unit}${m.unit === 'tasks' ? '' : ` in ${m.n_clusters} tasks`}`,
      );
      lines.push(`  levels    ${r.baseline} ${formatLevel(r, m.baseline_value)} → ${r.treatment} ${formatLevel(r, m.treatment_value)}`);
    }
    lines.push(`  verdict   ${r.verdict_label.toUpperCase()}${r.harness_only ? ` (${HARNESS_ONLY_NOTE})` : ''}`);
    lines.push(`  why       ${r.reason}`);
    if (r.sample_size) lines.push(`  to decide ${formatSampleSize(r.sample_size)}`);
    lines.push(`  source    ${r.source}`);
    lines.push('');
  }
  return lines.join('\n').trimEnd();
}
