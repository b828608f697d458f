import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDirectives } from '../../harness/core/directives.js';
import { readDocx } from '../../harness/formats/docx.js';
import { everyTaskPassesTest, expectReviewPitfallCaught } from '../_office/shared-tests.js';
import { environmentOpener, firstTaskOf, toolSettings } from '../_office/testing.js';
import { expectedOf } from './data.js';
import { createDocxEnvironment } from './environment.js';
import { fixes, produce } from './fixtures/support.js';
import { docxData } from './index.js';
import { OUTPUT_FILE } from './params.js';

const data = docxData();
const open = environmentOpener(createDocxEnvironment, data, 'office-docx-test-');

const pitfall = (id: string) => data.pitfalls.find((p) => p.id === id)!;
const firstTask = firstTaskOf(data);

describe('checker: known-good documents', () => {
  it.each(data.families.map((f) => f.id))('accepts a document with all the content, built with every fix (%s)', async (family) => {
    const task = firstTask(family);
    const { env, dir } = await open(task);
    const build = await produce(env, task, fixes(data, task));
    expect(build.is_error, build.content).toBeFalsy();
    expect(build.content).toMatch(/^Built document\.docx on the house template larkspur-2025\.dotx: /);
    const result = await env.check();
    expect(result.feedback).toEqual([]);
    expect(result.success).toBe(true);
    expect(result.score).toBe(1);
    expect(result.checks.map((c) => c.id)).toEqual(expect.arrayContaining(task.pitfalls.map((id) => `pitfall:${id}`)));
    expect(env.pitfallsHit()).toEqual([]);
    const doc = readDocx(readFileSync(join(dir, OUTPUT_FILE)));
    expect(doc.paragraphs[0]).toMatchObject({ styleId: 'Title', text: expectedOf(task).title });
    expect(await env.output()).toContain(expectedOf(task).title);
  });

  everyTaskPassesTest({ data, open, produce });
});

describe('checker: one known-bad document per pitfall', () => {
  const cases = data.pitfalls.map((p) => [p.id, data.tasks.find((t) => t.pitfalls.includes(p.id))!] as const);

  it.each(cases)('%s is caught', async (id, task) => {
    const p = pitfall(id);
    const { env } = await open(task);
    const first = await produce(env, task, { ...fixes(data, task), [p.choice]: p.naive });
    if (p.surfaces === 'tool_error') {
      // The build refuses, naming the fix in the directive convention.
      expect(first.is_error).toBe(true);
      expect(first.content).toMatch(/^build_docx failed: /);
      expect(parseDirectives(first.content)).toEqual([{ choice: p.choice, value: p.fix }]);
      expect(env.pitfallsHit()).toEqual([id]);
      // Recovering gives a good document, but the pitfall stays hit.
      const e = expectedOf(task);
      const second = await env.call('build_docx', { title: e.title, ...toolSettings(fixes(data, task), 'build_docx') });
      expect(second.is_error, second.content).toBeFalsy();
      expect((await env.check()).success).toBe(true);
      expect(env.pitfallsHit()).toEqual([id]);
    } else {
      expect(first.is_error, first.content).toBeFalsy();
      expectReviewPitfallCaught(await env.check(), env, p);
    }
  });

  it('reads the quirks from the OOXML itself', async () => {
    const task = data.tasks.find((t) => t.pitfalls.includes('od-table-width') && t.pitfalls.includes('od-first-page-header'))!;
    const { env, dir } = await open(task);
    await produce(env, task, {
      ...fixes(data, task),
      'build_docx.table_width': 'fixed',
      'set_header.pages': 'default',
      'build_docx.body_font': 'theme',
    });
    const doc = readDocx(readFileSync(join(dir, OUTPUT_FILE)));
    const wide = doc.tables.find((t) => t.grid.length >= 5)!;
    expect(wide.width?.type).toBe('dxa');
    expect(wide.grid.reduce((a, b) => a + b, 0)).toBeGreaterThan(9360);
    expect(doc.section.titlePage).toBe(true);
    expect(doc.headerParts.map((h) => h.type)).toEqual(['default']);
    expect(doc.defaultFonts).toEqual({ asciiTheme: 'minorHAnsi' });
    const result = await env.check();
    expect(result.checks.find((c) => c.id === 'pitfall:od-table-width')?.detail).toMatch(
      /-column table is \d+\.\d in wide; the text width is 6\.5 in/,
    );
    expect(result.checks.find((c) => c.id === 'pitfall:od-first-page-header')?.detail).toBe(
      'the section has a different first page and no first-page header',
    );
  });

  it('reports substantive failures in plain words', async () => {
    const task = firstTask('memo');
    const e = expectedOf(task);
    const paragraph = e.blocks.findIndex((b) => b.kind === 'paragraph');
    const { env } = await open(task);
    await produce(env, task, fixes(data, task), { skipBlocks: [paragraph] });
    const result = await env.check();
    expect(result.success).toBe(false);
    expect(result.feedback).toEqual([expect.stringMatching(/^missing paragraph: "To: Partners"/)]);
    expect(env.pitfallsHit()).toEqual([]);
  });

  it('checks that lists are lists and tables are tables', async () => {
    const task = firstTask('status-report');
    const e = expectedOf(task);
    const { env } = await open(task);
    await env.call('set_page', {});
    for (const block of e.blocks) {
      if (block.kind === 'list') for (const item of block.items) await env.call('add_block', { kind: 'paragraph', text: item });
      else if (block.kind === 'table')
        for (const row of block.rows) await env.call('add_block', { kind: 'paragraph', text: row.join(' ') });
      else
        await env.call(
          'add_block',
          block.kind === 'heading' ? { kind: 'heading', text: block.text, level: block.level } : { kind: 'paragraph', text: block.text },
        );
    }
    await env.call('build_docx', { title: e.title, ...toolSettings(fixes(data, task), 'build_docx') });
    const result = await env.check();
    expect(result.checks.filter((c) => c.id.startsWith('list:')).every((c) => !c.passed)).toBe(true);
    expect(result.checks.find((c) => c.id.startsWith('table:'))?.passed).toBe(false);
    expect(result.feedback.some((f) => /is not a list$/.test(f))).toBe(true);
  });
});

describe('checker: drift', () => {
  it('a drifted heading style retires Heading1 and accepts the house heading', async () => {
    const task = firstTask('memo');
    const p = pitfall('od-heading-style-id');
    const { env } = await open(task, [p.id]);
    const stale = await produce(env, task, { ...fixes(data, task), [p.choice]: p.fix });
    expect(stale.is_error).toBe(true);
    expect(stale.content).toContain('larkspur-2026.dotx');
    expect(parseDirectives(stale.content)).toEqual([{ choice: p.choice, value: 'LarkspurHeading1' }]);
    const good = await env.call('build_docx', {
      title: expectedOf(task).title,
      heading_style: 'LarkspurHeading1',
      body_font: 'Georgia',
      numbering: 'new-definition',
      table_style: 'TableGrid',
    });
    expect(good.is_error, good.content).toBeFalsy();
    expect((await env.check()).success).toBe(true);
    expect(env.pitfallsHit()).toEqual([p.id]);
  });

  it('a drifted house font changes what the reviewer accepts', async () => {
    const task = firstTask('status-report');
    const p = pitfall('od-house-font');
    const { env } = await open(task, [p.id]);
    await produce(env, task, { ...fixes(data, task), [p.choice]: 'Georgia' });
    const old = await env.check();
    expect(old.success).toBe(false);
    expect(parseDirectives(old.feedback.join('\n'))).toEqual([{ choice: p.choice, value: 'Source Serif 4' }]);
    expect(old.feedback[0]).toMatch(
      /^Reviewer \(A\. Marsh, brand lead\): since the 2026 brand refresh our documents use "Source Serif 4" \(font Georgia\)/,
    );
    expect(env.pitfallsHit()).toEqual([p.id]);
  });
});

describe('checker: missing or corrupt documents', () => {
  it('fails cleanly when document.docx was never built, judging review settings by the defaults', async () => {
    const task = firstTask('proposal');
    const { env } = await open(task);
    const result = await env.check();
    expect(result.success).toBe(false);
    expect(result.score).toBe(0);
    expect(result.feedback[0]).toMatch(/no document\.docx/);
    expect(result.checks[0]).toMatchObject({ id: 'docx', passed: false });
    expect(env.pitfallsHit()).toEqual(
      data.pitfalls.filter((p) => p.surfaces === 'review' && task.pitfalls.includes(p.id)).map((p) => p.id),
    );
    expect(await env.output()).toBe('(no readable document.docx)');
  });

  it('fails cleanly on a corrupt or truncated document.docx', async () => {
    const task = firstTask('intake-form');
    const { env, dir } = await open(task);
    await produce(env, task, fixes(data, task));
    expect((await env.check()).success).toBe(true);
    const bytes = readFileSync(join(dir, OUTPUT_FILE));
    writeFileSync(join(dir, OUTPUT_FILE), bytes.subarray(0, bytes.length / 2));
    const result = await env.check();
    expect(result.success).toBe(false);
    expect(result.feedback[0]).toMatch(/not a valid Word document/);
    // No document to judge: the settings last used say whether review pitfalls were met.
    expect(env.pitfallsHit()).toEqual([]);
  });
});
