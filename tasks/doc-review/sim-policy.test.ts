import { describe, expect, it } from 'vitest';
import type { ToolUseBlock } from '../../harness/core/messages.js';
import { environmentOpener } from '../_triage/testing.js';
import { expectedOf } from './data.js';
import { createReviewEnvironment, type ReviewEnvironment } from './environment.js';
import { allLessons, fakeView, runPolicy, workdir, type HistoryEntry } from './fixtures/support.js';
import { docReviewData } from './index.js';
import { CHOICES } from './params.js';
import { PAGES_PER_TURN, reviewPolicy, writeDate, writeDose } from './sim-policy.js';

const data = docReviewData();
const open = environmentOpener(createReviewEnvironment, data, workdir);
const uses = (blocks: ReturnType<typeof reviewPolicy.act>) => blocks.filter((b): b is ToolUseBlock => b.type === 'tool_use');
const pagesRead = (env: unknown) => (env as ReviewEnvironment).pagesRead;

describe('the sim review policy', () => {
  it('opens page 1, reads cover to cover two pages a turn, then submits', async () => {
    const task = data.tasks.find((t) => t.family === 'discharge-summary')!;
    const env = await open(task);
    const history: HistoryEntry[] = [];
    const step = async () => {
      const calls = uses(reviewPolicy.act(fakeView({ prompt: task.prompt, history })));
      for (const use of calls) {
        const out = await env.call(use.name, use.input);
        history.push({
          use,
          result: { type: 'tool_result', tool_use_id: use.id, content: out.content, ...(out.is_error ? { is_error: true } : {}) },
        });
      }
      return calls;
    };
    expect((await step()).map((u) => u.input)).toEqual([{ page: 1 }]);
    expect((await step()).map((u) => u.input)).toEqual([{ page: 2 }, { page: 3 }]);
    const total = expectedOf(task).pages;
    let turns = 2;
    for (;;) {
      const calls = await step();
      turns++;
      if (calls[0]!.name !== 'read_document') {
        expect(calls.map((u) => u.name)).toEqual(['submit_summary']);
        break;
      }
    }
    expect(turns).toBe(2 + Math.ceil((total - 1) / PAGES_PER_TURN));
    expect(pagesRead(env)).toBe(total);
  });

  it('with the reading lesson, goes from the index to the key sections in one turn', () => {
    const task = data.tasks.find((t) => t.family === 'auto-claim')!;
    const page1 = expectedOf(task).document.pages[0]!;
    const read = { type: 'tool_use' as const, id: 't1', name: 'read_document', input: { page: 1 } };
    const history: HistoryEntry[] = [{ use: read, result: { type: 'tool_result', tool_use_id: 't1', content: page1 } }];
    const calls = uses(reviewPolicy.act(fakeView({ prompt: task.prompt, history, lessons: { 'review.reading': 'index-first' } })));
    expect(calls.map((u) => u.input)).toEqual(
      ['Adjuster report', 'Policy declarations', 'Coverage decision', 'SIU referral checklist', 'Supplementary decisions'].map(
        (section) => ({ section }),
      ),
    );
  });

  it('every setting it uses goes through choose(), with the documented naive values', async () => {
    const task = data.tasks.find((t) => t.family === 'clinic-record')!;
    const env = await open(task);
    const asked = new Map<string, string>();
    const { history } = await runPolicy(env, task, { lessons: { 'review.reading': 'index-first' } });
    const view = fakeView({ prompt: task.prompt, history: history.slice(0, -1) });
    const choose = view.choose.bind(view);
    reviewPolicy.act({
      ...view,
      choose: (c, naive) => {
        asked.set(c, naive);
        return choose(c, naive);
      },
    });
    asked.set('review.reading', 'cover-to-cover');
    expect(Object.fromEntries([...asked].sort())).toEqual(
      Object.fromEntries(
        Object.entries(CHOICES)
          .map(([k, v]) => [k, v.naive])
          .sort(),
      ),
    );
  });

  it('writes dates and doses as told', () => {
    expect(writeDate('Mar 04, 2025', { dateFormat: 'as-printed', dateOrder: 'MM/DD' })).toBe('Mar 04, 2025');
    expect(writeDate('Mar 04, 2025', { dateFormat: 'YYYY-MM-DD', dateOrder: 'MM/DD' })).toBe('2025-03-04');
    expect(writeDate('March 9, 2025', { dateFormat: 'YYYY-MM-DD', dateOrder: 'DD/MM' })).toBe('2025-03-09');
    expect(writeDate('04/03/2025', { dateFormat: 'YYYY-MM-DD', dateOrder: 'MM/DD' })).toBe('2025-04-03');
    expect(writeDate('04/03/2025', { dateFormat: 'YYYY-MM-DD', dateOrder: 'DD/MM' })).toBe('2025-03-04');
    expect(writeDate('24/03/2025', { dateFormat: 'YYYY-MM-DD', dateOrder: 'MM/DD' })).toBe('2025-03-24');
    expect(writeDose('0.5 g', 'mg')).toBe('500 mg');
    expect(writeDose('88 mcg', 'mg')).toBe('0.088 mg');
    expect(writeDose('88 mcg', 'as-written')).toBe('88 mcg');
  });
});

describe('the sim review policy end to end (fake view, real environment)', () => {
  it.each(data.families.map((f) => f.id))(
    'with every lesson it reviews every file right from the index, in 3 turns (%s)',
    async (family) => {
      for (const task of data.tasks.filter((t) => t.family === family)) {
        const env = await open(task);
        const { turns } = await runPolicy(env, task, { lessons: allLessons(data) });
        expect(turns, task.id).toBe(3);
        const result = await env.check();
        expect(result.feedback, task.id).toEqual([]);
        expect(result.success, task.id).toBe(true);
        expect(env.pitfallsHit(), task.id).toEqual([]);
        expect(pagesRead(env), task.id).toBeLessThanOrEqual(expectedOf(task).page_budget);
      }
    },
  );

  it('each lesson it lacks costs exactly that pitfall (the rest known)', async () => {
    for (const pitfall of data.pitfalls) {
      for (const task of data.tasks.filter((t) => t.pitfalls.includes(pitfall.id)).slice(0, 3)) {
        const lessons = allLessons(data);
        delete lessons[pitfall.choice];
        const env = await open(task);
        await runPolicy(env, task, { lessons, recover: true });
        const result = await env.check();
        expect(env.pitfallsHit(), `${pitfall.id} ${task.id}`).toEqual([pitfall.id]);
        // Only the time pitfall and recovered tool errors leave the review a success.
        expect(result.success, `${pitfall.id} ${task.id}`).toBe(pitfall.surfaces === 'tool_error' || !pitfall.blocking);
      }
    }
  });

  it('a newcomer reads every page; the reading lesson alone makes the same review 3x shorter', async () => {
    let naive = { turns: 0, pages: 0 };
    let taught = { turns: 0, pages: 0 };
    for (const task of data.tasks) {
      const lessons = allLessons(data);
      delete lessons['review.reading'];
      const slow = await open(task);
      const a = await runPolicy(slow, task, { lessons });
      naive = { turns: naive.turns + a.turns, pages: naive.pages + pagesRead(slow) };
      expect(pagesRead(slow), task.id).toBe(expectedOf(task).pages);
      const fast = await open(task);
      const b = await runPolicy(fast, task, { lessons: allLessons(data) });
      taught = { turns: taught.turns + b.turns, pages: taught.pages + pagesRead(fast) };
      expect((await slow.check()).success && (await fast.check()).success, task.id).toBe(true);
    }
    expect(taught.turns * 3).toBeLessThan(naive.turns);
    expect(taught.pages * 2).toBeLessThan(naive.pages);
  });

  it('a newcomer that never recovers is refused and gives up', async () => {
    const task = data.tasks.find((t) => t.family === 'discharge-summary')!;
    const env = await open(task);
    const { history } = await runPolicy(env, task);
    const submits = history.filter((h) => h.use.name === 'submit_summary');
    expect(submits).toHaveLength(4);
    expect(submits.every((h) => h.result!.is_error)).toBe(true);
    expect(submits[0]!.result!.content).toContain('summary.date_format="YYYY-MM-DD"');
    expect((await env.check()).success).toBe(false);
  });

  it('a careless reviewer leaves out an open issue or a red flag', async () => {
    const task = data.tasks.find(
      (t) => t.family === 'auto-claim' && (expectedOf(t).facts as { red_flags: string[] }).red_flags.length > 1,
    )!;
    const env = await open(task);
    await runPolicy(env, task, { lessons: allLessons(data), competent: false });
    const result = await env.check();
    expect(result.success).toBe(false);
    expect(result.checks.filter((c) => !c.passed).map((c) => c.id)).toEqual(['field:red_flags']);
  });
});
