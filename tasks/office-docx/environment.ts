// The office-docx environment of one trial: the workspace files, the document being assembled (page
// setup, header, footer, blocks), the tools (read_file, set_page, set_header, set_footer, add_block,
// build_docx, submit), the checker and the pitfalls hit.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ToolSpec } from '../../harness/core/messages.js';
import type { EnvironmentContext, Task, ToolOutcome } from '../../harness/core/suite.js';
import { DocxError, readDocx } from '../../harness/formats/docx.js';
import type { OfficeFileCheck } from '../_office/checking.js';
import { isStrings, OfficeEnvironment, placeTaskFiles, toolError as error } from '../_office/environment.js';
import { parseSettings } from '../_office/params.js';
import { readWorkspaceFile } from '../_office/workspace.js';
import type { DocBlock } from './brief.js';
import { checkDocument } from './checker.js';
import { expectedOf, SUITE, type DocxData } from './data.js';
import { FOOTER_PARAMS, HEADER_PARAMS, OUTPUT_FILE, PAGE_PARAMS, TOOLS } from './params.js';
import { buildDocument, type BuildSettings, type DraftState } from './renderer.js';

const MAX_TEXT = 4000;
const MAX_BLOCKS = 200;
const MAX_CELLS = 400;

export class DocxEnvironment extends OfficeEnvironment {
  readonly tools: ToolSpec[] = TOOLS;
  private readonly state: DraftState = { page: { size: 'Letter', orientation: 'portrait' }, blocks: [] };

  constructor(task: Task, data: DocxData, context: EnvironmentContext) {
    super(SUITE, task, data, context);
  }

  async call(name: string, input: Record<string, unknown>): Promise<ToolOutcome> {
    input ??= {};
    switch (name) {
      case 'read_file':
        return this.readFile(input);
      case 'set_page':
        return this.setPage(input);
      case 'set_header':
        return this.setHeaderFooter('set_header', input);
      case 'set_footer':
        return this.setHeaderFooter('set_footer', input);
      case 'add_block':
        return this.addBlock(input);
      case 'build_docx':
        return this.build(input);
      case 'submit':
        return {
          content: `Submitted ${this.built ? OUTPUT_FILE : `the document (no ${OUTPUT_FILE} was built)`} for review.`,
          submitted: true,
        };
      default:
        return error(`unknown tool "${name}"; available tools: ${this.tools.map((t) => t.name).join(', ')}`);
    }
  }

  private readFile(input: Record<string, unknown>): ToolOutcome {
    return readWorkspaceFile(this.task, this.context.workdir, input, (path) =>
      path === OUTPUT_FILE ? `${OUTPUT_FILE} is a binary Word document and cannot be shown as text` : undefined,
    );
  }

  private setPage(input: Record<string, unknown>): ToolOutcome {
    const parsed = parseSettings('set_page', PAGE_PARAMS, input);
    if ('error' in parsed) return error(parsed.error);
    this.state.page = { size: parsed.settings.size!, orientation: parsed.settings.orientation! };
    this.remember('set_page', parsed.settings);
    return { content: `Page set to ${this.state.page.size}, ${this.state.page.orientation}, with 1-inch margins.` };
  }

  private setHeaderFooter(tool: 'set_header' | 'set_footer', input: Record<string, unknown>): ToolOutcome {
    const params = tool === 'set_header' ? HEADER_PARAMS : FOOTER_PARAMS;
    const parsed = parseSettings(tool, params, input, ['text']);
    if ('error' in parsed) return error(parsed.error);
    if (typeof input.text !== 'string' || !input.text.trim()) return error(`${tool}: "text" must be a non-empty string`);
    if (input.text.length > 300) return error(`${tool}: "text" is too long (at most 300 characters)`);
    const text = input.text.replace(/\s+/g, ' ').trim();
    this.remember(tool, parsed.settings);
    if (tool === 'set_header') {
      this.state.header = { text, pages: parsed.settings.pages! };
      return { content: `Header set: "${text}" (${this.state.header.pages} header).` };
    }
    this.state.footer = { text, page_numbers: parsed.settings.page_numbers! };
    return { content: `Footer set: "${text}" (page numbers: ${this.state.footer.page_numbers}).` };
  }

  private addBlock(input: Record<string, unknown>): ToolOutcome {
    const kinds = ['heading', 'paragraph', 'list', 'table'];
    const known = ['kind', 'text', 'level', 'replaces', 'items', 'ordered', 'rows'];
    for (const key of Object.keys(input))
      if (!known.includes(key)) return error(`add_block: unknown parameter "${key}"; expected one of ${known.join(', ')}`);
    if (typeof input.kind !== 'string' || !kinds.includes(input.kind))
      return error(`add_block: "kind" must be one of ${kinds.map((k) => `"${k}"`).join(', ')}`);
    if (this.state.blocks.length >= MAX_BLOCKS) return error(`add_block: the document already has ${MAX_BLOCKS} blocks`);
    const clean = (s: string) => s.replace(/\s+/g, ' ').trim();
    let block: DocBlock;
    if (input.kind === 'heading' || input.kind === 'paragraph') {
      if (typeof input.text !== 'string' || !input.text.trim())
        return error(`add_block: a ${input.kind} needs "text" (a non-empty string)`);
      if (input.text.length > MAX_TEXT) return error(`add_block: "text" is too long (at most ${MAX_TEXT} characters)`);
      if (input.kind === 'heading') {
        const level = input.level ?? 1;
        if (level !== 1 && level !== 2) return error('add_block: a heading "level" must be 1 or 2');
        block = { kind: 'heading', text: clean(input.text), level };
      } else {
        if (input.replaces !== undefined && (typeof input.replaces !== 'string' || !input.replaces.trim()))
          return error('add_block: "replaces" must be the earlier wording (a non-empty string)');
        block = {
          kind: 'paragraph',
          text: clean(input.text),
          ...(typeof input.replaces === 'string' ? { replaces: clean(input.replaces) } : {}),
        };
      }
    } else if (input.kind === 'list') {
      if (!isStrings(input.items) || input.items.length === 0 || input.items.some((i) => !i.trim()))
        return error('add_block: a list needs "items" (a non-empty array of non-empty strings)');
      if (input.ordered !== undefined && typeof input.ordered !== 'boolean') return error('add_block: "ordered" must be true or false');
      block = { kind: 'list', ordered: input.ordered === true, items: input.items.map(clean) };
    } else {
      const rows = input.rows;
      if (!Array.isArray(rows) || rows.length < 2 || !rows.every(isStrings) || rows.some((r) => r.length === 0)) {
        return error('add_block: a table needs "rows": at least two arrays of cell texts (the first row holds the column headings)');
      }
      if (rows.reduce((n, r) => n + r.length, 0) > MAX_CELLS)
        return error(`add_block: the table is too large (at most ${MAX_CELLS} cells)`);
      block = { kind: 'table', rows: rows.map((r) => r.map(clean)) };
    }
    this.state.blocks.push(block);
    const what =
      block.kind === 'heading'
        ? `heading "${block.text}"`
        : block.kind === 'list'
          ? `${block.ordered ? 'numbered' : 'bulleted'} list of ${block.items.length}`
          : block.kind === 'table'
            ? `table of ${block.rows.length} rows`
            : 'paragraph';
    return { content: `Added ${what} (block ${this.state.blocks.length}).` };
  }

  private build(input: Record<string, unknown>): ToolOutcome {
    const result = buildDocument(input, this.state, {
      pitfalls: this.pitfalls,
      drifted: this.context.drifted,
      template: this.data.template,
      date: expectedOf(this.task).date,
    });
    if (result.settings) this.remember('build_docx', result.settings);
    if (!result.ok) {
      for (const id of result.hits) this.toolErrorHits.add(id);
      return error(result.error);
    }
    writeFileSync(join(this.context.workdir, OUTPUT_FILE), result.bytes);
    this.built = true;
    return {
      content: `Built ${OUTPUT_FILE} on the house template ${result.template}: ${result.summary}, ${result.bytes.length.toLocaleString('en-US')} bytes.`,
    };
  }

  protected checkFile(): OfficeFileCheck {
    return checkDocument({
      docxPath: join(this.context.workdir, OUTPUT_FILE),
      expected: expectedOf(this.task),
      pitfalls: this.pitfalls,
      drifted: this.context.drifted,
      template: this.data.template,
    });
  }

  /** The document as a reader sees it: header, title and body text, footer. */
  async output(): Promise<string> {
    try {
      const doc = readDocx(readFileSync(join(this.context.workdir, OUTPUT_FILE)));
      const lines: string[] = [];
      if (doc.headers.length) lines.push(`[Page header] ${doc.headers[0]}`, '');
      for (const block of doc.body) {
        if (block.type === 'paragraph') {
          if (block.text.trim()) lines.push(block.numbering ? `- ${block.text}` : block.text);
        } else {
          lines.push('', ...block.rows.map((r) => `| ${r.cells.map((c) => c.text.replace(/\n/g, ' ')).join(' | ')} |`), '');
        }
      }
      if (doc.footers.length) lines.push('', `[Page footer] ${doc.footers[0]}`);
      return lines.join('\n').trim();
    } catch (failure) {
      return failure instanceof DocxError || (failure as NodeJS.ErrnoException).code === 'ENOENT'
        ? `(no readable ${OUTPUT_FILE})`
        : Promise.reject(failure);
    }
  }

  /** The build settings last used (for tests). */
  lastBuildSettings(): Partial<BuildSettings> {
    return Object.fromEntries(
      [...this.lastValues].filter(([k]) => k.startsWith('build_docx.')).map(([k, v]) => [k.slice('build_docx.'.length), v]),
    );
  }
}

/** Place the task's files in the workspace and open the environment. */
export async function createDocxEnvironment(task: Task, context: EnvironmentContext, data: DocxData): Promise<DocxEnvironment> {
  placeTaskFiles(task, context.workdir);
  return new DocxEnvironment(task, data, context);
}
