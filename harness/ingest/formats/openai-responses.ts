// OpenAI Responses API logs: a response object `{id, input?, output: [items]}` (input as a string
// or items), one a line or a JSON array. Items: message (role, content of input_text/output_text),
// function_call (call_id, name, arguments), function_call_output (call_id, output),
// custom_tool_call / custom_tool_call_output; reasoning and other items are skipped. A response's
// `error` marks it failed. Responses chained by previous_response_id are kept apart (each holds its
// own input), one transcript a record.

import type { ContentBlock } from '../../core/messages.js';
import type { IngestedTranscript, LogReader, LogRecord } from '../types.js';
import { at, type FieldReader, splitRecordList, isObject, looksLikeToolError, MessageBuilder, parseArguments, textOf } from './shared.js';

function appendItem(builder: MessageBuilder, raw: unknown, reader: FieldReader, field: string): void {
  const item = reader.object(raw, field);
  const type = item.type ?? (typeof item.role === 'string' ? 'message' : undefined);
  if (type === 'message') {
    const role = reader.string(item.role, `${field}.role`);
    if (role === 'user' || role === 'assistant') builder.text(role, textOf(item.content));
    return;
  }
  if (type === 'function_call' || type === 'custom_tool_call') {
    const input =
      type === 'function_call'
        ? parseArguments(item.arguments, reader, `${field}.arguments`)
        : { input: textOf(item.input) || String(item.input ?? '') };
    const block: ContentBlock = {
      type: 'tool_use',
      id: reader.string(item.call_id, `${field}.call_id`),
      name: reader.string(item.name, `${field}.name`),
      input,
    };
    builder.push('assistant', [block]);
    return;
  }
  if (type === 'function_call_output' || type === 'custom_tool_call_output') {
    const output = typeof item.output === 'string' ? item.output : textOf(item.output);
    builder.push('user', [
      {
        type: 'tool_result',
        tool_use_id: reader.string(item.call_id, `${field}.call_id`),
        content: output,
        ...(looksLikeToolError(output) ? { is_error: true } : {}),
      },
    ]);
  }
}

export const openaiResponsesReader: LogReader = {
  format: 'openai-responses',
  sniff: (records) =>
    splitRecordList(records)
      .slice(0, 5)
      .some(
        (r) =>
          isObject(r.value) &&
          Array.isArray(r.value.output) &&
          (r.value.object === 'response' || r.value.output.some((o) => isObject(o) && typeof o.type === 'string')),
      ),
  read(records: readonly LogRecord[], file: string, fallbackId: string): IngestedTranscript[] {
    const list = splitRecordList(records);
    return list.flatMap((record, index) => {
      const reader = at(record, file);
      const prefix = record.line ? '' : list.length > 1 ? `[${index}].` : '';
      const response = reader.object(record.value, prefix ? `[${index}]` : '(record)');
      const builder = new MessageBuilder();
      if (typeof response.input === 'string') builder.text('user', response.input);
      else if (response.input !== undefined)
        reader.array(response.input, `${prefix}input`).forEach((item, i) => appendItem(builder, item, reader, `${prefix}input[${i}]`));
      reader.array(response.output, `${prefix}output`).forEach((item, i) => appendItem(builder, item, reader, `${prefix}output[${i}]`));
      if (builder.messages.length === 0) return [];
      const id = typeof response.id === 'string' ? response.id : list.length > 1 ? `${fallbackId}#${index + 1}` : fallbackId;
      const failed = isObject(response.error) || response.status === 'failed';
      const error = isObject(response.error) && typeof response.error.message === 'string' ? response.error.message : 'the response failed';
      const startedAt = typeof response.created_at === 'number' ? new Date(response.created_at * 1000).toISOString() : '';
      return [
        {
          id,
          file,
          format: 'openai-responses' as const,
          startedAt,
          outcomeSource: failed ? ('log' as const) : ('none' as const),
          transcript: {
            trial_id: id,
            task: id,
            messages: builder.messages,
            ...(failed ? { outcome: { success: false, feedback: [error] } } : {}),
          },
        },
      ];
    });
  },
};
