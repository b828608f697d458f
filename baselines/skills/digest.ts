// What the skill writer sees of a completed trial: the task, the outcome, the steps turn by turn
// (tools used, whether a turn met an error), the concrete settings of the calls that succeeded, the
// errors met and the reviewer's feedback, and the skills the agent was given. Never the checker's
// hidden expectations. Orchestrated trials: the lead's steps, each specialist's steps, and the
// settings of every agent's successful calls.

import type { ContentBlock, Message } from '../../harness/core/messages.js';
import { formatDirective } from '../../harness/core/directives.js';
import type { Task } from '../../harness/core/suite.js';
import type { Transcript } from '../../harness/agent/transcript.js';

/** A setting: a tool call's short scalar parameter (long or multi-line values are content, not settings). */
const MAX_SETTING_CHARS = 60;

interface TurnSummary {
  tools: string[];
  error: boolean;
}

function turnsOf(messages: readonly Message[]): TurnSummary[] {
  const errors = new Set<string>();
  for (const m of messages) {
    if (typeof m.content === 'string') continue;
    for (const b of m.content) if (b.type === 'tool_result' && b.is_error) errors.add(b.tool_use_id);
  }
  const turns: TurnSummary[] = [];
  for (const m of messages) {
    if (m.role !== 'assistant' || typeof m.content === 'string') continue;
    const uses = m.content.filter((b): b is Extract<ContentBlock, { type: 'tool_use' }> => b.type === 'tool_use');
    if (uses.length === 0) continue;
    const counts = new Map<string, number>();
    for (const u of uses) counts.set(u.name, (counts.get(u.name) ?? 0) + 1);
    turns.push({
      tools: [...counts].map(([name, n]) => (n > 1 ? `${name} x${n}` : name)),
      error: uses.some((u) => errors.has(u.id)),
    });
  }
  return turns;
}

/**
 * A parameter value that configures a call rather than carrying its content: a short one-line scalar,
 * neither a workspace file name nor the assignment's own words (a required heading or title).
 */
function isSetting(value: unknown, prompt: string, files: ReadonlySet<string>): boolean {
  if (!['string', 'number', 'boolean'].includes(typeof value)) return false;
  const text = String(value);
  if (text.length > MAX_SETTING_CHARS || text.includes('\n') || files.has(text)) return false;
  return !(text.length >= 6 && /[a-z]/i.test(text) && prompt.includes(text));
}

/** The last successful value of every setting (short scalar parameter), per tool, as directives. */
export function successfulSettings(messages: readonly Message[], task: Task): string[] {
  const failed = new Set<string>();
  for (const m of messages) {
    if (typeof m.content === 'string') continue;
    for (const b of m.content) if (b.type === 'tool_result' && b.is_error) failed.add(b.tool_use_id);
  }
  const files = new Set(Object.keys(task.files));
  const settings = new Map<string, string>();
  for (const m of messages) {
    if (m.role !== 'assistant' || typeof m.content === 'string') continue;
    for (const b of m.content) {
      if (b.type !== 'tool_use' || failed.has(b.id)) continue;
      // Judged per parameter: a call that carries content (a slide's bullets, a document's title)
      // still carries settings beside it (the slide's layout, the build's heading style).
      for (const [param, value] of Object.entries(b.input ?? {})) {
        if (isSetting(value, task.prompt, files)) settings.set(`${b.name}.${param}`, String(value));
      }
    }
  }
  return [...settings].map(([choice, value]) => formatDirective(choice, value));
}

/** The tool.param settings of `settings` that the attempt's memory text mentions. */
function memoryNamed(transcript: Transcript, settings: readonly string[]): string[] {
  const memory = transcript.system
    .filter((b) => b.cache)
    .map((b) => b.text)
    .join('\n');
  return settings.map((s) => s.slice(0, s.indexOf('='))).filter((choice) => memory.includes(`${choice}=`) || memory.includes(`${choice} `));
}

/** Names of the skills in the trial's memory block (## Skill: <name> headings). */
export function givenSkills(transcript: Transcript): string[] {
  const text = transcript.system
    .filter((b) => b.cache)
    .map((b) => b.text)
    .join('\n');
  return [...text.matchAll(/^## Skill: (\S+)/gm)].map((m) => m[1]!);
}

/**
 * verdict false: the agent does not know how the checker judged the task (it never sees a hidden
 * checker), so the digest shows neither the verdict nor the checker's feedback.
 */
export function skillDigest(transcript: Transcript, task: Task, options: { verdict?: boolean } = {}): string {
  const verdict = options.verdict ?? true;
  const subagents = transcript.subagents ?? [];
  const attempt = subagents.length ? Math.max(...subagents.map((s) => s.attempt)) : 0;
  const team = subagents.filter((s) => s.attempt === attempt);
  const turns = turnsOf(transcript.messages);
  const all = [...transcript.messages, ...team.flatMap((s) => s.messages)];
  // Errors of earlier attempts (an in-task loop's retries) and of every specialist are part of what the task taught.
  const earlier = [
    ...(transcript.previous_attempts ?? []).flatMap((a) => a.messages),
    ...subagents.filter((s) => s.attempt !== attempt).flatMap((s) => s.messages),
  ];
  const errors: string[] = [];
  for (const m of [...earlier, ...all]) {
    if (typeof m.content === 'string') continue;
    for (const b of m.content) if (b.type === 'tool_result' && b.is_error) errors.push(b.content.trim());
  }
  const calls = all.reduce((n, m) => n + (typeof m.content === 'string' ? 0 : m.content.filter((b) => b.type === 'tool_use').length), 0);
  const lines = [
    `Task: ${task.title} (family: ${task.family})`,
    `Assignment: ${
      task.prompt
        .split('\n')
        .find((l) => l.trim())
        ?.trim() ?? ''
    }`,
    verdict
      ? `Outcome: ${transcript.outcome.success ? 'completed' : 'not completed'} (score ${transcript.outcome.score.toFixed(2)}) in ${turns.length} turns, ${calls} tool calls.`
      : `Outcome: submitted (how it was judged is not known) in ${turns.length} turns, ${calls} tool calls.`,
    '',
    'Steps, one line per turn:',
    ...turns.map((t, i) => `- turn ${i + 1}: ${t.tools.join('; ')}${t.error ? ' (error)' : ''}`),
  ];
  for (const s of team) {
    const steps = turnsOf(s.messages).map((t) => `${t.tools.join('; ')}${t.error ? ' (error)' : ''}`);
    lines.push(`  - the ${s.role} (specialist): ${steps.join(' | ') || 'no tool calls'}`);
  }
  const settings = successfulSettings(all, task);
  lines.push('', 'Settings of the calls that succeeded:', ...(settings.length ? settings.map((s) => `- ${s}`) : ['- (none)']));
  if (errors.length) lines.push('', 'Tool errors during the task:', ...errors.map((e) => `- ${e}`));
  const named = memoryNamed(transcript, settings);
  if (named.length) lines.push('', `Settings your memory named for this task (skills, lessons, reflections): ${named.join(', ')}`);
  if (verdict && transcript.outcome.feedback.length)
    lines.push('', 'Reviewer feedback after the task:', ...transcript.outcome.feedback.map((f) => `- ${f}`));
  const given = givenSkills(transcript);
  lines.push('', `Skills you had for this task: ${given.length ? given.join(', ') : 'none'}`);
  return lines.join('\n');
}
