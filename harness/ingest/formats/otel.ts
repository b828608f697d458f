// OpenTelemetry GenAI spans exported as JSON: an OTLP export (`{resourceSpans: [{resource,
// scopeSpans: [{spans}]}]}`, one a line or one a file) or a flat list of spans (`[...]` or
// `{spans: [...]}`), attributes as OTLP key/value lists or plain objects. One trace (or one
// gen_ai.conversation.id) is one transcript. Following the GenAI semantic conventions:
//  - chat spans carry the conversation in gen_ai.input.messages / gen_ai.output.messages (JSON
//    arrays of {role, parts: [{type: text|tool_call|tool_call_response, ...}]}); the chat span with
//    the longest input holds the whole history, so it is the one read;
//  - execute_tool spans (gen_ai.tool.name, gen_ai.tool.call.id, .arguments, .result) give the tool
//    calls when no chat span carries messages, and mark a call failed when the span's status is
//    ERROR or it has error.type.
// The older event-based convention (gen_ai.user.message events) is not read.

import { LogFormatError, type IngestedTranscript, type LogReader, type LogRecord } from '../types.js';
import { FieldReader, familySlug, isObject, type Json, MessageBuilder, parseArguments } from './shared.js';

type Attributes = Record<string, unknown>;

interface Span {
  traceId: string;
  start: bigint;
  name: string;
  attributes: Attributes;
  error: boolean;
  statusMessage: string;
  service?: string;
}

function attributeValue(value: unknown): unknown {
  if (!isObject(value)) return value;
  if ('stringValue' in value) return value.stringValue;
  if ('intValue' in value) return Number(value.intValue);
  if ('doubleValue' in value) return value.doubleValue;
  if ('boolValue' in value) return value.boolValue;
  if (isObject(value.arrayValue) && Array.isArray(value.arrayValue.values)) return value.arrayValue.values.map(attributeValue);
  return value;
}

function attributesOf(raw: unknown): Attributes {
  if (Array.isArray(raw)) return Object.fromEntries(raw.filter(isObject).map((kv) => [String(kv.key), attributeValue(kv.value)]));
  return isObject(raw) ? raw : {};
}

function spanOf(raw: unknown, reader: FieldReader, field: string, service?: string): Span {
  const span = reader.object(raw, field);
  const status = isObject(span.status) ? span.status : {};
  const code = status.code ?? status.status_code;
  const attributes = attributesOf(span.attributes);
  return {
    traceId: reader.string(
      span.traceId ?? span.trace_id ?? (isObject(span.context) ? span.context.trace_id : undefined),
      `${field}.traceId`,
    ),
    start: BigInt(String(span.startTimeUnixNano ?? span.start_time_unix_nano ?? 0).replace(/\D/g, '') || '0'),
    name: typeof span.name === 'string' ? span.name : '',
    attributes,
    error: code === 2 || code === 'STATUS_CODE_ERROR' || code === 'ERROR' || attributes['error.type'] !== undefined,
    statusMessage: typeof status.message === 'string' ? status.message : '',
    ...(service ? { service } : {}),
  };
}

function spansOf(records: readonly LogRecord[], file: string): Span[] {
  const out: Span[] = [];
  for (const record of records) {
    const reader = new FieldReader(file, record.line || undefined);
    const value = record.value;
    const exports = Array.isArray(value) && value.every((v) => isObject(v) && 'resourceSpans' in v) ? value : [value];
    for (const item of exports) {
      if (isObject(item) && Array.isArray(item.resourceSpans)) {
        item.resourceSpans.forEach((rs, i) => {
          const resource = reader.object(rs, `resourceSpans[${i}]`);
          const service = attributesOf(isObject(resource.resource) ? resource.resource.attributes : undefined)['service.name'];
          const scopes = Array.isArray(resource.scopeSpans)
            ? resource.scopeSpans
            : Array.isArray(resource.instrumentationLibrarySpans)
              ? resource.instrumentationLibrarySpans
              : [];
          scopes.forEach((ss, j) => {
            const scope = reader.object(ss, `resourceSpans[${i}].scopeSpans[${j}]`);
            reader
              .array(scope.spans ?? [], `resourceSpans[${i}].scopeSpans[${j}].spans`)
              .forEach((s, k) =>
                out.push(
                  spanOf(s, reader, `resourceSpans[${i}].scopeSpans[${j}].spans[${k}]`, typeof service === 'string' ? service : undefined),
                ),
              );
          });
        });
      } else {
        const list = Array.isArray(item) ? item : isObject(item) && Array.isArray(item.spans) ? item.spans : undefined;
        if (!list)
          throw new LogFormatError(
            file,
            'expected an OTLP export (resourceSpans) or a list of spans',
            record.line || undefined,
            '(top level)',
          );
        list.forEach((s, k) => out.push(spanOf(s, reader, `spans[${k}]`)));
      }
    }
  }
  return out;
}

const operation = (span: Span): string => String(span.attributes['gen_ai.operation.name'] ?? span.name.split(' ')[0] ?? '');

function parseMessages(raw: unknown, reader: FieldReader, field: string): Json[] {
  if (raw === undefined) return [];
  let value: unknown = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      reader.fail(field, 'a JSON array of messages', raw);
    }
  }
  return reader.array(value, field).filter(isObject);
}

function appendChatMessage(builder: MessageBuilder, message: Json, reader: FieldReader, field: string, failed: ReadonlySet<string>): void {
  const role = String(message.role ?? '');
  if (role === 'system') return;
  const parts = Array.isArray(message.parts) ? message.parts.filter(isObject) : [];
  for (const part of parts) {
    if (part.type === 'text' && typeof part.content === 'string') builder.text(role === 'assistant' ? 'assistant' : 'user', part.content);
    else if (part.type === 'tool_call') {
      builder.push('assistant', [
        {
          type: 'tool_use',
          id: reader.string(part.id, `${field}.parts.id`),
          name: reader.string(part.name, `${field}.parts.name`),
          input: parseArguments(part.arguments, reader, `${field}.parts.arguments`),
        },
      ]);
    } else if (part.type === 'tool_call_response') {
      const id = reader.string(part.id, `${field}.parts.id`);
      const content = typeof part.response === 'string' ? part.response : JSON.stringify(part.response ?? '');
      builder.push('user', [{ type: 'tool_result', tool_use_id: id, content, ...(failed.has(id) ? { is_error: true } : {}) }]);
    }
  }
}

function traceTranscript(id: string, spans: Span[], file: string): IngestedTranscript | undefined {
  const reader = new FieldReader(file, undefined);
  const tools = spans.filter((s) => operation(s) === 'execute_tool');
  const failed = new Set(tools.filter((s) => s.error).map((s) => String(s.attributes['gen_ai.tool.call.id'] ?? '')));
  const chats = spans.filter(
    (s) => s.attributes['gen_ai.input.messages'] !== undefined || s.attributes['gen_ai.output.messages'] !== undefined,
  );
  const builder = new MessageBuilder();
  if (chats.length) {
    const sized = chats.map((span) => ({
      span,
      input: parseMessages(span.attributes['gen_ai.input.messages'], reader, `${span.name}: gen_ai.input.messages`),
    }));
    const last = sized.reduce((best, next) => (next.input.length >= best.input.length ? next : best));
    last.input.forEach((m, i) => appendChatMessage(builder, m, reader, `gen_ai.input.messages[${i}]`, failed));
    parseMessages(last.span.attributes['gen_ai.output.messages'], reader, 'gen_ai.output.messages').forEach((m, i) =>
      appendChatMessage(builder, m, reader, `gen_ai.output.messages[${i}]`, failed),
    );
  } else {
    tools.forEach((span, i) => {
      const callId = String(span.attributes['gen_ai.tool.call.id'] ?? `call-${i + 1}`);
      const name = String(span.attributes['gen_ai.tool.name'] ?? span.name.replace(/^execute_tool\s*/, '') ?? 'tool');
      builder.push('assistant', [
        {
          type: 'tool_use',
          id: callId,
          name,
          input: parseArguments(span.attributes['gen_ai.tool.call.arguments'], reader, 'gen_ai.tool.call.arguments'),
        },
      ]);
      const result = span.attributes['gen_ai.tool.call.result'];
      const content = [
        typeof result === 'string' ? result : result === undefined ? '' : JSON.stringify(result),
        span.error ? span.statusMessage || String(span.attributes['error.type'] ?? '') : '',
      ]
        .filter(Boolean)
        .join('\n');
      builder.push('user', [{ type: 'tool_result', tool_use_id: callId, content, ...(span.error ? { is_error: true } : {}) }]);
    });
  }
  if (builder.messages.length === 0) return undefined;
  const first = spans[0]!;
  const family = familySlug(String(first.attributes['gen_ai.agent.name'] ?? first.service ?? ''));
  return {
    id,
    file,
    format: 'otel',
    startedAt: first.start > 0n ? new Date(Number(first.start / 1_000_000n)).toISOString() : '',
    outcomeSource: 'none',
    transcript: { trial_id: id, ...(family ? { family } : {}), task: id, messages: builder.messages },
  };
}

export const otelReader: LogReader = {
  format: 'otel',
  sniff: (records) =>
    records.slice(0, 3).some((r) => {
      const v = r.value;
      if (isObject(v) && Array.isArray(v.resourceSpans)) return true;
      const list = Array.isArray(v) ? v : isObject(v) && Array.isArray(v.spans) ? v.spans : [];
      return list.slice(0, 5).some((s) => isObject(s) && ('traceId' in s || 'trace_id' in s) && 'name' in s);
    }),
  read(records: readonly LogRecord[], file: string): IngestedTranscript[] {
    const groups = new Map<string, Span[]>();
    for (const span of spansOf(records, file)) {
      const key = String(span.attributes['gen_ai.conversation.id'] ?? span.traceId);
      const list = groups.get(key) ?? [];
      list.push(span);
      groups.set(key, list);
    }
    return [...groups].flatMap(
      ([id, spans]) =>
        traceTranscript(
          id,
          spans.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0)),
          file,
        ) ?? [],
    );
  },
};
