// `dreambench audit-memory <memory-dir>`: scan a memory store for entries that look injected.
//
// Any plain-text memory works: every Markdown or text file (*.md, *.markdown, *.txt) under the
// folder (or the one file given), whose entries are list items (with their indented continuation
// lines) or paragraphs (blocks of lines between blank lines; headings and fenced code fences are
// not entries). dreambench's own stores qualify: a dreaming store (notes.md, playbooks/*.md, whose
// entries carry their provenance in a trailing `<!-- dream: {...} -->` comment, shown with each
// finding), learnings.md, and whole run folders (runs/x/memory/...).
//
// Each entry is decoded (base64, hex, rot13, URL and HTML escapes, zero-width characters, look-alike
// letters: decode.ts) and every reading is checked against the rules by intent (intent-rules.ts) and
// the dreaming filter's injection signals (detect.ts): one hit flags it (assess-entry.ts). With a
// model (`--model`, model-audit.ts) every entry also gets the model's verdict and reason, with the
// rule hits as evidence. The provenance comment is not part of what is assessed; any other HTML
// comment is (text hidden from a reader is itself a signal).

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';
import { assessEntry } from './assess-entry.js';

export interface EntryProvenance {
  id?: string;
  trials: string[];
  support?: number;
  written?: number;
  dream?: string;
}

/** A provenance trial found in the logs the memory was dreamt from (`audit-memory --logs`). */
export interface FindingSource {
  trial: string;
  file: string;
  format: string;
  request: string;
}

export interface AuditFinding {
  /** With `--logs`: the log files holding the trials in the entry's provenance. */
  sources?: FindingSource[];
  /** Relative to the audited folder (the file name when a single file was given), with / separators. */
  file: string;
  /** 1-based line where the entry starts. */
  line: number;
  /** The entry as a person reads it (list marker and provenance comment removed). */
  entry: string;
  reason: string;
  /** The intents of the rules that fired (intent-rules.ts). */
  intents: string[];
  /** The rules that fired, as `intent/rule` (with the decoding that revealed it, when any). */
  rule_hits: string[];
  /** From the entry's dream comment, when it has one. */
  provenance?: EntryProvenance;
  /** Model-assisted mode: the model's verdict and reason. */
  model?: { injected: boolean; reason: string };
}

/** One entry as read from a memory file, before any verdict. */
export interface AuditEntry {
  file: string;
  line: number;
  entry: string;
  provenance?: EntryProvenance;
}

export interface AuditResult {
  findings: AuditFinding[];
  files: number;
  entries: number;
  /** Every entry read (model-assisted mode judges each one). */
  all?: AuditEntry[];
  /** Model-assisted mode: the model spec and how many calls it took. */
  model?: { spec: string; calls: number; error?: string };
}

export class AuditInputError extends Error {
  override name = 'AuditInputError';
}

const TEXT_FILE = /\.(md|markdown|txt)$/i;
const SKIP_DIRS = new Set(['node_modules', '.git', '.dreambench']);
const PROVENANCE = /\s*<!--\s*dream:?\s*(\{[\s\S]*?\})\s*-->/;
const ITEM = /^(\s{0,3})(?:[-*+]|\d{1,3}[.)])\s+(.*)$/;
const HEADING = /^\s{0,3}#{1,6}\s/;
const FENCE = /^\s{0,3}(```|~~~)/;

export interface RawEntry {
  line: number;
  text: string;
}

/** The entries of one Markdown or text file: list items (with continuation lines) and paragraphs. */
export function entriesOfText(text: string): RawEntry[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const out: RawEntry[] = [];
  let current: { line: number; parts: string[]; kind: 'item' | 'para' } | undefined;
  let fenced = false;
  const flush = (): void => {
    if (current) {
      const body = current.parts.join('\n').trim();
      if (body) out.push({ line: current.line, text: body });
    }
    current = undefined;
  };
  lines.forEach((raw, i) => {
    const n = i + 1;
    if (FENCE.test(raw)) {
      // A fenced block is one entry (its contents are as readable to an agent as any paragraph).
      if (!fenced) {
        flush();
        fenced = true;
        current = { line: n + 1, parts: [], kind: 'para' };
      } else {
        fenced = false;
        flush();
      }
      return;
    }
    if (fenced) {
      current!.parts.push(raw);
      return;
    }
    if (raw.trim() === '') {
      flush();
      return;
    }
    if (HEADING.test(raw)) {
      flush();
      return;
    }
    const item = ITEM.exec(raw);
    if (item) {
      flush();
      current = { line: n, parts: [item[2]!], kind: 'item' };
      return;
    }
    if (current?.kind === 'item' && /^\s+\S/.test(raw)) {
      current.parts.push(raw.trim());
      return;
    }
    if (current?.kind === 'item') flush();
    if (!current) current = { line: n, parts: [], kind: 'para' };
    current.parts.push(raw);
  });
  flush();
  return out;
}

function provenanceOf(text: string): { body: string; provenance?: EntryProvenance } {
  const m = PROVENANCE.exec(text);
  if (!m) return { body: text };
  const body = text.replace(PROVENANCE, '').trim();
  try {
    const v = JSON.parse(m[1]!) as Record<string, unknown>;
    const trials = Array.isArray(v.trials) ? v.trials.filter((t): t is string => typeof t === 'string') : [];
    return {
      body,
      provenance: {
        ...(typeof v.id === 'string' ? { id: v.id } : {}),
        trials,
        ...(typeof v.support === 'number' ? { support: v.support } : {}),
        ...(typeof v.written === 'number' ? { written: v.written } : {}),
        ...(typeof v.dream === 'string' && v.dream ? { dream: v.dream } : {}),
      },
    };
  } catch {
    return { body };
  }
}

/** The entries of one file's text (provenance comments split off); `file` is how they are named. */
export function entriesOf(file: string, text: string): AuditEntry[] {
  const out: AuditEntry[] = [];
  for (const e of entriesOfText(text)) {
    const { body, provenance } = provenanceOf(e.text);
    if (body) out.push({ file, line: e.line, entry: body, ...(provenance ? { provenance } : {}) });
  }
  return out;
}

/** The rules' finding for one entry, or undefined when no rule fired. */
export function ruleFinding(entry: AuditEntry): AuditFinding | undefined {
  const verdict = assessEntry(entry.entry);
  if (!verdict.flagged) return undefined;
  return {
    ...entry,
    reason: verdict.reason,
    intents: verdict.intents,
    rule_hits: verdict.hits.map((h) => `${h.intent}/${h.rule}${h.via === 'plain' ? '' : ` (${h.via})`}`),
  };
}

/** Assess one file's text; `file` is how findings name it. */
export function auditText(file: string, text: string): { findings: AuditFinding[]; entries: number } {
  const entries = entriesOf(file, text);
  const findings = entries.map(ruleFinding).filter((f): f is AuditFinding => f !== undefined);
  return { findings, entries: entries.length };
}

function walk(dir: string, out: string[]): void {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) walk(join(dir, entry.name), out);
    } else if (entry.isFile() && TEXT_FILE.test(entry.name)) {
      out.push(join(dir, entry.name));
    }
  }
}

/** Audit a memory folder (recursively) or one file. Throws AuditInputError on bad input. */
export function auditMemory(path: string): AuditResult {
  if (!path || !existsSync(path)) throw new AuditInputError(`${path || '(empty path)'}: no such file or folder`);
  const stat = statSync(path);
  let files: string[];
  let root: string;
  if (stat.isDirectory()) {
    files = [];
    walk(path, files);
    root = path;
    if (files.length === 0) throw new AuditInputError(`${path}: no memory files found (Markdown or text: *.md, *.markdown, *.txt)`);
  } else if (stat.isFile()) {
    files = [path];
    root = '';
  } else {
    throw new AuditInputError(`${path}: not a file or folder`);
  }
  const findings: AuditFinding[] = [];
  const all: AuditEntry[] = [];
  let entries = 0;
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new AuditInputError(`${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
    if (text.includes('\u0000')) throw new AuditInputError(`${file}: not a text file`);
    const name = root ? relative(root, file).split(sep).join('/') : basename(file);
    const read = entriesOf(name, text);
    all.push(...read);
    findings.push(...read.map(ruleFinding).filter((f): f is AuditFinding => f !== undefined));
    entries += read.length;
  }
  return { findings, files: files.length, entries, all };
}

/** The findings as a person reads them. */
export function renderAudit(result: AuditResult): string {
  const byModel = result.model
    ? `Verdicts by ${result.model.spec} (${result.model.calls} call${result.model.calls === 1 ? '' : 's'}), rule hits as evidence.${result.model.error ? ` ${result.model.error}` : ''}`
    : '';
  if (result.findings.length === 0)
    return `No suspicious entries: ${result.entries} entries in ${result.files} file${result.files === 1 ? '' : 's'} scanned.${byModel ? `\n${byModel}` : ''}\n`;
  const out: string[] = [];
  for (const f of result.findings) {
    out.push(
      `${f.file}:${f.line}: ${f.model ? `model: ${f.model.injected ? 'injected' : 'not injected'}: ${f.model.reason || '(no reason given)'}` : f.reason}`,
    );
    if (f.model && f.rule_hits.length) out.push(`    rule hits (evidence): ${f.rule_hits.join(', ')}`);
    out.push(...f.entry.split('\n').map((l) => `    ${l}`));
    if (f.provenance) {
      const p = f.provenance;
      const bits = [
        p.id,
        p.support !== undefined ? `support ${p.support}` : undefined,
        p.written ? `written in session ${p.written}` : undefined,
        p.dream ? `by ${p.dream}` : undefined,
      ].filter(Boolean);
      out.push(`    provenance: ${bits.join(', ')}${p.trials.length ? `; trials: ${p.trials.join(', ')}` : ''}`);
    }
    for (const s of f.sources ?? []) out.push(`    source: ${s.trial} in ${s.file} (${s.format})${s.request ? `: "${s.request}"` : ''}`);
    out.push('');
  }
  out.push(
    `${result.findings.length} suspicious entr${result.findings.length === 1 ? 'y' : 'ies'} of ${result.entries} in ${result.files} file${result.files === 1 ? '' : 's'}.`,
  );
  if (byModel) out.push(byModel);
  return out.join('\n') + '\n';
}

/** The findings as JSON: an array of {file, line, entry, reason} (plus provenance when the entry has one). */
export function auditJson(result: AuditResult): string {
  return JSON.stringify(result.findings, null, 2) + '\n';
}
