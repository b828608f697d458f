import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { parseXml } from './docx.js';
import { encodePng, placeholderPng, pngSize } from './png.js';
import {
  defaultLayouts,
  effectiveSizePt,
  PptxError,
  pptxParts,
  pptxText,
  readPptx,
  SLIDE_SIZES,
  writePptx,
  type PptxDeck,
} from './pptx.js';
import { convertToPdf, libreOfficeSkipReason, pdfPages } from '../testing/libreoffice.js';

const size = SLIDE_SIZES['16:9'];
const sample: PptxDeck = {
  size,
  masterText: { titlePt: 36, bodyPt: [24, 20] },
  properties: { title: 'Q3 <review> & "plan"', creator: 'dreambench' },
  slides: [
    {
      layout: 'title',
      shapes: [
        { kind: 'text', placeholder: { type: 'ctrTitle' }, paragraphs: [{ runs: 'Q3 Business Review' }] },
        { kind: 'text', placeholder: { type: 'subTitle', idx: 1 }, paragraphs: [{ runs: 'Norrland Freight AB · 14 October 2025' }] },
      ],
      notes: 'Welcome everyone.\nIntroduce the team.',
    },
    {
      layout: 'content',
      shapes: [
        { kind: 'text', placeholder: { type: 'title' }, paragraphs: [{ runs: 'Highlights & risks' }] },
        {
          kind: 'text',
          placeholder: { type: 'body', idx: 1 },
          paragraphs: [
            { runs: 'On-time delivery rose to 96.2%' },
            { runs: [{ text: 'Fuel costs down 4%', sizePt: 20 }], level: 1 },
            { runs: 'No bullet here', bullet: false },
          ],
          fontScale: 85,
        },
        { kind: 'text', placeholder: { type: 'sldNum', idx: 12 }, paragraphs: [{ runs: [{ text: '2', field: 'slidenum' }] }] },
      ],
    },
    {
      layout: 'title-only',
      shapes: [
        {
          kind: 'text',
          box: { x: 600000, y: 300000, cx: 9000000, cy: 800000 },
          name: 'Title text box',
          paragraphs: [{ runs: [{ text: 'Volume by month', sizePt: 32 }] }],
        },
        {
          kind: 'chart',
          box: { x: 600000, y: 1300000, cx: 9000000, cy: 4800000 },
          chart: {
            type: 'column',
            title: 'Shipments',
            categories: ['July', 'August', 'September'],
            series: [
              { name: 'Shipments', values: [1240, 1315, 1402] },
              { name: 'Target', values: [1200, 1250, 1300] },
            ],
          },
        },
      ],
      notes: 'September was a record month.',
    },
    {
      layout: 'content',
      shapes: [
        { kind: 'text', placeholder: { type: 'title' }, paragraphs: [{ runs: 'Our team' }] },
        {
          kind: 'picture',
          box: { x: 2000000, y: 1500000, cx: 6400000, cy: 3600000 },
          image: placeholderPng('team'),
          descr: 'The delivery team at the Umeå depot',
        },
        {
          kind: 'chart',
          box: { x: 8600000, y: 1500000, cx: 3000000, cy: 3000000 },
          chart: { type: 'pie', categories: ['Road', 'Rail'], series: [{ name: 'Mode', values: [70, 30] }] },
        },
        {
          kind: 'chart',
          box: { x: 8600000, y: 4600000, cx: 3000000, cy: 2000000 },
          chart: { type: 'line', categories: ['Q1', 'Q2'], series: [{ name: 'Trend', values: [1, 2] }] },
        },
      ],
    },
  ],
};

describe('png', () => {
  it('encodes a PNG with the right signature and size', () => {
    const png = encodePng(3, 2, (x, y) => [x * 80, y * 100, 50]);
    expect(pngSize(png)).toEqual({ width: 3, height: 2 });
    expect(pngSize(placeholderPng('x'))).toEqual({ width: 320, height: 180 });
    expect(pngSize(strToU8('not a png at all, not at all'))).toBeUndefined();
    expect(() => encodePng(0, 1, () => [0, 0, 0])).toThrow(/bad size/);
  });
});

describe('pptx writer', () => {
  it('writes a package whose XML parts are all well-formed, with notes, charts and media', () => {
    const files = unzipSync(writePptx(sample));
    const names = Object.keys(files);
    expect(names[0]).toBe('[Content_Types].xml');
    for (const part of [
      'ppt/presentation.xml',
      'ppt/_rels/presentation.xml.rels',
      'ppt/slideMasters/slideMaster1.xml',
      'ppt/slideLayouts/slideLayout1.xml',
      'ppt/slideLayouts/slideLayout5.xml',
      'ppt/slides/slide4.xml',
      'ppt/notesMasters/notesMaster1.xml',
      'ppt/notesSlides/notesSlide1.xml',
      'ppt/notesSlides/notesSlide3.xml',
      'ppt/charts/chart1.xml',
      'ppt/charts/chart3.xml',
      'ppt/media/image1.png',
      'ppt/theme/theme1.xml',
      'ppt/theme/theme2.xml',
      'docProps/core.xml',
    ]) {
      expect(names, part).toContain(part);
    }
    expect(names).not.toContain('ppt/notesSlides/notesSlide2.xml');
    for (const [name, data] of Object.entries(files)) {
      if (name.endsWith('.xml') || name.endsWith('.rels')) expect(() => parseXml(strFromU8(data)), name).not.toThrow();
    }
    const types = strFromU8(files['[Content_Types].xml']!);
    expect(types).toContain('Extension="png"');
    expect(types).toContain('/ppt/charts/chart2.xml');
  });

  it('omits the notes master when no slide has notes, and refuses an unknown layout', () => {
    const parts = pptxParts({ size, slides: [{ layout: 'blank', shapes: [] }] });
    expect(Object.keys(parts).some((p) => p.includes('notesMaster'))).toBe(false);
    expect(() => pptxParts({ size, slides: [{ layout: 'Title and Content', shapes: [] }] })).toThrow(
      /unknown layout "Title and Content"; layouts: title, content/,
    );
  });

  it('passes xmllint when it is installed', () => {
    let xmllint = '';
    try {
      xmllint = execFileSync('which', ['xmllint'], { encoding: 'utf8' }).trim();
    } catch {
      return;
    }
    const dir = mkdtempSync(join(tmpdir(), 'pptx-xmllint-'));
    try {
      for (const [name, data] of Object.entries(pptxParts(sample))) {
        if (typeof data !== 'string') continue;
        const file = join(dir, name.replaceAll('/', '_'));
        writeFileSync(file, data);
        execFileSync(xmllint, ['--noout', file]);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('pptx reader', () => {
  const deck = readPptx(writePptx(sample));

  it('reads the slide size, the layouts and the slides in order', () => {
    expect(deck.size).toEqual({ cx: 12192000, cy: 6858000 });
    expect(deck.layouts.map((l) => [l.name, l.type])).toEqual(defaultLayouts(size).map((l) => [l.name, l.type]));
    expect(deck.slides.map((s) => s.layout?.name)).toEqual(['Title Slide', 'Title and Content', 'Title Only', 'Title and Content']);
    expect(deck.slides.map((s) => s.title)).toEqual(['Q3 Business Review', 'Highlights & risks', undefined, 'Our team']);
    expect(readPptx(writePptx({ ...sample, size: SLIDE_SIZES['4:3'] })).size).toEqual({ cx: 9144000, cy: 6858000 });
  });

  it('reads placeholders, text boxes, levels, bullets, sizes, autofit and fields', () => {
    const body = deck.slides[1]!.shapes.find((s) => s.placeholder?.idx === 1)!;
    expect(body.placeholder).toEqual({ type: 'body', idx: 1 });
    expect(body.paragraphs.map((p) => [p.text, p.level, p.bullet])).toEqual([
      ['On-time delivery rose to 96.2%', 0, true],
      ['Fuel costs down 4%', 1, true],
      ['No bullet here', 0, false],
    ]);
    expect(body.fontScale).toBe(85);
    expect(effectiveSizePt(deck, body, body.paragraphs[0]!, body.paragraphs[0]!.runs[0])).toBeCloseTo(24 * 0.85);
    expect(effectiveSizePt(deck, body, body.paragraphs[1]!, body.paragraphs[1]!.runs[0])).toBeCloseTo(20 * 0.85);
    const number = deck.slides[1]!.shapes.find((s) => s.placeholder?.type === 'sldNum')!;
    expect(number.paragraphs[0]!.fields).toEqual(['slidenum']);
    const box = deck.slides[2]!.shapes[0]!;
    expect(box).toMatchObject({ kind: 'text', textBox: true, text: 'Volume by month', name: 'Title text box' });
    expect(box.placeholder).toBeUndefined();
    expect(effectiveSizePt(deck, box, box.paragraphs[0]!, box.paragraphs[0]!.runs[0])).toBe(32);
    const title = deck.slides[1]!.shapes[0]!;
    expect(effectiveSizePt(deck, title, title.paragraphs[0]!, title.paragraphs[0]!.runs[0])).toBe(36);
  });

  it('reads charts with their data, pictures with alt text, and notes from the notes slides', () => {
    const chart = deck.slides[2]!.shapes.find((s) => s.kind === 'chart')!.chart!;
    expect(chart).toMatchObject({ type: 'column', external: false });
    expect(chart.series).toEqual([
      { name: 'Shipments', categories: ['July', 'August', 'September'], values: [1240, 1315, 1402] },
      { name: 'Target', categories: ['July', 'August', 'September'], values: [1200, 1250, 1300] },
    ]);
    expect(deck.slides[3]!.shapes.filter((s) => s.kind === 'chart').map((s) => s.chart!.type)).toEqual(['pie', 'line']);
    const picture = deck.slides[3]!.shapes.find((s) => s.kind === 'picture')!;
    expect(picture.descr).toBe('The delivery team at the Umeå depot');
    expect(picture.picture!.bytes).toBeGreaterThan(100);
    expect(deck.slides.map((s) => s.notes)).toEqual([
      'Welcome everyone.\nIntroduce the team.',
      undefined,
      'September was a record month.',
      undefined,
    ]);
    expect(pptxText(deck)).toContain('[Speaker notes] September was a record month.');
  });

  it('reads a chart that links its data to an external workbook as empty', () => {
    const linked = readPptx(
      writePptx({
        size,
        slides: [
          {
            layout: 'blank',
            shapes: [
              {
                kind: 'chart',
                box: { x: 0, y: 0, cx: 100, cy: 100 },
                chart: { type: 'bar', categories: ['a'], series: [{ name: 's', values: [1] }], data: 'external' },
              },
            ],
          },
        ],
      }),
    );
    const chart = linked.slides[0]!.shapes[0]!.chart!;
    expect(chart.external).toBe(true);
    expect(chart.series[0]!.values).toEqual([]);
    expect(chart.type).toBe('bar');
  });

  it('fails cleanly on corrupt input', () => {
    expect(() => readPptx(strToU8('not a zip'))).toThrow(PptxError);
    expect(() => readPptx(zipSync({ 'a.txt': strToU8('x') }))).toThrow(/Content_Types/);
    const parts = pptxParts(sample);
    const broken = Object.fromEntries(Object.entries(parts).map(([k, v]) => [k, typeof v === 'string' ? strToU8(v) : v]));
    broken['ppt/slides/slide2.xml'] = strToU8((parts['ppt/slides/slide2.xml'] as string).replace('</p:spTree>', ''));
    expect(() => readPptx(zipSync(broken))).toThrow(/ppt\/slides\/slide2\.xml is not well-formed/);
    const bytes = writePptx(sample);
    expect(() => readPptx(bytes.slice(0, bytes.length - 50))).toThrow(PptxError);
  });
});

describe('LibreOffice', () => {
  const skip = libreOfficeSkipReason();
  it.skipIf(skip !== undefined)(
    `opens a written deck and converts it to PDF, one page per slide${skip ? ` (skipped: ${skip})` : ''}`,
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'pptx-lo-'));
      try {
        const file = join(dir, 'sample.pptx');
        writeFileSync(file, writePptx(sample));
        const conversion = convertToPdf([file], dir);
        const pdf = conversion.pdfs.get(file);
        expect(pdf, conversion.log).toBeDefined();
        const pages = pdfPages(pdf!);
        if (pages !== undefined) expect(pages).toBe(sample.slides.length);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
