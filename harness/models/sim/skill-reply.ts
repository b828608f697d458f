// How the sim writes a skill when an arm asks it to (purpose 'skill', baselines/skills): from the
// digest of a completed task it names the procedure after the kind of assignment, says when to use
// it, lists the steps that worked (failed tries dropped), restates the settings that mattered (those
// an error, the reviewer or its memory named, as they were when the calls succeeded) in the directive convention, and marks as a workflow shortcut each pair of consecutive
// steps that can share a turn (the first neither failed nor only read). With the profile's
// lesson_noise it leaves a setting out, as a real skill writer sometimes does.
//
// The digest it reads is the skills arm's (the lines it looks for are named below); anything else
// gets "No skill.".

import type { ModelRequest } from '../../core/messages.js';
import { textOf } from '../../core/messages.js';
import { formatWorkflowHint, parseDirectives, formatDirective } from '../../core/directives.js';
import type { SimProfile } from './profiles.js';
import type { Rng } from '../../core/rng.js';

/** How a skill-writing request's system prompt starts (baselines/skills): HTTP carries no purpose. */
export const SKILL_SYSTEM_START = 'You keep a library of skills';

/** Cut the assignment's first sentence at the first of these (what follows names the parties). */
const CUTS = [' for filing', ' for ', ' on behalf', ' between ', ' under ', ' to the ', ' to ', ' against ', ' with ', ', '];
const DROP = new Set(['draft', 'write', 'prepare', 'a', 'an', 'the', 'no', 's', 'of', 'in', 'to', 'and', 'for', 'on']);
const READ_LIKE = /^(read|get|list|search|view|open|fetch|cat|ls|find)/;

/** The kind of assignment, from its first sentence: "Draft Plaintiff's Motion to Compel Production ..." -> its leading phrase. */
export function assignmentKind(assignment: string): string {
  // The first sentence ("No. 2" does not end one).
  let sentence = assignment.split(/(?<=[.!?])(?<!\bNo\.)\s/)[0] ?? assignment;
  let cut = sentence.length;
  for (const marker of CUTS) {
    let at = sentence.indexOf(marker);
    // "Motion to Compel", "Motion for Leave": a motion's "to" or "for" belongs to its name.
    while (at >= 0 && (marker === ' to ' || marker === ' for ') && /motion$/i.test(sentence.slice(0, at)))
      at = sentence.indexOf(marker, at + 1);
    if (at > 0 && at < cut) cut = at;
  }
  sentence = sentence.slice(0, cut);
  return sentence
    .replace(/\([^)]*\)/g, (m) => m.slice(1, -1))
    .replace(/\s+/g, ' ')
    .trim();
}

export function skillName(kind: string): string {
  const words = kind
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .split(' ')
    .filter((w) => w && !DROP.has(w) && !/^\d+$/.test(w));
  return words.slice(0, 6).join('-') || 'task';
}

interface Step {
  tools: string[];
  error: boolean;
}

function parseSteps(text: string): Step[] {
  const steps: Step[] = [];
  for (const line of text.split('\n')) {
    const m = /^- turn \d+: (.+?)( \(error\))?$/.exec(line);
    if (!m) continue;
    const tools = m[1]!
      .split(';')
      .map((t) => t.trim().replace(/ x\d+$/, ''))
      .filter(Boolean);
    steps.push({ tools, error: Boolean(m[2]) });
  }
  return steps;
}

export function skillReply(request: ModelRequest, profile: SimProfile, rng: Rng): string {
  const text = request.messages.map((m) => textOf(m.content)).join('\n');
  const title = /^Task: (.+?) \(family: ([^)]+)\)$/m.exec(text);
  const assignment = /^Assignment: (.+)$/m.exec(text)?.[1]?.trim();
  // A task it completed, or one it submitted without learning how it was judged (baselines/skills, learn_from).
  if (!title || !/^Outcome: (?:completed|submitted)\b/m.test(text)) return 'No skill.';
  const family = title[2]!;
  const kind = assignmentKind(assignment ?? title[1]!);
  const name = skillName(kind);

  // The procedure that worked: consecutive turns with the same tools collapse; a failed try is dropped.
  const collapsed: Step[] = [];
  for (const step of parseSteps(text)) {
    const last = collapsed.at(-1);
    if (last && last.tools.join() === step.tools.join()) collapsed[collapsed.length - 1] = step;
    else collapsed.push(step);
  }
  const stepLines = collapsed.map((s, i) => `${i + 1}. ${s.tools.join(', then ')}`);
  const shortcuts: string[] = [];
  for (let i = 0; i + 1 < collapsed.length; i++) {
    const [a, b] = [collapsed[i]!, collapsed[i + 1]!];
    if (a.error || a.tools.length !== 1 || b.tools.length !== 1) continue;
    const [x, y] = [a.tools[0]!, b.tools[0]!];
    if (x === y || READ_LIKE.test(x) || y === 'submit') continue;
    shortcuts.push(formatWorkflowHint(`${x}+${y}`));
  }

  const settingsAt = text.indexOf('Settings of the calls that succeeded:');
  const settingsText = settingsAt >= 0 ? text.slice(settingsAt).split('\n\n')[0]! : '';
  // The settings that mattered: those an error, the reviewer or the memory named during the task
  // (the rest were defaults that happened to do), as they were when the calls succeeded.
  const rest = text.slice(0, Math.max(0, settingsAt)) + text.slice(settingsAt + settingsText.length);
  const taught = new Set([...rest.matchAll(/\b([a-z][a-z0-9_]*\.[a-z][a-z0-9_]*)\b/g)].map((m) => m[1]!));
  const settings = parseDirectives(settingsText)
    .filter((d) => taught.has(d.choice))
    .filter((d) => !rng.fork(`noise:${d.choice}=${d.value}`).chance(profile.lesson_noise))
    .map((d) => `- ${formatDirective(d.choice, d.value)}`);

  return [
    `Skill: ${name}`,
    `When to use: ${kind} (tasks of the ${family} family).`,
    'Steps:',
    ...(stepLines.length ? stepLines : ['1. Do the task as assigned, then submit.']),
    'Settings:',
    ...(settings.length ? settings : ['- (none recorded)']),
    ...(shortcuts.length ? [`Workflow: ${shortcuts.join(' ')} (these steps can share one turn)`] : []),
  ].join('\n');
}
