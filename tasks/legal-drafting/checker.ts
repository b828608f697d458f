// The deterministic checker: it opens the draft.docx the agent produced (never the in-memory draft)
// and verifies sections, facts, defined terms and the firm's format requirements. Review pitfalls
// produce the reviewer's feedback, which names the fix in the directive convention.

import { existsSync, readFileSync } from 'node:fs';
import type { CheckResult } from '../../harness/core/suite.js';
import { currentFix } from '../../harness/core/suite.js';
import { DocxError, effectiveSizePt, readDocx, type DocxContent, type DocxReadParagraph } from '../../harness/formats/docx.js';
import { findDates, isIsoDate } from './dates.js';
import type { LegalExpected, LegalFamily, LegalPitfall } from './data.js';
import { fillMessage, templateName } from './renderer.js';
import { STYLE } from './template.js';

export interface CheckInput {
  docxPath: string;
  expected: LegalExpected;
  family: LegalFamily;
  /** The task's pitfalls. */
  pitfalls: readonly LegalPitfall[];
  drifted: ReadonlySet<string>;
  template: string;
}

export interface DraftCheck extends CheckResult {
  /** Whether draft.docx exists and is a valid Word document. */
  document: boolean;
  /** Review pitfalls the document fails. */
  reviewHits: string[];
}

type Check = { id: string; passed: boolean; detail?: string };

/** Text compared loosely: straight quotes, plain dashes and spaces, lower case. */
export function normText(text: string): string {
  return text
    .replace(/[“”„]/g, '"')
    .replace(/[‘’]/g, "'")
    .replace(/[\u2013\u2014]/g, '-')
    .replace(/[\s\u00a0]+/g, ' ')
    .trim()
    .toLowerCase();
}

/** A heading compared loosely: no leading numbering, no trailing colon, "&" as "and". */
export function normHeading(text: string): string {
  return normText(text)
    .replace(/^(?:section\s+)?(?:\d+(?:\.\d+)*\.?|[ivxlc]+\.|[a-z]\.|\([a-z0-9]+\))\s+/, '')
    .replace(/&/g, 'and')
    .replace(/[:.]\s*$/, '')
    .trim();
}

function checkIds(input: CheckInput): string[] {
  const e = input.expected;
  const ids = [
    'docx',
    ...e.sections.map((s) => `section:${s}`),
    'section-order',
    ...e.facts.map((f) => `fact:${f.key}:${f.value}`),
    ...e.defined_terms.map((t) => `defined-term:${t}`),
  ];
  if (e.fee_schedule.length > 0) ids.push('fee-schedule');
  for (const p of input.pitfalls) ids.push(`pitfall:${p.id}`);
  return ids;
}

function failAll(input: CheckInput, reason: string, feedback: string): DraftCheck {
  const checks = checkIds(input).map((id) => ({ id, passed: false, detail: id === 'docx' ? reason : 'no valid document' }));
  return { success: false, score: 0, feedback: [feedback], checks, document: false, reviewHits: [] };
}

export function checkDraft(input: CheckInput): DraftCheck {
  if (!existsSync(input.docxPath)) {
    return failAll(input, 'draft.docx not found', 'no draft.docx was produced: the draft was never rendered with render_docx');
  }
  let doc: DocxContent;
  try {
    doc = readDocx(readFileSync(input.docxPath));
  } catch (error) {
    const reason = error instanceof DocxError ? error.message : String(error);
    return failAll(input, reason, `draft.docx is not a valid Word document (${reason})`);
  }

  const e = input.expected;
  const checks: Check[] = [{ id: 'docx', passed: true }];
  const feedback: string[] = [];
  const reviewHits: string[] = [];
  const text = normText(doc.text);

  // Sections, in order.
  const headingIndex = new Map<string, number>();
  const headingParagraphs: DocxReadParagraph[] = [];
  const blockHeadings = doc.body.map((b) => (b.type === 'paragraph' && b.text.length <= 300 ? normHeading(b.text) : undefined));
  for (const section of e.sections) {
    const index = blockHeadings.indexOf(normHeading(section));
    checks.push({ id: `section:${section}`, passed: index >= 0, ...(index < 0 ? { detail: 'missing' } : {}) });
    if (index < 0) feedback.push(`missing section: ${section}`);
    else {
      headingIndex.set(section, index);
      headingParagraphs.push(doc.body[index] as DocxReadParagraph);
    }
  }
  const found = e.sections.filter((s) => headingIndex.has(s));
  const inOrder = found.every((s, i) => i === 0 || headingIndex.get(s)! > headingIndex.get(found[i - 1]!)!);
  checks.push({ id: 'section-order', passed: inOrder && found.length > 0, ...(inOrder ? {} : { detail: 'sections out of order' }) });
  if (!inOrder) feedback.push(`sections out of order: expected ${e.sections.join(', ')}`);

  // Facts.
  let isoDates: Set<string> | undefined;
  for (const fact of e.facts) {
    let passed: boolean;
    if (isIsoDate(fact.value)) {
      isoDates ??= new Set([...findDates(doc.text), ...doc.headers.flatMap((h) => findDates(h))].map((d) => d.iso));
      passed = isoDates.has(fact.value);
    } else {
      passed = text.includes(normText(fact.value));
    }
    checks.push({ id: `fact:${fact.key}:${fact.value}`, passed, ...(passed ? {} : { detail: 'not stated' }) });
    if (!passed) feedback.push(`missing fact: ${fact.key} (${fact.value})`);
  }

  // Defined terms: defined somewhere (quoted, or set bold).
  const boldRuns = doc.paragraphs.flatMap((para) => para.runs.filter((r) => r.bold).map((r) => normText(r.text)));
  for (const term of e.defined_terms) {
    const t = normText(term);
    const passed = text.includes(`"${t}"`) || boldRuns.some((r) => r === t || r.includes(`"${t}"`));
    checks.push({ id: `defined-term:${term}`, passed, ...(passed ? {} : { detail: 'not defined' }) });
    if (!passed) feedback.push(`defined term not defined: "${term}"`);
  }

  // The fee schedule table.
  if (e.fee_schedule.length > 0) {
    const amounts = e.fee_schedule.map(normText);
    const passed = doc.tables.some((t) => {
      const cells = normText(t.rows.flatMap((r) => r.cells.map((c) => c.text)).join(' | '));
      return amounts.every((a) => cells.includes(a));
    });
    checks.push({ id: 'fee-schedule', passed, ...(passed ? {} : { detail: 'no table with every hourly rate' }) });
    if (!passed) feedback.push('the fees section needs a fee schedule table with every hourly rate');
  }

  // Format requirements, one per pitfall of the task.
  const template = templateName(input.pitfalls, input.drifted, input.template);
  for (const pitfall of input.pitfalls) {
    const fix = currentFix(pitfall, input.drifted);
    const detail = formatProblem(pitfall, fix, doc, headingParagraphs, input, e);
    checks.push({ id: `pitfall:${pitfall.id}`, passed: detail === undefined, ...(detail !== undefined ? { detail } : {}) });
    if (detail === undefined) continue;
    if (pitfall.surfaces === 'review') {
      reviewHits.push(pitfall.id);
      const message = (input.drifted.has(pitfall.id) && pitfall.drift?.feedback) || pitfall.feedback!;
      feedback.push(fillMessage(message, pitfall, { fix, template }));
    } else {
      feedback.push(`the document does not meet the firm template's requirements: ${detail}`);
    }
  }

  const passed = checks.filter((c) => c.passed).length;
  return { success: passed === checks.length, score: passed / checks.length, feedback, checks, document: true, reviewHits };
}

/** What is wrong with the document for this pitfall, or undefined when it meets the requirement. */
function formatProblem(
  pitfall: LegalPitfall,
  fix: string,
  doc: DocxContent,
  headings: DocxReadParagraph[],
  input: CheckInput,
  e: LegalExpected,
): string | undefined {
  switch (pitfall.param) {
    case 'heading_style': {
      if (headings.length === 0) return 'no section headings found';
      const style = doc.styles[fix];
      if (style?.type !== 'paragraph') return `the style ${fix} is not defined in the document`;
      const wrong = headings.filter((h) => h.styleId !== fix);
      return wrong.length
        ? `headings not in style ${fix}: ${wrong.map((h) => `"${h.text}" (${h.styleId ?? 'no style'})`).join(', ')}`
        : undefined;
    }
    case 'fee_table': {
      const merged = doc.tables.filter((t) => t.merged).length;
      return merged ? `${merged} table(s) with merged cells` : undefined;
    }
    case 'numbering': {
      if (headings.length === 0) return 'no section headings found';
      for (const h of headings) {
        if (!h.numbering) return `heading "${h.text}" is not numbered`;
        const levels = doc.numbering[h.numbering.numId];
        if (!levels) return `heading "${h.text}" refers to an undefined numbering`;
        if (h.numbering.level !== 0 || levels.length !== 1 || levels[0]!.format !== 'decimal') {
          return `heading "${h.text}" is not in flat legal numbering`;
        }
      }
      const deeper = doc.paragraphs.find((para) => para.numbering && para.numbering.level > 0);
      return deeper ? `nested numbering at "${deeper.text.slice(0, 40)}"` : undefined;
    }
    case 'caption': {
      const c = e.caption;
      if (!c) return 'the task has no caption data';
      const first = doc.body.findIndex((b) => b.type === 'paragraph' && headings.includes(b));
      const opening = first >= 0 ? doc.body.slice(0, first) : doc.body;
      const courtShown = opening.some((b) => b.type === 'paragraph' && normText(b.text).includes(normText(c.court)));
      const block = opening.some((b) => {
        if (b.type !== 'table') return false;
        const cells = normText(b.rows.flatMap((r) => r.cells.map((cell) => cell.text)).join(' '));
        return [c.plaintiff, c.defendant, c.case_number].every((v) => cells.includes(normText(v)));
      });
      if (!courtShown) return 'the caption does not name the court';
      return block ? undefined : 'no caption block with the parties and the case number';
    }
    case 'body_font_size': {
      const want = Number(fix);
      const body = doc.paragraphs.filter((para) => para.styleId === STYLE.body && para.text.trim());
      if (body.length === 0) return 'no body text found';
      for (const para of body) {
        for (const run of para.runs) {
          if (!run.text.trim()) continue;
          const size = effectiveSizePt(doc, para, run);
          if (size !== want) return `body text at ${size ?? 'unknown'} points`;
        }
      }
      return undefined;
    }
    case 'closing': {
      const closings = doc.paragraphs.filter((para) => para.styleId === STYLE.closing);
      const last = closings[closings.length - 1];
      if (!last) return 'no closing';
      return last.text.trim() === fix ? undefined : `closing is "${last.text.trim()}"`;
    }
    case 'header': {
      const legend = normText(input.family.legend);
      return doc.headers.some((h) => normText(h).includes(legend)) ? undefined : 'no confidentiality legend in the page header';
    }
    case 'defined_terms': {
      const runs = doc.paragraphs.flatMap((para) => para.runs);
      const missing = e.defined_terms.filter((term) => {
        const want = `"${normText(term)}"`;
        if (fix === 'bold-quoted') return !runs.some((r) => r.bold && normText(r.text).includes(want));
        if (fix === 'italic-quoted') return !runs.some((r) => r.italic && normText(r.text).includes(want));
        if (fix === 'bold') return !runs.some((r) => r.bold && normText(r.text) === normText(term));
        return false;
      });
      return missing.length ? `defined terms not set as ${fix}: ${missing.map((t) => `"${t}"`).join(', ')}` : undefined;
    }
    case 'date_format': {
      const dates = [...findDates(doc.text), ...doc.headers.flatMap((h) => findDates(h))];
      if (dates.length === 0) return 'no dates found';
      const wrong = dates.filter((d) => d.format !== fix);
      return wrong.length
        ? `dates not in ${fix}: ${wrong
            .slice(0, 3)
            .map((d) => `"${d.text}"`)
            .join(', ')}`
        : undefined;
    }
    default:
      return undefined;
  }
}
