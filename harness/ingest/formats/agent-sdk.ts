// Claude Agent SDK message streams saved as JSONL or a JSON array: `{type: 'system'|'assistant'|
// 'user'|'result', session_id, message?, parent_tool_use_id?}`. Messages with a
// parent_tool_use_id come from a subagent and form a second transcript (`<session>/subagents`).
// The final `result` event says whether the run ended in an error (is_error, subtype error_*):
// that, and only that, is read as an outcome; a run that ended normally may still have done the
// wrong thing, so it is left to signals, a side file or a grader.

import type { IngestedTranscript, LogReader, LogRecord } from '../types.js';
import { anthropicBlocks, at, splitRecordList, familySlug, isObject, MessageBuilder } from './shared.js';

export const agentSdkReader: LogReader = {
  format: 'agent-sdk',
  sniff: (records) =>
    splitRecordList(records).some(
      (r) =>
        isObject(r.value) &&
        typeof r.value.session_id === 'string' &&
        ['system', 'assistant', 'user', 'result'].includes(String(r.value.type)),
    ),
  read(records: readonly LogRecord[], file: string, fallbackId: string): IngestedTranscript[] {
    const main = new MessageBuilder();
    const sub = new MessageBuilder();
    let sessionId: string | undefined;
    let cwd: string | undefined;
    let failure: string | undefined;
    let ended = false;
    for (const record of splitRecordList(records)) {
      const reader = at(record, file);
      const event = reader.object(record.value, '(event)');
      sessionId ??= reader.optionalString(event.session_id, 'session_id');
      if (event.type === 'system' && typeof event.cwd === 'string') cwd ??= event.cwd;
      if (event.type === 'result') {
        ended = true;
        if (event.is_error === true || String(event.subtype ?? '').startsWith('error')) failure = String(event.subtype ?? 'error');
        continue;
      }
      if (event.type !== 'assistant' && event.type !== 'user') continue;
      const message = reader.object(event.message, 'message');
      const builder = typeof event.parent_tool_use_id === 'string' && event.parent_tool_use_id ? sub : main;
      builder.push(event.type, anthropicBlocks(message.content, reader, 'message.content'));
    }
    const id = sessionId ?? fallbackId;
    const family = familySlug(cwd);
    const outcome = failure ? { success: false, feedback: [`the run ended with ${failure}`] } : undefined;
    const base = { file, format: 'agent-sdk' as const, startedAt: '' };
    const out: IngestedTranscript[] = [];
    if (main.messages.length) {
      out.push({
        ...base,
        id,
        outcomeSource: outcome ? 'log' : 'none',
        transcript: { trial_id: id, ...(family ? { family } : {}), task: id, messages: main.messages, ...(outcome ? { outcome } : {}) },
      });
    }
    if (sub.messages.length)
      out.push({
        ...base,
        id: `${id}/subagents`,
        outcomeSource: 'none',
        transcript: { trial_id: `${id}/subagents`, ...(family ? { family } : {}), task: `${id} (subagents)`, messages: sub.messages },
      });
    if (!ended && out.length === 0) return [];
    return out;
  },
};
