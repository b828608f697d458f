// A minimal suite for checking the sim's profile parameters against a run's records. Every task is
// one setting to get right, whose wrong (naive) value draws a tool error that names the fix, then an
// answer that is right when the sim's skill draw says the work went well. So each parameter shows as
// one rate in the records: a first call that avoids the error (apply_lesson, with the fix in memory),
// a retry that takes the fix (recover), a right answer (skill), a lesson that names the fix
// (lesson_noise), a grading round that agrees with the checker (grader_accuracy).
// Development only: tests reach it by standing in for the suite registry.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ContentBlock } from '../core/messages.js';
import type { Environment, Suite, Task } from '../core/suite.js';
import type { SimPolicy } from '../models/sim/policy.js';

export const CALIBRATION_SUITE = 'sim-calibration';
export const CALIBRATION_PITFALL = 'calib-value';
/** The setting's naive value and the one that works. */
export const NAIVE = 'naive';
export const RIGHT = 'right';
/** The answer of competent work. */
export const DONE = 'done';

const TASKS = 24;

const tasks: Task[] = Array.from({ length: TASKS }, (_, i) => {
  const id = `calib-${String(i + 1).padStart(2, '0')}`;
  return {
    id,
    suite: CALIBRATION_SUITE,
    family: 'calib',
    title: `Calibration task ${i + 1}`,
    prompt: `Calibration task ${i + 1}: set the value with set_value, then submit your answer with submit.`,
    files: {},
    pitfalls: [CALIBRATION_PITFALL],
    rubric: [`States: "answer: ${DONE}"`],
    expected: {},
  };
});

function environment(): Environment {
  let value: string | undefined;
  let answer: string | undefined;
  let hit = false;
  return {
    tools: [
      { name: 'set_value', description: 'Set the value.', input_schema: { type: 'object', properties: { value: { type: 'string' } } } },
      { name: 'submit', description: 'Submit the answer.', input_schema: { type: 'object', properties: { answer: { type: 'string' } } } },
    ],
    async call(name, input) {
      if (name === 'set_value') {
        if (input.value !== RIGHT) {
          hit = true;
          return {
            is_error: true,
            content: `set_value failed: "${String(input.value)}" is not accepted here. Use set_value.value="${RIGHT}".`,
          };
        }
        value = RIGHT;
        return { content: 'Value set.' };
      }
      if (name === 'submit') {
        if (typeof input.answer === 'string') answer = input.answer;
        return { content: 'Submitted.', submitted: true };
      }
      return { is_error: true, content: `unknown tool ${name}` };
    },
    async check() {
      const checks = [
        { id: 'value', passed: value === RIGHT },
        { id: 'answer', passed: answer === DONE },
      ];
      const passed = checks.filter((c) => c.passed).length;
      return { success: passed === checks.length, score: passed / checks.length, feedback: [], checks };
    },
    pitfallsHit: () => (hit ? [CALIBRATION_PITFALL] : []),
    async output() {
      return `value: ${value ?? '(none)'}\nanswer: ${answer ?? '(none)'}`;
    },
  };
}

/** Set the value (a lesson, a hint after the error, or the naive value); retry once after an error; then answer. */
const policy: SimPolicy = {
  act(view) {
    const answer = (): ContentBlock[] => [view.toolUse('submit', { answer: view.competent('work') ? DONE : 'sloppy' })];
    if (view.history.some((h) => h.use.name === 'submit'))
      return view.revisionRequest !== undefined ? answer() : [{ type: 'text', text: 'Done.' }];
    const sets = view.history.filter((h) => h.use.name === 'set_value');
    const last = sets.at(-1);
    if (!last || (last.result?.is_error && sets.length < 2))
      return [view.toolUse('set_value', { value: view.choose('set_value.value', NAIVE).value })];
    return answer();
  },
};

const suite: Suite = {
  name: CALIBRATION_SUITE,
  description: 'One setting and one answer per task: checks the sim profile parameters against run records.',
  dataDir: mkdtempSync(join(tmpdir(), 'dreambench-calibration-')),
  systemPrompt: 'You set values and submit answers.',
  families: [{ id: 'calib', title: 'Calibration', description: 'One setting, one answer.' }],
  pitfalls: [
    {
      id: CALIBRATION_PITFALL,
      kind: 'tool_workaround',
      families: ['*'],
      description: 'set_value refuses the naive value and names the one that works.',
      surfaces: 'tool_error',
      choice: 'set_value.value',
      naive: NAIVE,
      fix: RIGHT,
    },
  ],
  tasks,
  createEnvironment: async () => environment(),
  simPolicy: policy,
};

export default suite;
