import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDirectives } from '../../harness/core/directives.js';
import { readDocx } from '../../harness/formats/docx.js';
import { environmentOpener, firstTaskOf } from '../_office/testing.js';
import { parseBrief } from './brief.js';
import { expectedOf } from './data.js';
import { createDocxEnvironment } from './environment.js';
import { docxData } from './index.js';
import { OUTPUT_FILE, TOOLS } from './params.js';
import { levelStyle, revisionRuns, styleName } from './renderer.js';

const data = docxData();
const open = environmentOpener(createDocxEnvironment, data, 'office-docx-env-');
const firstTask = firstTaskOf(data);

describe('workspace and read_file', () => {
  it('places the task files in the workspace and reads them back', async () => {
    const task = firstTask('memo');
    const { env, dir } = await open(task);
    expect(readFileSync(join(dir, 'brief.md'), 'utf8')).toBe(task.files['brief.md']);
    expect((await env.call('read_file', { path: './style-guide.md' })).content).toBe(task.files['style-guide.md']);
    const out = await env.call('read_file', { path: 'notes.txt' });
    expect(out).toEqual({
      content: 'read_file: no file "notes.txt" in the workspace; available files: brief.md, style-guide.md',
      is_error: true,
    });
    expect((await env.call('read_file', { path: OUTPUT_FILE })).content).toMatch(/binary Word document/);
  });
});

describe('tool input validation', () => {
  it('rejects bad add_block input with a clear message', async () => {
    const { env } = await open(firstTask('memo'));
    expect((await env.call('add_block', { kind: 'image' })).content).toBe(
      'add_block: "kind" must be one of "heading", "paragraph", "list", "table"',
    );
    expect((await env.call('add_block', { kind: 'heading', text: 'x', level: 3 })).content).toBe(
      'add_block: a heading "level" must be 1 or 2',
    );
    expect((await env.call('add_block', { kind: 'list', items: [] })).content).toMatch(/a list needs "items"/);
    expect((await env.call('add_block', { kind: 'table', rows: [['only a header']] })).content).toMatch(/at least two arrays/);
    expect((await env.call('add_block', { kind: 'paragraph', text: 'x', colour: 'red' })).content).toMatch(/unknown parameter "colour"/);
    expect((await env.call('add_block', { kind: 'paragraph', text: '  Two   spaces ' })).content).toBe('Added paragraph (block 1).');
  });

  it('rejects bad settings with the allowed values, and these are not pitfall hits', async () => {
    const { env } = await open(firstTask('proposal'));
    expect((await env.call('set_page', { size: 'A5' })).content).toBe('set_page: size must be one of "Letter", "A4", "Legal"; got "A5"');
    expect((await env.call('set_header', { pages: 'default' })).content).toBe('set_header: "text" must be a non-empty string');
    expect((await env.call('set_footer', { text: 'x', page_numbers: 'roman' })).content).toMatch(
      /page_numbers must be one of "text", "field", "none"/,
    );
    await env.call('add_block', { kind: 'heading', text: 'Executive summary' });
    expect((await env.call('build_docx', { title: 'T', numbering: 'auto' })).content).toMatch(
      /numbering must be one of "template", "new-definition"/,
    );
    expect((await env.call('build_docx', { title: 'T', font: 'Arial' })).content).toMatch(
      /^build_docx: unknown parameter "font"; expected one of title, heading_style/,
    );
    expect((await env.call('build_docx', {})).content).toBe('build_docx: "title" must be the document title (a non-empty string)');
    expect(env.pitfallsHit()).toEqual([]);
  });

  it('refuses to build an empty document, rejects unknown tools, and submit ends the task', async () => {
    const { env } = await open(firstTask('memo'));
    expect((await env.call('build_docx', { title: 'T' })).content).toBe(
      'build_docx: the document has no content; add blocks with add_block first',
    );
    expect((await env.call('fax', {})).content).toBe(
      'unknown tool "fax"; available tools: read_file, set_page, set_header, set_footer, add_block, build_docx, submit',
    );
    expect(await env.call('submit', {})).toMatchObject({
      submitted: true,
      content: 'Submitted the document (no document.docx was built) for review.',
    });
  });

  it('declares its seven tools with JSON schemas', async () => {
    const { env } = await open(firstTask('memo'));
    expect(env.tools).toBe(TOOLS);
    expect(env.tools.map((t) => t.name)).toEqual([
      'read_file',
      'set_page',
      'set_header',
      'set_footer',
      'add_block',
      'build_docx',
      'submit',
    ]);
    expect(Object.keys(env.tools.find((t) => t.name === 'build_docx')!.input_schema.properties)).toEqual([
      'title',
      'heading_style',
      'table_style',
      'numbering',
      'table_width',
      'table_header',
      'body_font',
      'revisions',
    ]);
  });
});

describe('build_docx errors name the fix', () => {
  it('all at once, in the directive convention, and write no file', async () => {
    const task = firstTask('status-report');
    const { env, dir } = await open(task);
    for (const block of expectedOf(task).blocks) await env.call('add_block', { ...block });
    const out = await env.call('build_docx', { title: 'Report' });
    expect(out.is_error).toBe(true);
    expect(out.content).toMatch(
      /^build_docx failed with 3 problems:\n- w:pStyle must carry a style id, not a display name: "Heading 1" is not a style id in the house template \(larkspur-2025\.dotx\)/,
    );
    expect(parseDirectives(out.content)).toEqual([
      { choice: 'build_docx.heading_style', value: 'Heading1' },
      { choice: 'build_docx.table_style', value: 'TableGrid' },
      { choice: 'build_docx.numbering', value: 'new-definition' },
    ]);
    expect(env.pitfallsHit()).toEqual(['od-heading-style-id', 'od-table-style-id', 'od-numbering-definition']);
    expect(existsSync(join(dir, OUTPUT_FILE))).toBe(false);
  });

  it('a table style only matters with a table, numbering only with a list', async () => {
    const { env } = await open(firstTask('status-report'));
    await env.call('add_block', { kind: 'heading', text: 'Summary' });
    const out = await env.call('build_docx', { title: 'Report', heading_style: 'Heading1' });
    expect(out.is_error, out.content).toBeFalsy();
  });
});

describe('the built document', () => {
  it('lays out tracked revisions word by word, with author and date', async () => {
    const task = firstTask('policy-update');
    const { env, dir } = await open(task);
    await env.call('add_block', { kind: 'heading', text: '2. Submitting claims' });
    await env.call('add_block', {
      kind: 'paragraph',
      text: 'Expense claims must be submitted within 14 days of the expense.',
      replaces: 'Expense claims must be submitted within 30 days of the expense.',
    });
    await env.call('build_docx', { title: 'Expenses', heading_style: 'Heading1', revisions: 'tracked' });
    const doc = readDocx(readFileSync(join(dir, OUTPUT_FILE)));
    expect(doc.paragraphs[2]!.text).toBe('Expense claims must be submitted within 14 days of the expense.');
    expect(doc.revisions).toEqual([
      { kind: 'del', author: 'Larkspur Advisory', date: '2025-09-01T09:00:00Z', text: '30' },
      { kind: 'ins', author: 'Larkspur Advisory', date: '2025-09-01T09:00:00Z', text: '14' },
    ]);
    expect(revisionRuns('a b c', 'a b', 'x', '2025-01-01').map((r) => [r.text, r.revision?.kind])).toEqual([
      ['a b', undefined],
      [' c', 'del'],
    ]);
  });

  it('names styles as Word does and derives level-2 heading ids', () => {
    expect(styleName('Heading1')).toBe('heading 1');
    expect(styleName('TableGrid')).toBe('Table Grid');
    expect(styleName('LarkspurHeading1')).toBe('Larkspur Heading 1');
    expect(levelStyle('Heading1', 2)).toBe('Heading2');
    expect(levelStyle('Custom', 2)).toBe('Custom2');
  });

  it('parses a brief the way the generator writes it', () => {
    const plan = parseBrief(
      '## Page setup\n- Title: T\n- Page numbers: in the footer\n\n## Content\n### A\n#### B\ntext\n- x\n- y\n1. one\n| h | i |\n|---|---|\n| 1 | |\nNew. [revised; was: "Old."]\n',
    );
    expect(plan).toEqual({
      title: 'T',
      page_numbers: true,
      blocks: [
        { kind: 'heading', text: 'A', level: 1 },
        { kind: 'heading', text: 'B', level: 2 },
        { kind: 'paragraph', text: 'text' },
        { kind: 'list', ordered: false, items: ['x', 'y'] },
        { kind: 'list', ordered: true, items: ['one'] },
        {
          kind: 'table',
          rows: [
            ['h', 'i'],
            ['1', ''],
          ],
        },
        { kind: 'paragraph', text: 'New.', replaces: 'Old.' },
      ],
    });
  });
});
