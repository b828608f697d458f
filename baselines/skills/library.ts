// The skill library: one plain Markdown file per skill, skills/<name>.md, in the arm's memory.
//
//   # Skill: <name>
//   When to use: <one sentence>
//   ## Steps            numbered steps that worked
//   ## Settings         concrete settings that worked, as tool.param="value" directives
//   ## Workflow         optional shortcuts, as workflow:<a>+<b> hints
//   ## Provenance       one line per trial the skill came from: session, trial id, created/updated
//
// The agent sees every section but Provenance. A skill is created from a completed trial and updated
// (its text replaced by the newer one, its provenance extended) when a later trial writes a skill of
// the same name.

import { parseDirectives, formatDirective, parseWorkflowHints, formatWorkflowHint } from '../../harness/core/directives.js';
import type { MemoryFiles } from '../../harness/core/arm.js';

export const SKILLS_DIR = 'skills/';
/** Provenance lines kept per skill (the oldest beyond this are summarised in one line). */
export const MAX_PROVENANCE = 20;

export interface Provenance {
  session: number;
  trial: string;
  task: string;
  action: 'created' | 'updated';
}

export interface Skill {
  name: string;
  when: string;
  steps: string[];
  /** `tool.param="value"` directives. */
  settings: string[];
  /** `workflow:<label>` hints. */
  workflow: string[];
  provenance: Provenance[];
  /** Provenance lines dropped beyond MAX_PROVENANCE. */
  older?: number;
}

export const skillFile = (name: string): string => `${SKILLS_DIR}${name}.md`;

/** A skill name as a file-safe slug. */
export function slug(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64);
}

/**
 * A skill as a model wrote it (the reply format the extraction prompt asks for), without provenance.
 * Lenient: section names in any case, bullets or numbers; undefined for "No skill." or no name.
 */
export function parseSkillReply(text: string): Omit<Skill, 'provenance'> | undefined {
  const name = slug(/^\s*(?:#+\s*)?Skill:\s*(.+)$/im.exec(text)?.[1] ?? '');
  if (!name) return undefined;
  const when = /^\s*When to use:\s*(.+)$/im.exec(text)?.[1]?.trim() ?? '';
  const section = (label: string): string[] => {
    const lines = text.split('\n');
    const start = lines.findIndex((l) => new RegExp(`^\\s*(?:#+\\s*)?${label}:?\\s*$`, 'i').test(l));
    if (start < 0) return [];
    const out: string[] = [];
    for (const line of lines.slice(start + 1)) {
      if (/^\s*(?:#+\s*)?(Steps|Settings|Workflow|When to use|Skill)\b.*:/i.test(line) || /^\s*#/.test(line)) break;
      const item = line.replace(/^\s*(?:[-*]|\d+[.)])\s*/, '').trim();
      if (item && !/^\(none/i.test(item)) out.push(item);
    }
    return out;
  };
  const steps = section('Steps');
  const settings = parseDirectives(section('Settings').join('\n')).map((d) => formatDirective(d.choice, d.value));
  const workflow = parseWorkflowHints(text).map(formatWorkflowHint);
  return { name, when, steps, settings: [...new Set(settings)], workflow };
}

/** The skill's file text. `forAgent` leaves provenance out (what contextFor shows). */
export function renderSkill(skill: Skill, forAgent = false): string {
  const lines = [`# Skill: ${skill.name}`, '', `When to use: ${skill.when || '(not stated)'}`, '', '## Steps'];
  lines.push(...(skill.steps.length ? skill.steps.map((s, i) => `${i + 1}. ${s}`) : ['(none recorded)']));
  lines.push('', '## Settings', ...(skill.settings.length ? skill.settings.map((s) => `- ${s}`) : ['(none recorded)']));
  if (skill.workflow.length) lines.push('', '## Workflow', `${skill.workflow.join(' ')} (these steps can share one turn)`);
  if (!forAgent) {
    lines.push('', '## Provenance');
    if (skill.older) lines.push(`- ${skill.older} earlier trial(s) not listed`);
    lines.push(...skill.provenance.map((p) => `- session ${p.session}: ${p.trial} (task ${p.task}, ${p.action})`));
  }
  return `${lines.join('\n')}\n`;
}

/** Read a skill file back. */
export function parseSkillFile(text: string): Skill | undefined {
  const name = /^# Skill: (.+)$/m.exec(text)?.[1]?.trim();
  if (!name) return undefined;
  const lines = text.split('\n');
  const sectionOf = (heading: string): string[] => {
    const start = lines.indexOf(`## ${heading}`);
    if (start < 0) return [];
    const end = lines.findIndex((l, i) => i > start && l.startsWith('## '));
    return lines
      .slice(start + 1, end < 0 ? undefined : end)
      .map((l) => l.trim())
      .filter((l) => l && !/^\(none recorded\)$/.test(l));
  };
  const provenance: Provenance[] = [];
  let older = 0;
  for (const line of sectionOf('Provenance')) {
    const p = /^- session (\d+): (\S+) \(task (\S+), (created|updated)\)$/.exec(line);
    if (p) provenance.push({ session: Number(p[1]), trial: p[2]!, task: p[3]!, action: p[4] as Provenance['action'] });
    const o = /^- (\d+) earlier trial/.exec(line);
    if (o) older = Number(o[1]);
  }
  return {
    name,
    when: /^When to use: (.*)$/m.exec(text)?.[1]?.trim() ?? '',
    steps: sectionOf('Steps').map((l) => l.replace(/^\d+[.)]\s*/, '')),
    settings: sectionOf('Settings').map((l) => l.replace(/^-\s*/, '')),
    workflow: parseWorkflowHints(sectionOf('Workflow').join(' ')).map(formatWorkflowHint),
    provenance,
    ...(older ? { older } : {}),
  };
}

/** Every skill in a memory store, by name. */
export function readLibrary(memory: MemoryFiles): Skill[] {
  const skills: Skill[] = [];
  for (const [path, text] of Object.entries(memory)) {
    if (!path.startsWith(SKILLS_DIR) || !path.endsWith('.md')) continue;
    const skill = parseSkillFile(text);
    if (skill) skills.push(skill);
  }
  return skills.sort((a, b) => a.name.localeCompare(b.name));
}

/** Add or update a skill: the newer text wins, provenance accumulates (bounded). */
export function mergeSkill(existing: Skill | undefined, fresh: Omit<Skill, 'provenance'>, origin: Omit<Provenance, 'action'>): Skill {
  const provenance = [...(existing?.provenance ?? []), { ...origin, action: existing ? 'updated' : 'created' } as Provenance];
  const dropped = Math.max(0, provenance.length - MAX_PROVENANCE);
  const older = (existing?.older ?? 0) + dropped;
  return {
    name: fresh.name,
    when: fresh.when || existing?.when || '',
    steps: fresh.steps.length ? fresh.steps : (existing?.steps ?? []),
    // A newer setting replaces the older one of the same tool.param; settings it does not mention stay.
    settings: [...fresh.settings, ...(existing?.settings ?? []).filter((s) => !fresh.settings.some((f) => choiceOf(f) === choiceOf(s)))],
    workflow: [...new Set([...fresh.workflow, ...(existing?.workflow ?? [])])],
    provenance: provenance.slice(dropped),
    ...(older ? { older } : {}),
  };
}

const choiceOf = (setting: string): string => parseDirectives(setting)[0]?.choice ?? setting;

/** The session a skill was last created or updated in (0 if unknown). */
export function lastTouched(skill: Skill): number {
  return Math.max(0, ...skill.provenance.map((p) => p.session));
}
