// Claude Managed Agents session event lists (client.beta.sessions.events.list, saved as a JSON
// array, a page `{data: [...]}`, `{session_id?, events: [...]}` or JSONL). Event types follow the
// SDK's BetaManagedAgents*Event definitions: user.message, agent.message, agent.tool_use /
// agent.tool_result, agent.custom_tool_use / user.custom_tool_result, agent.mcp_tool_use /
// agent.mcp_tool_result. An outcome grader's last `span.outcome_evaluation_end` is the log's own
// outcome (satisfied -> completed; max_iterations_reached or failed -> not), and its explanations
// are the reviewer's feedback.

import type { ContentBlock } from '../../core/messages.js';
import { LogFormatError, type IngestedTranscript, type LogReader, type LogRecord } from '../types.js';
import { at, isObject, type Json, MessageBuilder, textOf } from './shared.js';

/** The events of a file, whatever wrapper it was saved in, each with the line it came from. */
function eventsOf(records: readonly LogRecord[], file: string): { id?: string; events: LogRecord[] } {
  if (records.length === 1 && records[0]!.line === 0) {
    const value = records[0]!.value;
    if (Array.isArray(value)) return { events: value.map((v) => ({ line: 0, value: v })) };
    if (isObject(value)) {
      const list = Array.isArray(value.data) ? value.data : Array.isArray(value.events) ? value.events : undefined;
      if (!list)
        throw new LogFormatError(
          file,
          'expected an array of session events, or an object with "data" or "events"',
          undefined,
          '(top level)',
        );
      const id = typeof value.session_id === 'string' ? value.session_id : typeof value.id === 'string' ? value.id : undefined;
      return { ...(id ? { id } : {}), events: list.map((v) => ({ line: 0, value: v })) };
    }
  }
  return { events: [...records] };
}

const isEvent = (v: unknown): boolean => isObject(v) && typeof v.type === 'string' && /^(user|agent|session|span)\./.test(v.type);

export const managedReader: LogReader = {
  format: 'managed',
  sniff(records, file) {
    try {
      return eventsOf(records, file)
        .events.slice(0, 20)
        .some((r) => isEvent(r.value));
    } catch {
      return false;
    }
  },
  read(records: readonly LogRecord[], file: string, fallbackId: string): IngestedTranscript[] {
    const { id: wrapperId, events } = eventsOf(records, file);
    const builder = new MessageBuilder();
    const feedback: string[] = [];
    let verdict: string | undefined;
    let startedAt = '';
    events.forEach((record, index) => {
      const reader = at(record, file);
      const event: Json = reader.object(record.value, `events[${index}]`);
      const field = (name: string): string => (record.line ? name : `events[${index}].${name}`);
      if (!startedAt && typeof event.processed_at === 'string') startedAt = event.processed_at;
      const blocks: ContentBlock[] = [];
      switch (event.type) {
        case 'user.message':
        case 'agent.message':
          builder.text(event.type === 'user.message' ? 'user' : 'assistant', textOf(event.content));
          return;
        case 'agent.tool_use':
        case 'agent.custom_tool_use':
        case 'agent.mcp_tool_use':
          blocks.push({
            type: 'tool_use',
            id: reader.string(event.id, field('id')),
            name: reader.string(event.name, field('name')),
            input: isObject(event.input) ? event.input : {},
          });
          builder.push('assistant', blocks);
          return;
        case 'agent.tool_result':
        case 'user.custom_tool_result':
        case 'agent.mcp_tool_result': {
          const key =
            event.type === 'agent.tool_result'
              ? 'tool_use_id'
              : event.type === 'user.custom_tool_result'
                ? 'custom_tool_use_id'
                : 'mcp_tool_use_id';
          builder.push('user', [
            {
              type: 'tool_result',
              tool_use_id: reader.string(event[key], field(key)),
              content: textOf(event.content),
              ...(event.is_error === true ? { is_error: true } : {}),
            },
          ]);
          return;
        }
        case 'span.outcome_evaluation_end':
          verdict = reader.string(event.result, field('result'));
          if (verdict !== 'satisfied' && typeof event.explanation === 'string' && event.explanation.trim())
            feedback.push(event.explanation.trim());
          return;
        default:
          return;
      }
    });
    if (builder.messages.length === 0) return [];
    const id = wrapperId ?? fallbackId;
    const success = verdict === 'satisfied' ? true : verdict === 'max_iterations_reached' || verdict === 'failed' ? false : undefined;
    const hasOutcome = success !== undefined || feedback.length > 0;
    return [
      {
        id,
        file,
        format: 'managed',
        startedAt,
        outcomeSource: success !== undefined ? 'log' : 'none',
        transcript: {
          trial_id: id,
          task: id,
          messages: builder.messages,
          ...(hasOutcome ? { outcome: { ...(success !== undefined ? { success } : {}), feedback } } : {}),
        },
      },
    ];
  },
};
