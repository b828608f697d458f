// Generates data/tasks/<family>.yaml from the family builders and task specs below. The YAML it
// writes is committed and is the source of truth (hand edits are fine; re-running overwrites them).
//
//   npm run build:dev && node dist-dev/tasks/office-docx/generate-tasks.js [--out <dir>]

import { difficultyOf } from '../_office/data.js';
import { briefIntro, longDate, runIfInvoked, taskId, taskPitfalls, writeTaskFiles, type PitfallRow } from '../_office/generate.js';
import { briefMarkdown, type DocBlock, type DocPlan } from './brief.js';
import { contentTriggers, PITFALL_TRIGGER } from './data.js';

interface Spec {
  slug: string;
  title: string;
  /** What to produce, for the prompt's first line. */
  ask: string;
  client: string;
  date: string;
  plan: DocPlan;
  /** Client- or reader-specific notes for the style guide. */
  notes: string[];
  rubric: string[];
}

const h1 = (text: string): DocBlock => ({ kind: 'heading', text, level: 1 });
const h2 = (text: string): DocBlock => ({ kind: 'heading', text, level: 2 });
const p = (text: string): DocBlock => ({ kind: 'paragraph', text });
const revised = (text: string, replaces: string): DocBlock => ({ kind: 'paragraph', text, replaces });
const ol = (...items: string[]): DocBlock => ({ kind: 'list', ordered: true, items });
const ul = (...items: string[]): DocBlock => ({ kind: 'list', ordered: false, items });
const table = (...rows: string[][]): DocBlock => ({ kind: 'table', rows });

// ---------------------------------------------------------------------------------------------
// Status reports

function statusReport(s: {
  slug: string;
  client: string;
  project: string;
  month: string;
  date: string;
  sponsor: string;
  summary: string[];
  milestones: string[][];
  budget?: string;
  risks: string[];
  next: string[];
  decisions?: string[];
  header: boolean;
  pageNumbers: boolean;
  notes: string[];
}): Spec {
  const blocks: DocBlock[] = [h1('Summary'), ...s.summary.map(p), h1('Milestones'), table(...s.milestones)];
  if (s.budget) blocks.push(h1('Budget'), p(s.budget));
  blocks.push(h1('Risks and issues'), ul(...s.risks), h1('Next steps'), ol(...s.next));
  if (s.decisions) blocks.push(h1('Decisions needed'), ul(...s.decisions));
  const plan: DocPlan = {
    title: `${s.project} — Status Report, ${s.month}`,
    ...(s.header ? { header: `${s.client} · Confidential` } : {}),
    footer: `${s.project} status report · ${s.month}`,
    page_numbers: s.pageNumbers,
    blocks,
  };
  return {
    slug: s.slug,
    title: `Status report — ${s.project} (${s.client}), ${s.month}`,
    ask: `Produce the ${s.month} status report on ${s.project} for ${s.client}'s steering group (sponsor: ${s.sponsor}).`,
    client: s.client,
    date: s.date,
    plan,
    notes: s.notes,
    rubric: [
      `Title reads "${plan.title}" and the sections follow the brief's order.`,
      `The milestone table carries every milestone with its owner, date and status as the brief gives them.`,
      'Risks are a bulleted list and next steps a numbered list, worded as in the brief.',
      ...(s.header ? [`Every page, including the first, carries the header "${plan.header}".`] : []),
      ...(s.pageNumbers ? ['Pages are numbered in the footer.'] : []),
      'Headings are real Word headings (they appear in the navigation pane), and the document follows the Larkspur house style.',
    ],
  };
}

const STATUS: Spec[] = [
  statusReport({
    slug: 'atlas-meridian',
    client: 'Meridian Health',
    project: 'Project Atlas',
    month: 'September 2025',
    date: '2025-09-30',
    sponsor: 'Dr. Helen Osei',
    summary: [
      'Project Atlas remains on track for the 17 November go-live of the new patient scheduling system.',
      'Data migration passed its second dry run with 99.4% of records reconciled; the remaining 0.6% are duplicate referrals that clinical records will merge by hand.',
    ],
    milestones: [
      ['Milestone', 'Owner', 'Due', 'Status'],
      ['Data migration dry run 2', 'R. Okafor', '26 September', 'Complete'],
      ['User acceptance testing', 'L. Brandt', '24 October', 'In progress'],
      ['Training of 140 schedulers', 'M. Diaz', '7 November', 'Not started'],
      ['Go-live', 'H. Osei', '17 November', 'On track'],
    ],
    risks: [
      'The interface to the radiology system may slip by one week; the vendor has committed extra staff.',
      'Two of the six trainers are not yet confirmed.',
    ],
    next: [
      'Confirm the cut-over window with Meridian IT by 10 October.',
      'Start user acceptance testing of the referral workflow on 6 October.',
      'Publish the training schedule to all clinic managers.',
    ],
    header: true,
    pageNumbers: true,
    notes: ['Meridian Health circulates the report to its steering group as a PDF; keep the client name in the header.'],
  }),
  statusReport({
    slug: 'harbor-portside',
    client: 'Portside Logistics',
    project: 'Harbor Yard Optimisation',
    month: 'October 2025',
    date: '2025-10-31',
    sponsor: 'Tomasz Wieczorek',
    summary: ['Crane idle time at Berth 4 fell from 19% to 12% in October after the new stacking rules went live on 6 October.'],
    milestones: [
      ['Workstream', 'Lead', 'Start', 'Finish', 'Status', 'Complete'],
      ['Stacking rules', 'A. Kowalczyk', '1 September', '6 October', 'Done', '100%'],
      ['Gate appointment system', 'P. Nkemelu', '15 September', '28 November', 'On track', '55%'],
      ['Reefer monitoring', 'S. Haddad', '1 October', '19 December', 'At risk', '20%'],
    ],
    budget: 'Spend to date is EUR 412,000 of the EUR 960,000 budget (43%), in line with the plan.',
    risks: [
      'Reefer sensor deliveries are three weeks late.',
      'The gate system needs a firewall change that Portside IT has not yet scheduled.',
    ],
    next: [
      "Escalate the sensor delivery to the supplier's account director.",
      'Agree the firewall change window with Portside IT.',
      'Extend the stacking rules to Berth 5 from 3 November.',
    ],
    decisions: ['Approve the EUR 18,000 change request for temporary reefer monitoring staff.'],
    header: true,
    pageNumbers: true,
    notes: ['The steering group prints the report in black and white; tables must stay readable without colour.'],
  }),
  statusReport({
    slug: 'ledger-northwind',
    client: 'Northwind Mutual',
    project: 'Ledger Modernisation',
    month: 'July 2025',
    date: '2025-07-31',
    sponsor: 'Grace Achterberg',
    summary: [
      'The general ledger cut-over completed on 21 July without a reporting outage.',
      'Month-end close took six days in July against a target of five.',
    ],
    milestones: [
      ['Milestone', 'Owner', 'Due', 'Status'],
      ['General ledger cut-over', 'D. Farrow', '21 July', 'Complete'],
      ['Accounts payable automation', 'K. Imai', '29 August', 'On track'],
      ['Five-day close', 'G. Achterberg', '30 September', 'At risk'],
    ],
    risks: ['Manual journal volumes remain 30% above the target.'],
    next: [
      'Review the twenty largest manual journals with the controllers.',
      'Turn on automated three-way matching for two pilot suppliers.',
    ],
    header: false,
    pageNumbers: false,
    notes: ['Northwind reads the report on screen; a short report is preferred.'],
  }),
  statusReport({
    slug: 'beacon-calder',
    client: 'Calder County Council',
    project: 'Beacon Digital Services',
    month: 'November 2025',
    date: '2025-11-28',
    sponsor: 'Councillor Amira Shah',
    summary: ['Three of the five online services are live; 2,310 residents used the new permit service in its first month.'],
    milestones: [
      ['Service', 'Product owner', 'Beta', 'Live', 'Users', 'Status'],
      ['Parking permits', 'J. Byrne', '2 September', '6 October', '2,310', 'Live'],
      ['Bulky waste collection', 'E. Mensah', '16 September', '3 November', '880', 'Live'],
      ['Council tax direct debit', 'F. Lindqvist', '1 December', '19 January', '—', 'In build'],
    ],
    risks: [
      'The payments provider contract renews in February and may change fees.',
      'Accessibility audit findings on the waste service are open.',
    ],
    next: [
      'Close the four open accessibility findings by 12 December.',
      'Start the beta of the council tax service on 1 December.',
      'Report first-month satisfaction scores to the digital board.',
    ],
    header: true,
    pageNumbers: false,
    notes: ['Council documents are published under freedom-of-information rules; keep wording factual.'],
  }),
  statusReport({
    slug: 'orbit-fenwick',
    client: 'Fenwick Retail Group',
    project: 'Orbit Loyalty Relaunch',
    month: 'August 2025',
    date: '2025-08-29',
    sponsor: 'Priya Raman',
    summary: ['The relaunched loyalty app reached 410,000 active members, 12% above plan.'],
    milestones: [
      ['Milestone', 'Owner', 'Due', 'Status'],
      ['App relaunch', 'C. Moreau', '4 August', 'Complete'],
      ['Partner offers', 'B. Adeyemi', '15 September', 'On track'],
    ],
    risks: ['Points liability is growing faster than forecast.'],
    next: ['Model the points liability under three redemption scenarios.', 'Sign the first two partner offers.'],
    header: false,
    pageNumbers: true,
    notes: ["Fenwick's finance team will forward the report to its auditors."],
  }),
  statusReport({
    slug: 'keystone-arden',
    client: 'Arden Water',
    project: 'Keystone Asset Register',
    month: 'June 2025',
    date: '2025-06-30',
    sponsor: 'Malcolm Reid',
    summary: [
      'Field surveys have verified 61% of the 48,000 network assets.',
      'The register now holds condition grades for every pumping station.',
    ],
    milestones: [
      ['Region', 'Survey lead', 'Assets', 'Verified', 'Target date', 'Status'],
      ['North', 'H. Baird', '14,200', '11,050', '31 July', 'On track'],
      ['Central', 'O. Mensah', '19,600', '10,900', '29 August', 'At risk'],
      ['South', 'T. Vance', '14,200', '7,400', '30 September', 'On track'],
    ],
    budget: 'Survey costs are GBP 37,500 over budget because of access permits in the Central region.',
    risks: ['Landowner access in the Central region delays surveys.', 'The GIS export drops assets without coordinates.'],
    next: [
      'Agree a joint access letter with the two largest landowners.',
      'Fix the GIS export and reload the 1,240 assets it dropped.',
      'Re-plan the Central region surveys.',
    ],
    header: true,
    pageNumbers: true,
    notes: ['Arden Water files status reports with its regulator submission pack.'],
  }),
  statusReport({
    slug: 'pivot-halden',
    client: 'Halden Insurance',
    project: 'Claims Triage Pilot',
    month: 'October 2025',
    date: '2025-10-24',
    sponsor: 'Ingrid Solberg',
    summary: ['The triage model routed 8,900 claims in October and cut average handling time by 2.1 days.'],
    milestones: [
      ['Milestone', 'Owner', 'Due', 'Status'],
      ['Pilot in motor claims', 'I. Solberg', '30 September', 'Complete'],
      ['Extension to home claims', 'N. Berg', '15 December', 'On track'],
    ],
    risks: ['Complaint rates for fast-tracked claims must be monitored weekly.'],
    next: ['Publish the first monthly fairness review.', 'Train home-claims handlers on the triage queue.'],
    decisions: ['Confirm whether fast-tracked claims need a second review above GBP 5,000.'],
    header: true,
    pageNumbers: false,
    notes: ["Halden's legal team reviews every report about the model before it circulates."],
  }),
];

// ---------------------------------------------------------------------------------------------
// Memos

function memo(s: {
  slug: string;
  subject: string;
  to: string;
  from: string;
  date: string;
  purpose: string;
  background: string[];
  options?: string[][];
  recommendations: string[];
  followups?: string[];
  pageNumbers: boolean;
  notes: string[];
}): Spec {
  const blocks: DocBlock[] = [
    p(`To: ${s.to}`),
    p(`From: ${s.from}`),
    p(`Date: ${longDate(s.date)}`),
    h1('Purpose'),
    p(s.purpose),
    h1('Background'),
    ...s.background.map(p),
  ];
  if (s.options) blocks.push(h1('Options considered'), table(...s.options));
  blocks.push(h1('Recommendations'), ol(...s.recommendations));
  if (s.followups) blocks.push(h1('Follow-up'), ul(...s.followups));
  const plan: DocPlan = { title: `Memo: ${s.subject}`, footer: 'Larkspur Advisory · Internal', page_numbers: s.pageNumbers, blocks };
  return {
    slug: s.slug,
    title: `Memo — ${s.subject}`,
    ask: `Write the internal memo "${s.subject}" from ${s.from.split(',')[0]} to ${s.to.split(',')[0]}.`,
    client: 'Larkspur Advisory (internal)',
    date: s.date,
    plan,
    notes: s.notes,
    rubric: [
      `Opens with the To, From and Date lines, then Purpose, Background${s.options ? ', Options considered' : ''} and Recommendations as headings.`,
      'The recommendations are a numbered list, worded as in the brief.',
      ...(s.options ? ['The options table gives every option with its cost and assessment.'] : []),
      ...(s.pageNumbers ? ['Pages are numbered in the footer.'] : []),
      'Follows the Larkspur house style (house font, real Word headings).',
    ],
  };
}

const MEMOS: Spec[] = [
  memo({
    slug: 'travel-policy',
    subject: 'Consolidating travel booking',
    to: 'Partners',
    from: 'Elena Vasquez, Chief Operating Officer',
    date: '2025-09-15',
    purpose: 'This memo asks the partners to approve one travel agency for all client travel from January.',
    background: [
      'Consultants booked travel through four agencies and directly with airlines in the last year.',
      'Travel spend was USD 2.4 million, of which USD 310,000 could not be recharged to clients because receipts were missing.',
    ],
    options: [
      ['Option', 'Annual fee', 'Assessment'],
      ['Keep current practice', 'None', 'Receipts keep going missing'],
      ['One agency, full service', 'USD 48,000', 'Recommended'],
      ['Self-booking tool only', 'USD 22,000', 'Weak support for changes abroad'],
    ],
    recommendations: [
      'Appoint Meridian Travel as the single agency from 1 January.',
      'Require bookings through the agency for all rechargeable travel.',
      'Review recharge leakage after six months.',
    ],
    followups: ['Procurement to negotiate the service-level agreement.', 'Finance to update the expense policy.'],
    pageNumbers: true,
    notes: ["Partners read memos on their phones before the partners' meeting: keep paragraphs short."],
  }),
  memo({
    slug: 'graduate-intake',
    subject: 'Graduate intake for 2026',
    to: 'Practice leads',
    from: 'Samuel Okonkwo, Head of Talent',
    date: '2025-10-02',
    purpose: 'This memo proposes the size and shape of the 2026 graduate intake.',
    background: ['We hired 24 graduates in 2025; 21 remain, and utilisation in their first year averaged 71%.'],
    recommendations: [
      'Hire 28 graduates in 2026, four of them into the data practice.',
      'Move the start date to 7 September so training ends before the busy season.',
    ],
    followups: ['Talent to open applications on 3 November.'],
    pageNumbers: false,
    notes: ['Practice leads forward memos to their teams; avoid internal abbreviations.'],
  }),
  memo({
    slug: 'knowledge-base',
    subject: 'Replacing the knowledge base',
    to: 'Executive committee',
    from: 'Lina Hoffmann, Head of Knowledge',
    date: '2025-06-20',
    purpose: 'This memo recommends replacing the current knowledge base before its licence ends in March.',
    background: [
      'Search in the current knowledge base finds the right document in 38% of tests.',
      'The licence costs USD 96,000 a year and ends on 31 March.',
    ],
    options: [
      ['Option', 'Cost over three years', 'Search accuracy in tests', 'Assessment'],
      ['Renew current system', 'USD 288,000', '38%', 'Not recommended'],
      ['Intranet search add-on', 'USD 150,000', '64%', 'Recommended'],
      ['Bespoke build', 'USD 420,000', '71%', 'Too costly'],
    ],
    recommendations: [
      'Adopt the intranet search add-on.',
      'Migrate the 9,400 most-used documents first.',
      'Retire the current system on 31 March.',
    ],
    pageNumbers: true,
    notes: ['The executive committee wants the decision on one page where possible.'],
  }),
  memo({
    slug: 'office-move',
    subject: 'Chicago office move',
    to: 'Chicago staff',
    from: 'Marcus Lee, Office Managing Partner',
    date: '2025-11-03',
    purpose: 'This memo explains the move to the new Chicago office and what staff need to do.',
    background: [
      'The lease at 200 West Adams ends on 31 January.',
      'The new office at 155 North Wacker has 20% fewer desks and more meeting rooms.',
    ],
    recommendations: [
      'Pack personal items by 23 January.',
      'Book desks through the new booking app from 2 February.',
      'Return building passes to reception on your last day at West Adams.',
    ],
    followups: [
      'Facilities will run two walk-throughs of the new office in January.',
      'IT will move monitors and docking stations over the weekend of 31 January.',
    ],
    pageNumbers: false,
    notes: ['Staff memos go out by email as an attachment; many staff read them on a phone.'],
  }),
  memo({
    slug: 'pricing-review',
    subject: 'Day rates for 2026',
    to: 'Partners',
    from: 'Rachel Adler, Chief Financial Officer',
    date: '2025-10-27',
    purpose: "This memo proposes the 2026 day rates for approval at the November partners' meeting.",
    background: [
      'Our day rates rose 3% in 2025 while salary costs rose 5.5%.',
      'Win rates on competitive bids were 34%, unchanged from 2024.',
    ],
    options: [
      ['Grade', '2025 rate', 'Proposed 2026 rate', 'Change'],
      ['Partner', 'USD 3,400', 'USD 3,600', '5.9%'],
      ['Director', 'USD 2,800', 'USD 2,950', '5.4%'],
      ['Manager', 'USD 2,100', 'USD 2,200', '4.8%'],
      ['Consultant', 'USD 1,450', 'USD 1,520', '4.8%'],
    ],
    recommendations: ['Approve the 2026 day rates in the table.', 'Hold rates for public-sector framework contracts until their renewal.'],
    followups: ['Finance to update the rate card in the bid system by 15 December.'],
    pageNumbers: true,
    notes: ['Rate memos are confidential to partners; do not include client names.'],
  }),
  memo({
    slug: 'data-retention',
    subject: 'Client data retention',
    to: 'Engagement managers',
    from: 'Oliver Grant, General Counsel',
    date: '2025-08-11',
    purpose: 'This memo reminds engagement managers how long client data may be kept after an engagement ends.',
    background: ['Our contracts allow client data to be kept for 90 days after the final invoice unless the client agrees otherwise.'],
    recommendations: [
      'Delete client data from shared drives within 90 days of the final invoice.',
      'Record each deletion in the engagement close-out checklist.',
    ],
    pageNumbers: false,
    notes: ['Legal memos are filed in the policy library; keep the exact retention period.'],
  }),
  memo({
    slug: 'bid-process',
    subject: 'Bid review gates',
    to: 'Bid managers',
    from: 'Hannah Kirui, Head of Bids',
    date: '2025-07-07',
    purpose: 'This memo introduces two review gates for bids above USD 500,000.',
    background: [
      'Three large bids in the first half of the year were submitted with pricing errors.',
      'Each error was found by the client, not by us.',
    ],
    recommendations: [
      'Hold a solution review before pricing starts.',
      'Hold a pricing review with finance two days before submission.',
      'Record both reviews in the bid register.',
    ],
    followups: ['Bid managers to book the first reviews from 1 August.'],
    pageNumbers: true,
    notes: ['Bid managers print the memo for their bid rooms.'],
  }),
];

// ---------------------------------------------------------------------------------------------
// Intake forms

function intake(s: {
  slug: string;
  client: string;
  engagement: string;
  date: string;
  intro: string;
  details: string[];
  checklist: string[][];
  instructions?: string[];
  header: boolean;
  notes: string[];
}): Spec {
  const blocks: DocBlock[] = [
    h1('About this form'),
    p(s.intro),
    h1('Client details'),
    table(['Field', 'Entry'], ...s.details.map((d) => [d, ''])),
    h1('Documents we need'),
    table(...s.checklist),
  ];
  if (s.instructions) blocks.push(h1('How to return this form'), ol(...s.instructions));
  blocks.push(h1('Declaration'), p('I confirm that the information in this form is complete and correct.'), p('Name, signature and date:'));
  const plan: DocPlan = {
    title: `${s.engagement} — Client Intake Form`,
    ...(s.header ? { header: `${s.client} · ${s.engagement}` } : {}),
    page_numbers: false,
    blocks,
  };
  return {
    slug: s.slug,
    title: `Intake form — ${s.engagement} (${s.client})`,
    ask: `Prepare the client intake form for ${s.client}'s ${s.engagement} engagement.`,
    client: s.client,
    date: s.date,
    plan,
    notes: s.notes,
    rubric: [
      'The client details table lists every field with an empty entry column to fill in.',
      'The document checklist table has every document with its columns as in the brief.',
      ...(s.instructions ? ['The return instructions are a numbered list.'] : []),
      'Tables are accessible (marked header rows) and fit the page.',
      ...(s.header ? [`Every page, including the first, carries the header "${plan.header}".`] : []),
    ],
  };
}

const INTAKE: Spec[] = [
  intake({
    slug: 'brightwater-acquisition',
    client: 'Brightwater Foods',
    engagement: 'Acquisition Due Diligence',
    date: '2025-09-08',
    intro: 'Please complete this form so we can start the financial due diligence on the target company.',
    details: [
      'Registered company name',
      'Company number',
      'Registered address',
      'Finance contact',
      'Finance contact email',
      'Data room administrator',
    ],
    checklist: [
      ['Document', 'Period', 'Owner', 'Required by', 'Received', 'Notes'],
      ['Audited accounts', '2022–2024', 'Finance', '15 September', '', ''],
      ['Management accounts', 'Last 24 months', 'Finance', '15 September', '', ''],
      ['Customer contracts over GBP 250,000', 'Current', 'Legal', '22 September', '', ''],
      ['Payroll summary', 'Last 12 months', 'HR', '22 September', '', ''],
    ],
    instructions: [
      'Fill in the client details table.',
      'Upload each document to the data room folder named in the checklist.',
      'Email the completed form to diligence@larkspur.example.',
    ],
    header: true,
    notes: ["Brightwater's deal team uses screen readers; the tables must be accessible."],
  }),
  intake({
    slug: 'solace-hr-review',
    client: 'Solace Care Homes',
    engagement: 'HR Process Review',
    date: '2025-10-13',
    intro: 'This form collects what we need for the review of recruitment and onboarding in your care homes.',
    details: ['Organisation name', 'Number of homes', 'HR director', 'Email', 'Phone'],
    checklist: [
      ['Document', 'Owner', 'Required by', 'Received'],
      ['Recruitment policy', 'HR', '20 October', ''],
      ['Onboarding checklist', 'HR', '20 October', ''],
      ['Staff turnover by home', 'Finance', '27 October', ''],
    ],
    header: false,
    notes: ['Solace prints forms for home managers who fill them in by hand.'],
  }),
  intake({
    slug: 'vantage-it-audit',
    client: 'Vantage Credit Union',
    engagement: 'IT Controls Audit',
    date: '2025-11-17',
    intro: 'Please complete this form before the audit fieldwork starts on 1 December.',
    details: ['Credit union name', 'Charter number', 'Chief information officer', 'Email', 'Primary data centre location'],
    checklist: [
      ['Evidence', 'Control area', 'Owner', 'Period', 'Required by', 'Received'],
      ['User access review', 'Access management', 'IT security', 'Q3 2025', '24 November', ''],
      ['Change approval log', 'Change management', 'IT operations', 'Q3 2025', '24 November', ''],
      ['Backup restore test', 'Resilience', 'Infrastructure', 'Last test', '26 November', ''],
      ['Vendor risk register', 'Third parties', 'Procurement', 'Current', '26 November', ''],
    ],
    instructions: [
      'Complete the client details table.',
      'Upload evidence to the secure portal, one folder per control area.',
      'Tell us by email when every item is uploaded.',
    ],
    header: true,
    notes: ["Vantage's audit committee requires every audit document to be accessible."],
  }),
  intake({
    slug: 'greenfield-grant',
    client: 'Greenfield Community Trust',
    engagement: 'Grant Programme Evaluation',
    date: '2025-08-04',
    intro: 'This form gathers the programme records we need to evaluate the 2024 small grants programme.',
    details: ['Trust name', 'Charity number', 'Programme manager', 'Email'],
    checklist: [
      ['Record', 'Owner', 'Required by', 'Received'],
      ['Grant register', 'Programme team', '18 August', ''],
      ['Grantee reports', 'Programme team', '25 August', ''],
    ],
    instructions: ['Complete the form and email it to evaluation@larkspur.example.', 'Share the grant register as a spreadsheet.'],
    header: false,
    notes: ["The trust's volunteers use assistive technology to fill in forms."],
  }),
  intake({
    slug: 'ironbridge-pricing',
    client: 'Ironbridge Manufacturing',
    engagement: 'Pricing Strategy',
    date: '2025-06-16',
    intro: 'Please complete this form so we can prepare the price-waterfall analysis.',
    details: ['Company name', 'Commercial director', 'Email', 'Currency of reporting', 'Financial year end'],
    checklist: [
      ['Data', 'Granularity', 'Period', 'Owner', 'Format', 'Received'],
      ['Invoice lines', 'Line level', 'Last 24 months', 'Finance', 'CSV', ''],
      ['List prices', 'SKU', 'Current', 'Commercial', 'Excel', ''],
      ['Rebate agreements', 'Customer', 'Current', 'Sales', 'PDF', ''],
    ],
    header: true,
    notes: ['Ironbridge shares forms with its distributors; use its name exactly.'],
  }),
  intake({
    slug: 'lumen-relocation',
    client: 'Lumen Biotech',
    engagement: 'Site Relocation Study',
    date: '2025-09-22',
    intro: 'This form collects the site information for the relocation study of your Cambridge laboratory.',
    details: ['Company name', 'Site address', 'Facilities lead', 'Email', 'Lease end date'],
    checklist: [
      ['Document', 'Owner', 'Required by', 'Received'],
      ['Current lease', 'Legal', '6 October', ''],
      ['Equipment inventory', 'Lab operations', '6 October', ''],
      ['Headcount plan', 'HR', '13 October', ''],
    ],
    instructions: ['Complete the form.', 'Send the documents through the secure file transfer link we emailed you.'],
    header: true,
    notes: ["Lumen's facilities team works from printed copies on site."],
  }),
  intake({
    slug: 'marlow-benchmark',
    client: 'Marlow Housing Association',
    engagement: 'Repairs Benchmarking',
    date: '2025-10-06',
    intro: 'Please complete this form so we can benchmark your repairs service against eight peer associations.',
    details: ['Association name', 'Homes managed', 'Director of property', 'Email'],
    checklist: [
      ['Data', 'Period', 'Owner', 'Required by', 'Format', 'Received'],
      ['Repairs orders', '2024–25', 'Property', '20 October', 'CSV', ''],
      ['Repairs costs', '2024–25', 'Finance', '20 October', 'Excel', ''],
      ['Tenant satisfaction', '2024–25', 'Customer service', '27 October', 'Excel', ''],
    ],
    header: false,
    notes: ['Marlow publishes its forms on its website; they must meet accessibility rules.'],
  }),
];

// ---------------------------------------------------------------------------------------------
// Tender responses

function proposal(s: {
  slug: string;
  authority: string;
  reference: string;
  subject: string;
  date: string;
  summary: string;
  requirements: string[];
  approach: Array<[string, string]>;
  team?: string[][];
  pricing: string[][];
  workplan?: string[];
  header: boolean;
  pageNumbers: boolean;
  notes: string[];
}): Spec {
  const blocks: DocBlock[] = [
    h1('Executive summary'),
    p(s.summary),
    h1('Understanding of the requirements'),
    ul(...s.requirements),
    h1('Approach'),
  ];
  for (const [heading, text] of s.approach) blocks.push(h2(heading), p(text));
  if (s.team) blocks.push(h1('Team'), table(...s.team));
  blocks.push(h1('Price'), table(...s.pricing));
  if (s.workplan) blocks.push(h1('Work plan'), ol(...s.workplan));
  const plan: DocPlan = {
    title: `Tender ${s.reference} — ${s.subject}`,
    ...(s.header ? { header: `Tender ${s.reference} · Larkspur Advisory` } : {}),
    footer: `Response to ${s.authority}`,
    page_numbers: s.pageNumbers,
    blocks,
  };
  return {
    slug: s.slug,
    title: `Tender response — ${s.subject} (${s.authority})`,
    ask: `Write Larkspur's response to ${s.authority}'s tender ${s.reference} (${s.subject}).`,
    client: s.authority,
    date: s.date,
    plan,
    notes: s.notes,
    rubric: [
      "Sections follow the tender's structure: executive summary, understanding, approach (with its subsections), team, price, work plan.",
      'The price table gives every work package with days, daily rate and total as in the brief.',
      "Meets the tender's formatting rules (paper size, accessible tables) and the house style.",
      ...(s.header ? [`Every page, including the first, carries the header "${plan.header}".`] : []),
      ...(s.pageNumbers ? ['Pages are numbered in the footer.'] : []),
    ],
  };
}

const PROPOSALS: Spec[] = [
  proposal({
    slug: 'rotterdam-port-data',
    authority: 'Port of Rotterdam Authority',
    reference: 'PRA-2025-114',
    subject: 'Data Strategy Advisory',
    date: '2025-09-19',
    summary: "Larkspur proposes a 16-week engagement to set the Authority's data strategy and the governance to deliver it.",
    requirements: [
      'A data strategy aligned with the Port Vision 2030.',
      'A governance model with named data owners.',
      'A prioritised roadmap of twelve to fifteen initiatives.',
    ],
    approach: [
      ['Discovery', 'We interview thirty stakeholders and assess the current data landscape against the DAMA framework.'],
      ['Strategy and roadmap', 'We run three workshops with the data board to agree the target state and prioritise initiatives.'],
    ],
    team: [
      ['Role', 'Name', 'Days'],
      ['Engagement partner', 'Sophie van Dijk', '12'],
      ['Data strategy lead', 'Arjun Mehta', '60'],
      ['Consultant', 'Lotte Jansen', '70'],
    ],
    pricing: [
      ['Work package', 'Days', 'Daily rate (EUR)', 'Total (EUR)'],
      ['Discovery', '48', '1,450', '69,600'],
      ['Strategy and roadmap', '62', '1,450', '89,900'],
      ['Governance model', '32', '1,450', '46,400'],
    ],
    workplan: [
      'Weeks 1–5: discovery and current-state assessment.',
      'Weeks 6–11: target state and roadmap workshops.',
      'Weeks 12–16: governance model and handover.',
    ],
    header: true,
    pageNumbers: true,
    notes: ["The Authority's tender rules (section 4.2) say responses must be accessible to screen readers."],
  }),
  proposal({
    slug: 'lyon-mobility',
    authority: 'Métropole de Lyon',
    reference: 'ML-MOB-2025-07',
    subject: 'Mobility Hub Business Case',
    date: '2025-10-10',
    summary: 'We will build the business case for six mobility hubs, with demand forecasts and a funding plan.',
    requirements: ['Demand forecasts for six candidate sites.', 'A funding plan including EU cohesion funds.'],
    approach: [
      ['Demand modelling', "We use the Métropole's household travel survey and mobile network data to forecast demand at each site."],
    ],
    pricing: [
      ['Work package', 'Days', 'Daily rate (EUR)', 'Total (EUR)'],
      ['Demand modelling', '40', '1,300', '52,000'],
      ['Business case', '35', '1,300', '45,500'],
    ],
    header: false,
    pageNumbers: false,
    notes: ['The Métropole accepts responses in English with a French summary to follow.'],
  }),
  proposal({
    slug: 'vienna-procurement',
    authority: 'City of Vienna, Municipal Department 54',
    reference: 'MA54-2025-031',
    subject: 'Procurement Savings Programme',
    date: '2025-07-25',
    summary: 'Larkspur will help the department deliver EUR 6 million of procurement savings over two years.',
    requirements: [
      'A spend analysis of EUR 410 million of third-party spend.',
      'A savings pipeline with owners and dates.',
      'Capability building for twenty buyers.',
    ],
    approach: [
      ['Spend analysis', "We classify two years of invoices against the department's category tree."],
      ['Savings waves', 'We run three eight-week waves, each on four categories.'],
      ['Capability building', 'We coach buyers on the job and run six negotiation clinics.'],
    ],
    team: [
      ['Role', 'Name', 'Days'],
      ['Partner', 'Markus Huber', '20'],
      ['Procurement lead', 'Elif Demir', '120'],
    ],
    pricing: [
      ['Work package', 'Days', 'Daily rate (EUR)', 'Total (EUR)'],
      ['Spend analysis', '30', '1,500', '45,000'],
      ['Savings waves', '150', '1,500', '225,000'],
      ['Capability building', '40', '1,500', '60,000'],
    ],
    workplan: ['Months 1–2: spend analysis.', 'Months 3–20: three savings waves.', 'Months 3–24: coaching and clinics.'],
    header: true,
    pageNumbers: true,
    notes: ['Vienna scores responses on clarity; keep the structure of the tender.'],
  }),
  proposal({
    slug: 'dublin-housing',
    authority: 'Dublin City Council',
    reference: 'DCC-HSG-25-019',
    subject: 'Housing Maintenance Review',
    date: '2025-08-29',
    summary: "We will review the council's housing maintenance service and recommend an operating model.",
    requirements: ['A review of response times for 25,000 council homes.', 'Options for the future operating model.'],
    approach: [
      ['Diagnostic', 'We analyse two years of repair orders and observe twelve repair teams.'],
      ['Options', 'We assess in-house, mixed and outsourced models against cost and service.'],
    ],
    pricing: [
      ['Work package', 'Days', 'Daily rate (EUR)', 'Total (EUR)'],
      ['Diagnostic', '45', '1,250', '56,250'],
      ['Options appraisal', '30', '1,250', '37,500'],
    ],
    workplan: ['Weeks 1–6: diagnostic.', 'Weeks 7–10: options appraisal and recommendation.'],
    header: false,
    pageNumbers: true,
    notes: ["The council's tender rules require responses that screen readers can navigate."],
  }),
  proposal({
    slug: 'copenhagen-energy',
    authority: 'Copenhagen Energy Agency',
    reference: 'CEA-2025-42',
    subject: 'Heat Pump Rollout Programme Office',
    date: '2025-11-07',
    summary: 'Larkspur will run the programme office for the rollout of 18,000 heat pumps in three years.',
    requirements: ['A programme office with weekly reporting to the agency board.', 'Installer capacity planning across four districts.'],
    approach: [['Programme office', 'We set up planning, risk and benefits tracking in the first six weeks.']],
    team: [
      ['Role', 'Name', 'Days per year'],
      ['Programme director', 'Freja Madsen', '110'],
      ['Planning analyst', 'Jonas Nielsen', '200'],
    ],
    pricing: [
      ['Year', 'Days', 'Daily rate (EUR)', 'Total (EUR)'],
      ['Year 1', '310', '1,200', '372,000'],
      ['Year 2', '280', '1,200', '336,000'],
      ['Year 3', '250', '1,200', '300,000'],
    ],
    header: true,
    pageNumbers: false,
    notes: ['The agency evaluates responses with assistive technology as part of its accessibility policy.'],
  }),
  proposal({
    slug: 'milan-health',
    authority: 'Lombardy Regional Health Agency',
    reference: 'ARL-2025-88',
    subject: 'Outpatient Waiting Lists',
    date: '2025-09-05',
    summary: 'We propose a twelve-week programme to reduce outpatient waiting lists in three hospitals.',
    requirements: [
      'A baseline of waiting lists in cardiology, dermatology and orthopaedics.',
      'Capacity and demand plans for each specialty.',
      'Quick wins delivered within the programme.',
    ],
    approach: [
      ['Baseline', "We validate waiting-list data with each hospital's booking office."],
      ['Capacity planning', 'We model clinic capacity against referral demand by week.'],
    ],
    pricing: [
      ['Work package', 'Days', 'Daily rate (EUR)', 'Total (EUR)'],
      ['Baseline', '24', '1,350', '32,400'],
      ['Capacity planning', '48', '1,350', '64,800'],
      ['Quick wins', '36', '1,350', '48,600'],
    ],
    workplan: ['Weeks 1–3: baseline.', 'Weeks 4–8: capacity planning.', 'Weeks 6–12: quick wins.'],
    header: true,
    pageNumbers: true,
    notes: ["Responses are reviewed by the agency's accessibility officer before scoring."],
  }),
  proposal({
    slug: 'tallinn-digital',
    authority: 'Estonian Information System Authority',
    reference: 'RIA-2025-12',
    subject: 'Service Design Training',
    date: '2025-06-27',
    summary: 'We will train 120 civil servants in service design over six months.',
    requirements: ['Six cohorts of twenty participants.', 'A practical project for each cohort.'],
    approach: [['Training design', 'Each cohort runs four workshop days and a six-week project on a live service.']],
    pricing: [
      ['Work package', 'Days', 'Daily rate (EUR)', 'Total (EUR)'],
      ['Course design', '10', '1,100', '11,000'],
      ['Delivery', '48', '1,100', '52,800'],
    ],
    header: false,
    pageNumbers: false,
    notes: ['The authority publishes winning responses; they must be accessible.'],
  }),
];

// ---------------------------------------------------------------------------------------------
// Policy updates

function policy(s: {
  slug: string;
  name: string;
  version: string;
  date: string;
  owner: string;
  sections: Array<[string, DocBlock[]]>;
  procedure?: [string, string[]];
  pageNumbers: boolean;
  header: boolean;
  notes: string[];
}): Spec {
  const blocks: DocBlock[] = [];
  for (const [heading, content] of s.sections) blocks.push(h1(heading), ...content);
  if (s.procedure) blocks.push(h1(s.procedure[0]), ol(...s.procedure[1]));
  const plan: DocPlan = {
    title: `${s.name} (version ${s.version})`,
    ...(s.header ? { header: 'Larkspur Advisory · Internal policy' } : {}),
    footer: `${s.name} · version ${s.version} · owner: ${s.owner}`,
    page_numbers: s.pageNumbers,
    blocks,
  };
  const revisions = blocks.filter((b) => b.kind === 'paragraph' && b.replaces).length;
  return {
    slug: s.slug,
    title: `Policy update — ${s.name} v${s.version}`,
    ask: `Prepare version ${s.version} of the ${s.name} for approval by the compliance office (owner: ${s.owner}).`,
    client: 'Larkspur Advisory (internal)',
    date: s.date,
    plan,
    notes: s.notes,
    rubric: [
      `Carries the ${revisions} revised paragraph${revisions === 1 ? '' : 's'} of the brief with the new wording, and shows what changed.`,
      'Keeps the unchanged paragraphs word for word.',
      ...(s.procedure ? ['The procedure is a numbered list.'] : []),
      ...(s.pageNumbers ? ['Pages are numbered in the footer.'] : []),
      'Section headings are real Word headings and the document follows the house template.',
    ],
  };
}

const POLICIES: Spec[] = [
  policy({
    slug: 'expenses',
    name: 'Expenses Policy',
    version: '4.2',
    date: '2025-09-01',
    owner: 'Finance',
    sections: [
      ['1. Purpose', [p('This policy sets out which business expenses Larkspur reimburses and how to claim them.')]],
      [
        '2. Submitting claims',
        [
          revised(
            'Expense claims must be submitted within 14 days of the expense.',
            'Expense claims must be submitted within 30 days of the expense.',
          ),
          p('Every claim needs an itemised receipt.'),
        ],
      ],
      [
        '3. Travel',
        [
          revised(
            'Rail travel is booked in standard class for journeys under three hours.',
            'Rail travel is booked in standard class for journeys under two hours.',
          ),
          p('Air travel is booked in economy unless a partner approves otherwise.'),
        ],
      ],
    ],
    procedure: [
      '4. How to claim',
      [
        'Photograph each receipt in the expenses app.',
        'Attach the client and engagement code.',
        'Submit the claim to your engagement manager for approval.',
      ],
    ],
    pageNumbers: true,
    header: true,
    notes: ['The compliance office approves each new version before it is published.'],
  }),
  policy({
    slug: 'remote-work',
    name: 'Hybrid Working Policy',
    version: '2.0',
    date: '2025-10-06',
    owner: 'People',
    sections: [
      ['1. Scope', [p('This policy applies to all Larkspur employees in the United States and Europe.')]],
      [
        '2. Office attendance',
        [
          revised(
            'Employees work from a Larkspur office or a client site at least three days a week.',
            'Employees work from a Larkspur office or a client site at least two days a week.',
          ),
        ],
      ],
      [
        '3. Working abroad',
        [
          p('Working from another country needs prior approval from People and Tax.'),
          revised(
            'Approved working abroad is limited to 20 working days a year.',
            'Approved working abroad is limited to 30 working days a year.',
          ),
        ],
      ],
    ],
    pageNumbers: false,
    header: false,
    notes: ['Policy changes are announced to staff with the tracked version attached.'],
  }),
  policy({
    slug: 'gifts',
    name: 'Gifts and Hospitality Policy',
    version: '3.1',
    date: '2025-07-14',
    owner: 'Legal',
    sections: [
      [
        '1. Principles',
        [p('Employees must not accept gifts or hospitality that could influence, or appear to influence, a business decision.')],
      ],
      [
        '2. Limits',
        [
          revised(
            'Gifts worth more than USD 100 must be declared in the gifts register.',
            'Gifts worth more than USD 150 must be declared in the gifts register.',
          ),
          p('Cash and cash equivalents are never accepted.'),
        ],
      ],
      [
        '3. Public officials',
        [
          revised(
            "Hospitality for public officials needs the General Counsel's prior written approval.",
            "Hospitality for public officials needs a partner's prior approval.",
          ),
        ],
      ],
    ],
    procedure: [
      '4. Declaring a gift',
      ['Open the gifts register on the intranet.', 'Record the giver, the value and the business reason.', 'Keep the confirmation email.'],
    ],
    pageNumbers: true,
    header: true,
    notes: ['Legal keeps every approved version of this policy for seven years.'],
  }),
  policy({
    slug: 'information-security',
    name: 'Information Security Policy',
    version: '5.0',
    date: '2025-11-10',
    owner: 'IT Security',
    sections: [
      [
        '1. Devices',
        [
          revised(
            'Laptops lock automatically after five minutes without use.',
            'Laptops lock automatically after fifteen minutes without use.',
          ),
          p('Personal devices may only access email through the managed app.'),
        ],
      ],
      [
        '2. Client data',
        [
          p('Client data is stored only in approved engagement workspaces.'),
          revised(
            'Client data must never be copied to removable media or personal cloud storage.',
            'Client data must never be copied to removable media.',
          ),
        ],
      ],
    ],
    procedure: [
      '3. Reporting an incident',
      [
        'Disconnect the affected device from the network.',
        'Call the IT Security hotline.',
        'Record the incident in the security portal within one hour.',
      ],
    ],
    pageNumbers: true,
    header: false,
    notes: ['Clients ask for this policy during security reviews; keep the wording precise.'],
  }),
  policy({
    slug: 'conflicts',
    name: 'Conflicts of Interest Policy',
    version: '1.3',
    date: '2025-08-18',
    owner: 'Risk',
    sections: [
      [
        '1. What counts as a conflict',
        [p("A conflict arises when Larkspur's or an employee's interests could affect advice to a client.")],
      ],
      [
        '2. Checks',
        [
          revised(
            'A conflict check is run before any proposal is submitted.',
            'A conflict check is run before an engagement letter is signed.',
          ),
        ],
      ],
    ],
    pageNumbers: false,
    header: true,
    notes: ['The risk committee reviews this policy every year.'],
  }),
  policy({
    slug: 'procurement',
    name: 'Supplier Onboarding Procedure',
    version: '2.4',
    date: '2025-06-09',
    owner: 'Procurement',
    sections: [
      ['1. Scope', [p('This procedure applies to every new supplier with expected spend above USD 10,000 a year.')]],
      [
        '2. Due diligence',
        [
          revised(
            'New suppliers complete the security questionnaire and provide two references.',
            'New suppliers complete the security questionnaire.',
          ),
          p('Suppliers handling client data also sign the data processing agreement.'),
        ],
      ],
      [
        '3. Approval',
        [
          revised(
            "Suppliers with spend above USD 100,000 need the CFO's approval.",
            "Suppliers with spend above USD 250,000 need the CFO's approval.",
          ),
        ],
      ],
    ],
    procedure: [
      '4. Steps',
      [
        'Raise a supplier request in the procurement portal.',
        'Send the questionnaire and collect the references.',
        'Submit the file for approval.',
        'Create the supplier in the finance system.',
      ],
    ],
    pageNumbers: true,
    header: true,
    notes: ['Procurement publishes the approved procedure on the intranet.'],
  }),
  policy({
    slug: 'learning',
    name: 'Learning and Development Policy',
    version: '1.1',
    date: '2025-10-20',
    owner: 'People',
    sections: [
      ['1. Entitlement', [revised('Every employee has five learning days a year.', 'Every employee has three learning days a year.')]],
      [
        '2. Funding',
        [
          p('Larkspur funds professional qualifications that a practice lead approves.'),
          revised(
            'Employees who leave within 12 months of a funded qualification repay half of its cost.',
            'Employees who leave within 24 months of a funded qualification repay its full cost.',
          ),
        ],
      ],
    ],
    pageNumbers: false,
    header: false,
    notes: ['People announce policy changes with the tracked version attached.'],
  }),
];

// ---------------------------------------------------------------------------------------------
// Style guides and prompts

const HOUSE_STYLE = `# Larkspur Advisory — house style for Word documents

## Template
- Every document is built on the Larkspur house template; its styles carry the headings, lists and tables.
- The first page carries the document title in the Title style.
- Use real Word headings (level 1 for sections, level 2 for subsections), so the navigation pane and the table of contents see them.

## Content
- Use the brief's wording for headings, paragraphs, list items and table cells; do not paraphrase facts, names, dates or amounts.
- Numbered lists for steps and recommendations, bullets for everything else, as the brief marks them.
- The first row of a table holds the column headings.
- Keep the header and footer text exactly as the brief gives them.`;

const FAMILY_NOTES: Record<string, string> = {
  'status-report': "## Status reports\n- Status reports go to the client's steering group; they are read as PDFs and printed.",
  memo: '## Memos\n- Memos are internal; they go to partners or staff by email.',
  'intake-form': '## Forms\n- Forms go to clients, who fill them in on screen or on paper.',
  proposal:
    "## Tender responses\n- Follow the tender's structure and its formatting rules; responses are scored by the contracting authority.",
  'policy-update': '## Policies\n- A policy update is approved by the compliance office before it is published.',
};

function styleGuide(family: string, spec: Spec): string {
  return `${HOUSE_STYLE}\n\n${FAMILY_NOTES[family]}\n\n## Notes for this document (${spec.client})\n${spec.notes.map((n) => `- ${n}`).join('\n')}\n`;
}

function promptText(spec: Spec): string {
  const headings = spec.plan.blocks.filter((b): b is Extract<DocBlock, { kind: 'heading' }> => b.kind === 'heading');
  return [
    spec.ask,
    '',
    'Your workspace holds brief.md (the page setup and the content, in Markdown) and style-guide.md (the Larkspur house style and notes for this document). Set up the page, the header and the footer the brief asks for, add the content block by block with add_block in the brief\'s order (### marks a level-1 heading, #### a level-2 heading; "- " items are a bulleted list, "1. " items a numbered list, "|" rows a table, and a paragraph marked [revised; was: "..."] revises that earlier wording), build document.docx with build_docx, and call submit when the document is final.',
    '',
    `The document's title: ${spec.plan.title}`,
    `Its headings, in order: ${headings.map((h) => h.text).join('; ')}.`,
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------

export const SPECS: Record<string, Spec[]> = {
  'status-report': STATUS,
  memo: MEMOS,
  'intake-form': INTAKE,
  proposal: PROPOSALS,
  'policy-update': POLICIES,
};

function buildTask(family: string, spec: Spec, index: number, table: PitfallRow[]) {
  const id = taskId(family, index, spec.slug);
  const pitfalls = taskPitfalls(table, family, contentTriggers(spec.plan), PITFALL_TRIGGER);
  const size = spec.plan.blocks.length > 16 ? 'large' : 'small';
  return {
    id,
    family,
    title: spec.title,
    prompt: promptText(spec),
    files: { 'brief.md': briefMarkdown(spec.plan, briefIntro(spec)), 'style-guide.md': styleGuide(family, spec) },
    pitfalls,
    rubric: spec.rubric,
    expected: { difficulty: difficultyOf(pitfalls.length, size), date: spec.date, ...spec.plan },
  };
}

export function generate(outDir: string, dataDir: string): Record<string, number> {
  return writeTaskFiles('office-docx', outDir, dataDir, SPECS, buildTask);
}

runIfInvoked(import.meta.url, 'office-docx', generate);
