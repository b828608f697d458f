// Shared by the office suites (office-docx, office-pptx): loading YAML with errors that name the
// file, the field path and what was expected; the pitfall schema (every pitfall hinges on one
// `tool.param` whose naive value is the tool's documented default); message templates; difficulty.
// The folder starts with `_`, so suite discovery skips it.

import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { fieldPath, listTaskFiles, shownPath } from '../../harness/core/data-files.js';
import { refinePitfallMessages } from '../../harness/core/pitfall-data.js';
import { formatDirective } from '../../harness/core/directives.js';
import { currentFix, type Pitfall } from '../../harness/core/suite.js';
import { isAllowedValue, type ToolParam } from './params.js';
import { pitfallHeader, text } from '../../harness/core/data-schema.js';

export class DataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataError';
  }
}

export const DIFFICULTIES = ['easy', 'medium', 'hard'] as const;
export type Difficulty = (typeof DIFFICULTIES)[number];

/** A field path for messages; the whole document is `(top level)`. */
export function pathText(path: ReadonlyArray<PropertyKey>): string {
  return fieldPath(path) || '(top level)';
}

export const shown = shownPath;

export function readYaml(file: string): unknown {
  let raw: string;
  try {
    raw = readFileSync(file, 'utf8');
  } catch (error) {
    throw new DataError(`${shown(file)}: cannot read the file (${(error as Error).message})`);
  }
  try {
    return parseYaml(raw);
  } catch (error) {
    throw new DataError(`${shown(file)}: not valid YAML: ${(error as Error).message}`);
  }
}

export function validate<T>(file: string, schema: z.ZodType<T>, data: unknown): T {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const lines = result.error.issues.slice(0, 12).map((issue) => `  ${pathText(issue.path)}: ${issue.message}`);
  const more = result.error.issues.length > 12 ? `\n  ... and ${result.error.issues.length - 12} more` : '';
  throw new DataError(`${shown(file)}: invalid data:\n${lines.join('\n')}${more}`);
}

/** Collects cross-reference problems, then throws them together. */
export class Problems {
  private readonly lines: string[] = [];
  constructor(private readonly suite: string) {}
  add(file: string, path: ReadonlyArray<PropertyKey>, message: string): void {
    this.lines.push(`${shown(file)}: ${pathText(path)}: ${message}`);
  }
  throwIfAny(): void {
    if (this.lines.length === 0) return;
    const head = this.lines.slice(0, 20).join('\n');
    const more = this.lines.length > 20 ? `\n... and ${this.lines.length - 20} more` : '';
    throw new DataError(`${this.suite} data is inconsistent:\n${head}${more}`);
  }
}

/** The task files of a data dir (tasks/*.yaml), sorted. */
export function taskFiles(dataDir: string): string[] {
  return listTaskFiles(dataDir, (message) => new DataError(message));
}

// ---------------------------------------------------------------------------------------------
// Pitfalls

export interface OfficePitfall extends Pitfall {
  /** The tool the parameter belongs to and the parameter (the two halves of `choice`). */
  tool: string;
  param: string;
  /** tool_error: why the tool refuses (a template; see pitfalls.yaml). */
  error?: string;
  /** review: what the reviewer says after the task. */
  feedback?: string;
  drift?: { fix: string; note: string; template?: string; stale_error?: string; feedback?: string };
}

/**
 * The schema of a pitfalls.yaml entry: `choice` must name a parameter of one of the suite's tools,
 * `naive` must be its documented default, `fix` (and `drift.fix`) one of its allowed values, and
 * every message must name the fix with {directive}.
 */
export function pitfallSchema(params: ReadonlyMap<string, ToolParam>) {
  return z
    .strictObject({
      ...pitfallHeader,
      choice: z.string().regex(/^[a-z_]+\.[a-z_]+$/, 'a tool parameter as <tool>.<param>'),
      naive: text,
      fix: text,
      error: text.optional(),
      feedback: text.optional(),
      drift: z
        .strictObject({ fix: text, note: text, template: text.optional(), stale_error: text.optional(), feedback: text.optional() })
        .optional(),
    })
    .superRefine((p, ctx) => {
      const param = params.get(p.choice);
      if (!param) {
        ctx.addIssue({
          code: 'custom',
          path: ['choice'],
          message: `expected a tool parameter (${[...params.keys()].join(', ')}), got "${p.choice}"`,
        });
        return;
      }
      if (p.naive !== param.default)
        ctx.addIssue({ code: 'custom', path: ['naive'], message: `expected "${param.default}", the default of ${p.choice}` });
      for (const [path, value] of [
        [['fix'], p.fix],
        [['drift', 'fix'], p.drift?.fix],
      ] as const) {
        if (value !== undefined && !isAllowedValue(param, value)) {
          ctx.addIssue({ code: 'custom', path: [...path], message: `expected an allowed value of ${p.choice}, got "${value}"` });
        }
      }
      refinePitfallMessages(p, ctx);
    });
}

/** Fill a pitfall message template: {directive} tool.param="fix", {value}, {fix}, {template}, {detail}. */
export function fillMessage(
  message: string,
  pitfall: OfficePitfall,
  values: { value?: string; fix: string; template: string; detail?: string },
): string {
  return message
    .replaceAll('{directive}', formatDirective(pitfall.choice, values.fix))
    .replaceAll('{value}', values.value ?? '')
    .replaceAll('{fix}', values.fix)
    .replaceAll('{template}', values.template)
    .replaceAll('{detail}', values.detail ?? '');
}

/** The house template in force: a drift that replaces the template renames it. */
export function templateName(pitfalls: readonly OfficePitfall[], drifted: ReadonlySet<string>, base: string): string {
  let name = base;
  for (const p of pitfalls) if (drifted.has(p.id) && p.drift?.template) name = p.drift.template;
  return name;
}

/** The message a tool_error pitfall gives for a wrong value (the stale-fix message under drift). */
export function toolErrorMessage(
  pitfall: OfficePitfall,
  value: string,
  fix: string,
  drifted: ReadonlySet<string>,
  template: string,
  detail?: string,
): string {
  const stale = drifted.has(pitfall.id) && pitfall.drift?.stale_error && value === pitfall.fix;
  return fillMessage(stale ? pitfall.drift!.stale_error! : pitfall.error!, pitfall, {
    value,
    fix,
    template,
    ...(detail !== undefined ? { detail } : {}),
  });
}

/** The reviewer's message for a review pitfall (the drifted feedback under drift). */
export function reviewMessage(
  pitfall: OfficePitfall,
  fix: string,
  drifted: ReadonlySet<string>,
  template: string,
  detail?: string,
): string {
  const message = (drifted.has(pitfall.id) && pitfall.drift?.feedback) || pitfall.feedback!;
  return fillMessage(message, pitfall, { fix, template, ...(detail !== undefined ? { detail } : {}) });
}

/**
 * Why a build tool refuses: every tool_error pitfall of `tool` that can bite in this draft and whose
 * setting is not the fix in force, one message each. `error` is undefined when the build may go ahead;
 * `template` is the house template in force.
 */
export function buildRefusal(
  tool: string,
  settings: Readonly<Record<string, string>>,
  context: { pitfalls: readonly OfficePitfall[]; drifted: ReadonlySet<string>; template: string },
  canBite: (pitfall: OfficePitfall) => boolean,
): { template: string; hits: string[]; error?: string } {
  const template = templateName(context.pitfalls, context.drifted, context.template);
  const problems: string[] = [];
  const hits: string[] = [];
  for (const pitfall of context.pitfalls) {
    if (pitfall.tool !== tool || pitfall.surfaces !== 'tool_error' || !canBite(pitfall)) continue;
    const value = settings[pitfall.param]!;
    const fix = currentFix(pitfall, context.drifted);
    if (value === fix) continue;
    hits.push(pitfall.id);
    problems.push(toolErrorMessage(pitfall, value, fix, context.drifted, template));
  }
  if (problems.length === 1) return { template, hits, error: `${tool} failed: ${problems[0]}` };
  if (problems.length > 1)
    return { template, hits, error: `${tool} failed with ${problems.length} problems:\n${problems.map((m) => `- ${m}`).join('\n')}` };
  return { template, hits };
}

/** Difficulty from how many pitfalls can bite and how much content there is. */
export function difficultyOf(pitfalls: number, size: 'small' | 'large'): Difficulty {
  const score = pitfalls + (size === 'large' ? 1 : 0);
  return score <= 3 ? 'easy' : score <= 5 ? 'medium' : 'hard';
}
