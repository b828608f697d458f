// A small, generic OOXML (.docx) writer and reader. The writer builds a minimal but valid
// WordprocessingML package by hand (document, styles, optional header and numbering parts) and zips
// it with fflate; the reader unzips a package and exposes paragraphs (style id, text, runs), tables,
// header texts, styles and numbering. Both are built for speed: a small document round-trips in well
// under a millisecond. Suites use it to render what an agent drafted and to check what it produced.

import { strFromU8, strToU8, unzipSync, zipSync, type Zippable } from 'fflate';
import { themeXml } from './theme.js';

// ---------------------------------------------------------------------------------------------
// Model

export interface DocxRun {
  text: string;
  bold?: boolean;
  italic?: boolean;
  underline?: boolean;
  caps?: boolean;
  /** Font size in points (written as w:sz in half-points). */
  sizePt?: number;
  /** An explicit font (w:rFonts w:ascii/w:hAnsi/w:cs). */
  font?: string;
  /** A tracked change: the run was inserted (w:ins) or deleted (w:del) by `author`. */
  revision?: DocxRevision;
  /** A simple field (w:fldSimple) whose result is `text`, e.g. PAGE or NUMPAGES. */
  field?: string;
}

export interface DocxRevision {
  kind: 'ins' | 'del';
  author: string;
  /** ISO 8601, e.g. 2025-03-01T09:00:00Z. */
  date?: string;
}

export type Align = 'left' | 'center' | 'right' | 'both';

export interface DocxParagraph {
  type?: 'paragraph';
  /** Paragraph style id (w:pStyle). */
  style?: string;
  /** Runs; a plain string is one run. `\n` becomes a line break and `\t` a tab. */
  runs: Array<DocxRun | string> | string;
  align?: Align;
  /** A numbered paragraph: the w:num id and the level (0-based). */
  numbering?: { numId: number; level: number };
  keepNext?: boolean;
  pageBreakBefore?: boolean;
  spaceBeforePt?: number;
  spaceAfterPt?: number;
}

export interface DocxTableCell {
  /** Cell content: text (one paragraph per line) or paragraphs. */
  content: string | DocxParagraph[];
  /** Horizontal merge: the number of grid columns this cell spans (w:gridSpan). */
  span?: number;
  /** Vertical merge (w:vMerge). */
  vMerge?: 'restart' | 'continue';
}

export interface DocxTable {
  type: 'table';
  /** Table style id (w:tblStyle). */
  style?: string;
  /** Column widths in twips (1/20 pt); the grid. */
  columnsTwips: number[];
  rows: Array<{ cells: DocxTableCell[]; header?: boolean }>;
  /** Single-line borders on every cell edge (default true). */
  borders?: boolean;
  /**
   * The preferred table width (w:tblW): `pct` in fiftieths of a percent (5000 = 100% of the text
   * width), `dxa` in twips, or `auto` (the default: the grid's column widths decide).
   */
  width?: { type: 'pct' | 'dxa' | 'auto'; value: number };
}

export type DocxBlock = DocxParagraph | DocxTable;

export interface DocxStyle {
  id: string;
  name: string;
  type?: 'paragraph' | 'character' | 'table';
  basedOn?: string;
  next?: string;
  isDefault?: boolean;
  bold?: boolean;
  italic?: boolean;
  caps?: boolean;
  sizePt?: number;
  font?: string;
  align?: Align;
  keepNext?: boolean;
  spaceBeforePt?: number;
  spaceAfterPt?: number;
  /** Outline level (0-based) for headings, so navigation panes and TOCs see them. */
  outlineLevel?: number;
  /** For table styles: single-line borders. */
  tableBorders?: boolean;
}

export type NumberFormat = 'decimal' | 'lowerLetter' | 'upperLetter' | 'lowerRoman' | 'upperRoman' | 'bullet';

export interface DocxNumbering {
  /** The w:numId paragraphs refer to (>= 1). */
  numId: number;
  /** One entry per level: format and level text, e.g. { format: 'decimal', text: '%1.' }. */
  levels: Array<{ format: NumberFormat; text: string; indentTwips?: number; hangingTwips?: number }>;
}

export interface DocxDocument {
  body: DocxBlock[];
  styles?: DocxStyle[];
  /**
   * Document defaults. `font` is an explicit font; `themeFont` makes the default a theme font
   * (w:asciiTheme, which Word lets override any explicit font) and adds a theme part defining it.
   */
  defaults?: { font?: string; themeFont?: 'minor' | 'major'; sizePt?: number; spaceAfterPt?: number };
  /** Paragraphs of the default page header (word/header1.xml). */
  header?: DocxParagraph[];
  /** Paragraphs of the default page footer (word/footer1.xml). */
  footer?: DocxParagraph[];
  /** Paragraphs of the first-page header (word/header2.xml); used when `titlePage` is set. */
  firstHeader?: DocxParagraph[];
  /** Paragraphs of the first-page footer (word/footer2.xml); used when `titlePage` is set. */
  firstFooter?: DocxParagraph[];
  /** A different first page (w:titlePg): the first page shows the first-page header and footer only. */
  titlePage?: boolean;
  numbering?: DocxNumbering[];
  /** US Letter with 1-inch margins unless given. */
  page?: { widthTwips: number; heightTwips: number; marginTwips: number };
  properties?: { title?: string; creator?: string };
}

export interface WriteOptions {
  /**
   * Deflate level for the zip entries. Default 0 (stored): valid OOXML that Word and LibreOffice
   * open, and about seven times faster to write than deflate for small documents.
   */
  level?: 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9;
}

// ---------------------------------------------------------------------------------------------
// Writer

const W_NS = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
const R_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const REL_NS = 'http://schemas.openxmlformats.org/package/2006/relationships';
const REL_TYPE = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const CT_MAIN = 'application/vnd.openxmlformats-officedocument.wordprocessingml';

// Characters XML 1.0 forbids, and lone surrogates: dropped so any text yields a well-formed part.
const INVALID_XML =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const NEEDS_ESCAPE = /[&<>"]/;

/** Escape text for XML content and attribute values; drops characters XML cannot carry. */
export function escapeXml(text: string): string {
  let out = text;
  INVALID_XML.lastIndex = 0;
  if (INVALID_XML.test(out)) {
    INVALID_XML.lastIndex = 0;
    out = out.replace(INVALID_XML, '');
  }
  if (!NEEDS_ESCAPE.test(out)) return out;
  return out.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const twips = (pt: number): number => Math.round(pt * 20);
const halfPoints = (pt: number): number => Math.round(pt * 2);

function runPropsXml(run: {
  bold?: boolean;
  italic?: boolean;
  underline?: boolean;
  caps?: boolean;
  sizePt?: number;
  font?: string;
}): string {
  let x = '';
  if (run.font) {
    const f = escapeXml(run.font);
    x += `<w:rFonts w:ascii="${f}" w:hAnsi="${f}" w:cs="${f}"/>`;
  }
  if (run.bold) x += '<w:b/><w:bCs/>';
  if (run.italic) x += '<w:i/><w:iCs/>';
  if (run.caps) x += '<w:caps/>';
  if (run.sizePt !== undefined) {
    const hp = halfPoints(run.sizePt);
    x += `<w:sz w:val="${hp}"/><w:szCs w:val="${hp}"/>`;
  }
  if (run.underline) x += '<w:u w:val="single"/>';
  return x ? `<w:rPr>${x}</w:rPr>` : '';
}

let revisionCounter = 0;

function runXml(run: DocxRun | string): string {
  const r: DocxRun = typeof run === 'string' ? { text: run } : run;
  if (r.revision) {
    const { revision, ...plain } = r;
    const attrs = `w:id="${++revisionCounter}" w:author="${escapeXml(revision.author)}"${revision.date ? ` w:date="${escapeXml(revision.date)}"` : ''}`;
    const inner = runXml(plain);
    if (revision.kind === 'ins') return `<w:ins ${attrs}>${inner}</w:ins>`;
    // Deleted text lives in w:delText, not w:t.
    return `<w:del ${attrs}>${inner.replaceAll('<w:t xml:space="preserve">', '<w:delText xml:space="preserve">').replaceAll('</w:t>', '</w:delText>')}</w:del>`;
  }
  if (r.field) {
    const { field, ...plain } = r;
    return `<w:fldSimple w:instr=" ${escapeXml(field)} ">${runXml(plain)}</w:fldSimple>`;
  }
  const props = runPropsXml(r);
  let content = '';
  // Split on line breaks and tabs without a regex split on the common path.
  if (r.text.indexOf('\n') === -1 && r.text.indexOf('\t') === -1) {
    content = r.text ? `<w:t xml:space="preserve">${escapeXml(r.text)}</w:t>` : '';
  } else {
    let start = 0;
    for (let i = 0; i <= r.text.length; i++) {
      const ch = r.text[i];
      if (i === r.text.length || ch === '\n' || ch === '\t') {
        if (i > start) content += `<w:t xml:space="preserve">${escapeXml(r.text.slice(start, i))}</w:t>`;
        if (ch === '\n') content += '<w:br/>';
        else if (ch === '\t') content += '<w:tab/>';
        start = i + 1;
      }
    }
  }
  return `<w:r>${props}${content}</w:r>`;
}

function spacingXml(before?: number, after?: number): string {
  if (before === undefined && after === undefined) return '';
  let x = '<w:spacing';
  if (before !== undefined) x += ` w:before="${twips(before)}"`;
  if (after !== undefined) x += ` w:after="${twips(after)}"`;
  return x + '/>';
}

function paragraphXml(p: DocxParagraph): string {
  let ppr = '';
  if (p.style) ppr += `<w:pStyle w:val="${escapeXml(p.style)}"/>`;
  if (p.keepNext) ppr += '<w:keepNext/>';
  if (p.pageBreakBefore) ppr += '<w:pageBreakBefore/>';
  if (p.numbering) ppr += `<w:numPr><w:ilvl w:val="${p.numbering.level}"/><w:numId w:val="${p.numbering.numId}"/></w:numPr>`;
  ppr += spacingXml(p.spaceBeforePt, p.spaceAfterPt);
  if (p.align) ppr += `<w:jc w:val="${p.align}"/>`;
  let x = ppr ? `<w:p><w:pPr>${ppr}</w:pPr>` : '<w:p>';
  if (typeof p.runs === 'string') x += runXml(p.runs);
  else for (const run of p.runs) x += runXml(run);
  return x + '</w:p>';
}

const BORDERS = ['top', 'left', 'bottom', 'right', 'insideH', 'insideV']
  .map((edge) => `<w:${edge} w:val="single" w:sz="4" w:space="0" w:color="auto"/>`)
  .join('');

function tableXml(t: DocxTable): string {
  if (t.columnsTwips.length === 0) throw new Error('docx table: columnsTwips must not be empty');
  let x = '<w:tbl><w:tblPr>';
  if (t.style) x += `<w:tblStyle w:val="${escapeXml(t.style)}"/>`;
  const width = t.width ?? { type: 'auto', value: 0 };
  x += `<w:tblW w:w="${Math.round(width.value)}" w:type="${width.type}"/>`;
  if (t.borders !== false) x += `<w:tblBorders>${BORDERS}</w:tblBorders>`;
  x += '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/>';
  x += '</w:tblPr><w:tblGrid>';
  for (const w of t.columnsTwips) x += `<w:gridCol w:w="${Math.round(w)}"/>`;
  x += '</w:tblGrid>';
  for (const row of t.rows) {
    x += row.header ? '<w:tr><w:trPr><w:tblHeader/></w:trPr>' : '<w:tr>';
    let col = 0;
    for (const cell of row.cells) {
      const span = Math.max(1, Math.floor(cell.span ?? 1));
      let width = 0;
      for (let k = col; k < col + span; k++) width += t.columnsTwips[k] ?? t.columnsTwips[t.columnsTwips.length - 1]!;
      col += span;
      x += `<w:tc><w:tcPr><w:tcW w:w="${Math.round(width)}" w:type="dxa"/>`;
      if (span > 1) x += `<w:gridSpan w:val="${span}"/>`;
      if (cell.vMerge === 'restart') x += '<w:vMerge w:val="restart"/>';
      else if (cell.vMerge === 'continue') x += '<w:vMerge/>';
      x += '</w:tcPr>';
      const paragraphs: DocxParagraph[] =
        typeof cell.content === 'string' ? cell.content.split('\n').map((line) => ({ runs: line })) : cell.content;
      // A cell must end with a paragraph.
      if (paragraphs.length === 0) x += '<w:p/>';
      for (const p of paragraphs) x += paragraphXml(p);
      x += '</w:tc>';
    }
    x += '</w:tr>';
  }
  return x + '</w:tbl>';
}

function stylesXml(doc: DocxDocument): string {
  const d = doc.defaults ?? {};
  let x = `${XML_DECL}<w:styles xmlns:w="${W_NS}"><w:docDefaults><w:rPrDefault><w:rPr>`;
  if (d.themeFont) {
    const t = d.themeFont;
    x += `<w:rFonts w:asciiTheme="${t}HAnsi" w:hAnsiTheme="${t}HAnsi" w:eastAsiaTheme="${t}EastAsia" w:cstheme="${t}Bidi"/>`;
  } else {
    const font = escapeXml(d.font ?? 'Times New Roman');
    x += `<w:rFonts w:ascii="${font}" w:hAnsi="${font}" w:eastAsia="${font}" w:cs="${font}"/>`;
  }
  const hp = halfPoints(d.sizePt ?? 12);
  x += `<w:sz w:val="${hp}"/><w:szCs w:val="${hp}"/><w:lang w:val="en-US"/></w:rPr></w:rPrDefault>`;
  x += `<w:pPrDefault><w:pPr>${spacingXml(undefined, d.spaceAfterPt ?? 6)}</w:pPr></w:pPrDefault></w:docDefaults>`;
  const styles = doc.styles ?? [];
  if (!styles.some((s) => (s.type ?? 'paragraph') === 'paragraph' && s.isDefault)) {
    x += '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>';
  }
  for (const s of styles) {
    const type = s.type ?? 'paragraph';
    x += `<w:style w:type="${type}"${s.isDefault ? ' w:default="1"' : ''} w:styleId="${escapeXml(s.id)}">`;
    x += `<w:name w:val="${escapeXml(s.name)}"/>`;
    if (s.basedOn) x += `<w:basedOn w:val="${escapeXml(s.basedOn)}"/>`;
    if (s.next) x += `<w:next w:val="${escapeXml(s.next)}"/>`;
    x += '<w:qFormat/>';
    if (type === 'paragraph') {
      let ppr = '';
      if (s.keepNext) ppr += '<w:keepNext/>';
      ppr += spacingXml(s.spaceBeforePt, s.spaceAfterPt);
      if (s.align) ppr += `<w:jc w:val="${s.align}"/>`;
      if (s.outlineLevel !== undefined) ppr += `<w:outlineLvl w:val="${s.outlineLevel}"/>`;
      if (ppr) x += `<w:pPr>${ppr}</w:pPr>`;
    }
    if (type !== 'table') x += runPropsXml(s);
    if (type === 'table') {
      x += `<w:tblPr>${s.tableBorders ? `<w:tblBorders>${BORDERS}</w:tblBorders>` : ''}<w:tblCellMar><w:left w:w="108" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr>`;
    }
    x += '</w:style>';
  }
  return x + '</w:styles>';
}

function numberingXml(numbering: DocxNumbering[]): string {
  let abstracts = '';
  let nums = '';
  numbering.forEach((n, index) => {
    abstracts += `<w:abstractNum w:abstractNumId="${index}"><w:multiLevelType w:val="${n.levels.length > 1 ? 'multilevel' : 'singleLevel'}"/>`;
    n.levels.forEach((level, ilvl) => {
      const indent = level.indentTwips ?? 720 * (ilvl + 1);
      const hanging = level.hangingTwips ?? 360;
      abstracts += `<w:lvl w:ilvl="${ilvl}"><w:start w:val="1"/><w:numFmt w:val="${level.format}"/>`;
      abstracts += `<w:lvlText w:val="${escapeXml(level.text)}"/><w:lvlJc w:val="left"/>`;
      abstracts += `<w:pPr><w:ind w:left="${indent}" w:hanging="${hanging}"/></w:pPr></w:lvl>`;
    });
    abstracts += '</w:abstractNum>';
    nums += `<w:num w:numId="${n.numId}"><w:abstractNumId w:val="${index}"/></w:num>`;
  });
  return `${XML_DECL}<w:numbering xmlns:w="${W_NS}">${abstracts}${nums}</w:numbering>`;
}

function partXml(root: 'hdr' | 'ftr', paragraphs: DocxParagraph[]): string {
  let x = `${XML_DECL}<w:${root} xmlns:w="${W_NS}" xmlns:r="${R_NS}">`;
  if (paragraphs.length === 0) x += '<w:p/>';
  for (const p of paragraphs) x += paragraphXml(p);
  return x + `</w:${root}>`;
}

function coreXml(props: { title?: string; creator?: string }): string {
  let x = `${XML_DECL}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">`;
  if (props.title) x += `<dc:title>${escapeXml(props.title)}</dc:title>`;
  if (props.creator) x += `<dc:creator>${escapeXml(props.creator)}</dc:creator>`;
  return x + '</cp:coreProperties>';
}

/** The XML parts of a package, by path (exposed for tests and debugging). */
export function docxParts(doc: DocxDocument): Record<string, string> {
  revisionCounter = 0;
  const parts: Record<string, string> = {};
  const hasHeader = doc.header !== undefined;
  const hasFooter = doc.footer !== undefined;
  const hasFirstHeader = doc.firstHeader !== undefined;
  const hasFirstFooter = doc.firstFooter !== undefined;
  const hasTheme = doc.defaults?.themeFont !== undefined;
  const hasNumbering = doc.numbering !== undefined && doc.numbering.length > 0;
  const hasCore = doc.properties !== undefined;

  let ct = `${XML_DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">`;
  ct += '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>';
  ct += '<Default Extension="xml" ContentType="application/xml"/>';
  ct += `<Override PartName="/word/document.xml" ContentType="${CT_MAIN}.document.main+xml"/>`;
  ct += `<Override PartName="/word/styles.xml" ContentType="${CT_MAIN}.styles+xml"/>`;
  if (hasNumbering) ct += `<Override PartName="/word/numbering.xml" ContentType="${CT_MAIN}.numbering+xml"/>`;
  if (hasHeader) ct += `<Override PartName="/word/header1.xml" ContentType="${CT_MAIN}.header+xml"/>`;
  if (hasFooter) ct += `<Override PartName="/word/footer1.xml" ContentType="${CT_MAIN}.footer+xml"/>`;
  if (hasFirstHeader) ct += `<Override PartName="/word/header2.xml" ContentType="${CT_MAIN}.header+xml"/>`;
  if (hasFirstFooter) ct += `<Override PartName="/word/footer2.xml" ContentType="${CT_MAIN}.footer+xml"/>`;
  if (hasTheme) ct += '<Override PartName="/word/theme/theme1.xml" ContentType="application/vnd.openxmlformats-officedocument.theme+xml"/>';
  if (hasCore) ct += '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>';
  parts['[Content_Types].xml'] = ct + '</Types>';

  let rels = `${XML_DECL}<Relationships xmlns="${REL_NS}">`;
  rels += `<Relationship Id="rId1" Type="${REL_TYPE}/officeDocument" Target="word/document.xml"/>`;
  if (hasCore)
    rels +=
      '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>';
  parts['_rels/.rels'] = rels + '</Relationships>';

  let docRels = `${XML_DECL}<Relationships xmlns="${REL_NS}">`;
  docRels += `<Relationship Id="rId1" Type="${REL_TYPE}/styles" Target="styles.xml"/>`;
  if (hasNumbering) docRels += `<Relationship Id="rId2" Type="${REL_TYPE}/numbering" Target="numbering.xml"/>`;
  if (hasHeader) docRels += `<Relationship Id="rId3" Type="${REL_TYPE}/header" Target="header1.xml"/>`;
  if (hasFooter) docRels += `<Relationship Id="rId4" Type="${REL_TYPE}/footer" Target="footer1.xml"/>`;
  if (hasFirstHeader) docRels += `<Relationship Id="rId5" Type="${REL_TYPE}/header" Target="header2.xml"/>`;
  if (hasFirstFooter) docRels += `<Relationship Id="rId6" Type="${REL_TYPE}/footer" Target="footer2.xml"/>`;
  if (hasTheme) docRels += `<Relationship Id="rId7" Type="${REL_TYPE}/theme" Target="theme/theme1.xml"/>`;
  parts['word/_rels/document.xml.rels'] = docRels + '</Relationships>';

  let body = '';
  for (const block of doc.body) body += block.type === 'table' ? tableXml(block) : paragraphXml(block);
  // Word wants a paragraph after a table that ends the body.
  const last = doc.body[doc.body.length - 1];
  if (!last || last.type === 'table') body += '<w:p/>';
  const page = doc.page ?? { widthTwips: 12240, heightTwips: 15840, marginTwips: 1440 };
  let sect = '<w:sectPr>';
  if (hasHeader) sect += '<w:headerReference w:type="default" r:id="rId3"/>';
  if (hasFirstHeader) sect += '<w:headerReference w:type="first" r:id="rId5"/>';
  if (hasFooter) sect += '<w:footerReference w:type="default" r:id="rId4"/>';
  if (hasFirstFooter) sect += '<w:footerReference w:type="first" r:id="rId6"/>';
  const m = page.marginTwips;
  sect += `<w:pgSz w:w="${page.widthTwips}" w:h="${page.heightTwips}"/>`;
  sect += `<w:pgMar w:top="${m}" w:right="${m}" w:bottom="${m}" w:left="${m}" w:header="720" w:footer="720" w:gutter="0"/>`;
  if (doc.titlePage) sect += '<w:titlePg/>';
  sect += '</w:sectPr>';
  parts['word/document.xml'] = `${XML_DECL}<w:document xmlns:w="${W_NS}" xmlns:r="${R_NS}"><w:body>${body}${sect}</w:body></w:document>`;
  parts['word/styles.xml'] = stylesXml(doc);
  if (hasNumbering) parts['word/numbering.xml'] = numberingXml(doc.numbering!);
  if (hasHeader) parts['word/header1.xml'] = partXml('hdr', doc.header!);
  if (hasFooter) parts['word/footer1.xml'] = partXml('ftr', doc.footer!);
  if (hasFirstHeader) parts['word/header2.xml'] = partXml('hdr', doc.firstHeader!);
  if (hasFirstFooter) parts['word/footer2.xml'] = partXml('ftr', doc.firstFooter!);
  if (hasTheme) parts['word/theme/theme1.xml'] = themeXml({ name: 'Office Theme', majorFont: 'Calibri Light', minorFont: 'Calibri' });
  if (hasCore) parts['docProps/core.xml'] = coreXml(doc.properties!);
  return parts;
}

/** Build a .docx package. */
export function writeDocx(doc: DocxDocument, options: WriteOptions = {}): Uint8Array {
  const parts = docxParts(doc);
  const zippable: Zippable = {};
  // [Content_Types].xml first, as Office writes it.
  for (const [path, xml] of Object.entries(parts)) zippable[path] = strToU8(xml);
  return zipSync(zippable, { level: options.level ?? 0, mtime: new Date('2024-01-01T00:00:00Z') });
}

// ---------------------------------------------------------------------------------------------
// A small strict XML parser (elements, attributes, text, entities; comments, PIs, CDATA, DOCTYPE
// without an internal subset). It throws on anything malformed, so a corrupt part fails loudly.

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
}
export type XmlNode = XmlElement | string;

export class XmlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'XmlError';
  }
}

const NAME = /[A-Za-z_][\w.\-:]*/y;
const ATTR = /\s+([A-Za-z_][\w.\-:]*)\s*=\s*(?:"([^"<]*)"|'([^'<]*)')/y;
const ENTITY = /&(#x[0-9a-fA-F]+|#[0-9]+|[A-Za-z][\w.-]*);/y;
const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeEntities(text: string, at: number): string {
  let amp = text.indexOf('&');
  if (amp === -1) return text;
  let out = '';
  let last = 0;
  while (amp !== -1) {
    ENTITY.lastIndex = amp;
    const match = ENTITY.exec(text);
    if (!match) throw new XmlError(`unescaped '&' near offset ${at + amp}`);
    const ref = match[1]!;
    let value: string | undefined;
    if (ref[0] === '#') {
      const code = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      if (!Number.isFinite(code) || code > 0x10ffff) throw new XmlError(`bad character reference &${ref}; near offset ${at + amp}`);
      value = String.fromCodePoint(code);
    } else {
      value = NAMED[ref];
      if (value === undefined) throw new XmlError(`unknown entity &${ref}; near offset ${at + amp}`);
    }
    out += text.slice(last, amp) + value;
    last = ENTITY.lastIndex;
    amp = text.indexOf('&', last);
  }
  return out + text.slice(last);
}

export function parseXml(xml: string): XmlElement {
  const n = xml.length;
  let i = xml.charCodeAt(0) === 0xfeff ? 1 : 0;
  const top: XmlElement = { name: '#document', attrs: {}, children: [] };
  const stack: XmlElement[] = [top];
  let rootSeen = false;
  while (i < n) {
    const lt = xml.indexOf('<', i);
    const textEnd = lt === -1 ? n : lt;
    if (textEnd > i) {
      const raw = xml.slice(i, textEnd);
      if (stack.length === 1) {
        if (raw.trim()) throw new XmlError(`text outside the root element near offset ${i}`);
      } else {
        stack[stack.length - 1]!.children.push(decodeEntities(raw, i));
      }
    }
    if (lt === -1) break;
    const next = xml.charCodeAt(lt + 1);
    if (next === 63 /* ? */) {
      const end = xml.indexOf('?>', lt + 2);
      if (end === -1) throw new XmlError(`unterminated processing instruction at offset ${lt}`);
      i = end + 2;
    } else if (next === 33 /* ! */) {
      if (xml.startsWith('<!--', lt)) {
        const end = xml.indexOf('-->', lt + 4);
        if (end === -1) throw new XmlError(`unterminated comment at offset ${lt}`);
        i = end + 3;
      } else if (xml.startsWith('<![CDATA[', lt)) {
        const end = xml.indexOf(']]>', lt + 9);
        if (end === -1) throw new XmlError(`unterminated CDATA at offset ${lt}`);
        if (stack.length === 1) throw new XmlError(`CDATA outside the root element at offset ${lt}`);
        stack[stack.length - 1]!.children.push(xml.slice(lt + 9, end));
        i = end + 3;
      } else if (xml.startsWith('<!DOCTYPE', lt)) {
        const end = xml.indexOf('>', lt);
        if (end === -1 || xml.lastIndexOf('[', end) > lt) throw new XmlError(`unsupported DOCTYPE at offset ${lt}`);
        i = end + 1;
      } else {
        throw new XmlError(`unexpected '<!' at offset ${lt}`);
      }
    } else if (next === 47 /* / */) {
      const gt = xml.indexOf('>', lt);
      if (gt === -1) throw new XmlError(`unterminated end tag at offset ${lt}`);
      const name = xml.slice(lt + 2, gt).trimEnd();
      const open = stack.pop();
      if (!open || stack.length === 0 || open.name !== name) {
        throw new XmlError(`end tag </${name}> at offset ${lt} does not match <${open?.name ?? ''}>`);
      }
      i = gt + 1;
    } else {
      NAME.lastIndex = lt + 1;
      const nameMatch = NAME.exec(xml);
      if (!nameMatch) throw new XmlError(`bad tag name at offset ${lt}`);
      const el: XmlElement = { name: nameMatch[0], attrs: {}, children: [] };
      let j = NAME.lastIndex;
      for (;;) {
        ATTR.lastIndex = j;
        const attr = ATTR.exec(xml);
        if (!attr) break;
        const key = attr[1]!;
        if (key in el.attrs) throw new XmlError(`duplicate attribute ${key} at offset ${j}`);
        el.attrs[key] = decodeEntities(attr[2] ?? attr[3] ?? '', j);
        j = ATTR.lastIndex;
      }
      while (j < n && (xml.charCodeAt(j) === 32 || xml.charCodeAt(j) === 10 || xml.charCodeAt(j) === 13 || xml.charCodeAt(j) === 9)) j++;
      let selfClosing = false;
      if (xml.charCodeAt(j) === 47 && xml.charCodeAt(j + 1) === 62) {
        selfClosing = true;
        j += 2;
      } else if (xml.charCodeAt(j) === 62) {
        j += 1;
      } else {
        throw new XmlError(`malformed tag <${el.name}> at offset ${lt}`);
      }
      if (stack.length === 1) {
        if (rootSeen) throw new XmlError(`second root element <${el.name}> at offset ${lt}`);
        rootSeen = true;
      }
      stack[stack.length - 1]!.children.push(el);
      if (!selfClosing) stack.push(el);
      i = j;
    }
  }
  if (stack.length !== 1) throw new XmlError(`unclosed element <${stack[stack.length - 1]!.name}>`);
  const root = top.children.find((c): c is XmlElement => typeof c !== 'string');
  if (!root) throw new XmlError('no root element');
  return root;
}

const elements = (el: XmlElement): XmlElement[] => el.children.filter((c): c is XmlElement => typeof c !== 'string');
const child = (el: XmlElement | undefined, name: string): XmlElement | undefined => {
  if (!el) return undefined;
  for (const c of el.children) if (typeof c !== 'string' && c.name === name) return c;
  return undefined;
};
const textContent = (el: XmlElement): string => el.children.map((c) => (typeof c === 'string' ? c : textContent(c))).join('');

// ---------------------------------------------------------------------------------------------
// Reader

export interface DocxReadRun {
  text: string;
  bold: boolean;
  italic: boolean;
  /** Explicit size in points, when the run sets one. */
  sizePt?: number;
  /** The run's own fonts (w:rFonts), when it sets them. */
  fonts?: DocxFonts;
  /** Inside a w:ins (an inserted, tracked change). */
  inserted?: boolean;
}

/** w:rFonts as written: an explicit font and/or a theme font (which wins in Word). */
export interface DocxFonts {
  ascii?: string;
  asciiTheme?: string;
}

export interface DocxReadRevision {
  kind: 'ins' | 'del';
  author?: string;
  date?: string;
  text: string;
}

export interface DocxReadParagraph {
  type: 'paragraph';
  styleId?: string;
  /** The text as it reads with tracked changes shown as accepted (deleted text left out). */
  text: string;
  runs: DocxReadRun[];
  numbering?: { numId: number; level: number };
  align?: string;
  /** Field instructions in the paragraph (w:fldSimple and complex fields), e.g. "PAGE". */
  fields?: string[];
  /** Tracked insertions and deletions, in order. */
  revisions?: DocxReadRevision[];
}

export interface DocxReadCell {
  text: string;
  paragraphs: DocxReadParagraph[];
  span: number;
  vMerge?: 'restart' | 'continue';
}

export interface DocxReadTable {
  type: 'table';
  styleId?: string;
  rows: Array<{ cells: DocxReadCell[]; header?: boolean }>;
  /** Any horizontally or vertically merged cell. */
  merged: boolean;
  /** The preferred width (w:tblW), when given. */
  width?: { type: string; value: number };
  /** Grid column widths in twips (w:tblGrid). */
  grid: number[];
}

export interface DocxReadStyle {
  id: string;
  name: string;
  type: string;
  basedOn?: string;
  sizePt?: number;
  bold?: boolean;
  fonts?: DocxFonts;
}

export interface DocxReadPart {
  /** Package path, e.g. word/header1.xml. */
  part: string;
  /** The w:type of the section's reference to it (default, first, even), when referenced. */
  type?: string;
  text: string;
  /** Field instructions in the part, e.g. ["PAGE"]. */
  fields: string[];
}

export interface DocxSection {
  /** Page size in twips (w:pgSz). */
  widthTwips?: number;
  heightTwips?: number;
  orientation?: string;
  margins: { top?: number; right?: number; bottom?: number; left?: number };
  /** w:titlePg: the first page has its own header and footer. */
  titlePage: boolean;
}

export interface DocxContent {
  /** Top-level body blocks in order. */
  body: Array<DocxReadParagraph | DocxReadTable>;
  /** Top-level body paragraphs (not those inside tables). */
  paragraphs: DocxReadParagraph[];
  tables: DocxReadTable[];
  /** One entry per header part: its paragraphs' text joined by newlines. */
  headers: string[];
  footers: string[];
  /** Header and footer parts with the section reference type and their fields. */
  headerParts: DocxReadPart[];
  footerParts: DocxReadPart[];
  /** The body's (last) section properties. */
  section: DocxSection;
  styles: Record<string, DocxReadStyle>;
  /** The document default run size (w:docDefaults), in points. */
  defaultSizePt?: number;
  /** The document default fonts (w:docDefaults). */
  defaultFonts?: DocxFonts;
  /** Every tracked change in the body, in order. */
  revisions: DocxReadRevision[];
  /** w:numId -> the abstract numbering's levels. */
  numbering: Record<number, Array<{ format: string; text: string }>>;
  /** All body text: paragraphs and table cells, one line each. */
  text: string;
  /** The package's part names. */
  parts: string[];
}

export class DocxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DocxError';
  }
}

const isOn = (el: XmlElement | undefined): boolean => {
  if (!el) return false;
  const v = el.attrs['w:val'];
  return v === undefined || !(v === '0' || v === 'false' || v === 'off' || v === 'none');
};
const sizeOf = (rPr: XmlElement | undefined): number | undefined => {
  const sz = child(rPr, 'w:sz')?.attrs['w:val'];
  if (sz === undefined) return undefined;
  const v = Number(sz);
  return Number.isFinite(v) ? v / 2 : undefined;
};

function readRun(r: XmlElement, fields?: string[]): DocxReadRun {
  const rPr = child(r, 'w:rPr');
  let text = '';
  for (const c of r.children) {
    if (typeof c === 'string') continue;
    if (c.name === 'w:t') text += textContent(c);
    else if (c.name === 'w:tab') text += '\t';
    else if (c.name === 'w:br' || c.name === 'w:cr') text += '\n';
    else if (c.name === 'w:noBreakHyphen') text += '-';
    else if (c.name === 'w:instrText' && fields) fields.push(textContent(c).trim());
  }
  const run: DocxReadRun = { text, bold: isOn(child(rPr, 'w:b')), italic: isOn(child(rPr, 'w:i')) };
  const size = sizeOf(rPr);
  if (size !== undefined) run.sizePt = size;
  const fonts = fontsOf(rPr);
  if (fonts) run.fonts = fonts;
  return run;
}

function fontsOf(rPr: XmlElement | undefined): DocxFonts | undefined {
  const f = child(rPr, 'w:rFonts');
  if (!f) return undefined;
  const fonts: DocxFonts = {};
  if (f.attrs['w:ascii'] !== undefined) fonts.ascii = f.attrs['w:ascii'];
  if (f.attrs['w:asciiTheme'] !== undefined) fonts.asciiTheme = f.attrs['w:asciiTheme'];
  return fonts.ascii !== undefined || fonts.asciiTheme !== undefined ? fonts : undefined;
}

interface RunScan {
  runs: DocxReadRun[];
  fields: string[];
  revisions: DocxReadRevision[];
}

function deletedText(el: XmlElement): string {
  let out = '';
  for (const c of el.children) {
    if (typeof c === 'string') continue;
    if (c.name === 'w:delText' || c.name === 'w:t') out += textContent(c);
    else if (c.name === 'w:tab') out += '\t';
    else if (c.name === 'w:br' || c.name === 'w:cr') out += '\n';
    else if (c.name !== 'w:rPr') out += deletedText(c);
  }
  return out;
}

function collectRuns(el: XmlElement, into: RunScan, inserted = false): void {
  for (const c of el.children) {
    if (typeof c === 'string') continue;
    if (c.name === 'w:r') {
      const run = readRun(c, into.fields);
      if (inserted) run.inserted = true;
      into.runs.push(run);
    } else if (c.name === 'w:del') {
      const revision: DocxReadRevision = { kind: 'del', text: deletedText(c) };
      if (c.attrs['w:author'] !== undefined) revision.author = c.attrs['w:author'];
      if (c.attrs['w:date'] !== undefined) revision.date = c.attrs['w:date'];
      into.revisions.push(revision);
    } else if (c.name === 'w:ins') {
      const before = into.runs.length;
      collectRuns(c, into, true);
      const revision: DocxReadRevision = {
        kind: 'ins',
        text: into.runs
          .slice(before)
          .map((r) => r.text)
          .join(''),
      };
      if (c.attrs['w:author'] !== undefined) revision.author = c.attrs['w:author'];
      if (c.attrs['w:date'] !== undefined) revision.date = c.attrs['w:date'];
      into.revisions.push(revision);
    } else if (c.name === 'w:fldSimple') {
      into.fields.push((c.attrs['w:instr'] ?? '').trim());
      collectRuns(c, into, inserted);
    } else if (c.name !== 'w:pPr' && c.name !== 'w:rPr') {
      collectRuns(c, into, inserted);
    }
  }
}

function readParagraph(p: XmlElement): DocxReadParagraph {
  const pPr = child(p, 'w:pPr');
  const scan: RunScan = { runs: [], fields: [], revisions: [] };
  collectRuns(p, scan);
  const runs = scan.runs;
  const para: DocxReadParagraph = { type: 'paragraph', text: runs.map((r) => r.text).join(''), runs };
  if (scan.fields.length) para.fields = scan.fields;
  if (scan.revisions.length) para.revisions = scan.revisions;
  const style = child(pPr, 'w:pStyle')?.attrs['w:val'];
  if (style !== undefined) para.styleId = style;
  const numPr = child(pPr, 'w:numPr');
  if (numPr) {
    const numId = Number(child(numPr, 'w:numId')?.attrs['w:val']);
    const level = Number(child(numPr, 'w:ilvl')?.attrs['w:val'] ?? 0);
    if (Number.isFinite(numId)) para.numbering = { numId, level: Number.isFinite(level) ? level : 0 };
  }
  const jc = child(pPr, 'w:jc')?.attrs['w:val'];
  if (jc !== undefined) para.align = jc;
  return para;
}

function readBlocks(container: XmlElement, into: Array<DocxReadParagraph | DocxReadTable>): void {
  for (const c of container.children) {
    if (typeof c === 'string') continue;
    if (c.name === 'w:p') into.push(readParagraph(c));
    else if (c.name === 'w:tbl') into.push(readTable(c));
    else if (c.name === 'w:sdt') {
      const content = child(c, 'w:sdtContent');
      if (content) readBlocks(content, into);
    }
  }
}

function readTable(tbl: XmlElement): DocxReadTable {
  const rows: DocxReadTable['rows'] = [];
  let merged = false;
  for (const tr of elements(tbl)) {
    if (tr.name !== 'w:tr') continue;
    const header = isOn(child(child(tr, 'w:trPr'), 'w:tblHeader'));
    const cells: DocxReadCell[] = [];
    for (const tc of elements(tr)) {
      if (tc.name !== 'w:tc') continue;
      const tcPr = child(tc, 'w:tcPr');
      const span = Number(child(tcPr, 'w:gridSpan')?.attrs['w:val'] ?? 1) || 1;
      const vm = child(tcPr, 'w:vMerge');
      const blocks: Array<DocxReadParagraph | DocxReadTable> = [];
      readBlocks(tc, blocks);
      const paragraphs: DocxReadParagraph[] = [];
      for (const b of blocks) {
        if (b.type === 'paragraph') paragraphs.push(b);
        else for (const row of b.rows) for (const cell of row.cells) paragraphs.push(...cell.paragraphs);
      }
      const cell: DocxReadCell = { text: paragraphs.map((p) => p.text).join('\n'), paragraphs, span };
      if (vm) cell.vMerge = vm.attrs['w:val'] === 'restart' ? 'restart' : 'continue';
      if (span > 1 || vm) merged = true;
      cells.push(cell);
    }
    rows.push(header ? { cells, header } : { cells });
  }
  const grid = elements(child(tbl, 'w:tblGrid') ?? { name: '', attrs: {}, children: [] })
    .filter((g) => g.name === 'w:gridCol')
    .map((g) => Number(g.attrs['w:w'] ?? 0) || 0);
  const table: DocxReadTable = { type: 'table', rows, merged, grid };
  const tblPr = child(tbl, 'w:tblPr');
  const style = child(tblPr, 'w:tblStyle')?.attrs['w:val'];
  if (style !== undefined) table.styleId = style;
  const tblW = child(tblPr, 'w:tblW');
  if (tblW) table.width = { type: tblW.attrs['w:type'] ?? 'dxa', value: Number(tblW.attrs['w:w'] ?? 0) || 0 };
  return table;
}

function blocksText(blocks: Array<DocxReadParagraph | DocxReadTable>): string {
  const lines: string[] = [];
  for (const b of blocks) {
    if (b.type === 'paragraph') lines.push(b.text);
    else for (const row of b.rows) for (const cell of row.cells) lines.push(cell.text);
  }
  return lines.join('\n');
}

function resolveTarget(base: string, target: string): string {
  if (target.startsWith('/')) return target.slice(1);
  const parts = base.split('/').slice(0, -1);
  for (const seg of target.split('/')) {
    if (seg === '..') parts.pop();
    else if (seg !== '.') parts.push(seg);
  }
  return parts.join('/');
}

function relsOf(files: Record<string, Uint8Array>, part: string): Array<{ id: string; type: string; target: string }> {
  const slash = part.lastIndexOf('/');
  const relsPath = `${part.slice(0, slash + 1)}_rels/${part.slice(slash + 1)}.rels`;
  const bytes = files[relsPath];
  if (!bytes) return [];
  const root = parseXml(strFromU8(bytes));
  return elements(root)
    .filter((e) => e.name === 'Relationship' && e.attrs.TargetMode !== 'External')
    .map((e) => ({ id: e.attrs.Id ?? '', type: e.attrs.Type ?? '', target: resolveTarget(part, e.attrs.Target ?? '') }));
}

/** Read a .docx package. Throws DocxError naming what is wrong when it is not a valid one. */
export function readDocx(bytes: Uint8Array): DocxContent {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, { filter: (f) => f.name.endsWith('.xml') || f.name.endsWith('.rels') });
  } catch (error) {
    throw new DocxError(`not a zip archive (${(error as Error).message})`);
  }
  const part = (path: string): XmlElement => {
    const data = files[path];
    if (!data) throw new DocxError(`missing part ${path}`);
    try {
      return parseXml(strFromU8(data));
    } catch (error) {
      throw new DocxError(`${path} is not well-formed XML: ${(error as Error).message}`);
    }
  };
  if (!files['[Content_Types].xml']) throw new DocxError('missing part [Content_Types].xml');
  part('[Content_Types].xml');

  let mainPath = 'word/document.xml';
  try {
    const official = relsOf(files, '').find((r) => r.type.endsWith('/officeDocument'));
    if (official) mainPath = official.target;
  } catch (error) {
    throw new DocxError(`_rels/.rels is not well-formed XML: ${(error as Error).message}`);
  }
  const documentRoot = part(mainPath);
  const bodyEl = child(documentRoot, 'w:body');
  if (documentRoot.name !== 'w:document' || !bodyEl) throw new DocxError(`${mainPath} has no w:document/w:body`);

  let rels: Array<{ id: string; type: string; target: string }>;
  try {
    rels = relsOf(files, mainPath);
  } catch (error) {
    throw new DocxError(`the relationships of ${mainPath} are not well-formed XML: ${(error as Error).message}`);
  }

  const body: Array<DocxReadParagraph | DocxReadTable> = [];
  readBlocks(bodyEl, body);

  const styles: Record<string, DocxReadStyle> = {};
  let defaultSizePt: number | undefined;
  let defaultFonts: DocxFonts | undefined;
  const stylesRel = rels.find((r) => r.type.endsWith('/styles'));
  if (stylesRel) {
    const root = part(stylesRel.target);
    const rPrDefault = child(child(child(root, 'w:docDefaults'), 'w:rPrDefault'), 'w:rPr');
    defaultSizePt = sizeOf(rPrDefault);
    defaultFonts = fontsOf(rPrDefault);
    for (const s of elements(root)) {
      if (s.name !== 'w:style') continue;
      const id = s.attrs['w:styleId'];
      if (!id) continue;
      const rPr = child(s, 'w:rPr');
      const style: DocxReadStyle = { id, name: child(s, 'w:name')?.attrs['w:val'] ?? id, type: s.attrs['w:type'] ?? 'paragraph' };
      const basedOn = child(s, 'w:basedOn')?.attrs['w:val'];
      if (basedOn) style.basedOn = basedOn;
      const size = sizeOf(rPr);
      if (size !== undefined) style.sizePt = size;
      if (child(rPr, 'w:b')) style.bold = isOn(child(rPr, 'w:b'));
      const fonts = fontsOf(rPr);
      if (fonts) style.fonts = fonts;
      styles[id] = style;
    }
  }

  const numbering: DocxContent['numbering'] = {};
  const numberingRel = rels.find((r) => r.type.endsWith('/numbering'));
  if (numberingRel) {
    const root = part(numberingRel.target);
    const abstracts = new Map<string, Array<{ format: string; text: string }>>();
    for (const a of elements(root)) {
      if (a.name !== 'w:abstractNum') continue;
      const levels = elements(a)
        .filter((l) => l.name === 'w:lvl')
        .map((l) => ({ format: child(l, 'w:numFmt')?.attrs['w:val'] ?? 'decimal', text: child(l, 'w:lvlText')?.attrs['w:val'] ?? '' }));
      abstracts.set(a.attrs['w:abstractNumId'] ?? '', levels);
    }
    for (const num of elements(root)) {
      if (num.name !== 'w:num') continue;
      const levels = abstracts.get(child(num, 'w:abstractNumId')?.attrs['w:val'] ?? '');
      const id = Number(num.attrs['w:numId']);
      if (levels && Number.isFinite(id)) numbering[id] = levels;
    }
  }

  // The section: the body's last w:sectPr (page size, margins, header and footer references).
  const sectPr = child(bodyEl, 'w:sectPr');
  const section: DocxSection = { margins: {}, titlePage: isOn(child(sectPr, 'w:titlePg')) };
  const pgSz = child(sectPr, 'w:pgSz');
  if (pgSz?.attrs['w:w'] !== undefined) section.widthTwips = Number(pgSz.attrs['w:w']);
  if (pgSz?.attrs['w:h'] !== undefined) section.heightTwips = Number(pgSz.attrs['w:h']);
  if (pgSz?.attrs['w:orient'] !== undefined) section.orientation = pgSz.attrs['w:orient'];
  const pgMar = child(sectPr, 'w:pgMar');
  for (const side of ['top', 'right', 'bottom', 'left'] as const) {
    const v = pgMar?.attrs[`w:${side}`];
    if (v !== undefined && Number.isFinite(Number(v))) section.margins[side] = Number(v);
  }
  const referenceType = new Map<string, string>();
  for (const ref of sectPr ? elements(sectPr) : []) {
    if (ref.name === 'w:headerReference' || ref.name === 'w:footerReference') {
      referenceType.set(ref.attrs['r:id'] ?? '', ref.attrs['w:type'] ?? 'default');
    }
  }

  const readParts = (suffix: string, rootName: string): DocxReadPart[] =>
    rels
      .filter((r) => r.type.endsWith(suffix))
      .map((r) => {
        const root = part(r.target);
        if (root.name !== rootName) throw new DocxError(`${r.target} is not a ${rootName} part`);
        const blocks: Array<DocxReadParagraph | DocxReadTable> = [];
        readBlocks(root, blocks);
        const fields = blocks.flatMap((b) =>
          b.type === 'paragraph'
            ? (b.fields ?? [])
            : b.rows.flatMap((row) => row.cells.flatMap((c) => c.paragraphs.flatMap((p) => p.fields ?? []))),
        );
        const read: DocxReadPart = { part: r.target, text: blocksText(blocks), fields };
        const type = referenceType.get(r.id);
        if (type !== undefined) read.type = type;
        return read;
      });

  const headerParts = readParts('/header', 'w:hdr');
  const footerParts = readParts('/footer', 'w:ftr');
  const paragraphs = body.filter((b): b is DocxReadParagraph => b.type === 'paragraph');
  const tables = body.filter((b): b is DocxReadTable => b.type === 'table');
  const content: DocxContent = {
    body,
    paragraphs,
    tables,
    headers: headerParts.map((p) => p.text),
    footers: footerParts.map((p) => p.text),
    headerParts,
    footerParts,
    section,
    styles,
    numbering,
    revisions: paragraphs.flatMap((p) => p.revisions ?? []),
    text: blocksText(body),
    parts: Object.keys(files),
  };
  if (defaultSizePt !== undefined) content.defaultSizePt = defaultSizePt;
  if (defaultFonts !== undefined) content.defaultFonts = defaultFonts;
  return content;
}

/**
 * The size in points a run is shown at: its own size, else its paragraph style's (following
 * basedOn), else the document default.
 */
export function effectiveSizePt(doc: DocxContent, paragraph: DocxReadParagraph, run?: DocxReadRun): number | undefined {
  if (run?.sizePt !== undefined) return run.sizePt;
  let styleId = paragraph.styleId ?? Object.values(doc.styles).find((s) => s.type === 'paragraph' && s.id === 'Normal')?.id;
  const seen = new Set<string>();
  while (styleId && !seen.has(styleId)) {
    seen.add(styleId);
    const style = doc.styles[styleId];
    if (!style) break;
    if (style.sizePt !== undefined) return style.sizePt;
    styleId = style.basedOn;
  }
  return doc.defaultSizePt;
}

/**
 * The font a run is shown in, as Word resolves it: at each level (the run, its paragraph style and
 * the styles it is based on, the document defaults) a theme font (w:asciiTheme) wins over an
 * explicit one. Returns `{ theme }` for a theme font, `{ font }` for an explicit one.
 */
export function effectiveFont(doc: DocxContent, paragraph: DocxReadParagraph, run?: DocxReadRun): { font?: string; theme?: string } {
  const pick = (fonts: DocxFonts | undefined): { font?: string; theme?: string } | undefined => {
    if (!fonts) return undefined;
    if (fonts.asciiTheme !== undefined) return { theme: fonts.asciiTheme };
    if (fonts.ascii !== undefined) return { font: fonts.ascii };
    return undefined;
  };
  const own = pick(run?.fonts);
  if (own) return own;
  let styleId = paragraph.styleId ?? Object.values(doc.styles).find((s) => s.type === 'paragraph' && s.id === 'Normal')?.id;
  const seen = new Set<string>();
  while (styleId && !seen.has(styleId)) {
    seen.add(styleId);
    const style = doc.styles[styleId];
    if (!style) break;
    const found = pick(style.fonts);
    if (found) return found;
    styleId = style.basedOn;
  }
  return pick(doc.defaultFonts) ?? {};
}
