// Reading a folder (or files) of agent logs in any supported format into transcripts.
//
// Each file is parsed as one JSON document, or as JSON Lines when it is not one (line numbers are
// kept for errors); `.gz` files are gunzipped and `.br` files (dreambench's own transcripts) Brotli-
// decompressed first; Inspect's zipped `.eval` logs are unzipped. A dreambench transcript that
// references its run's shared texts gets them from the `.texts` folder above it (text-store.ts).
// With `format: 'auto'` each file's format is detected from its content (the readers' sniff
// functions, most specific first) and reported, so a user sees what was found. Nothing is written
// here: a malformed or unknown file throws LogFormatError naming the file, line and field before
// dreaming starts.

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { expandTranscriptJson, TranscriptReadError } from '../storage/transcripts.js';
import { agentSdkReader } from './formats/agent-sdk.js';
import { claudeCodeReader } from './formats/claude-code.js';
import { dreambenchReader } from './formats/dreambench.js';
import { inspectArchiveRecords, inspectReader } from './formats/inspect.js';
import { managedReader } from './formats/managed.js';
import { openaiChatReader } from './formats/openai-chat.js';
import { openaiResponsesReader } from './formats/openai-responses.js';
import { otelReader } from './formats/otel.js';
import { type IngestedTranscript, type LogFormat, LogFormatError, type LogReader, type LogRecord } from './types.js';

/** Detection order: the most specific shapes first; dreambench before openai-chat (both have `messages`). */
const READERS: readonly LogReader[] = [
  inspectReader,
  otelReader,
  managedReader,
  claudeCodeReader,
  agentSdkReader,
  openaiResponsesReader,
  dreambenchReader,
  openaiChatReader,
];
const LOG_FILE = /\.(json|jsonl|ndjson|eval)(\.gz|\.br)?$/i;

export interface ReadLogsResult {
  transcripts: IngestedTranscript[];
  /** Files per detected format, for the "found ..." line. */
  found: Partial<Record<LogFormat, number>>;
  files: number;
}

function listFiles(root: string): string[] {
  if (!existsSync(root)) throw new LogFormatError(root, 'no such file or directory');
  if (statSync(root).isFile()) return [root];
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (LOG_FILE.test(entry.name)) out.push(path);
    }
  };
  walk(root);
  return out;
}

/** A dreambench transcript file written with shared texts, with the texts filled in; any other value as it is. */
function sharedTextsFilledIn(value: unknown, file: string): unknown {
  try {
    return expandTranscriptJson(value, file);
  } catch (error) {
    if (error instanceof TranscriptReadError) throw new LogFormatError(file, error.message.slice(file.length + 2));
    throw error;
  }
}

/** A file's records: the whole file as one JSON value, else one per non-empty line. */
export function parseRecords(file: string): LogRecord[] {
  let bytes: Buffer = readFileSync(file);
  if (/\.gz$/i.test(file)) {
    try {
      bytes = gunzipSync(bytes);
    } catch (error) {
      throw new LogFormatError(file, `not a readable gzip file (${(error as Error).message})`);
    }
  } else if (/\.br$/i.test(file)) {
    try {
      bytes = brotliDecompressSync(bytes);
    } catch (error) {
      throw new LogFormatError(file, `not a readable Brotli file (${(error as Error).message})`);
    }
  }
  if (/\.eval(\.gz)?$/i.test(file)) return inspectArchiveRecords(bytes, file);
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  if (!text.trim()) throw new LogFormatError(file, 'the file is empty');
  // A .jsonl file is read line by line even when it has one line, so errors can name the line.
  let documentError: Error | undefined;
  if (!/\.(jsonl|ndjson)(\.gz|\.br)?$/i.test(file)) {
    let document: unknown;
    try {
      document = JSON.parse(text) as unknown;
    } catch (error) {
      documentError = error as Error; // perhaps JSON Lines after all
    }
    if (!documentError) return [{ line: 0, value: sharedTextsFilledIn(document, file) }];
  }
  const records: LogRecord[] = [];
  text.split('\n').forEach((raw, index) => {
    if (!raw.trim()) return;
    try {
      records.push({ line: index + 1, value: JSON.parse(raw) as unknown });
    } catch (error) {
      // A .json file that is neither one document nor JSON Lines: the document's own error says more.
      if (documentError) throw new LogFormatError(file, `not valid JSON (${documentError.message})`);
      throw new LogFormatError(file, `not valid JSON (${(error as Error).message})`, index + 1);
    }
  });
  return records;
}

export function detectFormat(records: readonly LogRecord[], file: string): LogFormat | undefined {
  return READERS.find((r) => r.sniff(records, file))?.format;
}

export function readerFor(format: LogFormat): LogReader {
  const reader = READERS.find((r) => r.format === format);
  if (!reader) throw new Error(`no reader for ${format}`);
  return reader;
}

/**
 * Read every log under the given roots. Transcripts come back oldest first (by the log's own
 * timestamps where it has them, else by path) with ids unique across files.
 */
export function readLogs(roots: readonly string[], format: LogFormat | 'auto' = 'auto'): ReadLogsResult {
  const found: Partial<Record<LogFormat, number>> = {};
  const all: Array<IngestedTranscript & { order: number }> = [];
  const owner = new Map<string, string>();
  let files = 0;
  for (const root of roots) {
    const list = listFiles(root);
    if (list.length === 0) throw new LogFormatError(root, 'no log files found (*.json, *.jsonl, *.ndjson, *.eval, optionally .gz or .br)');
    // A file whose format cannot be told (often a broken one) is read as its neighbours are, so its
    // error names the field that is wrong rather than just "unknown format".
    const parsed = list.map((file) => ({ file, records: parseRecords(file) }));
    const detections = parsed.map(({ file, records }) => (format === 'auto' ? detectFormat(records, file) : format));
    const neighbours = mostCommon(detections.filter((d): d is LogFormat => d !== undefined));
    for (const [index, { file, records }] of parsed.entries()) {
      files++;
      const detected = detections[index] ?? neighbours;
      if (!detected) {
        throw new LogFormatError(
          file,
          `unknown log format; expected one of ${READERS.map((r) => r.format).join(', ')} (name it with --format)`,
          records[0]?.line || undefined,
          '(first record)',
        );
      }
      found[detected] = (found[detected] ?? 0) + 1;
      const base = statSync(root).isFile() ? file.split(sep).pop()! : relative(root, file);
      const fallbackId = base
        .split(sep)
        .join('/')
        .replace(/\.(json|jsonl|ndjson|eval)(\.gz)?$/i, '');
      for (const t of readerFor(detected).read(records, file, fallbackId)) {
        const other = owner.get(t.id);
        if (other) throw new LogFormatError(file, `transcript id "${t.id}" is also used by ${other}`, undefined, 'id');
        owner.set(t.id, file);
        all.push({ ...t, order: all.length });
      }
    }
  }
  // Timestamps order the history only when every transcript has one; otherwise path order holds.
  if (all.every((t) => t.startedAt)) all.sort((a, b) => a.startedAt.localeCompare(b.startedAt) || a.order - b.order);
  return { transcripts: all.map(({ order: _order, ...t }) => t), found, files };
}

function mostCommon(formats: readonly LogFormat[]): LogFormat | undefined {
  const counts = new Map<LogFormat, number>();
  for (const f of formats) counts.set(f, (counts.get(f) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
}

/** "found 3 claude-code files, 1 inspect file" */
export function describeFound(result: ReadLogsResult): string {
  const parts = Object.entries(result.found).map(([format, n]) => `${n} ${format} file${n === 1 ? '' : 's'}`);
  return `read ${result.transcripts.length} transcript${result.transcripts.length === 1 ? '' : 's'} from ${parts.join(', ')}`;
}
