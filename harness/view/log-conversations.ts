// Agent logs kept outside dreambench (Claude Code sessions, Agent SDK and Managed Agents events,
// OpenAI, Inspect, OpenTelemetry) as the viewer's conversations: read once at start through the
// same readers `dreambench dream --logs` uses (harness/ingest), with outcomes filled the same way
// (the log's own, an outcome side file, the log's signals), so the viewer shows what a dream reads.
// A bad file throws LogFormatError (file, line, field) before any server starts.

import type { ContentBlock, Message, Usage } from '../core/messages.js';
import { applyOutcomes, type OutcomeEntry } from '../ingest/outcomes.js';
import { describeFound, readLogs } from '../ingest/read.js';
import type { IngestedTranscript, LogFormat, OutcomeSource } from '../ingest/types.js';
import { type TranscriptView, viewTranscript } from './transcript-view.js';

export type ConversationOutcome = 'completed' | 'not completed' | 'unknown';

/** One row of the conversations table. */
export interface ConversationRow {
  /** The session/conversation id the log gives (what a dream's provenance cites). */
  id: string;
  file: string;
  format: LogFormat;
  /** ISO timestamp when the log has one, else ''. */
  started_at: string;
  task: string;
  family: string;
  /** The first user request, shortened. */
  request: string;
  messages: number;
  /** Assistant messages: one model reply each. */
  turns: number;
  tool_calls: number;
  tool_errors: number;
  outcome: ConversationOutcome;
  outcome_source: OutcomeSource;
  feedback: string[];
  /** Tokens the log reports for the whole conversation (Claude Code sessions); absent when it reports none. */
  usage?: Usage;
  /** Memory entries and proposed changes that cite this conversation (0 without --memory). */
  memory: number;
}

export interface LogCatalog {
  roots: string[];
  /** "read 12 transcripts from 2 claude-code files, ..." */
  found: string;
  files: number;
  rows: ConversationRow[];
  byId: Map<string, IngestedTranscript>;
  /** Lower-cased searchable text of each conversation (requests, replies, tool calls and results). */
  text: Map<string, string>;
}

export interface LogCatalogOptions {
  roots: readonly string[];
  format?: LogFormat | 'auto';
  outcomes?: Map<string, OutcomeEntry>;
  /** Read outcomes from the logs' signals (a user's correction, a test run's result); default true. */
  signals?: boolean;
}

const blocksOf = (m: Message): ContentBlock[] => (typeof m.content === 'string' ? [{ type: 'text', text: m.content }] : m.content);

function textOfBlock(b: ContentBlock): string {
  switch (b.type) {
    case 'text':
      return b.text;
    case 'tool_use':
      return `${b.name} ${JSON.stringify(b.input ?? {})}`;
    case 'tool_result':
      return typeof b.content === 'string' ? b.content : JSON.stringify(b.content);
    case 'thinking':
      return b.thinking;
    default:
      return '';
  }
}

function firstRequest(messages: readonly Message[]): string {
  const first = messages.find((m) => m.role === 'user' && blocksOf(m).some((b) => b.type === 'text'));
  const text = first
    ? blocksOf(first)
        .map((b) => (b.type === 'text' ? b.text : ''))
        .join(' ')
    : '';
  return text.replace(/\s+/g, ' ').trim().slice(0, 160);
}

function rowOf(t: IngestedTranscript): ConversationRow {
  const messages = t.transcript.messages;
  let toolCalls = 0;
  let toolErrors = 0;
  for (const m of messages)
    for (const b of blocksOf(m)) {
      if (b.type === 'tool_use') toolCalls++;
      if (b.type === 'tool_result' && b.is_error) toolErrors++;
    }
  const success = t.transcript.outcome?.success;
  return {
    id: t.id,
    file: t.file,
    format: t.format,
    started_at: t.startedAt,
    task: t.transcript.task ?? t.id,
    family: t.transcript.family ?? '',
    request: firstRequest(messages),
    messages: messages.length,
    turns: messages.filter((m) => m.role === 'assistant').length,
    tool_calls: toolCalls,
    tool_errors: toolErrors,
    outcome: success === true ? 'completed' : success === false ? 'not completed' : 'unknown',
    outcome_source: success === undefined ? 'none' : t.outcomeSource,
    feedback: t.transcript.outcome?.feedback ?? [],
    ...(t.usage ? { usage: t.usage.total } : {}),
    memory: 0,
  };
}

function searchText(t: IngestedTranscript): string {
  const parts = [t.id, t.file, t.transcript.task ?? '', t.transcript.family ?? ''];
  for (const m of t.transcript.messages) for (const b of blocksOf(m)) parts.push(textOfBlock(b));
  return parts.join('\n').toLowerCase();
}

/** Read every log under the roots. Throws LogFormatError for an unknown or malformed file. */
export function loadLogCatalog(options: LogCatalogOptions): LogCatalog {
  const read = readLogs(options.roots, options.format ?? 'auto');
  const transcripts = applyOutcomes(read.transcripts, {
    ...(options.outcomes ? { file: options.outcomes } : {}),
    signals: options.signals ?? true,
  });
  return {
    roots: [...options.roots],
    found: describeFound(read),
    files: read.files,
    rows: transcripts.map(rowOf),
    byId: new Map(transcripts.map((t) => [t.id, t])),
    text: new Map(transcripts.map((t) => [t.id, searchText(t)])),
  };
}

/**
 * A log conversation in the viewer's transcript shape: logs carry no per-turn records, so each
 * assistant message opens a turn (its reply, then the tool results and user messages that follow
 * it), and what comes before the first reply is the opening. A turn carries its reply's token
 * counts when the log reports them. The page then renders it exactly as it renders a dreambench
 * transcript.
 */
export function conversationView(t: IngestedTranscript): TranscriptView {
  const messages = t.transcript.messages;
  const usage = new Map((t.usage?.messages ?? []).map((u) => [u.message, u.usage]));
  const turns = messages.flatMap((m, i) => {
    if (m.role !== 'assistant') return [];
    const counted = usage.get(i);
    return [{ request_messages: i, ...(counted ? { usage: counted } : {}) }];
  });
  return viewTranscript({ format: t.format, messages, turns });
}
