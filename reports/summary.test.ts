import { mkdtemp, readdir, readFile, rm, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TrialRecord } from '../harness/core/records.js';
import { wilsonInterval } from '../harness/stats/wilson.js';
import {
  formatRateCell,
  renderSummaryCsv,
  renderSummaryMarkdown,
  renderSummaryTable,
  SIM_NOTE,
  SUMMARY_COLUMNS,
  summarize,
  writeFileAtomic,
  writeSummary,
  type SummaryRow,
} from './summary.js';

let counter = 0;

/** A TrialRecord with plausible defaults; override what the test is about. */
function trial(over: Partial<TrialRecord> = {}): TrialRecord {
  counter++;
  return {
    arm: 'stateless',
    replicate: 0,
    session: 1,
    task: `t${counter}`,
    suite: 'demo',
    family: 'f1',
    slot: 0,
    model: 'sim:default',
    success: true,
    score: 1,
    turns: 4,
    tool_calls: 3,
    input_tokens: 1000,
    output_tokens: 200,
    cache_read_tokens: 500,
    cache_write_tokens: 100,
    cost_usd: 0.01,
    wall_ms: 2000,
    error_class: 'none',
    pitfalls_hit: [],
    pitfalls_avoided: [],
    feedback: [],
    checks: [],
    transcript: `transcripts/x/${counter}.json`,
    ...over,
  };
}

/** `k` successes then `n - k` agent failures for one arm × session. */
function batch(arm: string, session: number, k: number, n: number, over: Partial<TrialRecord> = {}): TrialRecord[] {
  return Array.from({ length: n }, (_, i) =>
    trial({
      arm,
      session,
      success: i < k,
      score: i < k ? 1 : 0,
      error_class: i < k ? 'none' : 'agent',
      ...over,
    }),
  );
}

const find = (rows: SummaryRow[], arm: string, session: number | 'all'): SummaryRow => {
  const r = rows.find((x) => x.arm === arm && x.session === session);
  if (!r) throw new Error(`no row ${arm}/${session}`);
  return r;
};

describe('summarize', () => {
  it('groups by arm × session, adds an all-sessions row per arm, orders by first appearance then session', () => {
    const trials = [
      ...batch('dreaming', 2, 3, 4),
      ...batch('stateless', 1, 1, 4),
      ...batch('dreaming', 1, 2, 4),
      ...batch('stateless', 2, 2, 4),
    ];
    const rows = summarize(trials);
    expect(rows.map((r) => `${r.arm}/${r.session}`)).toEqual([
      'dreaming/1',
      'dreaming/2',
      'dreaming/all',
      'stateless/1',
      'stateless/2',
      'stateless/all',
    ]);
    expect(find(rows, 'dreaming', 'all')).toMatchObject({ n: 8, successes: 5, rate: 5 / 8 });
    expect(find(rows, 'stateless', 1)).toMatchObject({ n: 4, successes: 1, rate: 0.25 });
  });

  it('honours an explicit arm order, with unlisted arms after it', () => {
    const trials = [...batch('a', 1, 1, 1), ...batch('b', 1, 1, 1), ...batch('c', 1, 1, 1)];
    const arms = [...new Set(summarize(trials, ['c', 'missing', 'a']).map((r) => r.arm))];
    expect(arms).toEqual(['c', 'a', 'b']);
  });

  it('sorts sessions numerically', () => {
    const trials = [...batch('a', 10, 1, 1), ...batch('a', 2, 1, 1), ...batch('a', 1, 1, 1)];
    expect(summarize(trials).map((r) => r.session)).toEqual([1, 2, 10, 'all']);
  });

  it('excludes infra trials from rates and means, counts them apart, keeps their spending in totals', () => {
    const trials = [
      ...batch('a', 1, 5, 8), // 5/8 counted
      trial({ arm: 'a', session: 1, success: false, score: 0, turns: 99, error_class: 'infra', cost_usd: 0.5 }),
      trial({ arm: 'a', session: 1, success: false, score: 0, turns: 99, error_class: 'infra', input_tokens: 0 }),
    ];
    const r = find(summarize(trials), 'a', 1);
    expect(r.trials).toBe(10);
    expect(r.n).toBe(8);
    expect(r.infra).toBe(2);
    expect(r.successes).toBe(5);
    expect(r.rate).toBe(5 / 8);
    expect(r.mean_turns).toBe(4); // the infra trials' 99 turns are not counted
    expect(r.mean_score).toBe(5 / 8);
    // Spending covers all 10 trials.
    expect(r.tokens_in).toBe(9 * 1000);
    expect(r.cost_usd).toBeCloseTo(9 * 0.01 + 0.5, 12);
    expect(r.tokens_per_trial).toBeCloseTo((9000 + 10 * (200 + 500 + 100)) / 10, 9);
  });

  it('carries Wilson 95% intervals', () => {
    const trials = [...batch('a', 1, 81, 263), ...batch('a', 2, 15, 148)];
    const rows = summarize(trials);
    const s1 = find(rows, 'a', 1);
    expect(s1.ci_lo).toBeCloseTo(0.2553, 4); // Newcombe (1998), method 3
    expect(s1.ci_hi).toBeCloseTo(0.3662, 4);
    const s2 = find(rows, 'a', 2);
    expect(s2.ci_lo).toBeCloseTo(0.0624, 4);
    expect(s2.ci_hi).toBeCloseTo(0.1605, 4);
    const all = find(rows, 'a', 'all');
    const w = wilsonInterval(96, 411);
    expect(all).toMatchObject({ n: 411, successes: 96, rate: w.rate, ci_lo: w.lo, ci_hi: w.hi });
  });

  it('computes effort, budget and pitfall columns', () => {
    const trials = [
      trial({ arm: 'a', session: 1, turns: 2, tool_calls: 1, wall_ms: 1000, pitfalls_hit: ['p1', 'p2'] }),
      trial({
        arm: 'a',
        session: 1,
        success: false,
        score: 0.5,
        turns: 6,
        tool_calls: 5,
        wall_ms: 3000,
        error_class: 'budget',
        pitfalls_hit: ['p1'],
        arm_usage: { input_tokens: 10, output_tokens: 20, cache_read_tokens: 30, cache_write_tokens: 40, cost_usd: 0.002 },
      }),
    ];
    const r = find(summarize(trials), 'a', 1);
    expect(r).toMatchObject({
      n: 2,
      successes: 1,
      mean_score: 0.75,
      mean_turns: 4,
      mean_tool_calls: 3,
      mean_wall_ms: 2000,
      budget_failures: 1,
      pitfalls_hit: 3,
      tokens_in: 2000,
      tokens_out: 400,
      cache_read: 1000,
      cache_write: 200,
      tokens_per_trial: 1800,
      arm_tokens: 100,
    });
    expect(r.cost_usd).toBeCloseTo(0.02, 12);
    expect(r.arm_cost_usd).toBeCloseTo(0.002, 12);
    expect(r.total_cost_usd).toBeCloseTo(0.022, 12);
  });

  it('a group of only infra trials has n = 0, rate NaN and interval [0, 1]', () => {
    const r = find(summarize([trial({ arm: 'a', session: 1, error_class: 'infra', success: false })]), 'a', 1);
    expect(r).toMatchObject({ n: 0, infra: 1, successes: 0, ci_lo: 0, ci_hi: 1 });
    expect(r.rate).toBeNaN();
    expect(r.mean_turns).toBeNaN();
    expect(formatRateCell(r)).toBe('–');
  });

  it('returns no rows for no trials', () => {
    expect(summarize([])).toEqual([]);
  });
});

describe('formatting', () => {
  it('formats a rate cell as "62.5% [40.9, 80.0]"', () => {
    expect(formatRateCell({ n: 8, rate: 0.625, ci_lo: 0.409, ci_hi: 0.8 })).toBe('62.5% [40.9, 80.0]');
    const w = wilsonInterval(10, 10);
    expect(formatRateCell({ n: 10, rate: w.rate, ci_lo: w.lo, ci_hi: w.hi })).toBe('100.0% [72.2, 100.0]');
    expect(formatRateCell(undefined)).toBe('–');
  });

  it('renders the terminal table with arms as rows and sessions as columns', () => {
    const rows = summarize([...batch('stateless', 1, 1, 4), ...batch('dreaming', 1, 2, 4), ...batch('dreaming', 2, 4, 4)]);
    const text = renderSummaryTable(rows);
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^arm\s+s1\s+s2\s+all$/);
    expect(lines[2]).toMatch(/^stateless\s+25\.0% \[4\.6, 69\.9\]\s+–\s+25\.0% \[4\.6, 69\.9\]$/);
    expect(lines[3]?.startsWith('dreaming')).toBe(true);
    expect(lines[3]).toContain('100.0% [51.0, 100.0]');
    expect(renderSummaryTable([])).toBe('(no trials)');
  });
});

describe('CSV and Markdown', () => {
  const trials = [
    ...batch('stateless', 1, 1, 3),
    ...batch('stateless', 2, 2, 3),
    ...batch('dreaming', 1, 2, 3),
    ...batch('dreaming', 2, 3, 3),
    trial({ arm: 'dreaming', session: 2, error_class: 'infra', success: false }),
  ];

  it('writes a header row and one line per summary row, rates to 4 decimals', () => {
    const rows = summarize(trials);
    const csv = renderSummaryCsv(rows);
    const lines = csv.trimEnd().split('\n');
    expect(lines[0]).toBe(SUMMARY_COLUMNS.join(','));
    expect(lines).toHaveLength(rows.length + 1);
    const header = lines[0]!.split(',');
    const first = lines[1]!.split(',');
    const get = (line: string[], col: string): string => line[header.indexOf(col)] ?? '';
    expect(get(first, 'arm')).toBe('stateless');
    expect(get(first, 'session')).toBe('1');
    expect(get(first, 'rate')).toBe('0.3333');
    expect(get(first, 'ci_lo')).toBe(String(Math.round(wilsonInterval(1, 3).lo * 1e4) / 1e4));
    expect(get(first, 'cost_usd')).toBe(String(rows[0]!.cost_usd)); // full precision
    const dreamingAll = lines.map((l) => l.split(',')).find((l) => l[0] === 'dreaming' && l[1] === 'all')!;
    expect(get(dreamingAll, 'n')).toBe('6');
    expect(get(dreamingAll, 'infra')).toBe('1');
    expect(get(dreamingAll, 'trials')).toBe('7');
  });

  it('writes NaN as an empty field', () => {
    const csv = renderSummaryCsv(summarize([trial({ error_class: 'infra', success: false })]));
    const [head, row] = csv
      .trimEnd()
      .split('\n')
      .map((l) => l.split(','));
    expect(row![head!.indexOf('rate')]).toBe('');
    expect(row![head!.indexOf('ci_hi')]).toBe('1');
  });

  it('opens with the sim note only when simulated', () => {
    const rows = summarize(trials);
    const sim = renderSummaryMarkdown(rows, { runName: 'r1', model: 'sim:default', simulated: true });
    expect(sim.startsWith(SIM_NOTE)).toBe(true);
    expect(sim).toContain('`sim`');
    const real = renderSummaryMarkdown(rows, { runName: 'r1', model: 'anthropic:x', simulated: false });
    expect(real).not.toContain(SIM_NOTE);
    expect(real).not.toContain('built-in `sim`');
    expect(real.startsWith('# ')).toBe(true);
  });

  it('has the run line, the completion table and the per-arm effort table', () => {
    const md = renderSummaryMarkdown(summarize(trials), { runName: 'r1', model: 'sim:default', simulated: false });
    expect(md).toContain('`r1`');
    expect(md).toContain('`sim:default`');
    expect(md).toContain('13 trials (12 counted, 1 infrastructure failures excluded)');
    expect(md).toContain('| Arm | Session 1 | Session 2 | All |');
    expect(md).toContain(`| stateless | ${formatRateCell(find(summarize(trials), 'stateless', 1))} |`);
    expect(md).toMatch(/\| Arm \| Trials \| Infra \| Budget failures \|/);
    expect(md).toMatch(/\| dreaming \| 7 \| 1 \| 0 \|/);
  });

  it('escapes pipes in arm names', () => {
    const md = renderSummaryMarkdown(summarize(batch('a|b', 1, 1, 1)), { runName: 'r', model: 'm', simulated: false });
    expect(md).toContain('| a\\|b |');
  });
});

describe('writeSummary', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dreambench-summary-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes report/summary.csv and report/summary.md and leaves no temp files', async () => {
    const trials = [...batch('stateless', 1, 1, 2), ...batch('dreaming', 1, 2, 2)];
    const meta = { runName: 'r1', model: 'sim:default', simulated: true, armOrder: ['dreaming'] };
    const { csvPath, mdPath } = await writeSummary(dir, trials, meta);
    expect(csvPath).toBe(join(dir, 'report', 'summary.csv'));
    expect(mdPath).toBe(join(dir, 'report', 'summary.md'));
    // Overwrite: still no stray files.
    await writeSummary(dir, trials, meta);
    expect((await readdir(join(dir, 'report'))).sort()).toEqual(['summary.csv', 'summary.md']);

    const csv = await readFile(csvPath, 'utf8');
    expect(csv.split('\n')[0]).toBe(SUMMARY_COLUMNS.join(','));
    expect(csv.split('\n')[1]?.startsWith('dreaming,1,')).toBe(true); // armOrder honoured
    const md = await readFile(mdPath, 'utf8');
    expect(md.startsWith(SIM_NOTE)).toBe(true);
  });

  it('removes its temp file when the write fails', async () => {
    const target = join(dir, 'occupied');
    await mkdir(join(target, 'child'), { recursive: true }); // a non-empty directory: rename fails
    await expect(writeFileAtomic(target, 'x')).rejects.toThrow();
    expect(await readdir(dir)).toEqual(['occupied']);
  });
});
