// One written convention shared by tool errors, reviewer feedback and lessons: a concrete setting is
// spelled `tool.param="value"` (e.g. render_docx.heading_style="LegalHeading1"). Real models read it
// as plain English; the sim model parses it, which is how it can learn from errors and from memory
// without ever seeing a suite's pitfall table.

export interface Directive {
  /** `tool.param` */
  choice: string;
  value: string;
}

const DIRECTIVE = /\b([a-z][a-z0-9_]*\.[a-z][a-z0-9_]*)\s*=\s*"([^"\n]*)"/g;

export function parseDirectives(text: string): Directive[] {
  const found: Directive[] = [];
  for (const match of text.matchAll(DIRECTIVE)) {
    found.push({ choice: match[1]!, value: match[2]! });
  }
  return found;
}

export function formatDirective(choice: string, value: string): string {
  return `${choice}="${value.replaceAll('"', "'")}"`;
}

const DIRECTIVE_TEXT = /\b[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*\s*=\s*"[^"\n]*"/.source;
const DIRECTIVE_LIST = `${DIRECTIVE_TEXT}(?:\\s*(?:,|\\band\\b|\\bor\\b)\\s*${DIRECTIVE_TEXT})*`;
/** A clause that only names settings, with its lead-in ("Use", ": set", "— Fix: set"), ending a sentence. */
const FIX_CLAUSE = new RegExp(
  `\\s*(?:[:;,\u2014\u2013]|\\s-)?\\s*(?:\\b(?:[Ff]ix|[Uu]se|[Ss]et|[Tt]ry)\\b:?\\s*)*${DIRECTIVE_LIST}\\s*(?:\\binstead\\b)?\\s*[.;!]?(?=\\s*(?:$|\\)|[A-Z(]))`,
  'g',
);
const ANY_DIRECTIVE = /\b([a-z][a-z0-9_]*\.[a-z][a-z0-9_]*)\s*=\s*("[^"\n]*")/g;

/**
 * What a line says besides the settings it names, as well-formed sentences that name none: a clause
 * that only gives the fix ("... stores every date that way. Use summary.date_format="YYYY-MM-DD".")
 * is dropped, and a setting inside a sentence keeps only its quoted value. A lesson states its fix
 * once, up front, and keeps this as its reason ('' when the line was nothing but the fix). Longer
 * than `max` characters, it is cut at a word and ends in an ellipsis.
 */
export function reasonWithoutDirectives(line: string, max = 240): string {
  const text = line
    .replace(FIX_CLAUSE, '.')
    .replace(ANY_DIRECTIVE, '$2')
    .replace(/\s+/g, ' ')
    .replace(/^[\s\-\u2014\u2013:;,.]+/, '')
    .replace(/\s+([.,;:!?)])/g, '$1')
    .replace(/([.!?])(?:\s*[.;:,])+/g, '$1')
    .replace(/[\s:;,\u2014\u2013-]+$/, '')
    .trim();
  if (!text) return '';
  if (text.length > max) {
    const cut = text.slice(0, max - 1);
    const at = cut.lastIndexOf(' ');
    return `${(at > max / 2 ? cut.slice(0, at) : cut).replace(/[\s:;,\u2014\u2013-]+$/, '')}\u2026`;
  }
  return /[.!?)"'`]$/.test(text) ? text : `${text}.`;
}

// Workflow hints: a shortcut in how to do a task (e.g. from a skill's procedure), spelled
// `workflow:<label>`, e.g. workflow:write_section+render_docx ("these two steps can go in one turn").
const WORKFLOW = /\bworkflow:([a-z][a-z0-9_]*(?:[+][a-z][a-z0-9_]*)*)/g;

export function parseWorkflowHints(text: string): string[] {
  return [...new Set([...text.matchAll(WORKFLOW)].map((m) => m[1]!))];
}

export function formatWorkflowHint(label: string): string {
  return `workflow:${label}`;
}

// A lead's split of a task's items among specialists of the same kind: "Your share: part 2 of 3".
const SHARE = /\bYour share: part (\d+) of (\d+)\b/;

export function parseShare(text: string): { index: number; of: number } | undefined {
  const m = SHARE.exec(text);
  if (!m) return undefined;
  const index = Number(m[1]);
  const of = Number(m[2]);
  return index >= 1 && of >= index ? { index, of } : undefined;
}

export function formatShare(index: number, of: number): string {
  return `Your share: part ${index} of ${of}`;
}

// Agent notes: a remark an agent makes during a task about something to keep beyond it (a standing
// rule it was told, a setting it will need again), on its own line as `Note for future tasks: ...`.
// Reflections (harness/agent/digest.ts) and dream replays (harness/dreaming/replay.ts) show them, so
// what an agent took from its inputs can reach memory the way a real agent's self-notes do. That is
// also how an injected "house rule" an agent believed becomes a poisoned lesson.
export const NOTE_MARKER = 'Note for future tasks:';
const NOTE_LINE = /^\s*Note for future tasks:\s*(\S.*)$/gim;

export function parseAgentNotes(text: string): string[] {
  return [...text.matchAll(NOTE_LINE)].map((m) => m[1]!.trim());
}

export function formatAgentNote(text: string): string {
  return `${NOTE_MARKER} ${text.replace(/\s+/g, ' ').trim()}`;
}
