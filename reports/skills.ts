// Does a bigger skill library make the agent faster? ("faster after 20+ skills", e.g. -40% time per
// task.) Turns, tokens and wall time per completed task as a function of the library's size when the
// task ran (record.memory_stats.library_size, written by arms with a skill library: skills, or
// compose with memory: skills), binned, per arm. Trials without a library size are not counted;
// infrastructure failures never are.
//
// Two views per bin: the mean over completed trials ("time per completed task") and the bin's total
// over every counted trial divided by its completions ("cost per completion", which also charges the
// failed tries). A bigger library usually comes later in a run, so a drop mixes the library's effect
// with everything else that improves over sessions: compare with a control arm's curve over sessions.
// With sim, these figures measure the harness, not a model.

import type { TrialRecord } from '../harness/core/records.js';

/** Lower edges of the bins: [0, 1, 5, 10, 20] gives 0, 1-4, 5-9, 10-19, 20+. */
export const DEFAULT_LIBRARY_BINS = [0, 1, 5, 10, 20] as const;

export interface LibraryBinRow {
  arm: string;
  /** e.g. "5-9", "20+". */
  bin: string;
  /** Inclusive lower and upper library sizes of the bin (upper null: open). */
  from: number;
  to: number | null;
  trials: number;
  completed: number;
  completion_rate: number;
  /** Means over completed trials (null when none completed). */
  turns_per_completed: number | null;
  tokens_per_completed: number | null;
  wall_ms_per_completed: number | null;
  /** Bin totals over every counted trial, divided by completions (null when none completed). */
  turns_per_completion: number | null;
  tokens_per_completion: number | null;
  wall_ms_per_completion: number | null;
  /** Relative change of the per-completed means against the arm's first bin with completions (e.g. -0.4 = 40% less). */
  turns_change: number | null;
  tokens_change: number | null;
  wall_ms_change: number | null;
}

export const totalTokens = (r: TrialRecord): number => r.input_tokens + r.output_tokens + r.cache_read_tokens + r.cache_write_tokens;

export function librarySize(record: TrialRecord): number | undefined {
  const size = record.memory_stats?.library_size;
  return typeof size === 'number' && Number.isFinite(size) ? size : undefined;
}

function binLabel(from: number, to: number | null): string {
  if (to === null) return `${from}+`;
  return from === to ? `${from}` : `${from}-${to}`;
}

const mean = (xs: readonly number[]): number | null => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
const change = (value: number | null, base: number | null): number | null => (value === null || base === null || base === 0 ? null : value / base - 1);

/** Rows per arm (in first-seen order) and bin (ascending); bins without trials are left out. */
export function skillsScaling(records: readonly TrialRecord[], bins: readonly number[] = DEFAULT_LIBRARY_BINS): LibraryBinRow[] {
  const edges = [...new Set(bins)].sort((a, b) => a - b);
  if (edges.length === 0 || edges[0]! < 0) throw new Error('library bins must be non-negative lower edges, e.g. [0, 1, 5, 10, 20]');
  const binOf = (size: number): number => {
    let index = -1;
    edges.forEach((edge, i) => {
      if (size >= edge) index = i;
    });
    return index;
  };
  const arms: string[] = [];
  const groups = new Map<string, TrialRecord[]>();
  for (const record of records) {
    const size = librarySize(record);
    if (size === undefined || record.error_class === 'infra') continue;
    const bin = binOf(size);
    if (bin < 0) continue;
    if (!arms.includes(record.arm)) arms.push(record.arm);
    const key = `${record.arm}\u0000${bin}`;
    groups.set(key, [...(groups.get(key) ?? []), record]);
  }
  const rows: LibraryBinRow[] = [];
  for (const arm of arms) {
    let base: { turns: number | null; tokens: number | null; wall: number | null } | undefined;
    edges.forEach((from, i) => {
      const trials = groups.get(`${arm}\u0000${i}`);
      if (!trials?.length) return;
      const to = i + 1 < edges.length ? edges[i + 1]! - 1 : null;
      const done = trials.filter((t) => t.success);
      const perCompleted = {
        turns: mean(done.map((t) => t.turns)),
        tokens: mean(done.map(totalTokens)),
        wall: mean(done.map((t) => t.wall_ms)),
      };
      const per = (f: (t: TrialRecord) => number): number | null => (done.length ? trials.reduce((sum, t) => sum + f(t), 0) / done.length : null);
      if (!base && done.length) base = perCompleted;
      rows.push({
        arm,
        bin: binLabel(from, to),
        from,
        to,
        trials: trials.length,
        completed: done.length,
        completion_rate: done.length / trials.length,
        turns_per_completed: perCompleted.turns,
        tokens_per_completed: perCompleted.tokens,
        wall_ms_per_completed: perCompleted.wall,
        turns_per_completion: per((t) => t.turns),
        tokens_per_completion: per(totalTokens),
        wall_ms_per_completion: per((t) => t.wall_ms),
        turns_change: change(perCompleted.turns, base?.turns ?? null),
        tokens_change: change(perCompleted.tokens, base?.tokens ?? null),
        wall_ms_change: change(perCompleted.wall, base?.wall ?? null),
      });
    });
  }
  return rows;
}

export interface ThresholdEffect {
  arm: string;
  threshold: number;
  below: { completed: number; turns: number | null; tokens: number | null; wall_ms: number | null };
  at_or_above: { completed: number; turns: number | null; tokens: number | null; wall_ms: number | null };
  /** at_or_above / below - 1, per metric (null when either side has no completed trial). */
  turns_change: number | null;
  tokens_change: number | null;
  wall_ms_change: number | null;
}

/** The claim's own split: completed tasks with a library below `threshold` skills vs at or above it. */
export function thresholdEffect(records: readonly TrialRecord[], threshold = 20): ThresholdEffect[] {
  const arms: string[] = [];
  for (const r of records) if (librarySize(r) !== undefined && !arms.includes(r.arm)) arms.push(r.arm);
  return arms.map((arm) => {
    const done = records.filter((r) => r.arm === arm && r.success && r.error_class === 'none' && librarySize(r) !== undefined);
    const side = (rows: TrialRecord[]) => ({
      completed: rows.length,
      turns: mean(rows.map((t) => t.turns)),
      tokens: mean(rows.map(totalTokens)),
      wall_ms: mean(rows.map((t) => t.wall_ms)),
    });
    const below = side(done.filter((r) => librarySize(r)! < threshold));
    const above = side(done.filter((r) => librarySize(r)! >= threshold));
    return {
      arm,
      threshold,
      below,
      at_or_above: above,
      turns_change: change(above.turns, below.turns),
      tokens_change: change(above.tokens, below.tokens),
      wall_ms_change: change(above.wall_ms, below.wall_ms),
    };
  });
}

const fmt = (x: number | null, digits = 1): string => (x === null ? 'n/a' : x.toFixed(digits));
const pct = (x: number | null): string => (x === null ? 'n/a' : `${x >= 0 ? '+' : ''}${(x * 100).toFixed(0)}%`);

/** A Markdown table of the rows (for a report section). */
export function renderSkillsScaling(rows: readonly LibraryBinRow[]): string {
  const lines = [
    '| arm | library size | trials | completed | turns / completed | tokens / completed | wall ms / completed | turns | tokens | wall |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${r.arm} | ${r.bin} | ${r.trials} | ${r.completed} | ${fmt(r.turns_per_completed)} | ${fmt(r.tokens_per_completed, 0)} | ${fmt(r.wall_ms_per_completed, 0)} | ${pct(r.turns_change)} | ${pct(r.tokens_change)} | ${pct(r.wall_ms_change)} |`,
    ),
  ];
  return `${lines.join('\n')}\n\nChanges are against the arm's first bin with a completed task. A bigger library comes later in a run: compare with a control arm over sessions before crediting the library.\n`;
}
