// The deterministic checker: the submitted summary, field by field, against the file's known facts,
// and one check per pitfall the file can trigger. Review pitfalls produce the reviewer's feedback,
// naming the fix in the directive convention. dr-reading (pages read against the page budget) is
// reported and fed back but is not blocking: it measures time, not correctness.

import type { CheckResult } from '../../harness/core/suite.js';
import { currentFix } from '../../harness/core/suite.js';
import { feedbackTemplate, fillMessage as fillPitfallMessage } from '../_triage/messages.js';
import type { ClaimFacts, DocPitfall, MedicalFacts, ReviewExpected } from './data.js';
import { DEFAULT_TEMPLATE, MG_DOSE } from './params.js';

export interface CheckInput {
  expected: ReviewExpected;
  /** The last accepted summary (undefined: nothing was accepted). */
  summary: Record<string, unknown> | undefined;
  template: string | undefined;
  /** The task's pitfalls. */
  pitfalls: readonly DocPitfall[];
  drifted: ReadonlySet<string>;
  /** Distinct pages the agent was shown. */
  pagesRead: number;
}

export interface ReviewCheck extends CheckResult {
  reviewHits: string[];
}

export const norm = (s: string): string =>
  s
    .replace(/[\u2013\u2014]/g, '-')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const containsIn = (items: string[], phrase: string): boolean => items.some((i) => norm(i).includes(norm(phrase)));

/** An amount as a number, from a number or a string like "$4,310.00". */
export function amountOf(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value !== 'string') return undefined;
  const n = Number(value.replace(/[£$€,\s]/g, ''));
  return Number.isFinite(n) && value.trim() !== '' ? n : undefined;
}

interface FieldResult {
  id: string;
  passed: boolean;
  detail?: string;
}

function medicalFields(f: MedicalFacts, s: Record<string, unknown>, e: ReviewExpected): FieldResult[] {
  const out: FieldResult[] = [];
  const id = typeof s.patient_id === 'string' ? s.patient_id.trim() : '';
  out.push({
    id: 'field:patient_id',
    passed: id.toLowerCase() === f.patient_id.toLowerCase(),
    ...(id.toLowerCase() === f.patient_id.toLowerCase() ? {} : { detail: `"${id}"` }),
  });

  const dx = strings(s.diagnoses);
  const missingDx = f.diagnoses.filter((d) => !containsIn(dx, d));
  const stale = (e.traps.superseded_diagnoses ?? []).filter(
    (d) => containsIn(dx, d) && !f.diagnoses.some((x) => norm(x).includes(norm(d))),
  );
  out.push({
    id: 'field:diagnoses',
    passed: missingDx.length === 0 && stale.length === 0,
    ...(missingDx.length || stale.length
      ? { detail: [...missingDx.map((d) => `missing ${d}`), ...stale.map((d) => `superseded ${d}`)].join('; ') }
      : {}),
  });

  const meds = Array.isArray(s.medications) ? (s.medications as Array<Record<string, unknown>>) : [];
  const medProblems: string[] = [];
  for (const m of f.medications) {
    const entry = meds.find((x) => typeof x?.name === 'string' && norm(x.name).includes(norm(m.name)));
    if (!entry) {
      medProblems.push(`missing ${m.name}`);
      continue;
    }
    const dose = MG_DOSE.exec(String(entry.dose ?? '').trim());
    if (!dose || Math.abs(Number(dose[1]) - m.dose_mg) > 1e-9) medProblems.push(`${m.name} dose "${String(entry.dose ?? '')}"`);
  }
  for (const x of meds) {
    const name = typeof x?.name === 'string' ? x.name : '';
    if (name && !f.medications.some((m) => norm(name).includes(norm(m.name)))) medProblems.push(`not a current medication: ${name}`);
  }
  out.push({
    id: 'field:medications',
    passed: medProblems.length === 0,
    ...(medProblems.length ? { detail: medProblems.join('; ') } : {}),
  });

  const allergies = strings(s.allergies);
  const missingAllergy = f.allergies.filter((a) => !containsIn(allergies, a));
  const extraAllergy = allergies.filter((a) => !f.allergies.some((x) => norm(a).includes(norm(x))));
  out.push({
    id: 'field:allergies',
    passed: missingAllergy.length === 0 && extraAllergy.length === 0,
    ...(missingAllergy.length || extraAllergy.length
      ? { detail: [...missingAllergy.map((a) => `missing ${a}`), ...extraAllergy.map((a) => `unexpected "${a}"`)].join('; ') }
      : {}),
  });

  const issues = strings(s.open_issues);
  const missingIssues = f.open_issues.filter((o) => !containsIn(issues, o));
  out.push({
    id: 'field:open_issues',
    passed: missingIssues.length === 0,
    ...(missingIssues.length ? { detail: `missing ${missingIssues.join('; ')}` } : {}),
  });

  const dates = (s.dates && typeof s.dates === 'object' ? s.dates : {}) as Record<string, unknown>;
  for (const [key, value] of Object.entries(f.dates)) {
    const given = typeof dates[key] === 'string' ? (dates[key] as string).trim() : '';
    out.push({ id: `field:dates.${key}`, passed: given === value, ...(given === value ? {} : { detail: `"${given}"` }) });
  }
  return out;
}

function claimFields(f: ClaimFacts, s: Record<string, unknown>, e: ReviewExpected): FieldResult[] {
  const str = (v: unknown): string => (typeof v === 'string' ? v.trim() : '');
  const out: FieldResult[] = [];
  for (const key of ['claim_number', 'policy_number', 'incident_date', 'coverage_decision'] as const) {
    const ok = str(s[key]).toLowerCase() === String(f[key]).toLowerCase();
    out.push({ id: `field:${key}`, passed: ok, ...(ok ? {} : { detail: `"${str(s[key])}"` }) });
  }
  const amount = amountOf(s.amount_approved);
  const amountOk = amount !== undefined && Math.abs(amount - f.amount_approved) < 0.005;
  out.push({ id: 'field:amount_approved', passed: amountOk, ...(amountOk ? {} : { detail: `${String(s.amount_approved)}` }) });
  const flags = strings(s.red_flags);
  const missing = f.red_flags.filter((x) => !containsIn(flags, x));
  const extra = (e.traps.not_red_flags ?? []).filter((x) => containsIn(flags, x));
  out.push({
    id: 'field:red_flags',
    passed: missing.length === 0 && extra.length === 0,
    ...(missing.length || extra.length
      ? { detail: [...missing.map((x) => `missing ${x}`), ...extra.map((x) => `not raised: ${x}`)].join('; ') }
      : {}),
  });
  return out;
}

/** A doc-review pitfall message: {value} and {field} what was submitted where, {pages} how much was read, {sections} where the data lives. */
export function fillMessage(
  template: string,
  pitfall: DocPitfall,
  values: { fix: string; value?: string; field?: string; pages?: string; sections?: string },
): string {
  return fillPitfallMessage(template, pitfall, values.fix, {
    value: values.value ?? '',
    field: values.field ?? 'a field',
    pages: values.pages ?? '',
    sections: values.sections ?? '',
  });
}

export function checkSummary(input: CheckInput): ReviewCheck {
  const { expected: e, pitfalls, drifted } = input;
  const s = input.summary;
  const submitted = s !== undefined;
  const fields: FieldResult[] = submitted
    ? e.kind === 'medical'
      ? medicalFields(e.facts as MedicalFacts, s, e)
      : claimFields(e.facts as ClaimFacts, s, e)
    : [];
  const checks: FieldResult[] = [
    { id: 'submitted', passed: submitted, ...(submitted ? {} : { detail: 'submit_summary never accepted a summary' }) },
    ...fields,
  ];
  const feedback: string[] = [];
  const reviewHits: string[] = [];
  if (!submitted) feedback.push('no summary was submitted (submit_summary never accepted one)');
  const explained = new Set<string>();
  const dates = (s?.dates && typeof s.dates === 'object' ? s.dates : {}) as Record<string, unknown>;
  const dateValue = (key: string): string => String((e.kind === 'medical' ? dates[key] : s?.[key]) ?? '').trim();

  for (const pitfall of pitfalls) {
    const fix = currentFix(pitfall, drifted);
    let hit = false;
    let what: string | undefined;
    switch (pitfall.id) {
      case 'dr-reading':
        hit = input.pagesRead > e.page_budget;
        break;
      case 'dr-med-appendix': {
        const meds = Array.isArray(s?.medications)
          ? (s!.medications as Array<Record<string, unknown>>).map((m) => String(m?.name ?? ''))
          : [];
        hit =
          submitted &&
          ((e.traps.stopped_medications ?? []).some((x) => containsIn(meds, x)) ||
            (e.traps.body_only_missing ?? []).some((x) => !containsIn(meds, x)));
        if (hit) explained.add('field:medications');
        break;
      }
      case 'dr-nkda': {
        const allergies = strings(s?.allergies);
        hit = submitted && (allergies.some((a) => /\bNKDA\b/i.test(a)) || !containsIn(allergies, 'No known drug allergies'));
        if (hit) explained.add('field:allergies');
        break;
      }
      case 'dr-day-first':
        for (const [key, swapped] of Object.entries(e.traps.swapped_dates ?? {})) {
          if (submitted && dateValue(key) === swapped) {
            hit = true;
            what = e.kind === 'medical' ? `dates.${key}` : key;
            explained.add(`field:${what}`);
          }
        }
        break;
      case 'dr-amendment': {
        const t = e.traps;
        const hits: string[] = [];
        if (submitted && t.superseded_diagnoses?.some((d) => containsIn(strings(s!.diagnoses), d))) hits.push('diagnoses');
        if (submitted && t.amended_allergies?.some((a) => !containsIn(strings(s!.allergies), a))) hits.push('allergies');
        for (const [key, original] of Object.entries(t.original_dates ?? {}))
          if (submitted && dateValue(key) === original) hits.push(`dates.${key}`);
        if (
          submitted &&
          t.original_decision !== undefined &&
          String(s!.coverage_decision ?? '').trim() === t.original_decision &&
          t.original_decision !== (e.facts as ClaimFacts).coverage_decision
        )
          hits.push('coverage_decision');
        if (submitted && t.original_amount !== undefined && Math.abs((amountOf(s!.amount_approved) ?? NaN) - t.original_amount) < 0.005)
          hits.push('amount_approved');
        hit = hits.length > 0;
        what = hits.join(', ');
        for (const h of hits) explained.add(`field:${h}`);
        break;
      }
      case 'dr-template':
        hit = submitted && (input.template ?? DEFAULT_TEMPLATE) !== fix;
        break;
      case 'dr-loss-date':
        hit = submitted && e.traps.system_incident_date !== undefined && dateValue('incident_date') === e.traps.system_incident_date;
        if (hit) explained.add('field:incident_date');
        break;
      default:
        // Tool-error pitfalls (dates, doses, policy number): the tool only accepts the fixed form.
        break;
    }
    if (!submitted && pitfall.surfaces === 'review' && pitfall.blocking) hit = true;
    checks.push({
      id: `pitfall:${pitfall.id}`,
      passed: !hit,
      ...(hit
        ? { detail: pitfall.id === 'dr-reading' ? `${input.pagesRead} pages read, budget ${e.page_budget}` : (what ?? `not ${fix}`) }
        : {}),
    });
    if (!hit) continue;
    reviewHits.push(pitfall.id);
    const template = feedbackTemplate(pitfall, drifted);
    if (template && (submitted || pitfall.id === 'dr-reading')) {
      feedback.push(
        fillMessage(template, pitfall, { fix, field: what ?? '', pages: `${input.pagesRead} of ${e.pages}`, sections: keySectionsText(e) }),
      );
    }
  }
  for (const f of fields)
    if (!f.passed && !explained.has(f.id))
      feedback.push(`Reviewer (QA lead): ${f.id.slice('field:'.length)} does not match the file (${f.detail ?? 'wrong'}).`);

  const blocking = checks.filter(
    (c) => c.id.startsWith('pitfall:') && !c.passed && pitfalls.find((p) => `pitfall:${p.id}` === c.id)?.blocking !== false,
  );
  const success = submitted && fields.every((f) => f.passed) && blocking.length === 0;
  const passed = checks.filter((c) => c.passed).length;
  return { success, score: passed / checks.length, feedback, checks, reviewHits };
}

function keySectionsText(e: ReviewExpected): string {
  const titles = e.key_sections.map((t) => `"${t}"`);
  return titles.length > 1 ? `${titles.slice(0, -1).join(', ')} and ${titles.at(-1)}` : titles.join('');
}
