// The drafting environment of one trial: the workspace files, the draft being written, the four
// tools (read_file, write_section, render_docx, submit), the checker, the pitfalls hit, and the
// rendered document's text for an independent grader.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import type { ToolSpec } from '../../harness/core/messages.js';
import type { CheckResult, Environment, EnvironmentContext, Task, ToolOutcome } from '../../harness/core/suite.js';
import { currentFix } from '../../harness/core/suite.js';
import { DocxError, readDocx } from '../../harness/formats/docx.js';
import { docxReadableText } from '../../harness/formats/docx-text.js';
import { checkDraft, normHeading } from './checker.js';
import { expectedOf, type LegalData, type LegalFamily, type LegalPitfall } from './data.js';
import { parseMatter, type Matter } from './matter.js';
import { TOOLS } from './params.js';
import { renderDraft, type DraftSection, type RenderSettings } from './renderer.js';

export const DRAFT_FILE = 'draft.docx';
const MAX_HEADING = 200;
const MAX_BODY = 20_000;
const MAX_SECTIONS = 40;

const matterCache = new WeakMap<Task, Matter>();
function matterOf(task: Task): Matter {
  let matter = matterCache.get(task);
  if (!matter) {
    matter = parseMatter(task.files['matter.md'] ?? '');
    matterCache.set(task, matter);
  }
  return matter;
}

const error = (content: string): ToolOutcome => ({ content, is_error: true });

export class DraftingEnvironment implements Environment {
  readonly tools: ToolSpec[] = TOOLS;
  private readonly sections: DraftSection[] = [];
  private readonly toolErrorHits = new Set<string>();
  private reviewHits: string[] = [];
  private lastSettings: RenderSettings | undefined;
  private readonly family: LegalFamily;
  private readonly pitfalls: LegalPitfall[];

  constructor(
    private readonly task: Task,
    private readonly data: LegalData,
    private readonly context: EnvironmentContext,
  ) {
    const family = data.families.find((f) => f.id === task.family);
    if (!family) throw new Error(`legal-drafting: task ${task.id} has an unknown family "${task.family}"`);
    this.family = family;
    this.pitfalls = data.pitfalls.filter((p) => task.pitfalls.includes(p.id));
  }

  async call(name: string, input: Record<string, unknown>): Promise<ToolOutcome> {
    switch (name) {
      case 'read_file':
        return this.readFile(input);
      case 'write_section':
        return this.writeSection(input);
      case 'render_docx':
        return this.render(input);
      case 'submit':
        return {
          content: `Submitted ${this.lastSettings ? DRAFT_FILE : 'the draft (no draft.docx was rendered)'} for review.`,
          submitted: true,
        };
      default:
        return error(`unknown tool "${name}"; available tools: ${this.tools.map((t) => t.name).join(', ')}`);
    }
  }

  private readFile(input: Record<string, unknown>): ToolOutcome {
    const available = Object.keys(this.task.files).sort();
    if (typeof input.path !== 'string' || !input.path.trim()) {
      return error(`read_file: "path" must be a file name; available files: ${available.join(', ')}`);
    }
    const path = normalize(input.path.trim()).replace(/^(\.\/|\/)+/, '');
    if (path === DRAFT_FILE) return error(`read_file: ${DRAFT_FILE} is a binary Word document and cannot be shown as text`);
    if (!(path in this.task.files)) {
      return error(`read_file: no file "${input.path}" in the workspace; available files: ${available.join(', ')}`);
    }
    try {
      return { content: readFileSync(join(this.context.workdir, path), 'utf8') };
    } catch {
      return { content: this.task.files[path]! };
    }
  }

  private writeSection(input: Record<string, unknown>): ToolOutcome {
    const { heading, body } = input;
    if (typeof heading !== 'string' || !heading.trim()) return error('write_section: "heading" must be a non-empty string');
    if (typeof body !== 'string') return error('write_section: "body" must be a string (the section text)');
    if (heading.length > MAX_HEADING) return error(`write_section: "heading" is too long (at most ${MAX_HEADING} characters)`);
    if (body.length > MAX_BODY) return error(`write_section: "body" is too long (at most ${MAX_BODY} characters)`);
    const clean = heading.replace(/\s+/g, ' ').trim();
    const key = normHeading(clean);
    const existing = this.sections.findIndex((s) => normHeading(s.heading) === key);
    if (existing >= 0) {
      this.sections[existing] = { heading: clean, body };
      return { content: `Replaced section "${clean}" (${this.sections.length} sections in the draft).` };
    }
    if (this.sections.length >= MAX_SECTIONS) return error(`write_section: the draft already has ${MAX_SECTIONS} sections`);
    this.sections.push({ heading: clean, body });
    return { content: `Added section "${clean}" (${this.sections.length} sections: ${this.sections.map((s) => s.heading).join('; ')}).` };
  }

  private render(input: Record<string, unknown>): ToolOutcome {
    const result = renderDraft(input ?? {}, this.sections, {
      family: this.family,
      matter: matterOf(this.task),
      pitfalls: this.pitfalls,
      drifted: this.context.drifted,
      template: this.data.template,
    });
    if (result.settings) this.lastSettings = result.settings;
    if (!result.ok) {
      for (const id of result.hits) this.toolErrorHits.add(id);
      return error(result.error);
    }
    writeFileSync(join(this.context.workdir, DRAFT_FILE), result.bytes);
    const tables = result.tables ? `, ${result.tables} table${result.tables > 1 ? 's' : ''}` : '';
    return {
      content: `Rendered ${DRAFT_FILE} on the firm template ${result.template}: ${result.sections} sections${tables}, ${result.bytes.length.toLocaleString('en-US')} bytes.`,
    };
  }

  async check(): Promise<CheckResult> {
    const result = checkDraft({
      docxPath: join(this.context.workdir, DRAFT_FILE),
      expected: expectedOf(this.task),
      family: this.family,
      pitfalls: this.pitfalls,
      drifted: this.context.drifted,
      template: this.data.template,
    });
    if (result.document) {
      this.reviewHits = result.reviewHits;
    } else {
      // No document to review: judge the review settings by the agent's last render attempt, and with
      // no attempt at all, every review pitfall counts (nothing it would have produced meets them).
      this.reviewHits = this.pitfalls
        .filter((p) => p.surfaces === 'review')
        .filter(
          (p) => !this.lastSettings || String(this.lastSettings[p.param as keyof RenderSettings]) !== currentFix(p, this.context.drifted),
        )
        .map((p) => p.id);
    }
    const { document: _document, reviewHits: _reviewHits, ...checkResult } = result;
    return checkResult;
  }

  /** The text of draft.docx as a reader of the page sees it (for an independent grader); never the checker's view. */
  async output(): Promise<string> {
    const path = join(this.context.workdir, DRAFT_FILE);
    if (!existsSync(path)) return `(no ${DRAFT_FILE} was produced: the draft was never rendered)\n`;
    try {
      return docxReadableText(readDocx(readFileSync(path)));
    } catch (error) {
      const reason = error instanceof DocxError ? error.message : String(error);
      return `(${DRAFT_FILE} is not a readable Word document: ${reason})\n`;
    }
  }

  pitfallsHit(): string[] {
    const hit = new Set([...this.toolErrorHits, ...this.reviewHits]);
    return this.pitfalls.filter((p) => hit.has(p.id)).map((p) => p.id);
  }
}

/** Place the task's files in the workspace and open the environment. */
export async function createDraftingEnvironment(task: Task, context: EnvironmentContext, data: LegalData): Promise<Environment> {
  for (const [path, content] of Object.entries(task.files)) {
    const target = join(context.workdir, path);
    if (path.includes('/')) mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
  }
  return new DraftingEnvironment(task, data, context);
}
