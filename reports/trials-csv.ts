// report/trials.csv: one row per trial, for spreadsheets, R and pandas.
//
// The record's scalar fields in a fixed order, lists joined with ';', token totals, check counts,
// the arm's own usage and the grader's final verdict flattened, and then any further field a trial
// record carries (fields added by newer arms: attempts, agents, memory_stats...), in alphabetical
// order, objects as JSON. Infra trials are included
// (filter on error_class): the file is the record, not a statistic.

import { stringify } from 'csv-stringify/sync';
import type { TrialRecord } from '../harness/core/records.js';
import { trialId } from '../harness/core/records.js';

export const TRIAL_CSV_COLUMNS = [
  'trial_id',
  'arm',
  'replicate',
  'session',
  'slot',
  'task',
  'suite',
  'family',
  'model',
  'success',
  'score',
  'error_class',
  'error',
  'turns',
  'tool_calls',
  'input_tokens',
  'output_tokens',
  'cache_read_tokens',
  'cache_write_tokens',
  'total_tokens',
  'cost_usd',
  'wall_ms',
  'arm_input_tokens',
  'arm_output_tokens',
  'arm_cost_usd',
  'pitfalls_hit',
  'pitfalls_avoided',
  'checks_passed',
  'checks_total',
  'feedback',
  'grader_success',
  'grader_score',
  'transcript',
] as const;

/** Record fields covered by the fixed columns (or deliberately left out: notes can be long free text). */
const COVERED = new Set<string>([...TRIAL_CSV_COLUMNS, 'checks', 'arm_usage', 'notes', 'grader']);

function cell(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'object' ? JSON.stringify(x) : String(x))).join(';');
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

export function renderTrialsCsv(trials: readonly TrialRecord[]): string {
  return [...trialsCsvChunks(trials)].join('');
}

/** Rows per chunk of trialsCsvChunks: a large run's file is written a chunk at a time, never held whole. */
export const CSV_CHUNK_ROWS = 2_000;

/** trials.csv as consecutive chunks of whole rows (the header with the first), whose concatenation is renderTrialsCsv's text. */
export function* trialsCsvChunks(trials: readonly TrialRecord[], rowsPerChunk = CSV_CHUNK_ROWS): Generator<string> {
  const extras = new Set<string>();
  // Keys, not entries: a pair array per field of every record would be garbage by the million on a large run.
  for (const t of trials) {
    const r = t as unknown as Record<string, unknown>;
    for (const k of Object.keys(r)) if (!COVERED.has(k) && r[k] !== undefined) extras.add(k);
  }
  const extraColumns = [...extras].sort();
  const columns = [...TRIAL_CSV_COLUMNS, ...extraColumns];
  if (trials.length === 0) {
    yield stringify([], { header: true, columns });
    return;
  }
  for (let start = 0; start < trials.length; start += rowsPerChunk) {
    let text = start === 0 ? csvLine(columns) : '';
    for (const t of trials.slice(start, start + rowsPerChunk)) text += csvLine(csvRow(t, extraColumns));
    yield text;
  }
}

/**
 * One CSV line as csv-stringify writes it with its defaults (its output before this, byte for byte,
 * at several times its speed on a large run): a field holding a comma, a quote, a CR or a LF is
 * quoted, with its quotes doubled; every line ends with a LF.
 */
export function csvLine(cells: readonly string[]): string {
  let line = '';
  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i]!;
    if (i > 0) line += ',';
    line += NEEDS_QUOTES.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
  }
  return `${line}\n`;
}

const NEEDS_QUOTES = /[",\r\n]/;

function csvRow(t: TrialRecord, extraColumns: readonly string[]): string[] {
  const r = t as unknown as Record<string, unknown>;
  const fixed: Record<(typeof TRIAL_CSV_COLUMNS)[number], unknown> = {
    trial_id: trialId(t),
    arm: t.arm,
    replicate: t.replicate,
    session: t.session,
    slot: t.slot,
    task: t.task,
    suite: t.suite,
    family: t.family,
    model: t.model,
    success: t.success,
    score: t.score,
    error_class: t.error_class,
    error: t.error,
    turns: t.turns,
    tool_calls: t.tool_calls,
    input_tokens: t.input_tokens,
    output_tokens: t.output_tokens,
    cache_read_tokens: t.cache_read_tokens,
    cache_write_tokens: t.cache_write_tokens,
    total_tokens: t.input_tokens + t.output_tokens + t.cache_read_tokens + t.cache_write_tokens,
    cost_usd: t.cost_usd,
    wall_ms: t.wall_ms,
    arm_input_tokens: t.arm_usage?.input_tokens,
    arm_output_tokens: t.arm_usage?.output_tokens,
    arm_cost_usd: t.arm_usage?.cost_usd,
    pitfalls_hit: t.pitfalls_hit,
    pitfalls_avoided: t.pitfalls_avoided,
    checks_passed: t.checks?.filter((c) => c.passed).length ?? 0,
    checks_total: t.checks?.length ?? 0,
    feedback: (t.feedback ?? []).join(' | '),
    grader_success: t.grader && !t.grader.failure ? t.grader.success : undefined,
    grader_score: t.grader && !t.grader.failure ? t.grader.score : undefined,
    transcript: t.transcript,
  };
  return [...TRIAL_CSV_COLUMNS.map((c) => cell(fixed[c])), ...extraColumns.map((c) => cell(r[c]))];
}
