// The deterministic checker: it opens the deck.pptx the agent produced (never the in-memory slides)
// and verifies the title slide, every slide of the brief (in order, counted), its bullets (within
// the house word limit), charts with their data, pictures and speaker notes, and one requirement per
// pitfall of the task read from the PresentationML: layouts, title placeholders, bullets per slide,
// notes slides, slide size, font sizes, alternative text, title case and slide numbers. Review
// pitfalls produce the reviewer's feedback, which names the fix in the directive convention.

import { existsSync, readFileSync } from 'node:fs';
import {
  effectiveSizePt,
  PptxError,
  readPptx,
  SLIDE_SIZES,
  type PptxContent,
  type PptxReadShape,
  type PptxReadSlide,
} from '../../harness/formats/pptx.js';
import { checkPitfalls, failAllChecks, fileCheckResult, short, type Check, type OfficeFileCheck } from '../_office/checking.js';
import { looksLikeFileName, normText, titleCase, wordCount } from '../_office/text.js';
import type { SlidePlan } from './brief.js';
import { MAX_BULLETS, MAX_WORDS, type PptxExpected, type PptxPitfall } from './data.js';
import { CONTINUED, HOUSE_LAYOUT_NAMES } from './renderer.js';

export interface CheckInput {
  pptxPath: string;
  expected: PptxExpected;
  pitfalls: readonly PptxPitfall[];
  drifted: ReadonlySet<string>;
  template: string;
}

export type DeckCheck = OfficeFileCheck;

const FURNITURE = new Set(['sldNum', 'dt', 'ftr']);

/** The slide's title as a reader finds it: the title placeholder, else the first text box (a title drawn as a box). */
export function slideTitle(slide: PptxReadSlide): { text: string; placeholder: boolean } | undefined {
  if (slide.title !== undefined) return { text: slide.title, placeholder: true };
  const box = slide.shapes.find((s) => s.kind === 'text' && s.textBox && s.text.trim());
  return box ? { text: box.text, placeholder: false } : undefined;
}

const isNotesBox = (shape: PptxReadShape): boolean => shape.kind === 'text' && shape.textBox && /^speaker notes:/i.test(shape.text.trim());
/** Bullet paragraphs of a slide: body-placeholder text (and bulleted text boxes), not notes written on the slide. */
function bulletsOf(slide: PptxReadSlide): string[] {
  return slide.shapes
    .filter(
      (s) =>
        s.kind === 'text' &&
        !isNotesBox(s) &&
        (s.placeholder?.type === 'body' || s.placeholder?.type === 'obj' || (s.textBox && s.paragraphs.some((p) => p.bullet))),
    )
    .flatMap((s) => s.paragraphs.filter((p) => p.bullet && p.text.trim()).map((p) => p.text));
}

function checkIds(e: PptxExpected, pitfalls: readonly PptxPitfall[]): string[] {
  const ids = ['pptx', 'title-slide', 'slide-count', 'slide-order'];
  for (const s of e.slides) {
    ids.push(`slide:${s.title}`);
    if (s.bullets) ids.push(`bullets:${s.title}`);
    if (s.chart) ids.push(`chart:${s.title}`);
    if (s.picture) ids.push(`picture:${s.title}`);
    if (s.notes) ids.push(`notes:${s.title}`);
  }
  if (e.title_notes) ids.push('notes:title-slide');
  ids.push('bullet-words');
  for (const p of pitfalls) ids.push(`pitfall:${p.id}`);
  return ids;
}

function failAll(input: CheckInput, reason: string, feedback: string): DeckCheck {
  return failAllChecks(checkIds(input.expected, input.pitfalls), 'pptx', reason, 'no valid deck', feedback);
}

interface Group {
  plan: SlidePlan;
  /** The slide and its continuation slides. */
  slides: PptxReadSlide[];
}

export function checkDeck(input: CheckInput): DeckCheck {
  if (!existsSync(input.pptxPath))
    return failAll(input, 'deck.pptx not found', 'no deck.pptx was produced: the deck was never built with build_pptx');
  let deck: PptxContent;
  try {
    deck = readPptx(readFileSync(input.pptxPath));
  } catch (error) {
    const reason = error instanceof PptxError ? error.message : String(error);
    return failAll(input, reason, `deck.pptx is not a valid PowerPoint deck (${reason})`);
  }
  const e = input.expected;
  const checks: Check[] = [{ id: 'pptx', passed: true }];
  const feedback: string[] = [];
  const reviewHits: string[] = [];
  const add = (id: string, passed: boolean, detail: string, message: string): void => {
    checks.push({ id, passed, ...(passed ? {} : { detail }) });
    if (!passed) feedback.push(message);
  };

  // The title slide.
  const first = deck.slides[0];
  const firstText = first ? normText(first.shapes.map((s) => s.text).join('\n')) : '';
  add(
    'title-slide',
    Boolean(first) && firstText.includes(normText(e.title)) && firstText.includes(normText(e.subtitle)),
    'no title slide with the title and subtitle',
    `the first slide must be the title slide: "${e.title}" with "${e.subtitle}"`,
  );

  // Slides, matched by title (any case), with their continuation slides.
  const titles = deck.slides.map((s) => normText(slideTitle(s)?.text ?? ''));
  const groups: Array<Group | undefined> = [];
  const positions: number[] = [];
  for (const plan of e.slides) {
    const want = normText(plan.title);
    const at = titles.findIndex((t, i) => i >= 1 && t === want);
    if (at < 0) {
      groups.push(undefined);
      continue;
    }
    positions.push(at);
    const slides = [deck.slides[at]!];
    for (let j = at + 1; j < deck.slides.length && titles[j] === normText(`${plan.title}${CONTINUED}`); j++) slides.push(deck.slides[j]!);
    groups.push({ plan, slides });
  }
  const continuation = titles.filter((t) => t.endsWith(normText(CONTINUED))).length;
  const count = deck.slides.length - 1 - continuation;
  add(
    'slide-count',
    count === e.slides.length,
    `${count} slides after the title slide`,
    `the deck needs ${e.slides.length} slides after the title slide (continuation slides aside); it has ${count}`,
  );
  const inOrder = positions.every((v, i) => i === 0 || v > positions[i - 1]!);
  add('slide-order', inOrder && positions.length > 0, 'slides out of order', 'slides out of order: follow the brief');

  const allBullets: string[] = [];
  e.slides.forEach((plan, i) => {
    const group = groups[i];
    add(`slide:${plan.title}`, group !== undefined, 'missing', `missing slide: ${plan.title}`);
    const slides = group?.slides ?? [];
    const text = normText(slides.flatMap((s) => s.shapes.map((x) => x.text)).join('\n'));
    if (plan.bullets) {
      const bullets = slides.flatMap(bulletsOf);
      allBullets.push(...bullets);
      const have = bullets.map(normText);
      const missing = plan.bullets.filter((b) => !have.includes(normText(b)));
      add(
        `bullets:${plan.title}`,
        group !== undefined && missing.length === 0,
        `missing: ${missing.map((m) => `"${short(m)}"`).join(', ')}`,
        `missing bullet on "${plan.title}": "${short(missing[0] ?? '', 60)}"`,
      );
    }
    if (plan.chart) {
      const c = plan.chart;
      const found = slides.flatMap((s) => s.shapes).find((s) => s.kind === 'chart' && s.chart);
      const got = found?.chart;
      const same =
        got !== undefined &&
        got.type === c.type &&
        got.series.length === c.series.length &&
        c.series.every((want, k) => {
          const have = got.series[k]!;
          return (
            normText(have.name) === normText(want.name) &&
            have.categories.map(normText).join('|') === c.categories.map(normText).join('|') &&
            have.values.length === want.values.length &&
            have.values.every((v, n) => Math.abs(v - want.values[n]!) < 1e-9)
          );
        });
      const detail = !got
        ? 'no chart'
        : got.series.every((x) => x.values.length === 0)
          ? 'a chart without data'
          : 'a chart with other data';
      add(`chart:${plan.title}`, same, detail, `the ${c.type} chart on "${plan.title}" must show the brief's data`);
    }
    if (plan.picture) {
      const pic = slides.flatMap((s) => s.shapes).find((s) => s.kind === 'picture' && s.picture);
      add(`picture:${plan.title}`, pic !== undefined, 'no picture', `missing picture on "${plan.title}" (${plan.picture.file})`);
    }
    if (plan.notes) {
      const notes = normText(slides.map((s) => s.notes ?? '').join(' '));
      const passed = notes.includes(normText(plan.notes)) || text.includes(normText(plan.notes));
      add(`notes:${plan.title}`, passed, 'missing', `missing speaker notes on "${plan.title}"`);
    }
  });
  if (e.title_notes) {
    const passed =
      Boolean(first) && (normText(first!.notes ?? '').includes(normText(e.title_notes)) || firstText.includes(normText(e.title_notes)));
    add('notes:title-slide', passed, 'missing', 'missing speaker notes on the title slide');
  }
  const long = allBullets.filter((b) => wordCount(b) > MAX_WORDS);
  add(
    'bullet-words',
    long.length === 0,
    `${long.length} bullet(s) over ${MAX_WORDS} words`,
    `bullets are at most ${MAX_WORDS} words: "${short(long[0] ?? '', 60)}" is longer`,
  );

  checkPitfalls(input, (pitfall, fix) => formatProblem(pitfall, fix, deck, e, groups), 'the deck', { checks, feedback, reviewHits });
  return fileCheckResult(checks, feedback, reviewHits);
}

const slideList = (numbers: number[]): string =>
  numbers.length > 4 ? `slides ${numbers.slice(0, 4).join(', ')}, …` : `slide${numbers.length > 1 ? 's' : ''} ${numbers.join(', ')}`;

function formatProblem(
  pitfall: PptxPitfall,
  fix: string,
  deck: PptxContent,
  e: PptxExpected,
  groups: Array<Group | undefined>,
): string | undefined {
  const content = deck.slides.slice(1);
  switch (pitfall.param) {
    case 'layout': {
      const wrong = content.filter((s) => s.layout?.type !== 'obj' || s.layout.name !== HOUSE_LAYOUT_NAMES.content).map((s) => s.index);
      return wrong.length ? `${slideList(wrong)} not on the house title-and-content layout` : undefined;
    }
    case 'chart_data': {
      const empty = deck.slides
        .filter((s) => s.shapes.some((x) => x.chart && (x.chart.external || x.chart.series.some((ser) => ser.values.length === 0))))
        .map((s) => s.index);
      return empty.length ? `charts without their data on ${slideList(empty)}` : undefined;
    }
    case 'title_mode': {
      const untitled = deck.slides.filter((s) => !s.title?.trim()).map((s) => s.index);
      return untitled.length ? `${slideList(untitled)} have no title placeholder` : undefined;
    }
    case 'bullet_overflow': {
      const crowded = deck.slides.filter((s) => bulletsOf(s).length > MAX_BULLETS);
      return crowded.length ? crowded.map((s) => `slide ${s.index}: ${bulletsOf(s).length} bullets`).join(', ') : undefined;
    }
    case 'notes': {
      const wanted = e.slides.map((plan, i) => ({ plan, group: groups[i] })).filter((x) => x.plan.notes && x.group);
      const wrong: number[] = [];
      for (const { plan, group } of wanted) {
        const slide = group!.slides[0]!;
        const onNotes = normText(slide.notes ?? '').includes(normText(plan.notes!));
        const onSlide = normText(slide.shapes.map((s) => s.text).join('\n')).includes(normText(plan.notes!));
        if (!onNotes || onSlide) wrong.push(slide.index);
      }
      if (e.title_notes && deck.slides[0]) {
        const s = deck.slides[0];
        if (
          !normText(s.notes ?? '').includes(normText(e.title_notes)) ||
          normText(s.shapes.map((x) => x.text).join('\n')).includes(normText(e.title_notes))
        )
          wrong.unshift(1);
      }
      return wrong.length ? `notes on the face of ${slideList(wrong)}` : undefined;
    }
    case 'slide_size': {
      const want = SLIDE_SIZES[fix as keyof typeof SLIDE_SIZES];
      if (!want) return undefined;
      const is169 = deck.size.cx === SLIDE_SIZES['16:9'].cx && deck.size.cy === SLIDE_SIZES['16:9'].cy;
      const is43 = deck.size.cx === SLIDE_SIZES['4:3'].cx && deck.size.cy === SLIDE_SIZES['4:3'].cy;
      if (deck.size.cx === want.cx && deck.size.cy === want.cy) return undefined;
      return is43 ? '4:3' : is169 ? '16:9' : `${(deck.size.cx / 914400).toFixed(2)} x ${(deck.size.cy / 914400).toFixed(2)} in`;
    }
    case 'body_font_size': {
      const min = Number(fix);
      let smallest = Infinity;
      for (const slide of deck.slides) {
        for (const shape of slide.shapes) {
          if (shape.kind !== 'text' || FURNITURE.has(shape.placeholder?.type ?? '')) continue;
          for (const p of shape.paragraphs) {
            for (const run of p.runs) {
              if (!run.text.trim()) continue;
              smallest = Math.min(smallest, effectiveSizePt(deck, shape, p, run));
            }
          }
        }
      }
      return smallest < min - 1e-9 ? `${Math.round(smallest * 10) / 10} pt` : undefined;
    }
    case 'alt_text': {
      const bad: string[] = [];
      e.slides.forEach((plan, i) => {
        if (!plan.picture) return;
        const pic = groups[i]?.slides.flatMap((s) => s.shapes).find((s) => s.kind === 'picture');
        if (!pic) return;
        const descr = pic.descr ?? '';
        if (!descr.trim() || looksLikeFileName(descr) || normText(descr) !== normText(plan.picture.caption))
          bad.push(descr ? `"${descr}"` : 'none');
      });
      return bad.length ? bad.join(', ') : undefined;
    }
    case 'title_case': {
      const wrong: string[] = [];
      e.slides.forEach((plan, i) => {
        const slide = groups[i]?.slides[0];
        const title = slide ? slideTitle(slide)?.text : undefined;
        if (title !== undefined && title.trim() !== titleCase(plan.title)) wrong.push(`"${title}"`);
      });
      return wrong.length ? `${wrong.slice(0, 2).join(', ')}${wrong.length > 2 ? ', …' : ''}` : undefined;
    }
    case 'slide_numbers': {
      const missing = content
        .filter((s) => !s.shapes.some((x) => x.placeholder?.type === 'sldNum' && x.paragraphs.some((p) => p.fields.includes('slidenum'))))
        .map((s) => s.index);
      return missing.length ? `none on ${slideList(missing)}` : undefined;
    }
    default:
      return undefined;
  }
}
