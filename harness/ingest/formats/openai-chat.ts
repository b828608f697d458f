// OpenAI Chat Completions logs: one conversation a record (JSONL, or a JSON array of records, or
// one record), as `{messages: [...]}` (the request, or fine-tuning data), `{request: {messages},
// response: {choices}}`, or `{messages, choices}`. Roles: system (skipped: replay reads the work,
// not the instructions), user, assistant (content, tool_calls), tool (tool_call_id, content).
// Tool messages carry no error flag, so a tool output that reads as an error (looksLikeToolError)
// is marked as one. `metadata.session_id`/`id` name the conversation when present.

import { LogFormatError, type IngestedTranscript, type LogReader, type LogRecord } from '../types.js';
import {
  at,
  type FieldReader,
  splitRecordList,
  isObject,
  type Json,
  looksLikeToolError,
  MessageBuilder,
  parseArguments,
  textOf,
} from './shared.js';

function conversationOf(value: Json): { messages: unknown; reply?: unknown } {
  const request = isObject(value.request) ? value.request : value;
  const response = isObject(value.response) ? value.response : value;
  const choices = Array.isArray(response.choices) ? response.choices : undefined;
  const first = choices && isObject(choices[0]) ? choices[0] : undefined;
  return { messages: request.messages, ...(first && isObject(first.message) ? { reply: first.message } : {}) };
}

function appendMessage(builder: MessageBuilder, raw: unknown, reader: FieldReader, field: string): void {
  const message = reader.object(raw, field);
  const role = reader.string(message.role, `${field}.role`);
  if (role === 'system' || role === 'developer') return;
  if (role === 'tool' || role === 'function') {
    const content = textOf(message.content);
    const id = reader.string(message.tool_call_id ?? message.name, `${field}.tool_call_id`);
    builder.push('user', [{ type: 'tool_result', tool_use_id: id, content, ...(looksLikeToolError(content) ? { is_error: true } : {}) }]);
    return;
  }
  if (role === 'user') return builder.text('user', textOf(message.content));
  if (role !== 'assistant') reader.fail(`${field}.role`, 'system, developer, user, assistant or tool', role);
  builder.text('assistant', textOf(message.content));
  const calls =
    message.tool_calls === undefined || message.tool_calls === null ? [] : reader.array(message.tool_calls, `${field}.tool_calls`);
  calls.forEach((rawCall, i) => {
    const f = `${field}.tool_calls[${i}]`;
    const call = reader.object(rawCall, f);
    const fn = reader.object(call.function, `${f}.function`);
    builder.push('assistant', [
      {
        type: 'tool_use',
        id: reader.string(call.id, `${f}.id`),
        name: reader.string(fn.name, `${f}.function.name`),
        input: parseArguments(fn.arguments, reader, `${f}.function.arguments`),
      },
    ]);
  });
}

export const openaiChatReader: LogReader = {
  format: 'openai-chat',
  sniff: (records) =>
    splitRecordList(records)
      .slice(0, 5)
      .some((r) => {
        if (!isObject(r.value)) return false;
        const { messages } = conversationOf(r.value);
        return (
          Array.isArray(messages) &&
          messages.some(
            (m) =>
              isObject(m) &&
              typeof m.role === 'string' &&
              (m.role === 'system' || m.role === 'tool' || 'tool_calls' in m || typeof m.content === 'string'),
          )
        );
      }),
  read(records: readonly LogRecord[], file: string, fallbackId: string): IngestedTranscript[] {
    const list = splitRecordList(records);
    return list.flatMap((record, index) => {
      const reader = at(record, file);
      const prefix = record.line ? '' : list.length > 1 ? `[${index}].` : '';
      const value = reader.object(record.value, prefix ? `[${index}]` : '(record)');
      const { messages, reply } = conversationOf(value);
      if (messages === undefined)
        throw new LogFormatError(file, 'expected a "messages" array (or request.messages)', record.line || undefined, `${prefix}messages`);
      const builder = new MessageBuilder();
      reader.array(messages, `${prefix}messages`).forEach((m, i) => appendMessage(builder, m, reader, `${prefix}messages[${i}]`));
      if (reply) appendMessage(builder, reply, reader, `${prefix}choices[0].message`);
      if (builder.messages.length === 0) return [];
      const meta = isObject(value.metadata) ? value.metadata : {};
      const named = typeof meta.session_id === 'string' ? meta.session_id : typeof value.id === 'string' ? value.id : undefined;
      const id = named ?? (list.length > 1 ? `${fallbackId}#${index + 1}` : fallbackId);
      const startedAt = typeof value.created === 'number' ? new Date(value.created * 1000).toISOString() : '';
      return [
        {
          id,
          file,
          format: 'openai-chat' as const,
          startedAt,
          outcomeSource: 'none' as const,
          transcript: { trial_id: id, task: id, messages: builder.messages },
        },
      ];
    });
  },
};
