// report/report.html: one self-contained file that opens offline (file://, no network): chart.js's
// UMD build, the page's script and style, and the data, all inline.
//
// What is embedded, and the bounds that keep the file small for large runs:
//  - every trial as a compact row (for the summary, the filters and the trial table); from
//    PACK_TRIALS_FROM trials on, gzip-compressed column by column in a sidecar script beside the
//    page (SIDECAR_FILE), so that the page itself does not grow with the run;
//  - the report model (comparisons, curves, claims, memory sizes, pitfalls, grader agreement);
//  - memory snapshots of every arm, replicate and session, as line numbers into one shared table of
//    distinct lines (memory grows by appending, so most lines repeat from session to session), and
//    the dream changesets of the same replicates (dreams/<arm>/r<rep>/session-NNN.json), whole; past
//    MEMORY_BUDGET characters of both only the first replicates of each arm are kept, and the page says so;
//  - transcripts: all of them when the run has at most ALL_TRANSCRIPTS_UP_TO trials; otherwise the
//    trials cited as evidence by dreams, then failures, then a sample of successes, each group
//    spread evenly over arms and sessions, up to TRANSCRIPT_BUDGET characters in all. Long texts in
//    a transcript are cut at TEXT_CAP characters and tool definitions are left out. A trial without
//    an embedded transcript links to its JSON file in the run directory (../transcripts/...).

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Transcript } from '../harness/agent/transcript.js';
import { tryReadTranscript } from '../harness/storage/transcripts.js';
import type { ContentBlock } from '../harness/core/messages.js';
import type { TrialRecord } from '../harness/core/records.js';
import { trialId } from '../harness/core/records.js';
import { sourcePath } from '../harness/core/paths.js';
import type { ReportModel } from './analysis.js';
import { graderVerdictOf } from './analysis.js';
import type { ChartFile } from './charts.js';
import type { RunData } from './run-data.js';

export const ALL_TRANSCRIPTS_UP_TO = 400;
export const MAX_EVIDENCE_TRANSCRIPTS = 200;
export const MAX_FAILURE_TRANSCRIPTS = 300;
export const MAX_SUCCESS_TRANSCRIPTS = 100;
// The budgets keep report.html under 5 MB whatever the run's size, with the packed trial rows.
export const TRANSCRIPT_BUDGET = 1_500_000;
export const TEXT_CAP = 4_000;
export const MEMORY_BUDGET = 1_000_000;

export const TRIAL_COLUMNS = [
  'id',
  'arm',
  'replicate',
  'session',
  'slot',
  'task',
  'suite',
  'family',
  'success',
  'score',
  'error_class',
  'turns',
  'tool_calls',
  'tokens',
  'cost_usd',
  'wall_ms',
  'pitfalls_hit',
  'pitfalls_avoided',
  'transcript',
  'grader',
  'artifacts',
] as const;

/** A text, or the index of a long text in the payload's shared pool (transcripts repeat the system prompt, the memory and the task files). */
export type PooledText = string | number;

type CompactBlock =
  | { type: 'text'; text: PooledText }
  | { type: 'tool_use'; name: string; input: PooledText }
  | { type: 'tool_result'; content: PooledText; is_error?: boolean };

export interface CompactTranscript {
  system: Array<{ text: PooledText; memory: boolean }>;
  tools: string[];
  messages: Array<{ role: string; content: CompactBlock[] }>;
  turns: number;
  outcome: Transcript['outcome'];
  checks?: TrialRecord['checks'];
  error?: string;
}

const cut = (text: string, cap = TEXT_CAP): string =>
  text.length > cap
    ? `${text.slice(0, cap)}\n[… ${text.length - cap} more characters cut from the report; the full text is in the transcript file]`
    : text;

/** Texts of POOL_MIN characters or more are stored once in the payload and referred to by index. */
export const POOL_MIN = 120;

export class TextPool {
  readonly texts: string[] = [];
  private readonly index = new Map<string, number>();
  /** Characters added to the pool so far. */
  chars = 0;
  ref(text: string): PooledText {
    if (text.length < POOL_MIN) return text;
    let i = this.index.get(text);
    if (i === undefined) {
      i = this.texts.length;
      this.texts.push(text);
      this.index.set(text, i);
      this.chars += text.length;
    }
    return i;
  }
}

export function compactTranscript(t: Transcript, record: TrialRecord | undefined, pool: TextPool): CompactTranscript {
  const text = (x: string): PooledText => pool.ref(cut(x));
  const block = (b: ContentBlock): CompactBlock => {
    if (b.type === 'text') return { type: 'text', text: text(b.text) };
    if (b.type === 'tool_use') return { type: 'tool_use', name: b.name, input: text(JSON.stringify(b.input, null, 1)) };
    // Reasoning shows as text (a redacted block has none to show).
    if (b.type === 'thinking') return { type: 'text', text: text(b.thinking ? `(thinking) ${b.thinking}` : '(thinking)') };
    if (b.type === 'redacted_thinking') return { type: 'text', text: text('(redacted thinking)') };
    return { type: 'tool_result', content: text(String(b.content)), ...(b.is_error ? { is_error: true } : {}) };
  };
  return {
    system: (t.system ?? []).map((s) => ({ text: text(s.text), memory: Boolean(s.cache) })),
    tools: (t.tools ?? []).map((x) => x.name),
    messages: (t.messages ?? []).map((m) => ({
      role: m.role,
      content: typeof m.content === 'string' ? [{ type: 'text', text: text(m.content) }] : m.content.map(block),
    })),
    turns: t.turns?.length ?? 0,
    outcome: t.outcome,
    ...(record?.checks?.length ? { checks: record.checks } : {}),
    ...(record?.error ? { error: record.error } : {}),
  };
}

/** Evenly spaced picks (deterministic), keeping the input order. */
function spread<T>(items: readonly T[], max: number): T[] {
  if (items.length <= max) return [...items];
  const out: T[] = [];
  for (let i = 0; i < max; i++) out.push(items[Math.floor((i * items.length) / max)]!);
  return out;
}

export interface TranscriptPolicy {
  total: number;
  embedded: number;
  rule: string;
  budget_reached: boolean;
}

function pickTranscripts(data: RunData): { picked: TrialRecord[]; rule: string } {
  const trials = data.trials;
  if (trials.length <= ALL_TRANSCRIPTS_UP_TO)
    return { picked: [...trials], rule: `every trial (the run has at most ${ALL_TRANSCRIPTS_UP_TO})` };
  // The ids dreams cite, then the trials holding them: no index of every trial's id (a large run has 100,000).
  const cited = new Set<string>();
  for (const d of data.dreams) for (const c of d.changeset.changes) for (const id of c.evidence ?? []) cited.add(id);
  const order = (list: TrialRecord[]) =>
    list.sort((a, b) => a.session - b.session || a.arm.localeCompare(b.arm) || a.replicate - b.replicate || a.slot - b.slot);
  const ev = spread(order(trials.filter((t) => cited.has(trialId(t)))), MAX_EVIDENCE_TRANSCRIPTS);
  const chosen = new Set(ev.map(trialId));
  const failures = spread(order(trials.filter((t) => !t.success && !chosen.has(trialId(t)))), MAX_FAILURE_TRANSCRIPTS);
  failures.forEach((t) => chosen.add(trialId(t)));
  const successes = spread(order(trials.filter((t) => t.success && !chosen.has(trialId(t)))), MAX_SUCCESS_TRANSCRIPTS);
  return {
    picked: [...ev, ...failures, ...successes],
    rule:
      `the trials cited as evidence by dreams (up to ${MAX_EVIDENCE_TRANSCRIPTS}), then failures (up to ${MAX_FAILURE_TRANSCRIPTS}), ` +
      `then successes (up to ${MAX_SUCCESS_TRANSCRIPTS}), each spread evenly over sessions and arms`,
  };
}

function embedTranscripts(data: RunData): { transcripts: Record<string, CompactTranscript>; pool: string[]; policy: TranscriptPolicy } {
  const { picked, rule } = pickTranscripts(data);
  const out: Record<string, CompactTranscript> = {};
  const pool = new TextPool();
  let size = 0;
  let budgetReached = false;
  for (const t of picked) {
    const transcript = tryReadTranscript(data.root, t.transcript);
    if (!transcript) continue;
    if (size + pool.chars > TRANSCRIPT_BUDGET) {
      budgetReached = true;
      break;
    }
    const compact = compactTranscript(transcript, t, pool);
    size += JSON.stringify(compact).length;
    out[trialId(t)] = compact;
  }
  const embedded = Object.keys(out).length;
  return {
    transcripts: out,
    pool: pool.texts,
    policy: {
      total: data.trials.length,
      embedded,
      rule: budgetReached ? `${rule}, until ${(TRANSCRIPT_BUDGET / 1e6).toFixed(0)} MB of transcript text` : rule,
      budget_reached: budgetReached,
    },
  };
}

export interface EmbeddedMemory {
  lines: string[];
  snapshots: Array<{ arm: string; replicate: number; session: number; entries: number; tokens: number; files: Record<string, number[]> }>;
  dreams: Array<{ arm: string; replicate: number; session: number; changeset: unknown }>;
  note: string | null;
}

function embedMemory(data: RunData): EmbeddedMemory {
  const index = new Map<string, number>();
  const lines: string[] = [];
  const snapshots: EmbeddedMemory['snapshots'] = [];
  // Replicates in order, so that a budget cut keeps the first replicates of every arm.
  const reps = [...new Set(data.snapshots.map((s) => s.replicate))].sort((a, b) => a - b);
  let chars = 0;
  let keptReps = 0;
  for (const rep of reps) {
    if (chars > MEMORY_BUDGET) break;
    keptReps++;
    for (const s of data.snapshots) {
      if (s.replicate !== rep) continue;
      const files: Record<string, number[]> = {};
      for (const [path, text] of Object.entries(s.files)) {
        files[path] = text.split('\n').map((line) => {
          let i = index.get(line);
          if (i === undefined) {
            i = lines.length;
            lines.push(line);
            index.set(line, i);
            chars += line.length + 3;
          }
          chars += String(i).length + 1;
          return i;
        });
      }
      snapshots.push({ arm: s.arm, replicate: s.replicate, session: s.session, entries: s.entries, tokens: s.tokens, files });
    }
    // The replicate's dream changesets go into the page too: they count against the same budget.
    for (const d of data.dreams) if (d.replicate === rep) chars += JSON.stringify(d.changeset).length;
  }
  const kept = new Set(reps.slice(0, keptReps));
  return {
    lines,
    snapshots,
    dreams: data.dreams
      .filter((d) => kept.has(d.replicate))
      .map((d) => ({ arm: d.arm, replicate: d.replicate, session: d.session, changeset: d.changeset })),
    note:
      keptReps < reps.length
        ? `Memory of replicates ${reps.slice(0, keptReps).join(', ')} only (of ${reps.length}): the rest would make the file too large; read them in memory/ and dreams/.`
        : null,
  };
}

function trialRows(trials: readonly TrialRecord[]): unknown[][] {
  return trials.map(trialRow);
}

/** How each cell of a trial row (TRIAL_COLUMNS, in order) comes from the record. */
export const TRIAL_CELLS: ReadonlyArray<(t: TrialRecord) => unknown> = [
  (t) => trialId(t),
  (t) => t.arm,
  (t) => t.replicate,
  (t) => t.session,
  (t) => t.slot,
  (t) => t.task,
  (t) => t.suite,
  (t) => t.family,
  (t) => (t.success ? 1 : 0),
  (t) => Math.round(t.score * 1000) / 1000,
  (t) => t.error_class,
  (t) => t.turns,
  (t) => t.tool_calls,
  (t) => t.input_tokens + t.output_tokens + t.cache_read_tokens + t.cache_write_tokens,
  (t) => Math.round(t.cost_usd * 1e6) / 1e6,
  (t) => t.wall_ms,
  (t) => t.pitfalls_hit,
  (t) => t.pitfalls_avoided,
  (t) => t.transcript,
  (t) => (graderVerdictOf(t) === undefined ? null : graderVerdictOf(t) ? 1 : 0),
  (t) => (t.artifacts ? t.artifacts.dir : null),
];

function trialRow(t: TrialRecord): unknown[] {
  return TRIAL_CELLS.map((cell) => cell(t));
}

/** JSON safe inside a <script> element: no `</script`, no `<!--`, and the line separators JavaScript dislikes. */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    typeof v === 'number' && !Number.isFinite(v) ? (Number.isNaN(v) ? null : v > 0 ? 'Infinity' : '-Infinity') : v,
  )
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

let chartJsSource: string | undefined;
function chartJs(): string {
  if (!chartJsSource) {
    const main = createRequire(import.meta.url).resolve('chart.js');
    chartJsSource = readFileSync(join(dirname(main), 'chart.umd.js'), 'utf8');
    if (/<\/script/i.test(chartJsSource)) chartJsSource = chartJsSource.replace(/<\/script/gi, '<\\/script');
  }
  return chartJsSource;
}

export const escapeHtml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export interface HtmlPayload {
  model: ReportModel;
  /** Small runs: the rows themselves. Large runs: no rows here (`packed`): they go to the sidecar (trials-sidecar.ts). */
  trials: { columns: readonly string[]; rows: unknown[][]; packed?: typeof PACKED_SIDECAR };
  transcripts: Record<string, CompactTranscript>;
  /** Long texts shared by the transcripts (PooledText indexes into it). */
  pool: string[];
  transcript_policy: TranscriptPolicy;
  memory: EmbeddedMemory;
  charts: ChartFile[];
}

export function buildHtmlPayload(data: RunData, model: ReportModel, charts: ChartFile[]): HtmlPayload {
  const { transcripts, pool, policy } = embedTranscripts(data);
  const pack = data.trials.length >= PACK_TRIALS_FROM;
  return {
    model,
    trials: pack ? { columns: TRIAL_COLUMNS, rows: [], packed: PACKED_SIDECAR } : { columns: TRIAL_COLUMNS, rows: trialRows(data.trials) },
    transcripts,
    pool,
    transcript_policy: policy,
    memory: embedMemory(data),
    charts,
  };
}

/**
 * The trial rows of a large run do not go into the page, which would grow with every trial: they go
 * to a sidecar script beside it, SIDECAR_FILE, gzip-compressed column by column (a column of arms or
 * sessions compresses to almost nothing) and base64-encoded. The page loads it with a plain
 * <script src>, which browsers allow from file:// (a fetch would be refused), and inflates the rows
 * with the browser's DecompressionStream before it draws anything: the report still opens offline,
 * and report.html keeps the same size whatever the number of trials. Small runs keep plain rows in
 * the page (readable in the HTML source as they are).
 */
export const PACK_TRIALS_FROM = 2_000;
export const SIDECAR_FILE = 'report-trials.js';
export const PACKED_SIDECAR = 'gzip-base64-columns-sidecar';
/** The global the sidecar sets. */
export const SIDECAR_GLOBAL = 'DREAMBENCH_REPORT_TRIALS';

export interface RenderedHtml {
  html: string;
  /** Whether the page loads its rows from SIDECAR_FILE (reports/trials-sidecar.ts writes it). */
  sidecar: boolean;
}

/** `appendix`: static HTML sections shown below the page's app (e.g. reports/grader-kinds.ts). */
export function renderHtml(payload: HtmlPayload, appendix = ''): RenderedHtml {
  const sidecar = payload.trials.packed !== undefined;
  const sidecarElement = sidecar ? `\n<script src="${SIDECAR_FILE}"></script>` : '';
  const css = readFileSync(sourcePath('reports/assets/report.css'), 'utf8');
  const js = readFileSync(sourcePath('reports/assets/report.js'), 'utf8');
  const title = `dreambench report: ${payload.model.run.name}`;
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'${sidecar ? ` 'self' file:` : ''}; style-src 'unsafe-inline'; img-src data: file:; connect-src 'none'">
<title>${escapeHtml(title)}</title>
<style>
${css}
</style>
</head>
<body>
<noscript><p>This report needs JavaScript to draw its tables and charts. The same figures are in report.md, report.json and charts/*.png beside this file.</p></noscript>
<div id="app"></div>${appendix ? `\n<main class="appendix">${appendix}</main>` : ''}
<script type="application/json" id="report-data">${scriptSafeJson(payload)}</script>${sidecarElement}
<script>
${chartJs()}
</script>
<script>
${js}
</script>
</body>
</html>
`;
  return { html, sidecar };
}
