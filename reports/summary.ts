// The run summary: completion rate with Wilson intervals, effort and cost, per arm × session.
//
// Writes <runDir>/report/summary.csv (full precision, one row per arm × session plus an
// 'all sessions' row per arm) and <runDir>/report/summary.md (human-readable tables).
//
// What is counted:
//  - `n` is the number of trials that measure the agent: every trial except error_class 'infra'
//    (an API outage is not an agent failure). Infra trials are counted apart in `infra`.
//  - Rates, Wilson intervals and the behavioural means (score, turns, tool calls, wall time) and
//    the budget and pitfall counts are over the `n` counted trials.
//  - Token and cost totals are over *all* trials, infra included: they are what the run spent.
//    `tokens_per_trial` divides the total by all trials (`trials` = n + infra) to match.
//  - The arm's own spending after a task (reflections, lesson writing: `arm_usage`) is reported
//    apart in `arm_tokens` / `arm_cost_usd`; `total_cost_usd` is trial plus arm cost.
//  - Trials are pooled over tasks and replicates. The Wilson interval treats them as independent;
//    clustered and paired comparisons between arms belong to the comparison statistics.

import { runtimeCostMarkdown, runtimeCosts } from './runtime-cost.js';
import { UNCOUNTED_CLASSES } from '../harness/core/records.js';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import type { TrialRecord } from '../harness/core/records.js';
import { wilsonInterval } from '../harness/stats/wilson.js';
import { mainTrials } from '../harness/core/slices.js';
import { writeFileAtomicAsync } from '../harness/storage/run-dir.js';

/** Confidence level of every interval in the summary. */
export const SUMMARY_CONFIDENCE = 0.95;

export type SessionKey = number | 'all';

export interface SummaryRow {
  arm: string;
  /** Session number as recorded, or 'all' for the arm's pooled row. */
  session: SessionKey;
  /** Every trial in the group, infra failures included (n + infra). */
  trials: number;
  /** Trials counted for the rate: all but error_class 'infra'. */
  n: number;
  /** Infrastructure failures, excluded from n and from the rate. */
  infra: number;
  successes: number;
  /** successes / n; NaN when n = 0. */
  rate: number;
  /** Wilson 95% interval bounds; [0, 1] when n = 0. */
  ci_lo: number;
  ci_hi: number;
  mean_score: number;
  mean_turns: number;
  mean_tool_calls: number;
  /** Token totals over all trials (infra included). */
  tokens_in: number;
  tokens_out: number;
  cache_read: number;
  cache_write: number;
  /** (tokens_in + tokens_out + cache_read + cache_write) / trials; NaN when trials = 0. */
  tokens_per_trial: number;
  /** Sum of the trials' cost_usd (infra included). */
  cost_usd: number;
  /** Tokens (all four kinds) and cost the arm spent after tasks (arm_usage), infra included. */
  arm_tokens: number;
  arm_cost_usd: number;
  /** cost_usd + arm_cost_usd. */
  total_cost_usd: number;
  mean_wall_ms: number;
  /** Counted trials that ended with error_class 'budget'. */
  budget_failures: number;
  /** Total pitfall hits over counted trials (a trial hitting two pitfalls counts two). */
  pitfalls_hit: number;
}

/** CSV columns, in order. Rates (rate, ci_lo, ci_hi) are rounded to 4 decimals, the rest full precision. */
export const SUMMARY_COLUMNS = [
  'arm',
  'session',
  'trials',
  'n',
  'infra',
  'successes',
  'rate',
  'ci_lo',
  'ci_hi',
  'mean_score',
  'mean_turns',
  'mean_tool_calls',
  'tokens_in',
  'tokens_out',
  'cache_read',
  'cache_write',
  'tokens_per_trial',
  'cost_usd',
  'arm_tokens',
  'arm_cost_usd',
  'total_cost_usd',
  'mean_wall_ms',
  'budget_failures',
  'pitfalls_hit',
] as const satisfies ReadonlyArray<keyof SummaryRow>;

const RATE_COLUMNS: ReadonlySet<string> = new Set(['rate', 'ci_lo', 'ci_hi']);

const mean = (sum: number, count: number): number => (count === 0 ? NaN : sum / count);

function summarizeGroup(arm: string, session: SessionKey, group: readonly TrialRecord[]): SummaryRow {
  let n = 0;
  let infra = 0;
  let successes = 0;
  let score = 0;
  let turns = 0;
  let toolCalls = 0;
  let wall = 0;
  let budget = 0;
  let pitfalls = 0;
  let tokensIn = 0;
  let tokensOut = 0;
  let cacheRead = 0;
  let cacheWrite = 0;
  let cost = 0;
  let armTokens = 0;
  let armCost = 0;

  for (const t of group) {
    tokensIn += t.input_tokens;
    tokensOut += t.output_tokens;
    cacheRead += t.cache_read_tokens;
    cacheWrite += t.cache_write_tokens;
    cost += t.cost_usd;
    if (t.arm_usage) {
      const u = t.arm_usage;
      armTokens += u.input_tokens + u.output_tokens + u.cache_read_tokens + u.cache_write_tokens;
      armCost += u.cost_usd;
    }
    // Infrastructure and permanent provider failures do not measure the agent: counted apart.
    if (UNCOUNTED_CLASSES.has(t.error_class)) {
      infra++;
      continue;
    }
    n++;
    if (t.success) successes++;
    score += t.score;
    turns += t.turns;
    toolCalls += t.tool_calls;
    wall += t.wall_ms;
    if (t.error_class === 'budget') budget++;
    pitfalls += t.pitfalls_hit.length;
  }

  const ci = wilsonInterval(successes, n, SUMMARY_CONFIDENCE);
  const trials = group.length;
  return {
    arm,
    session,
    trials,
    n,
    infra,
    successes,
    rate: ci.rate,
    ci_lo: ci.lo,
    ci_hi: ci.hi,
    mean_score: mean(score, n),
    mean_turns: mean(turns, n),
    mean_tool_calls: mean(toolCalls, n),
    tokens_in: tokensIn,
    tokens_out: tokensOut,
    cache_read: cacheRead,
    cache_write: cacheWrite,
    tokens_per_trial: mean(tokensIn + tokensOut + cacheRead + cacheWrite, trials),
    cost_usd: cost,
    arm_tokens: armTokens,
    arm_cost_usd: armCost,
    total_cost_usd: cost + armCost,
    mean_wall_ms: mean(wall, n),
    budget_failures: budget,
    pitfalls_hit: pitfalls,
  };
}

/**
 * The arms in report order: those in `armOrder` first (in that order, if present in the data),
 * then any others in order of first appearance in `trials`.
 */
export function orderArms(trials: readonly TrialRecord[], armOrder: readonly string[] = []): string[] {
  const present = new Set(trials.map((t) => t.arm));
  const out: string[] = [];
  const seen = new Set<string>();
  for (const arm of [...armOrder, ...trials.map((t) => t.arm)]) {
    if (!present.has(arm) || seen.has(arm)) continue;
    seen.add(arm);
    out.push(arm);
  }
  return out;
}

/**
 * One row per arm × session (sessions ascending), followed by the arm's pooled row
 * (session 'all'). Arms are ordered by `armOrder`, then by first appearance.
 */
export function summarize(trials: readonly TrialRecord[], armOrder: readonly string[] = []): SummaryRow[] {
  const byArm = new Map<string, Map<number, TrialRecord[]>>();
  for (const t of trials) {
    let sessions = byArm.get(t.arm);
    if (!sessions) byArm.set(t.arm, (sessions = new Map()));
    let group = sessions.get(t.session);
    if (!group) sessions.set(t.session, (group = []));
    group.push(t);
  }

  const rows: SummaryRow[] = [];
  for (const arm of orderArms(trials, armOrder)) {
    const sessions = byArm.get(arm);
    if (!sessions) continue;
    const all: TrialRecord[] = [];
    for (const session of [...sessions.keys()].sort((a, b) => a - b)) {
      const group = sessions.get(session) ?? [];
      rows.push(summarizeGroup(arm, session, group));
      all.push(...group);
    }
    rows.push(summarizeGroup(arm, 'all', all));
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------
// Formatting

/** A proportion as a percentage with `digits` decimals ("62.5%"); '–' for NaN. */
export function formatPercent(x: number, digits = 1): string {
  return Number.isFinite(x) ? `${(x * 100).toFixed(digits)}%` : '–';
}

/**
 * A completion cell: "62.5% [40.9, 80.0]" (rate, then the Wilson interval in percent).
 * '–' for a missing group or one with no counted trials.
 */
export function formatRateCell(row: Pick<SummaryRow, 'n' | 'rate' | 'ci_lo' | 'ci_hi'> | undefined): string {
  if (!row || row.n === 0) return '–';
  return `${formatPercent(row.rate)} [${(row.ci_lo * 100).toFixed(1)}, ${(row.ci_hi * 100).toFixed(1)}]`;
}

/** A number for a table: '–' for NaN, thousands separators, at most `digits` decimals. */
export function formatNumber(x: number, digits = 0): string {
  if (!Number.isFinite(x)) return '–';
  return x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function formatUsd(x: number): string {
  if (!Number.isFinite(x)) return '–';
  return `$${x.toFixed(x !== 0 && Math.abs(x) < 1 ? 4 : 2)}`;
}

/** The sessions present in `rows` (ascending), without 'all'. */
function sessionsOf(rows: readonly SummaryRow[]): number[] {
  const set = new Set<number>();
  for (const r of rows) if (r.session !== 'all') set.add(r.session);
  return [...set].sort((a, b) => a - b);
}

/** Arms in the order their rows appear. */
function armsOf(rows: readonly SummaryRow[]): string[] {
  return [...new Set(rows.map((r) => r.arm))];
}

function rateGrid(rows: readonly SummaryRow[]): { header: string[]; body: string[][]; sessions: number[] } {
  const sessions = sessionsOf(rows);
  const index = new Map(rows.map((r) => [`${r.arm}\u0000${r.session}`, r]));
  const body = armsOf(rows).map((arm) => [
    arm,
    ...sessions.map((s) => formatRateCell(index.get(`${arm}\u0000${s}`))),
    formatRateCell(index.get(`${arm}\u0000all`)),
  ]);
  return { header: ['arm', ...sessions.map((s) => `s${s}`), 'all'], body, sessions };
}

/**
 * The completion table for a terminal: arms as rows, sessions as columns plus 'all', each cell
 * "rate [lo, hi]" (Wilson 95%). Plain text, columns padded, no trailing newline.
 */
export function renderSummaryTable(rows: readonly SummaryRow[]): string {
  const { header, body } = rateGrid(rows);
  if (body.length === 0) return '(no trials)';
  const table = [header, ...body];
  const widths = header.map((_, c) => Math.max(...table.map((r) => (r[c] ?? '').length)));
  const line = (r: string[]): string =>
    r
      .map((cell, c) => (c === 0 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0)))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(header), rule, ...body.map(line)].join('\n');
}

export const mdCell = (s: string): string => s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

/** A GitHub-flavoured Markdown table (cells escaped). */
export function mdTable(header: string[], body: string[][], align: Array<'l' | 'r'>): string {
  const sep = align.map((a) => (a === 'r' ? '---:' : ':---'));
  return [header, sep, ...body].map((r) => `| ${r.map(mdCell).join(' | ')} |`).join('\n');
}

export interface SummaryMeta {
  runName: string;
  model: string;
  /** True when the trials come from the built-in `sim` model. */
  simulated: boolean;
  /** Arms in report order (others follow in order of first appearance). */
  armOrder?: string[];
  /** Set when the run has other slices than train: the tables cover the train slice only, and say so. */
  slice?: 'train';
}

/** The plain note that opens every report of simulated results. */
export const SIM_NOTE = 'Note: these results come from the built-in `sim` model. They describe the harness, not any real model.';

/** Said beside every dollar figure of a sim run. */
export const SIM_COST_NOTE =
  "Dollar costs of a sim run are nominal: the sim's token counts priced as if a real model had used them; no money was spent, and the wall times measure the harness.";

/** The Markdown summary: optional sim note, title, run line, completion table, per-arm effort table. */
export function renderSummaryMarkdown(rows: readonly SummaryRow[], meta: SummaryMeta): string {
  const pooled = rows.filter((r) => r.session === 'all');
  const trials = pooled.reduce((a, r) => a + r.trials, 0);
  const counted = pooled.reduce((a, r) => a + r.n, 0);
  const infra = pooled.reduce((a, r) => a + r.infra, 0);
  const sessions = sessionsOf(rows);

  const out: string[] = [];
  if (meta.simulated) out.push(SIM_NOTE, '');
  out.push(`# dreambench summary: ${meta.runName}`, '');
  out.push(
    `Run \`${meta.runName}\`, model \`${meta.model}\`: ${trials} trials ` +
      `(${counted} counted, ${infra} infrastructure failures excluded), ` +
      `${pooled.length} arm${pooled.length === 1 ? '' : 's'} × ${sessions.length} session${sessions.length === 1 ? '' : 's'}.`,
    '',
  );

  out.push('## Completion rate', '');
  out.push(
    `Share of counted trials completed, with a Wilson ${Math.round(SUMMARY_CONFIDENCE * 100)}% interval ` +
      'in brackets (trials pooled over tasks and replicates).' +
      (meta.slice ? ' Train slice only: the eval and re-test slices are under "Experimental controls" below.' : ''),
    '',
  );
  if (pooled.length === 0) {
    out.push('No trials.', '');
  } else {
    const header = ['Arm', ...sessions.map((s) => `Session ${s}`), 'All'];
    const { body } = rateGrid(rows);
    out.push(
      mdTable(
        header,
        body,
        header.map((_, i) => (i === 0 ? 'l' : 'r')),
      ),
      '',
    );

    out.push('## Effort and cost per arm', '');
    out.push(
      'Token and cost totals cover all trials, infrastructure failures included; means cover counted trials. ' +
        'Arm cost is what the arm spent after tasks (reflections, lessons).' +
        (meta.simulated ? ` ${SIM_COST_NOTE}` : ''),
      '',
    );
    const effortHeader = [
      'Arm',
      'Trials',
      'Infra',
      'Budget failures',
      'Pitfalls hit',
      'Mean turns',
      'Mean tool calls',
      'Tokens in',
      'Tokens out',
      'Cache read',
      'Cache write',
      'Tokens / trial',
      'Cost',
      'Arm cost',
      'Mean wall (s)',
    ];
    const effortBody = pooled.map((r) => [
      r.arm,
      formatNumber(r.trials),
      formatNumber(r.infra),
      formatNumber(r.budget_failures),
      formatNumber(r.pitfalls_hit),
      formatNumber(r.mean_turns, 1),
      formatNumber(r.mean_tool_calls, 1),
      formatNumber(r.tokens_in),
      formatNumber(r.tokens_out),
      formatNumber(r.cache_read),
      formatNumber(r.cache_write),
      formatNumber(r.tokens_per_trial),
      formatUsd(r.cost_usd),
      formatUsd(r.arm_cost_usd),
      formatNumber(r.mean_wall_ms / 1000, 1),
    ]);
    out.push(
      mdTable(
        effortHeader,
        effortBody,
        effortHeader.map((_, i) => (i === 0 ? 'l' : 'r')),
      ),
      '',
    );
  }
  return out.join('\n');
}

/** The summary as CSV text: header row, then one row per SummaryRow. NaN becomes an empty field. */
export function renderSummaryCsv(rows: readonly SummaryRow[]): string {
  const records = rows.map((r) =>
    SUMMARY_COLUMNS.map((col) => {
      const v = r[col];
      if (typeof v === 'string') return v;
      if (!Number.isFinite(v)) return '';
      return RATE_COLUMNS.has(col) ? String(Math.round(v * 1e4) / 1e4) : String(v);
    }),
  );
  return stringify(records, { header: true, columns: [...SUMMARY_COLUMNS] });
}

// ---------------------------------------------------------------------------------------------
// Writing

/** The reports write through the storage module's durable atomic writer (re-exported for report modules). */
export { writeFileAtomicAsync as writeFileAtomic } from '../harness/storage/run-dir.js';

/**
 * Summarize `trials` and write `<runDir>/report/summary.csv` and `<runDir>/report/summary.md`,
 * each atomically. Returns the two paths.
 */
export async function writeSummary(
  runDir: string,
  trials: readonly TrialRecord[],
  meta: SummaryMeta,
): Promise<{ csvPath: string; mdPath: string }> {
  const reportDir = join(runDir, 'report');
  await mkdir(reportDir, { recursive: true });
  // The train slice when the run has others (harness/core/slices.ts); every trial otherwise.
  const main = mainTrials(trials);
  const rows = summarize(main, meta.armOrder);
  const csvPath = join(reportDir, 'summary.csv');
  const mdPath = join(reportDir, 'summary.md');
  await writeFileAtomicAsync(csvPath, renderSummaryCsv(rows));
  const markdown = renderSummaryMarkdown(rows, main.length !== trials.length ? { ...meta, slice: 'train' } : meta);
  // Arms with a runtime cost of their own (managed-*): token and runtime cost apart, with their sources.
  const runtime = runtimeCostMarkdown(runtimeCosts(main, orderArms(main, meta.armOrder)));
  await writeFileAtomicAsync(
    mdPath,
    runtime.length
      ? `${markdown.trimEnd()}

${runtime.join('\n')}`
      : markdown,
  );
  return { csvPath, mdPath };
}
