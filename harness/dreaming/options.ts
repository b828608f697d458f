// The dreaming arm's options (the `options:` of an arm entry in an experiment file), validated into
// a DreamConfig. Every stage can be switched for ablations:
//
//   every: 1                     dream after every N-th session (the others only queue their trials)
//   window: incremental          replay the transcripts since the last dream; `full`: all so far
//   stages:
//     replay: true               false: no transcripts, the analysis sees the trial records only
//                                (outcome and reviewer feedback, not the tool errors)
//     analyse: true              false: rule-based analysis, no model call
//     curate: true               false: append every finding (no merge, no drops, no cap)
//     output: true               false: dry run (changesets are written, memory never changes)
//   curate: { merge: true, drop_contradicted: true, drop_unused_after: 4, token_cap: 2000, similarity: 0.8 }
//                                (drop_unused_after / token_cap: null or false turns that rule off)
//   playbooks: true              false: everything goes to notes.md
//   review: auto                 auto | human | <path to a policy file>
//   filter: default              content filters by name (a list), or none
//   filter_patterns: []          extra patterns the filter refuses (regular expressions)
//   batch_size: 40               trials per analysis call
//   classifier: false            true: a model call (purpose 'classify') screens every write (defenses.ts)
//   quarantine: false            true or { min_sources: 2, hold_sessions: 4 }: hold back single-source entries
//   max_updates: null            at most N additions and text edits per dream

import { z } from 'zod';
import { OptionsError, parseArmOptions } from '../core/options.js';
import { chainFilters, compilePattern, contentFilterByName, contentFilterNames, patternFilter, type ContentFilter } from './filter.js';
import { DEFAULT_CURATE, type CurateConfig } from './curate.js';
import { loadPolicy, type ReviewPolicy } from './review.js';
import { DEFAULT_QUARANTINE, type QuarantineConfig } from './defenses.js';

export type ReviewMode = { mode: 'auto' } | { mode: 'human' } | { mode: 'policy'; path: string; policy: ReviewPolicy };

export interface DreamConfig {
  every: number;
  window: 'incremental' | 'full';
  stages: { replay: boolean; analyse: boolean; curate: boolean; output: boolean };
  curate: CurateConfig;
  review: ReviewMode;
  filter: ContentFilter;
  batch_size: number;
  /** Screen every write with a model call (purpose 'classify'). */
  classifier: boolean;
  /** Hold back entries with too few distinct sources; null: off. */
  quarantine: QuarantineConfig | null;
  /** At most this many additions and text edits per dream; null: no cap. */
  max_updates: number | null;
}

const toggle = z.boolean();
const limit = z.union([z.number().int().positive(), z.null(), z.literal(false)]);

const filterName = z.string().refine((name) => name === 'none' || contentFilterByName(name) !== undefined, {
  error: () => `unknown content filter; expected one of ${contentFilterNames().join(', ')}`,
});

const pattern = z.string().superRefine((value, context) => {
  try {
    compilePattern(value);
  } catch (error) {
    context.addIssue({ code: 'custom', message: (error as Error).message });
  }
});

/** The dreaming arm's options as a zod schema (ArmFactory.options): the validator and the experiment's JSON Schema. */
export const dreamOptionsSchema = z
  .object({
    every: z.number().int().min(1).max(1000).default(1),
    window: z.enum(['incremental', 'full']).default('incremental'),
    stages: z
      .object({ replay: toggle.default(true), analyse: toggle.default(true), curate: toggle.default(true), output: toggle.default(true) })
      .strict()
      .default({ replay: true, analyse: true, curate: true, output: true }),
    curate: z
      .object({
        merge: toggle.optional(),
        drop_contradicted: toggle.optional(),
        drop_unused_after: limit.optional(),
        token_cap: limit.optional(),
        similarity: z.number().min(0).max(1).optional(),
      })
      .strict()
      .default({}),
    playbooks: toggle.default(true),
    review: z.string().min(1).default('auto'),
    filter: z.union([filterName, z.array(filterName)]).default(['default']),
    filter_patterns: z.array(pattern).default([]),
    batch_size: z.number().int().min(1).max(1000).default(40),
    classifier: z.boolean().default(false),
    quarantine: z
      .union([
        z.boolean(),
        z
          .object({ min_sources: z.number().int().min(2).max(100).optional(), hold_sessions: z.number().int().min(1).max(1000).optional() })
          .strict(),
      ])
      .default(false),
    max_updates: z.union([z.number().int().min(0).max(10000), z.null(), z.literal(false)]).default(null),
  })
  .strict();

/** Validate arm options; throws an OptionsError that names the arm, the option and what was expected. */
export function parseDreamOptions(options: Record<string, unknown>, armName = 'dreaming'): DreamConfig {
  const o = parseArmOptions(armName, dreamOptionsSchema, options);
  const names = (typeof o.filter === 'string' ? [o.filter] : o.filter).filter((n) => n !== 'none');
  // Names and patterns were checked by the schema.
  const filters: ContentFilter[] = names.map((name) => contentFilterByName(name)!);
  if (o.filter_patterns.length) filters.push(patternFilter('patterns', o.filter_patterns));

  let review: ReviewMode;
  if (o.review === 'auto') review = { mode: 'auto' };
  else if (o.review === 'human') review = { mode: 'human' };
  else {
    try {
      review = { mode: 'policy', path: o.review, policy: loadPolicy(o.review) };
    } catch (error) {
      throw new OptionsError('review', `expected auto, human or a policy file: ${(error as Error).message}`, `arm ${armName}`);
    }
  }
  const off = (v: number | null | false | undefined, fallback: number | null): number | null =>
    v === undefined ? fallback : v === false ? null : v;
  return {
    every: o.every,
    window: o.window,
    stages: o.stages,
    curate: {
      enabled: o.stages.curate,
      merge: o.curate.merge ?? DEFAULT_CURATE.merge,
      drop_contradicted: o.curate.drop_contradicted ?? DEFAULT_CURATE.drop_contradicted,
      drop_unused_after: off(o.curate.drop_unused_after, DEFAULT_CURATE.drop_unused_after),
      token_cap: off(o.curate.token_cap, DEFAULT_CURATE.token_cap),
      playbooks: o.playbooks,
      similarity: o.curate.similarity ?? DEFAULT_CURATE.similarity,
    },
    review,
    filter: filters.length ? chainFilters(filters) : chainFilters([]),
    batch_size: o.batch_size,
    classifier: o.classifier,
    quarantine:
      o.quarantine === false ? null : o.quarantine === true ? { ...DEFAULT_QUARANTINE } : { ...DEFAULT_QUARANTINE, ...o.quarantine },
    max_updates: o.max_updates === false ? null : o.max_updates,
  };
}

/** The config as recorded in each changeset (what an ablation changed). */
export function describeConfig(config: DreamConfig): Record<string, unknown> {
  return {
    every: config.every,
    window: config.window,
    stages: config.stages,
    curate: { ...config.curate },
    review: config.review.mode === 'policy' ? `policy:${config.review.path}` : config.review.mode,
    filter: config.filter.name,
    batch_size: config.batch_size,
    ...(config.classifier ? { classifier: true } : {}),
    ...(config.quarantine ? { quarantine: config.quarantine } : {}),
    ...(config.max_updates !== null ? { max_updates: config.max_updates } : {}),
  };
}
