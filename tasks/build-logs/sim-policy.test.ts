import { describe, expect, it } from 'vitest';
import type { ToolUseBlock } from '../../harness/core/messages.js';
import { environmentOpener } from '../_triage/testing.js';
import { expectedOf } from './data.js';
import { createTriageEnvironment } from './environment.js';
import { allLessons, fakeView, runPolicy, workdir, type HistoryEntry } from './fixtures/support.js';
import { buildLogsData } from './index.js';
import { CHOICES } from './params.js';
import { classifyLine, shareOf, triagePolicy } from './sim-policy.js';

const data = buildLogsData();
const open = environmentOpener(createTriageEnvironment, data, workdir);
const uses = (blocks: ReturnType<typeof triagePolicy.act>) => blocks.filter((b): b is ToolUseBlock => b.type === 'tool_use');
const names = (history: HistoryEntry[]) => history.map((h) => h.use.name);

describe('the sim triage policy', () => {
  it('lists, reads every log (head first, as a newcomer), submits every row, then stops', () => {
    const task = data.tasks[0]!;
    const ids = expectedOf(task).logs.map((l) => l.id);
    const history: HistoryEntry[] = [];
    const act = () => uses(triagePolicy.act(fakeView({ prompt: task.prompt, history })));
    const record = (use: ToolUseBlock, content: string, is_error = false) =>
      history.push({ use, result: { type: 'tool_result', tool_use_id: use.id, content, ...(is_error ? { is_error } : {}) } });

    const turn1 = act();
    expect(turn1.map((u) => [u.name, u.input])).toEqual([['list_logs', {}]]);
    record(turn1[0]!, `${ids.length} logs in this batch:\n${ids.map((id) => `${id}  x`).join('\n')}`);

    const turn2 = act();
    expect(turn2.map((u) => [u.name, u.input])).toEqual(ids.map((id) => ['read_log', { id }]));
    for (const u of turn2) record(u, `${u.input.id}: lines 1-3 of 3\n    1 | Component: storefront-web`);

    const turn3 = act();
    expect(turn3.map((u) => u.name)).toEqual(['submit_triage']);
    expect(turn3[0]!.input.category_scheme).toBe('generic');
    expect((turn3[0]!.input.rows as unknown[]).length).toBe(ids.length);
    record(turn3[0]!, 'submit_triage rejected the report: ...', true);
    // After a rejection it submits again, up to three rejections, then stops.
    record(act()[0]!, 'submit_triage rejected the report: ...', true);
    record(act()[0]!, 'submit_triage rejected the report: ...', true);
    expect(act()).toEqual([]);
  });

  it('reads from the tail when its memory says so, and handles only its share of a split batch', () => {
    const task = data.tasks.find((t) => t.family === 'release-pipelines')!;
    const ids = expectedOf(task).logs.map((l) => l.id);
    const list = { type: 'tool_use' as const, id: 'toolu_000', name: 'list_logs', input: {} };
    const history: HistoryEntry[] = [
      {
        use: list,
        result: { type: 'tool_result', tool_use_id: list.id, content: `${ids.length} logs\n${ids.map((id) => `${id}  x`).join('\n')}` },
      },
    ];
    const reads = uses(
      triagePolicy.act(fakeView({ prompt: task.prompt, history, lessons: { 'read_log.from': 'tail' }, share: { index: 2, of: 3 } })),
    );
    const share = shareOf(ids, { index: 2, of: 3 });
    expect(share.length).toBe(Math.ceil(ids.length / 3));
    expect(reads.map((u) => u.input)).toEqual(share.map((id) => ({ id, from: 'tail' })));
  });

  it('every setting it uses goes through choose(), with the documented naive values', () => {
    const asked = new Map<string, string>();
    const task = data.tasks[0]!;
    const log = expectedOf(task).logs[0]!;
    const history: HistoryEntry[] = [];
    const push = (name: string, input: Record<string, unknown>, content: string) => {
      const use = { type: 'tool_use' as const, id: `t${history.length}`, name, input };
      history.push({ use, result: { type: 'tool_result', tool_use_id: use.id, content } });
    };
    push('list_logs', {}, `1 logs\n${log.id}  x`);
    push(
      'read_log',
      { id: log.id },
      `${log.id}: lines 1-${log.lines} of ${log.lines}\n${log.text.map((t, i) => `${String(i + 1).padStart(5)} | ${t}`).join('\n')}`,
    );
    const view = fakeView({ prompt: task.prompt, history });
    const choose = view.choose.bind(view);
    triagePolicy.act({
      ...view,
      choose: (c, naive) => {
        asked.set(c, naive);
        return choose(c, naive);
      },
    });
    expect(Object.fromEntries(asked)).toEqual(Object.fromEntries(Object.entries(CHOICES).map(([k, v]) => [k, v.naive])));
  });

  it('classifies error lines by their signatures', () => {
    expect(classifyLine('Killed')).toMatchObject({ signal: 'killed', rank: 1 });
    expect(classifyLine('npm ERR! code ERESOLVE')).toMatchObject({ signal: 'eresolve' });
    expect(
      classifyLine(
        'error: remote build cache https://cache.acme.internal unreachable: 503 Service Unavailable (continuing with local cache)',
      ),
    ).toMatchObject({ signal: 'network', recovered: true });
    expect(classifyLine("src/a.ts(3,4): error TS2345: Argument of type 'string' is not assignable")).toMatchObject({ signal: 'compile' });
    expect(classifyLine('PASS src/cart/__tests__/cart.test.ts')).toBeUndefined();
    expect(classifyLine('[INFO] Tests run: 12, Failures: 0, Errors: 0, Skipped: 0')).toBeUndefined();
  });
});

describe('the sim triage policy end to end (fake view, real environment)', () => {
  it.each(data.families.map((f) => f.id))('with every lesson it triages every batch right, first time (%s)', async (family) => {
    for (const task of data.tasks.filter((t) => t.family === family)) {
      const env = await open(task);
      const { history } = await runPolicy(env, task, { lessons: allLessons(data) });
      expect(
        names(history).filter((n) => n === 'submit_triage'),
        task.id,
      ).toHaveLength(1);
      const result = await env.check();
      expect(result.feedback, task.id).toEqual([]);
      expect(result.success, task.id).toBe(true);
      expect(env.pitfallsHit(), task.id).toEqual([]);
    }
  });

  it('a naive triager that never recovers is refused three times and triggers every pitfall of the batch', async () => {
    const task = data.tasks[0]!;
    const env = await open(task);
    const { history } = await runPolicy(env, task);
    expect(names(history)).toEqual([
      'list_logs',
      ...expectedOf(task).logs.map(() => 'read_log'),
      'submit_triage',
      'submit_triage',
      'submit_triage',
    ]);
    const refusal = history.at(-1)!.result!.content;
    expect(refusal).toMatch(/triage\.timestamps="utc"/);
    const result = await env.check();
    expect(result.success).toBe(false);
    expect(result.feedback[0]).toBe('no triage report was submitted (submit_triage never accepted one)');
    expect(env.pitfallsHit()).toEqual(expect.arrayContaining(['bl-timestamps-utc', 'bl-category-scheme']));
  });

  it('a naive triager that recovers from tool errors gets its report accepted and fails review', async () => {
    for (const task of data.tasks.slice(0, 12)) {
      const env = await open(task);
      const { history } = await runPolicy(env, task, { recover: true });
      expect(history.at(-1)!.result!.is_error, task.id).toBeFalsy();
      const result = await env.check();
      expect(result.success, task.id).toBe(false);
      const hit = env.pitfallsHit();
      for (const id of hit) expect(task.pitfalls, task.id).toContain(id);
      expect(hit, task.id).toEqual(expect.arrayContaining(['bl-category-scheme', 'bl-log-truncation', 'bl-timestamps-utc']));
    }
  });

  it('each lesson it lacks costs exactly that pitfall (the rest known)', async () => {
    for (const pitfall of data.pitfalls.filter((p) => p.surfaces === 'review')) {
      const task = data.tasks.find(
        (t) =>
          t.pitfalls.includes(pitfall.id) &&
          (pitfall.id === 'bl-category-scheme' || expectedOf(t).logs.some((l) => l.traits.includes(pitfall.id))),
      )!;
      const lessons = allLessons(data);
      delete lessons[pitfall.choice];
      const env = await open(task);
      await runPolicy(env, task, { lessons });
      const result = await env.check();
      expect(result.success, pitfall.id).toBe(false);
      expect(env.pitfallsHit(), pitfall.id).toEqual([pitfall.id]);
    }
  });

  it('under drift, old lessons fail and the error teaches the new fix', async () => {
    const task = data.tasks[3]!;
    const drifted = ['bl-step-id'];
    const env = await open(task, drifted);
    const { history } = await runPolicy(env, task, { lessons: allLessons(data) });
    expect(history.find((h) => h.use.name === 'submit_triage')!.result!.content).toContain('triage.step_name="job/step-id"');
    expect(env.pitfallsHit()).toEqual(['bl-step-id']);
    const fresh = await open(task, drifted);
    await runPolicy(fresh, task, { lessons: allLessons(data, new Set(drifted)) });
    expect((await fresh.check()).success).toBe(true);
  });

  it('a careless triager drops rows from a big batch and fails coverage', async () => {
    const task = data.tasks.find((t) => t.family === 'release-pipelines')!;
    const env = await open(task);
    await runPolicy(env, task, { lessons: allLessons(data), competent: false });
    const result = await env.check();
    expect(result.success).toBe(false);
    expect(result.checks.find((c) => c.id === 'coverage')?.passed).toBe(false);
    expect(env.pitfallsHit()).toEqual([]);
  });
});
