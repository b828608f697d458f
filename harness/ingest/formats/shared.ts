// Small helpers every log reader uses: typed field access that fails with the file, line and
// field named, and conversions into the Messages-shaped blocks replay reads.

import type { ContentBlock, Message } from '../../core/messages.js';
import { LogFormatError, type LogRecord } from '../types.js';

export type Json = Record<string, unknown>;

export const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

export class FieldReader {
  constructor(
    readonly file: string,
    readonly line: number | undefined,
  ) {}

  fail(field: string, expected: string, got: unknown): never {
    const kind = got === undefined ? 'missing' : Array.isArray(got) ? 'an array' : got === null ? 'null' : `a ${typeof got}`;
    throw new LogFormatError(this.file, `expected ${expected}, got ${kind}`, this.line || undefined, field);
  }

  object(value: unknown, field: string): Json {
    return isObject(value) ? value : this.fail(field, 'an object', value);
  }

  array(value: unknown, field: string): unknown[] {
    return Array.isArray(value) ? value : this.fail(field, 'an array', value);
  }

  string(value: unknown, field: string): string {
    return typeof value === 'string' ? value : this.fail(field, 'a string', value);
  }

  optionalString(value: unknown, field: string): string | undefined {
    return value === undefined || value === null ? undefined : this.string(value, field);
  }
}

export const at = (record: LogRecord, file: string): FieldReader => new FieldReader(file, record.line);

/** Text of a content value that is a string or a list of typed blocks (text, input_text, output_text...). */
export function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((block) =>
      isObject(block) && typeof block.text === 'string'
        ? block.text
        : isObject(block) && typeof block.content === 'string'
          ? block.content
          : '',
    )
    .filter(Boolean)
    .join('\n');
}

/** Parse a tool call's arguments given as a JSON string (OpenAI) into an input object. */
export function parseArguments(raw: unknown, reader: FieldReader, field: string): Record<string, unknown> {
  if (isObject(raw)) return raw;
  if (raw === undefined || raw === null || raw === '') return {};
  const text = reader.string(raw, field);
  try {
    const value: unknown = JSON.parse(text);
    return isObject(value) ? value : { value };
  } catch {
    // Models sometimes emit arguments that are not JSON; keep them readable rather than stop.
    return { arguments: text };
  }
}

/** Appends blocks to a message list, merging consecutive blocks of the same role into one message. */
export class MessageBuilder {
  readonly messages: Message[] = [];

  push(role: Message['role'], blocks: ContentBlock[]): void {
    const kept = blocks.filter((b) => b.type !== 'text' || b.text.trim() !== '');
    if (kept.length === 0) return;
    const last = this.messages[this.messages.length - 1];
    if (last && last.role === role && typeof last.content !== 'string') last.content.push(...kept);
    else this.messages.push({ role, content: kept });
  }

  text(role: Message['role'], text: string): void {
    this.push(role, [{ type: 'text', text }]);
  }
}

/** A family name (letters, digits, dot, dash, underscore) from free text such as a project folder. */
export function familySlug(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const base =
    text
      .replace(/[\\/]+$/, '')
      .split(/[\\/]/)
      .pop() ?? '';
  const slug = base
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, 64);
  return slug || undefined;
}

/**
 * Anthropic Messages content (a string or blocks) as the blocks replay reads: text, tool_use and
 * tool_result. Thinking, images and documents carry nothing replay reads and are skipped.
 */
export function anthropicBlocks(content: unknown, reader: FieldReader, field: string): ContentBlock[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  const out: ContentBlock[] = [];
  reader.array(content, field).forEach((raw, i) => {
    const f = `${field}[${i}]`;
    const block = reader.object(raw, f);
    if (block.type === 'text') out.push({ type: 'text', text: reader.string(block.text, `${f}.text`) });
    else if (block.type === 'tool_use') {
      out.push({
        type: 'tool_use',
        id: reader.string(block.id, `${f}.id`),
        name: reader.string(block.name, `${f}.name`),
        input: isObject(block.input) ? block.input : {},
      });
    } else if (block.type === 'tool_result') {
      out.push({
        type: 'tool_result',
        tool_use_id: reader.string(block.tool_use_id, `${f}.tool_use_id`),
        content: textOf(block.content),
        ...(block.is_error === true ? { is_error: true } : {}),
      });
    }
  });
  return out;
}

/**
 * Whether a tool's output reads as a failure, for formats whose tool messages carry no error flag
 * (OpenAI's): it starts with "Error"/"Exception"/a Python traceback, or is JSON with an "error" key.
 */
export function looksLikeToolError(text: string): boolean {
  const head = text.trimStart();
  if (/^(error\b|exception\b|traceback \(most recent call last\)|fatal:)/i.test(head)) return true;
  if (!head.startsWith('{')) return false;
  try {
    const value: unknown = JSON.parse(head);
    return isObject(value) && value.error !== undefined && value.error !== null && value.error !== false;
  } catch {
    return false;
  }
}

/** A file that is one JSON array of records reads like JSON Lines of those records. */
export function splitRecordList(records: readonly LogRecord[]): LogRecord[] {
  if (records.length === 1 && records[0]!.line === 0 && Array.isArray(records[0]!.value))
    return records[0]!.value.map((value) => ({ line: 0, value }));
  return [...records];
}
