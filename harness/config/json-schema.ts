// The experiment file's JSON Schema, from the one zod schema (harness/config/schema.ts), with the
// option schemas that suites and arms declare merged in: every built-in one, and, for an experiment
// (`dreambench schema --experiment FILE`), the suites and arms from outside the package it names.

import { z, type ZodType } from 'zod';
import { experimentSchema } from './schema.js';

type JsonObject = Record<string, unknown>;

export interface OptionSchemas {
  /** Suite name -> its options schema (suite_options.<name>). */
  suites?: ReadonlyMap<string, ZodType>;
  /** Arm reference as written in `arms[i].arm` -> its options schema. */
  arms?: ReadonlyMap<string, ZodType>;
}

function toJson(schema: ZodType): JsonObject {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonObject;
  return rest;
}

export function experimentJsonSchema(options: OptionSchemas = {}): JsonObject {
  const schema: JsonObject = {
    ...(z.toJSONSchema(experimentSchema, { io: 'input', unrepresentable: 'any' }) as JsonObject),
    $id: 'https://github.com/dreambench/dreambench/schema/experiment.schema.json',
    title: 'dreambench experiment',
  };
  const properties = schema.properties as Record<string, JsonObject>;
  if (options.suites?.size) {
    const suiteOptions = properties.suite_options!;
    suiteOptions.properties = Object.fromEntries([...options.suites].map(([name, s]) => [name, toJson(s)]));
  }
  if (options.arms?.size) {
    // An arm entry {arm, options}: when `arm` is one of these, `options` must match its schema.
    const entry = properties.arms!.items as { anyOf?: JsonObject[] };
    const object = entry.anyOf?.find((variant) => variant.type === 'object');
    if (object) {
      object.allOf = [...options.arms].map(([ref, s]) => ({
        if: { properties: { arm: { const: ref } }, required: ['arm'] },
        then: { properties: { options: toJson(s) } },
      }));
    }
  }
  return schema;
}
