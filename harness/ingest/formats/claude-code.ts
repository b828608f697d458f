// Claude Code session files (~/.claude/projects/<project>/<session-id>.jsonl): one JSON object a
// line, `type` user | assistant | summary | system | ..., the API message under `message`.
// One file is one session. Lines marked `isSidechain` belong to a subagent's conversation and
// become a transcript of their own (`<session>/sidechain`), so the main thread's turns stay in
// order. `isMeta` lines (slash-command caveats) and kinds replay does not read are skipped; a
// session's `summary` lines become its task title. Each reply's `message.usage` is kept, counted
// once per reply although Claude Code repeats it on every line of a streamed reply (log-usage.ts).

import type { IngestedTranscript, LogReader, LogRecord } from '../types.js';
import { anthropicUsage, UsageTally } from './log-usage.js';
import { anthropicBlocks, at, splitRecordList, familySlug, isObject, type Json, MessageBuilder } from './shared.js';

const MESSAGE_TYPES = new Set(['user', 'assistant']);

export const claudeCodeReader: LogReader = {
  format: 'claude-code',
  sniff: (records) =>
    splitRecordList(records).some(
      (r) =>
        isObject(r.value) &&
        MESSAGE_TYPES.has(String(r.value.type)) &&
        isObject(r.value.message) &&
        ('sessionId' in r.value || 'uuid' in r.value),
    ),
  read(records: readonly LogRecord[], file: string, fallbackId: string): IngestedTranscript[] {
    const main = new MessageBuilder();
    const side = new MessageBuilder();
    const mainUsage = new UsageTally();
    const sideUsage = new UsageTally();
    let sessionId: string | undefined;
    let cwd: string | undefined;
    let startedAt = '';
    let title: string | undefined;
    for (const record of splitRecordList(records)) {
      const reader = at(record, file);
      const line = reader.object(record.value, '(line)');
      if (line.type === 'summary' && typeof line.summary === 'string') title ??= line.summary;
      if (!MESSAGE_TYPES.has(String(line.type)) || line.isMeta === true) continue;
      sessionId ??= reader.optionalString(line.sessionId, 'sessionId');
      cwd ??= typeof line.cwd === 'string' ? line.cwd : undefined;
      if (!startedAt && typeof line.timestamp === 'string') startedAt = line.timestamp;
      const message: Json = reader.object(line.message, 'message');
      const role = line.type === 'assistant' ? 'assistant' : 'user';
      const builder = line.isSidechain === true ? side : main;
      builder.push(role, anthropicBlocks(message.content, reader, 'message.content'));
      if (role === 'assistant' && message.usage !== undefined && message.usage !== null) {
        const last = builder.messages.length - 1;
        const reply = typeof message.id === 'string' ? message.id : typeof line.uuid === 'string' ? line.uuid : `line ${record.line}`;
        (builder === side ? sideUsage : mainUsage).record(
          reply,
          anthropicUsage(message.usage, reader, 'message.usage'),
          builder.messages[last]?.role === 'assistant' ? last : undefined,
        );
      }
    }
    const id = sessionId ?? fallbackId;
    const family = familySlug(cwd);
    const base = { file, format: 'claude-code' as const, startedAt, outcomeSource: 'none' as const };
    const out: IngestedTranscript[] = [];
    const usageOf = (tally: UsageTally) => {
      const usage = tally.result();
      return usage ? { usage } : {};
    };
    if (main.messages.length)
      out.push({
        ...base,
        ...usageOf(mainUsage),
        id,
        transcript: { trial_id: id, ...(family ? { family } : {}), task: title ?? id, messages: main.messages },
      });
    if (side.messages.length) {
      out.push({
        ...base,
        ...usageOf(sideUsage),
        id: `${id}/sidechain`,
        transcript: {
          trial_id: `${id}/sidechain`,
          ...(family ? { family } : {}),
          task: `${title ?? id} (subagent)`,
          messages: side.messages,
        },
      });
    }
    return out;
  },
};
