import { describe, expect, it } from 'vitest';
import type { ToolUseBlock } from '../../harness/core/messages.js';
import type { Task } from '../../harness/core/suite.js';
import { everyLessonSucceedsTest, incompetentAgentTest } from '../_office/shared-tests.js';
import {
  allLessons as lessonsOf,
  environmentOpener,
  fakeView,
  firstTaskOf,
  runPolicy,
  toolNames as names,
  toolUses,
  type HistoryEntry,
} from '../_office/testing.js';
import { expectedOf } from './data.js';
import { createDocxEnvironment } from './environment.js';
import { docxData } from './index.js';
import { blockInput, docxPolicy, POLICY_BUILD_PARAMS } from './sim-policy.js';

const data = docxData();
const openWithDir = environmentOpener(createDocxEnvironment, data, 'office-docx-sim-');
const open = async (task: Task, drifted: string[] = []) => (await openWithDir(task, drifted)).env;
const firstTask = firstTaskOf(data);
const allLessons = (drifted: string[] = []) => lessonsOf(data, drifted);

describe('the sim docx policy (fake view)', () => {
  it('reads, sets up the page, header and footer, adds every block, builds with every setting through choose(), and submits', () => {
    const task = firstTask('status-report');
    const e = expectedOf(task);
    const history: HistoryEntry[] = [];
    const chosen: Array<{ choice: string; naive: string }> = [];
    const act = () => toolUses(docxPolicy.act(fakeView({ prompt: task.prompt, history, chosen })));
    const record = (use: ToolUseBlock, content: string, is_error = false) =>
      history.push({ use, result: { type: 'tool_result', tool_use_id: use.id, content, ...(is_error ? { is_error } : {}) } });

    const turn1 = act();
    expect(turn1.map((u) => [u.name, u.input])).toEqual([
      ['read_file', { path: 'brief.md' }],
      ['read_file', { path: 'style-guide.md' }],
    ]);
    record(turn1[0]!, task.files['brief.md']!);
    record(turn1[1]!, task.files['style-guide.md']!);
    expect(chosen).toEqual([]);

    const turn2 = act();
    expect(turn2.map((u) => u.name)).toEqual(['set_page', 'set_header', 'set_footer', ...e.blocks.map(() => 'add_block')]);
    expect(turn2[0]!.input).toEqual({ size: 'Letter', orientation: 'portrait' });
    expect(turn2[1]!.input).toEqual({ text: e.header, pages: 'default' });
    expect(turn2[2]!.input).toEqual({ text: e.footer, page_numbers: 'text' });
    expect(turn2.slice(3).map((u) => u.input)).toEqual(e.blocks.map(blockInput));
    expect(chosen.map((c) => c.choice)).toEqual(['set_page.size', 'set_header.pages', 'set_footer.page_numbers']);
    for (const u of turn2) record(u, 'ok');

    const turn3 = act();
    expect(turn3).toHaveLength(1);
    expect(turn3[0]!.name).toBe('build_docx');
    expect(turn3[0]!.input).toEqual({ title: e.title, ...Object.fromEntries(POLICY_BUILD_PARAMS) });
    expect(chosen.slice(3)).toEqual(POLICY_BUILD_PARAMS.map(([param, naive]) => ({ choice: `build_docx.${param}`, naive })));
    record(turn3[0]!, 'build_docx failed: ...', true);

    // After a failure it builds again, up to three failures, then submits anyway.
    for (let i = 0; i < 2; i++) {
      const again = act();
      expect(again.map((u) => u.name)).toEqual(['build_docx']);
      record(again[0]!, 'build_docx failed: ...', true);
    }
    expect(act().map((u) => u.name)).toEqual(['submit']);
  });

  it('submits right after a successful build, and sets no page numbers when the brief has none', () => {
    const task = data.tasks.find((t) => !expectedOf(t).page_numbers && expectedOf(t).footer)!;
    const history: HistoryEntry[] = [];
    const view = () => fakeView({ prompt: task.prompt, history });
    const push = (name: string, input: Record<string, unknown>, content: string, is_error = false) => {
      const use = view().toolUse(name, input);
      history.push({ use, result: { type: 'tool_result', tool_use_id: use.id, content, ...(is_error ? { is_error } : {}) } });
    };
    push('read_file', { path: 'brief.md' }, task.files['brief.md']!);
    const setup = toolUses(docxPolicy.act(view()));
    expect(setup.find((u) => u.name === 'set_footer')!.input.page_numbers).toBe('none');
    push('add_block', { kind: 'paragraph', text: 'x' }, 'Added.');
    push('build_docx', {}, 'build_docx failed: x', true);
    push('build_docx', {}, 'Built document.docx.');
    expect(toolUses(docxPolicy.act(view())).map((u) => u.name)).toEqual(['submit']);
  });

  it('leaves out one paragraph or list item when it is not competent', () => {
    const task = firstTask('memo');
    const history: HistoryEntry[] = [];
    const read = toolUses(docxPolicy.act(fakeView({ prompt: task.prompt, history })))[0]!;
    history.push({ use: read, result: { type: 'tool_result', tool_use_id: read.id, content: task.files['brief.md']! } });
    const adds = (competent: boolean) =>
      toolUses(docxPolicy.act(fakeView({ prompt: task.prompt, history, competent }))).filter((u) => u.name === 'add_block');
    const good = JSON.stringify(adds(true).map((u) => u.input));
    const sloppy = JSON.stringify(adds(false).map((u) => u.input));
    expect(sloppy.length).toBeLessThan(good.length);
  });
});

describe('the sim docx policy end to end (fake view, real environment)', () => {
  it('a naive agent that never recovers fails the build three times and submits nothing', async () => {
    const task = firstTask('status-report');
    const env = await open(task);
    const history = await runPolicy(docxPolicy, env, task);
    expect(names(history).filter((n) => n === 'build_docx')).toHaveLength(3);
    expect(names(history).at(-1)).toBe('submit');
    expect((await env.check()).success).toBe(false);
    expect(env.pitfallsHit()).toEqual(task.pitfalls);
  });

  it('an agent that recovers from errors gets past tool errors but not review pitfalls', async () => {
    const task = firstTask('status-report');
    const env = await open(task);
    const history = await runPolicy(docxPolicy, env, task, { recover: true });
    expect(names(history).filter((n) => n === 'build_docx')).toHaveLength(2);
    const result = await env.check();
    expect(result.success).toBe(false);
    const review = data.pitfalls.filter((p) => p.surfaces === 'review' && task.pitfalls.includes(p.id)).map((p) => p.id);
    expect(result.feedback).toHaveLength(review.length);
    expect(env.pitfallsHit()).toEqual(task.pitfalls);
  });

  everyLessonSucceedsTest({ data, open: openWithDir, policy: docxPolicy, buildTool: 'build_docx' });

  it('under drift, old lessons fail and the error teaches the new fix', async () => {
    const task = firstTask('memo');
    const drifted = ['od-heading-style-id'];
    const env = await open(task, drifted);
    const history = await runPolicy(docxPolicy, env, task, { lessons: allLessons(), recover: true });
    // A fake view prefers a lesson over a hint, so the stale lesson keeps failing.
    expect(history.find((h) => h.use.name === 'build_docx')!.result!.content).toContain('LarkspurHeading1');
    expect(env.pitfallsHit()).toEqual(['od-heading-style-id']);
    const fresh = await open(task, drifted);
    await runPolicy(docxPolicy, fresh, task, { lessons: allLessons(drifted) });
    expect((await fresh.check()).success).toBe(true);
  });

  incompetentAgentTest({
    data,
    open: openWithDir,
    policy: docxPolicy,
    family: 'policy-update',
    missing: /^missing (paragraph|list item): /,
  });
});
