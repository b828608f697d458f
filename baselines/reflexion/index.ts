// Reflexion (Shinn et al., 2023): try the task; an evaluator says whether the attempt succeeded (the
// binary signal and the score of the deterministic checker) and shows the feedback the setting
// makes visible; after a failed attempt the agent itself writes a self-reflection, and the next
// attempt starts fresh (a new workspace) with the reflections so far in its context: an episodic
// memory for that task. At most `k` retries. pass@1 after each attempt is in `record.attempts`.
//
// Options
//   k                max retries after the first attempt (default 2: up to 3 attempts)
//   feedback         what the reflection may see besides its own actions and the outcome:
//                    'checker' (default) the tool errors and the checker's visible feedback,
//                    'tool_errors' the tool errors only (e.g. visible test failures flagged as
//                    errors), 'none' nothing but the outcome (binary signal and score)
//   persist          keep each task's reflections across sessions (default false, as in the paper:
//                    the memory is per task and per trial); when true, they are stored in the
//                    arm's memory as reflections/<task id>.md and given back when the task recurs
//   max_reflections  reflections kept in context per task, newest last (default 3, the paper's
//                    bound on the memory's size)
//   evaluator        what decides that an attempt failed and must be retried: 'checker' (default)
//                    the deterministic checker's verdict (the environment's binary reward, as in the
//                    paper's decision-making tasks), or 'self' the suite's self-evaluation the agent
//                    could run itself, e.g. a coding task's visible tests (as in the paper's
//                    programming experiments: hidden tests never decide a retry). Suites without a
//                    self-evaluation fall back to the checker, and the record says so.
//
// Faithfulness notes. The reflection is written by the agent's own model (purpose 'reflect'), from
// its own trajectory (its tool calls), the outcome and the visible feedback; the evaluator never
// writes advice. The retry decision uses the checker's success, as the paper's decision-making
// tasks use the environment's binary reward; on coding suites the checker's hidden tests decide
// success while only what the agent saw (visible tests) is shown.

import type { ArmFactory, ArmContext, AttemptOutcome, MemoryFiles, TrialDriver, TrialLoopResult } from '../../harness/core/arm.js';
import { textOf } from '../../harness/core/messages.js';
import type { Task } from '../../harness/core/suite.js';
import { z } from 'zod';
import { parseArmOptions } from '../../harness/core/options.js';

export const REFLECTIONS_DIR = 'reflections';
const FEEDBACK = ['checker', 'tool_errors', 'none'] as const;
export type ReflexionFeedback = (typeof FEEDBACK)[number];

const options = z.strictObject({
  k: z.number().int().min(0).default(2).describe('max retries after the first attempt (2: up to 3 attempts)'),
  feedback: z.enum(FEEDBACK).default('checker').describe('what a reflection may see besides its actions and the outcome'),
  persist: z.boolean().default(false).describe("keep each task's reflections across sessions (reflections/<task id>.md)"),
  max_reflections: z.number().int().min(1).default(3).describe('reflections kept in context per task, newest last'),
  evaluator: z.enum(['checker', 'self']).default('checker').describe("what decides a retry: the checker, or the suite's self-evaluation"),
});

export const REFLECT_SYSTEM = `You are an agent that has just failed an attempt at a task. You will be given the task, what you did, the outcome, and any feedback you are allowed to see, together with your reflections on earlier attempts.

Diagnose in a few sentences the most likely reason the attempt failed, then write a concise, concrete plan that avoids the same failure next time. Name concrete settings and fixes exactly as the errors or the feedback named them (for example tool.param="value"). Write it as a short Markdown list, one "- " item per point. You will retry the task from scratch with this reflection in mind.`;

export function reflectionsFile(taskId: string): string {
  return `${REFLECTIONS_DIR}/${taskId}.md`;
}

/** The reflections block the agent reads before an attempt. */
export function reflectionsContext(reflections: readonly string[], title = 'Reflections on your earlier attempts at this task'): string {
  if (reflections.length === 0) return '';
  return [`# ${title}`, '', ...reflections.map((r, i) => `## Reflection ${i + 1}\n\n${r.trim()}`)].join('\n\n');
}

export interface StoredReflection {
  /** Where it came from, e.g. "session 2, attempt 1". */
  source: string;
  text: string;
}

/** Entries of a stored reflections file (one `## <source>` block each), oldest first. */
export function storedReflections(text: string | undefined): StoredReflection[] {
  if (!text) return [];
  return text
    .split(/^## /m)
    .slice(1)
    .map((block) => {
      const newline = block.indexOf('\n');
      return { source: (newline < 0 ? block : block.slice(0, newline)).trim(), text: newline < 0 ? '' : block.slice(newline + 1).trim() };
    })
    .filter((entry) => entry.text);
}

function renderStore(taskId: string, entries: readonly StoredReflection[]): string {
  return `# Reflections on task ${taskId}\n\n${entries.map((e) => `## ${e.source}\n\n${e.text.trim()}\n`).join('\n')}`;
}

/** What a trial leaves in its record's notes: its reflections, in order. */
interface TrialNotes {
  reflections: Array<{ attempt: number; text: string }>;
  /** Set when `evaluator: self` had to use the checker. */
  evaluator?: string;
}

const reflexion: ArmFactory = {
  name: 'reflexion',
  description:
    'Reflexion: after a failed attempt the agent writes a self-reflection and retries fresh with it (k retries; per-task episodic memory).',
  // Reflections carry to the task's later trials only with `persist`.
  carriesMemory: (raw) => raw.persist === true,
  options,
  create(raw) {
    const { evaluator, k, feedback, persist, max_reflections: window } = parseArmOptions('reflexion', options, raw);

    const digestOptions = { actions: true, tool_errors: feedback !== 'none', feedback: feedback === 'checker' };

    async function reflect(
      driver: TrialDriver,
      earlier: readonly string[],
      attempt: AttemptOutcome,
      evaluation?: string[],
    ): Promise<string> {
      const parts = [driver.digest(digestOptions)];
      if (evaluation?.length && feedback !== 'none')
        parts.push('', 'Your own evaluation of the attempt:', ...evaluation.map((line) => `- ${line}`));
      if (driver.memoryText.trim()) parts.push('', driver.memoryText.trim());
      if (earlier.length) parts.push('', reflectionsContext(earlier, 'Your reflections so far'));
      parts.push('', `Attempt ${attempt.attempt} did not complete the task. Reflect, then plan the next attempt.`);
      const reply = await driver.call(
        'agent',
        { system: [{ type: 'text', text: REFLECT_SYSTEM }], messages: [{ role: 'user', content: parts.join('\n') }], max_tokens: 1024 },
        'reflect',
        `reflect-a${attempt.attempt}`,
      );
      return textOf(reply.content).trim() || '(no reflection)';
    }

    return {
      name: 'reflexion',
      contextFor(task: Task, memory: MemoryFiles): string {
        if (!persist) return '';
        const past = storedReflections(memory[reflectionsFile(task.id)]).slice(-window);
        return reflectionsContext(
          past.map((p) => p.text),
          'Reflections from earlier sessions on this task',
        );
      },

      async runTrial(driver: TrialDriver, _context: ArmContext): Promise<TrialLoopResult> {
        const reflections: TrialNotes['reflections'] = [];
        const texts = () => reflections.map((r) => r.text).slice(-window);
        let outcome = await driver.attempt();
        let fellBack = false;
        let evaluation: string[] | undefined;
        // Whether the evaluator calls the attempt a success (the trial's result is always the checker's).
        const passes = async (attempt: AttemptOutcome): Promise<boolean> => {
          if (evaluator === 'self') {
            const own = await driver.selfEvaluate();
            evaluation = own?.feedback;
            if (own) return own.success;
            fellBack = true;
          }
          return attempt.check.success;
        };
        for (let retry = 1; ; retry++) {
          if (outcome.infra || (await passes(outcome))) break;
          const another = retry <= k;
          // After the last failure a reflection only helps a later session: write it when it persists.
          if (!another && !persist) break;
          reflections.push({ attempt: outcome.attempt, text: await reflect(driver, texts(), outcome, evaluation) });
          if (!another) break;
          outcome = await driver.attempt(reflectionsContext(texts()));
        }
        const notes: TrialNotes = { reflections, ...(fellBack ? { evaluator: 'checker (the suite has no self-evaluation)' } : {}) };
        return reflections.length || fellBack ? { notes: JSON.stringify(notes) } : {};
      },

      async afterSession({ memory, trials }, context) {
        if (!persist) return { memory };
        const next: MemoryFiles = { ...memory };
        for (const record of trials) {
          const notes = parseNotes(record.notes);
          if (!notes?.reflections.length) continue;
          const file = reflectionsFile(record.task);
          const added = notes.reflections.map((r) => ({ source: `session ${context.session}, attempt ${r.attempt}`, text: r.text }));
          next[file] = renderStore(record.task, [...storedReflections(next[file]), ...added].slice(-window));
        }
        return { memory: next };
      },
    };
  },
};

function parseNotes(notes: string | undefined): TrialNotes | undefined {
  if (!notes) return undefined;
  try {
    const parsed = JSON.parse(notes) as Partial<TrialNotes>;
    return Array.isArray(parsed.reflections) ? { reflections: parsed.reflections } : undefined;
  } catch {
    return undefined;
  }
}

export default reflexion;
