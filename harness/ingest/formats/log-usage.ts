// Token counts kept in a log, read into dreambench's Usage and counted once per model reply.
// Claude Code writes a streamed reply as one line per content block, each repeating the reply's
// `message.usage` (with the output count growing as the stream goes): lines are grouped by the
// reply's id and, within a group, each count keeps its largest value, so a reply is never counted
// once per block. Cache creation may be flat (`cache_creation_input_tokens`) or nested
// (`cache_creation.ephemeral_5m/1h_input_tokens`, the same tokens split by lifetime).

import type { Usage } from '../../core/messages.js';
import type { LogUsage } from '../types.js';
import { type FieldReader, isObject } from './shared.js';

const COUNTS = ['input_tokens', 'output_tokens', 'cache_read_tokens', 'cache_write_tokens', 'cache_write_1h_tokens'] as const;

function count(value: unknown, reader: FieldReader, field: string): number {
  if (value === undefined || value === null) return 0;
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
  return reader.fail(field, 'a token count (a number, 0 or more)', value);
}

/** An Anthropic Messages `usage` object (as Claude Code stores it under `message.usage`) as a Usage. */
export function anthropicUsage(raw: unknown, reader: FieldReader, field: string): Usage {
  const usage = reader.object(raw, field);
  const nested = isObject(usage.cache_creation) ? usage.cache_creation : undefined;
  const hour = nested ? count(nested.ephemeral_1h_input_tokens, reader, `${field}.cache_creation.ephemeral_1h_input_tokens`) : 0;
  const nestedTotal = nested
    ? count(nested.ephemeral_5m_input_tokens, reader, `${field}.cache_creation.ephemeral_5m_input_tokens`) + hour
    : 0;
  const flat = count(usage.cache_creation_input_tokens, reader, `${field}.cache_creation_input_tokens`);
  return {
    input_tokens: count(usage.input_tokens, reader, `${field}.input_tokens`),
    output_tokens: count(usage.output_tokens, reader, `${field}.output_tokens`),
    cache_read_tokens: count(usage.cache_read_input_tokens, reader, `${field}.cache_read_input_tokens`),
    // Both shapes in one object are the same tokens: the flat total when given, else the nested sum.
    cache_write_tokens: usage.cache_creation_input_tokens !== undefined && usage.cache_creation_input_tokens !== null ? flat : nestedTotal,
    ...(hour > 0 ? { cache_write_1h_tokens: hour } : {}),
  };
}

const zero = (): Usage => ({ input_tokens: 0, output_tokens: 0, cache_read_tokens: 0, cache_write_tokens: 0 });

function add(into: Usage, usage: Usage, pick: (a: number, b: number) => number): void {
  for (const key of COUNTS) {
    const value = pick(into[key] ?? 0, usage[key] ?? 0);
    if (value > 0 || key in into) into[key] = value;
  }
}

/** Collects each reply's usage (by reply id) and the assistant message it belongs to. */
export class UsageTally {
  private readonly replies = new Map<string, { usage: Usage; message?: number }>();

  /** One line's usage; `message` is the index of the assistant message its blocks went into, if any. */
  record(reply: string, usage: Usage, message: number | undefined): void {
    const seen = this.replies.get(reply);
    if (!seen) {
      this.replies.set(reply, { usage: { ...usage }, ...(message !== undefined ? { message } : {}) });
      return;
    }
    add(seen.usage, usage, Math.max);
    if (seen.message === undefined && message !== undefined) seen.message = message;
  }

  /** The conversation's usage, or undefined when no line reported any. */
  result(): LogUsage | undefined {
    if (this.replies.size === 0) return undefined;
    const total = zero();
    const perMessage = new Map<number, Usage>();
    for (const { usage, message } of this.replies.values()) {
      add(total, usage, (a, b) => a + b);
      if (message === undefined) continue;
      const into = perMessage.get(message) ?? zero();
      add(into, usage, (a, b) => a + b);
      perMessage.set(message, into);
    }
    return { total, messages: [...perMessage].sort((a, b) => a[0] - b[0]).map(([message, usage]) => ({ message, usage })) };
  }
}
