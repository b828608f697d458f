import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDirectives } from '../../harness/core/directives.js';
import { pngSize } from '../../harness/formats/png.js';
import { readPptx } from '../../harness/formats/pptx.js';
import { titleCase } from '../_office/text.js';
import { environmentOpener, firstTaskOf } from '../_office/testing.js';
import { parseBrief } from './brief.js';
import { expectedOf } from './data.js';
import { createPptxEnvironment, picturesOf } from './environment.js';
import { pptxData } from './index.js';
import { OUTPUT_FILE, TOOLS } from './params.js';

const data = pptxData();
const open = environmentOpener(createPptxEnvironment, data, 'office-pptx-env-');
const firstTask = firstTaskOf(data);

describe('workspace', () => {
  it('places the brief, the style guide and the pictures the brief names', async () => {
    const task = data.tasks.find((t) => picturesOf(t).length > 0)!;
    const { env, dir } = await open(task);
    expect(readFileSync(join(dir, 'brief.md'), 'utf8')).toBe(task.files['brief.md']);
    for (const file of picturesOf(task)) expect(pngSize(readFileSync(join(dir, file)))).toEqual({ width: 480, height: 270 });
    expect((await env.call('read_file', { path: picturesOf(task)[0]! })).content).toMatch(/is a binary file/);
    expect((await env.call('read_file', { path: 'notes.md' })).content).toBe(
      'read_file: no file "notes.md" in the workspace; available files: brief.md, style-guide.md',
    );
  });
});

describe('tool input validation', () => {
  it('rejects bad slides with a clear message, and these are not pitfall hits', async () => {
    const { env } = await open(firstTask('quarterly-review'));
    const layout = { layout: 'lk-content' };
    expect((await env.call('add_slide', { title: 'x', ...layout })).content).toBe(
      'add_slide: give exactly one of "bullets", "chart" or "picture"',
    );
    expect((await env.call('add_slide', { title: 'x', bullets: ['a'], chart: {}, ...layout })).content).toBe(
      'add_slide: give exactly one of "bullets", "chart" or "picture"',
    );
    expect(
      (await env.call('add_slide', { title: 'x', chart: { type: 'radar', categories: ['a'], series: [] }, ...layout })).content,
    ).toMatch(/chart "type" must be one of "column", "bar", "line", "pie"/);
    expect(
      (
        await env.call('add_slide', {
          title: 'x',
          chart: { type: 'bar', categories: ['a', 'b'], series: [{ name: 's', values: [1] }] },
          ...layout,
        })
      ).content,
    ).toBe('add_slide: chart series "s" has 1 values for 2 categories');
    expect((await env.call('add_slide', { title: 'x', picture: { file: 'nope.png', caption: 'c' }, ...layout })).content).toMatch(
      /^add_slide: no picture "nope.png" in the workspace/,
    );
    expect((await env.call('add_slide', { title: 'x', bullets: ['a'], colour: 'red' })).content).toMatch(
      /^add_slide: unknown parameter "colour"/,
    );
    expect((await env.call('add_title_slide', { title: 'T' })).content).toBe('add_title_slide: "subtitle" must be a non-empty string');
    expect((await env.call('build_pptx', { slide_size: '21:9' })).content).toBe(
      'build_pptx: slide_size must be one of "4:3", "16:9"; got "21:9"',
    );
    expect((await env.call('build_pptx', { body_font_size: 'huge' })).content).toMatch(
      /body_font_size must be a whole number of points from 10 to 40/,
    );
    expect(env.pitfallsHit()).toEqual([]);
  });

  it('refuses to build an empty deck, rejects unknown tools, and submit ends the task', async () => {
    const { env } = await open(firstTask('training'));
    expect((await env.call('build_pptx', {})).content).toBe(
      'build_pptx: the deck has no slides; add them with add_title_slide and add_slide first',
    );
    expect((await env.call('fax', {})).content).toBe(
      'unknown tool "fax"; available tools: read_file, add_title_slide, add_slide, build_pptx, submit',
    );
    expect(await env.call('submit', {})).toMatchObject({ submitted: true });
  });

  it('declares its five tools with JSON schemas', async () => {
    const { env } = await open(firstTask('training'));
    expect(env.tools).toBe(TOOLS);
    expect(env.tools.map((t) => t.name)).toEqual(['read_file', 'add_title_slide', 'add_slide', 'build_pptx', 'submit']);
    expect(Object.keys(env.tools.find((t) => t.name === 'build_pptx')!.input_schema.properties)).toHaveLength(9);
  });
});

describe('tool errors name the fix', () => {
  it('add_slide refuses a layout display name and names the id', async () => {
    const { env } = await open(firstTask('pitch-deck'));
    const out = await env.call('add_slide', { title: 'What we heard', bullets: ['a'] });
    expect(out.content).toBe(
      'add_slide failed: no layout with the id "Title and Content" in the house template (larkspur-2025.potx): layouts are selected by id, not by their display name (names are localised and repeat across masters). The title-and-content layout is "lk-content". Use add_slide.layout="lk-content".',
    );
    expect(parseDirectives(out.content)).toEqual([{ choice: 'add_slide.layout', value: 'lk-content' }]);
    expect(env.pitfallsHit()).toEqual(['op-layout-id']);
  });

  it('build_pptx refuses linked chart data only when the deck has a chart', async () => {
    const task = firstTask('quarterly-review');
    const { env, dir } = await open(task);
    await env.call('add_title_slide', { title: 'T', subtitle: 'S' });
    await env.call('add_slide', { title: 'Highlights', bullets: ['a'], layout: 'lk-content' });
    expect((await env.call('build_pptx', {})).is_error).toBeFalsy();
    const chart = expectedOf(task).slides[1]!.chart!;
    await env.call('add_slide', {
      title: 'Chart',
      chart: { type: chart.type, categories: chart.categories, series: chart.series },
      layout: 'lk-content',
    });
    const out = await env.call('build_pptx', {});
    expect(out.is_error).toBe(true);
    expect(parseDirectives(out.content)).toEqual([{ choice: 'build_pptx.chart_data', value: 'embedded' }]);
    expect(env.pitfallsHit()).toEqual(['op-chart-data']);
    expect(existsSync(join(dir, OUTPUT_FILE))).toBe(true); // from the first build
  });
});

describe('the built deck', () => {
  it('splits a long bullet list onto continuation slides, with notes on the notes page and numbered slides', async () => {
    const task = data.tasks.find((t) => t.pitfalls.includes('op-bullet-overflow') && t.family === 'training')!;
    const e = expectedOf(task);
    const { env, dir } = await open(task);
    await env.call('add_title_slide', { title: e.title, subtitle: e.subtitle });
    const long = e.slides.find((s) => (s.bullets?.length ?? 0) > 6)!;
    await env.call('add_slide', { title: long.title, bullets: long.bullets, notes: long.notes ?? 'n', layout: 'lk-content' });
    await env.call('build_pptx', {
      bullet_overflow: 'continue',
      notes: 'notes-page',
      slide_numbers: 'on',
      title_mode: 'placeholder',
      slide_size: '16:9',
    });
    const deck = readPptx(readFileSync(join(dir, OUTPUT_FILE)));
    expect(deck.slides.map((s) => s.title)).toEqual([e.title, long.title, `${long.title} (cont.)`]);
    expect(deck.slides[1]!.notes).toBe(long.notes ?? 'n');
    expect(deck.slides[2]!.notes).toBeUndefined();
    expect(deck.slides.slice(1).map((s) => s.shapes.find((x) => x.placeholder?.type === 'sldNum')?.text)).toEqual(['2', '3']);
  });

  it('sets titles in Title Case the house way', () => {
    expect(titleCase('Highlights of the quarter')).toBe('Highlights of the Quarter');
    expect(titleCase('What residents told us')).toBe('What Residents Told Us');
    expect(titleCase('Q3 results for the EU market')).toBe('Q3 Results for the EU Market');
    expect(titleCase('Post-merger plan')).toBe('Post-Merger Plan');
  });

  it('parses a brief the way the generator writes it', () => {
    const plan = parseBrief(
      '## Deck\n- Title: T\n- Subtitle: S\n- Title slide notes: hello\n\n## Slides\n### One\n- a\n- b\nNotes: n1\n### Two\nChart (line):\n| Month | A | B |\n|---|---|---|\n| Jan | 1 | 2.5 |\n| Feb | 3 | 4 |\n### Three\nPicture: x.png — A caption\n',
    );
    expect(plan).toEqual({
      title: 'T',
      subtitle: 'S',
      title_notes: 'hello',
      slides: [
        { title: 'One', bullets: ['a', 'b'], notes: 'n1' },
        {
          title: 'Two',
          chart: {
            type: 'line',
            axis: 'Month',
            categories: ['Jan', 'Feb'],
            series: [
              { name: 'A', values: [1, 3] },
              { name: 'B', values: [2.5, 4] },
            ],
          },
        },
        { title: 'Three', picture: { file: 'x.png', caption: 'A caption' } },
      ],
    });
  });
});
