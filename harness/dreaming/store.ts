// The dreaming memory store: plain Markdown a person can read and edit.
//
//   notes.md                 what holds for every task
//   playbooks/<family>.md    what holds for one task family
//
// Each file is a title, a short preamble and sections (`## Recurring errors`, `## Preferences`,
// `## Workflows`, `## Notes`, or any heading a person adds). An entry is one Markdown list item;
// its provenance rides along in a trailing HTML comment, invisible when the Markdown is rendered:
//
//   - Set render_docx.numbering="legal-flat". <!-- dream: {"id":"d-1a2b3c4d","trials":[...],...} -->
//
// Parsing is tolerant of hand edits: text may be changed freely, lines that are not list items are
// kept verbatim, an entry without (or with a broken) provenance comment gets a fresh, deterministic
// id, and a duplicated id (a copied line) is made unique. serialize(parse(x)) is stable.

import { createHash } from 'node:crypto';
import type { MemoryFiles } from '../core/arm.js';
import { parseDirectives, type Directive } from '../core/directives.js';

export const NOTES_FILE = 'notes.md';
export const PLAYBOOK_DIR = 'playbooks';

/** Supporting trial ids kept per entry (the most recent); `support` counts them all. */
export const MAX_TRIALS_PER_ENTRY = 8;

export type Category = 'error' | 'preference' | 'workflow' | 'note';

export const SECTION_FOR: Record<Category, string> = {
  error: 'Recurring errors',
  preference: 'Preferences',
  workflow: 'Workflows',
  note: 'Notes',
};
const CATEGORY_ORDER: Category[] = ['error', 'preference', 'workflow', 'note'];

export interface Provenance {
  /** Stable id, unique in the store. */
  id: string;
  /** Supporting trial ids, most recent last (at most MAX_TRIALS_PER_ENTRY). */
  trials: string[];
  /** How many supporting trials were ever seen (merges add up). */
  support: number;
  /** Session in which the entry was written (0: written by hand, before any dream). */
  written: number;
  /** The dream that last changed the entry ('' for none). */
  dream: string;
  /** The last session in which the entry was used (its setting applied) or confirmed by new evidence. */
  used: number;
  /** Ids of entries merged into this one. */
  merged?: string[];
}

export interface Entry {
  id: string;
  /** The entry's text as a person reads it (no list marker, no provenance comment); may span lines. */
  text: string;
  provenance: Provenance;
  /** True when the entry had no readable provenance comment (hand-written or hand-damaged). */
  fresh?: boolean;
}

export type BodyItem = { entry: Entry } | { line: string };

export interface Section {
  /** The `## ` heading text; null for items before the first heading. */
  heading: string | null;
  body: BodyItem[];
}

export interface MemoryDoc {
  /** Lines before the first section or entry (title and preamble), verbatim. */
  preamble: string[];
  sections: Section[];
}

/** file -> parsed document. Files are `notes.md` and `playbooks/<family>.md`. */
export type Store = Map<string, MemoryDoc>;

export const estimateTokens = (text: string): number => Math.ceil(text.length / 4);

export function playbookFile(family: string): string {
  return `${PLAYBOOK_DIR}/${family}.md`;
}

/** The family of a playbook file, or undefined for notes.md. */
export function familyOfFile(file: string): string | undefined {
  const m = /^playbooks\/(.+)\.md$/.exec(file);
  return m ? m[1] : undefined;
}

/**
 * Files under held/ belong to the memory pipeline (e.g. entries a dream held back in quarantine):
 * kept in every snapshot and readable by people, never shown to the agent nor counted as its memory.
 */
export const HELD_DIR = 'held';

export function isHeldFile(file: string): boolean {
  return file.startsWith(`${HELD_DIR}/`);
}

export function isStoreFile(file: string): boolean {
  return file === NOTES_FILE || /^playbooks\/[^/]+\.md$/.test(file);
}

// ---------------------------------------------------------------------------------------------
// Parsing and serializing

const PROVENANCE = /\s*<!--\s*dream:?\s*(\{[\s\S]*?\})\s*-->/;
const ANY_COMMENT = /<!--[\s\S]*?-->/g;
const ITEM = /^[-*+]\s+(.*)$/;
const HEADING = /^##\s+(.*?)\s*$/;

export function shortHash(text: string, length = 8): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}

function freshId(file: string, text: string): string {
  return `e-${shortHash(`${file}\n${normaliseText(text)}`)}`;
}

function readProvenance(raw: string): Partial<Provenance> | undefined {
  try {
    const value = JSON.parse(raw) as unknown;
    if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
    const v = value as Record<string, unknown>;
    if (typeof v.id !== 'string' || !/^[A-Za-z0-9._-]+$/.test(v.id)) return undefined;
    const num = (x: unknown, fallback: number): number => (typeof x === 'number' && Number.isFinite(x) ? x : fallback);
    const trials = Array.isArray(v.trials) ? v.trials.filter((t): t is string => typeof t === 'string') : [];
    return {
      id: v.id,
      trials,
      support: num(v.support, trials.length),
      written: num(v.written, 0),
      dream: typeof v.dream === 'string' ? v.dream : '',
      used: num(v.used, num(v.written, 0)),
      ...(Array.isArray(v.merged) ? { merged: v.merged.filter((t): t is string => typeof t === 'string') } : {}),
    };
  } catch {
    return undefined;
  }
}

/** Parse one store file. Never throws: anything it does not understand is kept as a verbatim line. */
export function parseDoc(file: string, text: string, usedIds: Set<string> = new Set()): MemoryDoc {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  while (lines.length > 0 && lines[lines.length - 1]!.trim() === '') lines.pop();
  const doc: MemoryDoc = { preamble: [], sections: [] };
  let section: Section | undefined;
  let item: string[] | undefined;

  const flush = (): void => {
    if (!item) return;
    const raw = item.join('\n');
    item = undefined;
    const match = PROVENANCE.exec(raw);
    const found = match ? readProvenance(match[1]!) : undefined;
    const body = (match ? raw.replace(PROVENANCE, '') : raw)
      .split('\n')
      .map((l, i) => (i === 0 ? l : l.replace(/^\s+/, '')))
      .join('\n')
      .trim();
    if (!body) return;
    let id = found?.id ?? freshId(file, body);
    if (usedIds.has(id)) {
      let k = 2;
      while (usedIds.has(`${id}-${k}`)) k++;
      id = `${id}-${k}`;
    }
    usedIds.add(id);
    const provenance: Provenance = {
      id,
      trials: found?.trials ?? [],
      support: found?.support ?? 0,
      written: found?.written ?? 0,
      dream: found?.dream ?? '',
      used: found?.used ?? 0,
      ...(found?.merged ? { merged: found.merged } : {}),
    };
    const entry: Entry = { id, text: body, provenance, ...(found ? {} : { fresh: true }) };
    if (!section) doc.sections.push((section = { heading: null, body: [] }));
    section.body.push({ entry });
  };

  for (const line of lines) {
    const heading = HEADING.exec(line);
    const listItem = ITEM.exec(line);
    if (heading) {
      flush();
      doc.sections.push((section = { heading: heading[1]!, body: [] }));
    } else if (listItem) {
      flush();
      item = [listItem[1]!];
    } else if (item && /^\s+\S/.test(line)) {
      item.push(line);
    } else {
      flush();
      if (!section) {
        if (doc.sections.length === 0) doc.preamble.push(line);
      } else {
        section.body.push({ line });
      }
    }
  }
  flush();
  // Blank lines at a section's edges are layout, not content: serialize puts them back.
  for (const s of doc.sections) {
    while (s.body.length > 0 && isBlank(s.body[0]!)) s.body.shift();
    while (s.body.length > 0 && isBlank(s.body[s.body.length - 1]!)) s.body.pop();
  }
  while (doc.preamble.length > 0 && doc.preamble[doc.preamble.length - 1]!.trim() === '') doc.preamble.pop();
  return doc;
}

const isBlank = (item: BodyItem): boolean => 'line' in item && item.line.trim() === '';

function provenanceJson(p: Provenance): string {
  const ordered: Record<string, unknown> = {
    id: p.id,
    trials: p.trials,
    support: p.support,
    written: p.written,
    dream: p.dream,
    used: p.used,
  };
  if (p.merged && p.merged.length > 0) ordered.merged = p.merged;
  // `--` would end the HTML comment early; trial ids never contain it, but be safe.
  return JSON.stringify(ordered).replaceAll('--', '-\\u002d');
}

export function serializeEntry(entry: Entry): string {
  const [first = '', ...rest] = entry.text.split('\n');
  const lines = [`- ${first}`, ...rest.map((l) => `  ${l}`)];
  lines[lines.length - 1] += ` <!-- dream: ${provenanceJson({ ...entry.provenance, id: entry.id })} -->`;
  return lines.join('\n');
}

export function serializeDoc(doc: MemoryDoc): string {
  const out: string[] = [...doc.preamble];
  for (const section of doc.sections) {
    if (section.heading === null && section.body.length === 0) continue;
    if (out.length > 0) out.push('');
    if (section.heading !== null) out.push(`## ${section.heading}`, '');
    for (const item of section.body) out.push('entry' in item ? serializeEntry(item.entry) : item.line);
  }
  return out.join('\n') + '\n';
}

export function defaultPreamble(file: string): string[] {
  const family = familyOfFile(file);
  return [
    family ? `# Playbook: ${family}` : '# Notes',
    '',
    family ? `What earlier sessions taught about ${family} tasks.` : 'What earlier sessions taught, for every task.',
    '',
    '<!-- Maintained by dreambench dreaming. Edit freely; keep the trailing "dream:" comment of an entry to keep its history. -->',
  ];
}

/** The store held in a memory snapshot (other files are ignored here and kept by the caller). */
export function storeFromFiles(files: MemoryFiles): Store {
  const store: Store = new Map();
  const used = new Set<string>();
  const names = Object.keys(files)
    .filter(isStoreFile)
    .sort((a, b) => (a === NOTES_FILE ? -1 : b === NOTES_FILE ? 1 : a.localeCompare(b)));
  for (const file of names) store.set(file, parseDoc(file, files[file]!, used));
  return store;
}

/** The store as files; documents left without entries or text are omitted. */
export function storeToFiles(store: Store, base: MemoryFiles = {}): MemoryFiles {
  const out: MemoryFiles = {};
  for (const [file, text] of Object.entries(base)) if (!isStoreFile(file)) out[file] = text;
  for (const [file, doc] of [...store.entries()].sort(([a], [b]) => (a === NOTES_FILE ? -1 : b === NOTES_FILE ? 1 : a.localeCompare(b)))) {
    if (!docHasContent(doc)) continue;
    out[file] = serializeDoc(doc);
  }
  return out;
}

function docHasContent(doc: MemoryDoc): boolean {
  return doc.sections.some((s) => s.body.some((item) => 'entry' in item || item.line.trim() !== ''));
}

// ---------------------------------------------------------------------------------------------
// Queries and edits

export interface Located {
  file: string;
  section: Section;
  entry: Entry;
}

export function entriesOf(store: Store): Located[] {
  const out: Located[] = [];
  for (const [file, doc] of store) {
    for (const section of doc.sections)
      for (const item of section.body) if ('entry' in item) out.push({ file, section, entry: item.entry });
  }
  return out;
}

export function findEntry(store: Store, id: string): Located | undefined {
  return entriesOf(store).find((l) => l.entry.id === id);
}

export function categoryOfSection(heading: string | null): Category {
  const h = (heading ?? '').toLowerCase();
  if (/error|pitfall|mistake|gotcha/.test(h)) return 'error';
  if (/preference|style|review/.test(h)) return 'preference';
  if (/workflow|procedure|steps/.test(h)) return 'workflow';
  return 'note';
}

export function ensureDoc(store: Store, file: string): MemoryDoc {
  let doc = store.get(file);
  if (!doc) store.set(file, (doc = { preamble: defaultPreamble(file), sections: [] }));
  return doc;
}

/** Append an entry to the section of its category (created in canonical order when missing). */
export function insertEntry(store: Store, file: string, category: Category, entry: Entry): void {
  const doc = ensureDoc(store, file);
  let section = doc.sections.find((s) => s.heading !== null && categoryOfSection(s.heading) === category);
  if (!section) {
    section = { heading: SECTION_FOR[category], body: [] };
    // Canonical order: before the first section of a later category.
    const rank = CATEGORY_ORDER.indexOf(category);
    const at = doc.sections.findIndex((s) => s.heading !== null && CATEGORY_ORDER.indexOf(categoryOfSection(s.heading)) > rank);
    if (at < 0) doc.sections.push(section);
    else doc.sections.splice(at, 0, section);
  }
  section.body.push({ entry });
}

export function removeEntry(store: Store, id: string): Located | undefined {
  const found = findEntry(store, id);
  if (!found) return undefined;
  found.section.body = found.section.body.filter((item) => !('entry' in item && item.entry.id === id));
  if (found.section.body.every((item) => 'line' in item && item.line.trim() === '') && found.section.heading !== null) {
    const doc = store.get(found.file)!;
    doc.sections = doc.sections.filter((s) => s !== found.section);
  }
  return found;
}

export function cloneStore(store: Store): Store {
  return new Map([...store].map(([file, doc]) => [file, structuredClone(doc)]));
}

// ---------------------------------------------------------------------------------------------
// Text helpers shared by curation, metrics and the agent context

/** Remove every HTML comment (provenance and maintenance notes): what a person or an agent reads. */
export function stripComments(text: string): string {
  return text
    .replace(ANY_COMMENT, '')
    .split('\n')
    .map((l) => l.replace(/\s+$/, ''))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Tokens of what the agent would read from the store (comments excluded): the quantity the cap bounds. */
export function storeTokens(store: Store): number {
  let total = 0;
  for (const doc of store.values()) if (docHasContent(doc)) total += estimateTokens(stripComments(serializeDoc(doc)));
  return total;
}

export function normaliseText(text: string): string {
  return text.toLowerCase().replace(/\s+/g, ' ').trim();
}

/** The first directive an entry names (its handle for merge and contradiction), if any. */
export function directiveOf(text: string): Directive | undefined {
  return parseDirectives(text)[0];
}

const WORD = /[a-z0-9]+/g;

/** Jaccard similarity of word sets, 0..1. */
export function textSimilarity(a: string, b: string): number {
  const wa = new Set(a.toLowerCase().match(WORD) ?? []);
  const wb = new Set(b.toLowerCase().match(WORD) ?? []);
  if (wa.size === 0 && wb.size === 0) return 1;
  let common = 0;
  for (const w of wa) if (wb.has(w)) common++;
  return common / (wa.size + wb.size - common);
}

export interface ListedEntry {
  file: string;
  /** Identity across snapshots: the entry id in a dreaming store, else the file and normalised text. */
  key: string;
  /** What a person reads (no comments, no list marker). */
  text: string;
}

const SESSION_SUFFIX = /\s*_\(session \d+\)_\s*$/;

/**
 * Every memory entry of any arm's snapshot: the dreaming store's entries (by id), and the Markdown
 * list items of any other text file (e.g. learnings.md), keyed by their text.
 */
export function listEntries(files: MemoryFiles): ListedEntry[] {
  const out: ListedEntry[] = [];
  const store = storeFromFiles(files);
  for (const l of entriesOf(store)) out.push({ file: l.file, key: `id:${l.entry.id}`, text: l.entry.text });
  for (const [file, text] of Object.entries(files)) {
    if (isStoreFile(file) || isHeldFile(file) || !/\.(md|txt|markdown)$/i.test(file)) continue;
    const seen = new Map<string, number>();
    for (const line of text.split('\n')) {
      const m = ITEM.exec(line);
      if (!m) continue;
      const body = stripComments(m[1]!).trim();
      if (!body) continue;
      const norm = normaliseText(body.replace(SESSION_SUFFIX, ''));
      const n = (seen.get(norm) ?? 0) + 1;
      seen.set(norm, n);
      out.push({ file, key: `text:${file}:${norm}#${n}`, text: body });
    }
  }
  return out;
}

/** Tokens of what an agent reads from a snapshot (comments excluded), any arm. */
export function memoryTokens(files: MemoryFiles): number {
  let total = 0;
  for (const [file, text] of Object.entries(files)) if (!isHeldFile(file)) total += estimateTokens(stripComments(text));
  return total;
}
