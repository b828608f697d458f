// Inspect AI eval logs: the JSON log (`{version, eval: {task, run_id, created}, samples: [...]}`)
// or the zipped `.eval` log (header.json plus samples/<id>_epoch_<n>.json, unzipped with fflate).
// Each sample is a transcript; its family is the eval's task. Messages follow Inspect's
// ChatMessage types: user/assistant/tool, assistant `tool_calls: [{id, function, arguments}]`,
// tool `{tool_call_id, error}`. The first scorer's value is the outcome: C or a true/1 value means
// completed, I or false/0 not; any other value (partial credit, dicts) leaves it unknown.

import { unzipSync, strFromU8 } from 'fflate';
import { LogFormatError, type IngestedTranscript, type LogReader, type LogRecord } from '../types.js';
import { FieldReader, familySlug, isObject, type Json, MessageBuilder, textOf } from './shared.js';

function successOf(value: unknown): boolean | undefined {
  if (value === 'C' || value === true || value === 1 || value === 'correct') return true;
  if (value === 'I' || value === false || value === 0 || value === 'incorrect') return false;
  return undefined;
}

function sampleTranscript(sample: Json, header: Json, reader: FieldReader, field: string, file: string): IngestedTranscript | undefined {
  const builder = new MessageBuilder();
  reader.array(sample.messages, `${field}.messages`).forEach((raw, i) => {
    const f = `${field}.messages[${i}]`;
    const message = reader.object(raw, f);
    const role = reader.string(message.role, `${f}.role`);
    if (role === 'system') return;
    if (role === 'user') return builder.text('user', textOf(message.content));
    if (role === 'assistant') {
      builder.text('assistant', textOf(message.content));
      const calls = Array.isArray(message.tool_calls) ? message.tool_calls : [];
      calls.forEach((rawCall, j) => {
        const call = reader.object(rawCall, `${f}.tool_calls[${j}]`);
        builder.push('assistant', [
          {
            type: 'tool_use',
            id: reader.string(call.id, `${f}.tool_calls[${j}].id`),
            name: reader.string(call.function, `${f}.tool_calls[${j}].function`),
            input: isObject(call.arguments) ? call.arguments : {},
          },
        ]);
      });
      return;
    }
    if (role === 'tool') {
      const error = isObject(message.error) ? message.error : undefined;
      const content = [textOf(message.content), error && typeof error.message === 'string' ? error.message : ''].filter(Boolean).join('\n');
      builder.push('user', [
        {
          type: 'tool_result',
          tool_use_id: reader.string(message.tool_call_id, `${f}.tool_call_id`),
          content,
          ...(error ? { is_error: true } : {}),
        },
      ]);
      return;
    }
    reader.fail(`${f}.role`, 'system, user, assistant or tool', role);
  });
  if (builder.messages.length === 0) return undefined;
  const evalSpec = isObject(header.eval) ? header.eval : {};
  const task = typeof evalSpec.task === 'string' ? evalSpec.task : 'inspect';
  const run = typeof evalSpec.run_id === 'string' ? evalSpec.run_id : task;
  const sampleId = typeof sample.id === 'string' || typeof sample.id === 'number' ? String(sample.id) : field;
  const epoch = typeof sample.epoch === 'number' ? sample.epoch : 1;
  const id = `${run}/${sampleId}/epoch-${epoch}`;
  const scores = isObject(sample.scores) ? Object.values(sample.scores).filter(isObject) : [];
  const first = scores[0];
  const success = first ? successOf(first.value) : undefined;
  const feedback =
    first && success === false && typeof first.explanation === 'string' && first.explanation.trim() ? [first.explanation.trim()] : [];
  const family = familySlug(task);
  return {
    id,
    file,
    format: 'inspect',
    startedAt: typeof evalSpec.created === 'string' ? evalSpec.created : '',
    outcomeSource: success === undefined ? 'none' : 'log',
    transcript: {
      trial_id: id,
      ...(family ? { family } : {}),
      task: `${task}/${sampleId}`,
      messages: builder.messages,
      ...(success !== undefined ? { outcome: { success, feedback } } : {}),
    },
  };
}

export const inspectReader: LogReader = {
  format: 'inspect',
  sniff: (records) =>
    records.length === 1 &&
    isObject(records[0]!.value) &&
    isObject(records[0]!.value.eval) &&
    ('samples' in records[0]!.value || 'version' in records[0]!.value),
  read(records: readonly LogRecord[], file: string): IngestedTranscript[] {
    const reader = new FieldReader(file, undefined);
    const log = reader.object(records[0]?.value, '(top level)');
    const samples = log.samples === undefined ? [] : reader.array(log.samples, 'samples');
    return samples.flatMap((raw, i) => sampleTranscript(reader.object(raw, `samples[${i}]`), log, reader, `samples[${i}]`, file) ?? []);
  },
};

/** An Inspect `.eval` archive as the one JSON log inspectReader reads (header plus samples). */
export function inspectArchiveRecords(bytes: Uint8Array, file: string): LogRecord[] {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes);
  } catch (error) {
    throw new LogFormatError(file, `not a readable .eval archive (${(error as Error).message})`);
  }
  const parse = (name: string): unknown => {
    try {
      return JSON.parse(strFromU8(entries[name]!));
    } catch (error) {
      throw new LogFormatError(file, `not valid JSON (${(error as Error).message})`, undefined, name);
    }
  };
  if (!entries['header.json']) throw new LogFormatError(file, 'the archive has no header.json', undefined, 'header.json');
  const header = parse('header.json');
  if (!isObject(header)) throw new LogFormatError(file, 'expected an object', undefined, 'header.json');
  const samples = Object.keys(entries)
    .filter((name) => /^samples\/[^/]+\.json$/.test(name))
    .sort()
    .map(parse);
  return [{ line: 0, value: { ...header, samples } }];
}
