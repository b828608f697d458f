import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseDirectives } from '../../harness/core/directives.js';
import type { Task } from '../../harness/core/suite.js';
import { findDates } from './dates.js';
import { legalData } from './index.js';
import { createDraftingEnvironment, DRAFT_FILE } from './environment.js';
import { runPolicy, workdir } from './fixtures/support.js';
import { TOOLS } from './params.js';
import { addressLines, parseBody } from './renderer.js';

const data = legalData();
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const firstTask = (family: string): Task => data.tasks.find((t) => t.family === family)!;

async function open(task: Task, drifted: string[] = []) {
  const dir = workdir();
  dirs.push(dir);
  const env = await createDraftingEnvironment(task, { workdir: dir, session: 1, drifted: new Set(drifted) }, data);
  return { env, dir };
}

describe('workspace and read_file', () => {
  it('places the task files in the workspace and reads them back', async () => {
    const task = firstTask('motion');
    const { env, dir } = await open(task);
    expect(readFileSync(join(dir, 'matter.md'), 'utf8')).toBe(task.files['matter.md']);
    expect((await env.call('read_file', { path: 'matter.md' })).content).toBe(task.files['matter.md']);
    expect((await env.call('read_file', { path: './guidelines.md' })).content).toBe(task.files['guidelines.md']);
  });

  it('names the available files on a bad path', async () => {
    const { env } = await open(firstTask('nda'));
    const out = await env.call('read_file', { path: 'facts.txt' });
    expect(out.is_error).toBe(true);
    expect(out.content).toBe('read_file: no file "facts.txt" in the workspace; available files: guidelines.md, matter.md');
    expect((await env.call('read_file', { path: '../etc/passwd' })).is_error).toBe(true);
    expect((await env.call('read_file', {})).content).toMatch(/"path" must be a file name; available files/);
  });
});

describe('tool input validation', () => {
  it('rejects bad write_section input with a clear message', async () => {
    const { env } = await open(firstTask('nda'));
    expect(await env.call('write_section', { heading: '', body: 'x' })).toEqual({
      content: 'write_section: "heading" must be a non-empty string',
      is_error: true,
    });
    expect(await env.call('write_section', { heading: 'Term' })).toEqual({
      content: 'write_section: "body" must be a string (the section text)',
      is_error: true,
    });
    expect((await env.call('write_section', { heading: 'x'.repeat(300), body: '' })).content).toMatch(/too long/);
  });

  it('appends sections and replaces one with the same heading', async () => {
    const { env } = await open(firstTask('nda'));
    expect((await env.call('write_section', { heading: 'Parties and Purpose', body: 'a' })).content).toMatch(
      /^Added section "Parties and Purpose" \(1 sections/,
    );
    expect((await env.call('write_section', { heading: 'Definitions', body: 'b' })).content).toMatch(/\(2 sections/);
    expect((await env.call('write_section', { heading: '1. parties and purpose:', body: 'c' })).content).toBe(
      'Replaced section "1. parties and purpose:" (2 sections in the draft).',
    );
  });

  it('rejects bad render_docx input with a clear message', async () => {
    const { env } = await open(firstTask('motion'));
    await env.call('write_section', { heading: 'Introduction', body: 'x' });
    expect((await env.call('render_docx', { font: 'Arial' })).content).toMatch(
      /^render_docx: unknown parameter "font"; expected one of heading_style, body_font_size/,
    );
    expect((await env.call('render_docx', { body_font_size: 'large' })).content).toBe(
      'render_docx: body_font_size must be a whole number of points from 8 to 16, got "large"',
    );
    expect((await env.call('render_docx', { caption: 'fancy' })).content).toBe(
      'render_docx: caption must be one of "simple", "court-block"; got "fancy"',
    );
    expect((await env.call('render_docx', { closing: 42 })).content).toBe('render_docx: closing must be a string, got 42');
    // Validation errors are not pitfall hits.
    expect(env.pitfallsHit()).toEqual([]);
  });

  it('refuses to render an empty draft, and rejects unknown tools', async () => {
    const { env } = await open(firstTask('nda'));
    expect((await env.call('render_docx', {})).content).toBe('render_docx: the draft is empty; add sections with write_section first');
    expect((await env.call('fax', {})).content).toBe('unknown tool "fax"; available tools: read_file, write_section, render_docx, submit');
  });

  it('submit ends the task', async () => {
    const { env } = await open(firstTask('nda'));
    expect(await env.call('submit', {})).toMatchObject({ submitted: true });
  });

  it('declares its four tools with JSON schemas', async () => {
    const { env } = await open(firstTask('nda'));
    expect(env.tools).toBe(TOOLS);
    expect(env.tools.map((t) => t.name)).toEqual(['read_file', 'write_section', 'render_docx', 'submit']);
    const render = env.tools.find((t) => t.name === 'render_docx')!;
    expect(Object.keys(render.input_schema.properties)).toContain('heading_style');
    expect(render.input_schema.required).toBeUndefined();
  });
});

describe('render_docx errors', () => {
  it('name every fix in the directive convention, all at once', async () => {
    const task = firstTask('motion');
    const { env, dir } = await open(task);
    await env.call('write_section', { heading: 'Introduction', body: 'Plaintiff moves to compel.' });
    const out = await env.call('render_docx', {});
    expect(out.is_error).toBe(true);
    expect(out.content).toMatch(
      /^render_docx failed with 3 problems:\n- style "Heading 1" is not defined in the firm template \(firm-2024\.dotx\)\. Use render_docx\.heading_style="LegalHeading1"\./,
    );
    expect(parseDirectives(out.content)).toEqual([
      { choice: 'render_docx.heading_style', value: 'LegalHeading1' },
      { choice: 'render_docx.caption', value: 'court-block' },
      { choice: 'render_docx.body_font_size', value: '12' },
    ]);
    expect(env.pitfallsHit()).toEqual(['ld-heading-style', 'ld-caption', 'ld-font-size']);
    expect(existsSync(join(dir, DRAFT_FILE))).toBe(false);
  });

  it('a single problem reads as one sentence, as in the brief', async () => {
    const task = firstTask('demand-letter');
    const { env } = await open(task);
    await env.call('write_section', { heading: 'Introduction', body: 'x' });
    const out = await env.call('render_docx', { heading_style: 'Heading 1' });
    expect(out.content).toBe(
      'render_docx failed: style "Heading 1" is not defined in the firm template (firm-2024.dotx). Use render_docx.heading_style="LegalHeading1".',
    );
  });

  it('the fee table error only bites when the draft has a table', async () => {
    const task = firstTask('engagement-letter');
    const { env } = await open(task);
    await env.call('write_section', { heading: 'Fees and Billing', body: 'Hourly rates:\nTimekeeper | Rate\nPartner | $720' });
    const out = await env.call('render_docx', { heading_style: 'LegalHeading1' });
    expect(out.content).toMatch(/cannot emit merged cells/);
    expect(parseDirectives(out.content)).toEqual([{ choice: 'render_docx.fee_table', value: 'simple-grid' }]);
  });
});

describe('the rendered document', () => {
  it('re-prints every date in the chosen format and sets defined terms', async () => {
    const task = firstTask('nda');
    const { env, dir } = await open(task);
    await env.call('write_section', {
      heading: 'Definitions',
      body: '"Purpose" means the evaluation starting 2025-03-17 (or March 18, 2025, or 03/19/2025).',
    });
    const out = await env.call('render_docx', {
      heading_style: 'LegalHeading1',
      numbering: 'legal-flat',
      date_format: 'D MMMM YYYY',
      defined_terms: 'bold-quoted',
    });
    expect(out.is_error, out.content).toBeFalsy();
    const { readDocx } = await import('../../harness/formats/docx.js');
    const doc = readDocx(readFileSync(join(dir, DRAFT_FILE)));
    const formats = new Set(findDates(doc.text).map((d) => d.format));
    expect(formats).toEqual(new Set(['D MMMM YYYY']));
    expect(doc.text).toContain('17 March 2025 (or 18 March 2025, or 19 March 2025)');
    const defined = doc.paragraphs.flatMap((p) => p.runs).find((r) => r.text === '“Purpose”');
    expect(defined?.bold).toBe(true);
  });

  it('keeps entity suffixes with the name in the address block', () => {
    expect(addressLines('Carla Jensen, General Counsel, Northgate Logistics, Inc.')).toEqual([
      'Carla Jensen',
      'General Counsel',
      'Northgate Logistics, Inc.',
    ]);
    expect(addressLines('Dr. Anika Rao')).toEqual(['Dr. Anika Rao']);
  });

  it('parses "a | b" lines into tables, skipping markdown rules', () => {
    expect(parseBody('Intro\n| A | B |\n|---|---|\n| 1 | 2 |\nAfter')).toEqual([
      { kind: 'p', text: 'Intro' },
      {
        kind: 't',
        rows: [
          ['A', 'B'],
          ['1', '2'],
        ],
      },
      { kind: 'p', text: 'After' },
    ]);
  });
});

describe('LibreOffice', () => {
  const soffice = ['soffice', 'libreoffice'].find((bin) => {
    try {
      execFileSync('which', [bin], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  });

  it.runIf(Boolean(soffice))('converts a rendered draft of every family to PDF', async () => {
    const lessons = Object.fromEntries(data.pitfalls.map((p) => [p.choice, p.fix]));
    const out = workdir();
    dirs.push(out);
    const files: string[] = [];
    for (const family of data.families) {
      const task = firstTask(family.id);
      const { env, dir } = await open(task);
      await runPolicy(env, task, { lessons });
      expect((await env.check()).success, task.id).toBe(true);
      const file = join(out, `${family.id}.docx`);
      execFileSync('cp', [join(dir, DRAFT_FILE), file]);
      files.push(file);
    }
    execFileSync(
      soffice!,
      [`-env:UserInstallation=file://${out}/lo-profile`, '--headless', '--convert-to', 'pdf', '--outdir', out, ...files],
      {
        timeout: 180_000,
        stdio: 'ignore',
      },
    );
    for (const family of data.families) {
      const pdf = join(out, `${family.id}.pdf`);
      expect(existsSync(pdf), pdf).toBe(true);
      expect(readFileSync(pdf).subarray(0, 4).toString()).toBe('%PDF');
    }
  });
});
