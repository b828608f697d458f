// What every transcript reader returns: one agent conversation in the Messages shape dreaming
// replays (harness/dreaming/replay.ts), plus where it came from and what the log itself says
// about how it went. Readers never guess an outcome: `outcome.success` is set only when the log
// states it (a score, a result event); signals and side files fill the gap later (outcomes.ts).

import type { Usage } from '../core/messages.js';
import type { TranscriptLike } from '../dreaming/replay.js';

/** The log formats `dreambench dream --format` reads. */
export const LOG_FORMATS = [
  'dreambench',
  'claude-code',
  'agent-sdk',
  'managed',
  'openai-chat',
  'openai-responses',
  'inspect',
  'otel',
] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/** Where a transcript's success/failure came from, as the dream's evidence records it. */
export type OutcomeSource = 'log' | 'outcome-file' | 'signals' | 'grader' | 'none';

export interface IngestedTranscript {
  /** Stable id: the session/conversation id the log gives, else the file's path under the root. */
  id: string;
  file: string;
  format: LogFormat;
  /** Sort key, oldest first: an ISO timestamp when the log has one, else '' (then file order). */
  startedAt: string;
  /** Number of messages: a session that grew since the last dream is replayed from here on. */
  transcript: TranscriptLike;
  outcomeSource: OutcomeSource;
  /** Token counts, when the log reports them (Claude Code does, per reply); absent otherwise, never zeros. */
  usage?: LogUsage;
}

/** What a log says its model calls consumed. */
export interface LogUsage {
  /** The whole conversation, each model reply counted once. */
  total: Usage;
  /** Per assistant message, by its index in `transcript.messages` (a reply whose blocks were all skipped counts in `total` only). */
  messages: Array<{ message: number; usage: Usage }>;
}

/** A log that cannot be read: names the file, the line (for line-based formats) and the field. */
export class LogFormatError extends Error {
  override name = 'LogFormatError';
  constructor(
    readonly file: string,
    readonly detail: string,
    readonly line?: number,
    readonly field?: string,
  ) {
    super(`${file}${line !== undefined ? `:${line}` : ''}: ${field ? `${field}: ` : ''}${detail}`);
  }
}

/** One parsed record of a file: a JSON value and the line it started on (1-based; 0 for whole-file JSON). */
export interface LogRecord {
  line: number;
  value: unknown;
}

/** A reader turns a file's records into transcripts, or throws LogFormatError. */
export interface LogReader {
  format: LogFormat;
  /** Whether the records look like this format (cheap: the first few records). */
  sniff(records: readonly LogRecord[], file: string): boolean;
  read(records: readonly LogRecord[], file: string, fallbackId: string): IngestedTranscript[];
}
