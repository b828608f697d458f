// The viewer's read-only API over external agent logs (served by `dreambench view --logs`):
//
//   /api/logs?format=&outcome=&source=&family=&memory=&q=&sort=&dir=&offset=   the conversations table
//   /api/log?id=<conversation id>        one conversation: its row, its transcript turn by turn, the memory it taught
//   /api/logs-memory                     with --memory: every memory entry or proposed change, linked to its conversations
//   /api/logs-all                        every row with its searchable text, for a static export that filters in the page
//
// Conversations come from harness/view/log-conversations.ts (read once at start), the memory links
// from harness/view/log-memory.ts.

import { NotFound } from './api.js';
import { conversationView, type ConversationRow, type LogCatalog } from './log-conversations.js';
import { linksPerConversation, type LogMemory } from './log-memory.js';
import { conversationFacets, type LogQuery, queryConversations } from './log-query.js';

export interface LogsSummary {
  found: string;
  roots: string[];
  conversations: number;
  memory?: string;
}

export interface LogApi {
  summary(): LogsSummary;
  /** The answer for a /api/log* path, or undefined when the path is not one of these routes. */
  get(path: string, params: Record<string, string>): unknown;
  /** Every conversation id, in the logs' order (what a static export writes a page for). */
  ids(): string[];
}

export function createLogApi(catalog: LogCatalog, memory?: LogMemory): LogApi {
  const counts = memory ? linksPerConversation(memory) : new Map<string, number>();
  const rows: ConversationRow[] = catalog.rows.map((r) => ({ ...r, memory: counts.get(r.id) ?? 0 }));
  const byId = new Map(rows.map((r) => [r.id, r]));
  const facets = conversationFacets(rows);
  const summary = (): LogsSummary => ({
    found: catalog.found,
    roots: catalog.roots,
    conversations: rows.length,
    ...(memory ? { memory: memory.source } : {}),
  });
  return {
    summary,
    ids: () => rows.map((r) => r.id),
    get(path, params) {
      if (path === '/api/logs') return { ...summary(), facets, page: queryConversations(rows, catalog.text, params as LogQuery) };
      if (path === '/api/log') {
        const id = params.id ?? '';
        const row = byId.get(id);
        const transcript = catalog.byId.get(id);
        if (!row || !transcript) throw new NotFound(`no conversation "${id}" in the logs served`);
        return {
          row,
          transcript: conversationView(transcript),
          memory: memory ? memory.links.filter((l) => l.conversations.includes(id)) : undefined,
        };
      }
      if (path === '/api/logs-all') return { ...summary(), facets, rows, text: Object.fromEntries(catalog.text) };
      if (path === '/api/logs-memory') {
        if (!memory) throw new NotFound('no memory folder given (start the viewer with --memory DIR)');
        return { source: memory.source, links: memory.links.map((l) => ({ ...l, known: l.conversations.filter((c) => byId.has(c)) })) };
      }
      return undefined;
    },
  };
}
