// The conversations table's query, as the server runs it and as a static export ships it to the
// page: filters, text search, sorting and paging, and the same answers from the shipped source text.

import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { logQueryScript } from './assets.js';
import type { ConversationRow } from './log-conversations.js';
import { type LogQuery, queryConversations } from './log-query.js';

const row = (id: string, over: Partial<ConversationRow>): ConversationRow => ({
  id,
  file: `logs/${id}.jsonl`,
  format: 'claude-code',
  started_at: '2026-11-20T09:00:00Z',
  task: id,
  family: 'contracts',
  request: '',
  messages: 4,
  turns: 2,
  tool_calls: 1,
  tool_errors: 0,
  outcome: 'unknown',
  outcome_source: 'none',
  feedback: [],
  memory: 0,
  ...over,
});

const rows: ConversationRow[] = [
  row('a', { turns: 5, outcome: 'completed', outcome_source: 'log' }),
  row('b', { format: 'inspect', family: 'math', turns: 1, memory: 2 }),
  row('c', { format: 'inspect', family: 'math', turns: 3, outcome: 'not completed', outcome_source: 'signals' }),
  row('d', { format: 'openai-chat', turns: 2 }),
];
const text = new Map([
  ['a', 'render the nda\nrender_docx {"numbering":"legal"}'],
  ['b', 'what is 2+2'],
  ['c', 'integrate x^2 order 5512'],
  ['d', 'refund order 5512'],
]);
const ids = (q: LogQuery): string[] => queryConversations(rows, text, q).rows.map((r) => r.id);

describe('the conversations query', () => {
  it('filters by format, outcome, outcome source, family and taught memory', () => {
    expect(ids({ format: 'inspect' })).toEqual(['b', 'c']);
    expect(ids({ outcome: 'completed' })).toEqual(['a']);
    expect(ids({ source: 'signals' })).toEqual(['c']);
    expect(ids({ family: 'contracts', memory: 'no' })).toEqual(['a', 'd']);
    expect(ids({ memory: 'yes' })).toEqual(['b']);
  });

  it('searches the whole conversation text, case-insensitively', () => {
    expect(ids({ q: 'ORDER 5512' })).toEqual(['c', 'd']);
    expect(ids({ q: 'numbering' })).toEqual(['a']);
  });

  it('sorts by a column both ways, keeping the log order on ties, and ignores unknown columns', () => {
    expect(ids({ sort: 'turns', dir: 'desc' })).toEqual(['a', 'c', 'd', 'b']);
    expect(ids({ sort: 'format' })).toEqual(['a', 'b', 'c', 'd']);
    expect(ids({ sort: 'constructor' })).toEqual(['a', 'b', 'c', 'd']);
  });

  it('gives the same answers when shipped to the browser as source text', () => {
    const context: { queryConversations?: (rows: ConversationRow[], text: Map<string, string>, q: LogQuery) => unknown } = {};
    runInNewContext(logQueryScript(), context);
    const queries: LogQuery[] = [{}, { format: 'inspect', sort: 'turns', dir: 'desc' }, { q: 'order' }, { offset: '1', limit: '2' }];
    for (const q of queries)
      expect(JSON.parse(JSON.stringify(context.queryConversations!(rows, text, q)))).toEqual(queryConversations(rows, text, q));
  });
});
