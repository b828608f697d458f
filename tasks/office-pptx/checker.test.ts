import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDirectives } from '../../harness/core/directives.js';
import { readPptx } from '../../harness/formats/pptx.js';
import { everyTaskPassesTest, expectReviewPitfallCaught } from '../_office/shared-tests.js';
import { environmentOpener, firstTaskOf } from '../_office/testing.js';
import { slideTitle } from './checker.js';
import { expectedOf } from './data.js';
import { createPptxEnvironment } from './environment.js';
import { buildInput, fixes, produce } from './fixtures/support.js';
import { pptxData } from './index.js';
import { OUTPUT_FILE } from './params.js';

const data = pptxData();
const open = environmentOpener(createPptxEnvironment, data, 'office-pptx-test-');

const pitfall = (id: string) => data.pitfalls.find((p) => p.id === id)!;
const firstTask = firstTaskOf(data);

describe('checker: known-good decks', () => {
  it.each(data.families.map((f) => f.id))('accepts a deck with all the content, built with every fix (%s)', async (family) => {
    const task = firstTask(family);
    const { env, dir } = await open(task);
    const build = await produce(env, task, fixes(data, task));
    expect(build.is_error, build.content).toBeFalsy();
    expect(build.content).toMatch(/^Built deck\.pptx on the house template larkspur-2025\.potx: \d+ slides/);
    const result = await env.check();
    expect(result.feedback).toEqual([]);
    expect(result.success).toBe(true);
    expect(result.score).toBe(1);
    expect(result.checks.map((c) => c.id)).toEqual(expect.arrayContaining(task.pitfalls.map((id) => `pitfall:${id}`)));
    expect(env.pitfallsHit()).toEqual([]);
    const deck = readPptx(readFileSync(join(dir, OUTPUT_FILE)));
    // Where the title placeholder is not a requirement, the naive text-box title is accepted.
    expect(slideTitle(deck.slides[0]!)?.text).toBe(expectedOf(task).title);
    expect((await env.output()).toLowerCase()).toContain(expectedOf(task).slides[0]!.title.toLowerCase());
  });

  everyTaskPassesTest({ data, open, produce });
});

describe('checker: one known-bad deck per pitfall', () => {
  const cases = data.pitfalls.map((p) => [p.id, data.tasks.find((t) => t.pitfalls.includes(p.id))!] as const);

  it.each(cases)('%s is caught', async (id, task) => {
    const p = pitfall(id);
    const { env } = await open(task);
    const good = fixes(data, task);
    const first = await produce(env, task, { ...good, [p.choice]: p.naive });
    if (p.surfaces === 'tool_error') {
      expect(first.is_error).toBe(true);
      expect(first.content).toMatch(p.tool === 'add_slide' ? /^add_slide failed: / : /^build_pptx failed: /);
      expect(parseDirectives(first.content)).toEqual([{ choice: p.choice, value: p.fix }]);
      expect(env.pitfallsHit()).toEqual([id]);
      // Recovering gives a good deck, but the pitfall stays hit.
      const { env: again } = await open(task);
      await produce(again, task, good);
      if (p.tool === 'add_slide') {
        expect((await again.check()).success).toBe(true);
      } else {
        const second = await env.call('build_pptx', buildInput(good));
        expect(second.is_error, second.content).toBeFalsy();
        expect((await env.check()).success).toBe(true);
        expect(env.pitfallsHit()).toEqual([id]);
      }
    } else {
      expect(first.is_error, first.content).toBeFalsy();
      expectReviewPitfallCaught(await env.check(), env, p);
    }
  });

  it('reads the quirks from the PresentationML itself', async () => {
    const task = data.tasks.find(
      (t) => t.pitfalls.includes('op-bullet-overflow') && t.pitfalls.includes('op-min-font') && t.pitfalls.includes('op-notes-page'),
    )!;
    const { env, dir } = await open(task);
    await produce(env, task, {
      ...fixes(data, task),
      'build_pptx.bullet_overflow': 'shrink',
      'build_pptx.notes': 'inline',
      'build_pptx.title_mode': 'textbox',
    });
    const deck = readPptx(readFileSync(join(dir, OUTPUT_FILE)));
    const crowded = deck.slides.find((s) => s.shapes.some((x) => x.fontScale !== undefined))!;
    expect(crowded.shapes.find((x) => x.placeholder?.type === 'body')!.paragraphs.length).toBeGreaterThan(6);
    expect(deck.slides.every((s) => s.title === undefined)).toBe(true);
    expect(deck.slides.some((s) => s.notes !== undefined)).toBe(false);
    const result = await env.check();
    const detail = (id: string) => result.checks.find((c) => c.id === `pitfall:${id}`)?.detail;
    expect(detail('op-bullet-overflow')).toMatch(/^slide \d+: [789] bullets/);
    expect(detail('op-min-font')).toMatch(/^\d+(\.\d)? pt$/);
    expect(detail('op-notes-page')).toMatch(/^notes on the face of slides? /);
    expect(detail('op-title-placeholder')).toMatch(/have no title placeholder$/);
  });

  it('reports substantive failures in plain words', async () => {
    const task = firstTask('quarterly-review');
    const { env } = await open(task);
    await produce(env, task, fixes(data, task), { dropBullet: true });
    const result = await env.check();
    expect(result.success).toBe(false);
    expect(result.feedback).toEqual([`missing bullet on "Highlights of the quarter": "${expectedOf(task).slides[0]!.bullets![0]}"`]);
    expect(env.pitfallsHit()).toEqual([]);
  });

  it('checks chart data, slide count and the bullet word limit', async () => {
    const task = firstTask('board-update');
    const e = expectedOf(task);
    const { env } = await open(task);
    const settings = fixes(data, task);
    await env.call('add_title_slide', { title: e.title, subtitle: e.subtitle, notes: e.title_notes });
    const [chartSlide, ...rest] = e.slides;
    const c = chartSlide!.chart!;
    await env.call('add_slide', {
      title: chartSlide!.title,
      chart: { type: c.type, categories: c.categories, series: c.series.map((s) => ({ ...s, values: s.values.map((v) => v + 1) })) },
      notes: chartSlide!.notes,
      layout: settings['add_slide.layout'],
    });
    for (const s of rest.slice(0, -1))
      await env.call('add_slide', {
        title: s.title,
        bullets: [...s.bullets!, 'This extra bullet point is far longer than any bullet the house style allows on a slide'],
        notes: s.notes,
        layout: settings['add_slide.layout'],
      });
    await env.call('build_pptx', buildInput(settings));
    const result = await env.check();
    const failed = result.checks.filter((c) => !c.passed).map((c) => c.id);
    expect(failed).toEqual(
      expect.arrayContaining([`chart:${chartSlide!.title}`, 'slide-count', `slide:${rest.at(-1)!.title}`, 'bullet-words']),
    );
    expect(result.feedback).toEqual(
      expect.arrayContaining([
        `the ${c.type} chart on "${chartSlide!.title}" must show the brief's data`,
        'the deck needs 4 slides after the title slide (continuation slides aside); it has 3',
      ]),
    );
  });
});

describe('checker: drift', () => {
  it('a drifted layout id retires lk-content and names the new id', async () => {
    const task = firstTask('pitch-deck');
    const p = pitfall('op-layout-id');
    const { env } = await open(task, [p.id]);
    const stale = await produce(env, task, fixes(data, task));
    expect(stale.is_error).toBe(true);
    expect(stale.content).toContain('larkspur-2026.potx');
    expect(parseDirectives(stale.content)).toEqual([{ choice: p.choice, value: 'lk26-content' }]);
    const { env: fresh } = await open(task, [p.id]);
    await produce(fresh, task, fixes(data, task, [p.id]));
    expect((await fresh.check()).success).toBe(true);
  });

  it('a drifted minimum font size changes what the reviewer accepts', async () => {
    const task = firstTask('training');
    const p = pitfall('op-min-font');
    const { env } = await open(task, [p.id]);
    await produce(env, task, fixes(data, task));
    const old = await env.check();
    expect(old.success).toBe(false);
    expect(old.feedback).toEqual([
      expect.stringMatching(
        /^Reviewer \(client accessibility officer\): the 2026 accessibility standard raised the minimum to 28 pt; some text is 24 pt/,
      ),
    ]);
    expect(parseDirectives(old.feedback[0]!)).toEqual([{ choice: p.choice, value: '28' }]);
  });
});

describe('checker: missing or corrupt decks', () => {
  it('fails cleanly when deck.pptx was never built', async () => {
    const task = firstTask('training');
    const { env } = await open(task);
    const result = await env.check();
    expect(result.success).toBe(false);
    expect(result.score).toBe(0);
    expect(result.feedback[0]).toMatch(/no deck\.pptx/);
    expect(env.pitfallsHit()).toEqual(
      data.pitfalls.filter((p) => p.surfaces === 'review' && task.pitfalls.includes(p.id)).map((p) => p.id),
    );
    expect(await env.output()).toBe('(no readable deck.pptx)');
  });

  it('fails cleanly on a truncated deck.pptx', async () => {
    const task = firstTask('project-kickoff');
    const { env, dir } = await open(task);
    await produce(env, task, fixes(data, task));
    expect((await env.check()).success).toBe(true);
    const bytes = readFileSync(join(dir, OUTPUT_FILE));
    writeFileSync(join(dir, OUTPUT_FILE), bytes.subarray(0, bytes.length / 2));
    const result = await env.check();
    expect(result.success).toBe(false);
    expect(result.feedback[0]).toMatch(/not a valid PowerPoint deck/);
  });
});
