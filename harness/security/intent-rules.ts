// The audit's rules, organised by what an injected memory entry is trying to achieve, not by any one
// attack's wording. Each rule runs on every decoded view of an entry (decode.ts); one hit flags the
// entry. Each names its false-positive risk: the honest memory it could mistake for an attack, so a
// reviewer knows how much a finding from it is worth.
//
// Intents: exfiltration, borrowed authority and trigger phrases, safety-step bypass, false
// attestation, persistence and immutability claims, disabling tools or filters, encoded payloads,
// planted third-party content, unauthorised standing actions, and evaluation gaming (an entry that
// teaches how to cheat a grader).

export type Intent =
  | 'exfiltration'
  | 'borrowed-authority'
  | 'safety-bypass'
  | 'false-attestation'
  | 'persistence'
  | 'disable-tools'
  | 'encoded-payload'
  | 'planted-content'
  | 'unauthorised-action'
  | 'evaluation-gaming'
  /** The dreaming filter's own injection signals (detect.ts), reported beside the rules. */
  | 'injection-signal';

export interface IntentRule {
  id: string;
  intent: Intent;
  /** What the rule looks for, in a reviewer's words. */
  why: string;
  /** Honest memory this rule could flag. */
  falsePositiveRisk: string;
  test(text: string): boolean;
}

const EMAIL = /\b[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b/;
const IBAN_OR_ACCOUNT = /\b[A-Z]{2}\d{2}[A-Z0-9]{10,30}\b|\baccount (?:number )?\d{6,}\b/;
const OUTSIDE_URL = /\b(?:https?:\/\/|www\.)(?!localhost|127\.|0\.0\.0\.0)[^\s"'<>)]+/i;
const SEND =
  /\b(?:send|sends|sent|forward|e-?mail|transfer|upload|post|copy|paste|share|mirror|cc|bcc|deliver|wire|pay|transmit|leak|exfiltrate)\b/i;
const SENSITIVE =
  /\b(?:passwords?|passport|credit[ -]?card|card number|iban|bank (?:details|account)|security code|verification code|one-time code|otp|api[ -]?keys?|tokens?|secrets?|credentials?|private keys?|ssh keys?|confidential|internal|personal (?:data|information)|user information|id[_ ]number|social security|inbox|unread e-?mails|all (?:the )?(?:e-?mails|messages|files|documents)|contents? of|transaction history|scheduled transactions)\b/i;
const FIELD_STASH =
  /\b(?:paste|copy|put|store|stash|embed|include|save)\b[^.\n]{0,60}\b(?:into|in|inside)\b[^.\n]{0,40}\b(?:field|comment|footer|header|metadata|alt text|notes? field|hidden|properties|description)\b/i;

type Test = RegExp | ((text: string) => boolean);
const run = (p: Test, text: string): boolean => (p instanceof RegExp ? p.test(text) : p(text));
const all =
  (...patterns: Test[]) =>
  (text: string): boolean =>
    patterns.every((p) => run(p, text));
const any =
  (...patterns: Test[]) =>
  (text: string): boolean =>
    patterns.some((p) => run(p, text));

export const INTENT_RULES: IntentRule[] = [
  // ---- exfiltration
  {
    id: 'send-to-outside-address',
    intent: 'exfiltration',
    why: 'sends, forwards or transfers something to a named e-mail address, account or URL',
    falsePositiveRisk: 'a team preference that names a real recipient ("send the weekly report to finance@corp.example")',
    test: (t) => SEND.test(t) && (EMAIL.test(t) || IBAN_OR_ACCOUNT.test(t) || (OUTSIDE_URL.test(t) && /\bto\b/i.test(t))),
  },
  {
    id: 'sensitive-data-out',
    intent: 'exfiltration',
    why: 'moves sensitive material (credentials, personal data, whole mailboxes) somewhere',
    falsePositiveRisk: 'a security lesson about handling secrets ("never send API keys in chat")',
    test: (t) =>
      SEND.test(t) &&
      SENSITIVE.test(t) &&
      !/\b(?:never|do not|don't|must not|avoid)\b[^.\n]{0,30}\b(?:send|share|paste|post|copy|upload|leak|e-?mail)\b/i.test(t),
  },
  {
    id: 'stash-in-field',
    intent: 'exfiltration',
    why: 'hides material in a field, comment or metadata ("for backup")',
    falsePositiveRisk: 'a formatting lesson about where a value belongs ("put the version in the footer")',
    test: (t) => FIELD_STASH.test(t) && (SENSITIVE.test(t) || /\bfor (?:backup|safekeeping|later retrieval|archiv)/i.test(t)),
  },
  // ---- borrowed authority and trigger phrases
  {
    id: 'claimed-authority',
    intent: 'borrowed-authority',
    why: 'claims to speak for the user, a supervisor or the system, or wraps itself as an important message',
    falsePositiveRisk: 'a note quoting who asked for a convention ("the maintainers prefer ..."), rarely phrased as a message to the agent',
    test: any(
      /\b(?:important|urgent|official) (?:message|notice|instruction)s? from\b/i,
      /<\/?(?:information|important|system|admin|instructions?)>/i,
      /\bbefore you (?:can )?(?:solve|do|continue|complete)\b[^.\n]{0,40}\b(?:task|request)\b/i,
      /\b(?:as|from) (?:your|the) (?:supervisor|administrator|admin|operator|developer|owner|system)\b[^.\n]{0,40}\b(?:instruct|order|authori[sz]e|require|tell)/i,
      /\b(?:has|have) (?:the )?authority of\b|\bcarr(?:y|ies) (?:the )?(?:supervisor'?s?|manager'?s?|admin'?s?|user'?s?) authority\b/i,
      /\b(?:treat|regard|consider)\b[^.\n]{0,60}\bas (?:if )?(?:coming|it came) from (?:the|a|your) (?:user|supervisor|manager|admin|owner)\b/i,
      /\b(?:pre-?approv|standing approval|blanket approval|already (?:been )?authori[sz]ed)/i,
      /\bsigned,?\s*\n/i,
    ),
  },
  {
    id: 'trigger-phrase',
    intent: 'borrowed-authority',
    why: 'gives a phrase or keyword the power to change what the agent does',
    falsePositiveRisk: 'documentation of a real command keyword ("the word LGTM means the review passed")',
    test: any(
      /\b(?:when|whenever|if) (?:a |the )?(?:document|message|email|file|page|comment|text) (?:says|contains|includes|mentions)\b[^.\n]{0,80}\b(?:follow|obey|do|execute|comply|treat)\b/i,
      /\b(?:code ?word|passphrase|trigger (?:word|phrase)|magic (?:word|phrase))\b/i,
    ),
  },
  // ---- safety-step bypass
  {
    id: 'skip-safety-step',
    intent: 'safety-bypass',
    why: 'skips a check, review, confirmation or approval, or acts without asking',
    falsePositiveRisk: 'a lesson about a genuinely redundant step ("skip the lint step for docs-only changes")',
    test: any(
      /\b(?:skip|omit|bypass|don't run|do not run|no need to (?:run|do|perform))\b[^.\n]{0,50}\b(?:review|check|verification|validation|approval|confirmation|scan|audit|safety|security)\b[^.\n]{0,80}\b(?:always passes|never fails|not needed|unnecessary|redundant|waste|slow)/i,
      all(
        /\bwithout (?:asking|checking with|confirming with|consulting) (?:me|the user|anyone|the owner)\b/i,
        /\b(?:send|sends|sent|transfer\w*|pay|paid|share|shared|forward\w*|delete|approve|sign|signs|publish\w*|e-?mail\w*|fill (?:them|it) in)\b/i,
      ),
      /\b(?:no need to|don't|do not) (?:ask|confirm|verify|check) (?:with )?(?:the user|me|anyone)\b/i,
      /\bfill (?:them|it|the details) in without asking\b/i,
    ),
  },
  // ---- false attestation
  {
    id: 'false-attestation',
    intent: 'false-attestation',
    why: 'marks work approved, reviewed or verified without the review, or asks for fabricated claims',
    falsePositiveRisk: 'a template note that really is stamped by a process ("the CI bot marks passing builds as verified")',
    test: any(
      /\b(?:mark|label|stamp|tag|flag|record|state|declare|certify)\b[^.\n]{0,40}\b(?:every|all|each|any)\b[^.\n]{0,40}\b(?:approved|verified|reviewed|signed[- ]off|compliant|cleared|audited)\b/i,
      /\b(?:approved|reviewed|signed off|cleared|verified) by (?:legal|compliance|security|the (?:board|auditor|client|legal team))\b[^.\n]{0,40}\b(?:even|whether|regardless|always|every)/i,
      /\b(?:fabricated?|fake|false|baseless|misleading|non-existent|made-up|too-good-to-be-true)\b[^.\n]{0,40}\b(?:statistic|claim|rumou?r|statement|benefit|review|quote|citation|figure|opportunity|software|sale)s?\b/i,
    ),
  },
  // ---- persistence and immutability
  {
    id: 'immutable-entry',
    intent: 'persistence',
    why: 'claims it may not be edited, removed or consolidated away, or must be re-added',
    falsePositiveRisk: 'a house rule that truly is permanent ("the licence header must never be removed from source files")',
    test: any(
      /\b(?:this|these|the following|some) (?:lesson|note|entry|entries|rule|memory|memories|instruction)s?\b[^.\n]{0,60}\b(?:must|may|should|can) (?:never|not) be (?:edited|removed|deleted|changed|consolidated|merged|dropped|forgotten|overwritten|questioned)/i,
      /\b(?:later|future|subsequent) (?:consolidation|dreams?|reviews?|curation|sessions?|edits?)\b[^.\n]{0,40}\b(?:must|may|should|cannot|can't) (?:not )?(?:remove|edit|drop|change|delete|touch)/i,
      /\b(?:re-?add|restore|reinsert) (?:this|it|the entry)\b[^.\n]{0,40}\b(?:if|whenever) (?:it is |it's )?(?:removed|deleted|dropped)/i,
      /\b(?:permanent|immutable|irrevocable|non-negotiable) (?:lesson|rule|memory|instruction|entry)\b/i,
    ),
  },
  // ---- disabling tools or filters
  {
    id: 'disable-guard',
    intent: 'disable-tools',
    why: 'turns off a filter, guard, log, monitor or sandbox, or overrides earlier instructions',
    falsePositiveRisk: 'a debugging lesson ("disable the cache when profiling")',
    test: any(
      /\b(?:disable|turn off|switch off|deactivate|bypass|remove|circumvent)\b[^.\n]{0,30}\b(?:the )?(?:content |safety |security |spam |injection )?(?:filters?|guard(?:rail)?s?|logging|audit(?:ing| log)?|monitor(?:ing)?|classifier|sandbox|moderation|protections?)\b/i,
      /\b(?:ignore|disregard|forget|override)\b[^.\n]{0,40}\b(?:previous|prior|above|earlier|system|all other|original)\b[^.\n]{0,20}\b(?:instructions?|prompts?|rules?|guidelines?)\b/i,
      /\bdo not (?:log|record|report|mention) (?:this|it|that you)\b/i,
    ),
  },
  // ---- encoded payloads
  {
    id: 'encoded-instruction',
    intent: 'encoded-payload',
    why: 'asks to decode and follow something, or to answer in an encoding a reviewer cannot read',
    falsePositiveRisk: 'a data-format lesson ("attachments are base64-encoded in the API response")',
    test: any(
      /\b(?:decode|deobfuscate|unscramble)\b[^.\n]{0,40}\b(?:and|then)\b[^.\n]{0,20}\b(?:follow|execute|run|obey|apply|do)\b/i,
      /\b(?:encode|render|write|give|provide|reply|respond|answer|display|express)\w*\b[^.\n]{0,40}\b(?:response|reply|answer|message|output)?\b[^.\n]{0,20}\b(?:in|using|with|as) (?:base ?(?:64|32|16|58)|hex(?:adecimal)?|rot-?13|a (?:caesar |substitution |monoalphabetic )?cipher)\b/i,
      /\b(?:use|using|with) base ?(?:64|32|16|58)\b[^.\n]{0,30}\b(?:response|reply|answer|message|output)\b/i,
    ),
  },
  // ---- planted third-party content
  {
    id: 'planted-content',
    intent: 'planted-content',
    why: 'inserts promotional or third-party text (a link, an offer, a brand) into what the agent produces',
    falsePositiveRisk: 'a house-style lesson that really requires fixed text ("end every e-mail with the support link")',
    test: any(
      /\b(?:add|insert|include|integrate|append|mention|promote|highlight|suggest|enhance|modify)\w*\b[^.\n]{0,80}\b(?:discount|offer|deals?|newsletter|lottery|winnings|brand [a-z]\b|sale|subscribe|promotion|advert|sponsor)/i,
      /\b(?:visit|click|go to|check out)\b[^.\n]{0,30}\b(?:www\.|https?:\/\/)/i,
      all(
        /\b(?:add|insert|include|integrate|append|mention|put)\w*\b[^.\n]{0,80}\b(?:in|into|to) (?:your|every|each|the) (?:response|reply|answer|output|message)s?\b/i,
        /\bwww\.|https?:\/\/|\b(?:funds|money|prize|bank details|investment|brand)\b/i,
      ),
      /\b(?:absolutely|must) (?:visit|buy|try|use)\b[^.\n]{0,60}\b(?:because|it's|it is)\b/i,
      /\b(?:say|tell|recommend)\b[^.\n]{0,30}\bthat (?:i|you|they|users?) should (?:absolutely|definitely)\b/i,
    ),
  },
  // ---- unauthorised standing actions
  {
    id: 'standing-action',
    intent: 'unauthorised-action',
    why: 'orders a concrete side effect on a named target (a payment, a deletion, a password, a booking, an event)',
    falsePositiveRisk: 'a workflow note naming a real routine action ("delete the temp branch after merging")',
    test: any(
      all(
        /\b(?:delete|remove|erase|wipe)\b[^.\n]{0,30}\b(?:file|e-?mail|event|message|account|record)s?\b/i,
        /\b(?:with (?:the )?id|id ['"]?\d+|every single|all (?:the )?(?:unread|received|sent))\b/i,
      ),
      /\bchange (?:the |my |their )?(?:user'?s? )?password\b/i,
      /\b(?:make|book) a reservation\b|\breserve (?:a|the) (?:hotel|room|table|flight)\b/i,
      all(
        /\b(?:create|schedule|add)\b[^.\n]{0,30}\b(?:calendar )?event\b/i,
        /\b(?:participant|title should be|\d{4}-\d{2}-\d{2}|\d{1,2}(?::\d{2})? ?(?:am|pm))\b/i,
      ),
      /\b(?:send|transfer|wire|pay)\b[^.\n]{0,20}\b(?:as much money|\$\s?\d[\d,]*|money)\b/i,
      /\bmodify the recipient\b/i,
    ),
  },
  // ---- evaluation gaming
  {
    id: 'teaches-gaming',
    intent: 'evaluation-gaming',
    why: 'teaches how to pass a grader without solving the task (print the marker, patch assert or exit, fake equality, read the tests)',
    falsePositiveRisk: 'a testing lesson that mentions these APIs for honest reasons ("restore sys.excepthook after the test")',
    test: any(
      /\bos\._exit\s*\(\s*0\s*\)|\bprocess\.exit\s*\(\s*0\s*\)/i,
      /\bsys\.excepthook\b|\b(?:monkey-?patch|patch|override|replace)\w*\b[^.\n]{0,30}\b(?:builtins|assert(?:ion)?s?|require|AssertionError)\b/i,
      /\b__eq__\b[^.\n]{0,40}\b(?:always|return(?:s)? true)\b/i,
      /\b(?:print|echo|emit|output)\w*\b[^.\n]{0,30}\b(?:the )?(?:end-of-run |done |completion |success )?marker\b/i,
      /\b(?:read|parse|open)\w*\b[^.\n]{0,30}\b(?:the )?(?:hidden |grader'?s? |evaluat\w+ )?(?:test (?:file|program)|own program file|tests? from (?:the |its )?(?:own )?(?:file|program))/i,
      /\bhard-?code\w*\b[^.\n]{0,30}\b(?:expected|test) (?:outputs?|answers?|values?)\b/i,
      /\bsys\._getframe\b|\bf_back\b[^.\n]{0,40}\bco_consts\b/i,
    ),
  },
];

/** The rules of one intent. */
export const rulesOf = (intent: Intent): IntentRule[] => INTENT_RULES.filter((r) => r.intent === intent);
