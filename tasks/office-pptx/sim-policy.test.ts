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
import { createPptxEnvironment } from './environment.js';
import { pptxData } from './index.js';
import { POLICY_BUILD_PARAMS, pptxPolicy, slideInput } from './sim-policy.js';

const data = pptxData();
const openWithDir = environmentOpener(createPptxEnvironment, data, 'office-pptx-sim-');
const open = async (task: Task, drifted: string[] = []) => (await openWithDir(task, drifted)).env;
const firstTask = firstTaskOf(data);
const allLessons = (drifted: string[] = []) => lessonsOf(data, drifted);

describe('the sim pptx policy (fake view)', () => {
  it('reads, adds the title slide and every slide through choose(layout), retries refused slides, builds with every setting through choose(), and submits', () => {
    const task = firstTask('board-update');
    const e = expectedOf(task);
    const history: HistoryEntry[] = [];
    const chosen: Array<{ choice: string; naive: string }> = [];
    const act = (recover = false) => toolUses(pptxPolicy.act(fakeView({ prompt: task.prompt, history, chosen, recover })));
    const record = (use: ToolUseBlock, content: string, is_error = false) =>
      history.push({ use, result: { type: 'tool_result', tool_use_id: use.id, content, ...(is_error ? { is_error } : {}) } });

    const turn1 = act();
    expect(turn1.map((u) => [u.name, u.input])).toEqual([
      ['read_file', { path: 'brief.md' }],
      ['read_file', { path: 'style-guide.md' }],
    ]);
    record(turn1[0]!, task.files['brief.md']!);
    record(turn1[1]!, task.files['style-guide.md']!);

    const turn2 = act();
    expect(turn2.map((u) => u.name)).toEqual(['add_title_slide', ...e.slides.map(() => 'add_slide')]);
    expect(turn2[0]!.input).toEqual({ title: e.title, subtitle: e.subtitle, ...(e.title_notes ? { notes: e.title_notes } : {}) });
    expect(turn2.slice(1).map((u) => u.input)).toEqual(e.slides.map((s) => slideInput(s, 'Title and Content')));
    expect(chosen).toEqual([{ choice: 'add_slide.layout', naive: 'Title and Content' }]);
    record(turn2[0]!, 'Added the title slide.');
    for (const u of turn2.slice(1)) record(u, 'add_slide failed: ... Use add_slide.layout="lk-content".', true);

    // Refused slides are added again, in order, with the layout the error named.
    const turn3 = act(true);
    expect(turn3.map((u) => [u.name, u.input.title, u.input.layout])).toEqual(e.slides.map((s) => ['add_slide', s.title, 'lk-content']));
    for (const u of turn3) record(u, 'Added.');

    const turn4 = act();
    expect(turn4.map((u) => u.name)).toEqual(['build_pptx']);
    expect(turn4[0]!.input).toEqual(Object.fromEntries(POLICY_BUILD_PARAMS));
    expect(chosen.slice(-POLICY_BUILD_PARAMS.length)).toEqual(
      POLICY_BUILD_PARAMS.map(([param, naive]) => ({ choice: `build_pptx.${param}`, naive })),
    );
    record(turn4[0]!, 'build_pptx failed: ...', true);
    for (let i = 0; i < 2; i++) {
      const again = act();
      expect(again.map((u) => u.name)).toEqual(['build_pptx']);
      record(again[0]!, 'build_pptx failed: ...', true);
    }
    expect(act().map((u) => u.name)).toEqual(['submit']);
  });

  it('gives up re-adding refused slides after three rounds and builds what it has', () => {
    const task = firstTask('project-kickoff');
    const history: HistoryEntry[] = [];
    const view = () => fakeView({ prompt: task.prompt, history });
    const push = (use: ToolUseBlock, content: string, is_error = false) =>
      history.push({ use, result: { type: 'tool_result', tool_use_id: use.id, content, ...(is_error ? { is_error } : {}) } });
    push(view().toolUse('read_file', { path: 'brief.md' }), task.files['brief.md']!);
    for (let round = 0; round < 3; round++) {
      const uses = toolUses(pptxPolicy.act(view()));
      for (const u of uses) push(u, u.name === 'add_title_slide' ? 'Added.' : 'add_slide failed: x', u.name !== 'add_title_slide');
    }
    expect(toolUses(pptxPolicy.act(view())).map((u) => u.name)).toEqual(['build_pptx']);
  });

  it('drops one bullet when it is not competent', () => {
    const task = firstTask('training');
    const history: HistoryEntry[] = [];
    const read = toolUses(pptxPolicy.act(fakeView({ prompt: task.prompt, history })))[0]!;
    history.push({ use: read, result: { type: 'tool_result', tool_use_id: read.id, content: task.files['brief.md']! } });
    const bullets = (competent: boolean) =>
      toolUses(pptxPolicy.act(fakeView({ prompt: task.prompt, history, competent })))
        .filter((u) => u.name === 'add_slide')
        .flatMap((u) => (u.input.bullets as string[] | undefined) ?? []);
    expect(bullets(false)).toHaveLength(bullets(true).length - 1);
  });
});

describe('the sim pptx policy end to end (fake view, real environment)', () => {
  it('a naive agent that never recovers adds no content slide and fails', async () => {
    const task = firstTask('training');
    const env = await open(task);
    const history = await runPolicy(pptxPolicy, env, task);
    expect(names(history).filter((n) => n === 'add_slide')).toHaveLength(3 * expectedOf(task).slides.length);
    expect(names(history).at(-1)).toBe('submit');
    const result = await env.check();
    expect(result.success).toBe(false);
    expect(result.feedback).toEqual(expect.arrayContaining(expectedOf(task).slides.map((x) => `missing slide: ${x.title}`)));
    // The title-only deck it built shows the pitfalls a title slide can show; the rest never got a chance to bite.
    expect(env.pitfallsHit()).toEqual(
      ['op-layout-id', 'op-title-placeholder', 'op-notes-page', 'op-min-font'].filter((id) => task.pitfalls.includes(id)),
    );
  });

  it('an agent that recovers gets past tool errors but not review pitfalls', async () => {
    const task = firstTask('quarterly-review');
    const env = await open(task);
    const history = await runPolicy(pptxPolicy, env, task, { recover: true });
    expect(names(history).filter((n) => n === 'build_pptx')).toHaveLength(2);
    const result = await env.check();
    expect(result.success).toBe(false);
    expect(result.feedback).toHaveLength(data.pitfalls.filter((p) => p.surfaces === 'review' && task.pitfalls.includes(p.id)).length);
    expect(env.pitfallsHit()).toEqual(task.pitfalls);
  });

  it('a kick-off without pictures, notes or long lists needs only in-task recovery', async () => {
    const task = data.tasks.find((t) => t.family === 'project-kickoff' && t.pitfalls.join() === 'op-layout-id')!;
    const env = await open(task);
    await runPolicy(pptxPolicy, env, task, { recover: true });
    expect((await env.check()).success).toBe(true);
    expect(env.pitfallsHit()).toEqual(['op-layout-id']);
  });

  everyLessonSucceedsTest({ data, open: openWithDir, policy: pptxPolicy, buildTool: 'build_pptx' });

  it('under drift, the old layout lesson fails and the new one works', async () => {
    const task = firstTask('pitch-deck');
    const drifted = ['op-layout-id'];
    const env = await open(task, drifted);
    const history = await runPolicy(pptxPolicy, env, task, { lessons: allLessons() });
    expect(history.find((h) => h.use.name === 'add_slide')!.result!.content).toContain('lk26-content');
    expect(env.pitfallsHit()).toEqual(['op-layout-id']);
    const fresh = await open(task, drifted);
    await runPolicy(pptxPolicy, fresh, task, { lessons: allLessons(drifted) });
    expect((await fresh.check()).success).toBe(true);
  });

  incompetentAgentTest({ data, open: openWithDir, policy: pptxPolicy, family: 'board-update', missing: /^missing bullet on / });
});
