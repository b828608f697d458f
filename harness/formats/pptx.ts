// A small, generic PresentationML (.pptx) writer and reader, in the spirit of docx.ts. The writer
// builds a minimal but complete package by hand (presentation, one slide master with its layouts
// and theme, slides with title and body placeholders, text boxes, bullet paragraphs, speaker notes
// on notes slides with a notes master, bar/column/line/pie charts with cached data, PNG pictures)
// and zips it with fflate; PowerPoint and LibreOffice open it. The reader unzips a package and
// exposes the slide size, the slides in order with their layout, shapes (placeholders, text boxes,
// charts, pictures), paragraphs (level, bullet, run sizes, fields) and notes, plus the master's text
// styles so font sizes can be resolved. Suites use it to build what an agent asked for and to check
// what it produced.

import { strFromU8, strToU8, unzipSync, zipSync, type Zippable } from 'fflate';
import { escapeXml, parseXml, type XmlElement } from './docx.js';
import { themeXml } from './theme.js';

// ---------------------------------------------------------------------------------------------
// Model

/** A rectangle in EMU (914400 per inch, 12700 per point). */
export interface Box {
  x: number;
  y: number;
  cx: number;
  cy: number;
}

export const EMU_PER_INCH = 914400;
export const EMU_PER_POINT = 12700;

/** Slide sizes in EMU: PowerPoint's Widescreen (13.333 x 7.5 in) and Standard (10 x 7.5 in). */
export const SLIDE_SIZES = {
  '16:9': { cx: 12192000, cy: 6858000 },
  '4:3': { cx: 9144000, cy: 6858000 },
} as const;

export type PlaceholderType = 'title' | 'ctrTitle' | 'subTitle' | 'body' | 'obj' | 'dt' | 'ftr' | 'sldNum';

export interface PptxRun {
  text: string;
  sizePt?: number;
  bold?: boolean;
  italic?: boolean;
  /** A field whose current result is `text`, e.g. "slidenum". */
  field?: 'slidenum' | 'datetime';
}

export interface PptxParagraph {
  runs: PptxRun[] | string;
  /** Outline level, 0-based (a:pPr lvl). */
  level?: number;
  /** true: a bullet character; false: no bullet (a:buNone); absent: inherit from the master. */
  bullet?: boolean;
  align?: 'l' | 'ctr' | 'r';
}

export interface PptxTextShape {
  kind: 'text';
  name?: string;
  /** A placeholder of the slide's layout (position inherited unless `box` is given). */
  placeholder?: { type: PlaceholderType; idx?: number };
  /** Required for a plain text box (a shape with txBox="1"). */
  box?: Box;
  paragraphs: PptxParagraph[];
  /** Shrink text on overflow (a:normAutofit) to this percentage of its size, e.g. 62.5. */
  fontScale?: number;
}

export interface PptxChart {
  type: 'bar' | 'column' | 'line' | 'pie';
  title?: string;
  categories: string[];
  series: Array<{ name: string; values: number[] }>;
  /**
   * `cached` (default): values are cached in the chart part, so it shows without a workbook.
   * `external`: the series only reference cells of a linked workbook (`externalTarget`) and carry
   * no cached values, so the chart shows empty wherever that file is not at hand.
   */
  data?: 'cached' | 'external';
  externalTarget?: string;
}

export interface PptxChartShape {
  kind: 'chart';
  name?: string;
  box: Box;
  chart: PptxChart;
}

export interface PptxPictureShape {
  kind: 'picture';
  name?: string;
  box: Box;
  /** PNG bytes. */
  image: Uint8Array;
  /** Alternative text (p:cNvPr descr). */
  descr?: string;
}

export type PptxShape = PptxTextShape | PptxChartShape | PptxPictureShape;

export interface PptxSlide {
  /** The id of a layout of the deck. */
  layout: string;
  shapes: PptxShape[];
  /** Speaker notes (one paragraph per line), written to the slide's notes slide. */
  notes?: string;
}

export interface PptxLayout {
  /** The writer's handle for the layout (not written to the file). */
  id: string;
  /** The display name (p:cSld name). */
  name: string;
  /** ST_SlideLayoutType: title, obj, secHead, titleOnly, twoObj, blank, ... */
  type: string;
  placeholders: Array<{ type: PlaceholderType; idx?: number; box: Box; name?: string }>;
}

export interface PptxDeck {
  size: { cx: number; cy: number };
  /** Layouts of the single slide master; `defaultLayouts(size)` when absent. */
  layouts?: PptxLayout[];
  slides: PptxSlide[];
  /** Master text styles in points: title, and body by level (level 1 first). */
  masterText?: { titlePt?: number; bodyPt?: number[]; font?: string };
  properties?: { title?: string; creator?: string };
  /** The theme (and master) name. */
  themeName?: string;
}

export interface WriteOptions {
  level?: 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9;
}

// ---------------------------------------------------------------------------------------------
// Writer

const P_NS = 'http://schemas.openxmlformats.org/presentationml/2006/main';
const A_NS = 'http://schemas.openxmlformats.org/drawingml/2006/main';
const R_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const C_NS = 'http://schemas.openxmlformats.org/drawingml/2006/chart';
const REL_NS = 'http://schemas.openxmlformats.org/package/2006/relationships';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const CT = 'application/vnd.openxmlformats-officedocument.presentationml';
const NS_ALL = `xmlns:a="${A_NS}" xmlns:r="${R_NS}" xmlns:p="${P_NS}"`;

const box = (x: number, y: number, cx: number, cy: number): Box => ({
  x: Math.round(x),
  y: Math.round(y),
  cx: Math.round(cx),
  cy: Math.round(cy),
});

/** A standard set of layouts for a slide size: Title Slide, Title and Content, Section Header, Title Only, Blank. */
export function defaultLayouts(size: { cx: number; cy: number }): PptxLayout[] {
  const { cx: w, cy: h } = size;
  const m = w * 0.07;
  const title = box(m, h * 0.06, w - 2 * m, h * 0.17);
  const body = box(m, h * 0.26, w - 2 * m, h * 0.62);
  const num = box(w - m - w * 0.2, h * 0.92, w * 0.2, h * 0.055);
  const slideNumber = { type: 'sldNum' as const, idx: 12, box: num, name: 'Slide Number Placeholder' };
  return [
    {
      id: 'title',
      name: 'Title Slide',
      type: 'title',
      placeholders: [
        { type: 'ctrTitle', box: box(m, h * 0.3, w - 2 * m, h * 0.22), name: 'Title' },
        { type: 'subTitle', idx: 1, box: box(m, h * 0.55, w - 2 * m, h * 0.16), name: 'Subtitle' },
        slideNumber,
      ],
    },
    {
      id: 'content',
      name: 'Title and Content',
      type: 'obj',
      placeholders: [{ type: 'title', box: title }, { type: 'body', idx: 1, box: body, name: 'Content Placeholder' }, slideNumber],
    },
    {
      id: 'section',
      name: 'Section Header',
      type: 'secHead',
      placeholders: [
        { type: 'title', box: box(m, h * 0.35, w - 2 * m, h * 0.2) },
        { type: 'body', idx: 1, box: box(m, h * 0.57, w - 2 * m, h * 0.12), name: 'Text Placeholder' },
        slideNumber,
      ],
    },
    { id: 'title-only', name: 'Title Only', type: 'titleOnly', placeholders: [{ type: 'title', box: title }, slideNumber] },
    { id: 'blank', name: 'Blank', type: 'blank', placeholders: [slideNumber] },
  ];
}

// Characters XML 1.0 forbids are dropped by escapeXml.
const t = (text: string): string => `<a:t>${escapeXml(text)}</a:t>`;
const xfrm = (b: Box, tag = 'a:xfrm'): string => `<${tag}><a:off x="${b.x}" y="${b.y}"/><a:ext cx="${b.cx}" cy="${b.cy}"/></${tag}>`;

function phXml(ph: { type: PlaceholderType; idx?: number }): string {
  // A body placeholder with an index is written as PowerPoint does: no type (obj) for content.
  const type = ph.type === 'obj' ? '' : ` type="${ph.type}"`;
  const idx = ph.idx !== undefined ? ` idx="${ph.idx}"` : '';
  const size = ph.type === 'sldNum' || ph.type === 'dt' || ph.type === 'ftr' ? ' sz="quarter"' : '';
  return `<p:ph${type}${size}${idx}/>`;
}

const GUID_SLIDENUM = '{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}';
const GUID_DATETIME = '{7C1A3F2E-5B8D-4E1B-9F0A-2D4C6E8A1B3C}';

function runXml(run: PptxRun): string {
  let attrs = ' lang="en-US"';
  if (run.sizePt !== undefined) attrs += ` sz="${Math.round(run.sizePt * 100)}"`;
  if (run.bold) attrs += ' b="1"';
  if (run.italic) attrs += ' i="1"';
  attrs += ' dirty="0"';
  if (run.field) {
    const guid = run.field === 'slidenum' ? GUID_SLIDENUM : GUID_DATETIME;
    const type = run.field === 'slidenum' ? 'slidenum' : 'datetime1';
    return `<a:fld id="${guid}" type="${type}"><a:rPr${attrs}/>${t(run.text)}</a:fld>`;
  }
  // A line break inside a run becomes a:br.
  const lines = run.text.split('\n');
  return lines.map((line, i) => `${i > 0 ? `<a:br><a:rPr${attrs}/></a:br>` : ''}<a:r><a:rPr${attrs}/>${t(line)}</a:r>`).join('');
}

function paragraphXml(p: PptxParagraph): string {
  let ppr = '';
  const attrs = `${p.level ? ` lvl="${p.level}"` : ''}${p.align ? ` algn="${p.align}"` : ''}`;
  if (p.bullet === true)
    ppr = `<a:pPr${p.level ? ` marL="${342900 + 342900 * p.level}"` : ' marL="342900"'}${attrs} indent="-342900"><a:buFont typeface="Arial"/><a:buChar char="•"/></a:pPr>`;
  else if (p.bullet === false) ppr = `<a:pPr${attrs} marL="0" indent="0"><a:buNone/></a:pPr>`;
  else if (attrs) ppr = `<a:pPr${attrs}/>`;
  const runs = typeof p.runs === 'string' ? [{ text: p.runs }] : p.runs;
  const size = runs.find((r) => r.sizePt !== undefined)?.sizePt;
  const end = `<a:endParaRPr lang="en-US"${size !== undefined ? ` sz="${Math.round(size * 100)}"` : ''} dirty="0"/>`;
  return `<a:p>${ppr}${runs.map(runXml).join('')}${end}</a:p>`;
}

function txBodyXml(paragraphs: PptxParagraph[], bodyPr: string): string {
  const ps = paragraphs.length > 0 ? paragraphs.map(paragraphXml).join('') : '<a:p><a:endParaRPr lang="en-US" dirty="0"/></a:p>';
  return `<p:txBody>${bodyPr}<a:lstStyle/>${ps}</p:txBody>`;
}

const GROUP_HEAD =
  '<p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/><a:chOff x="0" y="0"/><a:chExt cx="0" cy="0"/></a:xfrm></p:grpSpPr>';

const PH_NAMES: Record<PlaceholderType, string> = {
  title: 'Title',
  ctrTitle: 'Title',
  subTitle: 'Subtitle',
  body: 'Text Placeholder',
  obj: 'Content Placeholder',
  dt: 'Date Placeholder',
  ftr: 'Footer Placeholder',
  sldNum: 'Slide Number Placeholder',
};

function placeholderShapeXml(
  id: number,
  ph: { type: PlaceholderType; idx?: number },
  name: string,
  b: Box | undefined,
  body: string,
): string {
  return (
    `<p:sp><p:nvSpPr><p:cNvPr id="${id}" name="${escapeXml(name)}"/><p:cNvSpPr><a:spLocks noGrp="1"/></p:cNvSpPr><p:nvPr>${phXml(ph)}</p:nvPr></p:nvSpPr>` +
    `<p:spPr>${b ? xfrm(b) : ''}</p:spPr>${body}</p:sp>`
  );
}

function layoutXml(layout: PptxLayout): string {
  let shapes = '';
  layout.placeholders.forEach((ph, i) => {
    const name = `${ph.name ?? PH_NAMES[ph.type]} ${i + 1}`;
    const text =
      ph.type === 'sldNum'
        ? [{ runs: [{ text: '‹#›', field: 'slidenum' as const }] }]
        : [{ runs: ph.type === 'ctrTitle' || ph.type === 'title' ? 'Click to edit title' : 'Click to edit text' }];
    shapes += placeholderShapeXml(i + 2, ph, name, ph.box, txBodyXml(text, '<a:bodyPr/>'));
  });
  return `${XML_DECL}<p:sldLayout ${NS_ALL} type="${escapeXml(layout.type)}" preserve="1"><p:cSld name="${escapeXml(layout.name)}"><p:spTree>${GROUP_HEAD}${shapes}</p:spTree></p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sldLayout>`;
}

function levelStyles(sizes: number[], bullets: boolean, font?: string): string {
  let x = '';
  for (let lvl = 0; lvl < 9; lvl++) {
    const sz = Math.round((sizes[Math.min(lvl, sizes.length - 1)] ?? 18) * 100);
    const marL = bullets ? 228600 + 457200 * lvl : 457200 * lvl;
    const bullet = bullets ? '<a:buFont typeface="Arial"/><a:buChar char="•"/>' : '<a:buNone/>';
    const latin = font ? `<a:latin typeface="${escapeXml(font)}"/>` : '<a:latin typeface="+mn-lt"/>';
    x += `<a:lvl${lvl + 1}pPr marL="${marL}" indent="${bullets ? -228600 : 0}" algn="l" rtl="0"><a:spcBef><a:spcPts val="600"/></a:spcBef>${bullet}<a:defRPr sz="${sz}" kern="1200">${latin}</a:defRPr></a:lvl${lvl + 1}pPr>`;
  }
  return x;
}

function masterXml(deck: PptxDeck, layouts: PptxLayout[]): string {
  const { cx: w, cy: h } = deck.size;
  const m = w * 0.07;
  const text = deck.masterText ?? {};
  const titlePt = text.titlePt ?? 36;
  const bodyPt = text.bodyPt ?? [24, 20, 18, 16];
  let shapes = placeholderShapeXml(
    2,
    { type: 'title' },
    'Title Placeholder 1',
    box(m, h * 0.06, w - 2 * m, h * 0.17),
    txBodyXml([{ runs: 'Click to edit Master title style' }], '<a:bodyPr anchor="b"><a:normAutofit/></a:bodyPr>'),
  );
  shapes += placeholderShapeXml(
    3,
    { type: 'body', idx: 1 },
    'Text Placeholder 2',
    box(m, h * 0.26, w - 2 * m, h * 0.62),
    txBodyXml([{ runs: 'Click to edit Master text styles' }], '<a:bodyPr><a:normAutofit/></a:bodyPr>'),
  );
  shapes += placeholderShapeXml(
    4,
    { type: 'sldNum', idx: 12 },
    'Slide Number Placeholder 3',
    box(w - m - w * 0.2, h * 0.92, w * 0.2, h * 0.055),
    txBodyXml([{ runs: [{ text: '‹#›', field: 'slidenum', sizePt: 12 }], align: 'r' }], '<a:bodyPr/>'),
  );
  const ids = layouts.map((_, i) => `<p:sldLayoutId id="${2147483649 + i}" r:id="rId${i + 1}"/>`).join('');
  const latinTitle = text.font ? `<a:latin typeface="${escapeXml(text.font)}"/>` : '<a:latin typeface="+mj-lt"/>';
  return (
    `${XML_DECL}<p:sldMaster ${NS_ALL}><p:cSld><p:bg><p:bgRef idx="1001"><a:schemeClr val="bg1"/></p:bgRef></p:bg><p:spTree>${GROUP_HEAD}${shapes}</p:spTree></p:cSld>` +
    '<p:clrMap bg1="lt1" tx1="dk1" bg2="lt2" tx2="dk2" accent1="accent1" accent2="accent2" accent3="accent3" accent4="accent4" accent5="accent5" accent6="accent6" hlink="hlink" folHlink="folHlink"/>' +
    `<p:sldLayoutIdLst>${ids}</p:sldLayoutIdLst>` +
    `<p:txStyles><p:titleStyle><a:lvl1pPr algn="l" rtl="0"><a:buNone/><a:defRPr sz="${Math.round(titlePt * 100)}" b="1" kern="1200">${latinTitle}</a:defRPr></a:lvl1pPr></p:titleStyle>` +
    `<p:bodyStyle>${levelStyles(bodyPt, true, text.font)}</p:bodyStyle><p:otherStyle>${levelStyles([18], false, text.font)}</p:otherStyle></p:txStyles></p:sldMaster>`
  );
}

function notesMasterXml(): string {
  const body = txBodyXml([{ runs: 'Click to edit Master text styles' }], '<a:bodyPr/>');
  return (
    `${XML_DECL}<p:notesMaster ${NS_ALL}><p:cSld><p:bg><p:bgRef idx="1001"><a:schemeClr val="bg1"/></p:bgRef></p:bg><p:spTree>${GROUP_HEAD}` +
    `<p:sp><p:nvSpPr><p:cNvPr id="2" name="Slide Image Placeholder 1"/><p:cNvSpPr><a:spLocks noGrp="1" noRot="1" noChangeAspect="1"/></p:cNvSpPr><p:nvPr><p:ph type="sldImg" idx="2"/></p:nvPr></p:nvSpPr><p:spPr>${xfrm(box(685800, 1143000, 5486400, 3086100))}<a:noFill/></p:spPr></p:sp>` +
    placeholderShapeXml(3, { type: 'body', idx: 3 }, 'Notes Placeholder 2', box(685800, 4400550, 5486400, 3600450), body) +
    '</p:spTree></p:cSld><p:clrMap bg1="lt1" tx1="dk1" bg2="lt2" tx2="dk2" accent1="accent1" accent2="accent2" accent3="accent3" accent4="accent4" accent5="accent5" accent6="accent6" hlink="hlink" folHlink="folHlink"/>' +
    `<p:notesStyle>${levelStyles([12], false)}</p:notesStyle></p:notesMaster>`
  );
}

function notesSlideXml(notes: string): string {
  const paragraphs = notes.split('\n').map((line) => ({ runs: line }));
  return (
    `${XML_DECL}<p:notes ${NS_ALL}><p:cSld><p:spTree>${GROUP_HEAD}` +
    '<p:sp><p:nvSpPr><p:cNvPr id="2" name="Slide Image Placeholder 1"/><p:cNvSpPr><a:spLocks noGrp="1" noRot="1" noChangeAspect="1"/></p:cNvSpPr><p:nvPr><p:ph type="sldImg"/></p:nvPr></p:nvSpPr><p:spPr/></p:sp>' +
    placeholderShapeXml(3, { type: 'body', idx: 1 }, 'Notes Placeholder 2', undefined, txBodyXml(paragraphs, '<a:bodyPr/>')) +
    '</p:spTree></p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:notes>'
  );
}

const numberText = (n: number): string => (Number.isFinite(n) ? String(n) : '0');
const colName = (i: number): string => String.fromCharCode(66 + i); // B, C, ...

function chartXml(chart: PptxChart, external: boolean): string {
  const n = chart.categories.length;
  const cached = !external;
  const cats =
    `<c:cat><c:strRef><c:f>Sheet1!$A$2:$A$${n + 1}</c:f>` +
    (cached
      ? `<c:strCache><c:ptCount val="${n}"/>${chart.categories.map((c, i) => `<c:pt idx="${i}"><c:v>${escapeXml(c)}</c:v></c:pt>`).join('')}</c:strCache>`
      : '') +
    '</c:strRef></c:cat>';
  const series = chart.series
    .map((s, i) => {
      const col = colName(i);
      const tx = `<c:tx><c:strRef><c:f>Sheet1!$${col}$1</c:f>${cached ? `<c:strCache><c:ptCount val="1"/><c:pt idx="0"><c:v>${escapeXml(s.name)}</c:v></c:pt></c:strCache>` : ''}</c:strRef></c:tx>`;
      const val =
        `<c:val><c:numRef><c:f>Sheet1!$${col}$2:$${col}$${n + 1}</c:f>` +
        (cached
          ? `<c:numCache><c:formatCode>General</c:formatCode><c:ptCount val="${n}"/>${s.values.map((v, j) => `<c:pt idx="${j}"><c:v>${numberText(v)}</c:v></c:pt>`).join('')}</c:numCache>`
          : '') +
        '</c:numRef></c:val>';
      const fill = `<c:spPr><a:solidFill><a:schemeClr val="accent${(i % 6) + 1}"/></a:solidFill></c:spPr>`;
      if (chart.type === 'line')
        return `<c:ser><c:idx val="${i}"/><c:order val="${i}"/>${tx}<c:spPr><a:ln w="28575"><a:solidFill><a:schemeClr val="accent${(i % 6) + 1}"/></a:solidFill></a:ln></c:spPr><c:marker><c:symbol val="circle"/></c:marker>${cats}${val}<c:smooth val="0"/></c:ser>`;
      if (chart.type === 'pie') return `<c:ser><c:idx val="${i}"/><c:order val="${i}"/>${tx}${cats}${val}</c:ser>`;
      return `<c:ser><c:idx val="${i}"/><c:order val="${i}"/>${tx}${fill}<c:invertIfNegative val="0"/>${cats}${val}</c:ser>`;
    })
    .join('');
  const axes =
    '<c:catAx><c:axId val="500000001"/><c:scaling><c:orientation val="minMax"/></c:scaling><c:delete val="0"/><c:axPos val="b"/><c:numFmt formatCode="General" sourceLinked="1"/><c:tickLblPos val="nextTo"/><c:crossAx val="500000002"/><c:crosses val="autoZero"/><c:auto val="1"/><c:lblAlgn val="ctr"/><c:lblOffset val="100"/></c:catAx>' +
    '<c:valAx><c:axId val="500000002"/><c:scaling><c:orientation val="minMax"/></c:scaling><c:delete val="0"/><c:axPos val="l"/><c:majorGridlines/><c:numFmt formatCode="General" sourceLinked="1"/><c:tickLblPos val="nextTo"/><c:crossAx val="500000001"/><c:crosses val="autoZero"/><c:crossBetween val="between"/></c:valAx>';
  const axIds = '<c:axId val="500000001"/><c:axId val="500000002"/>';
  let plot: string;
  if (chart.type === 'pie') plot = `<c:pieChart><c:varyColors val="1"/>${series}<c:firstSliceAng val="0"/></c:pieChart>`;
  else if (chart.type === 'line')
    plot = `<c:lineChart><c:grouping val="standard"/><c:varyColors val="0"/>${series}<c:marker val="1"/>${axIds}</c:lineChart>${axes}`;
  else
    plot = `<c:barChart><c:barDir val="${chart.type === 'bar' ? 'bar' : 'col'}"/><c:grouping val="clustered"/><c:varyColors val="0"/>${series}<c:gapWidth val="150"/>${axIds}</c:barChart>${axes}`;
  const title = chart.title
    ? `<c:title><c:tx><c:rich><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz="1400" b="1"/></a:pPr><a:r><a:rPr lang="en-US" sz="1400" b="1"/>${t(chart.title)}</a:r></a:p></c:rich></c:tx><c:overlay val="0"/></c:title><c:autoTitleDeleted val="0"/>`
    : '<c:autoTitleDeleted val="1"/>';
  return (
    `${XML_DECL}<c:chartSpace xmlns:c="${C_NS}" xmlns:a="${A_NS}" xmlns:r="${R_NS}"><c:date1904 val="0"/><c:lang val="en-US"/><c:roundedCorners val="0"/>` +
    `<c:chart>${title}<c:plotArea><c:layout/>${plot}</c:plotArea><c:legend><c:legendPos val="b"/><c:overlay val="0"/></c:legend><c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart>` +
    `<c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz="1200"/></a:pPr><a:endParaRPr lang="en-US"/></a:p></c:txPr>` +
    (external ? '<c:externalData r:id="rId1"><c:autoUpdate val="0"/></c:externalData>' : '') +
    '</c:chartSpace>'
  );
}

function relsXml(rels: Array<{ id: string; type: string; target: string; external?: boolean }>): string {
  return `${XML_DECL}<Relationships xmlns="${REL_NS}">${rels
    .map(
      (r) => `<Relationship Id="${r.id}" Type="${r.type}" Target="${escapeXml(r.target)}"${r.external ? ' TargetMode="External"' : ''}/>`,
    )
    .join('')}</Relationships>`;
}

function coreXml(props: { title?: string; creator?: string }): string {
  let x = `${XML_DECL}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">`;
  if (props.title) x += `<dc:title>${escapeXml(props.title)}</dc:title>`;
  if (props.creator) x += `<dc:creator>${escapeXml(props.creator)}</dc:creator>`;
  return x + '</cp:coreProperties>';
}

/** The parts of a package by path: XML as strings, media as bytes (exposed for tests and debugging). */
export function pptxParts(deck: PptxDeck): Record<string, string | Uint8Array> {
  const layouts = deck.layouts ?? defaultLayouts(deck.size);
  const layoutIndex = new Map(layouts.map((l, i) => [l.id, i + 1]));
  const parts: Record<string, string | Uint8Array> = {};
  const hasNotes = deck.slides.some((s) => s.notes !== undefined && s.notes.trim() !== '');
  const themeName = deck.themeName ?? 'Office Theme';
  const overrides: Array<[string, string]> = [];
  const override = (path: string, type: string): void => {
    overrides.push([`/${path}`, type]);
  };

  // Slides, their notes, charts and pictures.
  let chartCount = 0;
  let imageCount = 0;
  const slideRelIds: string[] = [];
  deck.slides.forEach((slide, s) => {
    const n = s + 1;
    const layoutNo = layoutIndex.get(slide.layout);
    if (layoutNo === undefined)
      throw new Error(`pptx: slide ${n} uses an unknown layout "${slide.layout}"; layouts: ${layouts.map((l) => l.id).join(', ')}`);
    const layout = layouts[layoutNo - 1]!;
    const rels: Array<{ id: string; type: string; target: string; external?: boolean }> = [
      { id: 'rId1', type: `${REL}/slideLayout`, target: `../slideLayouts/slideLayout${layoutNo}.xml` },
    ];
    const notes = slide.notes !== undefined && slide.notes.trim() !== '';
    if (notes) rels.push({ id: 'rId2', type: `${REL}/notesSlide`, target: `../notesSlides/notesSlide${n}.xml` });
    let shapes = '';
    let id = 2;
    for (const shape of slide.shapes) {
      const shapeId = id++;
      if (shape.kind === 'text') {
        const autofit =
          shape.fontScale !== undefined ? `<a:normAutofit fontScale="${Math.round(shape.fontScale * 1000)}" lnSpcReduction="10000"/>` : '';
        if (shape.placeholder) {
          const ph = shape.placeholder;
          const fromLayout = layout.placeholders.find((p) => p.type === ph.type || (ph.idx !== undefined && p.idx === ph.idx));
          const name = shape.name ?? `${PH_NAMES[ph.type]} ${shapeId - 1}`;
          shapes += placeholderShapeXml(
            shapeId,
            ph,
            name,
            shape.box ?? (fromLayout ? undefined : box(0, 0, deck.size.cx, deck.size.cy / 6)),
            txBodyXml(shape.paragraphs, `<a:bodyPr>${autofit}</a:bodyPr>`),
          );
        } else {
          if (!shape.box) throw new Error(`pptx: slide ${n}: a text box needs a box`);
          shapes +=
            `<p:sp><p:nvSpPr><p:cNvPr id="${shapeId}" name="${escapeXml(shape.name ?? `TextBox ${shapeId - 1}`)}"/><p:cNvSpPr txBox="1"/><p:nvPr/></p:nvSpPr>` +
            `<p:spPr>${xfrm(shape.box)}<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/></p:spPr>` +
            `${txBodyXml(shape.paragraphs, `<a:bodyPr wrap="square" rtlCol="0">${autofit || '<a:spAutoFit/>'}</a:bodyPr>`)}</p:sp>`;
        }
      } else if (shape.kind === 'chart') {
        const c = ++chartCount;
        const rid = `rId${rels.length + 1}`;
        rels.push({ id: rid, type: `${REL}/chart`, target: `../charts/chart${c}.xml` });
        const external = shape.chart.data === 'external';
        parts[`ppt/charts/chart${c}.xml`] = chartXml(shape.chart, external);
        if (external) {
          parts[`ppt/charts/_rels/chart${c}.xml.rels`] = relsXml([
            { id: 'rId1', type: `${REL}/oleObject`, target: shape.chart.externalTarget ?? 'file:///data.xlsx', external: true },
          ]);
        }
        override(`ppt/charts/chart${c}.xml`, 'application/vnd.openxmlformats-officedocument.drawingml.chart+xml');
        shapes +=
          `<p:graphicFrame><p:nvGraphicFramePr><p:cNvPr id="${shapeId}" name="${escapeXml(shape.name ?? `Chart ${shapeId - 1}`)}"/><p:cNvGraphicFramePr/><p:nvPr/></p:nvGraphicFramePr>` +
          `${xfrm(shape.box, 'p:xfrm')}<a:graphic><a:graphicData uri="${C_NS}"><c:chart xmlns:c="${C_NS}" r:id="${rid}"/></a:graphicData></a:graphic></p:graphicFrame>`;
      } else {
        const m = ++imageCount;
        const rid = `rId${rels.length + 1}`;
        rels.push({ id: rid, type: `${REL}/image`, target: `../media/image${m}.png` });
        parts[`ppt/media/image${m}.png`] = shape.image;
        const descr = shape.descr !== undefined ? ` descr="${escapeXml(shape.descr)}"` : '';
        shapes +=
          `<p:pic><p:nvPicPr><p:cNvPr id="${shapeId}" name="${escapeXml(shape.name ?? `Picture ${shapeId - 1}`)}"${descr}/><p:cNvPicPr><a:picLocks noChangeAspect="1"/></p:cNvPicPr><p:nvPr/></p:nvPicPr>` +
          `<p:blipFill><a:blip r:embed="${rid}"/><a:stretch><a:fillRect/></a:stretch></p:blipFill><p:spPr>${xfrm(shape.box)}<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></p:spPr></p:pic>`;
      }
    }
    parts[`ppt/slides/slide${n}.xml`] =
      `${XML_DECL}<p:sld ${NS_ALL}><p:cSld><p:spTree>${GROUP_HEAD}${shapes}</p:spTree></p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sld>`;
    parts[`ppt/slides/_rels/slide${n}.xml.rels`] = relsXml(rels);
    override(`ppt/slides/slide${n}.xml`, `${CT}.slide+xml`);
    if (notes) {
      parts[`ppt/notesSlides/notesSlide${n}.xml`] = notesSlideXml(slide.notes!);
      parts[`ppt/notesSlides/_rels/notesSlide${n}.xml.rels`] = relsXml([
        { id: 'rId1', type: `${REL}/notesMaster`, target: '../notesMasters/notesMaster1.xml' },
        { id: 'rId2', type: `${REL}/slide`, target: `../slides/slide${n}.xml` },
      ]);
      override(`ppt/notesSlides/notesSlide${n}.xml`, `${CT}.notesSlide+xml`);
    }
  });

  // Master, layouts, themes.
  parts['ppt/slideMasters/slideMaster1.xml'] = masterXml(deck, layouts);
  parts['ppt/slideMasters/_rels/slideMaster1.xml.rels'] = relsXml([
    ...layouts.map((_, i) => ({ id: `rId${i + 1}`, type: `${REL}/slideLayout`, target: `../slideLayouts/slideLayout${i + 1}.xml` })),
    { id: `rId${layouts.length + 1}`, type: `${REL}/theme`, target: '../theme/theme1.xml' },
  ]);
  override('ppt/slideMasters/slideMaster1.xml', `${CT}.slideMaster+xml`);
  layouts.forEach((layout, i) => {
    parts[`ppt/slideLayouts/slideLayout${i + 1}.xml`] = layoutXml(layout);
    parts[`ppt/slideLayouts/_rels/slideLayout${i + 1}.xml.rels`] = relsXml([
      { id: 'rId1', type: `${REL}/slideMaster`, target: '../slideMasters/slideMaster1.xml' },
    ]);
    override(`ppt/slideLayouts/slideLayout${i + 1}.xml`, `${CT}.slideLayout+xml`);
  });
  const font = deck.masterText?.font ?? 'Calibri';
  parts['ppt/theme/theme1.xml'] = themeXml({ name: themeName, majorFont: font, minorFont: font });
  override('ppt/theme/theme1.xml', 'application/vnd.openxmlformats-officedocument.theme+xml');
  if (hasNotes) {
    parts['ppt/notesMasters/notesMaster1.xml'] = notesMasterXml();
    parts['ppt/notesMasters/_rels/notesMaster1.xml.rels'] = relsXml([{ id: 'rId1', type: `${REL}/theme`, target: '../theme/theme2.xml' }]);
    parts['ppt/theme/theme2.xml'] = themeXml({ name: `${themeName} Notes`, majorFont: font, minorFont: font });
    override('ppt/notesMasters/notesMaster1.xml', `${CT}.notesMaster+xml`);
    override('ppt/theme/theme2.xml', 'application/vnd.openxmlformats-officedocument.theme+xml');
  }

  // The presentation part.
  const presRels: Array<{ id: string; type: string; target: string }> = [
    { id: 'rId1', type: `${REL}/slideMaster`, target: 'slideMasters/slideMaster1.xml' },
  ];
  if (hasNotes) presRels.push({ id: 'rId2', type: `${REL}/notesMaster`, target: 'notesMasters/notesMaster1.xml' });
  deck.slides.forEach((_, s) => {
    const id = `rId${10 + s}`;
    slideRelIds.push(id);
    presRels.push({ id, type: `${REL}/slide`, target: `slides/slide${s + 1}.xml` });
  });
  presRels.push(
    { id: 'rId3', type: `${REL}/presProps`, target: 'presProps.xml' },
    { id: 'rId4', type: `${REL}/viewProps`, target: 'viewProps.xml' },
    { id: 'rId5', type: `${REL}/theme`, target: 'theme/theme1.xml' },
    { id: 'rId6', type: `${REL}/tableStyles`, target: 'tableStyles.xml' },
  );
  const { cx, cy } = deck.size;
  const sizeType = cx === SLIDE_SIZES['4:3'].cx && cy === SLIDE_SIZES['4:3'].cy ? ' type="screen4x3"' : '';
  parts['ppt/presentation.xml'] =
    `${XML_DECL}<p:presentation ${NS_ALL} saveSubsetFonts="1">` +
    '<p:sldMasterIdLst><p:sldMasterId id="2147483648" r:id="rId1"/></p:sldMasterIdLst>' +
    (hasNotes ? '<p:notesMasterIdLst><p:notesMasterId r:id="rId2"/></p:notesMasterIdLst>' : '') +
    (deck.slides.length > 0
      ? `<p:sldIdLst>${slideRelIds.map((id, i) => `<p:sldId id="${256 + i}" r:id="${id}"/>`).join('')}</p:sldIdLst>`
      : '') +
    `<p:sldSz cx="${cx}" cy="${cy}"${sizeType}/><p:notesSz cx="6858000" cy="9144000"/>` +
    `<p:defaultTextStyle>${levelStyles([18], false)}</p:defaultTextStyle></p:presentation>`;
  parts['ppt/_rels/presentation.xml.rels'] = relsXml(presRels);
  parts['ppt/presProps.xml'] = `${XML_DECL}<p:presentationPr ${NS_ALL}/>`;
  parts['ppt/viewProps.xml'] =
    `${XML_DECL}<p:viewPr ${NS_ALL}><p:normalViewPr><p:restoredLeft sz="15620"/><p:restoredTop sz="94660"/></p:normalViewPr><p:gridSpacing cx="76200" cy="76200"/></p:viewPr>`;
  parts['ppt/tableStyles.xml'] = `${XML_DECL}<a:tblStyleLst xmlns:a="${A_NS}" def="{5C22544A-7EE6-4342-B048-85BDC9FD1C3A}"/>`;
  override('ppt/presentation.xml', `${CT}.presentation.main+xml`);
  override('ppt/presProps.xml', `${CT}.presProps+xml`);
  override('ppt/viewProps.xml', `${CT}.viewProps+xml`);
  override('ppt/tableStyles.xml', `${CT}.tableStyles+xml`);

  // Package-level parts.
  const rootRels = [{ id: 'rId1', type: `${REL}/officeDocument`, target: 'ppt/presentation.xml' }];
  if (deck.properties) {
    parts['docProps/core.xml'] = coreXml(deck.properties);
    rootRels.push({
      id: 'rId2',
      type: 'http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties',
      target: 'docProps/core.xml',
    });
    override('docProps/core.xml', 'application/vnd.openxmlformats-package.core-properties+xml');
  }
  parts['_rels/.rels'] = relsXml(rootRels);
  let ct = `${XML_DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">`;
  ct +=
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>';
  if (imageCount > 0) ct += '<Default Extension="png" ContentType="image/png"/>';
  for (const [path, type] of overrides) ct += `<Override PartName="${path}" ContentType="${type}"/>`;
  parts['[Content_Types].xml'] = ct + '</Types>';
  return parts;
}

/** Build a .pptx package. */
export function writePptx(deck: PptxDeck, options: WriteOptions = {}): Uint8Array {
  const parts = pptxParts(deck);
  const zippable: Zippable = {};
  // [Content_Types].xml first, as Office writes it.
  zippable['[Content_Types].xml'] = strToU8(parts['[Content_Types].xml'] as string);
  for (const [path, data] of Object.entries(parts)) {
    if (path === '[Content_Types].xml') continue;
    zippable[path] = typeof data === 'string' ? strToU8(data) : data;
  }
  return zipSync(zippable, { level: options.level ?? 0, mtime: new Date('2024-01-01T00:00:00Z') });
}

// ---------------------------------------------------------------------------------------------
// Reader

export interface PptxReadRun {
  text: string;
  /** Explicit size (a:rPr sz) in points. */
  sizePt?: number;
  field?: string;
}

export interface PptxReadParagraph {
  text: string;
  level: number;
  /** Whether it shows a bullet: explicit (buChar/buAutoNum vs buNone), else inherited (body placeholders have bullets). */
  bullet: boolean;
  runs: PptxReadRun[];
  /** Field types in the paragraph, e.g. ["slidenum"]. */
  fields: string[];
}

export interface PptxReadChart {
  part: string;
  /** barChart (bar or col), lineChart, pieChart, ... as "bar" | "column" | "line" | "pie" | the element name. */
  type: string;
  series: Array<{ name: string; categories: string[]; values: number[] }>;
  /** The chart links to an external workbook (c:externalData). */
  external: boolean;
}

export interface PptxReadShape {
  kind: 'text' | 'chart' | 'picture' | 'other';
  id: number;
  name: string;
  descr?: string;
  placeholder?: { type: string; idx?: number };
  /** A text box (p:cNvSpPr txBox="1"). */
  textBox: boolean;
  paragraphs: PptxReadParagraph[];
  text: string;
  /** a:normAutofit fontScale as a percentage, when the text is shrunk. */
  fontScale?: number;
  chart?: PptxReadChart;
  picture?: { part: string; bytes: number };
  box?: Box;
}

export interface PptxReadSlide {
  /** 1-based position in the deck. */
  index: number;
  part: string;
  layout?: { part: string; name: string; type: string };
  shapes: PptxReadShape[];
  /** The title placeholder's text (title or ctrTitle), when there is one. */
  title?: string;
  /** Speaker notes: the text of the notes slide's body placeholder. */
  notes?: string;
  notesPart?: string;
}

export interface PptxContent {
  size: { cx: number; cy: number };
  slides: PptxReadSlide[];
  layouts: Array<{ part: string; name: string; type: string }>;
  /** Master text sizes in points: title, body by level (0-based), other by level. */
  masterStyles: { title: number[]; body: number[]; other: number[] };
  /** The presentation's default text size (defaultTextStyle level 1) in points. */
  defaultSizePt?: number;
  parts: string[];
}

export class PptxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PptxError';
  }
}

const elementsOf = (el: XmlElement | undefined): XmlElement[] =>
  el ? el.children.filter((c): c is XmlElement => typeof c !== 'string') : [];
const childOf = (el: XmlElement | undefined, name: string): XmlElement | undefined => elementsOf(el).find((c) => c.name === name);
const textOf = (el: XmlElement): string => el.children.map((c) => (typeof c === 'string' ? c : textOf(c))).join('');
const descend = (el: XmlElement | undefined, ...path: string[]): XmlElement | undefined =>
  path.reduce<XmlElement | undefined>((at, name) => childOf(at, name), el);

function resolveTarget(base: string, target: string): string {
  if (target.startsWith('/')) return target.slice(1);
  const parts = base.split('/').slice(0, -1);
  for (const seg of target.split('/')) {
    if (seg === '..') parts.pop();
    else if (seg !== '.') parts.push(seg);
  }
  return parts.join('/');
}

function levelSizes(style: XmlElement | undefined): number[] {
  const out: number[] = [];
  for (let lvl = 1; lvl <= 9; lvl++) {
    const sz = descend(style, `a:lvl${lvl}pPr`, 'a:defRPr')?.attrs.sz;
    out.push(sz !== undefined ? Number(sz) / 100 : NaN);
  }
  return out;
}

function readParagraphs(txBody: XmlElement | undefined, inheritedBullet: boolean): PptxReadParagraph[] {
  const out: PptxReadParagraph[] = [];
  for (const p of elementsOf(txBody)) {
    if (p.name !== 'a:p') continue;
    const pPr = childOf(p, 'a:pPr');
    const level = Number(pPr?.attrs.lvl ?? 0) || 0;
    let bullet = inheritedBullet;
    if (childOf(pPr, 'a:buNone')) bullet = false;
    else if (childOf(pPr, 'a:buChar') || childOf(pPr, 'a:buAutoNum')) bullet = true;
    const runs: PptxReadRun[] = [];
    const fields: string[] = [];
    for (const r of elementsOf(p)) {
      if (r.name === 'a:r' || r.name === 'a:fld') {
        const sz = childOf(r, 'a:rPr')?.attrs.sz;
        const run: PptxReadRun = { text: childOf(r, 'a:t') ? textOf(childOf(r, 'a:t')!) : '' };
        if (sz !== undefined && Number.isFinite(Number(sz))) run.sizePt = Number(sz) / 100;
        if (r.name === 'a:fld') {
          run.field = r.attrs.type ?? '';
          fields.push(run.field);
        }
        runs.push(run);
      } else if (r.name === 'a:br') {
        runs.push({ text: '\n' });
      }
    }
    out.push({ text: runs.map((r) => r.text).join(''), level, bullet, runs, fields });
  }
  return out;
}

function readBox(spPr: XmlElement | undefined): Box | undefined {
  const x = childOf(spPr, 'a:xfrm') ?? childOf(spPr, 'p:xfrm');
  const off = childOf(x, 'a:off');
  const ext = childOf(x, 'a:ext');
  if (!off || !ext) return undefined;
  return { x: Number(off.attrs.x ?? 0), y: Number(off.attrs.y ?? 0), cx: Number(ext.attrs.cx ?? 0), cy: Number(ext.attrs.cy ?? 0) };
}

function readChart(root: XmlElement, part: string): PptxReadChart {
  const plot = descend(root, 'c:chart', 'c:plotArea');
  const chartEl = elementsOf(plot).find((e) => e.name.endsWith('Chart'));
  let type = chartEl?.name.replace(/^c:/, '').replace(/Chart$/, '') ?? 'none';
  if (type === 'bar') type = childOf(chartEl, 'c:barDir')?.attrs.val === 'bar' ? 'bar' : 'column';
  const points = (cache: XmlElement | undefined): string[] => {
    const pts = elementsOf(cache).filter((e) => e.name === 'c:pt');
    const out: string[] = [];
    for (const pt of pts) out[Number(pt.attrs.idx ?? out.length)] = childOf(pt, 'c:v') ? textOf(childOf(pt, 'c:v')!) : '';
    return Array.from(out, (v) => v ?? '');
  };
  const strings = (el: XmlElement | undefined): string[] => {
    const ref = childOf(el, 'c:strRef') ?? childOf(el, 'c:numRef');
    if (ref) return points(childOf(ref, 'c:strCache') ?? childOf(ref, 'c:numCache'));
    const lit = childOf(el, 'c:strLit') ?? childOf(el, 'c:numLit');
    if (lit) return points(lit);
    const v = childOf(el, 'c:v');
    return v ? [textOf(v)] : [];
  };
  const series = elementsOf(chartEl)
    .filter((e) => e.name === 'c:ser')
    .map((ser) => ({
      name: strings(childOf(ser, 'c:tx'))[0] ?? '',
      categories: strings(childOf(ser, 'c:cat')),
      values: strings(childOf(ser, 'c:val')).map(Number),
    }));
  return { part, type, series, external: childOf(root, 'c:externalData') !== undefined };
}

/** Read a .pptx package. Throws PptxError naming what is wrong when it is not a valid one. */
export function readPptx(bytes: Uint8Array): PptxContent {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes);
  } catch (error) {
    throw new PptxError(`not a zip archive (${(error as Error).message})`);
  }
  const cache = new Map<string, XmlElement>();
  const part = (path: string): XmlElement => {
    const hit = cache.get(path);
    if (hit) return hit;
    const data = files[path];
    if (!data) throw new PptxError(`missing part ${path}`);
    try {
      const root = parseXml(strFromU8(data));
      cache.set(path, root);
      return root;
    } catch (error) {
      throw new PptxError(`${path} is not well-formed XML: ${(error as Error).message}`);
    }
  };
  const rels = (of: string): Map<string, { type: string; target: string; external: boolean }> => {
    const slash = of.lastIndexOf('/');
    const path = `${of.slice(0, slash + 1)}_rels/${of.slice(slash + 1)}.rels`;
    const out = new Map<string, { type: string; target: string; external: boolean }>();
    if (!files[path]) return out;
    for (const r of elementsOf(part(path))) {
      if (r.name !== 'Relationship') continue;
      const external = r.attrs.TargetMode === 'External';
      out.set(r.attrs.Id ?? '', {
        type: r.attrs.Type ?? '',
        target: external ? (r.attrs.Target ?? '') : resolveTarget(of, r.attrs.Target ?? ''),
        external,
      });
    }
    return out;
  };
  if (!files['[Content_Types].xml']) throw new PptxError('missing part [Content_Types].xml');
  part('[Content_Types].xml');
  const main = [...rels('').values()].find((r) => r.type.endsWith('/officeDocument'))?.target ?? 'ppt/presentation.xml';
  const pres = part(main);
  if (pres.name !== 'p:presentation') throw new PptxError(`${main} is not a p:presentation part`);
  const presRels = rels(main);
  const sldSz = childOf(pres, 'p:sldSz');
  if (!sldSz) throw new PptxError(`${main} has no p:sldSz`);
  const size = { cx: Number(sldSz.attrs.cx ?? 0), cy: Number(sldSz.attrs.cy ?? 0) };

  // The master's text styles (first master).
  const masterId = elementsOf(childOf(pres, 'p:sldMasterIdLst'))[0];
  const masterPath = masterId ? presRels.get(masterId.attrs['r:id'] ?? '')?.target : undefined;
  if (!masterPath) throw new PptxError(`${main} has no slide master`);
  const master = part(masterPath);
  const txStyles = childOf(master, 'p:txStyles');
  const masterStyles = {
    title: levelSizes(childOf(txStyles, 'p:titleStyle')),
    body: levelSizes(childOf(txStyles, 'p:bodyStyle')),
    other: levelSizes(childOf(txStyles, 'p:otherStyle')),
  };
  const layouts = [...rels(masterPath).values()]
    .filter((r) => r.type.endsWith('/slideLayout'))
    .map((r) => {
      const root = part(r.target);
      return { part: r.target, name: childOf(root, 'p:cSld')?.attrs.name ?? '', type: root.attrs.type ?? 'cust' };
    });

  const slides: PptxReadSlide[] = [];
  elementsOf(childOf(pres, 'p:sldIdLst')).forEach((sldId, i) => {
    const path = presRels.get(sldId.attrs['r:id'] ?? '')?.target;
    if (!path) throw new PptxError(`slide ${i + 1}: the presentation's relationship ${sldId.attrs['r:id']} is missing`);
    const root = part(path);
    if (root.name !== 'p:sld') throw new PptxError(`${path} is not a p:sld part`);
    const slideRels = rels(path);
    const slide: PptxReadSlide = { index: i + 1, part: path, shapes: [] };
    const layoutRel = [...slideRels.values()].find((r) => r.type.endsWith('/slideLayout'));
    if (layoutRel) {
      const layout = layouts.find((l) => l.part === layoutRel.target);
      slide.layout = layout ?? {
        part: layoutRel.target,
        name: childOf(part(layoutRel.target), 'p:cSld')?.attrs.name ?? '',
        type: part(layoutRel.target).attrs.type ?? 'cust',
      };
    }
    const visit = (tree: XmlElement | undefined): void => {
      for (const el of elementsOf(tree)) {
        if (el.name === 'p:grpSp') {
          visit(el);
          continue;
        }
        if (el.name !== 'p:sp' && el.name !== 'p:graphicFrame' && el.name !== 'p:pic') continue;
        const nv = childOf(el, 'p:nvSpPr') ?? childOf(el, 'p:nvGraphicFramePr') ?? childOf(el, 'p:nvPicPr');
        const cNvPr = childOf(nv, 'p:cNvPr');
        const ph = descend(nv, 'p:nvPr', 'p:ph');
        const shape: PptxReadShape = {
          kind: 'other',
          id: Number(cNvPr?.attrs.id ?? 0),
          name: cNvPr?.attrs.name ?? '',
          textBox: childOf(nv, 'p:cNvSpPr')?.attrs.txBox === '1',
          paragraphs: [],
          text: '',
        };
        if (cNvPr?.attrs.descr !== undefined) shape.descr = cNvPr.attrs.descr;
        if (ph) {
          shape.placeholder = { type: ph.attrs.type ?? 'obj' };
          if (ph.attrs.idx !== undefined) shape.placeholder.idx = Number(ph.attrs.idx);
        }
        const b = readBox(childOf(el, 'p:spPr')) ?? readBox(el);
        if (b) shape.box = b;
        if (el.name === 'p:sp') {
          shape.kind = 'text';
          const phType = shape.placeholder?.type;
          const inherited = phType === 'body' || phType === 'obj';
          const txBody = childOf(el, 'p:txBody');
          shape.paragraphs = readParagraphs(txBody, inherited);
          shape.text = shape.paragraphs.map((p) => p.text).join('\n');
          const autofit = descend(txBody, 'a:bodyPr', 'a:normAutofit');
          if (autofit?.attrs.fontScale !== undefined) shape.fontScale = Number(autofit.attrs.fontScale) / 1000;
          if ((phType === 'title' || phType === 'ctrTitle') && slide.title === undefined) slide.title = shape.text;
        } else if (el.name === 'p:graphicFrame') {
          const chartRef = descend(el, 'a:graphic', 'a:graphicData', 'c:chart');
          const rel = chartRef ? slideRels.get(chartRef.attrs['r:id'] ?? '') : undefined;
          if (rel) {
            shape.kind = 'chart';
            shape.chart = readChart(part(rel.target), rel.target);
          }
        } else {
          const blip = descend(el, 'p:blipFill', 'a:blip');
          const rel = blip ? slideRels.get(blip.attrs['r:embed'] ?? '') : undefined;
          shape.kind = 'picture';
          if (rel) {
            const data = files[rel.target];
            if (!data) throw new PptxError(`${path}: picture ${shape.name} refers to a missing part ${rel.target}`);
            shape.picture = { part: rel.target, bytes: data.length };
          }
        }
        slide.shapes.push(shape);
      }
    };
    visit(descend(root, 'p:cSld', 'p:spTree'));
    const notesRel = [...slideRels.values()].find((r) => r.type.endsWith('/notesSlide'));
    if (notesRel) {
      const notes = part(notesRel.target);
      slide.notesPart = notesRel.target;
      const body = elementsOf(descend(notes, 'p:cSld', 'p:spTree')).find((sp) => {
        const type = descend(sp, 'p:nvSpPr', 'p:nvPr', 'p:ph')?.attrs.type;
        return sp.name === 'p:sp' && descend(sp, 'p:nvSpPr', 'p:nvPr', 'p:ph') !== undefined && (type === undefined || type === 'body');
      });
      slide.notes = readParagraphs(childOf(body, 'p:txBody'), false)
        .map((p) => p.text)
        .join('\n');
    }
    slides.push(slide);
  });

  const content: PptxContent = { size, slides, layouts, masterStyles, parts: Object.keys(files) };
  const def = descend(pres, 'p:defaultTextStyle', 'a:lvl1pPr', 'a:defRPr')?.attrs.sz;
  if (def !== undefined) content.defaultSizePt = Number(def) / 100;
  return content;
}

/**
 * The size in points a run is shown at: its own size, else the master's text style for its kind of
 * shape and level (title, body or other), else the presentation default (18 pt), times the shape's
 * autofit font scale.
 */
export function effectiveSizePt(deck: PptxContent, shape: PptxReadShape, paragraph: PptxReadParagraph, run?: PptxReadRun): number {
  let size = run?.sizePt;
  if (size === undefined) {
    const type = shape.placeholder?.type;
    const styles =
      type === 'title' || type === 'ctrTitle'
        ? deck.masterStyles.title
        : type === 'body' || type === 'obj' || type === 'subTitle'
          ? deck.masterStyles.body
          : deck.masterStyles.other;
    const fromMaster = styles[Math.min(paragraph.level, 8)];
    size = fromMaster !== undefined && Number.isFinite(fromMaster) ? fromMaster : (deck.defaultSizePt ?? 18);
  }
  return shape.fontScale !== undefined ? (size * shape.fontScale) / 100 : size;
}

/** Text of a deck for reading: slide by slide, title, body text, chart data, picture alt text and notes. */
export function pptxText(deck: PptxContent): string {
  const lines: string[] = [];
  for (const slide of deck.slides) {
    lines.push(`## Slide ${slide.index}${slide.title ? `: ${slide.title}` : ''}`);
    for (const shape of slide.shapes) {
      const type = shape.placeholder?.type;
      if (type === 'title' || type === 'ctrTitle' || type === 'sldNum') continue;
      if (shape.kind === 'text') {
        for (const p of shape.paragraphs) if (p.text.trim()) lines.push(`${p.bullet ? `${'  '.repeat(p.level)}- ` : ''}${p.text}`);
      } else if (shape.kind === 'chart' && shape.chart) {
        lines.push(`[Chart: ${shape.chart.type}]`);
        for (const s of shape.chart.series)
          lines.push(`  ${s.name}: ${s.categories.map((c, i) => `${c} ${s.values[i] ?? ''}`).join(', ')}`);
      } else if (shape.kind === 'picture') {
        lines.push(`[Picture${shape.descr ? `: ${shape.descr}` : ''}]`);
      }
    }
    if (slide.notes?.trim()) lines.push(`[Speaker notes] ${slide.notes}`);
    lines.push('');
  }
  return lines.join('\n').trim();
}
