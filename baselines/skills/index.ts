// skills: a Hermes-style skill library. After a completed trial the agent writes a skill (a named
// procedure: when to use it, the steps that worked, the concrete settings that worked, workflow
// shortcuts); at the session's end the skills are added to the library, skills/<name>.md, or update
// the skill of the same name, with provenance (the trials each came from, and their session). Before
// each task the most relevant skills are retrieved (BM25 of the task's title and prompt against each
// skill's name and when-to-use line, top k; see retrieval.ts) and given in context.
//
// By default only completed trials (error_class none) yield skills: a failed trial teaches no
// procedure that worked. With learn_from: submitted, every trial the agent brought to an end (error
// class none or agent, not a budget stop or an infrastructure failure) yields one, as a deployed agent
// that never sees a hidden checker writes skills from the tasks it finished; its digest then shows
// neither the checker's verdict nor its feedback. The library's size is recorded per trial (record.memory_stats.library_size, with
// skills_retrieved) and per session (the session_consolidated event's details), so "faster after 20+
// skills" can be checked (a claim with filter memory_entries_min, reports/claims.ts).
//
// Options:
//   top_k           skills given per task (default 3)
//   min_score       lowest BM25 score a skill needs to be given (default 0: any match)
//   max_skills      library bound: the skills touched longest ago are dropped beyond it (default none)
//   min_tool_calls  a completed trial needs at least this many tool calls to yield a skill (default 0;
//                   Hermes' own threshold for "a complex task" is 5)
//   learn_from      completed (default): trials the checker passed; submitted: every trial the agent
//                   finished, verdict unseen

import { z } from 'zod';
import type { ArmFactory, ArmUsage, MemoryFiles } from '../../harness/core/arm.js';
import { textOf } from '../../harness/core/messages.js';
import { parseArmOptions } from '../../harness/core/options.js';
import { trialId, type TrialRecord } from '../../harness/core/records.js';
import type { Task } from '../../harness/core/suite.js';
import { skillDigest } from './digest.js';
import { lastTouched, mergeSkill, parseSkillReply, readLibrary, renderSkill, skillFile, SKILLS_DIR, type Skill } from './library.js';
import { retrieve } from './retrieval.js';
import { SKILL_SYSTEM_START } from '../../harness/models/sim/skill-reply.js';

export const SKILL_PROMPT = `${SKILL_SYSTEM_START}: reusable procedures for the kinds of tasks you meet again. You have just completed a task. Write one skill from it, so that the next task of this kind goes right the first time and faster. Reply in exactly this format:

Skill: <short kebab-case name for the kind of task, never this task's parties or numbers>
When to use: <one sentence: the kind of task and what signals it>
Steps:
1. <step>
2. <step>
Settings:
- tool.param="value"   (the concrete settings that mattered: those an error or the reviewer corrected, or that you would otherwise get wrong; exactly as used, one per line)
Workflow: <optional shortcuts, e.g. workflow:<tool_a>+<tool_b> when two steps can share one turn>

If a skill you were given already covers this kind of task, reuse its name: it is updated. If the task taught nothing reusable, reply "No skill."`;

const options = z.strictObject({
  top_k: z.number().int().min(1).default(3).describe('skills given per task'),
  min_score: z.number().min(0).default(0).describe('lowest BM25 score a skill needs to be given (0: any match)'),
  max_skills: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe('library bound: the skills touched longest ago are dropped beyond it (default none)'),
  min_tool_calls: z.number().int().min(0).default(0).describe('a completed trial needs at least this many tool calls to yield a skill'),
  learn_from: z
    .enum(['completed', 'submitted'])
    .default('completed')
    .describe('which trials yield skills: completed ones, or every task the agent finished (verdict and checker feedback unseen)'),
});

/** What afterTrial notes for the session's end: the skill the trial yielded. */
interface SkillNote {
  skill: Omit<Skill, 'provenance'>;
}

export function skillQuery(task: Task): string {
  return `${task.title}\n${task.prompt}`;
}

/** The memory text a task gets: the retrieved skills without provenance, most relevant first. */
export function skillsContext(
  task: Task,
  memory: MemoryFiles,
  topK: number,
  minScore: number,
): { text: string; library: number; retrieved: Skill[] } {
  const library = readLibrary(memory);
  const retrieved = retrieve(skillQuery(task), library, topK, minScore).map((r) => r.skill);
  if (retrieved.length === 0) return { text: '', library: library.length, retrieved };
  const text = [
    '# Skills',
    '',
    `Your skill library holds ${library.length} skill${library.length === 1 ? '' : 's'}; ${retrieved.length === 1 ? 'this one fits' : `these ${retrieved.length} fit`} this task best (most relevant first). When a skill fits, follow its steps and use its settings.`,
    ...retrieved.map(
      (s) =>
        `\n${renderSkill(s, true)
          .replace(/^# Skill:/m, '## Skill:')
          .replace(/^## (Steps|Settings|Workflow)$/gm, '### $1')
          .trimEnd()}`,
    ),
  ].join('\n');
  return { text, library: library.length, retrieved };
}

const skills: ArmFactory = {
  name: 'skills',
  description: 'Hermes-style skill library: skills written after completed tasks, retrieved per task (BM25, top k), with provenance.',
  options,
  create(raw) {
    const parsed = parseArmOptions('skills', options, raw);
    const { top_k: topK, min_score: minScore, min_tool_calls: minToolCalls, learn_from: learnFrom } = parsed;
    const maxSkills = parsed.max_skills ?? Infinity;
    const yieldsSkill = (record: TrialRecord): boolean =>
      learnFrom === 'completed'
        ? record.success && record.error_class === 'none'
        : record.error_class === 'none' || record.error_class === 'agent';
    return {
      name: 'skills',
      contextFor: (task, memory) => skillsContext(task, memory, topK, minScore).text,
      memoryStats(task, memory) {
        const { library, retrieved } = skillsContext(task, memory, topK, minScore);
        return { library_size: library, skills_retrieved: retrieved.length };
      },
      async afterTrial({ task, record, transcript }, context) {
        if (!yieldsSkill(record) || record.tool_calls < minToolCalls) return {};
        const started = performance.now();
        const reply = await context.model.create(
          {
            system: [{ type: 'text', text: SKILL_PROMPT }],
            messages: [{ role: 'user', content: skillDigest(transcript, task, { verdict: learnFrom === 'completed' }) }],
            max_tokens: 1024,
          },
          { seedKey: `${context.seedKey}:skill`, purpose: 'skill', subject: { suite: task.suite, family: task.family, task: task.id } },
        );
        const usage: ArmUsage = { ...reply.usage, cost_usd: reply.cost_usd, calls: 1, wall_ms: Math.round(performance.now() - started) };
        const skill = parseSkillReply(textOf(reply.content));
        return skill ? { notes: JSON.stringify({ skill } satisfies SkillNote), usage } : { usage };
      },
      async afterSession({ memory, trials }, context) {
        const library = new Map(readLibrary(memory).map((s) => [s.name, s]));
        const before = new Set(library.keys());
        const touched = new Set<string>();
        // Schedule order, so the library never depends on which trial finished first.
        for (const record of trials) {
          const note = parseNote(record.notes);
          if (!note || !yieldsSkill(record)) continue;
          const name = note.skill.name;
          library.set(
            name,
            mergeSkill(library.get(name), note.skill, { session: context.session, trial: trialId(record), task: record.task }),
          );
          touched.add(name);
        }
        const created = [...touched].filter((n) => !before.has(n));
        const updated = [...touched].filter((n) => before.has(n));
        let evicted: string[] = [];
        if (library.size > maxSkills) {
          const order = [...library.values()].sort((a, b) => lastTouched(a) - lastTouched(b) || a.name.localeCompare(b.name));
          evicted = order.slice(0, library.size - maxSkills).map((s) => s.name);
          for (const name of evicted) library.delete(name);
        }
        const next: MemoryFiles = Object.fromEntries(Object.entries(memory).filter(([path]) => !path.startsWith(SKILLS_DIR)));
        for (const skill of [...library.values()].sort((a, b) => a.name.localeCompare(b.name)))
          next[skillFile(skill.name)] = renderSkill(skill);
        return {
          memory: next,
          details: { library_size: library.size, created, updated, ...(evicted.length ? { evicted } : {}) },
        };
      },
    };
  },
};

function parseNote(notes: string | undefined): SkillNote | undefined {
  if (!notes) return undefined;
  try {
    const parsed = JSON.parse(notes) as Partial<SkillNote>;
    return parsed.skill && typeof parsed.skill.name === 'string' ? (parsed as SkillNote) : undefined;
  } catch {
    return undefined;
  }
}

export default skills;
