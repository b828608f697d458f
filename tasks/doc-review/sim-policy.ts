// How the built-in sim reviews a long file: a competent but naive reviewer. It opens page 1, then
// either reads the file cover to cover, two pages a turn (the newcomer's way), or goes from the index
// straight to the sections the summary needs; then it extracts the facts and submits. Every
// convention a pitfall hinges on goes through view.choose: how to read, which medication list counts,
// how to write doses, dates and "no allergies", whether amendments supersede, which incident date and
// policy number, which template. It never sees the pitfall table or the task's expectations, and keeps
// no state between calls: where it is comes from the conversation.

import type { ContentBlock } from '../../harness/core/messages.js';
import type { SimPolicy, SimView } from '../../harness/models/sim/policy.js';
import { submitRound } from '../_triage/sim.js';
import { INDEX_LINE, PAGE_NUMBER, SECTION_HEAD } from './params.js';

/** Rejected submissions after which the reviewer gives up. */
export const MAX_FAILED_SUBMITS = 4;
/** Pages read per turn when reading cover to cover. */
export const PAGES_PER_TURN = 2;
/** Section titles a reviewer goes to for the summary's facts (when reading from the index). */
export const KEY_SECTION =
  /summary|medication|treatment|reconcil|addend|amend|supplement|adjuster|loss report|declaration|policy schedule|decision|siu/i;

/** Pages seen so far: page number -> its lines (without the page header). */
export function pagesRead(history: SimView['history']): Map<number, string[]> {
  const pages = new Map<number, string[]>();
  for (const { use, result } of history) {
    if (use.name !== 'read_document' || !result || result.is_error) continue;
    const lines = result.content.split('\n');
    const marks = lines.flatMap((l, i) => (PAGE_NUMBER.test(l) ? [i] : []));
    marks.forEach((at, k) => {
      const n = Number(PAGE_NUMBER.exec(lines[at]!)![1]);
      const end = k + 1 < marks.length ? marks[k + 1]! - 2 : lines.length;
      pages.set(n, lines.slice(at + 2, end));
    });
  }
  return pages;
}

export interface Knobs {
  dateFormat: string;
  dateOrder: string;
  doseUnit: string;
  medicationSource: string;
  allergiesNone: string;
  amendments: string;
  incidentDate: string;
  policyNumber: string;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const dd = (n: number): string => String(n).padStart(2, '0');

/** A printed date as the reviewer writes it. */
export function writeDate(printed: string, knobs: Pick<Knobs, 'dateFormat' | 'dateOrder'>): string {
  const text = printed.trim();
  if (knobs.dateFormat !== 'YYYY-MM-DD') return text;
  const named = /^([A-Za-z]+) (\d{1,2}), (\d{4})$/.exec(text);
  if (named) {
    const month = MONTHS.indexOf(named[1]!.slice(0, 3).toLowerCase()) + 1;
    return `${named[3]}-${dd(month)}-${dd(Number(named[2]))}`;
  }
  const numeric = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text);
  if (numeric) {
    const [a, b] = [Number(numeric[1]), Number(numeric[2])];
    // Month first unless told otherwise; a "month" above 12 can only be a day.
    const dayFirst = knobs.dateOrder === 'DD/MM' ? b <= 12 : a > 12;
    const [day, month] = dayFirst ? [a, b] : [b, a];
    return `${numeric[3]}-${dd(month)}-${dd(day)}`;
  }
  return text;
}

/** A dose as the reviewer writes it: as the file does, or in mg. */
export function writeDose(written: string, unit: string): string {
  const m = /^(\d+(?:\.\d+)?) (mg|g|mcg)$/.exec(written.trim());
  if (unit !== 'mg' || !m) return written.trim();
  const factor = m[2] === 'g' ? 1000 : m[2] === 'mcg' ? 0.001 : 1;
  const mg = Math.round(Number(m[1]) * factor * 1e6) / 1e6;
  return `${mg} mg`;
}

interface Doc {
  page1: string[];
  /** Section title -> its lines, in the order read. */
  sections: Map<string, string[]>;
  all: string[];
}

function assemble(pages: Map<number, string[]>): Doc {
  const sections = new Map<string, string[]>();
  const numbers = [...pages.keys()].sort((a, b) => a - b);
  for (const n of numbers) {
    if (n === 1) continue;
    let current: string | undefined;
    for (const line of pages.get(n)!) {
      const head = SECTION_HEAD.exec(line);
      if (head) {
        current = head[1]!;
        if (!sections.has(current)) sections.set(current, []);
        continue;
      }
      if (current) sections.get(current)!.push(line);
    }
  }
  return { page1: pages.get(1) ?? [], sections, all: numbers.flatMap((n) => pages.get(n)!) };
}

const find = (lines: string[], re: RegExp): string | undefined => {
  for (const l of lines) {
    const m = re.exec(l);
    if (m) return m[1]!.trim();
  }
  return undefined;
};

function bullets(lines: string[], heading: RegExp): string[] {
  const at = lines.findIndex((l) => heading.test(l));
  if (at < 0) return [];
  const out: string[] = [];
  for (const l of lines.slice(at + 1)) {
    if (!l.startsWith('- ')) break;
    out.push(l.slice(2).trim());
  }
  return out;
}

function sectionLines(doc: Doc, test: (title: string) => boolean): string[] {
  for (const [title, lines] of doc.sections) if (test(title)) return lines;
  return [];
}

function medTable(lines: string[], unit: string): Array<{ name: string; dose: string; frequency: string }> {
  const out: Array<{ name: string; dose: string; frequency: string }> = [];
  for (const l of lines) {
    const cells = l.split('|').map((c) => c.trim());
    if (cells.length < 6 || cells[1] === 'Drug' || cells[1]!.startsWith('---')) continue;
    const action = cells.length >= 7 ? cells[5] : undefined;
    if (action === 'stop') continue;
    out.push({ name: cells[1]!, dose: writeDose(cells[2]!, unit), frequency: cells[4]! });
  }
  return out;
}

/** Amendment lines of the file: "X corrected to: Y (was: Z)", "Allergy added: A", "... revised to: V". */
function amendmentsOf(doc: Doc): string[] {
  const lines = sectionLines(doc, (t) => /addend|amend|supplement/i.test(t));
  // Wrapped amendment paragraphs: join lines into paragraphs first.
  return lines
    .join('\n')
    .split(/\n\s*\n/)
    .map((p) => p.replace(/\s*\n\s*/g, ' ').trim())
    .filter(Boolean);
}

export function medicalSummary(doc: Doc, prompt: string, knobs: Knobs, sloppy: boolean): Record<string, unknown> {
  const patient = find(doc.page1, /^(?:MRN|Record no\. \(NHC\)): (\S+)/) ?? '';
  const summaryLines = sectionLines(doc, (t) => /summary/i.test(t));
  const principal = find(summaryLines, /^Principal diagnosis: (.+)$/);
  let diagnoses = [...(principal ? [principal] : []), ...bullets(summaryLines, /^(Secondary diagnoses|Active problems):$/)];
  const allergyText = find([...doc.page1, ...summaryLines], /^Allergies(?: \/ Alergias)?: (.+)$/) ?? '';
  let allergies = allergyText === 'NKDA' ? [knobs.allergiesNone] : allergyText ? allergyText.split(/;\s*/) : [];
  const issues = bullets(summaryLines, /^Open issues( at discharge)?:$/);
  const appendix = sectionLines(doc, (t) => /appendix/i.test(t) && /medication/i.test(t));
  const body = sectionLines(doc, (t) => /medication|treatment/i.test(t) && !/appendix/i.test(t));
  const source = knobs.medicationSource === 'reconciliation-appendix' ? (appendix.length ? appendix : body) : body.length ? body : appendix;
  const medications = medTable(source, knobs.doseUnit);

  const wanted = (/^- dates: (.+)$/m.exec(prompt)?.[1] ?? '')
    .split(',')
    .map((d) => d.trim())
    .filter(Boolean);
  const printed: Record<string, string | undefined> = {
    admission: find(doc.page1, /^Admitted: (\w+ \d{1,2}, \d{4})/),
    discharge: find(doc.page1, /^Discharged: (\w+ \d{1,2}, \d{4})/),
    follow_up: find(summaryLines, /^Follow-up: .* on (.+)$/),
    first_visit: find(doc.page1, /^First visit: (.+)$/),
    last_visit: find(doc.page1, /^Last visit: (.+)$/),
    next_review: find(summaryLines, /^Next review: (.+)$/),
  };
  if (knobs.amendments === 'apply') {
    for (const a of amendmentsOf(doc)) {
      const dx = /Principal diagnosis corrected to: (.+?) \(was: (.+?)\)\.?$/.exec(a);
      if (dx) diagnoses = [dx[1]!, ...diagnoses.filter((d) => d !== dx[2])];
      const allergy = /Allergy added: (.+?)\.$/.exec(a);
      if (allergy) allergies = [...allergies.filter((x) => x !== knobs.allergiesNone && x !== 'NKDA'), allergy[1]!];
      const fu = /Follow-up date corrected to: (.+?) \(was:/.exec(a);
      if (fu) printed.follow_up = fu[1]!;
      const nr = /Next review date corrected to: (.+?) \(was:/.exec(a);
      if (nr) printed.next_review = nr[1]!;
    }
  }
  const dates = Object.fromEntries(wanted.map((k) => [k, printed[k] ? writeDate(printed[k]!, knobs) : '']));
  const openIssues = sloppy && issues.length > 1 ? issues.slice(0, -1) : issues;
  return { patient_id: patient, diagnoses, medications, allergies, open_issues: openIssues, dates };
}

export function claimSummary(doc: Doc, knobs: Knobs, sloppy: boolean): Record<string, unknown> {
  const claim = find(doc.page1, /^Claim (?:number|reference): (\S+)/) ?? '';
  const facePolicy = find(doc.page1, /^Policy: (\S+)/) ?? '';
  const fullPolicy = find(
    sectionLines(doc, (t) => /declaration|policy schedule/i.test(t)),
    /^Policy number: (\S+)/,
  );
  const policy = knobs.policyNumber === 'with-term-suffix' && fullPolicy ? fullPolicy : facePolicy;
  const systemDate = find(doc.page1, /^Incident date \(system\): (.+)$/);
  const lossDate = find(
    sectionLines(doc, (t) => /adjuster|loss report/i.test(t)),
    /^Date of loss: (.+)$/,
  );
  const incident = knobs.incidentDate === 'date-of-loss' && lossDate ? lossDate : (systemDate ?? lossDate ?? '');
  const decisionLines = sectionLines(doc, (t) => /^coverage decision/i.test(t));
  let decision = find(decisionLines, /^Decision: (\w+)/) ?? '';
  let amount = find(decisionLines, /^Amount approved: (.+)$/) ?? '0';
  if (knobs.amendments === 'apply') {
    for (const a of amendmentsOf(doc)) {
      const d = /Decision revised to: (\w+)/.exec(a);
      if (d) decision = d[1]!;
      const m = /Amount approved revised to: ([£$][\d,.]+)/.exec(a);
      if (m) amount = m[1]!;
    }
  }
  const flags = sectionLines(doc, (t) => /siu/i.test(t)).flatMap((l) => (/^\[x\] (.+)$/.exec(l) ? [l.slice(4).trim()] : []));
  return {
    claim_number: claim,
    policy_number: policy,
    incident_date: writeDate(incident, knobs),
    coverage_decision: decision,
    amount_approved: Number(amount.replace(/[£$,]/g, '')),
    red_flags: sloppy && flags.length > 1 ? flags.slice(0, -1) : flags,
  };
}

function knobs(view: SimView): Knobs {
  return {
    dateFormat: view.choose('summary.date_format', 'as-printed').value,
    dateOrder: view.choose('review.date_order', 'MM/DD').value,
    doseUnit: view.choose('summary.dose_unit', 'as-written').value,
    medicationSource: view.choose('summary.medication_source', 'body').value,
    allergiesNone: view.choose('summary.allergies_none', 'NKDA').value,
    amendments: view.choose('review.amendments', 'ignore').value,
    incidentDate: view.choose('summary.incident_date', 'face-sheet').value,
    policyNumber: view.choose('summary.policy_number', 'face-sheet').value,
  };
}

export const reviewPolicy: SimPolicy = {
  act(view: SimView): ContentBlock[] {
    const round = submitRound(view, 'submit_summary');
    if (round.accepted) return [{ type: 'text', text: 'The summary is submitted.' }];
    const pages = pagesRead(view.history);

    // 1. Page 1: the face sheet and the document index.
    if (!pages.has(1)) return [{ type: 'text', text: 'Opening the file at its first page.' }, view.toolUse('read_document', { page: 1 })];
    const total = Number(
      /^Page 1 of (\d+)$/m.exec(
        view.history.find((h) => h.use.name === 'read_document' && h.use.input.page === 1)?.result?.content ?? '',
      )?.[1] ?? pages.size,
    );
    const index = (pages.get(1) ?? []).flatMap((l) => {
      const m = INDEX_LINE.exec(l);
      return m ? [{ title: m[1]!, from: Number(m[2]), to: Number(m[3] ?? m[2]) }] : [];
    });

    // 2. Read: from the index to the key sections, or every page in order.
    if (round.submits.length === 0) {
      const bySection = view.history.some((h) => h.use.name === 'read_document' && h.use.input.section !== undefined);
      const mode = bySection ? 'index-first' : view.choose('review.reading', 'cover-to-cover').value;
      if (mode === 'index-first' && index.length > 0) {
        const wanted = index.filter((s) => KEY_SECTION.test(s.title) && !pages.has(s.from));
        if (wanted.length > 0) {
          return [
            { type: 'text', text: `Going to ${wanted.length} section${wanted.length === 1 ? '' : 's'} from the index.` },
            ...wanted.map((s) => view.toolUse('read_document', { section: s.title })),
          ];
        }
      } else {
        const unread = Array.from({ length: total }, (_, i) => i + 1).filter((p) => !pages.has(p));
        if (unread.length > 0) {
          const next = unread.slice(0, PAGES_PER_TURN);
          return [
            { type: 'text', text: `Reading page${next.length > 1 ? 's' : ''} ${next.join(' and ')} of ${total}.` },
            ...next.map((page) => view.toolUse('read_document', { page })),
          ];
        }
      }
    }

    // 3. Submit; after a rejection, submit again with what the error said, up to a limit.
    if (round.rejected >= MAX_FAILED_SUBMITS) return [{ type: 'text', text: 'submit_summary keeps rejecting the summary; stopping here.' }];
    const doc = assemble(pages);
    const k = knobs(view);
    const sloppy = !view.competent('extract');
    const claim = doc.page1.some((l) => /^Claim (?:number|reference):/.test(l));
    const summary = claim ? claimSummary(doc, k, sloppy) : medicalSummary(doc, view.prompt, k, sloppy);
    const template = view.choose('submit_summary.template', 'generic').value;
    return [{ type: 'text', text: 'Submitting the summary.' }, view.toolUse('submit_summary', { summary, template })];
  },
};
