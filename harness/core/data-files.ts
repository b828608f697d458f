// Shared by the suites' data loaders and `dreambench tasks validate`: YAML files read with errors
// that name the file, schema problems as ValidationIssues with field paths, and checking one loose
// data file against the rest of a suite's data.

import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { packageRoot } from './paths.js';
import type { ValidationIssue } from './suite.js';

function valueAt(data: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let value = data;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** A field path as people write it: `tasks[0].expected.sections`, `(top level)` for none. */
export function fieldPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (typeof part === 'string' && /^[A-Za-z_][\w]*$/.test(part)) out += out ? `.${part}` : part;
    else out += `[${JSON.stringify(String(part))}]`;
  }
  return out;
}

/** A file as shown in messages: relative to the package root when inside it, else as is. */
export function shownPath(file: string): string {
  try {
    const rel = relative(packageRoot(), file);
    return rel.startsWith('..') || rel === '' ? file : rel;
  } catch {
    return file;
  }
}

/** One line per issue: `file: path: message`. */
export function formatIssue(issue: ValidationIssue): string {
  return `${issue.file}: ${issue.path ? `${issue.path}: ` : ''}${issue.message}`;
}

export function formatIssues(issues: readonly ValidationIssue[], max = 20): string {
  const head = issues.slice(0, max).map(formatIssue).join('\n');
  return issues.length > max ? `${head}\n... and ${issues.length - max} more` : head;
}

/**
 * The task files of a data dir (tasks/*.yaml and *.yml), sorted, for loaders that stop at the first
 * problem: `fail` makes the suite's own error (a directory that cannot be listed, or holds none).
 */
export function listTaskFiles(dataDir: string, fail: (message: string) => Error): string[] {
  const tasksDir = join(dataDir, 'tasks');
  let files: string[];
  try {
    files = readdirSync(tasksDir)
      .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
      .sort()
      .map((f) => join(tasksDir, f));
  } catch (error) {
    throw fail(`${shownPath(tasksDir)}: cannot list task files (${(error as Error).message})`);
  }
  if (files.length === 0) throw fail(`${shownPath(tasksDir)}: expected task files (*.yaml), found none`);
  return files;
}

/** Bad suite data: the message lists the problems; `issues` holds them one by one. */
export class DataValidationError extends Error {
  constructor(
    label: string,
    readonly issues: ValidationIssue[],
  ) {
    super(`${label}:\n${formatIssues(issues)}`);
    this.name = 'DataValidationError';
  }
}

/** Collects problems across files, so one validation run reports all of them. */
export class DataIssues {
  readonly list: ValidationIssue[] = [];

  add(file: string, path: ReadonlyArray<PropertyKey> | string, message: string): void {
    this.list.push({ file: shownPath(file), path: typeof path === 'string' ? path : fieldPath(path), message });
  }

  get ok(): boolean {
    return this.list.length === 0;
  }

  /** The file's text, or undefined (with an issue) when it cannot be read. */
  readText(file: string): string | undefined {
    try {
      return readFileSync(file, 'utf8');
    } catch (error) {
      this.add(file, '', `expected a readable file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
      return undefined;
    }
  }

  /** The parsed YAML, or undefined (with an issue) when it cannot be read or parsed. */
  readYaml(file: string): unknown {
    const raw = this.readText(file);
    if (raw === undefined) return undefined;
    try {
      return parseYaml(raw);
    } catch (error) {
      this.add(file, '', `expected valid YAML: ${(error as Error).message.split('\n')[0]}`);
      return undefined;
    }
  }

  /** The data parsed by the schema, or undefined (with one issue per schema problem). */
  parse<T>(file: string, schema: z.ZodType<T>, data: unknown, prefix: ReadonlyArray<PropertyKey> = []): T | undefined {
    if (data === undefined) return undefined;
    const result = schema.safeParse(data);
    if (result.success) return result.data;
    for (const issue of result.error.issues) {
      // Custom messages name what is expected ("a date as YYYY-MM-DD"): say so, and show what was found.
      let message = issue.message;
      if (!/^(expected|invalid|unrecognized|too )/i.test(message)) {
        const found = valueAt(data, issue.path);
        const shown = found === undefined || (typeof found === 'object' && found !== null) ? '' : `, got ${JSON.stringify(found)}`;
        message = `expected ${message}${shown}`;
      }
      this.add(file, [...prefix, ...issue.path], message);
    }
    return undefined;
  }

  throwIfAny(label: string): void {
    if (this.list.length > 0) throw new DataValidationError(label, this.list);
  }
}

/** The issues an error carries (a DataValidationError or any error with an `issues` list), or rethrow. */
export function issuesOf(run: () => unknown): ValidationIssue[] {
  try {
    run();
    return [];
  } catch (error) {
    const issues = (error as { issues?: unknown }).issues;
    if (Array.isArray(issues) && issues.every((i) => typeof i === 'object' && i !== null && 'file' in i && 'message' in i)) {
      return issues as ValidationIssue[];
    }
    throw error;
  }
}

export interface DataTargetOptions {
  /** The suite's own data directory. */
  dataDir: string;
  /** Whether a directory is a data directory of this suite (e.g. it holds families.yaml). */
  isDataDir(dir: string): boolean;
  /** Where a loose data file belongs in a data directory (a relative path), judged by its name. */
  placeFile(file: string): string;
  /** Every problem in a data directory. */
  validateDir(dir: string): ValidationIssue[];
}

/**
 * Validate a target for `Suite.validateData`: a data directory (or a suite folder holding `data/`),
 * a file inside one (its whole directory is checked), or a loose file, which is checked in the place
 * its name gives it within a copy of the suite's own data (so references to families, pitfalls and
 * the like resolve). Issues in the copy are reported against the real files.
 */
export function validateDataTarget(target: string, options: DataTargetOptions): ValidationIssue[] {
  const abs = resolve(target);
  if (!existsSync(abs)) return [{ file: target, path: '', message: 'expected a data directory or data file, found nothing at this path' }];
  if (statSync(abs).isDirectory()) {
    if (options.isDataDir(abs)) return options.validateDir(abs);
    if (options.isDataDir(join(abs, 'data'))) return options.validateDir(join(abs, 'data'));
    return [
      {
        file: shownPath(abs),
        path: '',
        message: 'expected a suite data directory (or a suite folder holding data/), but its files are missing',
      },
    ];
  }
  for (let dir = dirname(abs); ; dir = dirname(dir)) {
    if (options.isDataDir(dir)) return options.validateDir(dir);
    if (dirname(dir) === dir) break;
  }
  const temp = realpathSync(mkdtempSync(join(tmpdir(), 'dreambench-validate-')));
  try {
    cpSync(options.dataDir, temp, { recursive: true });
    const placed = options.placeFile(abs);
    mkdirSync(dirname(join(temp, placed)), { recursive: true });
    copyFileSync(abs, join(temp, placed));
    const issues = options.validateDir(temp).map((issue) => {
      if (!issue.file.startsWith(temp + sep)) return issue;
      const rel = relative(temp, issue.file);
      return { ...issue, file: rel === placed ? shownPath(abs) : shownPath(join(options.dataDir, rel)) };
    });
    // The file asked about first.
    const shown = shownPath(abs);
    return [...issues.filter((i) => i.file === shown), ...issues.filter((i) => i.file !== shown)];
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}
