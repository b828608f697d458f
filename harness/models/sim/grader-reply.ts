// How the sim answers a grading request (purpose 'grade'; the request format is
// harness/grader/protocol.ts). Its semantics are simple and documented, so that agreement with the
// deterministic checker, and Cohen's kappa, are known by construction:
//
// 1. Evidence. Each rubric criterion is read against the output text alone.
//    - A *checklist* criterion ends in a colon and a list of quoted items:
//        `<label>: "item"; "item", ...`
//      Every item is looked for in the output, and the label says how:
//        "sections"/"headings"     each item is a line of its own (leading numbering ignored)
//        "in this order"           ... and the items come in the order listed
//        "page header"             each item is in a page-header line (`[Page header] ...`)
//        "bold"                    each item is inside a **bold** span ("quotation marks": as "item")
//        "quotation marks"         each item appears in quotation marks
//        "table"                   all items are in one table (`| ... |` rows)
//        "every date"              the items are example dates: every date in the output must be
//                                  written in the format of one of them (and there must be dates)
//        otherwise                 each item appears in the text (an ISO date item, YYYY-MM-DD,
//                                  matches the date written in any common format)
//      Text is compared loosely: case, quote style, dashes, spaces and **/* markup do not matter.
//    - Any other criterion is *narrative*: the sim cannot verify it and takes it as met (a lenient
//      reader with no evidence against it).
//    The honest verdict passes when every criterion is met.
// 2. Accuracy. The verdict it is right to give is the deterministic checker's on the same output
//    when the call carries it (CallContext.reference: a grading round of a trial), and otherwise the
//    honest verdict of step 1. With the profile's `grader_accuracy` it gives that verdict; otherwise
//    it slips and gives the other one. A pass lists every criterion as met (overlooking what the
//    evidence finds unmet); a fail lists the unmet criteria the evidence shows, or, when the text
//    meets them all (the checker saw what the rubric does not cover), one criterion picked at random
//    as "not convincingly met". So P(verdict = checker's verdict) = grader_accuracy exactly, per
//    grading round, whatever the rubric covers and however long it is: the report's grader
//    agreement (reports/agreement.ts, scope "rounds") measures this parameter.
// 3. Feedback. An unmet criterion's feedback quotes what is missing; when the criterion's label
//    names a setting in the directive convention (`tool.param="value"`), the feedback names that fix
//    the same way, which is what lets a sim agent act on it.
//
// Independent per-criterion errors were considered and rejected: over a rubric of ten criteria they
// compound (0.85^10 = 0.2), so the trial-level agreement would depend on the rubric's length rather
// than on the parameter a user sets.

import type { ModelRequest } from '../../core/messages.js';
import { textOf } from '../../core/messages.js';
import { formatDirective, parseDirectives } from '../../core/directives.js';
import { parseGraderPrompt } from '../../grader/protocol.js';
import type { SimProfile } from './profiles.js';
import type { Rng } from '../../core/rng.js';

export interface CriterionJudgement {
  /** The criterion is a checklist the sim can verify (false: narrative, taken as met). */
  checkable: boolean;
  met: boolean;
  /** Fraction of the checklist's items found (1 or 0 for narrative criteria). */
  score: number;
  feedback: string;
}

// ---------------------------------------------------------------------------------------------
// Text

/** Loose comparison: case, quote style, dashes and whitespace do not matter. */
export function looseText(text: string): string {
  return text
    .replace(/[“”„″]/g, '"')
    .replace(/[‘’]/g, "'")
    .replace(/[\u2012\u2013\u2014\u2015]/g, '-')
    .replace(/[\s\u00a0]+/g, ' ')
    .trim()
    .toLowerCase();
}

const stripMarkup = (text: string): string => text.replace(/\*{1,3}/g, '');

function looseHeading(text: string): string {
  return looseText(text)
    .replace(/^(?:section\s+)?(?:\d+(?:\.\d+)*\.?|[ivxlc]+\.|[a-z]\.|\([a-z0-9]+\))\s+/, '')
    .replace(/&/g, 'and')
    .replace(/[:.]\s*$/, '')
    .trim();
}

const HEADER_LINE = /^\[Page header\]\s?/;
const FOOTER_LINE = /^\[Page footer\]\s?/;

interface OutputView {
  /** All text without markup, loosely normalised. */
  plain: string;
  /** Body lines (no header/footer marks, no table rows), without markup. */
  lines: string[];
  headers: string[];
  /** Bold spans, loosely normalised. */
  bold: string[];
  /** Each table: its rows joined, loosely normalised. */
  tables: string[];
  /** The raw text without markup (for dates). */
  raw: string;
}

function viewOf(output: string): OutputView {
  const lines: string[] = [];
  const headers: string[] = [];
  const tables: string[] = [];
  let table: string[] | undefined;
  for (const line of output.split('\n')) {
    if (/^\s*\|.*\|\s*$/.test(line)) {
      (table ??= []).push(line);
      continue;
    }
    if (table) {
      tables.push(looseText(stripMarkup(table.join(' '))));
      table = undefined;
    }
    if (HEADER_LINE.test(line)) headers.push(stripMarkup(line.replace(HEADER_LINE, '')));
    else if (!FOOTER_LINE.test(line)) lines.push(stripMarkup(line));
  }
  if (table) tables.push(looseText(stripMarkup(table.join(' '))));
  const bold = [...output.matchAll(/\*\*\*?([^*\n]+?)\*\*\*?/g)].map((m) => looseText(m[1]!));
  const raw = stripMarkup(output);
  return { plain: looseText(raw), lines, headers, bold, tables, raw };
}

// ---------------------------------------------------------------------------------------------
// Dates (the four ways a document commonly writes one)

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const MONTH_ALT = MONTHS.join('|');
const DATE = new RegExp(
  `\\b(?:(\\d{4})-(\\d{2})-(\\d{2})|(\\d{1,2})/(\\d{1,2})/(\\d{4})|(${MONTH_ALT})\\s+(\\d{1,2}),\\s*(\\d{4})|(\\d{1,2})\\s+(${MONTH_ALT})\\s+(\\d{4}))\\b`,
  'gi',
);

export interface SimDate {
  iso: string;
  format: 'YYYY-MM-DD' | 'MM/DD/YYYY' | 'MMMM D, YYYY' | 'D MMMM YYYY';
  text: string;
}

export function datesIn(text: string): SimDate[] {
  const found: SimDate[] = [];
  for (const m of text.matchAll(DATE)) {
    let y: number, mo: number, d: number, format: SimDate['format'];
    if (m[1]) [y, mo, d, format] = [Number(m[1]), Number(m[2]), Number(m[3]), 'YYYY-MM-DD'];
    else if (m[4]) [y, mo, d, format] = [Number(m[6]), Number(m[4]), Number(m[5]), 'MM/DD/YYYY'];
    else if (m[7]) [y, mo, d, format] = [Number(m[9]), MONTHS.indexOf(m[7].toLowerCase()) + 1, Number(m[8]), 'MMMM D, YYYY'];
    else [y, mo, d, format] = [Number(m[12]), MONTHS.indexOf(m[11]!.toLowerCase()) + 1, Number(m[10]), 'D MMMM YYYY'];
    if (mo < 1 || mo > 12 || d < 1 || d > new Date(Date.UTC(y, mo, 0)).getUTCDate()) continue;
    found.push({ iso: `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`, format, text: m[0] });
  }
  return found;
}

const isIso = (text: string): boolean => /^\d{4}-\d{2}-\d{2}$/.test(text.trim());

// ---------------------------------------------------------------------------------------------
// Criteria

const CHECKLIST = /^([\s\S]*?):\s*((?:"[^"\n]*"\s*(?:[,;]|,?\s+and\b)?\s*)+)\.?\s*$/;

/** A checklist criterion's label and items, or undefined for a narrative criterion. */
export function parseChecklist(criterion: string): { label: string; items: string[] } | undefined {
  const text = criterion.replace(/[“”]/g, '"').trim();
  const m = CHECKLIST.exec(text);
  if (!m) return undefined;
  const items = [...m[2]!.matchAll(/"([^"\n]*)"/g)].map((x) => x[1]!).filter((x) => x.trim());
  return items.length ? { label: m[1]!, items } : undefined;
}

const quote = (items: readonly string[]): string => items.map((i) => `"${i}"`).join(', ');

/** Judge one criterion against the output's evidence (the honest judgement). */
export function judgeCriterion(criterion: string, output: string): CriterionJudgement {
  const checklist = parseChecklist(criterion);
  if (!checklist) return { checkable: false, met: true, score: 1, feedback: '' };
  const { label, items } = checklist;
  const view = viewOf(output);
  const l = label.toLowerCase();
  const fix = parseDirectives(label).map((d) => formatDirective(d.choice, d.value));
  const withFix = (text: string): string => (fix.length ? `${text} Fix: set ${fix.join(' and ')}.` : text);
  const result = (found: number, problem: string): CriterionJudgement => {
    const met = problem === '';
    return { checkable: true, met, score: met ? 1 : found / items.length, feedback: met ? '' : withFix(problem) };
  };

  if (/\bevery date\b/.test(l)) {
    const formats = new Set(items.flatMap((i) => datesIn(i).map((d) => d.format)));
    const dates = datesIn(view.raw);
    if (dates.length === 0) return result(0, 'No dates found in the output.');
    const wrong = dates.filter((d) => !formats.has(d.format));
    const shown = [...new Set(wrong.map((d) => `"${d.text}"`))].slice(0, 4).join(', ');
    return result(wrong.length ? 0 : items.length, wrong.length ? `Dates not written like ${quote(items)}: ${shown}.` : '');
  }

  if (/\btable\b/.test(l)) {
    const inOne = view.tables.some((t) => items.every((i) => t.includes(looseText(i))));
    const best = Math.max(0, ...view.tables.map((t) => items.filter((i) => t.includes(looseText(i))).length));
    return result(inOne ? items.length : best, inOne ? '' : `No single table lists all of ${quote(items)}.`);
  }

  if (/\bpage header\b/.test(l)) {
    const headers = view.headers.map(looseText);
    const missing = items.filter((i) => !headers.some((h) => h.includes(looseText(i))));
    return result(items.length - missing.length, missing.length ? `The page header does not carry ${quote(missing)}.` : '');
  }

  if (/\bbold\b/.test(l)) {
    const quoted = /quotation mark/.test(l);
    const missing = items.filter((i) => {
      const want = quoted ? `"${looseText(i)}"` : looseText(i);
      return !view.bold.some((b) => (quoted ? b.includes(want) : b === want || b.includes(want)));
    });
    const how = quoted ? 'in bold inside quotation marks' : 'in bold';
    return result(items.length - missing.length, missing.length ? `Not set ${how}: ${quote(missing)}.` : '');
  }

  if (/\b(sections?|headings?)\b/.test(l)) {
    const headings = view.lines.filter((line) => line.length <= 300).map(looseHeading);
    const at = items.map((i) => headings.indexOf(looseHeading(i)));
    const missing = items.filter((_, k) => at[k]! < 0);
    if (missing.length) return result(items.length - missing.length, `Missing section headings: ${quote(missing)}.`);
    const ordered = at.every((p, k) => k === 0 || p > at[k - 1]!);
    if (/in (?:this|the given|the listed) order/.test(l) && !ordered)
      return result(items.length - 1, `The sections are out of order; expected ${quote(items)}.`);
    return result(items.length, '');
  }

  const quotedOnly = /quotation mark/.test(l);
  const dates = datesIn(view.raw);
  const missing = items.filter((i) => {
    if (isIso(i)) return !dates.some((d) => d.iso === i.trim());
    const want = quotedOnly ? `"${looseText(i)}"` : looseText(i);
    return !view.plain.includes(want);
  });
  return result(
    items.length - missing.length,
    missing.length ? `Not found in the output${quotedOnly ? ' (in quotation marks)' : ''}: ${quote(missing)}.` : '',
  );
}

export interface SimGrading {
  criteria: Array<{ id: number; passed: boolean; score: number; feedback: string }>;
  /** The verdict the output's evidence (the rubric read against the text) supports. */
  honest: boolean;
  /** The verdict the grader is right to give: the checker's when it was known, else `honest`. */
  truth: boolean;
  /** Whether the grader reported `truth` (false: it slipped, per `grader_accuracy`). */
  accurate: boolean;
}

/**
 * The sim grader's judgement of an output against a rubric (deterministic given the rng). `checker`
 * is the deterministic checker's verdict on the same output when the caller knows it (a grading round
 * of a trial): the grader is then right, with chance `accuracy`, about that verdict, whatever the
 * rubric covers. Without it, the truth is what the rubric's evidence shows.
 */
export function simGrade(rubric: readonly string[], output: string, accuracy: number, rng: Rng, checker?: boolean): SimGrading {
  const judged = rubric.map((criterion) => judgeCriterion(criterion, output));
  const honest = judged.every((j) => j.met);
  const truth = checker ?? honest;
  const accurate = rng.fork('grader:verdict').chance(accuracy);
  const criteria = judged.map((j, i) => ({ id: i + 1, passed: j.met, score: j.score, feedback: j.feedback }));
  if (criteria.length === 0) return { criteria, honest, truth, accurate };
  const passes = accurate ? truth : !truth;
  if (passes) {
    // It passes the work, overlooking any criterion the evidence finds unmet.
    for (const c of criteria) if (!c.passed) Object.assign(c, { passed: true, score: 1, feedback: '' });
  } else if (criteria.every((c) => c.passed)) {
    // It fails work whose text meets every criterion: one criterion, picked at random, is "not convincing".
    const k = rng.fork('grader:false-alarm').int(criteria.length);
    const fix = parseDirectives(rubric[k]!).map((d) => formatDirective(d.choice, d.value));
    criteria[k] = {
      id: k + 1,
      passed: false,
      score: 0.5,
      feedback: `Not convincingly met; make it explicit.${fix.length ? ` Fix: set ${fix.join(' and ')}.` : ''}`,
    };
  }
  return { criteria, honest, truth, accurate };
}

/** The sim's reply to a grading request: the JSON the protocol asks for. */
export function gradeReply(request: ModelRequest, profile: SimProfile, rng: Rng, checker?: boolean): string {
  // The grading request is the first user message; a repair request follows it in the same conversation.
  const first = request.messages.find((m) => m.role === 'user');
  const prompt = first ? parseGraderPrompt(textOf(first.content)) : undefined;
  if (!prompt || prompt.rubric.length === 0)
    return JSON.stringify({ criteria: [], summary: 'No rubric was given, so there is nothing to grade against.' });
  const grading = simGrade(prompt.rubric, prompt.output, profile.grader_accuracy, rng, checker);
  const unmet = grading.criteria.filter((c) => !c.passed).length;
  return JSON.stringify({
    criteria: grading.criteria,
    summary: unmet === 0 ? 'Every criterion is met.' : `${unmet} of ${grading.criteria.length} criteria are not met.`,
  });
}
