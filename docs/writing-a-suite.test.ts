// Runs the suite that docs/writing-a-suite.md builds, from the page's own code block, so the tutorial
// cannot drift from the contract: the naive sim falls into the pitfall, recovers on the error's
// directive, turns it into a lesson, and applies the lesson in a later task.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runAgent } from '../harness/agent/loop.js';
import { textOf } from '../harness/core/messages.js';
import type { Suite } from '../harness/core/suite.js';
import { SimModel } from '../harness/models/sim/sim-model.js';

const root = resolve(import.meta.dirname, '..');
const page = readFileSync(join(root, 'docs/writing-a-suite.md'), 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'dreambench-tutorial-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function loadTutorialSuite(): Promise<Suite> {
  const block = /`tasks\/tiny-memos\/index\.ts`:\n\n```ts\n([\s\S]*?)\n```/.exec(page)?.[1];
  if (!block) throw new Error('docs/writing-a-suite.md: no ts code block after `tasks/tiny-memos/index.ts`:');
  // The page imports the engine relative to tasks/tiny-memos/; here it lives in a temporary folder.
  const file = join(dir, 'index.ts');
  writeFileSync(file, block.replaceAll("'../../harness/", `'${root}/harness/`));
  return ((await import(file)) as { default: Suite }).default;
}

async function attempt(suite: Suite, profile: string, memory: string, taskIndex: number) {
  const task = suite.tasks[taskIndex]!;
  const environment = await suite.createEnvironment(task, { workdir: dir, session: 1, drifted: new Set() });
  const run = await runAgent({
    model: new SimModel(profile, new Map([[suite.name, suite]])),
    task,
    systemPrompt: suite.systemPrompt,
    memory,
    environment,
    budgets: { max_turns: 6, max_output_tokens: 1000 },
    seedKey: `tutorial:${taskIndex}`,
  });
  return { run, check: await environment.check(), hit: environment.pitfallsHit() };
}

describe('the writing-a-suite tutorial', () => {
  it('builds a suite whose naive sim hits the pitfall, recovers from the error, learns the lesson and applies it', async () => {
    const suite = await loadTutorialSuite();
    expect(suite.name).toBe('tiny-memos');
    expect(suite.tasks.length).toBeGreaterThanOrEqual(3);

    const first = await attempt(suite, 'default?recover=1', '', 0);
    expect(first.hit).toEqual(['tm-iso-dates']);
    expect(first.run.stop).toBe('submitted');
    expect(first.check.success).toBe(true);

    // What a reflecting arm shows the model: the tool errors of the task.
    const errors = first.run.messages
      .flatMap((m) => (typeof m.content === 'string' ? [] : m.content))
      .filter((b) => b.type === 'tool_result' && b.is_error)
      .map((b) => (b.type === 'tool_result' ? b.content : ''));
    const reflection = await new SimModel('default?lesson_noise=0', new Map([[suite.name, suite]])).create(
      {
        system: [{ type: 'text', text: 'Write lessons.' }],
        messages: [{ role: 'user', content: `Tool errors during the task:\n${errors.join('\n')}` }],
        max_tokens: 500,
      },
      { seedKey: 'tutorial:reflect', purpose: 'reflect' },
    );
    const lessons = textOf(reflection.content);
    expect(lessons).toContain('save_memo.date_format="iso"');

    const later = await attempt(suite, 'default?apply_lesson=1', lessons, 1);
    expect(later.hit).toEqual([]);
    expect(later.check.success).toBe(true);
    expect(later.run.tool_calls).toBe(2);
  });

  it('learns nothing from an error that is not marked as one', async () => {
    const suite = await loadTutorialSuite();
    const unmarked: Suite = {
      ...suite,
      async createEnvironment(task, context) {
        const environment = await suite.createEnvironment(task, context);
        return {
          ...environment,
          tools: environment.tools,
          call: async (name, input) => ({ ...(await environment.call(name, input)), is_error: false }),
        };
      },
    };
    const { run, check } = await attempt(unmarked, 'default?recover=1', '', 2);
    // The policy treats an unmarked rejection as a saved memo and submits; nothing was archived.
    expect(check.success).toBe(false);
    const saves = run.messages
      .flatMap((m) => (typeof m.content === 'string' ? [] : m.content))
      .filter((b) => b.type === 'tool_use' && b.name === 'save_memo');
    expect(saves.map((b) => (b.type === 'tool_use' ? b.input.date_format : undefined))).toEqual(['us']);
  });
});
