// Generates the doc-review suite's data from a fixed seed: data/documents/<family>/<task>.txt (long,
// clearly synthetic medical records and insurance claim files, paginated, with a document index on
// page 1) and data/tasks/<family>.yaml (the review tasks with the known facts). families.yaml and
// pitfalls.yaml are written by hand. The output is committed and is the source of truth; re-running
// with the same seed rewrites it identically.
//
//   npm run build:dev && node dist-dev/tasks/doc-review/generate-docs.js [--out <data dir>]

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sourcePath } from '../../harness/core/paths.js';
import { rngFrom, shuffled, type Rng } from '../../harness/core/rng.js';
import type { TaskEntry } from '../_triage/data.js';
import { clearGenerated, generatedHeader, whenRunAsScript, writeTaskFile } from '../_triage/generate.js';

export const SEED = 'doc-review/v1';
const LINES_PER_PAGE = 30;
const WIDTH = 92;
export const BANNER = 'SYNTHETIC RECORD — FICTIONAL DATA GENERATED FOR TESTING, NOT A REAL PERSON';

const int = (rng: Rng, lo: number, hi: number): number => lo + rng.int(hi - lo + 1);
const pick = <T>(rng: Rng, items: readonly T[]): T => rng.pick(items);
const sample = <T>(rng: Rng, items: readonly T[], n: number): T[] => shuffled(items, rng).slice(0, n);

// ---------------------------------------------------------------------------------------------
// Dates

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const iso = (d: Date): string => d.toISOString().slice(0, 10);
const addDays = (d: Date, n: number): Date => new Date(d.getTime() + n * 86_400_000);
const dd = (n: number): string => String(n).padStart(2, '0');
/** `Mar 04, 2025` (the hospital's EHR). */
const usShort = (d: Date): string => `${MONTHS[d.getUTCMonth()]!.slice(0, 3)} ${dd(d.getUTCDate())}, ${d.getUTCFullYear()}`;
/** `March 9, 2025` (the US insurer). */
const usLong = (d: Date): string => `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()}`;
/** `04/03/2025`: day first (the Spanish clinic and the UK insurer). */
const dayFirst = (d: Date): string => `${dd(d.getUTCDate())}/${dd(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}`;
/** The date a month-first reader would take a day-first date for (undefined when unambiguous or the same). */
export function swappedIso(isoDate: string): string | undefined {
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number];
  if (d > 12 || d === m) return undefined;
  return `${y}-${dd(d)}-${dd(m)}`;
}

function dateIn(rng: Rng, from: string, days: number, ambiguous?: boolean): Date {
  for (;;) {
    const d = addDays(new Date(`${from}T00:00:00Z`), rng.int(days));
    const day = d.getUTCDate();
    const month = d.getUTCMonth() + 1;
    if (ambiguous === undefined) return d;
    if (ambiguous && day <= 12 && day !== month) return d;
    if (!ambiguous && day > 12) return d;
  }
}

// ---------------------------------------------------------------------------------------------
// People and prose (all fictional)

const FIRST = [
  'Marlow',
  'Ines',
  'Tobias',
  'Rosalind',
  'Emeka',
  'Linnea',
  'Caspian',
  'Odile',
  'Anselm',
  'Priya',
  'Joaquin',
  'Mireille',
  'Thaddeus',
  'Saoirse',
  'Bartholomew',
  'Yevgenia',
  'Cosmo',
  'Wilhelmina',
  'Ravi',
  'Ottoline',
];
const LAST = [
  'Quince',
  'Ashgrove',
  'Veldhuis',
  'Pennyworth',
  'Okonkwo-Hale',
  'Strandberg',
  'Marchetti-Lowe',
  'Brightwater',
  'Kessington',
  'Dunmore',
  'Ferreira-Nash',
  'Holloway-Pike',
  'Lindqvist',
  'Abernethy',
  'Castellanos-Reid',
  'Thornbury',
];
const CLINICIANS = [
  'Dr. A. Whitcombe',
  'Dr. L. Oyelaran',
  'Dr. S. Narang',
  'Dr. H. Baptiste',
  'Dr. M. Kowalczyk',
  'Dr. R. Iyer',
  'Dr. E. Sandoval',
  'Dr. T. Achterberg',
];
const NURSES = ['RN J. Mbeki', 'RN C. Dalton', 'RN P. Sørensen', 'RN D. Farouk', 'RN G. Whitley'];

function wrap(text: string): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + word.length + 1 > WIDTH) {
      out.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(line);
  return out;
}

const OBS = [
  'Patient resting comfortably, afebrile overnight, tolerating oral intake.',
  'Vital signs stable; ambulated in the corridor with a physiotherapist without desaturation.',
  'Reports mild fatigue; no chest pain, no new shortness of breath, bowels open.',
  'Intravenous line site clean and dry; no erythema; line flushed per protocol.',
  'Mobilising independently to the bathroom; falls risk reassessed and unchanged.',
  'Appetite improving; dietitian reviewed and recommended oral supplements twice daily.',
  'Slept poorly because of ward noise; declined sedation; reassured.',
  'Family visited; questions about discharge planning answered and documented.',
  'Blood glucose within target range on the current regimen; no hypoglycaemic episodes.',
  'Chest clear on auscultation at the bases; oxygen weaned to room air.',
  'Pain controlled on scheduled oral analgesia; score 2 out of 10 at rest.',
  'Skin intact; pressure areas checked and documented; repositioned every four hours overnight.',
];

function prose(rng: Rng, sentences: number): string[] {
  return wrap(Array.from({ length: sentences }, () => pick(rng, OBS)).join(' '));
}

// ---------------------------------------------------------------------------------------------
// Pagination

interface Section {
  title: string;
  lines: string[];
}

export interface Paginated {
  pages: string[];
  index: Array<{ title: string; from: number; to: number }>;
}

function paginate(header: string, face: string[], sections: Section[]): Paginated {
  const bodies: Array<{ title: string; chunks: string[][] }> = sections.map((s) => {
    const chunks: string[][] = [];
    for (let i = 0; i < s.lines.length; i += LINES_PER_PAGE) chunks.push(s.lines.slice(i, i + LINES_PER_PAGE));
    if (chunks.length === 0) chunks.push(['(no entries)']);
    return { title: s.title, chunks };
  });
  const index: Paginated['index'] = [];
  let next = 2;
  for (const b of bodies) {
    index.push({ title: b.title, from: next, to: next + b.chunks.length - 1 });
    next += b.chunks.length;
  }
  const total = next - 1;
  const head = (n: number): string[] => [header, BANNER, `Page ${n} of ${total}`, '─'.repeat(WIDTH)];
  const width = Math.max(...index.map((x) => x.title.length)) + 8;
  const indexLines = index.map(
    (x) => `  ${x.title} ${'.'.repeat(Math.max(2, width - x.title.length))} ${x.from === x.to ? x.from : `${x.from}-${x.to}`}`,
  );
  const pages = [[...head(1), ...face, '', 'DOCUMENT INDEX', ...indexLines].join('\n')];
  bodies.forEach((b) => {
    b.chunks.forEach((chunk, i) =>
      pages.push([...head(pages.length + 1), `== ${b.title}${i > 0 ? ' (continued)' : ''} ==`, ...chunk].join('\n')),
    );
  });
  return { pages, index };
}

// ---------------------------------------------------------------------------------------------
// Medical content

interface Drug {
  name: string;
  /** Dose as written in the record, and in mg. */
  written: string;
  mg: number;
  route: string;
  freq: string;
  /** Written in a unit other than mg. */
  unit: boolean;
}

const DRUGS: Drug[] = [
  { name: 'Metformin', written: '500 mg', mg: 500, route: 'oral', freq: 'twice daily', unit: false },
  { name: 'Metformin', written: '0.5 g', mg: 500, route: 'oral', freq: 'twice daily', unit: true },
  { name: 'Lisinopril', written: '10 mg', mg: 10, route: 'oral', freq: 'once daily', unit: false },
  { name: 'Atorvastatin', written: '40 mg', mg: 40, route: 'oral', freq: 'at night', unit: false },
  { name: 'Levothyroxine', written: '88 mcg', mg: 0.088, route: 'oral', freq: 'once daily before breakfast', unit: true },
  { name: 'Amoxicillin-clavulanate', written: '875 mg', mg: 875, route: 'oral', freq: 'twice daily for 5 days', unit: false },
  { name: 'Furosemide', written: '40 mg', mg: 40, route: 'oral', freq: 'once daily', unit: false },
  { name: 'Apixaban', written: '5 mg', mg: 5, route: 'oral', freq: 'twice daily', unit: false },
  { name: 'Metoprolol succinate', written: '50 mg', mg: 50, route: 'oral', freq: 'once daily', unit: false },
  { name: 'Pantoprazole', written: '40 mg', mg: 40, route: 'oral', freq: 'once daily', unit: false },
  { name: 'Sertraline', written: '50 mg', mg: 50, route: 'oral', freq: 'once daily', unit: false },
  { name: 'Amlodipine', written: '5 mg', mg: 5, route: 'oral', freq: 'once daily', unit: false },
  { name: 'Paracetamol', written: '1 g', mg: 1000, route: 'oral', freq: 'every 6 hours as needed', unit: true },
  { name: 'Cyanocobalamin', written: '1000 mcg', mg: 1, route: 'oral', freq: 'once daily', unit: true },
  { name: 'Ferrous sulfate', written: '325 mg', mg: 325, route: 'oral', freq: 'once daily', unit: false },
  { name: 'Prednisolone', written: '30 mg', mg: 30, route: 'oral', freq: 'once daily for 5 days', unit: false },
  { name: 'Tiotropium', written: '18 mcg', mg: 0.018, route: 'inhaled', freq: 'once daily', unit: true },
  { name: 'Ceftriaxone', written: '1 g', mg: 1000, route: 'intravenous', freq: 'once daily', unit: true },
  { name: 'Colecalciferol', written: '0.025 mg', mg: 0.025, route: 'oral', freq: 'once daily', unit: false },
  { name: 'Bisoprolol', written: '2.5 mg', mg: 2.5, route: 'oral', freq: 'once daily', unit: false },
];

const PRINCIPAL: Array<[string, string, string]> = [
  ['Community-acquired pneumonia', 'J18.9', 'Aspiration pneumonia (J69.0)'],
  ['Acute pyelonephritis', 'N10', 'Urosepsis due to Escherichia coli (A41.51)'],
  ['Cellulitis of left lower leg', 'L03.116', 'Necrotising soft tissue infection of left lower leg (M72.6)'],
  ['COPD with acute exacerbation', 'J44.1', 'COPD with acute lower respiratory infection (J44.0)'],
  ['Acute on chronic systolic heart failure', 'I50.23', 'Acute on chronic diastolic heart failure (I50.33)'],
  ['Acute pancreatitis', 'K85.90', 'Alcohol-induced acute pancreatitis (K85.20)'],
  ['Upper gastrointestinal bleed', 'K92.2', 'Bleeding duodenal ulcer (K26.4)'],
  ['Atrial fibrillation with rapid ventricular response', 'I48.91', 'Atrial flutter with rapid ventricular response (I48.92)'],
];
const SECONDARY = [
  'Type 2 diabetes mellitus (E11.9)',
  'Essential hypertension (I10)',
  'Chronic kidney disease stage 3a (N18.31)',
  'Hyperlipidaemia (E78.5)',
  'Hypothyroidism (E03.9)',
  'Gastro-oesophageal reflux disease (K21.9)',
  'Iron deficiency anaemia (D50.9)',
  'Major depressive disorder, recurrent (F33.1)',
  'Osteoarthritis of right knee (M17.11)',
];
const ALLERGENS: Array<[string, string]> = [
  ['Penicillin', 'hives'],
  ['Sulfonamides', 'rash'],
  ['Codeine', 'nausea and vomiting'],
  ['Latex', 'contact dermatitis'],
  ['Iodinated contrast', 'urticaria'],
  ['Aspirin', 'bronchospasm'],
];
const OPEN_ISSUES = [
  'Blood cultures pending at discharge',
  'Repeat basic metabolic panel in one week',
  'Outpatient echocardiogram to be scheduled',
  'Final report of CT chest outstanding',
  'Pulmonary function tests after recovery',
  'Colonoscopy referral for iron deficiency',
  'Thyroid function tests in six weeks',
  'Pneumococcal vaccination due',
];
const CLINIC_PROBLEMS = [
  'Type 2 diabetes mellitus',
  'Essential hypertension',
  'Hypothyroidism',
  'Mild persistent asthma',
  'Chronic low back pain',
  'Gastro-oesophageal reflux disease',
  'Migraine without aura',
  'Vitamin D deficiency',
  'Hyperlipidaemia',
];
const CLINIC_ISSUES = [
  'HbA1c result pending',
  'Referral to ophthalmology for retinal screening',
  'Repeat lipid panel before next review',
  'Spirometry to be booked',
  'Physiotherapy referral sent',
  'Thyroid function tests before next review',
  'Bone density scan requested',
];

const stripCode = (dx: string): string => dx.replace(/\s*\([A-Z]\d[\w.]*\)$/, '');

function medTable(drugs: Drug[], withAction?: (d: Drug) => string): string[] {
  const head = withAction ? '| Drug | Dose | Route | Frequency | Action |' : '| Drug | Dose | Route | Frequency |';
  return [
    head,
    withAction ? '| --- | --- | --- | --- | --- |' : '| --- | --- | --- | --- |',
    ...drugs.map((d) => `| ${d.name} | ${d.written} | ${d.route} | ${d.freq} |${withAction ? ` ${withAction(d)} |` : ''}`),
  ];
}

function pickDrugs(rng: Rng, n: number, unit: boolean): Drug[] {
  for (;;) {
    const picked = sample(rng, DRUGS, n);
    if (new Set(picked.map((d) => d.name)).size !== picked.length) continue;
    if (unit === picked.some((d) => d.unit)) return picked;
  }
}

function noise(rng: Rng, title: string, pages: number, kind: 'notes' | 'labs' | 'letters' | 'estimates' | 'log'): Section {
  const lines: string[] = [];
  const target = pages * LINES_PER_PAGE - int(rng, 0, 8);
  let day = int(rng, 1, 5);
  while (lines.length < target) {
    switch (kind) {
      case 'notes':
        lines.push(
          `${pick(rng, ['08:10', '11:45', '14:30', '19:05', '22:40', '03:15'])} Day ${day} — ${pick(rng, [...CLINICIANS, ...NURSES])}`,
          ...prose(rng, int(rng, 2, 4)),
          '',
        );
        if (rng.chance(0.3)) day++;
        break;
      case 'labs':
        lines.push(
          `Day ${day} ${pick(rng, ['06:00', '12:00', '18:00'])}  Na ${int(rng, 132, 144)}  K ${int(rng, 34, 51) / 10}  Cr ${int(rng, 60, 160)} µmol/L  Hb ${int(rng, 95, 150)} g/L  WCC ${int(rng, 40, 180) / 10}  CRP ${int(rng, 2, 240)}`,
        );
        if (rng.chance(0.4)) day++;
        break;
      case 'letters':
        lines.push(
          `${pick(rng, ['Letter to', 'Email from', 'Call with', 'Note to file re'])} ${pick(rng, ['the family doctor', 'the pharmacy', 'the patient', 'the referring clinic', 'the home-care team'])} (day ${day})`,
          ...wrap(
            pick(rng, [
              'Discussed the plan and the next appointment; no concerns raised.',
              'Requested copies of previous results; received and filed.',
              'Confirmed transport arrangements and the contact number for questions.',
              'Forwarded the imaging report for information; no action required.',
            ]),
          ),
          '',
        );
        day++;
        break;
      case 'estimates':
        lines.push(
          `| ${pick(rng, ['Front bumper cover', 'Headlamp assembly', 'Bonnet', 'Wing panel', 'Door shell', 'Radiator support', 'Paint and materials', 'Labour (body)', 'Labour (refinish)', 'Kitchen units', 'Flooring (laminate)', 'Plastering', 'Electrical rewiring', 'Carpet'])} | ${int(rng, 1, 6)} | ${int(rng, 40, 1900)}.${dd(int(rng, 0, 99))} |`,
        );
        break;
      case 'log':
        lines.push(
          `${dd(int(rng, 1, 28))}/${dd(int(rng, 1, 12))} ${pick(rng, ['09:12', '10:40', '13:05', '15:55', '16:30'])}  ${pick(rng, ['Outbound call to insured: voicemail left.', 'Inbound email: insured asked for an update.', 'Document received and indexed.', 'Task reassigned to the claims handler.', 'Diary note: awaiting third-party response.', 'Payment system check: no duplicate claims found.', 'Photographs received (12 images) and filed.'])}`,
        );
        break;
    }
  }
  return { title, lines: lines.slice(0, target) };
}

// ---------------------------------------------------------------------------------------------
// Families

/** A task as its task file holds it, with its document (written to data/documents, not to the task file). */
export interface TaskSpec extends TaskEntry<Record<string, unknown>> {
  /** Where the document goes under data/documents, and its text. */
  document: string;
  text: string;
}

interface MedicalTraits {
  medAppendix: boolean;
  nkda: boolean;
  amendment: boolean;
  doseUnit: boolean;
  dayFirst: boolean;
}

function medicalTraitPlan(rng: Rng, n: number, dayFirstFamily: boolean): MedicalTraits[] {
  const review: Array<Array<'medAppendix' | 'nkda' | 'amendment' | 'dayFirst'>> = [
    [],
    [],
    [],
    [],
    ['medAppendix'],
    ['nkda'],
    ['amendment'],
    ['medAppendix', 'nkda'],
    ['amendment', 'medAppendix'],
    ['nkda', 'amendment'],
  ];
  if (dayFirstFamily) {
    review[3] = ['dayFirst'];
    review[4] = ['medAppendix', 'dayFirst'];
    review[9] = ['nkda', 'dayFirst'];
  }
  return shuffled(review.slice(0, n), rng).map((t, i) => ({
    medAppendix: t.includes('medAppendix'),
    nkda: t.includes('nkda'),
    amendment: t.includes('amendment'),
    dayFirst: t.includes('dayFirst'),
    doseUnit: i % 5 !== 1 && i % 5 !== 3,
  }));
}

function discharge(rng: Rng, index: number, traits: MedicalTraits): TaskSpec {
  const id = `dr-discharge-${dd(index + 1)}`;
  const name = `${pick(rng, LAST)}, ${pick(rng, FIRST)}`;
  const mrn = `RGH-${String(int(rng, 100000, 9999999)).padStart(7, '0')}`;
  const admit = dateIn(rng, '2025-02-03', 50);
  const discharged = addDays(admit, int(rng, 3, 9));
  const followUp = addDays(discharged, int(rng, 7, 21));
  const [principal, code, amended] = pick(rng, PRINCIPAL);
  const secondary = sample(rng, SECONDARY, int(rng, 2, 3));
  const attending = pick(rng, CLINICIANS);
  const clinic = pick(rng, [
    'Cardiology clinic',
    'Respiratory clinic',
    'General medicine clinic',
    'Diabetes clinic',
    'Gastroenterology clinic',
  ]);
  // Allergies.
  const allergies = traits.nkda ? [] : sample(rng, ALLERGENS, int(rng, 1, 2));
  // Amendment: what it corrects.
  const amendKind = traits.amendment ? (traits.nkda ? 'allergy' : pick(rng, ['diagnosis', 'allergy', 'follow_up'] as const)) : undefined;
  const addedAllergy =
    amendKind === 'allergy'
      ? pick(
          rng,
          ALLERGENS.filter((a) => !allergies.includes(a)),
        )
      : undefined;
  const followUpFinal = amendKind === 'follow_up' ? addDays(followUp, int(rng, 3, 10)) : followUp;
  // Medications: the discharge reconciliation is the truth; the body list is what was taken on admission.
  const meds = pickDrugs(rng, int(rng, 4, 6), traits.doseUnit);
  let body = meds.slice();
  const stopped: Drug[] = [];
  const actions = new Map<Drug, string>(meds.map((d) => [d, 'continue']));
  if (traits.medAppendix) {
    const newOne = meds[meds.length - 1]!;
    actions.set(newOne, 'new');
    body = meds.slice(0, -1);
    const stop = pick(
      rng,
      DRUGS.filter((d) => !meds.some((m) => m.name === d.name) && d.unit === false),
    );
    stopped.push(stop);
    body.push(stop);
  }
  const openIssues = sample(rng, OPEN_ISSUES, int(rng, 2, 3));
  const principalText = `${principal} (${code})`;

  const face = [
    'FACE SHEET — RIVERSIDE GENERAL HOSPITAL, INPATIENT DISCHARGE FILE',
    `Patient: ${name} (synthetic)`,
    `MRN: ${mrn}`,
    `Date of birth: ${usShort(dateIn(rng, '1941-01-01', 20000))}    Sex: ${pick(rng, ['F', 'M'])}`,
    `Admitted: ${usShort(admit)} ${dd(int(rng, 0, 23))}:${dd(int(rng, 0, 59))}`,
    `Discharged: ${usShort(discharged)} ${dd(int(rng, 9, 17))}:${dd(int(rng, 0, 59))}`,
    `Attending: ${attending}    Unit: ${pick(rng, ['4 West', '5 North', 'Medical Short Stay', '6 East'])}`,
  ];
  const summary: string[] = [
    `Principal diagnosis: ${principalText}`,
    'Secondary diagnoses:',
    ...secondary.map((s) => `- ${s}`),
    `Allergies: ${allergies.length ? allergies.map(([a, r]) => `${a} (${r})`).join('; ') : 'NKDA'}`,
    '',
    'Hospital course summary:',
    ...wrap(
      `Admitted with ${principal.toLowerCase()}. Treated according to the unit's pathway with good clinical response. ${pick(rng, OBS)} ${pick(rng, OBS)} Discharged home in stable condition with the medications reconciled by pharmacy.`,
    ),
    '',
    'Open issues at discharge:',
    ...openIssues.map((o) => `- ${o}`),
    '',
    `Follow-up: ${clinic} on ${usShort(followUp)}`,
    `Discharging clinician: ${attending}`,
  ];
  const amendments: string[] = [];
  if (amendKind === 'diagnosis')
    amendments.push(
      `AMENDMENT ${usShort(addDays(discharged, 2))} (${attending}): Principal diagnosis corrected to: ${amended} (was: ${principalText}).`,
    );
  if (amendKind === 'allergy')
    amendments.push(`AMENDMENT ${usShort(addDays(discharged, 1))} (pharmacy): Allergy added: ${addedAllergy![0]} (${addedAllergy![1]}).`);
  if (amendKind === 'follow_up')
    amendments.push(
      `AMENDMENT ${usShort(addDays(discharged, 1))} (clinic booking): Follow-up date corrected to: ${usShort(followUpFinal)} (was: ${usShort(followUp)}).`,
    );
  amendments.push(`ADDENDUM ${usShort(addDays(discharged, 3))} (records office): Scanned consent forms attached; no change to the record.`);

  const sections: Section[] = [
    { title: 'Discharge summary', lines: summary },
    { title: 'History and physical', lines: [...prose(rng, 14), '', `Examination: ${pick(rng, OBS)}`, ...prose(rng, 10)] },
    noise(rng, 'Hospital course — progress notes', int(rng, 3, 6), 'notes'),
    noise(rng, 'Nursing notes', int(rng, 3, 6), 'notes'),
    noise(rng, 'Laboratory results', int(rng, 2, 3), 'labs'),
    {
      title: 'Imaging reports',
      lines: [
        ...wrap(
          `Chest radiograph (${usShort(admit)}): ${pick(rng, ['right lower lobe consolidation', 'no focal consolidation', 'small bilateral effusions', 'hyperinflated lung fields'])}.`,
        ),
        ...prose(rng, 6),
      ],
    },
    { title: 'Medications', lines: ['Medication list as recorded at admission (home medications).', '', ...medTable(body)] },
    noise(rng, 'Appendix A — Laboratory flowsheet', int(rng, 1, 3), 'labs'),
    {
      title: 'Appendix B — Medication reconciliation at discharge',
      lines: [
        'Reconciled by pharmacy on the day of discharge. Medications marked stop are discontinued.',
        '',
        ...medTable([...meds, ...stopped], (d) => (stopped.includes(d) ? 'stop' : actions.get(d)!)),
      ],
    },
    { title: 'Addenda', lines: amendments.flatMap((a) => [...wrap(a), '']) },
  ];
  const paged = paginate(`RIVERSIDE GENERAL HOSPITAL · Discharge file · MRN ${mrn}`, face, sections);
  const key = ['Discharge summary', 'Appendix B — Medication reconciliation at discharge', 'Addenda'];
  const finalDiagnoses = [amendKind === 'diagnosis' ? stripCode(amended) : principal, ...secondary.map(stripCode)];
  const finalAllergies = [...allergies.map(([a]) => a), ...(addedAllergy ? [addedAllergy[0]] : [])];
  const pitfalls = [
    'dr-reading',
    'dr-iso-dates',
    ...(traits.doseUnit ? ['dr-dose-mg'] : []),
    ...(traits.medAppendix ? ['dr-med-appendix'] : []),
    ...(traits.nkda && !addedAllergy ? ['dr-nkda'] : []),
    ...(traits.amendment ? ['dr-amendment'] : []),
  ];
  return {
    id,
    family: 'discharge-summary',
    title: `Discharge file: ${name} (${principal.toLowerCase()})`,
    prompt: medicalPrompt(
      'the inpatient discharge file of a Riverside General Hospital patient',
      paged.pages.length,
      ['admission', 'discharge', 'follow_up'],
      'the discharge diagnoses, principal first',
      'the discharge medications',
    ),
    files: {},
    pitfalls,
    rubric: medicalRubric('discharge'),
    document: `discharge-summary/${id}.txt`,
    text: docText(paged.pages),
    expected: {
      kind: 'medical',
      document: `discharge-summary/${id}.txt`,
      pages: paged.pages.length,
      key_sections: key,
      page_budget: pageBudget(paged, key),
      facts: {
        patient_id: mrn,
        diagnoses: finalDiagnoses,
        medications: meds.map((d) => ({ name: d.name, dose_mg: d.mg })),
        allergies: finalAllergies.length ? finalAllergies : ['No known drug allergies'],
        open_issues: openIssues,
        dates: { admission: iso(admit), discharge: iso(discharged), follow_up: iso(followUpFinal) },
      },
      traps: {
        ...(amendKind === 'diagnosis' ? { superseded_diagnoses: [principal] } : {}),
        ...(amendKind === 'follow_up' ? { original_dates: { follow_up: iso(followUp) } } : {}),
        ...(amendKind === 'allergy' ? { amended_allergies: [addedAllergy![0]] } : {}),
        ...(traits.medAppendix
          ? { stopped_medications: stopped.map((d) => d.name), body_only_missing: [meds[meds.length - 1]!.name] }
          : {}),
        ...(traits.nkda && !addedAllergy ? { nkda: true } : {}),
      },
    },
  };
}

function clinicRecord(rng: Rng, index: number, traits: MedicalTraits): TaskSpec {
  const id = `dr-clinic-${dd(index + 1)}`;
  const name = `${pick(rng, LAST)}, ${pick(rng, FIRST)}`;
  const nhc = `CSL-${int(rng, 100000, 999999)}`;
  const ambiguous = traits.dayFirst;
  const first = dateIn(rng, '2023-09-01', 300, ambiguous ? undefined : false);
  const last = dateIn(rng, '2025-01-06', 60, !!ambiguous);
  const next = dateIn(rng, '2025-04-01', 80, !!ambiguous);
  const problems = sample(rng, CLINIC_PROBLEMS, int(rng, 3, 4));
  const allergies = traits.nkda ? [] : sample(rng, ALLERGENS, int(rng, 1, 2));
  const amendKind = traits.amendment ? (traits.nkda ? 'allergy' : pick(rng, ['allergy', 'next_review'] as const)) : undefined;
  const addedAllergy =
    amendKind === 'allergy'
      ? pick(
          rng,
          ALLERGENS.filter((a) => !allergies.includes(a)),
        )
      : undefined;
  const nextFinal = amendKind === 'next_review' ? dateIn(rng, iso(addDays(next, 5)), 30, !!ambiguous) : next;
  const meds = pickDrugs(rng, int(rng, 3, 5), traits.doseUnit);
  let firstVisitMeds = meds.slice();
  const stopped: Drug[] = [];
  if (traits.medAppendix) {
    firstVisitMeds = meds.slice(0, -1);
    const stop = pick(
      rng,
      DRUGS.filter((d) => !meds.some((m) => m.name === d.name) && d.unit === false),
    );
    stopped.push(stop);
    firstVisitMeds.push(stop);
  }
  const issues = sample(rng, CLINIC_ISSUES, int(rng, 2, 3));
  const gp = pick(rng, CLINICIANS);
  const face = [
    'FACE SHEET — CLÍNICA SANTA LUCÍA, VALENCIA · OUTPATIENT RECORD (ENGLISH TRANSLATION)',
    `Patient: ${name} (synthetic)`,
    `Record no. (NHC): ${nhc}`,
    `Date of birth: ${dayFirst(dateIn(rng, '1950-01-01', 18000))}    Sex: ${pick(rng, ['F', 'M'])}`,
    `First visit: ${dayFirst(first)}`,
    `Last visit: ${dayFirst(last)}`,
    `Allergies / Alergias: ${allergies.length ? allergies.map(([a, r]) => `${a} (${r})`).join('; ') : 'NKDA'}`,
    `Family doctor: ${gp}`,
  ];
  const visits: string[] = [];
  let d = first;
  while (visits.length < int(rng, 120, 190)) {
    visits.push(`Visit ${dayFirst(d)} — ${gp}`, ...prose(rng, int(rng, 2, 4)), '');
    d = addDays(d, int(rng, 20, 70));
  }
  const amendments: string[] = [];
  if (amendKind === 'allergy')
    amendments.push(`AMENDMENT ${dayFirst(addDays(last, 3))} (${gp}): Allergy added: ${addedAllergy![0]} (${addedAllergy![1]}).`);
  if (amendKind === 'next_review')
    amendments.push(
      `AMENDMENT ${dayFirst(addDays(last, 2))} (reception): Next review date corrected to: ${dayFirst(nextFinal)} (was: ${dayFirst(next)}).`,
    );
  amendments.push(
    `ADDENDUM ${dayFirst(addDays(last, 4))} (records): Translation of the referral letters checked; no change to the record.`,
  );
  const sections: Section[] = [
    {
      title: 'Clinical summary',
      lines: [
        'Active problems:',
        ...problems.map((p) => `- ${p}`),
        '',
        'Open issues:',
        ...issues.map((o) => `- ${o}`),
        '',
        `Next review: ${dayFirst(next)}`,
        '',
        ...prose(rng, 4),
      ],
    },
    {
      title: 'Treatment at first visit',
      lines: [`Treatment recorded at the first visit (${dayFirst(first)}).`, '', ...medTable(firstVisitMeds)],
    },
    { title: 'Visit notes', lines: visits },
    noise(rng, 'Laboratory', int(rng, 2, 3), 'labs'),
    noise(rng, 'Referral letters', int(rng, 1, 3), 'letters'),
    {
      title: 'Appendix 1 — Current medication list',
      lines: [`Current treatment as of the last visit (${dayFirst(last)}).`, '', ...medTable(meds)],
    },
    noise(rng, 'Appendix 2 — Vaccination record', 1, 'log'),
    { title: 'Amendments', lines: amendments.flatMap((a) => [...wrap(a), '']) },
  ];
  const paged = paginate(`CLÍNICA SANTA LUCÍA · Outpatient record · NHC ${nhc}`, face, sections);
  const key = ['Clinical summary', 'Appendix 1 — Current medication list', 'Amendments'];
  const finalAllergies = [...allergies.map(([a]) => a), ...(addedAllergy ? [addedAllergy[0]] : [])];
  const dates = { first_visit: iso(first), last_visit: iso(last), next_review: iso(nextFinal) };
  const swapped = Object.fromEntries(Object.entries(dates).flatMap(([k, v]) => (swappedIso(v) ? [[k, swappedIso(v)!]] : [])));
  const pitfalls = [
    'dr-reading',
    'dr-iso-dates',
    ...(traits.doseUnit ? ['dr-dose-mg'] : []),
    ...(traits.medAppendix ? ['dr-med-appendix'] : []),
    ...(traits.nkda && !addedAllergy ? ['dr-nkda'] : []),
    ...(Object.keys(swapped).length ? ['dr-day-first'] : []),
    ...(traits.amendment ? ['dr-amendment'] : []),
  ];
  return {
    id,
    family: 'clinic-record',
    title: `Clinic record: ${name} (${problems[0]!.toLowerCase()})`,
    prompt: medicalPrompt(
      'the outpatient record of a patient of Clínica Santa Lucía in Valencia (an English translation)',
      paged.pages.length,
      ['first_visit', 'last_visit', 'next_review'],
      'the active problems',
      'the current medications',
    ),
    files: {},
    pitfalls,
    rubric: medicalRubric('clinic'),
    document: `clinic-record/${id}.txt`,
    text: docText(paged.pages),
    expected: {
      kind: 'medical',
      document: `clinic-record/${id}.txt`,
      pages: paged.pages.length,
      key_sections: key,
      page_budget: pageBudget(paged, key),
      facts: {
        patient_id: nhc,
        diagnoses: problems,
        medications: meds.map((m) => ({ name: m.name, dose_mg: m.mg })),
        allergies: finalAllergies.length ? finalAllergies : ['No known drug allergies'],
        open_issues: issues,
        dates,
      },
      traps: {
        ...(amendKind === 'next_review' ? { original_dates: { next_review: iso(next) } } : {}),
        ...(amendKind === 'allergy' ? { amended_allergies: [addedAllergy![0]] } : {}),
        ...(traits.medAppendix
          ? { stopped_medications: stopped.map((x) => x.name), body_only_missing: [meds[meds.length - 1]!.name] }
          : {}),
        ...(traits.nkda && !addedAllergy ? { nkda: true } : {}),
        ...(Object.keys(swapped).length ? { swapped_dates: swapped } : {}),
      },
    },
  };
}

function medicalPrompt(what: string, pages: number, dates: string[], diagnoses: string, medications: string): string {
  return `Review ${what} (${pages} pages) and submit a structured summary for the clinical handoff with submit_summary.

The summary gives:
- patient_id: the patient's record number
- diagnoses: ${diagnoses}
- medications: ${medications}, each with name, dose and frequency
- allergies: the patient's drug allergies
- open_issues: what is still open (pending results, referrals, tests to book)
- dates: ${dates.join(', ')}

Read it with read_document (a page by number, or a section by its title) and search_document. The file is the current record, addenda included.`;
}

function medicalRubric(kind: 'discharge' | 'clinic'): string[] {
  return [
    'Gives the record number exactly as the file does.',
    kind === 'discharge' ? 'Lists the discharge diagnoses, principal first, as finally recorded.' : 'Lists the active problems.',
    'Lists the medications the patient is on now, each with a dose in milligrams and a frequency; no discontinued drug.',
    'States the drug allergies as the team writes them.',
    'Lists every open issue.',
    'Gives the dates the task asks for, correctly read and in ISO 8601.',
  ];
}

interface ClaimTraits {
  lossDate: boolean;
  amendment: boolean;
  dayFirst: boolean;
}

const AUTO_FLAGS = [
  'Loss reported more than 72 hours after it occurred',
  'Policy incepted less than 30 days before the loss',
  'Claimant has 3 or more claims in 24 months',
  'Repair estimate from a shop not on the approved list',
  'Driver and witness accounts of the incident differ',
  'Damage inconsistent with the described collision',
  'No police report for a collision with injuries',
  'Claimant reluctant to give witness contact details',
];
const PROPERTY_FLAGS = [
  'Loss notified more than 30 days after it occurred',
  'Cover taken out or increased less than 60 days before the loss',
  'Items over £1,000 claimed without receipts',
  'Previous similar claim at the same address',
  "Dates differ between the loss report and the surveyor's report",
  'Contractor invoice from a company with no trading history',
  'Property unoccupied for more than 30 days before the loss',
];

function claimFile(rng: Rng, index: number, traits: ClaimTraits, uk: boolean): TaskSpec {
  const family = uk ? 'property-claim' : 'auto-claim';
  const id = `dr-${uk ? 'property' : 'auto'}-${dd(index + 1)}`;
  const name = `${pick(rng, FIRST)} ${pick(rng, LAST)}`;
  const claimNo = uk ? `TG-CL-${int(rng, 100000, 999999)}` : `HM-2025-${String(int(rng, 1000, 999999)).padStart(6, '0')}`;
  const shortPolicy = uk ? `THG-HH-${int(rng, 100000, 999999)}` : `PA-${int(rng, 1000, 9999)}-${int(rng, 1000, 9999)}`;
  const term = dd(int(rng, 1, 9));
  const fullPolicy = uk ? `${shortPolicy}/${term}` : `${shortPolicy}-${term}`;
  const loss = dateIn(rng, '2025-01-06', 70, uk ? !!traits.dayFirst : undefined);
  const reported = traits.lossDate ? addDays(loss, int(rng, 2, 12)) : loss;
  const fmt = uk ? dayFirst : usLong;
  const money = (n: number): string =>
    `${uk ? '£' : '$'}${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
  let decision = pick(rng, ['covered', 'covered', 'partial', 'denied'] as const);
  let amount = decision === 'denied' ? 0 : int(rng, 800, 24000) + int(rng, 0, 99) / 100;
  const original = { decision, amount };
  const flagsPool = uk ? PROPERTY_FLAGS : AUTO_FLAGS;
  const flags = sample(rng, flagsPool, int(rng, 1, 3));
  const handler = pick(rng, CLINICIANS).replace('Dr. ', '');
  const amendKind = traits.amendment ? (decision === 'denied' ? 'decision' : pick(rng, ['decision', 'amount'] as const)) : undefined;
  const amendments: string[] = [];
  if (amendKind === 'decision') {
    const revised = decision === 'partial' ? 'covered' : 'partial';
    const newAmount =
      decision === 'denied'
        ? int(rng, 800, 9000) + int(rng, 0, 99) / 100
        : Math.round(amount * (revised === 'partial' ? 0.6 : 1.25) * 100) / 100;
    amendments.push(
      `SUPPLEMENTARY DECISION ${fmt(addDays(reported, 30))} (${handler}): Decision revised to: ${revised} (was: ${decision}). Amount approved revised to: ${money(newAmount)} (was: ${money(amount)}). This decision supersedes the earlier one.`,
    );
    decision = revised;
    amount = newAmount;
  } else if (amendKind === 'amount') {
    const newAmount = Math.round(amount * pick(rng, [0.8, 0.9, 1.1]) * 100) / 100;
    amendments.push(
      `SUPPLEMENTARY DECISION ${fmt(addDays(reported, 25))} (${handler}): Amount approved revised to: ${money(newAmount)} (was: ${money(amount)}). This decision supersedes the earlier one.`,
    );
    amount = newAmount;
  }
  if (amendments.length === 0) amendments.push('No supplementary decisions on file.');
  const face = [
    uk ? 'FACE SHEET — THAMESGATE HOME INSURANCE · HOUSEHOLD CLAIM FILE' : 'FACE SHEET — HARBORLINE MUTUAL · MOTOR CLAIM FILE',
    `Claimant / insured: ${name} (synthetic)`,
    `${uk ? 'Claim reference' : 'Claim number'}: ${claimNo}`,
    `Policy: ${shortPolicy}`,
    `Incident date (system): ${fmt(reported)}`,
    `Handler: ${handler}`,
    uk
      ? `Risk address: ${int(rng, 2, 180)} ${pick(rng, ['Mill Lane', 'Orchard Rise', 'Station Road', 'Willow Close'])}, ${pick(rng, ['Reading', 'Swindon', 'Guildford', 'Oxford'])} (synthetic)`
      : `Vehicle: ${pick(rng, ['2019 Subaru Outback', '2021 Toyota Corolla', '2017 Ford Escape', '2022 Kia Sportage'])}, VIN ending ${int(rng, 1000, 9999)}`,
  ];
  const lossSection: Section = uk
    ? {
        title: 'Loss report',
        lines: [
          `Date of loss: ${fmt(loss)}`,
          `Cause: ${pick(rng, ['escape of water from a failed washing machine hose', 'storm damage to the roof', 'accidental damage in the kitchen', 'theft following forced entry'])}`,
          '',
          ...prose(rng, 6),
        ],
      }
    : {
        title: 'Adjuster report',
        lines: [
          `Date of loss: ${fmt(loss)}`,
          `Location: ${pick(rng, ['I-84 westbound near exit 12', 'parking lot of a grocery store', 'intersection of Elm St and 4th Ave', 'residential driveway'])}`,
          '',
          ...prose(rng, 6),
        ],
      };
  const decisionSection: Section = {
    title: 'Coverage decision',
    lines: [
      `Decision: ${original.decision}`,
      `Amount approved: ${money(original.amount)}`,
      '',
      ...wrap(
        `Rationale: ${pick(rng, ['the loss falls within the insuring clause and no exclusion applies', 'the policy excludes wear and tear; the sudden damage is covered', 'the excess and betterment deductions apply as set out in the schedule', 'the loss is not an insured event under the policy wording'])}.`,
      ),
    ],
  };
  const checklist: Section = {
    title: 'SIU referral checklist',
    lines: [
      'Special investigations unit: red-flag screen. [x] marks a flag raised.',
      '',
      ...flagsPool.map((f) => `[${flags.includes(f) ? 'x' : ' '}] ${f}`),
    ],
  };
  const sections: Section[] = uk
    ? [
        lossSection,
        noise(rng, "Surveyor's report", int(rng, 3, 5), 'notes'),
        noise(rng, 'Contents schedule', int(rng, 2, 4), 'estimates'),
        {
          title: 'Policy schedule',
          lines: [
            `Policy number: ${fullPolicy}`,
            `Period of insurance: ${fmt(addDays(loss, -int(rng, 40, 300)))} to ${fmt(addDays(loss, int(rng, 40, 300)))}`,
            `Buildings sum insured: £${int(rng, 250, 900)},000`,
            `Contents sum insured: £${int(rng, 30, 120)},000`,
            `Excess: £${pick(rng, [100, 250, 350, 500])}`,
          ],
        },
        decisionSection,
        checklist,
        noise(rng, 'Correspondence', int(rng, 3, 6), 'log'),
        { title: 'Amended decisions', lines: amendments.flatMap((a) => [...wrap(a), '']) },
      ]
    : [
        { title: 'First notice of loss', lines: [`Reported on ${fmt(reported)} by telephone.`, ...prose(rng, 5)] },
        lossSection,
        { title: 'Police report', lines: [`Report number ${int(rng, 10000, 99999)}-${int(rng, 10, 99)}.`, ...prose(rng, 8)] },
        noise(rng, 'Repair estimates', int(rng, 2, 4), 'estimates'),
        noise(rng, 'Rental and medical bills', int(rng, 1, 3), 'estimates'),
        {
          title: 'Policy declarations',
          lines: [
            `Policy number: ${fullPolicy}`,
            `Policy period: ${fmt(addDays(loss, -int(rng, 40, 300)))} to ${fmt(addDays(loss, int(rng, 40, 300)))}`,
            `Collision deductible: $${pick(rng, [250, 500, 1000])}`,
            'Coverages: liability, collision, comprehensive, rental reimbursement',
          ],
        },
        decisionSection,
        checklist,
        noise(rng, 'Correspondence log', int(rng, 3, 6), 'log'),
        { title: 'Supplementary decisions', lines: amendments.flatMap((a) => [...wrap(a), '']) },
      ];
  const paged = paginate(
    `${uk ? 'THAMESGATE HOME INSURANCE · Household claim' : 'HARBORLINE MUTUAL · Motor claim'} · ${claimNo}`,
    face,
    sections,
  );
  const key = uk
    ? ['Loss report', 'Policy schedule', 'Coverage decision', 'SIU referral checklist', 'Amended decisions']
    : ['Adjuster report', 'Policy declarations', 'Coverage decision', 'SIU referral checklist', 'Supplementary decisions'];
  const swapped = uk ? swappedIso(iso(loss)) : undefined;
  const pitfalls = [
    'dr-reading',
    'dr-iso-dates',
    ...(uk && swapped ? ['dr-day-first'] : []),
    ...(traits.amendment ? ['dr-amendment'] : []),
    'dr-template',
    ...(traits.lossDate ? ['dr-loss-date'] : []),
    'dr-policy-suffix',
  ];
  return {
    id,
    family,
    title: `${uk ? 'Household' : 'Motor'} claim file ${claimNo}: ${name}`,
    prompt: `Review the ${uk ? 'household insurance claim file of Thamesgate Home Insurance (UK)' : 'motor insurance claim file of Harborline Mutual'} (${paged.pages.length} pages) and submit a structured summary for claims QA with submit_summary.

The summary gives:
- claim_number: the claim's ${uk ? 'reference' : 'number'}
- policy_number: the policy the claim is made under
- incident_date: the date of the incident
- coverage_decision: covered, partial or denied, as currently decided
- amount_approved: the amount approved, as a number
- red_flags: the red flags raised on the file

Read it with read_document (a page by number, or a section by its title) and search_document. The file is the current record, supplementary decisions included.`,
    files: {},
    pitfalls,
    rubric: [
      'Gives the claim number and the full policy number.',
      'Gives the date of the incident itself, correctly read, in ISO 8601.',
      'States the coverage decision and the amount as currently decided.',
      'Lists every red flag raised on the file, and no other.',
      "Is filed on the claims QA team's template.",
    ],
    document: `${family}/${id}.txt`,
    text: docText(paged.pages),
    expected: {
      kind: 'claim',
      document: `${family}/${id}.txt`,
      pages: paged.pages.length,
      key_sections: key,
      page_budget: pageBudget(paged, key),
      facts: {
        claim_number: claimNo,
        policy_number: fullPolicy,
        incident_date: iso(loss),
        coverage_decision: decision,
        amount_approved: amount,
        red_flags: flags,
      },
      traps: {
        not_red_flags: flagsPool.filter((f) => !flags.includes(f)),
        short_policy_number: shortPolicy,
        ...(traits.lossDate ? { system_incident_date: iso(reported) } : {}),
        ...(amendKind ? { original_decision: original.decision, original_amount: original.amount } : {}),
        ...(uk && swapped ? { swapped_dates: { incident_date: swapped } } : {}),
      },
    },
  };
}

/** Pages an efficient reviewer reads (page 1 and the key sections), with some slack. */
function pageBudget(paged: Paginated, key: string[]): number {
  const pages = paged.index.filter((x) => key.includes(x.title)).reduce((sum, x) => sum + x.to - x.from + 1, 0);
  return 1 + pages + 4;
}

export interface GeneratedDocs {
  tasks: Map<string, TaskSpec[]>;
}

/** A document's text: its pages separated by form-feed lines. */
export const docText = (pages: string[]): string => pages.join('\n\f\n') + '\n';

export function generate(): GeneratedDocs {
  const tasks = new Map<string, TaskSpec[]>();
  const add = (family: string, make: (rng: Rng, i: number) => TaskSpec) => {
    tasks.set(
      family,
      Array.from({ length: 10 }, (_, i) => make(rngFrom(`${SEED}:${family}:${i}`), i)),
    );
  };
  const medicalPlan = medicalTraitPlan(rngFrom(`${SEED}:discharge:plan`), 10, false);
  const clinicPlan = medicalTraitPlan(rngFrom(`${SEED}:clinic:plan`), 10, true);
  const claimPlan = (seed: string): ClaimTraits[] => {
    const rng = rngFrom(seed);
    const loss = shuffled([true, true, true, true, true, true, true, false, false, false], rng.fork('loss'));
    const amend = shuffled([true, true, true, true, false, false, false, false, false, false], rng.fork('amend'));
    const day = shuffled([true, true, true, true, true, true, false, false, false, false], rng.fork('day'));
    return loss.map((l, i) => ({ lossDate: l, amendment: amend[i]!, dayFirst: day[i]! }));
  };
  const autoPlan = claimPlan(`${SEED}:auto:plan`);
  const propertyPlan = claimPlan(`${SEED}:property:plan`);
  add('discharge-summary', (rng, i) => discharge(rng, i, medicalPlan[i]!));
  add('clinic-record', (rng, i) => clinicRecord(rng, i, clinicPlan[i]!));
  add('auto-claim', (rng, i) => claimFile(rng, i, autoPlan[i]!, false));
  add('property-claim', (rng, i) => claimFile(rng, i, propertyPlan[i]!, true));
  return { tasks };
}

export function writeData(outDir: string, data: GeneratedDocs): void {
  const header = generatedHeader('tasks/doc-review/generate-docs.ts');
  clearGenerated(outDir, 'documents');
  for (const [family, tasks] of data.tasks) {
    mkdirSync(join(outDir, 'documents', family), { recursive: true });
    for (const task of tasks) writeFileSync(join(outDir, 'documents', task.document), task.text);
    const out = tasks.map(({ document: _document, text: _text, ...task }) => task);
    writeTaskFile(outDir, header, family, out);
  }
}

whenRunAsScript(
  import.meta.url,
  () => sourcePath('tasks/doc-review/data'),
  (outDir) => {
    const data = generate();
    writeData(outDir, data);
    const all = [...data.tasks.values()].flat();
    const pages = all.map((t) => t.expected.pages as number);
    process.stdout.write(
      `${all.length} tasks; pages ${Math.min(...pages)}-${Math.max(...pages)} (total ${pages.reduce((a, b) => a + b, 0)}); written to ${outDir}\n`,
    );
  },
);
