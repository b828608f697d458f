// Privacy before consolidation: what leaves an agent's log for a dream's model is scrubbed of
// secrets (redact.ts: keys, tokens, this process's secret variables) and of personal data: email
// addresses, phone numbers, the user name in home-directory paths, JSON Web Tokens, and values
// assigned to password/token/secret/api-key fields. Each kind is counted, so a changeset can say
// what was removed without saying what it was.
//
// False positives are accepted on purpose: a long digit run that is not a phone number is lost
// from a lesson, which costs little; a leaked number in shared memory costs a lot. Phone numbers
// need 9 to 15 digits with separators or a leading +, so dates, versions and ids rarely match.

import { redactText } from './redact.js';

export type PrivacyCounts = Record<string, number>;

interface Rule {
  kind: string;
  re: RegExp;
  replace: (match: string, ...groups: string[]) => string | undefined;
}

const digits = (s: string): number => s.replace(/\D/g, '').length;

const RULES: Rule[] = [
  { kind: 'jwt', re: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, replace: () => '[REDACTED:jwt]' },
  { kind: 'email', re: /\b[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b/g, replace: () => '[REDACTED:email]' },
  {
    kind: 'credential',
    re: /\b(password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key|client[_-]?secret)(["']?\s*[:=]\s*["']?)([^\s"',;]{4,})/gi,
    replace: (_m, name, sep, value) => (value!.startsWith('[REDACTED') ? undefined : `${name}${sep}[REDACTED:credential]`),
  },
  {
    kind: 'home-path',
    re: /(\/home\/|\/Users\/|[A-Za-z]:\\Users\\)([^/\\\s"'`]+)/g,
    replace: (_m, root, user) => (user === '[user]' || user === 'Shared' || user === 'Public' ? undefined : `${root}[user]`),
  },
  {
    kind: 'phone',
    re: /(?<![\w.-])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{1,4}\)[\s.-]?)?\d{2,4}(?:[\s.-]\d{2,4}){1,4}(?![\w-]|\.\d)/g,
    replace: (m) => {
      const n = digits(m);
      const separated = /[\s.()-]/.test(m) || m.startsWith('+');
      // ISO dates and times (2026-12-06, 12:30:00) are not phone numbers.
      if (n < 9 || n > 15 || !separated || /^\d{4}-\d{2}-\d{2}/.test(m)) return undefined;
      return '[REDACTED:phone]';
    },
  },
];

/** Scrub one text; adds what it removed to `counts`. */
export function scrubText(text: string, counts: PrivacyCounts): string {
  let out = text;
  const redacted = redactText(out);
  if (redacted !== out) {
    for (const m of redacted.matchAll(/\[REDACTED:([a-z0-9:_-]+)\]/gi))
      counts[`secret:${m[1]!.replace(/^env:.*/, 'env')}`] = (counts[`secret:${m[1]!.replace(/^env:.*/, 'env')}`] ?? 0) + 1;
    // Markers already present in the input were not removed by this call: uncount them.
    for (const m of out.matchAll(/\[REDACTED:([a-z0-9:_-]+)\]/gi)) counts[`secret:${m[1]!.replace(/^env:.*/, 'env')}`]! -= 1;
    for (const [k, v] of Object.entries(counts)) if (v <= 0) delete counts[k];
    out = redacted;
  }
  for (const rule of RULES) {
    rule.re.lastIndex = 0;
    out = out.replace(rule.re, (...args: unknown[]) => {
      const match = args[0] as string;
      const groups = args.slice(1).filter((g): g is string => typeof g === 'string');
      const next = rule.replace(match, ...groups);
      if (next === undefined) return match;
      counts[rule.kind] = (counts[rule.kind] ?? 0) + 1;
      return next;
    });
  }
  return out;
}

/** Total number of removals in a counts record. */
export const totalRemoved = (counts: PrivacyCounts): number => Object.values(counts).reduce((a, b) => a + b, 0);
