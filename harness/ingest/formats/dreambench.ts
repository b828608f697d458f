// dreambench's own transcript JSON (harness/agent/transcript.ts) and the documented minimum any
// agent can write: `{messages: [...]}` in the Messages API shape, with optional trial_id, family,
// task, session and outcome {success, feedback}. Every other field is accepted and ignored.

import { z } from 'zod';
import type { Message } from '../../core/messages.js';
import { type IngestedTranscript, LogFormatError, type LogReader, type LogRecord } from '../types.js';
import { isObject } from './shared.js';

const textBlock = z.object({ type: z.literal('text'), text: z.string() }).passthrough();
const toolUse = z
  .object({ type: z.literal('tool_use'), id: z.string().min(1), name: z.string().min(1), input: z.record(z.string(), z.unknown()) })
  .passthrough();
const toolResult = z
  .object({
    type: z.literal('tool_result'),
    tool_use_id: z.string().min(1),
    content: z.union([z.string(), z.array(z.object({ type: z.string() }).passthrough())]).default(''),
    is_error: z.boolean().optional(),
  })
  .passthrough();
const KNOWN = new Set(['text', 'tool_use', 'tool_result']);
const BY_TYPE: Record<string, z.ZodTypeAny> = { text: textBlock, tool_use: toolUse, tool_result: toolResult };
/** Any block with a type; the three kinds replay reads must be complete (other kinds, e.g. thinking, are skipped). */
const block = z
  .object({ type: z.string() })
  .passthrough()
  .superRefine((value, ctx) => {
    const schema = BY_TYPE[value.type];
    if (!schema) return;
    const parsed = schema.safeParse(value);
    if (parsed.success) return;
    for (const issue of parsed.error.issues)
      ctx.addIssue({ code: 'custom', path: issue.path, message: `${issue.message} (in a "${value.type}" block)` });
  });

export const transcriptSchema = z
  .object({
    trial_id: z.string().min(1).optional(),
    family: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, dot, dash or underscore')
      .optional(),
    task: z.string().optional(),
    session: z.number().finite().optional(),
    messages: z
      .array(z.object({ role: z.enum(['user', 'assistant']), content: z.union([z.string(), z.array(block)]) }).passthrough())
      .min(1, 'at least one message'),
    outcome: z
      .object({ success: z.boolean().optional(), feedback: z.array(z.string()).optional() })
      .passthrough()
      .optional(),
  })
  .passthrough();

export function describeZodIssue(issue: z.core.$ZodIssue): { field: string; message: string } {
  const field = issue.path
    .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
    .join('')
    .replace(/^\./, '');
  const message = issue.message.replace(/^Invalid input: expected (\w+), received undefined/, 'required field missing (expected $1)');
  return { field: field || '(top level)', message };
}

export const dreambenchReader: LogReader = {
  format: 'dreambench',
  sniff(records) {
    if (records.length !== 1 || records[0]!.line !== 0) return false;
    const value = records[0]!.value;
    if (!isObject(value)) return false;
    // A transcript dreambench wrote says so; it is read (and its errors reported) as one even when broken.
    if (typeof value.format === 'string' && value.format.startsWith('dreambench.transcript')) return true;
    if (!Array.isArray(value.messages)) return false;
    // OpenAI chat logs also carry `messages`: theirs have system/tool roles or tool_calls.
    return value.messages.every((m) => isObject(m) && (m.role === 'user' || m.role === 'assistant') && !('tool_calls' in m));
  },
  read(records: readonly LogRecord[], file: string, fallbackId: string): IngestedTranscript[] {
    const value = records[0]?.value;
    if (!isObject(value)) throw new LogFormatError(file, 'expected a JSON object with a "messages" array', undefined, '(top level)');
    const parsed = transcriptSchema.safeParse(value);
    if (!parsed.success) {
      const { field, message } = describeZodIssue(parsed.error.issues[0]!);
      throw new LogFormatError(file, message, undefined, field);
    }
    const t = parsed.data;
    const id = t.trial_id ?? fallbackId;
    const messages = t.messages.map((m) => ({
      role: m.role,
      content:
        typeof m.content === 'string'
          ? m.content
          : m.content
              .filter((b) => KNOWN.has(b.type))
              .map((b) => {
                const content = (b as Record<string, unknown>).content;
                // The Messages API also allows a tool_result's content as text blocks: keep their text.
                return b.type === 'tool_result' && Array.isArray(content)
                  ? {
                      ...b,
                      content: (content as Array<{ text?: unknown }>).map((c) => (typeof c.text === 'string' ? c.text : '')).join('\n'),
                    }
                  : b;
              }),
    })) as Message[];
    const outcome = t.outcome
      ? { ...(t.outcome.success !== undefined ? { success: t.outcome.success } : {}), feedback: t.outcome.feedback ?? [] }
      : undefined;
    return [
      {
        id,
        file,
        format: 'dreambench',
        // The documented `session` number orders transcripts; zero-padded so it sorts as text.
        startedAt: t.session !== undefined ? `session:${String(Math.round(t.session * 1000)).padStart(15, '0')}` : '',
        outcomeSource: outcome?.success !== undefined ? 'log' : 'none',
        transcript: {
          trial_id: id,
          ...(t.family ? { family: t.family } : {}),
          ...(t.task ? { task: t.task } : {}),
          messages,
          ...(outcome ? { outcome } : {}),
        },
      },
    ];
  },
};
