// Generates data/tasks/<family>.yaml from the family templates and matter facts below. The YAML it
// writes is committed and is the source of truth (hand edits are fine; re-running overwrites them).
//
//   npm run build:dev && node dist-dev/tasks/legal-drafting/generate-tasks.js [--out <dir>]

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml, stringify } from 'yaml';
import { sourcePath } from '../../harness/core/paths.js';
import type { Task } from '../../harness/core/suite.js';
import { findDates, formatDate, isIsoDate, type DateFormat } from './dates.js';

type Value = string | string[];

interface Spec {
  slug: string;
  title: string;
  /** The first line of the prompt: what to draft. */
  ask: string;
  /** Matter-file fields in order (the document date is added first). */
  fields: Array<[string, Value]>;
  date: string;
  /** Required sections: heading and the matter items it must state. */
  sections: Array<[string, string[]]>;
  terms?: Array<[string, string]>;
  background: string[];
  /** Client-, court- or deal-specific guideline bullets. */
  guidelines: string[];
  guidelinesTitle?: string;
  rubric: string[];
}

// ---------------------------------------------------------------------------------------------
// Firm people (the responsible attorney signs; the matter file names the day-to-day team)

const ALVAREZ = 'Maria Alvarez';
const WHITFIELD = 'Daniel Whitfield';
const MARSH = 'Priya Marsh';

const OKAFOR = 'Jonah Okafor, senior associate, ext. 147';
const CHEN = 'Marcus Chen, associate, ext. 162';
const SOKOLOVA = 'Elena Sokolova, associate, ext. 158';
const AGREEMENT_TERM = 'the agreement identified in the Purpose of Rider section, as amended by this Rider';

/** End a sentence without doubling the period of "Inc." and the like. */
const end = (text: string): string => (text.endsWith('.') ? text : `${text}.`);

const fee = (rows: Array<[string, string]>): string[] => ['Timekeeper | Hourly rate', ...rows.map(([who, rate]) => `${who} | ${rate}`)];

// ---------------------------------------------------------------------------------------------
// Engagement letters

const ENGAGEMENT_GUIDELINES = `# Drafting guidelines — engagement letters

## Firm practice (Professional Responsibility Committee)
- No substantive work starts before the client has countersigned an engagement letter (Rule 1.5(b)).
- Describe the scope precisely and say what is excluded: a vague scope is the most common source of fee disputes.
- State the basis of the fee, the retainer and how it is applied, and how costs are billed.
- Name the responsible attorney and the day-to-day contact.
- Report the result of the conflict check with its reference number.
- Explain that the client may end the engagement at any time and that the firm may withdraw as the rules permit, and what happens to unpaid fees and the file.
- Ask the client to countersign and return the letter by a stated date.
- Use the exact names, amounts and dates of the matter file; the intake team has verified them.`;

function engagement(spec: {
  slug: string;
  client: string;
  short: string;
  recipient: string;
  address: string;
  re: string;
  matter: string;
  scope: string;
  excluded: string;
  attorney: string;
  contact: string;
  fees:
    | { kind: 'hourly'; retainer: string; rates: Array<[string, string]>; cap?: string }
    | { kind: 'flat'; flat: string; extra: [string, string] }
    | { kind: 'contingency'; percent: string; costs: string };
  conflict: string;
  date: string;
  returnBy: string;
  background: string[];
  guidelines: string[];
  extraSection?: [string, Array<[string, string]>];
}): Spec {
  const fields: Array<[string, Value]> = [
    ['Matter number', `AWM-${spec.date.slice(0, 4)}-${spec.conflict.slice(-4)}`],
    ['Responsible attorney', spec.attorney],
    ['Client', spec.client],
    ['Recipient', spec.recipient],
    ['Recipient address', spec.address],
    ['Re', spec.re],
    ['Matter', spec.matter],
    ['Scope of engagement', spec.scope],
    ['Excluded services', spec.excluded],
    ['Day-to-day contact', spec.contact],
  ];
  let feeKeys: string[];
  let feeRubric: string;
  if (spec.fees.kind === 'hourly') {
    fields.push(
      ['Fee arrangement', 'Hourly, billed monthly in tenth-of-an-hour increments'],
      ['Retainer', spec.fees.retainer],
      ['Hourly rates', fee(spec.fees.rates)],
    );
    feeKeys = ['Retainer', 'Hourly rates (as a fee schedule table: one row per timekeeper)'];
    if (spec.fees.cap) {
      fields.push(['Fee cap', spec.fees.cap]);
      feeKeys.push('Fee cap');
    }
    feeRubric = `States the hourly basis, the ${spec.fees.retainer} retainer and how it is applied, and each timekeeper's rate in a fee schedule table${spec.fees.cap ? `, and the ${spec.fees.cap} fee cap` : ''}.`;
  } else if (spec.fees.kind === 'flat') {
    fields.push(['Fee arrangement', 'Flat fee'], ['Flat fee', spec.fees.flat], [spec.fees.extra[0], spec.fees.extra[1]]);
    feeKeys = ['Flat fee', spec.fees.extra[0]];
    feeRubric = `States the ${spec.fees.flat} flat fee, what it covers and when it is payable, and the ${spec.fees.extra[0].toLowerCase()}.`;
  } else {
    fields.push(['Fee arrangement', 'Contingency'], ['Contingency fee', spec.fees.percent], ['Costs advanced', spec.fees.costs]);
    feeKeys = ['Contingency fee', 'Costs advanced'];
    feeRubric = `States the ${spec.fees.percent} contingency fee, how it is computed, and the ${spec.fees.costs} cap on costs the firm advances (Rule 1.5(c) requires this in writing).`;
  }
  fields.push(['Conflict check reference', spec.conflict], ['Return by', spec.returnBy]);
  const sections: Array<[string, string[]]> = [
    ['Scope of Engagement', ['Matter']],
    ['Staffing', ['Day-to-day contact']],
    ['Fees and Billing', feeKeys],
    ['Conflicts of Interest', ['Conflict check reference']],
  ];
  if (spec.extraSection) {
    for (const [k, v] of spec.extraSection[1]) fields.splice(fields.length - 2, 0, [k, v]);
    sections.push([spec.extraSection[0], spec.extraSection[1].map(([k]) => k)]);
  }
  sections.push(['Termination of Engagement', []], ['Acceptance', ['Return by']]);
  return {
    slug: spec.slug,
    title: `Engagement letter — ${spec.short}`,
    ask: `Draft the firm's engagement letter to ${spec.client} for ${spec.scope.charAt(0).toLowerCase()}${spec.scope.slice(1).replace(/\.$/, '')}.`,
    fields,
    date: spec.date,
    sections,
    background: spec.background,
    guidelines: spec.guidelines,
    guidelinesTitle: 'Client-specific notes',
    rubric: [
      `Addressed to ${spec.recipient.split(',')[0]} and identifies the matter (${spec.matter}).`,
      `Describes the scope (${spec.scope.replace(/\.$/, '')}) and excludes ${spec.excluded.charAt(0).toLowerCase()}${spec.excluded.slice(1).replace(/\.$/, '')}.`,
      `Names ${spec.attorney} as responsible attorney and ${spec.contact.split(',')[0]} as day-to-day contact.`,
      feeRubric,
      `Reports the cleared conflict check (reference ${spec.conflict}).`,
      'Explains how either side may end the engagement and what happens to unpaid fees and the file.',
      'Asks the client to countersign and return the letter by the return date.',
      ...spec.guidelines.map((g) => `Follows the client note: ${g}`),
      'Professional, plain tone; follows the firm house style for letters.',
    ],
  };
}

const engagements: Spec[] = [
  engagement({
    slug: 'northgate-wage-class-action',
    client: 'Northgate Logistics, Inc.',
    short: 'Northgate Logistics (wage-and-hour collective action)',
    recipient: 'Carla Jensen, General Counsel, Northgate Logistics, Inc.',
    address: '1450 Harbor Way; Baltimore, Maryland 21230',
    re: 'Terms of our engagement — wage-and-hour defense',
    matter: 'Rivera v. Northgate Logistics, Inc., No. 1:25-cv-00388 (D. Md.)',
    scope: 'Defense of the collective action through summary judgment, including conditional-certification briefing.',
    excluded: 'Appeals, insurance coverage disputes and any Department of Labor investigation.',
    attorney: ALVAREZ,
    contact: OKAFOR,
    fees: {
      kind: 'hourly',
      retainer: '$40,000',
      rates: [
        ['Maria Alvarez, partner', '$720'],
        ['Jonah Okafor, senior associate', '$495'],
        ['Elena Sokolova, associate', '$395'],
        ['Paralegal', '$215'],
      ],
    },
    conflict: 'CC-2025-0193',
    date: '2025-03-07',
    returnBy: '2025-03-21',
    background: [
      'Northgate operates 14 regional distribution centers. Luis Rivera, a former delivery driver, filed a collective action under the Fair Labor Standards Act alleging unpaid pre-shift inspection time. Forty-two drivers have filed consents to join.',
      'Carla Jensen called the firm on March 3, 2025 after the company was served. Northgate wants a budget-conscious defense and monthly status reports.',
    ],
    guidelines: [
      'Northgate requires a litigation hold notice to be mentioned in the engagement letter; the hold itself goes out separately.',
      'Invoices go to accounts payable with the matter number on every page.',
    ],
  }),
  engagement({
    slug: 'bellweather-trademark-clearance',
    client: 'Bellweather Foods LLC',
    short: 'Bellweather Foods (HARVEST HEARTH trademark)',
    recipient: 'Tom Akers, Chief Executive Officer, Bellweather Foods LLC',
    address: '88 Mill Race Road; Lancaster, Pennsylvania 17602',
    re: 'Terms of our engagement — new bakery brand',
    matter: 'Clearance and registration of the HARVEST HEARTH mark',
    scope: 'Clearance search, opinion and one U.S. trademark application for HARVEST HEARTH in classes 30 and 35.',
    excluded: 'Oppositions, office-action responses beyond one round and foreign filings.',
    attorney: MARSH,
    contact: CHEN,
    fees: { kind: 'flat', flat: '$18,500', extra: ['USPTO filing fees', '$350 per class, billed at cost'] },
    conflict: 'CC-2025-0077',
    date: '2025-01-31',
    returnBy: '2025-02-14',
    background: [
      'Bellweather plans to launch a line of frozen artisan breads under HARVEST HEARTH in the fourth quarter. A knock-out search found one possibly conflicting mark, HEARTHSIDE HARVEST, used by a regional bakery.',
      'The client asked for a fixed price so that the marketing budget is predictable.',
    ],
    guidelines: ['Half of the flat fee is due on signing and half when the application is filed; say so.'],
  }),
  engagement({
    slug: 'orison-ransomware-response',
    client: 'Orison Health Partners, P.C.',
    short: 'Orison Health Partners (ransomware incident response)',
    recipient: 'Dr. Helen Osei, Chief Operating Officer, Orison Health Partners, P.C.',
    address: '3100 Walnut Street, Floor 6; Philadelphia, Pennsylvania 19104',
    re: 'Terms of our engagement — cybersecurity incident',
    matter: 'Investigation of the February 2025 ransomware incident',
    scope: 'Privileged investigation of the ransomware incident and advice on HIPAA and state breach-notification duties.',
    excluded: 'Defense of any class action, OCR enforcement proceeding or insurance coverage dispute.',
    attorney: MARSH,
    contact: CHEN,
    fees: {
      kind: 'hourly',
      retainer: '$60,000',
      rates: [
        ['Priya Marsh, partner', '$760'],
        ['Daniel Whitfield, partner', '$740'],
        ['Marcus Chen, associate', '$430'],
        ['Paralegal', '$225'],
      ],
    },
    conflict: 'CC-2025-0211',
    date: '2025-02-24',
    returnBy: '2025-02-28',
    background: [
      'On February 19, 2025 Orison discovered that its scheduling and billing systems had been encrypted. Patient records for about 38,000 individuals may have been accessed.',
      'Orison wants the forensic investigation run through counsel so that the forensic report is protected by privilege.',
    ],
    guidelines: ['The forensic firm must be retained by the firm, not by Orison, and the letter must say so.'],
    extraSection: ['Privilege and Consultants', [['Forensic firm', 'Ironbridge Forensics LLC']]],
  }),
  engagement({
    slug: 'kestrel-delmar-acquisition',
    client: 'Kestrel Aerospace Components Corp.',
    short: 'Kestrel Aerospace (acquisition of Delmar Precision)',
    recipient: 'Aaron Whitlock, Vice President, Corporate Development, Kestrel Aerospace Components Corp.',
    address: '2 Skyline Drive; Newark, Delaware 19702',
    re: 'Terms of our engagement — proposed asset purchase',
    matter: 'Asset purchase of Delmar Precision Machining, Inc.',
    scope: 'Due diligence, negotiation and documentation of the asset purchase, through closing.',
    excluded: 'Antitrust filings, export-control classification and post-closing integration.',
    attorney: WHITFIELD,
    contact: OKAFOR,
    fees: {
      kind: 'hourly',
      retainer: '$75,000',
      rates: [
        ['Daniel Whitfield, partner', '$780'],
        ['Priya Marsh, partner', '$760'],
        ['Jonah Okafor, senior associate', '$495'],
        ['Paralegal', '$225'],
      ],
    },
    conflict: 'CC-2025-0158',
    date: '2025-04-02',
    returnBy: '2025-04-09',
    background: [
      'Kestrel signed a non-binding letter of intent to buy the machining business of Delmar Precision for $14.2 million, with a signing target at the end of May 2025.',
      'Delmar holds ITAR registrations; Kestrel will retain separate trade counsel for export-control work.',
    ],
    guidelines: ['Kestrel caps each monthly invoice at what was budgeted unless the partner approves an overrun in writing.'],
    extraSection: ['Client Responsibilities', [['Trade counsel', 'Harlan & Pike LLP']]],
  }),
  engagement({
    slug: 'maple-finch-flagship-lease',
    client: 'Maple & Finch Interiors LLC',
    short: 'Maple & Finch Interiors (flagship store lease)',
    recipient: 'Sofia Brandt, Managing Member, Maple & Finch Interiors LLC',
    address: '41 Queen Street; Charleston, South Carolina 29401',
    re: 'Terms of our engagement — retail lease',
    matter: 'Lease of the flagship store at 218 King Street',
    scope: 'Review and negotiation of the landlord’s draft lease and one amendment for the store at 218 King Street.',
    excluded: 'Zoning and permitting work, construction contracts and litigation.',
    attorney: ALVAREZ,
    contact: SOKOLOVA,
    fees: { kind: 'flat', flat: '$9,500', extra: ['Additional lease amendments', '$1,200 each'] },
    conflict: 'CC-2025-0102',
    date: '2025-02-10',
    returnBy: '2025-02-21',
    background: [
      'Maple & Finch sells furniture and home goods. The landlord, King Street Retail Partners LP, sent a 64-page form lease with a 10-year term and a personal guaranty.',
      'The client wants to limit the personal guaranty and obtain a co-tenancy clause.',
    ],
    guidelines: ['Ms. Brandt asked that the letter be short and free of legal jargon.'],
  }),
  engagement({
    slug: 'rao-physician-employment',
    client: 'Dr. Anika Rao',
    short: 'Dr. Anika Rao (physician employment agreement)',
    recipient: 'Dr. Anika Rao',
    address: '27 Orchard Lane; Media, Pennsylvania 19063',
    re: 'Terms of our engagement — employment agreement review',
    matter: 'Physician employment agreement with Lakeside Medical Group',
    scope: 'Review of the proposed employment agreement, advice on its non-compete and negotiation of up to two rounds of changes.',
    excluded: 'Tax and retirement-plan advice and any dispute with the current employer.',
    attorney: ALVAREZ,
    contact: SOKOLOVA,
    fees: {
      kind: 'hourly',
      retainer: '$7,500',
      rates: [
        ['Maria Alvarez, partner', '$650'],
        ['Elena Sokolova, associate', '$375'],
      ],
    },
    conflict: 'CC-2025-0240',
    date: '2025-03-12',
    returnBy: '2025-03-19',
    background: [
      'Dr. Rao is an interventional cardiologist leaving an academic practice. Lakeside Medical Group offered a five-year agreement with a 25-mile, two-year non-compete and a clawback of the signing bonus.',
      'The offer expires at the end of March 2025.',
    ],
    guidelines: ['Dr. Rao is an individual client: explain the retainer in plain terms and say that unused amounts are refunded.'],
  }),
  engagement({
    slug: 'tidewater-vendor-contracts',
    client: 'Tidewater Community Credit Union',
    short: 'Tidewater Community Credit Union (vendor contract program)',
    recipient: 'Renee Holloway, Chief Risk Officer, Tidewater Community Credit Union',
    address: '500 Bayfront Avenue; Norfolk, Virginia 23510',
    re: 'Terms of our engagement — vendor contract program',
    matter: 'Vendor contract review program for 2025',
    scope:
      'Review and negotiation of technology vendor contracts (master services agreements and data-processing terms) referred by the Risk Office during 2025.',
    excluded: 'Regulatory examinations, employment matters and litigation.',
    attorney: MARSH,
    contact: CHEN,
    fees: {
      kind: 'hourly',
      retainer: '$25,000',
      rates: [
        ['Priya Marsh, partner', '$690'],
        ['Marcus Chen, associate', '$410'],
        ['Contracts paralegal', '$205'],
      ],
    },
    conflict: 'CC-2025-0035',
    date: '2025-01-15',
    returnBy: '2025-01-29',
    background: [
      'Tidewater, a state-chartered credit union with 120,000 members, is moving its core banking and card processing to cloud vendors. Its examiners expect documented vendor due diligence.',
      'The Risk Office will refer contracts one at a time with a cover memo.',
    ],
    guidelines: [
      "Tidewater's outside counsel guidelines apply: no block billing, and no charges for first-year associates.",
      'Rate increases require 60 days’ written notice.',
    ],
  }),
  engagement({
    slug: 'granite-peak-series-a',
    client: 'Granite Peak Software, Inc.',
    short: 'Granite Peak Software (Series A financing)',
    recipient: 'Nadia Farrow, Chief Executive Officer, Granite Peak Software, Inc.',
    address: '1200 Pearl Street, Suite 300; Boulder, Colorado 80302',
    re: 'Terms of our engagement — preferred stock financing',
    matter: 'Series A preferred stock financing',
    scope: 'Representation of the company in the Series A preferred stock financing led by Ridgeline Ventures, through closing.',
    excluded: 'Securities filings outside the United States and employee equity plan redesign.',
    attorney: WHITFIELD,
    contact: OKAFOR,
    fees: {
      kind: 'hourly',
      retainer: '$30,000',
      rates: [
        ['Daniel Whitfield, partner', '$740'],
        ['Jonah Okafor, senior associate', '$495'],
        ['Paralegal', '$215'],
      ],
      cap: '$95,000',
    },
    conflict: 'CC-2025-0266',
    date: '2025-03-18',
    returnBy: '2025-03-25',
    background: [
      'Granite Peak signed a term sheet with Ridgeline Ventures for a $12 million Series A at a $48 million pre-money valuation. Closing is targeted for May 2025.',
      'Under the term sheet the company pays investor counsel fees up to $40,000, which is not part of this engagement.',
    ],
    guidelines: ['The fee cap applies through closing unless the deal terms change materially; say what happens if they do.'],
  }),
  engagement({
    slug: 'solano-crop-loss-claim',
    client: 'Solano Valley Vineyards LP',
    short: 'Solano Valley Vineyards (crop-loss insurance claim)',
    recipient: 'Miguel Arriaga, General Partner, Solano Valley Vineyards LP',
    address: '7400 Pleasants Valley Road; Vacaville, California 95688',
    re: 'Terms of our engagement — insurance recovery',
    matter: 'Recovery of the 2024 smoke-taint crop loss from Pacific Crest Mutual Insurance Company',
    scope: 'Pursuit of the crop-loss claim against Pacific Crest Mutual, through appraisal or suit in state court.',
    excluded: 'Appeals and claims against any party other than the insurer.',
    attorney: ALVAREZ,
    contact: SOKOLOVA,
    fees: { kind: 'contingency', percent: '30% of any recovery', costs: 'up to $15,000' },
    conflict: 'CC-2025-0184',
    date: '2025-02-26',
    returnBy: '2025-03-07',
    background: [
      'Smoke from the September 2024 wildfires tainted 62 acres of cabernet grapes. Pacific Crest Mutual denied the claim, citing a pollution exclusion.',
      'The partnership cannot pay hourly fees this season and asked for a contingency arrangement.',
    ],
    guidelines: ['Explain whether the percentage is computed before or after costs are reimbursed; the client asked twice.'],
  }),
];

// ---------------------------------------------------------------------------------------------
// NDAs

const NDA_GUIDELINES = `# Drafting guidelines — non-disclosure agreements

## Firm practice (Transactions Group)
- Use the parties' full legal names exactly as in the matter file.
- Define Confidential Information broadly, then carve out the four standard exclusions (public, already known, independently developed, received from a third party without restriction).
- Limit disclosure to Representatives who need to know and are bound by duties at least as protective.
- Include a return-or-destroy obligation with a deadline, and a written certification on request.
- Say whether trade secrets survive the confidentiality period.
- Provide for injunctive relief without the need to post a bond.
- State governing law and an exclusive venue.`;

const NDA_TERMS: Record<string, string> = {
  Agreement: 'this non-disclosure agreement',
  'Confidential Information':
    'all non-public business, technical, financial and personal information disclosed under this Agreement, in any form, whether or not marked confidential',
  'Disclosing Party': 'a party when it discloses Confidential Information',
  'Receiving Party': 'a party when it receives Confidential Information',
  Purpose: 'the purpose stated in the Parties and Purpose section',
  Representatives:
    "a party's directors, officers, employees and professional advisers who need to know the Confidential Information for the Purpose",
};

function nda(spec: {
  slug: string;
  short: string;
  mutual: boolean;
  partyA: string;
  partyB: string;
  client: string;
  purpose: string;
  effective: string;
  period: string;
  returnDeadline: string;
  law: string;
  venue: string;
  date: string;
  attorney: string;
  extra?: Array<{ section: string; before: string; fields: Array<[string, string]> }>;
  termExtra?: Array<[string, string]>;
  background: string[];
  guidelines: string[];
}): Spec {
  const fields: Array<[string, Value]> = [
    ['Matter number', `AWM-${spec.date.slice(0, 4)}-N${spec.slug.length}${spec.effective.slice(8)}`],
    ['Responsible attorney', spec.attorney],
    ['Document', spec.mutual ? 'Mutual Non-Disclosure Agreement' : 'Non-Disclosure Agreement'],
    ['Client', spec.client],
    [spec.mutual ? 'First party' : 'Disclosing party', spec.partyA],
    [spec.mutual ? 'Second party' : 'Receiving party', spec.partyB],
    ['Purpose', spec.purpose],
    ['Effective date', spec.effective],
    ['Confidentiality period', spec.period],
    ['Return deadline', spec.returnDeadline],
    ['Governing law', spec.law],
    ['Venue', spec.venue],
  ];
  const partyKeys = spec.mutual ? ['First party', 'Second party', 'Purpose'] : ['Disclosing party', 'Receiving party', 'Purpose'];
  const sections: Array<[string, string[]]> = [
    ['Parties and Purpose', partyKeys],
    ['Definitions', []],
    ['Confidentiality Obligations', []],
    ['Exclusions', []],
    ['Term and Survival', ['Effective date', 'Confidentiality period']],
    ['Return or Destruction', ['Return deadline']],
    ['Remedies', []],
    ['Governing Law and Venue', ['Governing law', 'Venue']],
  ];
  for (const extra of spec.extra ?? []) {
    for (const f of extra.fields) fields.push(f);
    const at = sections.findIndex(([h]) => h === extra.before);
    if (at < 0) {
      const existing = sections.find(([h]) => h === extra.section);
      existing![1].push(...extra.fields.map(([k]) => k));
    } else sections.splice(at, 0, [extra.section, extra.fields.map(([k]) => k)]);
  }
  const termNames = spec.mutual
    ? ['Agreement', 'Confidential Information', 'Disclosing Party', 'Receiving Party', 'Purpose', 'Representatives']
    : ['Agreement', 'Confidential Information', 'Purpose', 'Representatives'];
  const terms: Array<[string, string]> = [...termNames.map((t): [string, string] => [t, NDA_TERMS[t]!]), ...(spec.termExtra ?? [])];
  return {
    slug: spec.slug,
    title: `NDA — ${spec.short}`,
    ask: spec.mutual
      ? `Draft a mutual non-disclosure agreement between ${spec.partyA} and ${spec.partyB} for the ${end(spec.purpose)} The firm acts for ${end(spec.client)}`
      : `Draft a one-way non-disclosure agreement under which ${spec.partyA} discloses information to ${spec.partyB} for the ${end(spec.purpose)} The firm acts for ${end(spec.client)}`,
    fields,
    date: spec.date,
    sections,
    terms,
    background: spec.background,
    guidelines: spec.guidelines,
    guidelinesTitle: `Client playbook — ${spec.client}`,
    rubric: [
      `Names ${spec.partyA} and ${spec.partyB} by their full legal names and states the purpose (${spec.purpose}).`,
      `Defines ${terms.map(([t]) => `"${t}"`).join(', ')} in the Definitions section.`,
      'Limits use to the Purpose and disclosure to Representatives bound by equivalent duties.',
      'Carves out the four standard exclusions.',
      `States the effective date and the ${spec.period} confidentiality period, and addresses trade secrets.`,
      `Requires return or destruction within ${spec.returnDeadline} with certification on request.`,
      'Provides for injunctive relief without a bond.',
      `Chooses ${spec.law} law and ${spec.venue} as exclusive venue.`,
      ...spec.guidelines.map((g) => `Follows the client playbook: ${g}`),
      'Follows the firm house style for agreements.',
    ],
  };
}

const ndas: Spec[] = [
  nda({
    slug: 'halvorsen-cedar-ridge',
    short: 'Halvorsen Biotech / Cedar Ridge Analytics (clinical data)',
    mutual: true,
    partyA: 'Halvorsen Biotech, Inc.',
    partyB: 'Cedar Ridge Analytics LLC',
    client: 'Halvorsen Biotech, Inc.',
    purpose: 'evaluation of a clinical-data licensing collaboration',
    effective: '2025-03-17',
    period: '3 years',
    returnDeadline: '15 days',
    law: 'Delaware',
    venue: 'the Court of Chancery of the State of Delaware',
    date: '2025-03-12',
    attorney: WHITFIELD,
    background: [
      'Halvorsen runs Phase II oncology trials and is considering licensing de-identified trial data to Cedar Ridge, which builds predictive models for trial recruitment.',
      'Both sides will exchange technical documentation; Halvorsen will also share draft data-use terms.',
    ],
    guidelines: [
      'Halvorsen never accepts a residuals clause.',
      'De-identified data stays Confidential Information even if it could not identify a patient.',
    ],
  }),
  nda({
    slug: 'pinecrest-ardent',
    short: 'Pinecrest Robotics to Ardent Manufacturing (contract manufacturing)',
    mutual: false,
    partyA: 'Pinecrest Robotics Corp.',
    partyB: 'Ardent Manufacturing Co.',
    client: 'Pinecrest Robotics Corp.',
    purpose: 'evaluation of contract manufacturing of actuator assemblies',
    effective: '2025-04-01',
    period: '5 years',
    returnDeadline: '10 business days',
    law: 'New York',
    venue: 'the state and federal courts located in New York County',
    date: '2025-03-26',
    attorney: MARSH,
    extra: [
      { section: 'Term and Survival', before: '', fields: [['Trade secrets', 'protected for as long as they remain trade secrets']] },
    ],
    background: [
      'Pinecrest designs warehouse robots and will send Ardent drawings, tolerances and bills of materials for its linear actuator so that Ardent can quote.',
      'Ardent will not disclose anything of its own beyond its price quote.',
    ],
    guidelines: ['No reverse engineering of samples, and say so expressly.', 'Pinecrest wants notice before any compelled disclosure.'],
  }),
  nda({
    slug: 'luma-brightwave',
    short: 'Luma Retail / Brightwave Media (joint campaign)',
    mutual: true,
    partyA: 'Luma Retail Group, Inc.',
    partyB: 'Brightwave Media LLC',
    client: 'Brightwave Media LLC',
    purpose: 'planning of a joint holiday marketing campaign',
    effective: '2025-05-05',
    period: '2 years',
    returnDeadline: '30 days',
    law: 'California',
    venue: 'the state and federal courts located in Los Angeles County',
    date: '2025-04-28',
    attorney: ALVAREZ,
    background: [
      'Brightwave, an influencer-marketing agency, is pitching a joint holiday campaign to Luma, a national apparel retailer. Luma will share sales data by region; Brightwave will share creator rosters and rates.',
    ],
    guidelines: [
      'Creator rosters and rate cards are Confidential Information whether or not marked.',
      'Keep the agreement short: four pages at most.',
    ],
  }),
  nda({
    slug: 'verdant-stonebridge-diligence',
    short: 'Verdant Energy Storage to Stonebridge Capital (acquisition diligence)',
    mutual: false,
    partyA: 'Verdant Energy Storage, Inc.',
    partyB: 'Stonebridge Capital Partners LP',
    client: 'Verdant Energy Storage, Inc.',
    purpose: 'evaluation of a possible acquisition of Verdant Energy Storage, Inc.',
    effective: '2025-02-03',
    period: '2 years',
    returnDeadline: '10 days',
    law: 'Delaware',
    venue: 'the Court of Chancery of the State of Delaware',
    date: '2025-01-29',
    attorney: WHITFIELD,
    extra: [{ section: 'Non-Solicitation', before: 'Remedies', fields: [['Non-solicitation period', '12 months']] }],
    background: [
      'Verdant makes grid-scale battery systems and has engaged a banker to run a sale process. Stonebridge, a private equity fund, is one of six bidders invited to the data room.',
      'Verdant is worried about bidders poaching its engineering team.',
    ],
    guidelines: [
      'Include a no-solicitation covenant for employees met during diligence.',
      'No obligation to proceed with a transaction: say so.',
    ],
  }),
  nda({
    slug: 'meridian-qubit-pilot',
    short: 'Meridian Health System / Qubit Diagnostics (AI triage pilot)',
    mutual: true,
    partyA: 'Meridian Health System',
    partyB: 'Qubit Diagnostics, Inc.',
    client: 'Meridian Health System',
    purpose: 'evaluation of a pilot of an AI radiology triage tool',
    effective: '2025-06-02',
    period: '4 years',
    returnDeadline: '30 days',
    law: 'Pennsylvania',
    venue: 'the state and federal courts located in Philadelphia County',
    date: '2025-05-27',
    attorney: MARSH,
    background: [
      'Meridian, a nonprofit hospital system, wants to test Qubit’s software that flags urgent findings on chest CT scans. Protected health information will only be shared later under a separate business associate agreement.',
    ],
    guidelines: [
      'State that no protected health information may be disclosed under this agreement.',
      'Meridian is a nonprofit: no indemnity from Meridian.',
    ],
  }),
  nda({
    slug: 'harbor-optiroute',
    short: 'Harbor Freightways to OptiRoute Software (routing data)',
    mutual: false,
    partyA: 'Harbor Freightways, Inc.',
    partyB: 'OptiRoute Software LLC',
    client: 'Harbor Freightways, Inc.',
    purpose: 'evaluation of route-optimization software using shipment data',
    effective: '2025-03-03',
    period: '3 years',
    returnDeadline: '10 business days',
    law: 'Delaware',
    venue: 'the state and federal courts located in New Castle County, Delaware',
    date: '2025-02-25',
    attorney: ALVAREZ,
    background: [
      'Harbor will give OptiRoute twelve months of shipment records (origins, destinations, weights, customer names) to benchmark its routing engine.',
    ],
    guidelines: [
      'OptiRoute may not use the data to train models offered to others.',
      'Customer names are Confidential Information of Harbor.',
    ],
  }),
  nda({
    slug: 'calder-novaline-license',
    short: 'Calder University to Novaline Pharma (license evaluation)',
    mutual: false,
    partyA: 'Calder University',
    partyB: 'Novaline Pharma, Inc.',
    client: 'Calder University',
    purpose: 'evaluation of a license under the university’s patent application for compound CU-2207',
    effective: '2025-04-14',
    period: '5 years',
    returnDeadline: '30 days',
    law: 'Massachusetts',
    venue: 'the state and federal courts located in Suffolk County, Massachusetts',
    date: '2025-04-08',
    attorney: MARSH,
    background: [
      'Calder’s technology transfer office is offering an exclusive license to a small-molecule compound for fibrotic disease. Novaline wants to see unpublished assay data before making an offer.',
    ],
    guidelines: ['Academic freedom: the university may publish after a 60-day review period; say so.', 'No obligation to license.'],
  }),
  nda({
    slug: 'aster-vale-summit-ridge',
    short: 'Aster & Vale Architects / Summit Ridge Developers (joint bid)',
    mutual: true,
    partyA: 'Aster & Vale Architects LLP',
    partyB: 'Summit Ridge Developers, LLC',
    client: 'Summit Ridge Developers, LLC',
    purpose: 'preparation of a joint bid for the Riverside Yards mixed-use project',
    effective: '2025-01-13',
    period: '2 years',
    returnDeadline: '15 days',
    law: 'New Jersey',
    venue: 'the state and federal courts located in Hudson County, New Jersey',
    date: '2025-01-08',
    attorney: WHITFIELD,
    background: [
      'The redevelopment authority invited proposals for Riverside Yards. Summit Ridge will share its pro forma and land-acquisition terms; Aster & Vale will share concept designs.',
    ],
    guidelines: ['Either party may bid alone if the joint bid is abandoned, without using the other’s information.'],
  }),
  nda({
    slug: 'fjordtech-lantern',
    short: 'FjordTech / Lantern Security (penetration-test scoping)',
    mutual: true,
    partyA: 'FjordTech AS',
    partyB: 'Lantern Security, Inc.',
    client: 'Lantern Security, Inc.',
    purpose: 'scoping of a penetration-testing engagement',
    effective: '2025-05-19',
    period: '3 years',
    returnDeadline: '15 days',
    law: 'New York',
    venue: 'the state and federal courts located in New York County',
    date: '2025-05-14',
    attorney: ALVAREZ,
    background: [
      'Lantern will review FjordTech’s network diagrams and prior audit findings to scope a test. Vulnerability information is sensitive for both sides.',
    ],
    guidelines: [
      'Vulnerability details survive indefinitely as Confidential Information.',
      'FjordTech is Norwegian: personal data must be handled consistently with the GDPR.',
    ],
  }),
];

// ---------------------------------------------------------------------------------------------
// Motions

const MOTION_GUIDELINES = `# Guidelines — motions practice

## Firm practice (Litigation Department)
- Lead with the ask: the opening section names the moving party and the relief sought.
- Every fact in the background must be supported by the record; cite exhibits to the supporting declaration as "Ex. _".
- Discovery motions need a meet-and-confer certification stating when and how counsel conferred.
- Cite the Federal Rules of Civil Procedure by number (e.g. Fed. R. Civ. P. 37(a)).
- End with a conclusion that repeats the precise relief; a proposed order is filed separately.
- Filings must comply with the court's local rules on the form of papers (Local Rule 5.1); the Clerk's e-filing system rejects nonconforming papers.`;

function motion(spec: {
  slug: string;
  short: string;
  court: string;
  caseNumber: string;
  judge: string;
  plaintiff: string;
  defendant: string;
  moving: string;
  document: string;
  attorney: string;
  bar: string;
  date: string;
  facts: Array<[string, string]>;
  sections: Array<[string, string[]]>;
  background: string[];
  guidelines: string[];
  rubric: string[];
}): Spec {
  const fields: Array<[string, Value]> = [
    ['Matter number', `AWM-${spec.date.slice(0, 4)}-L${spec.caseNumber.slice(-9, -4).replace(/\D/g, '')}`],
    ['Responsible attorney', spec.attorney],
    ['Bar number', spec.bar],
    ['Court', spec.court],
    ['Case number', spec.caseNumber],
    ['Judge', spec.judge],
    ['Plaintiff', spec.plaintiff],
    ['Defendant', spec.defendant],
    ['Moving party', spec.moving],
    ['Document', spec.document],
    ...spec.facts,
  ];
  return {
    slug: spec.slug,
    title: `Motion — ${spec.short}`,
    ask: `Draft ${/^(Plaintiff|Defendant)/.test(spec.document) ? spec.document : `the ${spec.document}`} for filing in ${spec.plaintiff} v. ${spec.defendant}, No. ${spec.caseNumber} (${spec.court}).`,
    fields,
    date: spec.date,
    sections: spec.sections,
    background: spec.background,
    guidelines: spec.guidelines,
    guidelinesTitle: `Chambers practices — ${spec.judge}`,
    rubric: [
      `Opens with the caption: ${spec.court}, ${spec.plaintiff} v. ${spec.defendant}, Case No. ${spec.caseNumber}.`,
      `States at the outset that ${spec.moving} moves and what relief it seeks.`,
      ...spec.rubric,
      ...spec.guidelines.map((g) => `Complies with chambers practice: ${g}`),
      'Cites the Federal Rules by number and keeps argument tied to the record.',
      'Signed by the responsible attorney with bar number, for the moving party.',
    ],
  };
}

const DEL = 'United States District Court for the District of Delaware';
const SDNY = 'United States District Court for the Southern District of New York';
const EDPA = 'United States District Court for the Eastern District of Pennsylvania';
const DNJ = 'United States District Court for the District of New Jersey';
const DMD = 'United States District Court for the District of Maryland';

const motions: Spec[] = [
  motion({
    slug: 'halberd-compel-production',
    short: 'Halberd v. Corvex (motion to compel production)',
    court: DEL,
    caseNumber: '1:24-cv-00817-EJW',
    judge: 'Hon. Eleanor J. Whitcomb',
    plaintiff: 'Halberd Industrial Supply, Inc.',
    defendant: 'Corvex Fabrication LLC',
    moving: 'Plaintiff Halberd Industrial Supply, Inc.',
    document: "Plaintiff's Motion to Compel Production of Documents",
    attorney: ALVAREZ,
    bar: '5521',
    date: '2024-11-04',
    facts: [
      ['Requests at issue', 'Requests for Production Nos. 4 through 11'],
      ['Date served', '2024-09-03'],
      ['Meet-and-confer date', '2024-10-21'],
      ['Rule', 'Fed. R. Civ. P. 37(a)(3)(B)(iv)'],
      ['Production deadline sought', '14 days'],
    ],
    sections: [
      ['Introduction', ['Production deadline sought']],
      ['Background', ['Requests at issue', 'Date served']],
      ['Meet-and-Confer Certification', ['Meet-and-confer date']],
      ['Argument', ['Rule']],
      ['Conclusion', []],
    ],
    background: [
      'Halberd alleges that Corvex diverted Halberd customers in breach of a 2021 distribution agreement. Requests 4 through 11 seek Corvex’s pricing, rebate and customer-allocation records from 2021 on.',
      'Corvex served boilerplate objections and produced 212 pages, none of them pricing records. Counsel conferred by video on October 21, 2024; Corvex refused to supplement.',
    ],
    guidelines: ['Discovery motions are limited to 10 pages.', 'Attach the disputed requests and responses as exhibits.'],
    rubric: [
      'Identifies Requests for Production Nos. 4 through 11, the service date and the deficient responses.',
      'Certifies the October 21, 2024 meet-and-confer.',
      'Asks for production within 14 days and expenses under Rule 37(a)(5).',
    ],
  }),
  motion({
    slug: 'ortega-dismiss-fdcpa',
    short: 'Ortega v. Brightline (motion to dismiss, FDCPA)',
    court: SDNY,
    caseNumber: '1:25-cv-02291-RDM',
    judge: 'Hon. Rafael D. Moreno',
    plaintiff: 'Marisol Ortega',
    defendant: 'Brightline Consumer Finance, Inc.',
    moving: 'Defendant Brightline Consumer Finance, Inc.',
    document: "Memorandum of Law in Support of Defendant's Motion to Dismiss",
    attorney: WHITFIELD,
    bar: 'DW-4417',
    date: '2025-04-15',
    facts: [
      ['Complaint filed', '2025-03-18'],
      ['Claim asserted', 'Fair Debt Collection Practices Act'],
      ['Rule', 'Fed. R. Civ. P. 12(b)(6)'],
      ['Statute at issue', '15 U.S.C. § 1692a(6)'],
    ],
    sections: [
      ['Preliminary Statement', ['Claim asserted']],
      ['Statement of Facts', ['Complaint filed']],
      ['Legal Standard', ['Rule']],
      ['Argument', ['Statute at issue']],
      ['Conclusion', []],
    ],
    background: [
      'Ms. Ortega alleges that Brightline called her about a past-due personal loan at work. Brightline originated the loan and collects it in its own name.',
      'A creditor collecting its own debt is not a "debt collector" under the Act, so the single claim fails as a matter of law.',
    ],
    guidelines: [
      'Memoranda of law are limited to 25 pages.',
      'Pre-motion letters are required: one was filed and the Court set this briefing schedule; say so in the Preliminary Statement.',
    ],
    rubric: [
      'Explains that Brightline collects its own debts and so is not a debt collector under 15 U.S.C. § 1692a(6).',
      'Applies the Rule 12(b)(6) plausibility standard.',
      'Asks for dismissal with prejudice.',
    ],
  }),
  motion({
    slug: 'sequoia-protective-order',
    short: 'Sequoia Data v. Tanaka (protective order for source code)',
    court: DEL,
    caseNumber: '1:24-cv-01532-CLA',
    judge: 'Hon. Catherine L. Ashby',
    plaintiff: 'Sequoia Data Systems, Inc.',
    defendant: 'Kai Tanaka',
    moving: 'Plaintiff Sequoia Data Systems, Inc.',
    document: "Plaintiff's Motion for Entry of a Protective Order",
    attorney: MARSH,
    bar: '6093',
    date: '2025-01-27',
    facts: [
      ['Rule', 'Fed. R. Civ. P. 26(c)(1)(G)'],
      ['Highest tier', 'Highly Confidential – Attorneys’ Eyes Only'],
      ['Source code review', 'a standalone computer at producing counsel’s office'],
      ['Meet-and-confer date', '2025-01-14'],
    ],
    sections: [
      ['Introduction', ['Highest tier']],
      ['Background', ['Source code review']],
      ['Meet-and-Confer Certification', ['Meet-and-confer date']],
      ['Argument', ['Rule']],
      ['Conclusion', []],
    ],
    background: [
      'Sequoia sued its former lead engineer for taking its data-compression source code to a competitor. Sequoia must produce the code to prove misappropriation, and Mr. Tanaka’s counsel wants copies on their own laptops.',
      'The parties agree on a two-tier order but not on source-code handling.',
    ],
    guidelines: ['Submit the proposed protective order as an exhibit.', 'Identify each disputed provision.'],
    rubric: [
      'Shows good cause under Rule 26(c)(1)(G) for a two-tier order with an attorneys’-eyes-only tier.',
      'Proposes review of source code only on a standalone computer.',
      'Certifies the January 14, 2025 meet-and-confer.',
    ],
  }),
  motion({
    slug: 'liberty-row-extend-discovery',
    short: 'Liberty Row Tenants v. Keystone (extension of discovery)',
    court: EDPA,
    caseNumber: '2:24-cv-03310-STO',
    judge: 'Hon. Samuel T. Okoye',
    plaintiff: 'Liberty Row Tenants Association',
    defendant: 'Keystone Property Management, LLC',
    moving: 'Plaintiff Liberty Row Tenants Association',
    document: "Plaintiff's Motion to Extend the Fact Discovery Deadline",
    attorney: ALVAREZ,
    bar: '318842',
    date: '2025-05-09',
    facts: [
      ['Current deadline', '2025-05-30'],
      ['Proposed deadline', '2025-07-29'],
      ['Rule', 'Fed. R. Civ. P. 16(b)(4)'],
      ['Depositions remaining', 'six depositions'],
    ],
    sections: [
      ['Introduction', ['Proposed deadline']],
      ['Background', ['Current deadline', 'Depositions remaining']],
      ['Argument', ['Rule']],
      ['Conclusion', []],
    ],
    background: [
      'The tenants association sued the building manager over heating failures in a 180-unit building. Keystone produced 41,000 pages of maintenance records on April 25, 2025, five weeks before the close of fact discovery.',
      'Plaintiff has been diligent: it served its requests in the first week of discovery. Defendant does not consent to the extension.',
    ],
    guidelines: [
      'Motions to extend must state whether prior extensions were granted (none were).',
      'State whether the other side consents.',
    ],
    rubric: [
      'Shows good cause and diligence under Rule 16(b)(4).',
      'Asks to move the fact discovery deadline to the proposed date, explaining the late production and six depositions remaining.',
    ],
  }),
  motion({
    slug: 'coastal-marine-summary-judgment',
    short: 'Coastal Marine v. Beacon Harbor (summary judgment, coverage)',
    court: DMD,
    caseNumber: '1:23-cv-02871-DRL',
    judge: 'Hon. David R. Lindqvist',
    plaintiff: 'Coastal Marine Insurance Company',
    defendant: 'Beacon Harbor Marina LLC',
    moving: 'Plaintiff Coastal Marine Insurance Company',
    document: "Memorandum in Support of Plaintiff's Motion for Summary Judgment",
    attorney: WHITFIELD,
    bar: '21907',
    date: '2025-03-03',
    facts: [
      ['Policy number', 'CMI-MAR-220914'],
      ['Loss date', '2023-08-27'],
      ['Exclusion', 'Exclusion 4(f)'],
      ['Rule', 'Fed. R. Civ. P. 56(a)'],
    ],
    sections: [
      ['Introduction', ['Policy number']],
      ['Statement of Undisputed Facts', ['Loss date']],
      ['Legal Standard', ['Rule']],
      ['Argument', ['Exclusion']],
      ['Conclusion', []],
    ],
    background: [
      'A floating dock at Beacon Harbor collapsed during a storm. Coastal Marine seeks a declaration that the loss is excluded as wear and tear: the marina’s own engineer had reported corroded pilings two years earlier.',
      'Discovery is closed and the engineer’s report is authenticated.',
    ],
    guidelines: ['Number the undisputed facts and cite the joint appendix for each.', 'Opening memoranda are limited to 35 pages.'],
    rubric: [
      'Sets out numbered undisputed facts with record citations.',
      'Applies Rule 56(a) and shows the wear-and-tear exclusion bars coverage.',
      'Asks for a declaration of no coverage.',
    ],
  }),
  motion({
    slug: 'price-compel-arbitration',
    short: 'Price v. QuickCart (motion to compel arbitration)',
    court: DNJ,
    caseNumber: '2:25-cv-01408-MKC',
    judge: 'Hon. Miriam K. Castellano',
    plaintiff: 'Devon Price',
    defendant: 'QuickCart Delivery, Inc.',
    moving: 'Defendant QuickCart Delivery, Inc.',
    document: "Defendant's Motion to Compel Arbitration and Stay Proceedings",
    attorney: ALVAREZ,
    bar: '031452010',
    date: '2025-03-24',
    facts: [
      ['Agreement', 'Independent Contractor Agreement'],
      ['Agreement date', '2023-06-12'],
      ['Arbitration rules', 'AAA Commercial Arbitration Rules'],
      ['Statute', '9 U.S.C. §§ 3 and 4'],
    ],
    sections: [
      ['Introduction', ['Statute']],
      ['Background', ['Agreement', 'Agreement date']],
      ['Argument', ['Arbitration rules']],
      ['Conclusion', []],
    ],
    background: [
      'Mr. Price, a delivery courier, claims he was misclassified. He accepted the Independent Contractor Agreement in the QuickCart app; the agreement requires individual arbitration and delegates arbitrability to the arbitrator.',
      'The app’s acceptance log shows his click-through acceptance.',
    ],
    guidelines: ['Address the transportation-worker exemption of 9 U.S.C. § 1.', 'Attach the acceptance log through a declaration.'],
    rubric: [
      'Shows a valid click-through agreement to arbitrate under the Federal Arbitration Act.',
      'Addresses the delegation clause and the section 1 exemption.',
      'Asks to compel individual arbitration and stay the case.',
    ],
  }),
  motion({
    slug: 'prairie-grain-personal-jurisdiction',
    short: 'Prairie Grain v. Volta Agritech (dismiss for lack of jurisdiction)',
    court: SDNY,
    caseNumber: '1:25-cv-00944-RDM',
    judge: 'Hon. Rafael D. Moreno',
    plaintiff: 'Prairie Grain Cooperative',
    defendant: 'Volta Agritech GmbH',
    moving: 'Defendant Volta Agritech GmbH',
    document: "Memorandum of Law in Support of Defendant's Motion to Dismiss for Lack of Personal Jurisdiction",
    attorney: WHITFIELD,
    bar: 'DW-4417',
    date: '2025-03-31',
    facts: [
      ['Rule', 'Fed. R. Civ. P. 12(b)(2)'],
      ['Principal place of business', 'Stuttgart, Germany'],
      ['Service date', '2025-02-04'],
      ['Declarant', 'Dr. Henrik Albers'],
    ],
    sections: [
      ['Preliminary Statement', ['Principal place of business']],
      ['Statement of Facts', ['Service date', 'Declarant']],
      ['Legal Standard', ['Rule']],
      ['Argument', []],
      ['Conclusion', []],
    ],
    background: [
      'Prairie Grain, a Kansas cooperative, sued Volta over failed grain-moisture sensors bought through a Dutch distributor. Volta has no office, employees or sales staff in New York and did not direct the sale there.',
      'Volta’s managing director will submit a declaration on its contacts.',
    ],
    guidelines: ['Declarations of foreign declarants must comply with 28 U.S.C. § 1746.', 'Memoranda of law are limited to 25 pages.'],
    rubric: [
      'Shows no general jurisdiction (German company, principal place of business in Stuttgart) and no specific jurisdiction.',
      'Relies on the declaration of Dr. Henrik Albers.',
      'Applies Rule 12(b)(2) and asks for dismissal.',
    ],
  }),
  motion({
    slug: 'aspen-trail-leave-to-amend',
    short: 'Aspen Trail v. Summit Gear (leave to amend)',
    court: EDPA,
    caseNumber: '2:24-cv-02765-STO',
    judge: 'Hon. Samuel T. Okoye',
    plaintiff: 'Aspen Trail Outfitters LLC',
    defendant: 'Summit Gear Distributors, Inc.',
    moving: 'Plaintiff Aspen Trail Outfitters LLC',
    document: "Plaintiff's Motion for Leave to File a First Amended Complaint",
    attorney: MARSH,
    bar: '322017',
    date: '2025-02-18',
    facts: [
      ['Rule', 'Fed. R. Civ. P. 15(a)(2)'],
      ['New claim', 'tortious interference with contractual relations'],
      ['Production date', '2025-01-15'],
      ['Amendment deadline', '2025-03-01'],
    ],
    sections: [
      ['Introduction', ['New claim']],
      ['Background', ['Production date', 'Amendment deadline']],
      ['Argument', ['Rule']],
      ['Conclusion', []],
    ],
    background: [
      'Aspen Trail sued its former distributor for unpaid invoices. Emails produced on January 15, 2025 show that Summit Gear told Aspen Trail’s retailers that Aspen Trail was going out of business.',
      'The motion is timely under the scheduling order, and no depositions have been taken.',
    ],
    guidelines: ['Attach a redline of the proposed amended complaint.', 'State whether the defendant consents.'],
    rubric: [
      'Shows the amendment is timely under the scheduling order and not futile, prejudicial or in bad faith.',
      'Explains the new tortious-interference claim and the January 15, 2025 production.',
      'Applies Rule 15(a)(2).',
    ],
  }),
  motion({
    slug: 'cascadia-quash-subpoena',
    short: 'Cascadia Timber v. Northwind Freight (motion to quash)',
    court: DEL,
    caseNumber: '1:24-cv-01190-EJW',
    judge: 'Hon. Eleanor J. Whitcomb',
    plaintiff: 'Cascadia Timber Holdings, LLC',
    defendant: 'Northwind Freight Corp.',
    moving: 'Defendant Northwind Freight Corp.',
    document: "Defendant's Motion to Quash Subpoena to Hollis & Reyes CPAs LLP",
    attorney: ALVAREZ,
    bar: '5521',
    date: '2025-02-20',
    facts: [
      ['Rule', 'Fed. R. Civ. P. 45(d)(3)'],
      ['Subpoena date', '2025-02-10'],
      ['Compliance date', '2025-03-03'],
      ['Scope objected to', 'all tax returns and work papers since 2015'],
    ],
    sections: [
      ['Introduction', ['Scope objected to']],
      ['Background', ['Subpoena date', 'Compliance date']],
      ['Meet-and-Confer Certification', []],
      ['Argument', ['Rule']],
      ['Conclusion', []],
    ],
    background: [
      'Cascadia claims Northwind damaged a timber shipment. It subpoenaed Northwind’s outside accountants for ten years of tax returns and audit work papers, although damages are capped by the bill of lading.',
      'Counsel conferred by phone on February 14, 2025 without result.',
    ],
    guidelines: [
      'Explain the moving party’s standing to challenge a subpoena to a non-party.',
      'Discovery motions are limited to 10 pages.',
    ],
    rubric: [
      'Establishes standing to challenge a non-party subpoena (personal interest in its financial records).',
      'Shows the subpoena is overbroad and unduly burdensome under Rule 45(d)(3).',
      'Certifies the meet-and-confer.',
    ],
  }),
];

// ---------------------------------------------------------------------------------------------
// Demand letters

const DEMAND_GUIDELINES = `# Guidelines — demand letters

## Firm practice (Litigation Department)
- Write to the counterparty's decision-maker named in the matter file; if the counterparty has counsel, write to counsel only.
- State the facts neutrally and precisely: the agreement and its date, amounts, invoice or order numbers.
- Identify the legal basis (the contract provision or statute) without overstating it.
- Make one clear demand with a specific deadline, and say what the client will do if it is missed.
- Reserve all rights. Never threaten criminal prosecution or a disciplinary complaint to gain advantage in a civil matter.
- Use the exact names, amounts and dates of the matter file.`;

function demand(spec: {
  slug: string;
  short: string;
  client: string;
  counterparty: string;
  recipient: string;
  address: string;
  re: string;
  attorney: string;
  date: string;
  facts: Array<[string, string]>;
  sections: Array<[string, string[]]>;
  deadline: string;
  background: string[];
  guidelines: string[];
  rubric: string[];
}): Spec {
  const fields: Array<[string, Value]> = [
    ['Matter number', `AWM-${spec.date.slice(0, 4)}-D${spec.deadline.slice(5).replace('-', '')}`],
    ['Responsible attorney', spec.attorney],
    ['Client', spec.client],
    ['Counterparty', spec.counterparty],
    ['Recipient', spec.recipient],
    ['Recipient address', spec.address],
    ['Re', spec.re],
    ...spec.facts,
    ['Response deadline', spec.deadline],
  ];
  return {
    slug: spec.slug,
    title: `Demand letter — ${spec.short}`,
    ask: `Draft a demand letter on behalf of ${spec.client} to ${end(spec.counterparty)}`,
    fields,
    date: spec.date,
    sections: [
      ['Introduction', ['Client']],
      ...spec.sections,
      ['Deadline for Response', ['Response deadline']],
      ['Reservation of Rights', []],
    ],
    background: spec.background,
    guidelines: spec.guidelines,
    guidelinesTitle: `Client instructions — ${spec.client}`,
    rubric: [
      `Addressed to ${spec.recipient.split(',')[0]} of ${spec.counterparty}; states that the firm represents ${end(spec.client)}`,
      ...spec.rubric,
      'Sets a specific response deadline and says what happens if it passes.',
      'Reserves all rights; makes no improper threats.',
      ...spec.guidelines.map((g) => `Follows the client instruction: ${g}`),
      'Firm, professional tone; follows the firm house style for letters.',
    ],
  };
}

const demands: Spec[] = [
  demand({
    slug: 'brightside-oakmont-invoices',
    short: 'Brightside Staffing to Oakmont Senior Living (unpaid invoices)',
    client: 'Brightside Staffing LLC',
    counterparty: 'Oakmont Senior Living, Inc.',
    recipient: 'Denise Carroll, Chief Financial Officer, Oakmont Senior Living, Inc.',
    address: '900 Ridge Pike; Conshohocken, Pennsylvania 19428',
    re: 'Demand for payment of past-due staffing invoices',
    attorney: ALVAREZ,
    date: '2025-03-28',
    deadline: '2025-04-15',
    facts: [
      ['Agreement', 'Master Staffing Services Agreement'],
      ['Agreement date', '2023-11-01'],
      ['Invoices', 'Invoices 4471 through 4479'],
      ['Amount due', '$86,412.50'],
      ['Late charge', '1.5% per month'],
    ],
    sections: [
      ['Factual Background', ['Agreement', 'Agreement date', 'Invoices']],
      ['Legal Basis', ['Late charge']],
      ['Demand', ['Amount due']],
    ],
    background: [
      'Brightside placed licensed practical nurses at three Oakmont communities from August to December 2024. Oakmont paid until July 2024 and has not paid nine invoices since, without disputing any of them in writing as the agreement requires within 15 days.',
    ],
    guidelines: [
      'Brightside would accept a 60-day payment plan; do not offer it in the letter, but say the client is open to discussing payment terms.',
    ],
    rubric: [
      'Identifies the Master Staffing Services Agreement, its date and Invoices 4471 through 4479.',
      'Demands $86,412.50 plus the 1.5% monthly late charge under the agreement.',
    ],
  }),
  demand({
    slug: 'lakeview-copperline-rent',
    short: 'Lakeview Plaza to Copperline Fitness (unpaid rent)',
    client: 'Lakeview Plaza Associates LP',
    counterparty: 'Copperline Fitness LLC',
    recipient: 'Grant Ellison, Managing Member, Copperline Fitness LLC',
    address: '2200 Lakeview Parkway, Suite 110; King of Prussia, Pennsylvania 19406',
    re: 'Notice of default and demand for past-due rent',
    attorney: WHITFIELD,
    date: '2025-04-01',
    deadline: '2025-04-11',
    facts: [
      ['Lease', 'Shopping Center Lease'],
      ['Lease date', '2021-08-01'],
      ['Rent arrears', '$57,300'],
      ['Months unpaid', 'January through March 2025'],
      ['Cure period', '10 days'],
    ],
    sections: [
      ['Factual Background', ['Lease', 'Lease date', 'Months unpaid']],
      ['Legal Basis', ['Cure period']],
      ['Demand', ['Rent arrears']],
    ],
    background: [
      'Copperline operates a gym in Suite 110 under a ten-year lease. It has paid no base rent or common-area charges for January, February or March 2025. Section 18.1 of the lease gives the tenant 10 days after written notice to cure a monetary default.',
    ],
    guidelines: [
      'This letter is also the written notice of default under Section 18.1: say so expressly.',
      'Send a copy to the guarantor, Grant Ellison, personally.',
    ],
    rubric: [
      'Identifies the lease, its date and the unpaid months.',
      'Serves as notice of default under Section 18.1 with the 10-day cure period.',
      'Demands $57,300.',
    ],
  }),
  demand({
    slug: 'bellweather-hearthside-trademark',
    short: 'Bellweather Foods to Hearthside Provisions (trademark cease and desist)',
    client: 'Bellweather Foods LLC',
    counterparty: 'Hearthside Provisions Co.',
    recipient: 'Owen Pratt, President, Hearthside Provisions Co.',
    address: '15 Foundry Street; York, Pennsylvania 17401',
    re: 'Infringement of registered trademark — demand to cease and desist',
    attorney: MARSH,
    date: '2025-04-07',
    deadline: '2025-04-28',
    facts: [
      ['Mark', 'HARVEST HEARTH'],
      ['Registration number', 'U.S. Reg. No. 6,812,334'],
      ['Infringing mark', 'HEARTHSIDE HARVEST'],
      ['Statute', '15 U.S.C. § 1114'],
      ['Transition period', '60 days'],
    ],
    sections: [
      ['Factual Background', ['Mark', 'Registration number', 'Infringing mark']],
      ['Legal Basis', ['Statute']],
      ['Demand', ['Transition period']],
    ],
    background: [
      'Bellweather registered HARVEST HEARTH for bakery goods. Hearthside, a regional bakery, began selling frozen bread under HEARTHSIDE HARVEST in the same grocery chains, with a similar wheat-sheaf logo.',
    ],
    guidelines: [
      'Offer a 60-day sell-off period for existing packaging in exchange for a written undertaking.',
      'Keep the tone firm but not aggressive: Hearthside is a potential co-packer.',
    ],
    rubric: [
      'Identifies the HARVEST HEARTH registration and the infringing HEARTHSIDE HARVEST mark.',
      'Relies on 15 U.S.C. § 1114.',
      'Demands that Hearthside stop using the mark, with a 60-day transition for existing packaging and a written undertaking.',
    ],
  }),
  demand({
    slug: 'kestrel-trident-nonconforming',
    short: 'Kestrel Aerospace to Trident Alloys (nonconforming goods)',
    client: 'Kestrel Aerospace Components Corp.',
    counterparty: 'Trident Alloys Inc.',
    recipient: 'Laura Bianchi, Vice President, Sales, Trident Alloys Inc.',
    address: '600 Furnace Road; Pittsburgh, Pennsylvania 15212',
    re: 'Rejection of nonconforming titanium bar stock and demand',
    attorney: WHITFIELD,
    date: '2025-02-21',
    deadline: '2025-03-14',
    facts: [
      ['Purchase order', 'PO 88-2291'],
      ['Delivery date', '2025-01-09'],
      ['Specification', 'AMS 4928'],
      ['Damages', '$212,750'],
      ['Statute', '13 Pa.C.S. § 2714'],
    ],
    sections: [
      ['Factual Background', ['Purchase order', 'Delivery date', 'Specification']],
      ['Legal Basis', ['Statute']],
      ['Demand', ['Damages']],
    ],
    background: [
      'Trident delivered 4,200 pounds of titanium bar stock that failed Kestrel’s incoming inspection: tensile strength below the specification. Kestrel had already machined part of it into landing-gear brackets before lab results came back, and had to scrap them.',
    ],
    guidelines: ['Kestrel wants to keep buying from Trident: ask for replacement stock or a credit, not only money.'],
    rubric: [
      'Identifies PO 88-2291, the delivery and the AMS 4928 specification failure.',
      'Invokes the buyer’s remedies for accepted nonconforming goods.',
      'Demands $212,750 or replacement and credit.',
    ],
  }),
  demand({
    slug: 'orison-vantage-non-solicit',
    short: 'Orison Health to Vantage Care Network (non-solicitation breach)',
    client: 'Orison Health Partners, P.C.',
    counterparty: 'Vantage Care Network LLC',
    recipient: 'Rachel Dunn, General Counsel, Vantage Care Network LLC',
    address: '1 Liberty Place, Suite 2100; Philadelphia, Pennsylvania 19103',
    re: 'Breach of non-solicitation covenant',
    attorney: MARSH,
    date: '2025-03-17',
    deadline: '2025-04-04',
    facts: [
      ['Agreement', 'Clinical Staffing Referral Agreement'],
      ['Agreement date', '2022-05-16'],
      ['Provision', 'Section 9.2'],
      ['Employees solicited', 'six registered nurses'],
      ['Liquidated damages', '$150,000'],
    ],
    sections: [
      ['Factual Background', ['Agreement', 'Agreement date', 'Employees solicited']],
      ['Legal Basis', ['Provision']],
      ['Demand', ['Liquidated damages']],
    ],
    background: [
      'Under the referral agreement Vantage agreed not to solicit Orison clinical staff for 12 months after any referral. In January and February 2025 Vantage recruiters contacted and hired six Orison nurses it had met through referrals.',
      'Section 9.3 sets liquidated damages of $25,000 per employee.',
    ],
    guidelines: ['Demand that Vantage stop soliciting and confirm it in writing, in addition to payment.'],
    rubric: [
      'Identifies the agreement, Section 9.2 and the six nurses hired.',
      'Demands $150,000 in liquidated damages ($25,000 per employee) and a written confirmation that solicitation has stopped.',
    ],
  }),
  demand({
    slug: 'hoffmann-riverside-deposit',
    short: 'Lena Hoffmann to Riverside Lofts (security deposit)',
    client: 'Lena Hoffmann',
    counterparty: 'Riverside Lofts LLC',
    recipient: 'Property Manager, Riverside Lofts LLC',
    address: '300 Delaware Avenue; Philadelphia, Pennsylvania 19123',
    re: 'Return of security deposit — Unit 4C',
    attorney: ALVAREZ,
    date: '2025-03-14',
    deadline: '2025-03-28',
    facts: [
      ['Security deposit', '$4,800'],
      ['Move-out date', '2025-01-31'],
      ['Statute', '68 P.S. § 250.512'],
      ['Amount demanded', '$9,600'],
    ],
    sections: [
      ['Factual Background', ['Security deposit', 'Move-out date']],
      ['Legal Basis', ['Statute']],
      ['Demand', ['Amount demanded']],
    ],
    background: [
      'Ms. Hoffmann vacated Unit 4C at the end of her lease, returned the keys and gave a forwarding address in writing the same day. Riverside has neither returned the deposit nor sent an itemized list of damages within 30 days.',
      'Under the Landlord and Tenant Act a landlord who fails to do so forfeits the right to withhold any part of the deposit and is liable for double the amount wrongfully withheld.',
    ],
    guidelines: ['Ms. Hoffmann wants payment by check to her forwarding address; include it.'],
    rubric: [
      'States the deposit, move-out date and forwarding address.',
      'Explains the 30-day rule and double damages under 68 P.S. § 250.512.',
      'Demands $9,600.',
    ],
  }),
  demand({
    slug: 'ironclad-westbury-retainage',
    short: 'Ironclad Concrete to Westbury Builders (retainage)',
    client: 'Ironclad Concrete, Inc.',
    counterparty: 'Westbury Builders Group, Inc.',
    recipient: 'Peter Vance, Chief Executive Officer, Westbury Builders Group, Inc.',
    address: '77 Commerce Drive; Newark, Delaware 19713',
    re: 'Demand for release of retainage',
    attorney: WHITFIELD,
    date: '2025-02-28',
    deadline: '2025-03-21',
    facts: [
      ['Project', 'Harborview Commons'],
      ['Subcontract date', '2023-04-18'],
      ['Substantial completion', '2024-11-22'],
      ['Retainage', '$143,900'],
      ['Statute', '6 Del. C. § 3506'],
    ],
    sections: [
      ['Factual Background', ['Project', 'Subcontract date', 'Substantial completion']],
      ['Legal Basis', ['Statute']],
      ['Demand', ['Retainage']],
    ],
    background: [
      'Ironclad poured the foundations and parking structure for Harborview Commons as a subcontractor of Westbury. The owner certified substantial completion and released retainage to Westbury in December 2024, but Westbury has not paid Ironclad its share.',
    ],
    guidelines: ['Mention that Ironclad is preserving its mechanics’ lien rights.'],
    rubric: [
      'Identifies the project, the subcontract and substantial completion.',
      'Relies on the Delaware Building Construction Payment Act for prompt payment of retainage.',
      'Demands $143,900 and preserves lien rights.',
    ],
  }),
  demand({
    slug: 'granite-peak-meridian-license',
    short: 'Granite Peak Software to Meridian Freight Brokers (license overuse)',
    client: 'Granite Peak Software, Inc.',
    counterparty: 'Meridian Freight Brokers LLC',
    recipient: 'Oscar Lindgren, Chief Information Officer, Meridian Freight Brokers LLC',
    address: '4100 Industrial Boulevard; Columbus, Ohio 43219',
    re: 'License compliance audit — demand for true-up',
    attorney: MARSH,
    date: '2025-03-05',
    deadline: '2025-03-31',
    facts: [
      ['Agreement', 'Software License and Subscription Agreement'],
      ['Agreement date', '2022-09-30'],
      ['Licensed seats', '250 seats'],
      ['Seats in use', '390 seats'],
      ['License fees due', '$96,600'],
    ],
    sections: [
      ['Factual Background', ['Agreement', 'Agreement date', 'Licensed seats', 'Seats in use']],
      ['Legal Basis', []],
      ['Demand', ['License fees due']],
    ],
    background: [
      'Granite Peak’s annual compliance audit, which Meridian permitted under Section 7 of the agreement, found 390 named users against 250 licensed seats. The agreement prices additional seats at $690 per seat per year.',
    ],
    guidelines: ['Meridian is a good customer: offer to convert to an enterprise tier instead, as an alternative.'],
    rubric: [
      'Identifies the agreement, the audit and the 140-seat overage.',
      'Demands $96,600 (140 seats at $690) or conversion to an enterprise tier.',
    ],
  }),
  demand({
    slug: 'solano-pacific-crest-claim',
    short: 'Solano Valley Vineyards to Pacific Crest Mutual (claim denial)',
    client: 'Solano Valley Vineyards LP',
    counterparty: 'Pacific Crest Mutual Insurance Company',
    recipient: 'Janet Morales, Claims Director, Pacific Crest Mutual Insurance Company',
    address: '1 Market Plaza, Suite 1400; San Francisco, California 94105',
    re: 'Wrongful denial of crop-loss claim',
    attorney: ALVAREZ,
    date: '2025-03-10',
    deadline: '2025-04-18',
    facts: [
      ['Policy number', 'PCM-AGR-77120'],
      ['Claim number', 'PCM-2024-118834'],
      ['Loss date', '2024-09-07'],
      ['Amount claimed', '$318,000'],
      ['Statute', 'Cal. Ins. Code § 790.03(h)'],
    ],
    sections: [
      ['Factual Background', ['Policy number', 'Claim number', 'Loss date']],
      ['Legal Basis', ['Statute']],
      ['Demand', ['Amount claimed']],
    ],
    background: [
      'Wildfire smoke tainted 62 acres of cabernet grapes, which the winery that buys them rejected. Pacific Crest denied the claim under the pollution exclusion, which on its terms addresses discharges from the insured premises, not wildfire smoke.',
    ],
    guidelines: ['Ask the insurer to preserve its claim file and the adjuster’s notes.'],
    rubric: [
      'Identifies the policy, the claim number and the loss.',
      'Explains why the pollution exclusion does not apply and invokes the unfair claims practices statute.',
      'Demands payment of $318,000.',
    ],
  }),
];

// ---------------------------------------------------------------------------------------------
// Contract clause riders

const CLAUSE_GUIDELINES = `# Guidelines — contract riders

## Firm practice (Transactions Group)
- A rider amends an existing agreement: identify the Agreement by its title, date and parties at the start.
- Use the Agreement's defined terms; define every new term in the rider's Definitions section.
- Keep each operative provision in its own section, in the order the client's playbook sets.
- Say what controls if the rider and the Agreement conflict.
- Use the exact names, amounts, periods and dates of the matter file.`;

function rider(spec: {
  slug: string;
  clause: string;
  riderNo: number;
  client: string;
  agreement: string;
  agreementDate: string;
  roles: [[string, string], [string, string]];
  attorney: string;
  date: string;
  facts: Array<[string, string]>;
  sections: Array<[string, string[]]>;
  terms: Array<[string, string]>;
  background: string[];
  guidelines: string[];
  rubric: string[];
}): Spec {
  const [[roleA, partyA], [roleB, partyB]] = spec.roles;
  const fields: Array<[string, Value]> = [
    ['Matter number', `AWM-${spec.date.slice(0, 4)}-C${spec.agreementDate.slice(2, 4)}${spec.riderNo}`],
    ['Responsible attorney', spec.attorney],
    ['Document', `Rider No. ${spec.riderNo} — ${spec.clause}`],
    ['Client', spec.client],
    ['Agreement', spec.agreement],
    ['Agreement date', spec.agreementDate],
    [roleA, partyA],
    [roleB, partyB],
    ...spec.facts,
  ];
  return {
    slug: spec.slug,
    title: `Rider — ${spec.clause} (${spec.agreement}, ${partyA} / ${partyB})`,
    ask: `Draft Rider No. ${spec.riderNo} (${spec.clause}) to the ${spec.agreement} between ${partyA} and ${end(partyB)} The firm acts for ${end(spec.client)}`,
    fields,
    date: spec.date,
    sections: [
      ['Purpose of Rider', ['Agreement', 'Agreement date', roleA, roleB]],
      ['Definitions', []],
      ...spec.sections,
      ['Order of Precedence', []],
    ],
    terms: spec.terms,
    background: spec.background,
    guidelines: spec.guidelines,
    guidelinesTitle: `Client playbook — ${spec.client}`,
    rubric: [
      `Identifies the ${spec.agreement} dated as in the matter file between ${partyA} (${roleA}) and ${partyB} (${roleB}).`,
      `Defines ${spec.terms.map(([t]) => `"${t}"`).join(', ')}.`,
      ...spec.rubric,
      'States that the rider controls over the Agreement where they conflict.',
      ...spec.guidelines.map((g) => `Follows the client playbook: ${g}`),
      'Follows the firm house style for agreements.',
    ],
  };
}

const riders: Spec[] = [
  rider({
    slug: 'tidewater-ledgerline-indemnity',
    clause: 'Indemnification',
    riderNo: 1,
    client: 'Tidewater Community Credit Union',
    agreement: 'Master Services Agreement',
    agreementDate: '2024-02-15',
    roles: [
      ['Customer', 'Tidewater Community Credit Union'],
      ['Vendor', 'Ledgerline Systems, Inc.'],
    ],
    attorney: MARSH,
    date: '2025-02-05',
    facts: [
      ['Claim notice period', '15 days'],
      ['Survival period', '3 years'],
    ],
    sections: [
      ['Indemnification by Vendor', []],
      ['Exclusions', []],
      ['Indemnification Procedure', ['Claim notice period']],
      ['Survival', ['Survival period']],
    ],
    terms: [
      ['Agreement', AGREEMENT_TERM],
      ['Losses', 'damages, fines, penalties, settlements, costs and reasonable attorneys’ fees'],
      ['Indemnified Parties', 'Customer and its directors, officers, employees and members'],
      ['Third-Party Claim', 'any claim, suit or regulatory proceeding brought by a person other than a party'],
    ],
    background: [
      'Ledgerline hosts Tidewater’s online banking platform. The MSA has only a mutual indemnity limited to bodily injury. Tidewater’s examiners flagged that the vendor does not indemnify for data breaches or infringement.',
    ],
    guidelines: [
      'Vendor indemnity must cover data security breaches, infringement and violations of law by the Vendor.',
      'Indemnity is outside any limitation of liability.',
    ],
    rubric: [
      'Vendor indemnifies the Indemnified Parties for Third-Party Claims from data breaches, infringement and violations of law.',
      'Sets a notice-and-defense procedure with a 15-day notice period and no prejudice unless notice is late.',
      'Survives for 3 years after termination.',
    ],
  }),
  rider({
    slug: 'granite-peak-harbor-liability-cap',
    clause: 'Limitation of Liability',
    riderNo: 2,
    client: 'Granite Peak Software, Inc.',
    agreement: 'SaaS Subscription Agreement',
    agreementDate: '2024-06-01',
    roles: [
      ['Provider', 'Granite Peak Software, Inc.'],
      ['Customer', 'Harbor Freightways, Inc.'],
    ],
    attorney: WHITFIELD,
    date: '2025-03-20',
    facts: [
      ['General cap', 'fees paid in the 12 months before the claim'],
      ['Data breach cap', '$2,000,000'],
    ],
    sections: [
      ['Exclusion of Consequential Damages', []],
      ['Cap on Liability', ['General cap', 'Data breach cap']],
      ['Exceptions', []],
    ],
    terms: [
      ['Agreement', AGREEMENT_TERM],
      ['Fees', 'the subscription fees paid or payable by Customer under the Agreement'],
      ['Data Breach', 'unauthorized access to or disclosure of Customer Data in Provider’s possession'],
      ['Consequential Damages', 'indirect, incidental, special, consequential or punitive damages, and lost profits or revenue'],
    ],
    background: [
      'Harbor Freightways asked for unlimited liability for data breaches during renewal. Granite Peak’s insurance covers $2 million of cyber liability, so it offered a super-cap at that amount.',
    ],
    guidelines: [
      'Fraud, willful misconduct and payment obligations are never capped.',
      'The super-cap applies only to Data Breach claims.',
    ],
    rubric: [
      'Excludes Consequential Damages for both parties.',
      'Caps liability at the Fees paid in the 12 months before the claim, with a $2,000,000 super-cap for Data Breach.',
      'Carves out fraud, willful misconduct and payment obligations.',
    ],
  }),
  rider({
    slug: 'kestrel-trident-termination',
    clause: 'Termination',
    riderNo: 1,
    client: 'Kestrel Aerospace Components Corp.',
    agreement: 'Supply Agreement',
    agreementDate: '2023-10-02',
    roles: [
      ['Buyer', 'Kestrel Aerospace Components Corp.'],
      ['Supplier', 'Trident Alloys Inc.'],
    ],
    attorney: WHITFIELD,
    date: '2025-03-10',
    facts: [
      ['Convenience notice', '90 days'],
      ['Cure period', '30 days'],
      ['Last-time buy', '6 months of forecast volume'],
    ],
    sections: [
      ['Termination for Convenience', ['Convenience notice']],
      ['Termination for Cause', ['Cure period']],
      ['Effects of Termination', ['Last-time buy']],
    ],
    terms: [
      ['Agreement', AGREEMENT_TERM],
      [
        'Material Breach',
        'a breach that defeats a substantial part of the benefit of the Agreement, including repeated delivery of nonconforming goods',
      ],
      ['Termination Date', 'the date termination takes effect'],
      ['Forecast', 'Buyer’s rolling twelve-month forecast of its requirements'],
    ],
    background: [
      'After the nonconforming titanium deliveries, Kestrel wants the right to exit the supply agreement. The current agreement runs five years with no termination right except insolvency.',
    ],
    guidelines: ['Only Buyer may terminate for convenience.', 'Repeated nonconforming deliveries are a Material Breach.'],
    rubric: [
      'Gives Buyer alone a right to terminate for convenience on 90 days’ notice.',
      'Allows termination for Material Breach not cured within 30 days.',
      'Provides a last-time buy of up to 6 months of Forecast volume after termination.',
    ],
  }),
  rider({
    slug: 'bellweather-coastal-force-majeure',
    clause: 'Force Majeure',
    riderNo: 3,
    client: 'Bellweather Foods LLC',
    agreement: 'Distribution Agreement',
    agreementDate: '2022-03-01',
    roles: [
      ['Supplier', 'Bellweather Foods LLC'],
      ['Distributor', 'Coastal Grocers Cooperative'],
    ],
    attorney: MARSH,
    date: '2025-01-22',
    facts: [
      ['Notice period', '5 business days'],
      ['Termination threshold', '60 days'],
    ],
    sections: [
      ['Force Majeure', ['Notice period']],
      ['Mitigation', []],
      ['Extended Force Majeure', ['Termination threshold']],
    ],
    terms: [
      ['Agreement', AGREEMENT_TERM],
      [
        'Force Majeure Event',
        'an event beyond a party’s reasonable control, including fire, flood, epidemic, labor disputes at third parties, and government action',
      ],
      ['Affected Party', 'the party whose performance is prevented or delayed by a Force Majeure Event'],
    ],
    background: [
      'A flood at Bellweather’s bakery in 2024 stopped shipments for five weeks and Coastal claimed breach. The Distribution Agreement has no force majeure clause.',
    ],
    guidelines: [
      'Payment obligations are never excused by a Force Majeure Event.',
      'Supplier may allocate available product fairly among customers.',
    ],
    rubric: [
      'Excuses the Affected Party’s performance during a Force Majeure Event, but not payment.',
      'Requires notice within 5 business days and mitigation.',
      'Allows either party to terminate if the event lasts more than 60 days.',
    ],
  }),
  rider({
    slug: 'meridian-qubit-data-protection',
    clause: 'Data Protection',
    riderNo: 1,
    client: 'Meridian Health System',
    agreement: 'Pilot Services Agreement',
    agreementDate: '2025-01-20',
    roles: [
      ['Customer', 'Meridian Health System'],
      ['Service Provider', 'Qubit Diagnostics, Inc.'],
    ],
    attorney: MARSH,
    date: '2025-02-12',
    facts: [
      ['Incident notice', '72 hours'],
      ['Subprocessor notice', '30 days'],
      ['Deletion deadline', '45 days'],
    ],
    sections: [
      ['Processing Instructions', []],
      ['Security Incidents', ['Incident notice']],
      ['Subprocessors', ['Subprocessor notice']],
      ['Return and Deletion', ['Deletion deadline']],
    ],
    terms: [
      ['Agreement', AGREEMENT_TERM],
      ['Personal Data', 'information that identifies or can reasonably be linked to an individual'],
      ['Security Incident', 'a breach of security leading to unauthorized access to, or loss or disclosure of, Personal Data'],
      ['Subprocessor', 'a third party engaged by Service Provider to process Personal Data'],
    ],
    background: [
      'The AI triage pilot has started, and Qubit will receive de-identified imaging metadata that may still contain Personal Data. A business associate agreement will follow if protected health information is shared.',
    ],
    guidelines: [
      'Service Provider processes Personal Data only on Customer’s documented instructions.',
      'Customer may object to a new Subprocessor.',
    ],
    rubric: [
      'Limits processing to Customer’s documented instructions.',
      'Requires notice of a Security Incident within 72 hours.',
      'Requires 30 days’ notice of new Subprocessors with a right to object.',
      'Requires return and deletion within 45 days after the pilot ends.',
    ],
  }),
  rider({
    slug: 'orison-brightside-non-solicitation',
    clause: 'Non-Solicitation',
    riderNo: 2,
    client: 'Orison Health Partners, P.C.',
    agreement: 'Supplemental Staffing Agreement',
    agreementDate: '2024-07-08',
    roles: [
      ['Client Party', 'Orison Health Partners, P.C.'],
      ['Staffing Provider', 'Brightside Staffing LLC'],
    ],
    attorney: ALVAREZ,
    date: '2025-03-19',
    facts: [
      ['Restricted period', '12 months'],
      ['Liquidated damages', '$25,000 per employee'],
    ],
    sections: [
      ['Non-Solicitation', ['Restricted period']],
      ['Exceptions', []],
      ['Liquidated Damages', ['Liquidated damages']],
    ],
    terms: [
      ['Agreement', AGREEMENT_TERM],
      ['Covered Employee', 'a clinical employee of a party with whom the other party had contact under the Agreement'],
      ['Restricted Period', 'the term of the Agreement and the period after it stated in the Non-Solicitation section'],
      ['Solicit', 'to induce or attempt to induce a Covered Employee to leave employment'],
    ],
    background: [
      'After losing six nurses to a referral partner, Orison wants a mutual non-solicitation covenant in its staffing agreement with Brightside.',
    ],
    guidelines: ['The covenant is mutual.', 'General job advertisements not targeted at Covered Employees are not solicitation.'],
    rubric: [
      'Mutual covenant not to Solicit Covered Employees during the Restricted Period (term plus 12 months).',
      'Excepts general advertisements.',
      'Sets liquidated damages of $25,000 per employee as a reasonable estimate, not a penalty.',
    ],
  }),
  rider({
    slug: 'pinecrest-fjordtech-ip-ownership',
    clause: 'Intellectual Property Ownership',
    riderNo: 1,
    client: 'Pinecrest Robotics Corp.',
    agreement: 'Software Development Agreement',
    agreementDate: '2024-11-04',
    roles: [
      ['Customer', 'Pinecrest Robotics Corp.'],
      ['Developer', 'FjordTech AS'],
    ],
    attorney: WHITFIELD,
    date: '2025-01-16',
    facts: [
      ['Background IP license', 'non-exclusive, perpetual, royalty-free'],
      ['Delivery of source code', 'within 10 business days of each milestone'],
    ],
    sections: [
      ['Ownership of Deliverables', ['Delivery of source code']],
      ['Background IP', ['Background IP license']],
      ['Further Assurances', []],
    ],
    terms: [
      ['Agreement', AGREEMENT_TERM],
      ['Deliverables', 'all software, documentation and other work product Developer creates for Customer under the Agreement'],
      ['Background IP', 'intellectual property Developer owned before the Agreement or develops independently of it'],
      ['Intellectual Property Rights', 'patents, copyrights, trade secrets, database rights and all similar rights anywhere in the world'],
    ],
    background: [
      'FjordTech is writing the fleet-management software for Pinecrest’s robots. The development agreement is silent on ownership, and Norwegian law would leave copyright with the developer absent an assignment.',
    ],
    guidelines: ['Assignment must be present-tense ("hereby assigns").', 'Open-source components must be disclosed before use.'],
    rubric: [
      'Developer hereby assigns all Intellectual Property Rights in the Deliverables to Customer.',
      'Grants Customer a non-exclusive, perpetual, royalty-free license to Background IP embedded in Deliverables.',
      'Requires source code delivery within 10 business days of each milestone and further assurances.',
    ],
  }),
  rider({
    slug: 'solano-redwood-dispute-resolution',
    clause: 'Dispute Resolution',
    riderNo: 1,
    client: 'Solano Valley Vineyards LP',
    agreement: 'Grape Purchase Agreement',
    agreementDate: '2023-01-10',
    roles: [
      ['Grower', 'Solano Valley Vineyards LP'],
      ['Winery', 'Redwood Cellars Co.'],
    ],
    attorney: ALVAREZ,
    date: '2025-04-03',
    facts: [
      ['Escalation period', '15 days'],
      ['Mediation provider', 'JAMS'],
      ['Arbitration seat', 'San Francisco, California'],
      ['Governing law', 'California'],
    ],
    sections: [
      ['Executive Escalation', ['Escalation period']],
      ['Mediation', ['Mediation provider']],
      ['Arbitration', ['Arbitration seat']],
      ['Governing Law', ['Governing law']],
    ],
    terms: [
      ['Agreement', AGREEMENT_TERM],
      ['Dispute', 'any dispute arising out of or relating to the Agreement, including grape quality and rejection'],
      ['Senior Executives', 'each party’s general partner or chief executive officer'],
    ],
    background: [
      'Redwood rejected the 2024 smoke-affected harvest and the parties nearly went to court. Both want a faster, private process before the next harvest.',
    ],
    guidelines: [
      'Quality disputes go first to an independent enologist for a binding test.',
      'Either party may seek interim relief in court.',
    ],
    rubric: [
      'Requires escalation to Senior Executives for 15 days, then JAMS mediation.',
      'Provides for binding arbitration seated in San Francisco, California under California law.',
      'Preserves interim relief in court.',
    ],
  }),
  rider({
    slug: 'calder-northstar-warranty',
    clause: 'Warranty',
    riderNo: 2,
    client: 'Calder University',
    agreement: 'Equipment Purchase Agreement',
    agreementDate: '2024-12-02',
    roles: [
      ['Purchaser', 'Calder University'],
      ['Seller', 'Northstar Lab Equipment, Inc.'],
    ],
    attorney: MARSH,
    date: '2025-02-17',
    facts: [
      ['Warranty period', '24 months'],
      ['Repair response', '10 business days'],
      ['Uptime commitment', '98%'],
    ],
    sections: [
      ['Product Warranty', ['Warranty period']],
      ['Warranty Remedies', ['Repair response']],
      ['Uptime Commitment', ['Uptime commitment']],
      ['Disclaimer', []],
    ],
    terms: [
      ['Agreement', AGREEMENT_TERM],
      ['Equipment', 'the cryo-electron microscope and accessories described in Schedule A of the Agreement'],
      ['Defect', 'a failure of the Equipment to conform to its published specifications'],
      ['Acceptance Date', 'the date Purchaser signs the acceptance certificate'],
    ],
    background: [
      'Calder is buying a $3.9 million cryo-electron microscope for its structural biology core. Grant-funded research depends on uptime, so the university wants a measurable commitment.',
    ],
    guidelines: [
      'The warranty period runs from the Acceptance Date, not shipment.',
      'Extend the warranty by any downtime beyond the uptime commitment.',
    ],
    rubric: [
      'Warrants the Equipment free of Defects for 24 months from the Acceptance Date.',
      'Requires repair within 10 business days and extends the warranty for excess downtime.',
      'Commits to 98% uptime with a remedy.',
    ],
  }),
];

// ---------------------------------------------------------------------------------------------
// Assembly

const FAMILY_GUIDELINES: Record<string, string> = {
  'engagement-letter': ENGAGEMENT_GUIDELINES,
  nda: NDA_GUIDELINES,
  motion: MOTION_GUIDELINES,
  'demand-letter': DEMAND_GUIDELINES,
  'contract-clause': CLAUSE_GUIDELINES,
};

const SPECS: Record<string, Spec[]> = {
  'engagement-letter': engagements,
  nda: ndas,
  motion: motions,
  'demand-letter': demands,
  'contract-clause': riders,
};

/** Matter keys the renderer prints itself: facts must not be among them, or they state themselves. */
const AUTO_FILLED = [
  'Recipient',
  'Recipient address',
  'Re',
  'Responsible attorney',
  'Court',
  'Case number',
  'Judge',
  'Plaintiff',
  'Defendant',
  'Moving party',
  'Document',
  'Bar number',
];

const norm = (s: string): string => s.replace(/[“”]/g, '"').replace(/[‘’]/g, "'").replace(/\s+/g, ' ').trim().toLowerCase();

function matterFile(spec: Spec): string {
  const lines = [`# Matter file — ${spec.title}`, '', '## Key facts', '', `Date: ${spec.date}`];
  for (const [key, value] of spec.fields) {
    if (Array.isArray(value)) lines.push(`${key}:`, ...value.map((v) => `- ${v}`));
    else lines.push(`${key}: ${value}`);
  }
  if (spec.terms?.length) {
    lines.push('', '## Definitions to use', '');
    for (const [term, meaning] of spec.terms) lines.push(`Defined term "${term}": ${meaning}`);
  }
  lines.push('', '## Background', '', spec.background.join('\n\n'), '');
  return lines.join('\n');
}

function guidelinesFile(family: string, spec: Spec): string {
  return `${FAMILY_GUIDELINES[family]}\n\n## ${spec.guidelinesTitle ?? 'Matter-specific notes'}\n${spec.guidelines.map((g) => `- ${g}`).join('\n')}\n`;
}

function promptText(spec: Spec): string {
  const lines = [
    spec.ask,
    '',
    'Your workspace holds matter.md (the matter file) and guidelines.md (the firm’s and the client’s or court’s guidelines). Write the draft one section at a time with write_section, render it to draft.docx on the firm template with render_docx, and call submit when the document is final.',
    '',
    'Required sections, in this order (with the matter-file items each must state):',
  ];
  spec.sections.forEach(([heading, keys], i) => {
    lines.push(keys.length ? `${i + 1}. ${heading} — state: ${keys.join('; ')}` : `${i + 1}. ${heading}`);
  });
  lines.push('');
  if (spec.terms?.length) {
    lines.push(`Defined terms (define each in the Definitions section): ${spec.terms.map(([t]) => `"${t}"`).join('; ')}`, '');
  }
  lines.push('State each listed item as the matter file gives it (names, amounts, numbers and dates).');
  return lines.join('\n');
}

/** A task as the task file stores it: a Task without its suite (the loader adds it). */
type TaskOut = Omit<Task, 'suite'>;

/** What generate() knows of the suite's data: the pitfall table and the family's legend. */
interface SuiteFacts {
  pitfalls: Array<{ id: string; families: string[]; surfaces: string; choice: string; fix: string }>;
  legend: string;
}

/**
 * The house preferences a team writes into its grading rubric, one criterion per review pitfall of
 * the task, each in the checklist form `<label>: "item"; ...` (see harness/models/sim/grader-reply.ts)
 * with the setting named as a directive. The rubric states the firm's preference before any drift:
 * once a preference drifts, the rubric is out of date, as real rubrics get.
 */
const HOUSE_STYLE: Record<string, (fix: string, directive: string, task: { legend: string; terms: string[]; date: string }) => string> = {
  closing: (fix, d) => `House style, the letter's closing line (set ${d}): "${fix}"`,
  header: (_fix, d, t) => `House style, the confidentiality legend in the page header (set ${d}): "${t.legend}"`,
  defined_terms: (_fix, d, t) =>
    `House style, defined terms in bold inside quotation marks where they are defined (set ${d}): ${t.terms.map((x) => `"${x}"`).join('; ')}`,
  date_format: (fix, d, t) =>
    `House style, every date written day-first with the month spelled out, like (set ${d}): "${formatDate(t.date, fix as DateFormat)}"`,
};

/**
 * Rubric criteria a grader can verify from the document alone, mirroring the checker: the section
 * headings in order, the matter-file items, the fee schedule table, the defined terms, and the house
 * style of each review pitfall. The hand-written criteria of the spec come first.
 */
function checklistRubric(
  task: {
    id: string;
    sections: string[];
    facts: Array<{ value: string }>;
    feeSchedule: string[];
    terms: string[];
    date: string;
    pitfalls: string[];
  },
  suite: SuiteFacts,
): string[] {
  const list = (items: readonly string[]): string => {
    for (const item of items) if (item.includes('"')) throw new Error(`${task.id}: rubric item ${item} holds a double quote`);
    return [...new Set(items)].map((x) => `"${x}"`).join('; ');
  };
  const out = [
    `Uses the required section headings, in this order: ${list(task.sections)}`,
    `States these items exactly as the matter file gives them: ${list(task.facts.map((f) => f.value))}`,
  ];
  if (task.feeSchedule.length)
    out.push(`Sets out the hourly rates in one fee schedule table, one row per timekeeper: ${list(task.feeSchedule)}`);
  if (task.terms.length) out.push(`Defines each term in quotation marks where it is defined: ${list(task.terms)}`);
  for (const pitfall of suite.pitfalls) {
    if (!task.pitfalls.includes(pitfall.id) || pitfall.surfaces !== 'review') continue;
    const param = pitfall.choice.slice('render_docx.'.length);
    const make = HOUSE_STYLE[param];
    if (!make)
      throw new Error(
        `${task.id}: no house-style rubric criterion for review pitfall ${pitfall.id} (${pitfall.choice}); add one to HOUSE_STYLE`,
      );
    out.push(make(pitfall.fix, `${pitfall.choice}="${pitfall.fix}"`, { legend: suite.legend, terms: task.terms, date: task.date }));
  }
  return out;
}

function buildTask(family: string, spec: Spec, index: number, familyPitfalls: string[], suite: SuiteFacts): TaskOut {
  const id = `${family}-${String(index + 1).padStart(2, '0')}-${spec.slug}`;
  const values = new Map(spec.fields.map(([k, v]) => [k.toLowerCase(), v]));
  const facts: Array<{ key: string; value: string }> = [];
  const feeSchedule: string[] = [];
  for (const [, keys] of spec.sections) {
    for (const raw of keys) {
      const key = raw.replace(/\s*\([^)]*\)/g, '').trim();
      const value = values.get(key.toLowerCase());
      if (value === undefined) throw new Error(`${id}: section item "${key}" is not in the matter file`);
      if (Array.isArray(value)) {
        for (const row of value.slice(1)) {
          const amount = row.split('|').pop()!.trim();
          facts.push({ key, value: amount });
          feeSchedule.push(amount);
        }
      } else {
        facts.push({ key, value });
      }
    }
  }
  // Facts must be the drafter's to state: never printed by the renderer, never a date inside text.
  const auto = AUTO_FILLED.map((k) => values.get(k.toLowerCase()))
    .filter((v): v is string => typeof v === 'string')
    .map(norm);
  for (const f of facts) {
    if (auto.some((a) => a.includes(norm(f.value))))
      throw new Error(`${id}: fact ${f.key} ("${f.value}") is printed by the renderer itself`);
    if (!isIsoDate(f.value) && findDates(f.value).length > 0) throw new Error(`${id}: fact ${f.key} has a date inside text`);
  }
  const pitfalls = familyPitfalls.filter((p) => p !== 'ld-fee-table' || feeSchedule.length > 0);
  const expected: Record<string, unknown> = {
    sections: spec.sections.map(([h]) => h),
    facts,
    date: spec.date,
  };
  if (spec.terms?.length) expected.defined_terms = spec.terms.map(([t]) => t);
  if (feeSchedule.length) expected.fee_schedule = feeSchedule;
  if (family === 'motion') {
    expected.caption = {
      court: values.get('court'),
      case_number: values.get('case number'),
      plaintiff: values.get('plaintiff'),
      defendant: values.get('defendant'),
    };
  }
  return {
    id,
    family,
    title: spec.title,
    prompt: promptText(spec),
    files: { 'matter.md': matterFile(spec), 'guidelines.md': guidelinesFile(family, spec) },
    pitfalls,
    rubric: [
      ...spec.rubric,
      ...checklistRubric(
        {
          id,
          sections: spec.sections.map(([h]) => h),
          facts,
          feeSchedule,
          terms: (spec.terms ?? []).map(([t]) => t),
          date: spec.date,
          pitfalls,
        },
        suite,
      ),
    ],
    expected,
  };
}

export function generate(outDir: string, dataDir: string): Record<string, number> {
  const table = parseYaml(readFileSync(join(dataDir, 'pitfalls.yaml'), 'utf8')) as { pitfalls: SuiteFacts['pitfalls'] };
  const families = parseYaml(readFileSync(join(dataDir, 'families.yaml'), 'utf8')) as { families: Array<{ id: string; legend: string }> };
  const counts: Record<string, number> = {};
  mkdirSync(outDir, { recursive: true });
  for (const [family, specs] of Object.entries(SPECS)) {
    const familyPitfalls = table.pitfalls.filter((p) => p.families.includes('*') || p.families.includes(family)).map((p) => p.id);
    const legend = families.families.find((f) => f.id === family)?.legend;
    if (!legend) throw new Error(`families.yaml has no legend for family ${family}`);
    const tasks = specs.map((spec, i) => buildTask(family, spec, i, familyPitfalls, { pitfalls: table.pitfalls, legend }));
    const header = `# Generated by tasks/legal-drafting/generate-tasks.ts; this file is the source of truth once committed.\n`;
    writeFileSync(join(outDir, `${family}.yaml`), header + stringify({ family, tasks }, { lineWidth: 0, blockQuote: 'literal' }));
    counts[family] = tasks.length;
  }
  return counts;
}

const invokedDirectly = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  const at = process.argv.indexOf('--out');
  const dataDir = sourcePath('tasks/legal-drafting/data');
  const outDir = at >= 0 && process.argv[at + 1] ? resolve(process.argv[at + 1]!) : join(dataDir, 'tasks');
  const counts = generate(outDir, dataDir);
  console.log(`wrote ${Object.values(counts).reduce((a, b) => a + b, 0)} tasks to ${outDir}: ${JSON.stringify(counts)}`);
}
