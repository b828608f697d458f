// The conversations table's filters, search, sorting and paging, done on the server like the trials
// table (harness/view/trial-query.ts): filters by format, outcome, outcome source, family and
// whether the conversation taught memory, a text search over the whole conversation (requests,
// replies, tool calls and results), a sort by any column, and pages of 50 rows. A static export (no
// server) runs the very same function in the page: `queryConversations` is self-contained (no
// imports, no outer helpers) so that harness/view/assets.ts can ship its source text as it is.

import type { ConversationRow } from './log-conversations.js';

/** Filters as the address carries them; every field optional. */
export interface LogQuery {
  format?: string;
  outcome?: string;
  source?: string;
  family?: string;
  /** 'yes': only conversations that memory entries or proposed changes cite; 'no': the others. */
  memory?: string;
  /** Case-insensitive text anywhere in the conversation. */
  q?: string;
  sort?: string;
  dir?: string;
  offset?: string;
  limit?: string;
}

export interface LogPage {
  total: number;
  offset: number;
  limit: number;
  rows: ConversationRow[];
}

export interface LogFacets {
  format: string[];
  outcome: string[];
  source: string[];
  family: string[];
}

/** Filter, search, sort and page rows; `text` holds each conversation's lower-cased searchable text. Self-contained (see above). */
export function queryConversations(rows: readonly ConversationRow[], text: ReadonlyMap<string, string>, query: LogQuery): LogPage {
  const sortable: ReadonlyArray<keyof ConversationRow> = [
    'id',
    'file',
    'format',
    'started_at',
    'task',
    'family',
    'messages',
    'turns',
    'tool_calls',
    'tool_errors',
    'outcome',
    'outcome_source',
    'memory',
  ];
  const needle = (query.q ?? '').trim().toLowerCase();
  const kept = rows.filter((row) => {
    if (query.format && row.format !== query.format) return false;
    if (query.outcome && row.outcome !== query.outcome) return false;
    if (query.source && row.outcome_source !== query.source) return false;
    if (query.family && row.family !== query.family) return false;
    if (query.memory === 'yes' && row.memory === 0) return false;
    if (query.memory === 'no' && row.memory > 0) return false;
    if (needle && !(text.get(row.id) ?? '').includes(needle)) return false;
    return true;
  });
  const key = sortable.find((k) => k === query.sort);
  const sign = query.dir === 'desc' ? -1 : 1;
  if (key) {
    // Array.prototype.sort is stable: rows that tie keep the log's own order (oldest first).
    kept.sort((a, b) => {
      const x = a[key];
      const y = b[key];
      return sign * (typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y)));
    });
  }
  const limit = Math.max(1, Math.min(500, Number(query.limit) || 50));
  const offset = Math.max(0, Math.min(Number(query.offset) || 0, Math.max(0, kept.length - 1)));
  return { total: kept.length, offset, limit, rows: kept.slice(offset, offset + limit) };
}

/** The values each filter menu offers. */
export function conversationFacets(rows: readonly ConversationRow[]): LogFacets {
  const values = (pick: (r: ConversationRow) => string): string[] => [...new Set(rows.map(pick).filter(Boolean))].sort();
  return {
    format: values((r) => r.format),
    outcome: values((r) => r.outcome),
    source: values((r) => r.outcome_source),
    family: values((r) => r.family),
  };
}
