// build_pptx: validates the settings, enforces the house template (where tool-error pitfalls bite,
// with an error that names the fix) and lays the slides out as a real .pptx with the pptx writer:
// the title slide, content slides with title and body placeholders (or title text boxes), bullets,
// charts, pictures, speaker notes, continuation slides, slide numbers, slide size.

import { placeholderPng } from '../../harness/formats/png.js';
import {
  defaultLayouts,
  SLIDE_SIZES,
  writePptx,
  type Box,
  type PptxDeck,
  type PptxLayout,
  type PptxParagraph,
  type PptxShape,
  type PptxSlide,
} from '../../harness/formats/pptx.js';
import { buildRefusal } from '../_office/data.js';
import { parseSettings } from '../_office/params.js';
import { titleCase } from '../_office/text.js';
import type { ChartPlan } from './brief.js';
import { MAX_BULLETS, type PptxPitfall } from './data.js';
import { BUILD_PARAMS } from './params.js';

export const AUTHOR = 'Larkspur Advisory';
export const CONTINUED = ' (cont.)';
/** Display names of the house template's layouts (p:cSld name). */
export const HOUSE_LAYOUT_NAMES = { title: 'Title Slide', content: 'Title and Content' } as const;

export interface TitleSlideState {
  title: string;
  subtitle: string;
  notes?: string;
}

export interface SlideState {
  title: string;
  bullets?: string[];
  chart?: ChartPlan;
  picture?: { file: string; caption: string; image: Uint8Array };
  notes?: string;
}

export interface DeckState {
  titleSlide?: TitleSlideState;
  slides: SlideState[];
}

export type BuildSettings = Record<
  'slide_size' | 'title_mode' | 'notes' | 'bullet_overflow' | 'body_font_size' | 'chart_data' | 'alt_text' | 'title_case' | 'slide_numbers',
  string
>;

export interface BuildContext {
  pitfalls: readonly PptxPitfall[];
  drifted: ReadonlySet<string>;
  template: string;
}

export type BuildResult =
  | { ok: true; bytes: Uint8Array; settings: BuildSettings; template: string; slides: number }
  | { ok: false; error: string; hits: string[]; settings?: BuildSettings };

/** A picture for a file name, as the environment places it in the workspace. */
export const pictureFor = (file: string): Uint8Array => placeholderPng(file, 480, 270);

function placeholderBox(layout: PptxLayout, type: string): Box {
  return layout.placeholders.find((p) => p.type === type)!.box;
}

/** The text of speaker notes shown on the slide when notes are "inline". */
export const inlineNotes = (notes: string): string => `Speaker notes: ${notes}`;

export function layoutDeck(state: DeckState, s: BuildSettings): PptxDeck {
  const size = SLIDE_SIZES[s.slide_size as keyof typeof SLIDE_SIZES] ?? SLIDE_SIZES['4:3'];
  const layouts = defaultLayouts(size);
  const [titleLayout, contentLayout] = [layouts.find((l) => l.id === 'title')!, layouts.find((l) => l.id === 'content')!];
  const bodyPt = Number(s.body_font_size);
  const slides: PptxSlide[] = [];
  const onPage = s.notes === 'notes-page';
  const titleBox = placeholderBox(contentLayout, 'title');
  const bodyBox = placeholderBox(contentLayout, 'body');
  const numberShape = (n: number): PptxShape => ({
    kind: 'text',
    placeholder: { type: 'sldNum', idx: 12 },
    paragraphs: [{ runs: [{ text: String(n), field: 'slidenum', sizePt: Math.max(12, Math.min(bodyPt, 18)) }], align: 'r' }],
  });
  const notesBox = (notes: string): PptxShape => ({
    kind: 'text',
    name: 'Speaker Notes',
    box: { x: bodyBox.x, y: Math.round(size.cy * 0.8), cx: bodyBox.cx, cy: Math.round(size.cy * 0.12) },
    paragraphs: [{ runs: [{ text: inlineNotes(notes), sizePt: bodyPt, italic: true }] }],
  });
  const titleShape = (text: string, kind: 'title' | 'ctrTitle', box: Box): PptxShape =>
    s.title_mode === 'placeholder'
      ? { kind: 'text', placeholder: { type: kind }, paragraphs: [{ runs: text }] }
      : { kind: 'text', name: 'Title text', box, paragraphs: [{ runs: [{ text, sizePt: kind === 'ctrTitle' ? 40 : 32, bold: true }] }] };

  if (state.titleSlide) {
    const t = state.titleSlide;
    const shapes: PptxShape[] = [
      titleShape(t.title, 'ctrTitle', placeholderBox(titleLayout, 'ctrTitle')),
      {
        kind: 'text',
        placeholder: { type: 'subTitle', idx: 1 },
        paragraphs: [{ runs: [{ text: t.subtitle, sizePt: bodyPt }], bullet: false }],
      },
    ];
    if (t.notes && !onPage) shapes.push(notesBox(t.notes));
    slides.push({ layout: 'title', shapes, ...(t.notes && onPage ? { notes: t.notes } : {}) });
  }

  for (const slide of state.slides) {
    const title = s.title_case === 'title' ? titleCase(slide.title) : slide.title;
    const chunks: Array<string[] | undefined> = [];
    if (slide.bullets && slide.bullets.length > MAX_BULLETS && s.bullet_overflow === 'continue') {
      for (let i = 0; i < slide.bullets.length; i += MAX_BULLETS) chunks.push(slide.bullets.slice(i, i + MAX_BULLETS));
    } else {
      chunks.push(slide.bullets);
    }
    chunks.forEach((bullets, part) => {
      const shapes: PptxShape[] = [titleShape(part === 0 ? title : `${title}${CONTINUED}`, 'title', titleBox)];
      if (bullets) {
        const paragraphs: PptxParagraph[] = bullets.map((b) => ({ runs: [{ text: b, sizePt: bodyPt }] }));
        // Shrink to fit: PowerPoint's autofit scales the text down with the number of lines.
        const fontScale = bullets.length > MAX_BULLETS ? Math.max(40, Math.floor((1000 * MAX_BULLETS) / bullets.length) / 10) : undefined;
        shapes.push({ kind: 'text', placeholder: { type: 'body', idx: 1 }, paragraphs, ...(fontScale !== undefined ? { fontScale } : {}) });
      }
      if (part === 0 && slide.chart) {
        const c = slide.chart;
        shapes.push({
          kind: 'chart',
          name: `Chart: ${slide.title}`,
          box: bodyBox,
          chart: {
            type: c.type,
            categories: c.categories,
            series: c.series,
            data: s.chart_data === 'embedded' ? 'cached' : 'external',
            externalTarget: 'file:///data.xlsx',
          },
        });
      }
      if (part === 0 && slide.picture) {
        const p = slide.picture;
        const cx = Math.min(bodyBox.cx, Math.round((bodyBox.cy * 16) / 9));
        const cy = Math.round((cx * 9) / 16);
        shapes.push({
          kind: 'picture',
          name: `Picture ${p.file}`,
          box: { x: bodyBox.x + Math.round((bodyBox.cx - cx) / 2), y: bodyBox.y, cx, cy },
          image: p.image,
          descr: s.alt_text === 'caption' ? p.caption : p.file,
        });
      }
      const notes = part === 0 ? slide.notes : undefined;
      if (notes && !onPage) shapes.push(notesBox(notes));
      if (s.slide_numbers === 'on') shapes.push(numberShape(slides.length + 1));
      slides.push({ layout: 'content', shapes, ...(notes && onPage ? { notes } : {}) });
    });
  }
  const named = layouts.map((l) =>
    l.id === 'title' ? { ...l, name: HOUSE_LAYOUT_NAMES.title } : l.id === 'content' ? { ...l, name: HOUSE_LAYOUT_NAMES.content } : l,
  );
  return {
    size,
    layouts: named,
    slides,
    masterText: { titlePt: 36, bodyPt: [20, 18, 16], font: 'Source Sans Pro' },
    properties: { title: state.titleSlide?.title ?? 'Deck', creator: AUTHOR },
    themeName: 'Larkspur',
  };
}

export function buildDeck(input: Record<string, unknown>, state: DeckState, context: BuildContext): BuildResult {
  const parsed = parseSettings('build_pptx', BUILD_PARAMS, input);
  if ('error' in parsed) return { ok: false, error: parsed.error, hits: [] };
  const settings = parsed.settings as BuildSettings;
  if (!state.titleSlide && state.slides.length === 0)
    return {
      ok: false,
      error: 'build_pptx: the deck has no slides; add them with add_title_slide and add_slide first',
      hits: [],
      settings,
    };
  // Without a chart there is no chart data to get wrong.
  const { template, hits, error } = buildRefusal(
    'build_pptx',
    settings,
    context,
    (pitfall) => pitfall.param !== 'chart_data' || state.slides.some((s) => s.chart),
  );
  if (error !== undefined) return { ok: false, error, hits, settings };
  const deck = layoutDeck(state, settings);
  return { ok: true, bytes: writePptx(deck), settings, template, slides: deck.slides.length };
}
