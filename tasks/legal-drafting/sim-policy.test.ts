import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { ToolUseBlock } from '../../harness/core/messages.js';
import type { Task } from '../../harness/core/suite.js';
import { currentFix } from '../../harness/core/suite.js';
import { expectedOf } from './data.js';
import { legalData } from './index.js';
import { createDraftingEnvironment } from './environment.js';
import { fakeView, runPolicy, workdir, type HistoryEntry } from './fixtures/support.js';
import { draftingPolicy, parsePrompt, POLICY_RENDER_PARAMS } from './sim-policy.js';

const data = legalData();
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const firstTask = (family: string): Task => data.tasks.find((t) => t.family === family)!;

async function open(task: Task, drifted: string[] = []) {
  const dir = workdir();
  dirs.push(dir);
  return createDraftingEnvironment(task, { workdir: dir, session: 1, drifted: new Set(drifted) }, data);
}

/** Lessons naming every fix a task needs, as a well-taught agent's memory would. */
function allLessons(drifted: string[] = []): Record<string, string> {
  return Object.fromEntries(data.pitfalls.map((p) => [p.choice, currentFix(p, new Set(drifted))]));
}

const names = (history: HistoryEntry[]) => history.map((h) => h.use.name);

describe('parsePrompt', () => {
  it('reads the required sections, the items to state and the defined terms', () => {
    const task = firstTask('nda');
    const plan = parsePrompt(task.prompt);
    expect(plan.sections.map((s) => s.heading)).toEqual(expectedOf(task).sections);
    expect(plan.sections[0]!.keys).toEqual(['First party', 'Second party', 'Purpose']);
    expect(plan.terms).toEqual(expectedOf(task).defined_terms);
    const fees = parsePrompt(firstTask('engagement-letter').prompt).sections.find((s) => s.heading === 'Fees and Billing')!;
    expect(fees.keys).toEqual(['Retainer', 'Hourly rates']);
  });
});

describe('the sim drafting policy', () => {
  it('reads, writes every section, renders with every setting through choose(), and submits', () => {
    const task = firstTask('engagement-letter');
    const history: HistoryEntry[] = [];
    const act = () => draftingPolicy.act(fakeView({ prompt: task.prompt, history }));
    const uses = (blocks: ReturnType<typeof act>) => blocks.filter((b): b is ToolUseBlock => b.type === 'tool_use');
    const record = (use: ToolUseBlock, content: string, is_error = false) =>
      history.push({ use, result: { type: 'tool_result', tool_use_id: use.id, content, ...(is_error ? { is_error } : {}) } });

    const turn1 = act();
    expect(turn1[0]).toMatchObject({ type: 'text' });
    expect(uses(turn1).map((u) => [u.name, u.input])).toEqual([
      ['read_file', { path: 'matter.md' }],
      ['read_file', { path: 'guidelines.md' }],
    ]);
    record(uses(turn1)[0]!, task.files['matter.md']!);
    record(uses(turn1)[1]!, task.files['guidelines.md']!);

    const turn2 = uses(act());
    expect(turn2.map((u) => u.name)).toEqual(expectedOf(task).sections.map(() => 'write_section'));
    expect(turn2.map((u) => u.input.heading)).toEqual(expectedOf(task).sections);
    const fees = turn2.find((u) => u.input.heading === 'Fees and Billing')!.input.body as string;
    expect(fees).toContain('Retainer: $40,000.');
    expect(fees).toContain('Maria Alvarez, partner | $720');
    for (const u of turn2) record(u, 'Added section.');

    const turn3 = uses(act());
    expect(turn3).toHaveLength(1);
    expect(turn3[0]!.name).toBe('render_docx');
    expect(turn3[0]!.input).toEqual(Object.fromEntries(POLICY_RENDER_PARAMS));
    record(turn3[0]!, 'render_docx failed: ...', true);

    // After a failure it renders again, up to three failures, then submits anyway.
    const turn4 = uses(act());
    expect(turn4.map((u) => u.name)).toEqual(['render_docx']);
    record(turn4[0]!, 'render_docx failed: ...', true);
    const turn5 = uses(act());
    expect(turn5.map((u) => u.name)).toEqual(['render_docx']);
    record(turn5[0]!, 'render_docx failed: ...', true);
    const turn6 = uses(act());
    expect(turn6.map((u) => u.name)).toEqual(['submit']);
    record(turn6[0]!, 'Submitted.');
    expect(uses(act())).toEqual([]);
  });

  it('submits right after a successful render', () => {
    const task = firstTask('motion');
    const history: HistoryEntry[] = [];
    const view = () => fakeView({ prompt: task.prompt, history });
    const push = (name: string, input: Record<string, unknown>, content: string, is_error = false) => {
      const use = view().toolUse(name, input);
      history.push({ use, result: { type: 'tool_result', tool_use_id: use.id, content, ...(is_error ? { is_error } : {}) } });
    };
    push('read_file', { path: 'matter.md' }, task.files['matter.md']!);
    push('write_section', { heading: 'Introduction', body: 'x' }, 'Added.');
    push('render_docx', {}, 'render_docx failed: x', true);
    push('render_docx', {}, 'Rendered draft.docx.');
    const blocks = draftingPolicy.act(view());
    expect(blocks.filter((b) => b.type === 'tool_use').map((b) => (b as ToolUseBlock).name)).toEqual(['submit']);
  });

  it('leaves out one required fact when it is not competent', () => {
    const task = firstTask('demand-letter');
    const history: HistoryEntry[] = [];
    const first = draftingPolicy.act(fakeView({ prompt: task.prompt, history }));
    const read = first.find((b): b is ToolUseBlock => b.type === 'tool_use')!;
    history.push({ use: read, result: { type: 'tool_result', tool_use_id: read.id, content: task.files['matter.md']! } });
    const bodies = (competent: boolean) =>
      draftingPolicy
        .act(fakeView({ prompt: task.prompt, history, competent }))
        .filter((b): b is ToolUseBlock => b.type === 'tool_use')
        .map((u) => u.input.body as string)
        .join('\n');
    const facts = expectedOf(task).facts.map((f) => f.value);
    const good = bodies(true);
    for (const value of facts) expect(good).toContain(value);
    const sloppy = bodies(false);
    expect(facts.filter((value) => !sloppy.includes(value))).toHaveLength(1);
  });
});

describe('the sim policy end to end (fake view, real environment)', () => {
  it('a naive agent that never recovers fails tool errors three times and submits', async () => {
    const task = firstTask('motion');
    const env = await open(task);
    const history = await runPolicy(env, task);
    expect(names(history)).toEqual([
      'read_file',
      'read_file',
      ...expectedOf(task).sections.map(() => 'write_section'),
      'render_docx',
      'render_docx',
      'render_docx',
      'submit',
    ]);
    const result = await env.check();
    expect(result.success).toBe(false);
    expect(env.pitfallsHit()).toEqual(['ld-heading-style', 'ld-caption', 'ld-font-size']);
  });

  it('an agent that recovers from errors gets past tool errors but not review pitfalls', async () => {
    const task = firstTask('engagement-letter');
    const env = await open(task);
    const history = await runPolicy(env, task, { recover: true });
    expect(names(history).filter((n) => n === 'render_docx')).toHaveLength(2);
    expect(names(history).at(-1)).toBe('submit');
    const result = await env.check();
    expect(result.success).toBe(false);
    expect(result.feedback).toHaveLength(3);
    expect(env.pitfallsHit()).toEqual(['ld-heading-style', 'ld-fee-table', 'ld-closing', 'ld-confidential-header', 'ld-date-format']);
  });

  it.each(data.families.map((f) => f.id))('an agent with every lesson succeeds first time (%s)', async (family) => {
    for (const task of data.tasks.filter((t) => t.family === family)) {
      const env = await open(task);
      const history = await runPolicy(env, task, { lessons: allLessons() });
      expect(
        names(history).filter((n) => n === 'render_docx'),
        task.id,
      ).toHaveLength(1);
      const result = await env.check();
      expect(result.feedback, task.id).toEqual([]);
      expect(result.success, task.id).toBe(true);
      expect(env.pitfallsHit(), task.id).toEqual([]);
    }
  });

  it('under drift, old lessons fail and the error teaches the new fix', async () => {
    const task = firstTask('nda');
    const drifted = ['ld-heading-style'];
    const env = await open(task, drifted);
    const history = await runPolicy(env, task, { lessons: { ...allLessons(), 'render_docx.heading_style': 'LegalHeading1' } });
    // The stale lesson keeps winning over the hint in this fake view, so it never recovers.
    expect(names(history).filter((n) => n === 'render_docx')).toHaveLength(3);
    expect(history.find((h) => h.use.name === 'render_docx')!.result!.content).toContain('FirmHeading1');
    expect(env.pitfallsHit()).toEqual(['ld-heading-style']);
    const fresh = await open(task, drifted);
    await runPolicy(fresh, task, { lessons: allLessons(drifted) });
    expect((await fresh.check()).success).toBe(true);
  });

  it('an agent that is not competent fails a substantive check', async () => {
    const task = firstTask('contract-clause');
    const env = await open(task);
    await runPolicy(env, task, { lessons: allLessons(), competent: false });
    const result = await env.check();
    expect(result.success).toBe(false);
    expect(result.feedback).toHaveLength(1);
    expect(result.feedback[0]).toMatch(/^missing fact: /);
    expect(env.pitfallsHit()).toEqual([]);
  });
});
