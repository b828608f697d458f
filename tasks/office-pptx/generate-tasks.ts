// Generates data/tasks/<family>.yaml from the deck specs below. The YAML it writes is committed and
// is the source of truth (hand edits are fine; re-running overwrites them).
//
//   npm run build:dev && node dist-dev/tasks/office-pptx/generate-tasks.js [--out <dir>]

import { difficultyOf } from '../_office/data.js';
import { briefIntro, longDate, runIfInvoked, taskId, taskPitfalls, writeTaskFiles, type PitfallRow } from '../_office/generate.js';
import { titleCase, wordCount } from '../_office/text.js';
import { briefMarkdown, type ChartPlan, type ChartType, type DeckPlan, type SlidePlan } from './brief.js';
import { contentTriggers, MAX_BULLETS, MAX_WORDS, PITFALL_TRIGGER } from './data.js';

interface Spec {
  slug: string;
  title: string;
  ask: string;
  client: string;
  date: string;
  deck: DeckPlan;
  notes: string[];
  rubric: string[];
}

const bullets = (title: string, items: string[], notes?: string): SlidePlan => ({ title, bullets: items, ...(notes ? { notes } : {}) });
const chart = (
  title: string,
  type: ChartType,
  axis: string,
  categories: string[],
  series: Array<[string, number[]]>,
  notes?: string,
): SlidePlan => ({
  title,
  chart: { type, axis, categories, series: series.map(([name, values]) => ({ name, values })) } satisfies ChartPlan,
  ...(notes ? { notes } : {}),
});
const picture = (title: string, file: string, caption: string, notes?: string): SlidePlan => ({
  title,
  picture: { file, caption },
  ...(notes ? { notes } : {}),
});

function spec(
  s: Omit<Spec, 'rubric' | 'deck'> & {
    subtitle: string;
    titleNotes?: string;
    deckTitle: string;
    slides: SlidePlan[];
    extraRubric?: string[];
  },
): Spec {
  const deck: DeckPlan = {
    title: s.deckTitle,
    subtitle: s.subtitle,
    ...(s.titleNotes ? { title_notes: s.titleNotes } : {}),
    slides: s.slides,
  };
  const rubric = [
    `Opens with the title slide "${s.deckTitle}" and has the ${s.slides.length} slides of the brief in order.`,
    "Keeps the brief's bullets, numbers and captions word for word, at most six bullets of at most twelve words on a slide.",
    ...(s.slides.some((x) => x.chart) ? ["Charts show the brief's data and open without any other file."] : []),
    ...(s.slides.some((x) => x.notes) || s.titleNotes ? ['Speaker notes are in the notes pane for the presenter, not on the slides.'] : []),
    ...(s.slides.some((x) => x.picture) ? ['Pictures have meaningful alternative text.'] : []),
    ...(s.extraRubric ?? []),
    'Every slide has a real title (the title placeholder) and follows the Larkspur house style.',
  ];
  return { slug: s.slug, title: s.title, ask: s.ask, client: s.client, date: s.date, deck, notes: s.notes, rubric };
}

// ---------------------------------------------------------------------------------------------
// Pitch decks

const PITCH: Spec[] = [
  spec({
    slug: 'fenwick-pricing',
    title: 'Pitch deck — pricing transformation for Fenwick Retail Group',
    ask: 'Build the pitch deck for a pricing transformation engagement with Fenwick Retail Group.',
    client: 'Fenwick Retail Group',
    date: '2025-09-10',
    deckTitle: 'Pricing that pays: a proposal for Fenwick',
    subtitle: 'Larkspur Advisory · 10 September 2025',
    titleNotes: 'Thank Priya for the invitation and introduce the team.',
    slides: [
      bullets(
        'What we heard',
        ['Margins fell two points in eighteen months', 'Promotions drive 41% of revenue', 'Store managers override list prices weekly'],
        'Play back the three issues from the discovery call.',
      ),
      bullets('Our approach', [
        'Diagnose the price waterfall by category',
        'Redesign promotion rules with the buying teams',
        'Pilot in 40 stores before the roll-out',
      ]),
      chart(
        'Where margin leaks',
        'column',
        'Category',
        ['Grocery', 'Home', 'Apparel', 'Electronics'],
        [['Margin leakage (%)', [1.2, 2.8, 3.5, 2.1]]],
        'Apparel leaks most: lead with it.',
      ),
      picture('Your team', 'team-photo.png', 'The five Larkspur consultants who would lead the engagement'),
      bullets('Next steps', ['Agree the scope by 26 September', 'Start discovery on 6 October']),
    ],
    notes: ["Fenwick's board will see the deck on the boardroom screen."],
  }),
  spec({
    slug: 'halden-claims',
    title: 'Pitch deck — claims analytics for Halden Insurance',
    ask: 'Build the pitch deck for a claims analytics engagement with Halden Insurance.',
    client: 'Halden Insurance',
    date: '2025-06-18',
    deckTitle: 'Faster, fairer claims',
    subtitle: 'A proposal for Halden Insurance · June 2025',
    slides: [
      bullets('The opportunity', ['Motor claims take 19 days on average', 'A third of claims need no assessor visit']),
      bullets('What we propose', [
        'Build a triage model on three years of claims',
        'Fast-track simple claims with human review',
        'Monitor fairness every month',
      ]),
      bullets('Why Larkspur', ['Twelve claims programmes with European insurers', 'A model governance framework regulators know']),
    ],
    notes: ["Halden's legal team reviews every deck before the meeting."],
  }),
  spec({
    slug: 'arden-assets',
    title: 'Pitch deck — asset data for Arden Water',
    ask: 'Build the pitch deck for an asset data engagement with Arden Water.',
    client: 'Arden Water',
    date: '2025-04-22',
    deckTitle: 'Knowing every asset',
    subtitle: 'Larkspur Advisory for Arden Water · 22 April 2025',
    slides: [
      bullets(
        'The challenge',
        ['48,000 network assets, a third unverified', 'Regulator review due in eighteen months'],
        'Mention the regulator review date early.',
      ),
      chart('Verified assets by region', 'bar', 'Region', ['North', 'Central', 'South'], [['Verified (%)', [64, 41, 52]]]),
      bullets('How we would work', [
        'Survey teams with tablets and offline maps',
        'Weekly data quality reports',
        'One register of record by month nine',
      ]),
      picture('Survey teams in the field', 'field-survey.png', 'A survey team checking a valve chamber near Arden'),
    ],
    notes: ["Arden's executives review decks on a large screen in their operations centre."],
  }),
  spec({
    slug: 'calder-digital',
    title: 'Pitch deck — digital services for Calder County Council',
    ask: 'Build the pitch deck for a digital services engagement with Calder County Council.',
    client: 'Calder County Council',
    date: '2025-02-03',
    deckTitle: 'Services residents choose to use online',
    subtitle: 'A proposal to Calder County Council',
    titleNotes: 'Open with the resident survey result: 72% want to apply online.',
    slides: [
      bullets(
        'What residents told us',
        ['72% would rather apply online', 'Phone waits average 14 minutes', 'Paper forms are lost or incomplete'],
        'Quote one resident from the survey.',
      ),
      bullets('Five services first', [
        'Parking permits',
        'Bulky waste collection',
        'Council tax direct debit',
        'Blue badge renewals',
        'School admissions appeals',
      ]),
      bullets(
        'How we deliver',
        ['Discovery, alpha and beta for each service', 'Accessibility testing with residents', 'Hand-over to the council team'],
        'Stress the hand-over: the council wants its own team.',
      ),
      bullets('Commercials', ['Fixed price per service phase', 'Optional support for twelve months']),
    ],
    notes: ['The council publishes procurement decks; keep them accessible.'],
  }),
  spec({
    slug: 'brightwater-integration',
    title: 'Pitch deck — post-merger integration for Brightwater Foods',
    ask: 'Build the pitch deck for post-merger integration support to Brightwater Foods.',
    client: 'Brightwater Foods',
    date: '2025-11-12',
    deckTitle: 'Bringing two bakeries together',
    subtitle: 'Integration support for Brightwater Foods · November 2025',
    slides: [
      bullets(
        'Integration priorities',
        [
          'Keep every customer through the first hundred days',
          'Combine purchasing for flour and packaging',
          'One set of food safety standards',
        ],
        'Customers first: that is what the CEO said.',
      ),
      chart(
        'Synergies by year',
        'column',
        'Year',
        ['Year 1', 'Year 2', 'Year 3'],
        [
          ['Cost synergies (GBP m)', [2.1, 4.8, 6.3]],
          ['Revenue synergies (GBP m)', [0.5, 1.9, 3.2]],
        ],
      ),
      picture('The combined network', 'site-map.png', 'Map of the eleven bakeries of the combined group'),
      bullets(
        'Our integration office',
        ['A weekly steering rhythm', 'Synergy tracking from day one', 'Clean team for commercial data before close'],
        'Mention the clean team: the deal has not closed.',
      ),
      bullets('Timeline', ['Day one plan ready two weeks before close', 'Hundred-day plan approved by the board']),
    ],
    notes: ["Brightwater's deal team will forward the deck to its bank."],
  }),
  spec({
    slug: 'vantage-resilience',
    title: 'Pitch deck — operational resilience for Vantage Credit Union',
    ask: 'Build the pitch deck for an operational resilience engagement with Vantage Credit Union.',
    client: 'Vantage Credit Union',
    date: '2025-08-27',
    deckTitle: 'Resilient by design',
    subtitle: 'Operational resilience for Vantage Credit Union',
    slides: [
      bullets('Why now', ['New supervisory guidance takes effect in March', 'Two outages this year lasted over four hours']),
      bullets('What we will do', [
        'Map important business services end to end',
        'Set impact tolerances with the board',
        'Test severe but plausible scenarios',
      ]),
      bullets('Your team', ['Partner: Daniel Ortiz', 'Resilience lead: Aiko Tanaka', 'Two consultants full time for twelve weeks']),
    ],
    notes: ["The credit union's board pack is read on tablets."],
  }),
  spec({
    slug: 'lumen-lab',
    title: 'Pitch deck — laboratory relocation for Lumen Biotech',
    ask: 'Build the pitch deck for the laboratory relocation study for Lumen Biotech.',
    client: 'Lumen Biotech',
    date: '2025-10-08',
    deckTitle: "A new home for Lumen's labs",
    subtitle: 'Site relocation study · October 2025',
    slides: [
      bullets(
        'What the study answers',
        ['Which of three sites fits the science plan', 'What the move costs and when', 'How to keep experiments running'],
        'Keep it short: the CSO wants answers.',
      ),
      chart(
        'Cost of the three sites',
        'bar',
        'Site',
        ['Cambridge North', 'Harlow', 'Stevenage'],
        [['Ten-year cost (GBP m)', [84, 61, 58]]],
        'Harlow and Stevenage are close; access to talent decides.',
      ),
      picture('The Harlow campus', 'harlow-campus.png', 'Aerial view of the Harlow science campus'),
      bullets('Study plan', ['Eight weeks from kick-off to recommendation', 'Site visits in weeks three and four']),
    ],
    notes: ["Lumen's leadership meets in a widescreen boardroom."],
  }),
];

// ---------------------------------------------------------------------------------------------
// Quarterly business reviews

function qbr(s: {
  slug: string;
  client: string;
  quarter: string;
  date: string;
  metric: [string, string[], Array<[string, number[]]>];
  chart2?: [string, ChartType, string, string[], Array<[string, number[]]>];
  highlights: string[];
  issues: string[];
  next: string[];
  notes?: Record<string, string>;
  style: string[];
}): Spec {
  const slides: SlidePlan[] = [
    bullets('Highlights of the quarter', s.highlights, s.notes?.highlights),
    chart(s.metric[0], 'column', 'Month', s.metric[1], s.metric[2], s.notes?.metric),
  ];
  if (s.chart2) slides.push(chart(s.chart2[0], s.chart2[1], s.chart2[2], s.chart2[3], s.chart2[4], s.notes?.chart2));
  slides.push(bullets('Issues and actions', s.issues), bullets('Priorities for next quarter', s.next, s.notes?.next));
  return spec({
    slug: s.slug,
    title: `Quarterly review — ${s.client}, ${s.quarter}`,
    ask: `Build the ${s.quarter} quarterly business review deck for ${s.client}.`,
    client: s.client,
    date: s.date,
    deckTitle: `${s.quarter} business review`,
    subtitle: `${s.client} · ${longDate(s.date)}`,
    slides,
    notes: s.style,
  });
}

const QBR: Spec[] = [
  qbr({
    slug: 'norrland-q3',
    client: 'Norrland Freight AB',
    quarter: 'Q3 2025',
    date: '2025-10-14',
    metric: [
      'Shipments by month',
      ['July', 'August', 'September'],
      [
        ['Shipments', [1240, 1315, 1402]],
        ['Target', [1200, 1250, 1300]],
      ],
    ],
    chart2: ['On-time delivery by month', 'line', 'Month', ['July', 'August', 'September'], [['On-time (%)', [93.1, 94.8, 96.2]]]],
    highlights: ['On-time delivery rose to 96.2% in September', 'Fuel cost per shipment fell 4%', 'Two new retail customers signed'],
    issues: ['Driver vacancies in Umeå remain at eleven', 'Customs delays at the Norwegian border'],
    next: ['Open the Luleå cross-dock', 'Renew the fuel hedging contract', 'Cut driver vacancies to five'],
    notes: { metric: 'September was a record month.' },
    style: ["Norrland's leadership team reviews the deck on a widescreen in Umeå and online."],
  }),
  qbr({
    slug: 'portside-q2',
    client: 'Portside Logistics',
    quarter: 'Q2 2025',
    date: '2025-07-09',
    metric: ['Containers handled by month', ['April', 'May', 'June'], [['Containers (thousands)', [41, 44, 47]]]],
    highlights: ['Record volume of 47,000 containers in June', 'Crane idle time down to 14%'],
    issues: ['Gate congestion on Monday mornings', 'Reefer plug shortages at Berth 4'],
    next: ['Launch gate appointments', 'Install 60 more reefer plugs'],
    style: ['Portside shares the deck with its shipping-line customers.'],
  }),
  qbr({
    slug: 'fenwick-q1',
    client: 'Fenwick Retail Group',
    quarter: 'Q1 2025',
    date: '2025-04-16',
    metric: ['Loyalty members by month', ['January', 'February', 'March'], [['Active members (thousands)', [352, 371, 389]]]],
    chart2: ['Sales from members by channel', 'pie', 'Channel', ['Stores', 'Online', 'App'], [['Share of member sales (%)', [58, 24, 18]]]],
    highlights: ['Loyalty membership grew 10% in the quarter', 'App sales passed 18% of member sales'],
    issues: ['Points liability above forecast', 'Partner offers launched late'],
    next: ['Reprice the points scheme', 'Sign two partner offers', 'Test personalised offers in the app'],
    notes: { chart2: 'The app share doubled in a year.', next: 'Ask for a decision on repricing.' },
    style: ["Fenwick's executives read the review on the boardroom screen."],
  }),
  qbr({
    slug: 'meridian-q4',
    client: 'Meridian Health',
    quarter: 'Q4 2025',
    date: '2026-01-20',
    metric: ['Appointments booked online by month', ['October', 'November', 'December'], [['Online bookings (thousands)', [18, 26, 31]]]],
    highlights: ['The new scheduling system went live on 17 November', 'No-show rate fell from 9% to 6.5%'],
    issues: ['Radiology interface still needs manual checks', 'Call volumes peaked in go-live week'],
    next: ['Automate the radiology interface', 'Open online booking for physiotherapy'],
    notes: { highlights: 'Thank the clinic managers for the go-live.' },
    style: ["Meridian's steering group meets by video; the deck is shared on screen."],
  }),
  qbr({
    slug: 'northwind-q3',
    client: 'Northwind Mutual',
    quarter: 'Q3 2025',
    date: '2025-10-22',
    metric: [
      'Days to close the month',
      ['July', 'August', 'September'],
      [
        ['Days to close', [6, 5.5, 5]],
        ['Target', [5, 5, 5]],
      ],
    ],
    chart2: ['Manual journals by month', 'column', 'Month', ['July', 'August', 'September'], [['Manual journals', [1840, 1510, 1220]]]],
    highlights: ['Five-day close reached in September', 'Manual journals down by a third'],
    issues: ['Intercompany reconciliations still late'],
    next: ['Automate intercompany matching', 'Move to a four-day close by March'],
    style: ["Northwind's finance committee prints the deck."],
  }),
  qbr({
    slug: 'calder-q2',
    client: 'Calder County Council',
    quarter: 'Q2 2025',
    date: '2025-07-21',
    metric: ['Online applications by month', ['April', 'May', 'June'], [['Applications', [620, 1480, 2310]]]],
    highlights: ['Parking permits moved online in May', 'Phone calls about permits fell by half'],
    issues: ['Payment failures for some bank cards'],
    next: ['Fix card payment failures', 'Start the bulky waste service beta'],
    notes: { metric: 'June includes the summer permit renewals.' },
    style: ['Council decks are published with the committee papers.'],
  }),
  qbr({
    slug: 'halden-q1',
    client: 'Halden Insurance',
    quarter: 'Q1 2026',
    date: '2026-04-15',
    metric: ['Claims triaged by month', ['January', 'February', 'March'], [['Claims triaged', [7800, 8300, 9100]]]],
    chart2: ['Handling time by claim type', 'bar', 'Claim type', ['Motor', 'Home', 'Travel'], [['Days', [11, 16, 7]]]],
    highlights: ['Home claims joined the triage model', 'Complaints stable at 0.8%'],
    issues: ['Fairness review found one feature to remove'],
    next: ['Retrain the model without the postcode feature', 'Extend triage to travel claims'],
    style: ["Halden's executives review the deck before the regulator meeting."],
  }),
];

// ---------------------------------------------------------------------------------------------
// Training modules (public-sector clients)

const TRAINING: Spec[] = [
  spec({
    slug: 'procurement-basics',
    title: 'Training — procurement basics for City of Vienna buyers',
    ask: 'Build the slides for module 1 (procurement basics) of the buyer training for the City of Vienna.',
    client: 'City of Vienna, Municipal Department 54',
    date: '2025-09-15',
    deckTitle: 'Module 1: procurement basics',
    subtitle: 'Buyer training · City of Vienna · September 2025',
    titleNotes: 'Welcome the group; ask each buyer to name one category they manage.',
    slides: [
      bullets(
        'What you will learn',
        [
          'The procurement cycle from need to contract',
          'How thresholds decide the procedure',
          'How to write a specification',
          'How to evaluate bids fairly',
          'How to manage a contract',
          'Where to get help',
          'How this module is assessed',
        ],
        'Walk through the seven topics in under three minutes.',
      ),
      bullets(
        'The procurement cycle',
        ['Identify the need', 'Choose the procedure', 'Run the competition', 'Award and sign', 'Manage the contract'],
        'Draw the cycle on the flip chart as you go.',
      ),
      bullets(
        'Thresholds',
        [
          'Below EUR 100,000: direct award with three quotes',
          'Up to EUR 221,000: simplified procedure',
          'Above EUR 221,000: EU open procedure',
        ],
        'Check the thresholds are still current before the session.',
      ),
      bullets(
        'Check your understanding',
        ['Which procedure fits a EUR 150,000 contract?', 'Who signs off a specification?'],
        'Give the group five minutes, then take answers.',
      ),
    ],
    notes: ["The city's accessibility standard applies to all training material.", 'Trainees print the slides as handouts.'],
  }),
  spec({
    slug: 'data-protection',
    title: 'Training — data protection for Dublin City Council staff',
    ask: 'Build the data protection refresher module for Dublin City Council staff.',
    client: 'Dublin City Council',
    date: '2025-05-12',
    deckTitle: 'Data protection refresher',
    subtitle: 'Dublin City Council · staff training 2025',
    slides: [
      bullets(
        'Why it matters',
        ['Residents trust us with personal data', 'Breaches must be reported within 72 hours'],
        "Open with last year's breach numbers.",
      ),
      bullets(
        'The six principles',
        [
          'Lawful, fair and transparent',
          'Collected for a clear purpose',
          'No more data than needed',
          'Accurate and up to date',
          'Kept no longer than needed',
          'Secure',
        ],
        'Ask which principle is hardest in their team.',
      ),
      bullets(
        'Spotting a breach',
        [
          'Email sent to the wrong person',
          'Lost laptop or paper file',
          'Unlocked screen in a public area',
          'Data shared without a lawful basis',
          'Ransomware on a council device',
          'A caller pretending to be a resident',
          'Documents left on a printer',
          'Passwords shared between colleagues',
        ],
        'Use the printer example: it is the most common.',
      ),
      bullets(
        'What to do',
        ['Tell your manager at once', 'Report it to the data protection officer', 'Do not try to fix it yourself'],
        'Hand out the reporting card.',
      ),
    ],
    notes: ['The council runs the session in rooms with older projectors.'],
  }),
  spec({
    slug: 'service-design',
    title: 'Training — service design for the Estonian Information System Authority',
    ask: 'Build the slides for the first service design workshop for the Estonian Information System Authority.',
    client: 'Estonian Information System Authority',
    date: '2025-10-06',
    deckTitle: 'Service design in practice',
    subtitle: 'Workshop 1 · cohort 3',
    slides: [
      bullets(
        "Today's plan",
        ['What service design is', 'Mapping a user journey', 'Finding pain points', 'Planning research'],
        'Keep the plan visible all day.',
      ),
      bullets(
        'Mapping a journey',
        ["Start from the user's goal", 'List every step and channel', 'Mark where users give up'],
        'Use the driving licence journey as the example.',
      ),
      bullets(
        'Your project',
        ['Pick one live service', 'Interview five users before workshop 2'],
        'Groups choose their service before lunch.',
      ),
    ],
    notes: ['Participants follow the slides on their own laptops with screen readers.'],
  }),
  spec({
    slug: 'contract-management',
    title: 'Training — contract management for Marlow Housing Association',
    ask: "Build the contract management training module for Marlow Housing Association's repairs managers.",
    client: 'Marlow Housing Association',
    date: '2025-11-03',
    deckTitle: 'Managing repairs contracts',
    subtitle: 'Training for repairs managers · November 2025',
    titleNotes: 'Introduce yourself and the two case studies.',
    slides: [
      bullets(
        'Contract management essentials',
        [
          'Know what the contract says',
          'Measure performance every month',
          'Keep a record of every change',
          'Pay on time and on evidence',
          'Escalate early',
          'Plan the exit from day one',
          'Review the contract every year',
        ],
        'These seven habits structure the day.',
      ),
      bullets(
        'Key performance indicators',
        ['Emergency repairs within 24 hours', 'Routine repairs within 20 working days', 'Right first time above 90%'],
        "Show last quarter's figures from the contractor report.",
      ),
      bullets(
        'When things go wrong',
        ['Raise the issue at the monthly meeting', 'Issue a formal notice if it continues', 'Involve procurement before any termination'],
        'Use the 2024 damp repairs case.',
      ),
    ],
    notes: ['Marlow prints the slides for managers who work on site.'],
  }),
  spec({
    slug: 'risk-management',
    title: 'Training — risk management for Copenhagen Energy Agency project staff',
    ask: 'Build the risk management module for the Copenhagen Energy Agency programme staff.',
    client: 'Copenhagen Energy Agency',
    date: '2025-06-23',
    deckTitle: 'Risk management for programme staff',
    subtitle: 'Heat pump rollout programme',
    slides: [
      bullets(
        'What a risk is',
        ['An uncertain event that affects objectives', 'Different from an issue, which has happened'],
        'Ask for one example of each.',
      ),
      bullets('Writing a good risk', ['Cause, event and effect', 'An owner who can act', 'A date to review it']),
      bullets(
        'Scoring risks',
        ['Likelihood from one to five', 'Impact from one to five', 'Score is likelihood times impact'],
        'Score the installer shortage together.',
      ),
      bullets('Your risk register', ['Update it before each Monday meeting', 'Close risks that have passed']),
    ],
    notes: ["The agency's accessibility policy applies to all training."],
  }),
  spec({
    slug: 'customer-service',
    title: 'Training — customer service for Calder County Council contact centre',
    ask: "Build the customer service training module for Calder County Council's contact centre.",
    client: 'Calder County Council',
    date: '2025-03-17',
    deckTitle: 'Helping residents online and on the phone',
    subtitle: 'Contact centre training · spring 2025',
    slides: [
      bullets(
        'Our service promise',
        ['Answer within five minutes', 'Solve it on the first contact', 'Treat every resident with respect'],
        'Read the promise aloud together.',
      ),
      bullets(
        'Helping residents apply online',
        [
          'Ask if they have an email address',
          'Offer to stay on the line',
          "Use the council's screen-share tool",
          'Check their details back',
          'Send the confirmation link',
          'Note the case in the CRM',
          'Offer a paper form if they prefer',
          'Book a call back if needed',
          'Thank them for applying online',
        ],
        'Role-play this in pairs after the slide.',
      ),
      bullets(
        'Handling complaints',
        ['Listen and acknowledge', 'Apologise where we got it wrong', 'Log every complaint the same day'],
        'Use the parking permit complaint as the case.',
      ),
    ],
    notes: ['Some agents use screen magnifiers.'],
  }),
  spec({
    slug: 'budgeting',
    title: 'Training — budgeting for Lombardy Regional Health Agency managers',
    ask: 'Build the budgeting module for ward managers of the Lombardy Regional Health Agency.',
    client: 'Lombardy Regional Health Agency',
    date: '2025-09-29',
    deckTitle: 'Budgeting for ward managers',
    subtitle: 'Management training · module 4',
    slides: [
      bullets(
        'Your budget',
        ['Staff costs are 78% of a ward budget', 'Agency staff cost twice as much'],
        'Bring a real ward budget, anonymised.',
      ),
      bullets('Monthly review', ['Compare spend with budget', 'Explain every variance above 5%', 'Agree actions with finance']),
      bullets('Planning next year', ["Start from activity, not last year's budget", 'Show the cost of each extra bed']),
    ],
    notes: ['Managers join from wards on small screens.'],
  }),
];

// ---------------------------------------------------------------------------------------------
// Project kick-offs

const KICKOFF: Spec[] = [
  spec({
    slug: 'atlas-meridian',
    title: 'Kick-off deck — Project Atlas for Meridian Health',
    ask: 'Build the kick-off deck for Project Atlas with Meridian Health.',
    client: 'Meridian Health',
    date: '2025-04-07',
    deckTitle: 'Project Atlas kick-off',
    subtitle: 'Meridian Health and Larkspur Advisory · 7 April 2025',
    slides: [
      bullets('Why we are here', [
        'Replace three scheduling systems with one',
        'Let patients book online',
        'Go live before winter pressures',
      ]),
      bullets('Scope', [
        'Outpatient scheduling in all eleven clinics',
        'Online booking for follow-up appointments',
        'Interfaces to radiology and pathology',
      ]),
      picture('Who does what', 'org-chart.png', 'Project organisation chart with the steering group and four workstreams'),
      bullets('Plan', ['Design until June', 'Build and test until October', 'Go live on 17 November']),
    ],
    notes: ["Meridian's project team works from the deck all year."],
  }),
  spec({
    slug: 'keystone-arden',
    title: 'Kick-off deck — Keystone asset register for Arden Water',
    ask: 'Build the kick-off deck for the Keystone asset register project with Arden Water.',
    client: 'Arden Water',
    date: '2025-01-13',
    deckTitle: 'Keystone asset register',
    subtitle: 'Kick-off · 13 January 2025',
    slides: [
      bullets('Objectives', [
        'Verify all 48,000 network assets',
        'Grade the condition of every pumping station',
        'Deliver one trusted register',
      ]),
      bullets(
        'Ways of working',
        [
          'Weekly stand-up every Monday at nine',
          'Survey plans agreed a week ahead',
          'Data quality report every Friday',
          'One shared issue log',
          'Decisions recorded in the log',
          'Escalations to the sponsor within two days',
          'Monthly steering group',
        ],
        'These were agreed at the pre-kick-off workshop.',
      ),
      bullets('First month', ['Recruit the survey teams', 'Load the GIS extract', 'Pilot the survey app in the North region']),
    ],
    notes: ["Arden's teams will print the ways of working for their depots."],
  }),
  spec({
    slug: 'beacon-calder',
    title: 'Kick-off deck — Beacon digital services for Calder County Council',
    ask: 'Build the kick-off deck for the Beacon digital services programme with Calder County Council.',
    client: 'Calder County Council',
    date: '2025-05-06',
    deckTitle: 'Beacon: digital services kick-off',
    subtitle: 'Calder County Council · May 2025',
    slides: [
      bullets('Programme goals', ['Five services online within a year', 'Half of applications online by March']),
      picture('Programme team', 'team-structure.png', 'Chart of the Beacon team: product owners, designers and developers'),
      bullets(
        'Roles',
        [
          'Sponsor: Councillor Amira Shah',
          'Programme lead: Joanne Byrne',
          'Larkspur lead: Tom Hughes',
          'Service owners in each directorate',
        ],
        'Introduce the service owners by name.',
      ),
      bullets('Next two weeks', ['Discovery interviews with 30 residents', 'Agree the service standard']),
    ],
    notes: ['The council publishes its programme decks on its website.'],
  }),
  spec({
    slug: 'ledger-northwind',
    title: 'Kick-off deck — Ledger modernisation for Northwind Mutual',
    ask: 'Build the kick-off deck for the ledger modernisation with Northwind Mutual.',
    client: 'Northwind Mutual',
    date: '2025-02-10',
    deckTitle: 'Ledger modernisation kick-off',
    subtitle: 'Northwind Mutual finance team',
    slides: [
      bullets('What changes', ['A new general ledger in July', 'Automated accounts payable by September', 'A five-day month-end close']),
      bullets('Workstreams', ['Ledger design and migration', 'Accounts payable automation', 'Close process and reporting']),
      bullets('Governance', ['Weekly working group', 'Monthly steering committee chaired by the CFO']),
    ],
    notes: ["Northwind's finance team reads decks on screen."],
  }),
  spec({
    slug: 'harbor-portside',
    title: 'Kick-off deck — Harbor yard optimisation for Portside Logistics',
    ask: 'Build the kick-off deck for the Harbor yard optimisation project with Portside Logistics.',
    client: 'Portside Logistics',
    date: '2025-08-25',
    deckTitle: 'Harbor yard optimisation',
    subtitle: 'Project kick-off · Portside Logistics',
    slides: [
      bullets(
        'The problem',
        ['Crane idle time of 19% at Berth 4', 'Trucks queue for 40 minutes at the gate'],
        'Show the queue photo from last Monday if asked.',
      ),
      picture('The yard today', 'yard-layout.png', 'Layout of the container yard with Berths 4 and 5 and the gate'),
      bullets(
        'What we will change',
        [
          'New stacking rules for Berth 4',
          'Gate appointment system',
          'Reefer monitoring sensors',
          'A daily yard planning meeting',
          'Dashboards for shift managers',
          'Training for crane operators',
          'A weekly review with the terminal manager',
        ],
        'Stacking rules go first: they need no new systems.',
      ),
      bullets('Timeline', ['Stacking rules live on 6 October', 'Gate appointments by December']),
    ],
    notes: ["Portside's shift managers will use the deck in the control room."],
  }),
  spec({
    slug: 'orbit-fenwick',
    title: 'Kick-off deck — Orbit loyalty relaunch for Fenwick Retail Group',
    ask: 'Build the kick-off deck for the Orbit loyalty relaunch with Fenwick Retail Group.',
    client: 'Fenwick Retail Group',
    date: '2025-03-03',
    deckTitle: 'Orbit loyalty relaunch',
    subtitle: 'Kick-off with the Fenwick loyalty team',
    slides: [
      bullets('Goals', ['400,000 active members by August', 'App share of member sales above 15%']),
      bullets('Scope', ['New app and points scheme', 'Partner offers', 'Member communications']),
      bullets('Team', ['Sponsor: Priya Raman', 'Product lead: Claire Moreau', 'Larkspur lead: Ben Adeyemi']),
    ],
    notes: ["Fenwick's loyalty team shares decks in Teams meetings."],
  }),
  spec({
    slug: 'pivot-halden',
    title: 'Kick-off deck — claims triage pilot for Halden Insurance',
    ask: 'Build the kick-off deck for the claims triage pilot with Halden Insurance.',
    client: 'Halden Insurance',
    date: '2025-06-02',
    deckTitle: 'Claims triage pilot',
    subtitle: 'Kick-off · 2 June 2025',
    slides: [
      bullets('Pilot scope', ['Motor claims only', 'Human review of every fast-tracked claim', 'Four months, then a decision']),
      picture('How a claim flows', 'claim-flow.png', 'Flow chart of a motor claim from first notice to settlement'),
      bullets(
        'Success measures',
        [
          'Handling time down by two days',
          'Complaints no higher than today',
          'No unfair outcomes by customer group',
          'Handlers confident in the model',
          'Model decisions explained in plain words',
          'Regulator briefed before scale-up',
          'Costs within the pilot budget',
        ],
        'The fairness measure matters most to the board.',
      ),
    ],
    notes: ["Halden's project board prints decks for its meetings."],
  }),
];

// ---------------------------------------------------------------------------------------------
// Board updates

function board(s: {
  slug: string;
  client: string;
  topic: string;
  date: string;
  kpis: [string, ChartType, string, string[], Array<[string, number[]]>];
  progress: string[];
  risks: string[];
  decision: string[];
  notes: Partial<Record<'kpis' | 'progress' | 'risks' | 'decision', string>>;
  titleNotes?: string;
  style: string[];
}): Spec {
  return spec({
    slug: s.slug,
    title: `Board update — ${s.topic} (${s.client})`,
    ask: `Build the board update on ${s.topic} for ${s.client}'s board meeting of ${longDate(s.date)}.`,
    client: s.client,
    date: s.date,
    deckTitle: `${s.topic}: update to the board`,
    subtitle: `${s.client} board · ${longDate(s.date)}`,
    ...(s.titleNotes ? { titleNotes: s.titleNotes } : {}),
    slides: [
      chart(s.kpis[0], s.kpis[1], s.kpis[2], s.kpis[3], s.kpis[4], s.notes.kpis),
      bullets('Progress since the last meeting', s.progress, s.notes.progress),
      bullets('Risks to watch', s.risks, s.notes.risks),
      bullets('Decision requested', s.decision, s.notes.decision),
    ],
    notes: s.style,
  });
}

const BOARD: Spec[] = [
  board({
    slug: 'atlas-meridian',
    client: 'Meridian Health',
    topic: 'Project Atlas',
    date: '2025-10-02',
    kpis: [
      'Budget spent by quarter',
      'column',
      'Quarter',
      ['Q1', 'Q2', 'Q3'],
      [
        ['Spent (USD m)', [1.2, 2.6, 3.1]],
        ['Plan (USD m)', [1.3, 2.5, 3.0]],
      ],
    ],
    progress: ['Data migration rehearsed twice', 'User testing started on 6 October'],
    risks: ['Radiology interface may slip one week', 'Two trainers not yet confirmed'],
    decision: ['Approve go-live on 17 November'],
    notes: { kpis: 'Spend is within 3% of plan.', decision: 'Ask for the decision explicitly.' },
    titleNotes: 'Thank the board for the extra meeting.',
    style: ['The board pack is read on tablets and shown on the boardroom screen.'],
  }),
  board({
    slug: 'harbor-portside',
    client: 'Portside Logistics',
    topic: 'Harbor yard optimisation',
    date: '2025-11-19',
    kpis: ['Crane idle time by month', 'line', 'Month', ['August', 'September', 'October'], [['Idle time (%)', [19, 17, 12]]]],
    progress: ['Stacking rules live at Berth 4', 'Gate appointments in testing'],
    risks: ['Reefer sensors three weeks late'],
    decision: ['Approve the EUR 18,000 change request'],
    notes: { kpis: 'October is the first full month of the new rules.' },
    style: ["Portside's board meets quarterly."],
  }),
  board({
    slug: 'ledger-northwind',
    client: 'Northwind Mutual',
    topic: 'Ledger modernisation',
    date: '2025-09-24',
    kpis: ['Days to close the month', 'column', 'Month', ['June', 'July', 'August'], [['Days', [8, 6, 5.5]]]],
    progress: ['New ledger live since 21 July', 'Accounts payable pilot with two suppliers'],
    risks: ['Manual journals still above target'],
    decision: ['Note progress; no decision needed'],
    notes: { progress: 'The cut-over had no reporting outage.' },
    style: ["Northwind's board prints its pack."],
  }),
  board({
    slug: 'beacon-calder',
    client: 'Calder County Council',
    topic: 'Beacon digital services',
    date: '2025-12-10',
    kpis: [
      'Residents using online services',
      'bar',
      'Service',
      ['Parking permits', 'Bulky waste', 'Council tax'],
      [['Users', [2310, 880, 0]]],
    ],
    progress: ['Two services live', 'Accessibility audit completed'],
    risks: ['Payments provider fees may rise in February', 'Four accessibility findings open'],
    decision: ['Approve the council tax service beta'],
    notes: { kpis: 'Council tax is not live yet, hence zero.', decision: 'The beta starts on 1 December if approved.' },
    style: ['Cabinet papers are published online.'],
  }),
  board({
    slug: 'pivot-halden',
    client: 'Halden Insurance',
    topic: 'Claims triage',
    date: '2025-11-05',
    kpis: [
      'Average handling time',
      'column',
      'Claim type',
      ['Motor', 'Home'],
      [
        ['Before (days)', [13.1, 18.4]],
        ['After (days)', [11, 16]],
      ],
    ],
    progress: ['Pilot complete in motor claims', 'Home claims to follow in December'],
    risks: ['Fairness monitoring must continue weekly'],
    decision: ['Approve extension to home claims', 'Confirm second review above GBP 5,000'],
    notes: { risks: 'The regulator asked about fairness monitoring.' },
    style: ["Halden's board reviews the pack a week ahead."],
  }),
  board({
    slug: 'keystone-arden',
    client: 'Arden Water',
    topic: 'Keystone asset register',
    date: '2025-07-16',
    kpis: ['Assets verified by region', 'bar', 'Region', ['North', 'Central', 'South'], [['Verified', [11050, 10900, 7400]]]],
    progress: ['61% of assets verified', 'Pumping station grades complete'],
    risks: ['Landowner access in the Central region', 'Survey costs GBP 37,500 over budget'],
    decision: ['Approve the revised survey plan'],
    notes: {},
    style: ["Arden's board receives a printed pack."],
  }),
  board({
    slug: 'orbit-fenwick',
    client: 'Fenwick Retail Group',
    topic: 'Orbit loyalty',
    date: '2025-09-03',
    kpis: ['Active members by month', 'line', 'Month', ['June', 'July', 'August'], [['Members (thousands)', [352, 389, 410]]]],
    progress: ['Relaunch complete on 4 August', 'Membership 12% above plan'],
    risks: ['Points liability growing faster than forecast'],
    decision: ['Approve the points liability review'],
    notes: { kpis: 'August includes the relaunch campaign.', progress: 'Mention the app store rating of 4.6.' },
    style: ["Fenwick's board meets in a widescreen boardroom."],
  }),
];

// ---------------------------------------------------------------------------------------------
// Style guides and prompts

const HOUSE_STYLE = `# Larkspur Advisory — house style for PowerPoint decks

## Template
- Every deck is built on the Larkspur house template: the title slide, then content slides on the template's layouts.
- Every slide has a title.

## Content
- Use the brief's wording for titles, bullets, numbers, captions and notes; do not paraphrase.
- At most ${MAX_BULLETS} bullets on a slide and at most ${MAX_WORDS} words in a bullet.
- Charts show the brief's data, one series per column of its table.
- Speaker notes are for the presenter.`;

const FAMILY_NOTES: Record<string, string> = {
  'pitch-deck': '## Pitch decks\n- Pitch decks are presented to a prospective client and left with them afterwards.',
  'quarterly-review': "## Quarterly reviews\n- Quarterly reviews go to the client's leadership and are kept on file.",
  training: "## Training modules\n- Training modules are delivered by a Larkspur trainer to the client's staff and handed out afterwards.",
  'project-kickoff': '## Kick-off decks\n- Kick-off decks are shown at the first meeting and kept by the project team.',
  'board-update': "## Board updates\n- Board updates go into the client's board pack.",
};

function styleGuide(family: string, s: Spec): string {
  return `${HOUSE_STYLE}\n\n${FAMILY_NOTES[family]}\n\n## Notes for this deck (${s.client})\n${s.notes.map((n) => `- ${n}`).join('\n')}\n`;
}

function promptText(s: Spec): string {
  return [
    s.ask,
    '',
    'Your workspace holds brief.md (the title slide and the slides, in Markdown), style-guide.md (the Larkspur house style and notes for this deck) and the pictures the brief names. Add the title slide with add_title_slide, then every slide of the brief with add_slide in order (### starts a slide and gives its title; "- " items are bullets; "Chart (type):" and the table after it are a chart, first column the categories and each other column a series; "Picture: file — caption" a picture; "Notes:" the speaker notes). Build deck.pptx with build_pptx and call submit when the deck is final.',
    '',
    `The deck's title: ${s.deck.title}`,
    `Its slides after the title slide, in order: ${s.deck.slides.map((x) => x.title).join('; ')}.`,
  ].join('\n');
}

export const SPECS: Record<string, Spec[]> = {
  'pitch-deck': PITCH,
  'quarterly-review': QBR,
  training: TRAINING,
  'project-kickoff': KICKOFF,
  'board-update': BOARD,
};

function buildTask(family: string, s: Spec, index: number, table: PitfallRow[]) {
  const id = taskId(family, index, s.slug);
  for (const slide of s.deck.slides) {
    for (const b of slide.bullets ?? []) if (wordCount(b) > MAX_WORDS) throw new Error(`${id}: bullet over ${MAX_WORDS} words: ${b}`);
  }
  const pitfalls = taskPitfalls(table, family, contentTriggers(s.deck), PITFALL_TRIGGER);
  if (pitfalls.includes('op-title-case') && !s.deck.slides.some((x) => titleCase(x.title) !== x.title))
    throw new Error(`${id}: every slide title is already in Title Case`);
  const size = s.deck.slides.length >= 5 || s.deck.slides.some((x) => (x.bullets?.length ?? 0) > MAX_BULLETS) ? 'large' : 'small';
  return {
    id,
    family,
    title: s.title,
    prompt: promptText(s),
    files: { 'brief.md': briefMarkdown(s.deck, briefIntro(s)), 'style-guide.md': styleGuide(family, s) },
    pitfalls,
    rubric: s.rubric,
    expected: { difficulty: difficultyOf(pitfalls.length, size), ...s.deck },
  };
}

export function generate(outDir: string, dataDir: string): Record<string, number> {
  return writeTaskFiles('office-pptx', outDir, dataDir, SPECS, buildTask);
}

runIfInvoked(import.meta.url, 'office-pptx', generate);
