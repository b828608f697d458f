// Outcomes: an independent grader loop. After the agent submits, a grader agent (the run's
// grader_model) reads ONLY the work's output (Environment.output: e.g. the document's text) and the
// task's rubric, never the working agent's system prompt, memory, messages, tool calls or reasoning,
// and returns per-criterion scores and feedback as JSON (harness/grader/protocol.ts). Until the
// grader passes the work, the agent revises it in place (same workspace and conversation, the
// feedback as a new user message), up to `rounds` times.
//
// The grader's verdict on the final output is recorded next to the deterministic checker's
// (`record.grader`, with every round in `record.grader.rounds`), so the report can show how far the
// grader agrees with the checker (reports/agreement.ts). A reply that is not valid JSON in the
// schema gets one repair request; if it is still malformed the round is a grader failure: recorded
// (`grader.failure`), and the loop stops.
//
// Options
//   rounds   max revision rounds after the first submission (default 2: up to 3 gradings)

import type { ArmFactory, GraderVerdict, TrialDriver, TrialLoopResult } from '../../harness/core/arm.js';
import type { ModelRequest } from '../../harness/core/messages.js';
import { replyThenUser, textOf } from '../../harness/core/messages.js';
import { z } from 'zod';
import { parseArmOptions } from '../../harness/core/options.js';
import { GRADER_SYSTEM_PROMPT, graderPrompt, parseGraderReply, repairPrompt, type ParsedVerdict } from '../../harness/grader/protocol.js';

const GRADER_MAX_TOKENS = 4096;

const options = z.strictObject({
  rounds: z.number().int().min(0).default(2).describe('max revision rounds after the first submission (2: up to 3 gradings)'),
});

type Graded = { ok: true; verdict: ParsedVerdict } | { ok: false; error: string };

/** Ask the grader (one repair request on a malformed reply). Model infrastructure errors propagate. */
export async function grade(driver: TrialDriver, rubric: readonly string[], output: string, label: string): Promise<Graded> {
  const request: ModelRequest = {
    system: [{ type: 'text', text: GRADER_SYSTEM_PROMPT }],
    messages: [{ role: 'user', content: graderPrompt(rubric, output) }],
    max_tokens: GRADER_MAX_TOKENS,
  };
  const first = textOf((await driver.call('grader', request, 'grade', label)).content);
  const parsed = parseGraderReply(first, rubric);
  if (parsed.ok) return parsed;
  const repair: ModelRequest = {
    ...request,
    // An empty first reply (a refusal, an empty end_turn) is not sent back as an assistant turn: the API rejects empty content.
    messages: replyThenUser(request.messages, first, repairPrompt(parsed.error, rubric.length)),
  };
  const second = parseGraderReply(textOf((await driver.call('grader', repair, 'grade', `${label}-repair`)).content), rubric);
  if (second.ok) return second;
  return { ok: false, error: `malformed grader reply after one repair request: ${second.error}` };
}

/** The user message that asks the agent to revise: the unmet criteria with the grader's feedback. */
export function revisionMessage(verdict: ParsedVerdict): string {
  const unmet = verdict.criteria.filter((c) => !c.passed);
  return [
    `An independent reviewer graded your submitted work against the task's rubric and did not accept it yet (score ${verdict.score.toFixed(2)}).`,
    '',
    'Criteria not met:',
    ...unmet.map((c) => `- ${c.criterion.replace(/\s+/g, ' ').trim()} — ${(c.feedback ?? 'not met').replace(/\s+/g, ' ').trim()}`),
    '',
    'Revise the work where it is (your files are as you left them) to address every point, then submit again.',
  ].join('\n');
}

const outcomes: ArmFactory = {
  name: 'outcomes',
  description:
    'Grader loop: an independent grader sees only the output and the rubric; the agent revises on its feedback (up to n rounds).',
  // The grader's feedback lives within a trial; nothing carries to the next one.
  carriesMemory: () => false,
  options,
  create(raw) {
    const { rounds } = parseArmOptions('outcomes', options, raw);
    return {
      name: 'outcomes',
      contextFor: () => '',
      async runTrial(driver: TrialDriver): Promise<TrialLoopResult> {
        const rubric = driver.task.rubric;
        let outcome = await driver.attempt();
        if (rubric.length === 0) return { notes: 'the task has no rubric: nothing to grade against' };
        const history: NonNullable<GraderVerdict['rounds']> = [];
        let last: GraderVerdict | undefined;
        for (let round = 0; !outcome.infra; round++) {
          const graded = await grade(driver, rubric, await driver.output(), `grade-r${round}`);
          const key = { attempt: outcome.attempt, revision: outcome.revision };
          if (!graded.ok) {
            history.push({ ...key, success: false, score: 0, failure: graded.error });
            last = { success: false, score: 0, criteria: [], failure: graded.error };
            break;
          }
          const { summary: _summary, ...verdict } = graded.verdict;
          history.push({ ...key, success: verdict.success, score: verdict.score });
          last = verdict;
          if (verdict.success || round >= rounds) break;
          outcome = await driver.revise(revisionMessage(graded.verdict));
        }
        return last ? { grader: { ...last, rounds: history } } : {};
      },
    };
  },
};

export default outcomes;
