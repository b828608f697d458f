// Validating the options of suites and arms with messages that name the option: parseOptions for a
// zod schema a suite or arm declares (the engine calls it centrally), parseArmOptions for an arm's own
// create() (called directly by tests and by arms built from parts).

import type { ZodType, z } from 'zod';

/** Options that failed their zod schema: `field` is the path inside the options (e.g. `max_entries`), '' for the whole. */
export class OptionsError extends Error {
  constructor(
    readonly field: string,
    readonly expected: string,
    /** Who the options belong to (e.g. `arm skills`), for the message when no experiment file frames it. */
    readonly owner?: string,
  ) {
    super(owner ? `${owner}: ${field ? `option "${field}": ` : ''}${expected}` : `${field ? `${field}: ` : ''}${expected}`);
    this.name = 'OptionsError';
  }
}

/** A part's bad option re-framed as an option of the arm built from it (e.g. compose's `memory_options.every`). */
export function nestedOptionsError(error: unknown, owner: string, field: string): unknown {
  if (!(error instanceof OptionsError)) return error;
  return new OptionsError(error.field ? `${field}.${error.field}` : field, error.expected, owner);
}

/**
 * An arm's options validated with its schema (ArmFactory.options) inside its own create(): the engine
 * has parsed them already (parsing twice is harmless), but tests and arms made of parts call create()
 * directly. The OptionsError names the arm, the field and what was expected.
 */
export function parseArmOptions<S extends ZodType>(arm: string, schema: S, options: Record<string, unknown>): z.output<S> {
  try {
    return parseOptions(schema, options) as z.output<S>;
  } catch (error) {
    if (error instanceof OptionsError) throw new OptionsError(error.field, error.expected, `arm ${arm}`);
    throw error;
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
    const known = optionKeys(schema, issue.path);
    return fail(path ? `${path}.${key}` : key, `unknown option${known.length ? `; expected one of ${known.join(', ')}` : ''}`);
  }
  const received = valueAt(options, issue.path);
  // zod's own wording starts "Invalid input"; a schema's custom message (e.g. "path is required: ...") says it better.
  const own = !issue.message.startsWith('Invalid input');
  if (received === undefined && issue.code === 'invalid_type')
    return fail(path, own ? issue.message : `required option missing: expected ${issue.expected}`);
  const message = issue.message.replace(/^Invalid input: /, '');
  return fail(path, `${message}${received !== undefined ? `, got ${JSON.stringify(received)}` : ''}`);
}

function fail(field: string, expected: string): never {
  throw new OptionsError(field, expected);
}

interface SchemaDef {
  type?: string;
  shape?: Record<string, { def?: SchemaDef }>;
  innerType?: { def?: SchemaDef };
  options?: Array<{ def?: SchemaDef }>;
  element?: { def?: SchemaDef };
}

/** The keys of the object the schema describes at `path` (through defaults, optionals, unions and lists), for "expected one of". */
function optionKeys(schema: ZodType, path: readonly PropertyKey[]): string[] {
  const objectAt = (def: SchemaDef | undefined, rest: readonly PropertyKey[]): SchemaDef | undefined => {
    if (!def) return undefined;
    if (def.innerType) return objectAt(def.innerType.def, rest);
    if (def.type === 'union') {
      for (const option of def.options ?? []) {
        const found = objectAt(option.def, rest);
        if (found) return found;
      }
      return undefined;
    }
    if (def.type === 'array') return typeof rest[0] === 'number' ? objectAt(def.element?.def, rest.slice(1)) : undefined;
    if (def.type !== 'object' || !def.shape) return undefined;
    if (rest.length === 0) return def;
    return objectAt(def.shape[String(rest[0])]?.def, rest.slice(1));
  };
  const found = objectAt((schema as { def?: SchemaDef }).def, path);
  return found?.shape ? Object.keys(found.shape) : [];
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value: unknown = input;
  for (const part of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[part as string];
  }
  return value;
}
