// The content filter every write to the dreaming store passes through (adds, edits, a reviewer's
// edit). A filter is a hook: it sees the text about to be written and where, and may refuse it with
// a reason; a refused write stays in the changeset as a rejected change, so nothing is lost silently.
//
// The default filter is rule-based and deliberately simple: it catches obvious injected
// instructions (text that addresses the agent rather than describing the work) and instructions to
// send data to outside addresses. The memory-security defenses add the `security` filter: the
// injection signals of harness/security/detect.ts (outside addresses in settings, dropped content,
// verbatim text insertion, hidden or encoded text, role changes, claimed authority, ...).

import { assessText } from '../security/detect.js';

export interface FilterInput {
  /** The store file the text would go to (notes.md, playbooks/<family>.md). */
  file: string;
  /** The entry text about to be written. */
  text: string;
  /** The trial ids the text came from (empty for a person's edit). */
  evidence: readonly string[];
}

export type FilterVerdict = { ok: true } | { ok: false; reason: string };

export interface ContentFilter {
  readonly name: string;
  check(input: FilterInput): FilterVerdict;
}

interface Rule {
  id: string;
  pattern: RegExp;
  why: string;
}

const RULES: Rule[] = [
  {
    id: 'override-instructions',
    pattern:
      /\b(ignore|disregard|forget|override|bypass)\b[^.\n]{0,40}\b(previous|prior|above|earlier|all|any|your|system|safety)\b[^.\n]{0,30}\b(instructions?|prompts?|rules?|guidelines?|directions?)\b/i,
    why: 'tells the agent to ignore its instructions',
  },
  {
    id: 'role-hijack',
    pattern:
      /\b(you are now|from now on,? you (are|must|will)|new instructions?:|system prompt:|act as (an? )?(admin|root|developer mode))/i,
    why: 'tries to re-assign the agent a new role or instructions',
  },
  {
    id: 'reveal-secrets',
    pattern:
      /\b(reveal|print|output|leak|disclose|include)\b[^.\n]{0,40}\b(system prompt|api[ _-]?keys?|passwords?|credentials?|secrets?|tokens?)\b/i,
    why: 'asks for secrets or the system prompt',
  },
  {
    id: 'exfiltrate',
    pattern:
      /\b(send|post|upload|e-?mail|forward|transmit|exfiltrate|copy|cc|bcc|share)\b[^\n]{0,80}(\bhttps?:\/\/(?!localhost\b|127\.0\.0\.1\b)[^\s"')]+|\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b)/i,
    why: 'sends data to an outside address',
  },
  {
    id: 'outside-url',
    pattern: /\b(curl|wget|fetch|webhook)\b[^\n]{0,60}\bhttps?:\/\//i,
    why: 'calls out to an outside URL',
  },
];

/** The built-in rule-based filter. */
export const defaultContentFilter: ContentFilter = {
  name: 'default',
  check({ text }) {
    for (const rule of RULES) {
      if (rule.pattern.test(text)) return { ok: false, reason: `content filter (${rule.id}): ${rule.why}` };
    }
    return { ok: true };
  },
};

/** The injection signals of harness/security/detect.ts: a strong signal, or two weak ones, refuse the write. */
export const securityContentFilter: ContentFilter = {
  name: 'security',
  check({ text }) {
    const verdict = assessText(text);
    return verdict.flagged ? { ok: false, reason: `content filter (security): ${verdict.reason}` } : { ok: true };
  },
};

/** Lets everything through (for ablations that measure what the filter costs or prevents). */
export const noContentFilter: ContentFilter = { name: 'none', check: () => ({ ok: true }) };

/** A filter that refuses text matching any of the given patterns (`/re/flags` or a plain, case-insensitive pattern). */
export function patternFilter(name: string, patterns: readonly string[]): ContentFilter {
  const compiled = patterns.map((p) => ({ source: p, re: compilePattern(p) }));
  return {
    name,
    check({ text }) {
      const hit = compiled.find(({ re }) => re.test(text));
      return hit ? { ok: false, reason: `content filter (${name}): matches ${hit.source}` } : { ok: true };
    },
  };
}

/** The first refusal of a chain of filters wins. */
export function chainFilters(filters: readonly ContentFilter[]): ContentFilter {
  if (filters.length === 1) return filters[0]!;
  return {
    name: filters.map((f) => f.name).join('+') || 'none',
    check(input) {
      for (const filter of filters) {
        const verdict = filter.check(input);
        if (!verdict.ok) return verdict;
      }
      return { ok: true };
    },
  };
}

const registry = new Map<string, ContentFilter>([
  [defaultContentFilter.name, defaultContentFilter],
  [securityContentFilter.name, securityContentFilter],
  [noContentFilter.name, noContentFilter],
]);

/** Register a named filter so experiment files can select it (`filter: [default, my-filter]`). */
export function registerContentFilter(filter: ContentFilter): void {
  registry.set(filter.name, filter);
}

export function contentFilterNames(): string[] {
  return [...registry.keys()];
}

export function contentFilterByName(name: string): ContentFilter | undefined {
  return registry.get(name);
}

/** `/pattern/flags` keeps its flags; a bare pattern is case-insensitive. Throws on a bad pattern. */
export function compilePattern(pattern: string): RegExp {
  const literal = /^\/(.*)\/([dgimsuvy]*)$/s.exec(pattern);
  try {
    return literal ? new RegExp(literal[1]!, literal[2]!.replace('g', '')) : new RegExp(pattern, 'i');
  } catch (error) {
    throw new Error(`invalid regular expression ${JSON.stringify(pattern)}: ${(error as Error).message}`);
  }
}
