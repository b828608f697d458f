// Validating the options of suites and arms with messages that name the option: parseOptions for a
// zod schema a suite or arm declares (the engine calls it centrally), and small helpers for arms that
// still check their options by hand.

import type { ZodType } from 'zod';

export function rejectUnknownOptions(arm: string, options: Record<string, unknown>, allowed: readonly string[]): void {
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) {
      throw new Error(`unknown option "${key}" for arm ${arm}; expected ${allowed.length ? `one of ${allowed.join(', ')}` : 'no options'}`);
    }
  }
}

export function numberOption(arm: string, options: Record<string, unknown>, key: string, fallback: number, min = 0): number {
  const value = options[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw new Error(`option "${key}" of arm ${arm} must be a number >= ${min}, got ${JSON.stringify(value)}`);
  }
  return value;
}

export function enumOption<T extends string>(
  arm: string,
  options: Record<string, unknown>,
  key: string,
  allowed: readonly T[],
  fallback: T,
): T {
  const value = options[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !allowed.includes(value as T)) {
    throw new Error(`option "${key}" of arm ${arm} must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`);
  }
  return value as T;
}

/** Options that failed their zod schema: `field` is the path inside the options (e.g. `max_entries`), '' for the whole. */
export class OptionsError extends Error {
  constructor(
    readonly field: string,
    readonly expected: string,
  ) {
    super(`${field ? `${field}: ` : ''}${expected}`);
    this.name = 'OptionsError';
  }
}

/** Validate options with a suite's or an arm's zod schema; the parsed value (defaults filled in), or an OptionsError for the first problem. */
export function parseOptions(schema: ZodType | undefined, options: Record<string, unknown>): Record<string, unknown> {
  if (!schema) return options;
  const parsed = schema.safeParse(options);
  if (parsed.success) {
    const value = parsed.data;
    if (value === null || typeof value !== 'object' || Array.isArray(value))
      throw new OptionsError('', 'the options schema must describe an object');
    return value as Record<string, unknown>;
  }
  const issue = parsed.error.issues.find((i) => i.code === 'unrecognized_keys') ?? parsed.error.issues[0]!;
  const path = issue.path
    .map((p) => (typeof p === 'number' ? `[${p}]` : String(p)))
    .join('.')
    .replace(/\.\[/g, '[');
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0]!;
    const known = optionKeys(schema);
    return fail(path ? `${path}.${key}` : key, `unknown option${known.length ? `; expected one of ${known.join(', ')}` : ''}`);
  }
  const received = valueAt(options, issue.path);
  // zod's own wording starts "Invalid input"; a schema's custom message (e.g. "path is required: ...") says it better.
  const own = !issue.message.startsWith('Invalid input');
  if (received === undefined && issue.code === 'invalid_type')
    return fail(path, own ? issue.message : `required option missing: expected ${issue.expected}`);
  return fail(path, `${issue.message}${received !== undefined ? `, got ${JSON.stringify(received)}` : ''}`);
}

function fail(field: string, expected: string): never {
  throw new OptionsError(field, expected);
}

function optionKeys(schema: ZodType): string[] {
  const shape = (schema as { shape?: Record<string, unknown> }).shape;
  return shape && typeof shape === 'object' ? Object.keys(shape) : [];
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value: unknown = input;
  for (const part of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[part as string];
  }
  return value;
}
