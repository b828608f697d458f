// The office-pptx environment of one trial: the workspace files (the brief, the style guide and the
// pictures it names), the slides being assembled, the tools (read_file, add_title_slide, add_slide,
// build_pptx, submit), the checker and the pitfalls hit.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, normalize } from 'node:path';
import type { ToolSpec } from '../../harness/core/messages.js';
import type { EnvironmentContext, Task, ToolOutcome } from '../../harness/core/suite.js';
import { currentFix } from '../../harness/core/suite.js';
import { pngSize } from '../../harness/formats/png.js';
import { PptxError, pptxText, readPptx } from '../../harness/formats/pptx.js';
import { templateName, toolErrorMessage } from '../_office/data.js';
import type { OfficeFileCheck } from '../_office/checking.js';
import { isStrings, OfficeEnvironment, placeTaskFiles, toolError as error } from '../_office/environment.js';
import { parseSettings } from '../_office/params.js';
import { readWorkspaceFile } from '../_office/workspace.js';
import type { ChartPlan } from './brief.js';
import { checkDeck } from './checker.js';
import { expectedOf, SUITE, type PptxData } from './data.js';
import { CHART_TYPES, OUTPUT_FILE, SLIDE_PARAMS, TOOLS } from './params.js';
import { buildDeck, pictureFor, type DeckState, type SlideState } from './renderer.js';

const MAX_TEXT = 2000;
const MAX_SLIDES = 60;
const clean = (s: string): string => s.replace(/\s+/g, ' ').trim();

/** The pictures a task's brief names ("Picture: file.png — caption"). */
export function picturesOf(task: Task): string[] {
  return [...(task.files['brief.md'] ?? '').matchAll(/^Picture:\s*(\S+\.png)\b/gim)].map((m) => m[1]!);
}

export class PptxEnvironment extends OfficeEnvironment {
  readonly tools: ToolSpec[] = TOOLS;
  private readonly state: DeckState = { slides: [] };

  constructor(task: Task, data: PptxData, context: EnvironmentContext) {
    super(SUITE, task, data, context);
  }

  async call(name: string, input: Record<string, unknown>): Promise<ToolOutcome> {
    input ??= {};
    switch (name) {
      case 'read_file':
        return this.readFile(input);
      case 'add_title_slide':
        return this.addTitleSlide(input);
      case 'add_slide':
        return this.addSlide(input);
      case 'build_pptx':
        return this.build(input);
      case 'submit':
        return { content: `Submitted ${this.built ? OUTPUT_FILE : `the deck (no ${OUTPUT_FILE} was built)`} for review.`, submitted: true };
      default:
        return error(`unknown tool "${name}"; available tools: ${this.tools.map((t) => t.name).join(', ')}`);
    }
  }

  private readFile(input: Record<string, unknown>): ToolOutcome {
    return readWorkspaceFile(this.task, this.context.workdir, input, (path) =>
      path === OUTPUT_FILE || path.endsWith('.png') ? `${path} is a binary file and cannot be shown as text` : undefined,
    );
  }

  private addTitleSlide(input: Record<string, unknown>): ToolOutcome {
    for (const key of Object.keys(input))
      if (!['title', 'subtitle', 'notes'].includes(key))
        return error(`add_title_slide: unknown parameter "${key}"; expected one of title, subtitle, notes`);
    if (typeof input.title !== 'string' || !input.title.trim()) return error('add_title_slide: "title" must be a non-empty string');
    if (typeof input.subtitle !== 'string' || !input.subtitle.trim())
      return error('add_title_slide: "subtitle" must be a non-empty string');
    if (input.notes !== undefined && typeof input.notes !== 'string') return error('add_title_slide: "notes" must be a string');
    const replaced = this.state.titleSlide !== undefined;
    this.state.titleSlide = {
      title: clean(input.title),
      subtitle: clean(input.subtitle),
      ...(typeof input.notes === 'string' && input.notes.trim() ? { notes: clean(input.notes) } : {}),
    };
    return { content: `${replaced ? 'Replaced' : 'Added'} the title slide "${this.state.titleSlide.title}".` };
  }

  private addSlide(input: Record<string, unknown>): ToolOutcome {
    const known = ['title', 'bullets', 'chart', 'picture', 'notes'];
    const parsed = parseSettings('add_slide', SLIDE_PARAMS, input, known);
    if ('error' in parsed) return error(parsed.error);
    if (typeof input.title !== 'string' || !input.title.trim()) return error('add_slide: "title" must be a non-empty string');
    if (input.title.length > 200) return error('add_slide: "title" is too long (at most 200 characters)');
    const kinds = ['bullets', 'chart', 'picture'].filter((k) => input[k] !== undefined);
    if (kinds.length !== 1) return error('add_slide: give exactly one of "bullets", "chart" or "picture"');
    if (input.notes !== undefined && (typeof input.notes !== 'string' || input.notes.length > MAX_TEXT))
      return error(`add_slide: "notes" must be a string of at most ${MAX_TEXT} characters`);
    if (this.state.slides.length >= MAX_SLIDES) return error(`add_slide: the deck already has ${MAX_SLIDES} slides`);
    const slide: SlideState = { title: clean(input.title) };
    if (typeof input.notes === 'string' && input.notes.trim()) slide.notes = clean(input.notes);
    if (input.bullets !== undefined) {
      if (!isStrings(input.bullets) || input.bullets.length === 0 || input.bullets.some((b) => !b.trim() || b.length > 500))
        return error('add_slide: "bullets" must be a non-empty array of non-empty strings');
      slide.bullets = input.bullets.map(clean);
    } else if (input.chart !== undefined) {
      const chart = this.readChart(input.chart);
      if (typeof chart === 'string') return error(`add_slide: ${chart}`);
      slide.chart = chart;
    } else {
      const picture = input.picture as { file?: unknown; caption?: unknown } | null;
      if (
        !picture ||
        typeof picture !== 'object' ||
        typeof picture.file !== 'string' ||
        typeof picture.caption !== 'string' ||
        !picture.caption.trim()
      ) {
        return error('add_slide: "picture" needs "file" (a PNG in the workspace) and "caption"');
      }
      const file = normalize(picture.file.trim()).replace(/^(\.\/|\/)+/, '');
      const path = join(this.context.workdir, file);
      if (file.includes('..') || !existsSync(path))
        return error(`add_slide: no picture "${picture.file}" in the workspace; pictures: ${picturesOf(this.task).join(', ') || 'none'}`);
      const image = readFileSync(path);
      if (!pngSize(image)) return error(`add_slide: "${picture.file}" is not a PNG image`);
      slide.picture = { file, caption: clean(picture.caption), image };
    }
    // The house template selects layouts by id.
    const layout = parsed.settings.layout!;
    this.lastValues.set('add_slide.layout', layout);
    const pitfall = this.pitfalls.find((p) => p.choice === 'add_slide.layout');
    if (pitfall) {
      const fix = currentFix(pitfall, this.context.drifted);
      if (layout !== fix) {
        this.toolErrorHits.add(pitfall.id);
        return error(
          `add_slide failed: ${toolErrorMessage(pitfall, layout, fix, this.context.drifted, templateName(this.pitfalls, this.context.drifted, this.data.template))}`,
        );
      }
    }
    this.state.slides.push(slide);
    const what = slide.bullets ? `${slide.bullets.length} bullets` : slide.chart ? `a ${slide.chart.type} chart` : 'a picture';
    return {
      content: `Added slide ${this.state.slides.length + (this.state.titleSlide ? 1 : 0)} "${slide.title}" with ${what}${slide.notes ? ' and speaker notes' : ''}.`,
    };
  }

  private readChart(raw: unknown): ChartPlan | string {
    const c = raw as { type?: unknown; categories?: unknown; series?: unknown } | null;
    if (!c || typeof c !== 'object') return '"chart" must be an object with type, categories and series';
    if (typeof c.type !== 'string' || !(CHART_TYPES as readonly string[]).includes(c.type))
      return `chart "type" must be one of ${CHART_TYPES.map((t) => `"${t}"`).join(', ')}`;
    if (!isStrings(c.categories) || c.categories.length === 0 || c.categories.length > 50)
      return 'chart "categories" must be a non-empty array of labels';
    const categories = c.categories;
    if (!Array.isArray(c.series) || c.series.length === 0 || c.series.length > 10)
      return 'chart "series" must be a non-empty array of { name, values }';
    const series: ChartPlan['series'] = [];
    for (const s of c.series as Array<{ name?: unknown; values?: unknown }>) {
      if (
        !s ||
        typeof s.name !== 'string' ||
        !Array.isArray(s.values) ||
        !s.values.every((v) => typeof v === 'number' && Number.isFinite(v))
      )
        return 'each chart series needs a "name" and numeric "values"';
      if (s.values.length !== categories.length)
        return `chart series "${s.name}" has ${s.values.length} values for ${categories.length} categories`;
      series.push({ name: clean(s.name), values: s.values as number[] });
    }
    return { type: c.type as ChartPlan['type'], axis: '', categories: categories.map(clean), series };
  }

  private build(input: Record<string, unknown>): ToolOutcome {
    const result = buildDeck(input, this.state, { pitfalls: this.pitfalls, drifted: this.context.drifted, template: this.data.template });
    if (result.settings) this.remember('build_pptx', result.settings);
    if (!result.ok) {
      for (const id of result.hits) this.toolErrorHits.add(id);
      return error(result.error);
    }
    writeFileSync(join(this.context.workdir, OUTPUT_FILE), result.bytes);
    this.built = true;
    return {
      content: `Built ${OUTPUT_FILE} on the house template ${result.template}: ${result.slides} slides, ${result.bytes.length.toLocaleString('en-US')} bytes.`,
    };
  }

  protected checkFile(): OfficeFileCheck {
    return checkDeck({
      pptxPath: join(this.context.workdir, OUTPUT_FILE),
      expected: expectedOf(this.task),
      pitfalls: this.pitfalls,
      drifted: this.context.drifted,
      template: this.data.template,
    });
  }

  /** The deck as a reader sees it: slide by slide, with charts, alt text and notes. */
  async output(): Promise<string> {
    try {
      return pptxText(readPptx(readFileSync(join(this.context.workdir, OUTPUT_FILE))));
    } catch (failure) {
      if (failure instanceof PptxError || (failure as NodeJS.ErrnoException).code === 'ENOENT') return `(no readable ${OUTPUT_FILE})`;
      throw failure;
    }
  }
}

/** Place the task's files (and the pictures its brief names) in the workspace and open the environment. */
export async function createPptxEnvironment(task: Task, context: EnvironmentContext, data: PptxData): Promise<PptxEnvironment> {
  placeTaskFiles(task, context.workdir);
  for (const file of picturesOf(task)) writeFileSync(join(context.workdir, file), pictureFor(file));
  return new PptxEnvironment(task, data, context);
}
