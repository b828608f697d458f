// render_docx: validates the parameters, enforces the firm template (where tool-error pitfalls
// bite, with an error that names the fix), and lays the draft out as a real .docx (letter, court
// filing or agreement) with the docx writer.

import { formatDirective } from '../../harness/core/directives.js';
import { currentFix } from '../../harness/core/suite.js';
import {
  writeDocx,
  type DocxBlock,
  type DocxDocument,
  type DocxParagraph,
  type DocxRun,
  type DocxStyle,
  type DocxTable,
} from '../../harness/formats/docx.js';
import { formatDate, normalizeDates, type DateFormat } from './dates.js';
import type { LegalFamily, LegalPitfall } from './data.js';
import type { Matter } from './matter.js';
import { RENDER_PARAMS, renderParam } from './params.js';
import { DRAFT_BANNER, FILING_CLOSING, FIRM, STYLE, styleName } from './template.js';

export interface DraftSection {
  heading: string;
  body: string;
}

export interface RenderSettings {
  heading_style: string;
  body_font_size: number;
  fee_table: string;
  numbering: string;
  caption: string;
  closing: string;
  header: string;
  defined_terms: string;
  date_format: DateFormat;
}

export interface RenderContext {
  family: LegalFamily;
  matter: Matter;
  /** The task's pitfalls, from the table. */
  pitfalls: readonly LegalPitfall[];
  drifted: ReadonlySet<string>;
  /** The firm template before drift. */
  template: string;
}

export type RenderResult =
  | { ok: true; bytes: Uint8Array; settings: RenderSettings; template: string; sections: number; tables: number }
  /** `hits`: tool-error pitfalls whose parameter was wrong in this call. */
  | { ok: false; error: string; hits: string[]; settings?: RenderSettings };

/** The firm template in force: a drift that replaces the template renames it. */
export function templateName(pitfalls: readonly LegalPitfall[], drifted: ReadonlySet<string>, base: string): string {
  let name = base;
  for (const p of pitfalls) if (drifted.has(p.id) && p.drift?.template) name = p.drift.template;
  return name;
}

/** Fill a pitfall message template. */
export function fillMessage(message: string, pitfall: LegalPitfall, values: { value?: string; fix: string; template: string }): string {
  return message
    .replaceAll('{directive}', formatDirective(pitfall.choice, values.fix))
    .replaceAll('{value}', values.value ?? '')
    .replaceAll('{fix}', values.fix)
    .replaceAll('{template}', values.template);
}

/** Validate raw tool input into settings (defaults for omitted parameters), or say what is wrong. */
export function parseSettings(input: Record<string, unknown>): { settings: RenderSettings } | { error: string } {
  const out: Record<string, string | number> = {};
  for (const key of Object.keys(input)) {
    if (!renderParam(key)) {
      return { error: `render_docx: unknown parameter "${key}"; expected one of ${RENDER_PARAMS.map((p) => p.name).join(', ')}` };
    }
  }
  for (const p of RENDER_PARAMS) {
    const raw = input[p.name];
    if (raw === undefined || raw === null) {
      out[p.name] = p.points ? Number(p.default) : p.default;
      continue;
    }
    if (p.points) {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\s*\d+(\.0+)?\s*$/.test(raw) ? Number(raw) : NaN;
      if (!Number.isInteger(n) || n < p.points.min || n > p.points.max) {
        return {
          error: `render_docx: ${p.name} must be a whole number of points from ${p.points.min} to ${p.points.max}, got ${JSON.stringify(raw)}`,
        };
      }
      out[p.name] = n;
      continue;
    }
    if (typeof raw !== 'string') return { error: `render_docx: ${p.name} must be a string, got ${JSON.stringify(raw)}` };
    const value = raw.trim();
    if (p.values && !p.values.includes(value)) {
      return { error: `render_docx: ${p.name} must be one of ${p.values.map((v) => `"${v}"`).join(', ')}; got "${raw}"` };
    }
    if (!value) return { error: `render_docx: ${p.name} must not be empty` };
    if (value.length > 80) return { error: `render_docx: ${p.name} is too long (at most 80 characters)` };
    out[p.name] = value;
  }
  return { settings: out as unknown as RenderSettings };
}

// ---------------------------------------------------------------------------------------------
// Body text: paragraphs, "a | b" tables, defined terms, dates

interface BodyParagraph {
  kind: 'p';
  text: string;
}
interface BodyTable {
  kind: 't';
  rows: string[][];
}

const isTableLine = (line: string): boolean => line.includes('|') && line.split('|').filter((c) => c.trim()).length >= 2;
const isRuleLine = (line: string): boolean => /^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/.test(line);

function cellsOf(line: string): string[] {
  const cells = line.split('|').map((c) => c.trim());
  if (cells[0] === '') cells.shift();
  if (cells[cells.length - 1] === '') cells.pop();
  return cells;
}

export function parseBody(body: string): Array<BodyParagraph | BodyTable> {
  const out: Array<BodyParagraph | BodyTable> = [];
  let table: BodyTable | undefined;
  for (const raw of body.split('\n')) {
    const line = raw.trim();
    if (!line) {
      table = undefined;
      continue;
    }
    if (isTableLine(line) || (table && isRuleLine(line))) {
      if (isRuleLine(line)) continue;
      if (!table) {
        table = { kind: 't', rows: [] };
        out.push(table);
      }
      table.rows.push(cellsOf(line));
      continue;
    }
    table = undefined;
    out.push({ kind: 'p', text: line });
  }
  return out;
}

const TERM = /["“]([A-Z][A-Za-z0-9'’&.\- ]{0,60}?)["”]/g;

function termRuns(text: string, mode: string): DocxRun[] {
  if (mode === 'plain' || (text.indexOf('"') === -1 && text.indexOf('“') === -1)) return [{ text }];
  const runs: DocxRun[] = [];
  let last = 0;
  TERM.lastIndex = 0;
  for (let m = TERM.exec(text); m; m = TERM.exec(text)) {
    if (m.index > last) runs.push({ text: text.slice(last, m.index) });
    const term = m[1]!;
    if (mode === 'bold-quoted') runs.push({ text: `“${term}”`, bold: true });
    else if (mode === 'bold') runs.push({ text: term, bold: true });
    else runs.push({ text: `“${term}”`, italic: true });
    last = m.index + m[0].length;
  }
  if (last < text.length) runs.push({ text: text.slice(last) });
  return runs;
}

// ---------------------------------------------------------------------------------------------
// Layout

const TEXT_WIDTH = 9360; // twips between 1-inch margins on US Letter

function styles(s: RenderSettings): DocxStyle[] {
  const all: DocxStyle[] = [
    { id: 'Normal', name: 'Normal', isDefault: true },
    {
      id: STYLE.letterhead,
      name: styleName(STYLE.letterhead),
      basedOn: 'Normal',
      bold: true,
      caps: true,
      sizePt: 14,
      align: 'center',
      spaceAfterPt: 0,
    },
    {
      id: STYLE.title,
      name: styleName(STYLE.title),
      basedOn: 'Normal',
      bold: true,
      caps: true,
      sizePt: s.body_font_size + 2,
      align: 'center',
      spaceBeforePt: 12,
      spaceAfterPt: 12,
    },
    { id: STYLE.body, name: styleName(STYLE.body), basedOn: 'Normal', sizePt: s.body_font_size, align: 'both', spaceAfterPt: 8 },
    { id: STYLE.date, name: styleName(STYLE.date), basedOn: STYLE.body, spaceBeforePt: 12, spaceAfterPt: 12 },
    { id: STYLE.closing, name: styleName(STYLE.closing), basedOn: STYLE.body, spaceBeforePt: 12, keepNext: true },
    { id: STYLE.signature, name: styleName(STYLE.signature), basedOn: STYLE.body, spaceAfterPt: 0, keepNext: true },
    {
      id: STYLE.caption,
      name: styleName(STYLE.caption),
      basedOn: 'Normal',
      bold: true,
      caps: true,
      sizePt: s.body_font_size,
      align: 'center',
    },
    { id: STYLE.header, name: styleName(STYLE.header), basedOn: 'Normal', bold: true, sizePt: 9, align: 'center' },
    {
      id: s.heading_style,
      name: styleName(s.heading_style),
      basedOn: 'Normal',
      next: STYLE.body,
      bold: true,
      sizePt: s.body_font_size,
      keepNext: true,
      spaceBeforePt: 12,
      spaceAfterPt: 6,
      outlineLevel: 0,
    },
    { id: STYLE.table, name: styleName(STYLE.table), type: 'table', tableBorders: true },
  ];
  // A heading style id that names a template style keeps the template's definition.
  return all.filter((style, i) => all.findIndex((other) => other.id === style.id) === i);
}

const ENTITY_SUFFIX = /^(?:Inc\.?|LLC|L\.L\.C\.|LP|L\.P\.|LLP|PLLC|P\.C\.|PC|Co\.|Corp\.|Ltd\.|GmbH|AG|AS|N\.A\.)$/i;

/** "Carla Jensen, General Counsel, Northgate Logistics, Inc." -> one line per part, keeping "Inc." with its name. */
export function addressLines(recipient: string): string[] {
  const lines: string[] = [];
  for (const part of recipient.split(/,\s*/)) {
    if (lines.length > 0 && ENTITY_SUFFIX.test(part.trim())) lines[lines.length - 1] += `, ${part.trim()}`;
    else if (part.trim()) lines.push(part.trim());
  }
  return lines;
}

const p = (style: string, text: string | DocxRun[], extra: Partial<DocxParagraph> = {}): DocxParagraph => ({ style, runs: text, ...extra });

export interface LayoutInput {
  family: LegalFamily;
  matter: Matter;
  sections: readonly DraftSection[];
  settings: RenderSettings;
  template: string;
}

export function layout(input: LayoutInput): { doc: DocxDocument; tables: number } {
  const { family, matter, settings: s } = input;
  const kind = family.document;
  const date = (text: string): string => normalizeDates(text, s.date_format);
  const field = (key: string): string => date(matter.get(key) ?? '');
  const body: DocxBlock[] = [];
  let tables = 0;
  const numbered = kind === 'agreement' && s.numbering !== 'none';
  const nested = numbered && s.numbering === 'nested';

  // Opening
  if (kind === 'letter') {
    body.push(p(STYLE.letterhead, FIRM.name));
    body.push(p(STYLE.body, `${FIRM.address} · ${FIRM.phone}`, { align: 'center' }));
    body.push(p(STYLE.date, formatDate(matter.get('Date')!, s.date_format)));
    body.push(
      p(STYLE.body, [...addressLines(field('Recipient')), ...field('Recipient address').split(/;\s*/)].join('\n'), { align: 'left' }),
    );
    body.push(
      p(STYLE.body, [
        { text: 'Re: ', bold: true },
        { text: field('Re'), bold: true },
      ]),
    );
    const name = field('Recipient').split(',')[0]!.trim();
    body.push(p(STYLE.body, `Dear ${name}:`));
  } else if (kind === 'filing') {
    if (s.caption === 'court-block') {
      body.push(p(STYLE.caption, field('Court')));
      const judge = matter.get('Judge');
      body.push({
        type: 'table',
        style: STYLE.table,
        columnsTwips: [5200, TEXT_WIDTH - 5200],
        rows: [
          {
            cells: [
              { content: `${field('Plaintiff').toUpperCase()},\n\tPlaintiff,\nv.\n${field('Defendant').toUpperCase()},\n\tDefendant.` },
              { content: `Case No. ${field('Case number')}${judge ? `\n${date(judge)}` : ''}` },
            ],
          },
        ],
      });
      tables++;
    }
    body.push(p(STYLE.title, field('Document')));
  } else {
    body.push(p(STYLE.title, field('Document')));
    body.push(p(STYLE.body, `Dated: ${formatDate(matter.get('Date')!, s.date_format)}`, { align: 'center' }));
  }

  // Sections
  for (const section of input.sections) {
    const heading: DocxParagraph = p(s.heading_style, date(section.heading));
    if (numbered) heading.numbering = { numId: 1, level: 0 };
    body.push(heading);
    let paragraphIndex = 0;
    for (const block of parseBody(section.body)) {
      if (block.kind === 'p') {
        const para = p(STYLE.body, termRuns(date(block.text), s.defined_terms));
        if (nested && paragraphIndex > 0) para.numbering = { numId: 1, level: 1 };
        body.push(para);
        paragraphIndex++;
      } else {
        const cols = Math.max(...block.rows.map((r) => r.length));
        const width = Math.floor(TEXT_WIDTH / cols);
        const rows: DocxTable['rows'] = block.rows.map((r, i) => ({
          header: i === 0,
          cells: Array.from({ length: cols }, (_, c) => {
            const cell = date(r[c] ?? '');
            return { content: [p(STYLE.body, i === 0 ? [{ text: cell, bold: true }] : cell, { align: 'left' })] };
          }),
        }));
        body.push({ type: 'table', style: STYLE.table, columnsTwips: Array.from({ length: cols }, () => width), rows });
        tables++;
      }
    }
  }

  // Closing and signature
  const sig = (text: string): DocxParagraph => p(STYLE.signature, text, { align: 'left' });
  const attorney = field('Responsible attorney');
  if (kind === 'letter') {
    body.push(p(STYLE.closing, s.closing));
    body.push(sig(FIRM.name));
    body.push(sig('\n\nBy: ______________________________'));
    body.push(sig(attorney));
  } else if (kind === 'filing') {
    body.push(p(STYLE.body, `Dated: ${formatDate(matter.get('Date')!, s.date_format)}`));
    body.push(p(STYLE.closing, FILING_CLOSING));
    body.push(sig(FIRM.name));
    body.push(sig(`\n/s/ ${attorney}`));
    body.push(sig(`${attorney} (Bar No. ${field('Bar number')})`));
    body.push(sig(FIRM.address));
    body.push(sig(`Attorneys for ${field('Moving party')}`));
  } else {
    body.push(p(STYLE.body, '[Signature page follows.]', { align: 'center' }));
  }

  const doc: DocxDocument = {
    body,
    styles: styles(s),
    defaults: { font: 'Times New Roman', sizePt: 12, spaceAfterPt: 6 },
    properties: { title: field('Document') || field('Re') || matter.title, creator: `${FIRM.name} (${input.template})` },
  };
  if (s.header === 'confidentiality-legend') doc.header = [p(STYLE.header, family.legend)];
  else if (s.header === 'draft') doc.header = [p(STYLE.header, DRAFT_BANNER)];
  if (numbered) {
    doc.numbering = [
      {
        numId: 1,
        levels: nested
          ? [
              { format: 'decimal', text: '%1.' },
              { format: 'decimal', text: '%1.%2' },
              { format: 'lowerLetter', text: '(%3)' },
            ]
          : [{ format: 'decimal', text: '%1.', indentTwips: 360, hangingTwips: 360 }],
      },
    ];
  }
  return { doc, tables };
}

// ---------------------------------------------------------------------------------------------
// The tool

/** Whether a pitfall's parameter matters for this draft (a fee schedule only bites with a table). */
function pitfallActive(pitfall: LegalPitfall, sections: readonly DraftSection[]): boolean {
  if (pitfall.param === 'fee_table') return sections.some((s) => parseBody(s.body).some((b) => b.kind === 't'));
  return true;
}

export function renderDraft(input: Record<string, unknown>, sections: readonly DraftSection[], context: RenderContext): RenderResult {
  const parsed = parseSettings(input);
  if ('error' in parsed) return { ok: false, error: parsed.error, hits: [] };
  const settings = parsed.settings;
  if (sections.length === 0) {
    return { ok: false, error: 'render_docx: the draft is empty; add sections with write_section first', hits: [], settings };
  }
  const template = templateName(context.pitfalls, context.drifted, context.template);
  const problems: string[] = [];
  const hits: string[] = [];
  for (const pitfall of context.pitfalls) {
    if (pitfall.surfaces !== 'tool_error' || !pitfallActive(pitfall, sections)) continue;
    const value = String(settings[pitfall.param as keyof RenderSettings]);
    const fix = currentFix(pitfall, context.drifted);
    if (value === fix) continue;
    hits.push(pitfall.id);
    const stale = context.drifted.has(pitfall.id) && pitfall.drift?.stale_error && value === pitfall.fix;
    const message = stale ? pitfall.drift!.stale_error! : pitfall.error!;
    problems.push(fillMessage(message, pitfall, { value, fix, template }));
  }
  if (problems.length === 1) return { ok: false, error: `render_docx failed: ${problems[0]}`, hits, settings };
  if (problems.length > 1) {
    return {
      ok: false,
      error: `render_docx failed with ${problems.length} problems:\n${problems.map((m) => `- ${m}`).join('\n')}`,
      hits,
      settings,
    };
  }
  const { doc, tables } = layout({ family: context.family, matter: context.matter, sections, settings, template });
  return { ok: true, bytes: writeDocx(doc), settings, template, sections: sections.length, tables };
}
