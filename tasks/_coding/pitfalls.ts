// The coding suites' pitfall table (pitfalls.yaml), validated with errors naming the file and field.

import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { formatDirective } from '../../harness/core/directives.js';
import type { Pitfall } from '../../harness/core/suite.js';
import { currentFix } from '../../harness/core/suite.js';
import { sourcePath } from '../../harness/core/paths.js';
import { CODING_FAMILIES } from './classify.js';
import { formatIssues, shown, CodingDataError } from './errors.js';
import type { Language } from './source.js';
import { pitfallKind, pitfallSurface, text } from '../../harness/core/data-schema.js';

export const PITFALL_IDS = ['coding-stdlib-only', 'coding-single-file', 'coding-no-stdin', 'coding-type-hints'] as const;
export type CodingPitfallId = (typeof PITFALL_IDS)[number];

export interface CodingPitfall extends Pitfall {
  id: CodingPitfallId;
  languages: Language[];
  error?: string;
  feedback?: string;
  drift?: { fix: string; note: string; feedback?: string; error?: string };
}

const message = text.refine((m) => m.includes('{directive}'), 'a message that names the fix with {directive}');

const PitfallSchema = z
  .strictObject({
    id: z.enum(PITFALL_IDS),
    kind: pitfallKind,
    families: z.array(z.enum(['*', ...CODING_FAMILIES])).min(1, "at least one family, or ['*']"),
    languages: z.array(z.enum(['python', 'javascript'])).min(1, 'at least one language'),
    description: text,
    surfaces: pitfallSurface,
    choice: z.string().regex(/^write_solution\.[a-z_]+$/, 'a setting as write_solution.<name>'),
    naive: text,
    fix: text,
    error: message.optional(),
    feedback: message.optional(),
    drift: z.strictObject({ fix: text, note: text, feedback: message.optional(), error: message.optional() }).optional(),
  })
  .superRefine((p, ctx) => {
    if (p.surfaces === 'tool_error' && !p.error)
      ctx.addIssue({ code: 'custom', path: ['error'], message: 'an error message for a tool_error pitfall' });
    if (p.surfaces === 'review' && !p.feedback)
      ctx.addIssue({ code: 'custom', path: ['feedback'], message: 'reviewer feedback for a review pitfall' });
    if (p.fix === p.naive) ctx.addIssue({ code: 'custom', path: ['fix'], message: 'a fix different from the naive value' });
  });

const PitfallsFile = z.strictObject({ pitfalls: z.array(PitfallSchema).min(1, 'at least one pitfall') });

export const PITFALLS_FILE = sourcePath('tasks/_coding/pitfalls.yaml');

let cached: CodingPitfall[] | undefined;

/** The table, loaded and validated once. */
export function codingPitfalls(file = PITFALLS_FILE): CodingPitfall[] {
  if (file === PITFALLS_FILE && cached) return cached;
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new CodingDataError(`${shown(file)}: cannot read the pitfall table (${(error as Error).message})`);
  }
  const parsed = PitfallsFile.safeParse(raw);
  if (!parsed.success) throw new CodingDataError(`${shown(file)}: invalid data:\n${formatIssues(parsed.error.issues)}`);
  const ids = parsed.data.pitfalls.map((p) => p.id);
  const duplicate = ids.find((id, i) => ids.indexOf(id) !== i);
  if (duplicate) throw new CodingDataError(`${shown(file)}: pitfalls: expected unique ids, "${duplicate}" repeats`);
  const pitfalls = parsed.data.pitfalls as CodingPitfall[];
  if (file === PITFALLS_FILE) cached = pitfalls;
  return pitfalls;
}

export interface MessageDetails {
  module?: string;
  entry?: string;
  file?: string;
  runtime?: string;
}

/** A pitfall's tool error or review feedback for a session, with the fix named as a directive. */
export function pitfallMessage(pitfall: CodingPitfall, drifted: ReadonlySet<string>, details: MessageDetails = {}): string {
  const active = drifted.has(pitfall.id) && pitfall.drift;
  const template =
    pitfall.surfaces === 'review'
      ? (active && pitfall.drift?.feedback) || pitfall.feedback!
      : (active && pitfall.drift?.error) || pitfall.error!;
  const fix = currentFix(pitfall, drifted);
  return template
    .replaceAll('{directive}', formatDirective(pitfall.choice, fix))
    .replaceAll('{module}', details.module ?? 'the module')
    .replaceAll('{entry}', details.entry ?? 'the function')
    .replaceAll('{file}', details.file ?? 'the solution file')
    .replaceAll('{runtime}', details.runtime ?? 'the interpreter');
}
