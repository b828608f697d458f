// How an independent grader is asked and how its answer is read: one convention shared by the arms
// that grade (outcomes, and any arm that adds a grader loop), the sim grader and real models.
//
// The grader gets a system prompt and ONE user message holding the task's rubric (numbered) and the
// output (what the work produced, as text) between tags. Nothing else: not the working agent's
// system prompt, memory, messages, tool calls or reasoning. It answers with a JSON object, one
// entry per criterion:
//
//   {"criteria": [{"id": 1, "passed": true, "score": 1, "feedback": ""}, ...], "summary": "..."}
//
// The reply is validated with zod; `parseGraderReply` also accepts the JSON inside a ```json fence
// or surrounded by prose, as models often write it.

import { z } from 'zod';

export const GRADER_SYSTEM_PROMPT = `You are an independent reviewer. You see only a piece of finished work and the rubric it must meet; you do not see how it was made, and you must not guess.

Judge every rubric criterion from the work alone. A criterion passes only when the work clearly meets it. Give each criterion a score from 0 to 1 and, when it does not pass, feedback that says exactly what to change (quote the missing text, and name concrete settings the way the rubric names them).

Reply with only a JSON object, no prose:
{"criteria": [{"id": 1, "passed": true, "score": 1, "feedback": ""}, ...], "summary": "one sentence"}
with exactly one entry per criterion, "id" as numbered in the rubric.`;

export const RUBRIC_OPEN = '<rubric>';
export const RUBRIC_CLOSE = '</rubric>';
export const OUTPUT_OPEN = '<output>';
export const OUTPUT_CLOSE = '</output>';

/** Outputs longer than this are cut (with a note) before they reach the grader. */
export const MAX_OUTPUT_CHARS = 60_000;

/** The grader's user message: the rubric and the output, nothing else. */
export function graderPrompt(rubric: readonly string[], output: string): string {
  const shown =
    output.length > MAX_OUTPUT_CHARS
      ? `${output.slice(0, MAX_OUTPUT_CHARS)}\n[... ${output.length - MAX_OUTPUT_CHARS} more characters not shown]`
      : output;
  return [
    'Grade the work below against the rubric.',
    '',
    RUBRIC_OPEN,
    ...rubric.map((criterion, i) => `${i + 1}. ${criterion.replace(/\s+/g, ' ').trim()}`),
    RUBRIC_CLOSE,
    '',
    OUTPUT_OPEN,
    shown.replace(/<\/output>/gi, '</ output>').trimEnd(),
    OUTPUT_CLOSE,
  ].join('\n');
}

/** The rubric and the output of a grader prompt (what the sim grader reads), or undefined. */
export function parseGraderPrompt(text: string): { rubric: string[]; output: string } | undefined {
  const r0 = text.indexOf(RUBRIC_OPEN);
  const r1 = text.indexOf(RUBRIC_CLOSE, r0 + 1);
  const o0 = text.indexOf(OUTPUT_OPEN, r1 + 1);
  const o1 = text.lastIndexOf(OUTPUT_CLOSE);
  if (r0 < 0 || r1 < 0 || o0 < 0 || o1 < o0) return undefined;
  const rubric: string[] = [];
  for (const line of text.slice(r0 + RUBRIC_OPEN.length, r1).split('\n')) {
    const m = /^\s*(\d+)\.\s+(.*\S)\s*$/.exec(line);
    if (m) rubric.push(m[2]!);
  }
  const output = text.slice(o0 + OUTPUT_OPEN.length, o1).replace(/^\n/, '');
  return { rubric, output };
}

export const graderReplySchema = z.object({
  criteria: z
    .array(
      z.object({
        id: z.number().int().min(1),
        passed: z.boolean(),
        score: z.number().min(0).max(1),
        feedback: z.string().optional(),
      }),
    )
    .min(1, 'at least one criterion'),
  summary: z.string().optional(),
});

export type GraderReply = z.infer<typeof graderReplySchema>;

export interface ParsedVerdict {
  success: boolean;
  score: number;
  criteria: Array<{ criterion: string; score: number; passed: boolean; feedback?: string }>;
  summary?: string;
}

/** The JSON object in a model's reply text: bare, in a ```json fence, or between prose. */
function jsonText(reply: string): string | undefined {
  const fence = /```(?:json)?\s*([\s\S]*?)```/i.exec(reply);
  const body = fence ? fence[1]! : reply;
  const start = body.indexOf('{');
  const end = body.lastIndexOf('}');
  return start >= 0 && end > start ? body.slice(start, end + 1) : undefined;
}

/**
 * Read a grader's reply against the rubric it was given: valid JSON in the schema, one entry per
 * criterion (ids 1..n, each once). The verdict passes when every criterion passes; its score is the
 * mean criterion score. Errors say what was wrong, for a repair request.
 */
export function parseGraderReply(
  reply: string,
  rubric: readonly string[],
): { ok: true; verdict: ParsedVerdict } | { ok: false; error: string } {
  const raw = jsonText(reply);
  if (raw === undefined) return { ok: false, error: 'the reply holds no JSON object' };
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch (error) {
    return { ok: false, error: `the JSON does not parse (${(error as Error).message})` };
  }
  const parsed = graderReplySchema.safeParse(data);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(top level)'}: ${i.message}`);
    return { ok: false, error: `the JSON does not match the schema (${issues.join('; ')})` };
  }
  const byId = new Map<number, GraderReply['criteria'][number]>();
  for (const entry of parsed.data.criteria) {
    if (entry.id > rubric.length) return { ok: false, error: `criterion id ${entry.id} is not in the rubric (1..${rubric.length})` };
    if (byId.has(entry.id)) return { ok: false, error: `criterion id ${entry.id} appears twice` };
    byId.set(entry.id, entry);
  }
  const missing = rubric.map((_, i) => i + 1).filter((id) => !byId.has(id));
  if (missing.length)
    return { ok: false, error: `no entry for criterion id(s) ${missing.join(', ')}; expected one entry per criterion 1..${rubric.length}` };
  const criteria = rubric.map((criterion, i) => {
    const entry = byId.get(i + 1)!;
    const feedback = entry.feedback?.trim();
    return { criterion, score: entry.score, passed: entry.passed, ...(feedback ? { feedback } : {}) };
  });
  return {
    ok: true,
    verdict: {
      success: criteria.every((c) => c.passed),
      score: criteria.reduce((sum, c) => sum + c.score, 0) / criteria.length,
      criteria,
      ...(parsed.data.summary ? { summary: parsed.data.summary } : {}),
    },
  };
}

/** The follow-up message asking a grader to fix a reply that could not be read. */
export function repairPrompt(error: string, rubricLength: number): string {
  return `Your reply could not be read: ${error}. Reply again with only the JSON object, exactly one entry per criterion (ids 1 to ${rubricLength}), no prose and no code fence.`;
}
