// What an independent grader gets from this suite (the document's text, and a rubric whose
// checklists mirror the checker), and how the sim drafter revises on a grader's feedback.

import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { runAgent } from '../../harness/agent/loop.js';
import type { Environment, Task } from '../../harness/core/suite.js';
import { currentFix } from '../../harness/core/suite.js';
import { judgeCriterion } from '../../harness/models/sim/grader-reply.js';
import { SimModel } from '../../harness/models/sim/sim-model.js';
import { createDraftingEnvironment } from './environment.js';
import { runPolicy, workdir } from './fixtures/support.js';
import suite, { legalData } from './index.js';

const data = legalData();
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function open(task: Task): Promise<Environment> {
  const dir = workdir();
  dirs.push(dir);
  return createDraftingEnvironment(task, { workdir: dir, session: 1, drifted: new Set() }, data);
}
const allLessons = (): Record<string, string> => Object.fromEntries(data.pitfalls.map((p) => [p.choice, currentFix(p, new Set())]));
const honest = (task: Task, output: string) => task.rubric.map((c) => judgeCriterion(c, output)).every((j) => j.met);

describe('the grader view of a legal draft', () => {
  it('is the rendered document as a reader sees it: header legend, body, bold terms, tables', async () => {
    const task = data.tasks.find((t) => t.family === 'nda')!;
    const env = await open(task);
    expect(await env.output!()).toMatch(/^\(no draft\.docx was produced/);
    await runPolicy(env, task, { lessons: allLessons(), competent: true });
    const text = await env.output!();
    expect(text).toMatch(/^\[Page header\] CONFIDENTIAL\n/);
    expect(text).toContain('**“Confidential Information”**'); // the document's own (typographic) quotes
    for (const heading of (task.expected as { sections: string[] }).sections) expect(text.split('\n')).toContain(heading);
    expect(text).not.toMatch(/\d{2}\/\d{2}\/\d{4}/); // dates as the firm writes them

    const letter = data.tasks.find((t) => t.family === 'engagement-letter')!;
    const env2 = await open(letter);
    await runPolicy(env2, letter, { lessons: allLessons(), competent: true });
    expect(await env2.output!()).toMatch(/\n\| \*\*Timekeeper\*\* \| \*\*Hourly rate\*\* \|\n\| Maria Alvarez, partner \| \$720 \|/);
  });

  it("carries, in every task's rubric, checklists that pass exactly when the checker passes", async () => {
    for (const task of data.tasks) {
      expect(task.rubric.some((c) => c.startsWith('Uses the required section headings, in this order: '))).toBe(true);
      const good = await open(task);
      await runPolicy(good, task, { lessons: allLessons(), competent: true });
      expect((await good.check()).success).toBe(true);
      expect(honest(task, await good.output!())).toBe(true);

      // Tool-error fixes known, house style not: the checker fails on review feedback, and so does the rubric.
      const lessons = Object.fromEntries(data.pitfalls.filter((p) => p.surfaces === 'tool_error').map((p) => [p.choice, p.fix]));
      const naive = await open(task);
      await runPolicy(naive, task, { lessons, competent: true });
      const check = await naive.check();
      expect(honest(task, await naive.output!())).toBe(check.success);

      // An omitted fact.
      const sloppy = await open(task);
      await runPolicy(sloppy, task, { lessons: allLessons(), competent: false, seed: task.id });
      expect(honest(task, await sloppy.output!())).toBe((await sloppy.check()).success);
    }
  });
});

describe('the sim drafter revises on feedback', () => {
  it('re-renders with the setting the feedback names, keeps the rest, and submits again', async () => {
    const task = data.tasks.find((t) => t.family === 'engagement-letter')!;
    const environment = await open(task);
    const model = new SimModel('default?recover=1', new Map([[suite.name, suite]]));
    const budgets = { max_turns: 20, max_output_tokens: 4096 };
    const first = await runAgent({ model, task, systemPrompt: suite.systemPrompt, memory: '', environment, budgets, seedKey: 'rev' });
    expect(first.stop).toBe('submitted');
    const before = await environment.output!();
    expect(before).toContain('Sincerely,');
    const feedback = [
      "An independent reviewer graded your submitted work against the task's rubric and did not accept it yet (score 0.90).",
      '',
      'Criteria not met:',
      '- House style, the letter\'s closing line (set render_docx.closing="Very truly yours,"): "Very truly yours," — Not found in the output: "Very truly yours,". Fix: set render_docx.closing="Very truly yours,".',
    ].join('\n');
    const second = await runAgent({
      model,
      task,
      systemPrompt: suite.systemPrompt,
      memory: '',
      environment,
      budgets,
      seedKey: 'rev',
      resume: { system: first.system, messages: first.messages, userMessage: feedback },
    });
    expect(second.stop).toBe('submitted');
    const uses = second.messages
      .slice(first.messages.length)
      .flatMap((m) => (typeof m.content === 'string' ? [] : m.content.filter((b) => b.type === 'tool_use')));
    expect(uses.map((u) => (u.type === 'tool_use' ? u.name : ''))).toEqual(['render_docx', 'submit']); // no rewrite: nothing reported missing
    const after = await environment.output!();
    expect(after).toContain('Very truly yours,');
    expect(after).not.toContain('Sincerely,');
    // What the first render got right stays: the heading style it recovered, the date format it had.
    const renders = [...first.messages, ...second.messages.slice(first.messages.length)].flatMap((m) =>
      typeof m.content === 'string' ? [] : m.content.filter((b) => b.type === 'tool_use' && b.name === 'render_docx'),
    );
    const last = renders.at(-1)!;
    const lastGood = renders.at(-2)!;
    if (last.type === 'tool_use' && lastGood.type === 'tool_use') {
      expect({ ...last.input, closing: undefined }).toEqual({ ...lastGood.input, closing: undefined });
    }
  });

  it('writes the sections again when the feedback reports an item missing from the text', async () => {
    const task = data.tasks.find((t) => t.family === 'engagement-letter')!;
    const environment = await open(task);
    const model = new SimModel('default?recover=1&skill=1', new Map([[suite.name, suite]]));
    const budgets = { max_turns: 20, max_output_tokens: 4096 };
    const first = await runAgent({ model, task, systemPrompt: suite.systemPrompt, memory: '', environment, budgets, seedKey: 'rw' });
    const second = await runAgent({
      model,
      task,
      systemPrompt: suite.systemPrompt,
      memory: '',
      environment,
      budgets,
      seedKey: 'rw',
      resume: {
        system: first.system,
        messages: first.messages,
        userMessage: 'Criteria not met:\n- States these items: "$40,000" — Not found in the output: "$40,000".',
      },
    });
    const names = second.messages
      .slice(first.messages.length)
      .flatMap((m) => (typeof m.content === 'string' ? [] : m.content.flatMap((b) => (b.type === 'tool_use' ? [b.name] : []))));
    expect(names[0]).toBe('write_section');
    expect(names.slice(-2)).toEqual(['render_docx', 'submit']);
  });
});
