// Replay: turn the transcripts since the last dream into compact digests. Only the digests go on
// to analysis, so what a dream costs grows with the new work, not with the history.
//
// A digest keeps what a colleague would look at: the outcome, the tool errors, the reviewer's
// feedback, the sequence of tools used (for workflows), and the settings the agent used in calls
// that went through (the harness uses those to tell which memory entries were actually applied).

import type { ContentBlock, Message } from '../core/messages.js';
import type { Directive } from '../core/directives.js';
import { parseAgentNotes } from '../core/directives.js';

/** The parts of a transcript replay reads: the documented minimum for standalone dreaming. */
export interface TranscriptLike {
  trial_id?: string;
  family?: string;
  task?: string;
  messages: Message[];
  outcome?: { success?: boolean; feedback?: string[] };
}

export interface ReplayedTrial {
  /** Trial id: the evidence handle findings cite. */
  id: string;
  /** The session (or dream round, standalone) the trial belongs to; orders evidence old -> new. */
  session: number;
  family: string;
  task: string;
  /** undefined when the transcript does not say. */
  success?: boolean;
  errors: string[];
  feedback: string[];
  /** Tool names in call order. */
  tools: string[];
  /** `tool.param` = value of every short scalar argument of a tool call that did not fail. */
  settings: Directive[];
  /** What the agent noted for later during the task (`Note for future tasks: ...` lines of its own text). */
  notes?: string[];
}

const MAX_ERROR_CHARS = 400;
const MAX_SETTING_CHARS = 80;

const blocksOf = (message: Message): ContentBlock[] => (typeof message.content === 'string' ? [] : message.content);

export function digestTranscript(transcript: TranscriptLike, meta: { id: string; session: number }): ReplayedTrial {
  const errors: string[] = [];
  const tools: string[] = [];
  const uses = new Map<string, { name: string; input: Record<string, unknown> }>();
  const failed = new Set<string>();
  const notes: string[] = [];
  for (const message of transcript.messages) {
    for (const block of blocksOf(message)) {
      if (block.type === 'text' && message.role === 'assistant') {
        for (const note of parseAgentNotes(block.text)) {
          const text = note.replace(/\s+/g, ' ').slice(0, MAX_ERROR_CHARS);
          if (!notes.includes(text)) notes.push(text);
        }
      } else if (block.type === 'tool_use') {
        tools.push(block.name);
        uses.set(block.id, { name: block.name, input: block.input ?? {} });
      } else if (block.type === 'tool_result' && block.is_error) {
        failed.add(block.tool_use_id);
        for (const text of errorItems(block.content)) if (!errors.includes(text)) errors.push(text);
      }
    }
  }
  const settings: Directive[] = [];
  const seen = new Set<string>();
  for (const [id, use] of uses) {
    if (failed.has(id)) continue;
    for (const [param, value] of Object.entries(use.input)) {
      if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') continue;
      const text = String(value);
      if (text.length > MAX_SETTING_CHARS || text.includes('\n')) continue;
      const choice = `${use.name}.${param}`;
      const key = `${choice}\u0000${text}`;
      if (seen.has(key)) continue;
      seen.add(key);
      settings.push({ choice, value: text });
    }
  }
  const feedback = (transcript.outcome?.feedback ?? []).map((f) => f.replace(/\s+/g, ' ').trim()).filter(Boolean);
  return {
    id: meta.id,
    session: meta.session,
    family: transcript.family ?? 'general',
    task: transcript.task ?? meta.id,
    ...(typeof transcript.outcome?.success === 'boolean' ? { success: transcript.outcome.success } : {}),
    errors,
    feedback,
    tools,
    settings,
    ...(notes.length ? { notes } : {}),
  };
}

/**
 * One tool error may list several problems ("failed with 2 problems:" then "- ..." lines): each
 * becomes its own item, so every finding can cite exactly what it is about.
 */
function errorItems(content: string): string[] {
  const lines = content.split('\n');
  const items = lines.filter((l) => /^\s*[-*]\s+/.test(l)).map((l) => l.replace(/^\s*[-*]\s+/, ''));
  const pieces = items.length >= 2 ? items : [content];
  return pieces.map((p) => p.replace(/\s+/g, ' ').trim().slice(0, MAX_ERROR_CHARS)).filter(Boolean);
}

/** The digest as the analysis prompt shows it (the format the sim's dream reply reads). */
export function renderDigest(trial: ReplayedTrial): string {
  const outcome = trial.success === undefined ? 'unknown' : trial.success ? 'completed' : 'not completed';
  const lines = [
    `### Trial ${trial.id}`,
    `family: ${trial.family} | task: ${trial.task} | session: ${trial.session} | outcome: ${outcome}`,
  ];
  if (trial.tools.length) lines.push(`tools: ${compressSequence(trial.tools).join(' -> ')}`);
  if (trial.errors.length) lines.push('tool errors:', ...trial.errors.map((e) => `- ${e}`));
  if (trial.feedback.length) lines.push('reviewer feedback:', ...trial.feedback.map((f) => `- ${f}`));
  if (trial.notes?.length) lines.push('agent notes:', ...trial.notes.map((n) => `- ${n}`));
  return lines.join('\n');
}

/** Collapse runs of the same tool: a, b, b, b, c -> a, b x3, c. */
export function compressSequence(tools: readonly string[]): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < tools.length) {
    let j = i;
    while (j < tools.length && tools[j] === tools[i]) j++;
    out.push(j - i > 1 ? `${tools[i]} x${j - i}` : tools[i]!);
    i = j;
  }
  return out;
}

/** Parse a trial id written by the runner (`arm/r1/s003/004-task`) for its session number. */
export function sessionOfTrialId(id: string): number | undefined {
  const m = /\/s(\d{3,})\//.exec(id);
  return m ? Number(m[1]) : undefined;
}
