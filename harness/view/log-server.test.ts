// `dreambench view --logs` over real HTTP, on the sample logs of every format (examples/logs/) plus
// a dreambench transcript: the conversations table with its outcome sources, each conversation
// turn by turn with its tool calls and results, filters, search, sorting and paging, the memory a
// dream wrote from these logs linked back to its conversations, and bad logs refused before serving.

import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../core/paths.js';
import { LogFormatError } from '../ingest/types.js';
import { tempDir } from '../testing/run-helpers.js';
import { compiledViewClient, serveLogsWithMemory } from '../testing/view-fixtures.js';
import { type ConversationRow, loadLogCatalog } from './log-conversations.js';
import { LogMemoryError, readLogMemory } from './log-memory.js';
import { startViewServer, type ViewServer } from './server.js';
import type { TranscriptView } from './transcript-view.js';

const SAMPLES = join(packageRoot(), 'examples', 'logs');
const CLAUDE_SESSION = '5f0c6a1e-3b7d-4c2a-9e51-0d1f2a3b4c5d';

interface LogsAnswer {
  found: string;
  conversations: number;
  memory?: string;
  facets: { format: string[]; outcome: string[]; source: string[]; family: string[] };
  page: { total: number; offset: number; limit: number; rows: ConversationRow[] };
}
interface MemoryLink {
  entry: string;
  text: string;
  status: string;
  conversations: string[];
  known?: string[];
}
interface LogDetail {
  row: ConversationRow;
  transcript: TranscriptView;
  memory?: MemoryLink[];
}

let logs: string;
let memoryDir: string;
let server: ViewServer;
let plain: ViewServer;

async function get<T>(target: ViewServer, path: string, status = 200): Promise<T> {
  const res = await fetch(new URL(path, target.url));
  const body = (await res.json()) as T;
  expect(res.status, `${path}: ${JSON.stringify(body)}`).toBe(status);
  return body;
}
const rows = async (query: string): Promise<ConversationRow[]> => (await get<LogsAnswer>(server, `/api/logs?${query}`)).page.rows;
const blocks = (view: TranscriptView): Array<Record<string, unknown>> =>
  view.threads.flatMap((t) =>
    [...t.opening, ...t.turns.flatMap((turn) => turn.messages)].flatMap((m) =>
      Array.isArray(m.content) ? (m.content as Array<Record<string, unknown>>) : [],
    ),
  );

beforeAll(async () => {
  // The samples of every format, plus a transcript in dreambench's own shape with its outcome.
  logs = join(tempDir('dreambench-view-logs-'), 'logs');
  cpSync(SAMPLES, logs, { recursive: true });
  mkdirSync(join(logs, 'dreambench'));
  writeFileSync(
    join(logs, 'dreambench', 'trial-7.json'),
    JSON.stringify({
      trial_id: 'bench-7',
      family: 'memos',
      task: 'Write the memo',
      messages: [
        { role: 'user', content: 'Write the memo.' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'write_memo', input: { tone: 'formal' } }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: 'written' }] },
        { role: 'assistant', content: [{ type: 'text', text: 'Done.' }] },
      ],
      outcome: { success: true, feedback: [] },
    }),
  );
  memoryDir = join(tempDir('dreambench-view-logs-mem-'), 'mem');
  server = await serveLogsWithMemory([logs], memoryDir);
  plain = await startViewServer({ paths: [], port: 0, assetsDir: compiledViewClient() });
}, 120_000);

afterAll(async () => {
  await server?.close();
  await plain?.close();
});

describe('the conversations table', () => {
  it('lists every conversation of every format with its file, session id, turns and outcome source', async () => {
    const d = await get<LogsAnswer>(server, '/api/logs?limit=500');
    expect(d.conversations).toBe(13);
    expect(d.found).toMatch(/^read 13 transcripts from /);
    expect(d.facets.format).toEqual([
      'agent-sdk',
      'claude-code',
      'dreambench',
      'inspect',
      'managed',
      'openai-chat',
      'openai-responses',
      'otel',
    ]);
    const byId = new Map(d.page.rows.map((r) => [r.id, r]));
    const claude = byId.get(CLAUDE_SESSION)!;
    expect(claude).toMatchObject({ format: 'claude-code', task: 'Render the Acme NDA', turns: 6, tool_calls: 4, tool_errors: 1 });
    expect(claude.file).toMatch(/claude-code\/contracts-app\/5f0c6a1e-.*\.jsonl$/);
    // Outcomes and where they came from: a user's correction, the log's own verdict, none at all.
    expect(claude).toMatchObject({ outcome: 'not completed', outcome_source: 'signals' });
    expect(claude.feedback[0]).toMatch(/^no, dates must be written/);
    expect(byId.get('run-abc/2/epoch-1')).toMatchObject({ format: 'inspect', outcome: 'completed', outcome_source: 'log' });
    expect(byId.get('managed/sesn_01')).toMatchObject({ format: 'managed', outcome: 'completed', outcome_source: 'log' });
    expect(byId.get('sdk-7d3e1f20')).toMatchObject({ format: 'agent-sdk', outcome: 'not completed', outcome_source: 'log' });
    expect(byId.get('resp_02')).toMatchObject({ format: 'openai-responses', outcome: 'not completed', outcome_source: 'log' });
    expect(byId.get('support-4411')).toMatchObject({ format: 'openai-chat', outcome: 'unknown', outcome_source: 'none' });
    expect(byId.get('5b8aa5a2d2c872e8321cf37308d69df2')).toMatchObject({ format: 'otel', turns: 3, tool_errors: 1 });
    expect(byId.get('bench-7')).toMatchObject({ format: 'dreambench', outcome: 'completed', outcome_source: 'log', family: 'memos' });
  });

  it('filters by format, outcome and its source, searches the whole conversation, sorts and pages', async () => {
    expect((await rows('format=inspect')).map((r) => r.id)).toEqual(['run-abc/1/epoch-1', 'run-abc/2/epoch-1']);
    expect((await rows('outcome=completed')).map((r) => r.id).sort()).toEqual(['bench-7', 'managed/sesn_01', 'run-abc/2/epoch-1']);
    expect((await rows('source=signals')).map((r) => r.id).sort()).toEqual([CLAUDE_SESSION, '8a9b0c1d-2e3f-4a5b-8c7d-9e0f1a2b3c4d']);
    // Search reaches tool inputs and results, not only the requests; case does not matter.
    expect((await rows('q=LEGAL-FLAT')).map((r) => r.format)).toContain('claude-code');
    expect((await rows('q=order%205512')).map((r) => r.id)).toEqual(['support-4411']);
    expect(await rows('q=no-such-words-anywhere')).toEqual([]);
    const byTurns = (await rows('sort=turns&dir=desc')).map((r) => r.turns);
    expect(byTurns).toEqual([...byTurns].sort((a, b) => b - a));
    const page = await get<LogsAnswer>(server, '/api/logs?limit=5&offset=10');
    expect(page.page).toMatchObject({ total: 13, offset: 10, limit: 5 });
    expect(page.page.rows).toHaveLength(3);
  });
});

describe('one conversation', () => {
  it('comes turn by turn, each reply with its tool calls and the results that answer them, errors marked', async () => {
    const d = await get<LogDetail>(server, `/api/log?id=${CLAUDE_SESSION}`);
    const thread = d.transcript.threads[0]!;
    expect(d.transcript.format).toBe('claude-code');
    expect(thread.opening.map((m) => m.role)).toEqual(['user']);
    expect(thread.turns).toHaveLength(6);
    expect(thread.turns.every((t) => t.messages[0]!.role === 'assistant')).toBe(true);
    const all = blocks(d.transcript);
    expect(all.filter((b) => b.type === 'tool_use').map((b) => b.name)).toEqual(['render_docx', 'render_docx', 'Task', 'render_docx']);
    const failed = all.find((b) => b.type === 'tool_result' && b.is_error === true)!;
    expect(failed.tool_use_id).toBe('toolu_01');
    expect(String(failed.content)).toContain('rejects nested numbering');
  });

  it("carries the tokens a Claude Code log reports: the session's total and each turn's, none where a log has none", async () => {
    const d = await get<LogDetail>(server, `/api/log?id=${CLAUDE_SESSION}`);
    expect(d.row.usage).toEqual({ input_tokens: 3610, output_tokens: 702, cache_read_tokens: 26000, cache_write_tokens: 2710 });
    const turns = d.transcript.threads[0]!.turns;
    expect(turns[0]!.usage).toEqual({ input_tokens: 6, output_tokens: 164, cache_read_tokens: 11800, cache_write_tokens: 2400 });
    expect(turns.reduce((n, t) => n + (t.usage?.output_tokens ?? 0), 0)).toBe(702);
    const inspect = await get<LogDetail>(server, '/api/log?id=run-abc%2F1%2Fepoch-1');
    expect(inspect.row.usage).toBeUndefined();
    expect(inspect.transcript.threads[0]!.turns.some((t) => t.usage !== undefined)).toBe(false);
  });

  it('renders a conversation of every format, with as many turns as replies and every tool call', async () => {
    const all = (await get<LogsAnswer>(server, '/api/logs?limit=500')).page.rows;
    for (const row of all) {
      const d = await get<LogDetail>(server, `/api/log?id=${encodeURIComponent(row.id)}`);
      expect(d.row.id).toBe(row.id);
      expect(d.transcript.threads[0]!.turns, row.id).toHaveLength(row.turns);
      expect(
        blocks(d.transcript).filter((b) => b.type === 'tool_use'),
        row.id,
      ).toHaveLength(row.tool_calls);
      expect(
        blocks(d.transcript).filter((b) => b.type === 'tool_result' && b.is_error),
        row.id,
      ).toHaveLength(row.tool_errors);
    }
  });

  it('answers 404 for an unknown conversation, and for log routes on a viewer started without --logs', async () => {
    expect((await get<{ error: string }>(server, '/api/log?id=nope', 404)).error).toMatch(/no conversation "nope"/);
    expect((await get<{ error: string }>(plain, '/api/logs', 404)).error).toMatch(/--logs/);
    expect(await get<{ runs: unknown[]; logs?: unknown }>(plain, '/api/runs')).toEqual({ runs: [] });
    expect((await get<{ logs: { conversations: number } }>(server, '/api/runs')).logs.conversations).toBe(13);
  });
});

describe('memory dreamt from the logs', () => {
  it('links each memory entry to the conversations that taught it, and each conversation to its entries', async () => {
    const memory = await get<{ source: string; links: MemoryLink[] }>(server, '/api/logs-memory');
    expect(memory.source).toBe(memoryDir);
    const legalFlat = memory.links.find((l) => l.text.includes('render_docx.numbering="legal-flat"'))!;
    expect(legalFlat.status).toBe('in memory');
    expect(legalFlat.conversations).toContain(CLAUDE_SESSION);
    expect(legalFlat.known).toEqual(legalFlat.conversations);

    const d = await get<LogDetail>(server, `/api/log?id=${CLAUDE_SESSION}`);
    expect(d.memory!.map((l) => l.entry)).toContain(legalFlat.entry);
    expect(d.row.memory).toBe(d.memory!.length);
    const taught = await rows('memory=yes');
    expect(taught.map((r) => r.id)).toContain(CLAUDE_SESSION);
    expect(taught.every((r) => r.memory > 0)).toBe(true);
    expect((await rows('memory=no')).every((r) => r.memory === 0)).toBe(true);
  });

  it('reads one changeset file as well as a memory folder, and refuses anything else', () => {
    const changeset = join(memoryDir, '.dreambench', 'dreams', 'dream-001.json');
    const fromFile = readLogMemory(changeset);
    expect(fromFile.links.length).toBeGreaterThan(0);
    expect(fromFile.links.every((l) => l.status === 'in memory')).toBe(true); // applied in auto review
    const notOne = join(tempDir(), 'x.json');
    writeFileSync(notOne, '{"messages": []}');
    expect(() => readLogMemory(notOne)).toThrow(LogMemoryError);
    expect(() => readLogMemory(tempDir())).toThrow(/not a memory folder/);
  });
});

describe('bad logs', () => {
  it('stop with the file, the line and the field before anything is served', () => {
    const dir = tempDir();
    cpSync(join(SAMPLES, 'claude-code'), dir, { recursive: true });
    const file = join(dir, 'contracts-app', 'broken.jsonl');
    writeFileSync(
      file,
      `${JSON.stringify({ type: 'user', sessionId: 's-2', uuid: 'u1', timestamp: '2026-11-22T09:00:00Z', message: 'oops' })}\n`,
    );
    let caught: unknown;
    try {
      loadLogCatalog({ roots: [dir] });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(LogFormatError);
    expect((caught as Error).message).toMatch(/broken\.jsonl:1: message: expected an object, got a string/);
  });
});
