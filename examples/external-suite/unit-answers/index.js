// @ts-check
// unit-answers: a task suite that lives outside the dreambench package. Each task asks for a unit
// conversion written to answer.txt; the team's house style wants a decimal comma (a pitfall the agent
// learns from review feedback). Plain JavaScript (ESM) with JSDoc types, so Node loads it as it is;
// `npx tsc --noEmit` type-checks it against dreambench's published types.

import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineSuite, formatDirective, z } from 'dreambench';

/** @typedef {import('dreambench').Task} Task */
/** @typedef {import('dreambench').Pitfall} Pitfall */
/** @typedef {import('dreambench').SimView} SimView */

const here = fileURLToPath(new URL('.', import.meta.url));
/** @type {Array<{id: string, family: string, value: number, from: string, to: string}>} */
const rows = JSON.parse(readFileSync(join(here, 'tasks.json'), 'utf8'));

/** Factors to the base unit (m, g). */
const FACTOR = /** @type {Record<string, number>} */ ({ km: 1000, m: 1, cm: 0.01, mi: 1609.344, kg: 1000, g: 1, lb: 453.59237, oz: 28.349523125 });

/** @type {Pitfall} */
const decimalComma = {
  id: 'decimal-comma',
  kind: 'preference',
  families: ['*'],
  description: 'The house style writes decimals with a comma (3,25), never a point.',
  surfaces: 'review',
  choice: 'write_answer.decimal_separator',
  naive: '.',
  fix: ',',
};

/** @param {number} places */
function makeTasks(places) {
  return rows.map((row) => {
    const answer = (row.value * FACTOR[row.from]) / FACTOR[row.to];
    /** @type {Task} */
    const task = {
      id: row.id,
      suite: 'unit-answers',
      family: row.family,
      title: `${row.value} ${row.from} in ${row.to}`,
      prompt: `Convert ${row.value} ${row.from} to ${row.to}. Write the number alone, rounded to ${places} decimal places, with the write_answer tool, then call submit.`,
      files: {},
      pitfalls: ['decimal-comma'],
      rubric: ['The number is the correct conversion, rounded as asked.', 'The house style for decimals is followed.'],
      expected: { answer: answer.toFixed(places), places },
    };
    return task;
  });
}

/** The number in house style: `places` decimals and a comma. */
const houseStyle = (/** @type {string} */ fixed) => fixed.replace('.', ',');

const tools = [
  {
    name: 'write_answer',
    description: 'Write your answer (the number alone) to answer.txt. decimal_separator: the character between the integer and the decimals.',
    input_schema: {
      type: /** @type {const} */ ('object'),
      properties: { text: { type: 'string' }, decimal_separator: { type: 'string', enum: ['.', ','] } },
      required: ['text'],
    },
  },
  { name: 'submit', description: 'Declare the task done.', input_schema: { type: /** @type {const} */ ('object'), properties: {} } },
];

/**
 * @param {number} places
 * @returns {import('dreambench').Suite}
 */
function build(places) {
  const tasks = makeTasks(places);
  return defineSuite({
    name: 'unit-answers',
    description: `Unit conversions written in the house style (${places} decimals, decimal comma): an example of a suite outside the package.`,
    dataDir: here,
    systemPrompt: 'You answer unit conversion requests for a team with a house style. Use the tools; finish with submit.',
    families: [
      { id: 'length', title: 'Lengths', description: 'km, m, cm, miles' },
      { id: 'mass', title: 'Masses', description: 'kg, g, lb, oz' },
    ],
    pitfalls: [decimalComma],
    tasks,
    options: z.strictObject({
      decimal_places: z.number().int().min(0).max(6).default(2).describe('decimal places every answer is rounded to'),
    }),
    configure: (options) => build(options.decimal_places),
    async createEnvironment(task, context) {
      const file = join(context.workdir, 'answer.txt');
      /** @type {Set<string>} */
      const hit = new Set();
      return {
        tools,
        async call(name, input) {
          if (name === 'submit') return { content: 'Submitted.', submitted: true };
          if (name !== 'write_answer') return { content: `unknown tool ${name}`, is_error: true };
          const separator = input.decimal_separator === ',' ? ',' : '.';
          const text = String(input.text ?? '').trim().replace(/[.,]/, separator);
          writeFileSync(file, `${text}\n`);
          return { content: `Wrote answer.txt: ${text}` };
        },
        async check() {
          const written = existsSync(file) ? readFileSync(file, 'utf8').trim() : '';
          const expected = String(task.expected.answer);
          const right = written.replace(',', '.') === expected;
          const styled = !/\./.test(written);
          /** @type {string[]} */
          const feedback = [];
          if (written && !styled) {
            hit.add('decimal-comma');
            feedback.push(`House style: write decimals with a comma, e.g. ${houseStyle(expected)} (${formatDirective('write_answer.decimal_separator', ',')}).`);
          }
          if (!right) feedback.push(written ? 'The number is not the right conversion.' : 'No answer was written.');
          const checks = [
            { id: 'value', passed: right },
            { id: 'house-style', passed: Boolean(written) && styled },
          ];
          const passed = checks.filter((c) => c.passed).length;
          return { success: passed === checks.length, score: passed / checks.length, feedback, checks };
        },
        pitfallsHit: () => [...hit],
        output: async () => (existsSync(file) ? readFileSync(file, 'utf8') : '(no answer)'),
      };
    },
    // How the built-in sim model does these tasks: it knows the arithmetic, not the house style.
    simPolicy: {
      act(/** @type {SimView} */ view) {
        if (view.history.some((h) => h.use.name === 'submit')) return [{ type: 'text', text: 'Done.' }];
        if (view.history.some((h) => h.use.name === 'write_answer')) return [view.toolUse('submit', {})];
        const match = /Convert ([\d.]+) (\w+) to (\w+)\. .* rounded to (\d+) decimal/.exec(view.prompt);
        if (!match) return [{ type: 'text', text: 'I cannot read this request.' }];
        const [, value, from, to, places] = match;
        const factor = view.competent('convert') ? FACTOR[/** @type {string} */ (from)] / FACTOR[/** @type {string} */ (to)] : FACTOR[/** @type {string} */ (to)] / FACTOR[/** @type {string} */ (from)];
        const text = (Number(value) * factor).toFixed(Number(places));
        const separator = view.choose('write_answer.decimal_separator', '.').value;
        return [view.toolUse('write_answer', { text, decimal_separator: separator })];
      },
    },
  });
}

export default build(2);
