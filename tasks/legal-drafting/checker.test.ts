import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseDirectives } from '../../harness/core/directives.js';
import type { Environment, Task } from '../../harness/core/suite.js';
import { currentFix } from '../../harness/core/suite.js';
import { readDocx } from '../../harness/formats/docx.js';
import { expectedOf } from './data.js';
import { legalData } from './index.js';
import { createDraftingEnvironment, DRAFT_FILE } from './environment.js';
import { goodSections, workdir } from './fixtures/support.js';

const data = legalData();
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const pitfall = (id: string) => data.pitfalls.find((p) => p.id === id)!;
const firstTask = (family: string): Task => data.tasks.find((t) => t.family === family)!;
const familyIds = data.families.map((f) => f.id);

async function open(task: Task, drifted: string[] = []): Promise<{ env: Environment; dir: string }> {
  const dir = workdir();
  dirs.push(dir);
  const env = await createDraftingEnvironment(task, { workdir: dir, session: 1, drifted: new Set(drifted) }, data);
  return { env, dir };
}

/** Every render_docx setting at its fix for this task (current drift taken into account). */
function fixes(task: Task, drifted: string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of data.pitfalls.filter((p) => task.pitfalls.includes(p.id))) out[p.choice.split('.')[1]!] = currentFix(p, new Set(drifted));
  return out;
}

async function writeGood(env: Environment, task: Task): Promise<void> {
  for (const s of goodSections(task)) {
    const out = await env.call('write_section', s);
    expect(out.is_error, out.content).toBeFalsy();
  }
}

describe('checker: known-good documents', () => {
  it.each(familyIds)('accepts a draft with every fact, rendered with every fix (%s)', async (family) => {
    const task = firstTask(family);
    const { env, dir } = await open(task);
    await writeGood(env, task);
    const render = await env.call('render_docx', fixes(task));
    expect(render.is_error, render.content).toBeFalsy();
    expect(render.content).toMatch(/^Rendered draft\.docx on the firm template firm-2024\.dotx/);
    const result = await env.check();
    expect(result.feedback).toEqual([]);
    expect(result.success).toBe(true);
    expect(result.score).toBe(1);
    expect(result.checks.every((c) => c.passed)).toBe(true);
    expect(result.checks.map((c) => c.id)).toEqual(expect.arrayContaining(task.pitfalls.map((id) => `pitfall:${id}`)));
    expect(env.pitfallsHit()).toEqual([]);
    // A real Word package on disk.
    const doc = readDocx(readFileSync(join(dir, DRAFT_FILE)));
    expect(doc.paragraphs.length).toBeGreaterThan(5);
  });

  it('every task of the suite passes with a good draft and all fixes', async () => {
    for (const task of data.tasks) {
      const { env } = await open(task);
      await writeGood(env, task);
      const render = await env.call('render_docx', fixes(task));
      expect(render.is_error, `${task.id}: ${render.content}`).toBeFalsy();
      const result = await env.check();
      expect(result.feedback, task.id).toEqual([]);
      expect(result.success, task.id).toBe(true);
    }
  });
});

describe('checker: one known-bad document per pitfall', () => {
  const cases = data.pitfalls.flatMap((p) => {
    const task = data.tasks.find((t) => t.pitfalls.includes(p.id))!;
    return [[p.id, task] as const];
  });

  it.each(cases)('%s is caught', async (id, task) => {
    const p = pitfall(id);
    const { env } = await open(task);
    await writeGood(env, task);
    const settings = { ...fixes(task), [p.param]: p.naive };
    const first = await env.call('render_docx', settings);
    if (p.surfaces === 'tool_error') {
      // The render refuses, naming the fix in the directive convention.
      expect(first.is_error).toBe(true);
      expect(first.content).toMatch(/^render_docx failed: /);
      expect(parseDirectives(first.content)).toEqual([{ choice: p.choice, value: p.fix }]);
      expect(env.pitfallsHit()).toEqual([id]);
      // Recovering gives a good document, but the pitfall stays hit.
      const second = await env.call('render_docx', fixes(task));
      expect(second.is_error, second.content).toBeFalsy();
      const result = await env.check();
      expect(result.success).toBe(true);
      expect(env.pitfallsHit()).toEqual([id]);
    } else {
      expect(first.is_error, first.content).toBeFalsy();
      const result = await env.check();
      expect(result.success).toBe(false);
      expect(result.checks.find((c) => c.id === `pitfall:${id}`)?.passed).toBe(false);
      expect(result.checks.filter((c) => !c.passed).map((c) => c.id)).toEqual([`pitfall:${id}`]);
      expect(result.score).toBeLessThan(1);
      expect(result.feedback).toHaveLength(1);
      expect(result.feedback[0]).toMatch(/^Reviewer \(/);
      expect(parseDirectives(result.feedback[0]!)).toEqual([{ choice: p.choice, value: p.fix }]);
      expect(env.pitfallsHit()).toEqual([id]);
    }
  });

  it('reports substantive failures in plain words', async () => {
    const task = firstTask('engagement-letter');
    const e = expectedOf(task);
    const { env } = await open(task);
    const sections = goodSections(task);
    // Drop the retainer line and the last section.
    sections[0]!.body = sections[0]!.body.replace(/^Retainer: .*$/m, '');
    await env.call('write_section', sections[0]!);
    for (const s of sections.slice(1, -1)) await env.call('write_section', s);
    await env.call('render_docx', fixes(task));
    const result = await env.check();
    expect(result.success).toBe(false);
    expect(result.feedback).toEqual(expect.arrayContaining([`missing section: ${e.sections.at(-1)}`, 'missing fact: Retainer ($40,000)']));
    expect(env.pitfallsHit()).toEqual([]);
  });

  it('checks the order of sections', async () => {
    const task = firstTask('nda');
    const { env } = await open(task);
    const sections = goodSections(task);
    for (const s of [...sections].reverse()) await env.call('write_section', s);
    await env.call('render_docx', fixes(task));
    const result = await env.check();
    expect(result.checks.find((c) => c.id === 'section-order')?.passed).toBe(false);
    expect(result.feedback.some((f) => f.startsWith('sections out of order'))).toBe(true);
  });

  it('needs the fee schedule as a table', async () => {
    const task = firstTask('engagement-letter');
    const { env } = await open(task);
    for (const s of goodSections(task)) await env.call('write_section', { heading: s.heading, body: s.body.replaceAll(' | ', ': ') });
    const render = await env.call('render_docx', { ...fixes(task), fee_table: 'merged' });
    // Without a table the fee-table setting does not matter, and is not a pitfall hit.
    expect(render.is_error, render.content).toBeFalsy();
    const result = await env.check();
    expect(result.checks.find((c) => c.id === 'fee-schedule')?.passed).toBe(false);
    expect(env.pitfallsHit()).toEqual([]);
  });
});

describe('checker: drift', () => {
  it('a drifted heading style retires the old fix and accepts the new one', async () => {
    const task = firstTask('motion');
    const p = pitfall('ld-heading-style');
    const { env } = await open(task, [p.id]);
    await writeGood(env, task);
    const stale = await env.call('render_docx', { ...fixes(task), heading_style: p.fix });
    expect(stale.is_error).toBe(true);
    expect(stale.content).toContain('retired');
    expect(stale.content).toContain(p.drift!.template!);
    expect(parseDirectives(stale.content)).toEqual([{ choice: p.choice, value: p.drift!.fix }]);
    const naive = await env.call('render_docx', { ...fixes(task), heading_style: p.naive });
    expect(parseDirectives(naive.content)).toEqual([{ choice: p.choice, value: p.drift!.fix }]);
    const good = await env.call('render_docx', fixes(task, [p.id]));
    expect(good.is_error, good.content).toBeFalsy();
    expect(good.content).toContain(p.drift!.template!);
    const result = await env.check();
    expect(result.success).toBe(true);
    expect(env.pitfallsHit()).toEqual([p.id]);
  });

  it('a drifted closing preference changes what the reviewer accepts', async () => {
    const task = firstTask('demand-letter');
    const p = pitfall('ld-closing');
    const { env } = await open(task, [p.id]);
    await writeGood(env, task);
    await env.call('render_docx', { ...fixes(task), closing: p.fix });
    const old = await env.check();
    expect(old.success).toBe(false);
    expect(parseDirectives(old.feedback.join('\n'))).toEqual([{ choice: p.choice, value: p.drift!.fix }]);
    expect(env.pitfallsHit()).toEqual([p.id]);
    await env.call('render_docx', fixes(task, [p.id]));
    const now = await env.check();
    expect(now.success).toBe(true);
    expect(env.pitfallsHit()).toEqual([]);
  });
});

describe('checker: missing or corrupt documents', () => {
  it('fails cleanly when draft.docx was never rendered', async () => {
    const task = firstTask('contract-clause');
    const { env } = await open(task);
    await writeGood(env, task);
    const result = await env.check();
    expect(result.success).toBe(false);
    expect(result.score).toBe(0);
    expect(result.feedback[0]).toMatch(/no draft\.docx/);
    expect(result.checks[0]).toMatchObject({ id: 'docx', passed: false });
    expect(result.checks.length).toBeGreaterThan(5);
    // No document and no render attempt: every review pitfall counts as hit.
    expect(env.pitfallsHit()).toEqual(
      data.pitfalls.filter((p) => p.surfaces === 'review' && task.pitfalls.includes(p.id)).map((p) => p.id),
    );
  });

  it('fails cleanly on a corrupt draft.docx, judging review settings by the last render attempt', async () => {
    const task = firstTask('engagement-letter');
    const { env, dir } = await open(task);
    await writeGood(env, task);
    await env.call('render_docx', { ...fixes(task), closing: 'Sincerely,' });
    writeFileSync(join(dir, DRAFT_FILE), 'PK\u0003\u0004 this is not a zip');
    const result = await env.check();
    expect(result.success).toBe(false);
    expect(result.score).toBe(0);
    expect(result.feedback[0]).toMatch(/not a valid Word document/);
    expect(env.pitfallsHit()).toEqual(['ld-closing']);
  });

  it('reads the document on disk, not the in-memory draft', async () => {
    const task = firstTask('nda');
    const { env, dir } = await open(task);
    await writeGood(env, task);
    await env.call('render_docx', fixes(task));
    expect((await env.check()).success).toBe(true);
    // Truncate the package: the checker must notice.
    const bytes = readFileSync(join(dir, DRAFT_FILE));
    writeFileSync(join(dir, DRAFT_FILE), bytes.subarray(0, bytes.length / 2));
    expect((await env.check()).success).toBe(false);
  });
});
