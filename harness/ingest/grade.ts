// A grader model's verdict for transcripts whose logs, side file and signals say nothing. The
// grader follows the project's grading protocol (harness/grader/protocol.ts): it sees a rubric and
// the work as text (the user's request, the agent's final answer, the tool errors it met), never
// the agent's reasoning. One repair request is allowed for an unreadable reply; a reply that still
// cannot be read leaves the outcome unknown rather than guessing.

import { type ContentBlock, type Message, type ModelClient, textOf, type Usage, addUsage, emptyUsage } from '../core/messages.js';
import { GRADER_SYSTEM_PROMPT, graderPrompt, parseGraderReply, repairPrompt } from '../grader/protocol.js';
import type { IngestedTranscript } from './types.js';

export const DEFAULT_LOG_RUBRIC = [
  "The agent's final answer does what the user's first message asked for.",
  'The agent did not leave an error from a tool unresolved at the end.',
  'The agent did not claim to have done something that the tool results contradict.',
];

const MAX_WORK_CHARS = 12_000;

/** The work a grader reads: request, tool errors met on the way, final answer. */
export function workOf(messages: readonly Message[]): string {
  const firstUser = messages.find((m) => m.role === 'user');
  const finalAssistant = [...messages].reverse().find((m) => m.role === 'assistant' && textOf(m.content).trim());
  const blocks = messages.flatMap((m) => (typeof m.content === 'string' ? [] : m.content));
  const errors = blocks
    .filter((b): b is Extract<ContentBlock, { type: 'tool_result' }> => b.type === 'tool_result' && b.is_error === true)
    .map((b) => b.content.slice(0, 400));
  const parts = [
    `Request:\n${firstUser ? textOf(firstUser.content).slice(0, 4000) : '(none)'}`,
    errors.length ? `Tool errors during the work:\n${errors.map((e) => `- ${e}`).join('\n')}` : 'Tool errors during the work: none',
    `Final answer:\n${finalAssistant ? textOf(finalAssistant.content).slice(0, 6000) : '(none)'}`,
  ];
  return parts.join('\n\n').slice(0, MAX_WORK_CHARS);
}

export async function gradeUnknown(
  transcripts: readonly IngestedTranscript[],
  model: ModelClient,
  rubric: readonly string[] = DEFAULT_LOG_RUBRIC,
): Promise<{ transcripts: IngestedTranscript[]; usage: Usage & { calls: number; cost_usd: number } }> {
  const usage = { ...emptyUsage(), calls: 0, cost_usd: 0 };
  const out: IngestedTranscript[] = [];
  for (const t of transcripts) {
    if (t.transcript.outcome?.success !== undefined) {
      out.push(t);
      continue;
    }
    const messages: Message[] = [{ role: 'user', content: graderPrompt(rubric, workOf(t.transcript.messages)) }];
    let verdict: ReturnType<typeof parseGraderReply> | undefined;
    for (let attempt = 0; attempt < 2; attempt++) {
      const response = await model.create(
        { system: [{ type: 'text', text: GRADER_SYSTEM_PROMPT }], messages, max_tokens: 2048 },
        { seedKey: `log-grade:${t.id}:${attempt}`, purpose: 'grade' },
      );
      usage.calls++;
      usage.cost_usd += response.cost_usd;
      addUsage(usage, response.usage);
      const reply = textOf(response.content);
      verdict = parseGraderReply(reply, rubric);
      if (verdict.ok) break;
      // Never send an empty assistant turn: the API rejects it.
      messages.push(
        { role: 'assistant', content: reply.trim() ? reply : '(empty reply)' },
        { role: 'user', content: repairPrompt(verdict.error, rubric.length) },
      );
    }
    if (!verdict?.ok) {
      out.push(t);
      continue;
    }
    const feedback = verdict.verdict.criteria.filter((c) => !c.passed && c.feedback).map((c) => c.feedback!);
    out.push({
      ...t,
      outcomeSource: 'grader',
      transcript: {
        ...t.transcript,
        outcome: { success: verdict.verdict.success, feedback: [...(t.transcript.outcome?.feedback ?? []), ...feedback] },
      },
    });
  }
  return { transcripts: out, usage };
}
