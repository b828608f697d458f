// The trials table's filtering, sorting and paging, over compact rows. The server pages with it, so a
// browser never receives every trial of a large run; the static export (no server) runs the very same
// function in the page: `queryTrials` is self-contained (no imports, no outer helpers) so that
// harness/view/assets.ts can ship its source text to the browser as it is.

import type { TrialRecord } from '../core/records.js';
import { trialId } from '../core/records.js';

export interface TrialRow {
  id: string;
  arm: string;
  replicate: number;
  session: number;
  slot: number;
  task: string;
  suite: string;
  family: string;
  slice: string;
  success: boolean;
  score: number;
  turns: number;
  tool_calls: number;
  tokens: number;
  cost_usd: number;
  wall_ms: number;
  error_class: string;
  pitfalls_hit: string[];
}

/** Filters as the URL carries them: every field optional; `success` is 'true' or 'false'. */
export interface TrialQuery {
  arm?: string;
  replicate?: string;
  session?: string;
  slot?: string;
  suite?: string;
  family?: string;
  success?: string;
  error_class?: string;
  pitfall?: string;
  task?: string;
  sort?: string;
  dir?: string;
  offset?: string;
  limit?: string;
}

export const QUERY_FIELDS = [
  'arm',
  'replicate',
  'session',
  'slot',
  'suite',
  'family',
  'success',
  'error_class',
  'pitfall',
  'task',
  'sort',
  'dir',
  'offset',
  'limit',
] as const;

export interface TrialPage {
  total: number;
  offset: number;
  limit: number;
  rows: TrialRow[];
}

export function toRow(t: TrialRecord): TrialRow {
  return {
    id: trialId(t),
    arm: t.arm,
    replicate: t.replicate,
    session: t.session,
    slot: t.slot,
    task: t.task,
    suite: t.suite,
    family: t.family,
    slice: t.slice ?? 'train',
    success: t.success,
    score: t.score,
    turns: t.turns,
    tool_calls: t.tool_calls,
    tokens: t.input_tokens + t.output_tokens,
    cost_usd: t.cost_usd,
    wall_ms: t.wall_ms,
    error_class: t.error_class,
    pitfalls_hit: t.pitfalls_hit,
  };
}

/** Filter, sort and page rows. Self-contained on purpose (see the module comment). */
export function queryTrials(rows: readonly TrialRow[], query: TrialQuery): TrialPage {
  const exact: Array<'arm' | 'suite' | 'family' | 'error_class' | 'task'> = ['arm', 'suite', 'family', 'error_class', 'task'];
  const numeric: Array<'replicate' | 'session' | 'slot'> = ['replicate', 'session', 'slot'];
  const sortable = [
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
    'turns',
    'tool_calls',
    'tokens',
    'cost_usd',
    'wall_ms',
    'error_class',
  ];
  const kept = rows.filter((row) => {
    for (const field of exact) {
      const want = query[field];
      if (want !== undefined && want !== '' && row[field] !== want) return false;
    }
    for (const field of numeric) {
      const want = query[field];
      if (want !== undefined && want !== '' && row[field] !== Number(want)) return false;
    }
    if (query.success === 'true' && !row.success) return false;
    if (query.success === 'false' && row.success) return false;
    if (query.pitfall && !row.pitfalls_hit.includes(query.pitfall)) return false;
    return true;
  });
  const key = query.sort && sortable.includes(query.sort) ? (query.sort as keyof TrialRow) : undefined;
  const sign = query.dir === 'desc' ? -1 : 1;
  const byDefault = (a: TrialRow, b: TrialRow): number =>
    a.arm.localeCompare(b.arm) || a.replicate - b.replicate || a.session - b.session || a.slot - b.slot;
  kept.sort((a, b) => {
    if (!key) return byDefault(a, b);
    const x = a[key];
    const y = b[key];
    const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
    return sign * c || byDefault(a, b);
  });
  const limit = Math.max(1, Math.min(500, Number(query.limit) || 50));
  const offset = Math.max(0, Math.min(Number(query.offset) || 0, Math.max(0, kept.length - 1)));
  return { total: kept.length, offset, limit, rows: kept.slice(offset, offset + limit) };
}

export interface TrialFacets {
  arm: string[];
  replicate: number[];
  session: number[];
  suite: string[];
  family: string[];
  error_class: string[];
  pitfall: string[];
}

/** The values each filter can take in a run (the options of the filter menus). */
export function trialFacets(rows: readonly TrialRow[]): TrialFacets {
  const sets = {
    arm: new Set<string>(),
    suite: new Set<string>(),
    family: new Set<string>(),
    error_class: new Set<string>(),
    pitfall: new Set<string>(),
  };
  const reps = new Set<number>();
  const sessions = new Set<number>();
  for (const r of rows) {
    sets.arm.add(r.arm);
    sets.suite.add(r.suite);
    sets.family.add(r.family);
    sets.error_class.add(r.error_class);
    for (const p of r.pitfalls_hit) sets.pitfall.add(p);
    reps.add(r.replicate);
    sessions.add(r.session);
  }
  const sorted = (s: Set<string>): string[] => [...s].sort();
  const nums = (s: Set<number>): number[] => [...s].sort((a, b) => a - b);
  return {
    arm: sorted(sets.arm),
    replicate: nums(reps),
    session: nums(sessions),
    suite: sorted(sets.suite),
    family: sorted(sets.family),
    error_class: sorted(sets.error_class),
    pitfall: sorted(sets.pitfall),
  };
}
