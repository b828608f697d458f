// compose: an arm made of three parts, each an ordinary arm loaded through the arm registry:
//
//   memory          what the agent remembers between tasks and sessions (stateless, learnings-md,
//                   skills, dreaming, ...): contextFor, memoryStats, afterTrial, afterSession
//   loop            the in-task loop (none, reflexion, outcomes, retry-only, ...): runTrial, and, if
//                   the loop keeps memory of its own (reflexion with persist), its contextFor,
//                   afterTrial and afterSession over its own files
//   orchestration   who does each attempt (single, or multi-agent: a lead with specialists): the
//                   part's `orchestration`, which the engine uses for every attempt the loop starts
//
//   arms:
//     - arm: compose
//       name: dreaming+outcomes
//       options: {memory: dreaming, loop: outcomes, memory_options: {every: 2}, loop_options: {rounds: 2}}
//
// Rules a part must follow (checked when the arm is built):
//   - a memory part has no runTrial and no orchestration (put such an arm in `loop` or `orchestration`);
//   - a loop part has runTrial and no orchestration; it drives attempts only through the TrialDriver,
//     so it never needs to know whether one agent or a team does the attempt;
//   - an orchestration part contributes only its `orchestration` (no runTrial, afterTrial or afterSession);
//   - no part is itself composed (no parts of its own).
// What the composition does with them:
//   - memory files: the memory part owns the store's top level (its snapshots look like the plain
//     arm's); a loop part with afterSession gets its own folder, `<loop name>/`, and sees only that;
//   - context: the memory part's text, then the loop part's (if any), separated by a blank line;
//   - notes: with a loop part, record.notes holds {"compose": {"memory": ..., "loop": ...}} and each
//     part reads and writes only its own entry (its afterTrial and afterSession see plain notes);
//   - usage of both parts' afterTrial and afterSession is summed; afterSession details are the memory
//     part's, with the loop part's under `loop`;
//   - seeds: the memory part gets the arm's seed keys unchanged (so compose(memory: X) draws exactly
//     like X alone), the loop part's own calls get ":loop" appended;
//   - artifacts (run-directory files, e.g. dreams/): the memory part's folder, shared with the loop part.
//
// Options:
//   memory                 an arm for memory (default stateless)
//   loop                   an arm with an in-task loop, or none (default none)
//   orchestration          an arm with an orchestration (multi-agent), or single (default single)
//   memory_options, loop_options, orchestration_options   each part's own options (default {})

import type { AfterSessionResult, AfterTrialResult, Arm, ArmContext, ArmFactory, ArmUsage, MemoryFiles } from '../../harness/core/arm.js';
import type { TrialRecord } from '../../harness/core/records.js';
import { z } from 'zod';
import { nestedOptionsError, parseArmOptions } from '../../harness/core/options.js';

const ARM = 'compose';

export interface ComposeSpec {
  memory: string;
  loop?: string;
  orchestration?: string;
  memory_options: Record<string, unknown>;
  loop_options: Record<string, unknown>;
  orchestration_options: Record<string, unknown>;
}

function fail(message: string): never {
  throw new Error(`arm ${ARM}: ${message}`);
}

const part = (what: string) =>
  z
    .string()
    .min(1, 'expected an arm name')
    .refine((name) => name !== ARM, 'a part cannot itself be composed')
    .describe(what);
const partOptions = (what: string) => z.record(z.string(), z.unknown()).default({}).describe(what);

const options = z
  .strictObject({
    memory: part('an arm for memory (stateless, learnings-md, skills, dreaming, ...)').default('stateless'),
    loop: part('an arm with an in-task loop (reflexion, outcomes, retry-only, ...), or none').default('none'),
    orchestration: part('an arm with an orchestration (multi-agent), or single').default('single'),
    memory_options: partOptions("the memory part's options, as for that arm"),
    loop_options: partOptions("the loop part's options, as for that arm"),
    orchestration_options: partOptions("the orchestration part's options, as for that arm"),
  })
  .superRefine((o, context) => {
    if (o.loop === 'none' && Object.keys(o.loop_options).length)
      context.addIssue({ code: 'custom', path: ['loop_options'], message: 'loop_options needs a loop (set loop)' });
    if (o.orchestration === 'single' && Object.keys(o.orchestration_options).length)
      context.addIssue({
        code: 'custom',
        path: ['orchestration_options'],
        message: 'orchestration_options needs an orchestration (set orchestration)',
      });
  });

export function parseComposeOptions(raw: Record<string, unknown>): ComposeSpec {
  const o = parseArmOptions(ARM, options, raw);
  return {
    memory: o.memory,
    memory_options: o.memory_options,
    loop_options: o.loop_options,
    orchestration_options: o.orchestration_options,
    ...(o.loop !== 'none' ? { loop: o.loop } : {}),
    ...(o.orchestration !== 'single' ? { orchestration: o.orchestration } : {}),
  };
}

// ---- notes: one entry per part -------------------------------------------------------------------

interface Envelope {
  memory?: string;
  loop?: string;
}

export function encodeNotes(envelope: Envelope): string {
  return JSON.stringify({ compose: envelope });
}

export function decodeNotes(notes: string | undefined): Envelope {
  if (!notes) return {};
  try {
    const parsed = JSON.parse(notes) as { compose?: Envelope };
    if (parsed && typeof parsed === 'object' && parsed.compose && typeof parsed.compose === 'object') return parsed.compose;
  } catch {
    // not an envelope
  }
  return {};
}

function withNotes(record: TrialRecord, notes: string | undefined): TrialRecord {
  const copy: TrialRecord = { ...record };
  if (notes === undefined) delete copy.notes;
  else copy.notes = notes;
  return copy;
}

// ---- memory: the loop part's own folder ----------------------------------------------------------

function split(memory: MemoryFiles, prefix: string | undefined): { own: MemoryFiles; loop: MemoryFiles } {
  const own: MemoryFiles = {};
  const loop: MemoryFiles = {};
  for (const [path, text] of Object.entries(memory)) {
    if (prefix && path.startsWith(prefix)) loop[path.slice(prefix.length)] = text;
    else own[path] = text;
  }
  return { own, loop };
}

function addUsage(a: ArmUsage | undefined, b: ArmUsage | undefined): ArmUsage | undefined {
  if (!a) return b;
  if (!b) return a;
  return {
    input_tokens: a.input_tokens + b.input_tokens,
    output_tokens: a.output_tokens + b.output_tokens,
    cache_read_tokens: a.cache_read_tokens + b.cache_read_tokens,
    cache_write_tokens: a.cache_write_tokens + b.cache_write_tokens,
    cost_usd: a.cost_usd + b.cost_usd,
    calls: a.calls + b.calls,
    wall_ms: a.wall_ms + b.wall_ms,
  };
}

function build(spec: ComposeSpec, parts: Readonly<Record<string, ArmFactory>>): Arm {
  const factoryOf = (name: string): ArmFactory => {
    const factory = parts[name];
    if (!factory) fail(`part "${name}" is not loaded; build compose with createArm() from harness/registry/arms.ts`);
    if (factory.parts?.({}).length) fail(`part "${name}" is itself made of parts; compose only plain arms`);
    return factory;
  };
  const createPart = (role: string, name: string, options: Record<string, unknown>): Arm => {
    try {
      return factoryOf(name).create(options);
    } catch (error) {
      const nested = nestedOptionsError(error, `arm ${ARM}`, `${role}_options`);
      if (nested !== error) throw nested;
      throw new Error(`arm ${ARM}: ${role} part "${name}": ${(error as Error).message}`, { cause: error });
    }
  };

  const memory = createPart('memory', spec.memory, spec.memory_options);
  if (memory.runTrial) fail(`memory part "${spec.memory}" has an in-task loop (runTrial): use it as loop: ${spec.memory}`);
  if (memory.orchestration) fail(`memory part "${spec.memory}" is an orchestration: use it as orchestration: ${spec.memory}`);
  const loop = spec.loop ? createPart('loop', spec.loop, spec.loop_options) : undefined;
  if (loop && !loop.runTrial) fail(`loop part "${spec.loop}" has no in-task loop (runTrial)`);
  if (loop?.orchestration) fail(`loop part "${spec.loop}" is an orchestration: use it as orchestration: ${spec.loop}`);
  const team = spec.orchestration ? createPart('orchestration', spec.orchestration, spec.orchestration_options) : undefined;
  if (team && !team.orchestration) fail(`orchestration part "${spec.orchestration}" has no orchestration`);
  if (team && (team.runTrial || team.afterTrial || team.afterSession)) {
    fail(`orchestration part "${spec.orchestration}" has hooks besides its orchestration (runTrial, afterTrial or afterSession)`);
  }

  const loopPrefix = loop?.afterSession && spec.loop ? `${spec.loop}/` : undefined;
  const memoryContext = (context: ArmContext): ArmContext => ({ ...context, options: spec.memory_options });
  const loopContext = (context: ArmContext): ArmContext => ({ ...context, options: spec.loop_options, seedKey: `${context.seedKey}:loop` });
  const artifactsFolder = factoryOf(spec.memory).artifactsFolder ?? (spec.loop ? factoryOf(spec.loop).artifactsFolder : undefined);

  const arm: Arm = {
    name: ARM,
    ...(artifactsFolder ? { artifactsFolder } : {}),
    ...(team?.orchestration ? { orchestration: team.orchestration } : {}),
    contextFor(task, files) {
      const { own, loop: loopFiles } = split(files, loopPrefix);
      return [memory.contextFor(task, own), loop ? loop.contextFor(task, loopFiles) : ''].filter((t) => t.trim()).join('\n\n');
    },
    ...(memory.memoryStats ? { memoryStats: (task, files) => memory.memoryStats!(task, split(files, loopPrefix).own) } : {}),
  };

  if (!loop) {
    // No loop: the memory part's hooks as they are (its notes stay plain).
    if (memory.afterTrial) arm.afterTrial = (input, context) => memory.afterTrial!(input, memoryContext(context));
    if (memory.afterSession) arm.afterSession = (input, context) => memory.afterSession!(input, memoryContext(context));
    return arm;
  }

  arm.runTrial = async (driver, context) => {
    const result = await loop.runTrial!(driver, loopContext(context));
    return { ...result, notes: encodeNotes({ ...(result.notes !== undefined ? { loop: result.notes } : {}) }) };
  };

  arm.afterTrial = async ({ task, record, transcript }, context): Promise<AfterTrialResult> => {
    const envelope = decodeNotes(record.notes);
    const m = memory.afterTrial
      ? await memory.afterTrial({ task, record: withNotes(record, undefined), transcript }, memoryContext(context))
      : {};
    const l = loop.afterTrial
      ? await loop.afterTrial({ task, record: withNotes(record, envelope.loop), transcript }, loopContext(context))
      : {};
    const loopNotes = l.notes ?? envelope.loop;
    const usage = addUsage(m.usage, l.usage);
    return {
      notes: encodeNotes({
        ...(m.notes !== undefined ? { memory: m.notes } : {}),
        ...(loopNotes !== undefined ? { loop: loopNotes } : {}),
      }),
      ...(usage ? { usage } : {}),
    };
  };

  if (memory.afterSession || loop.afterSession) {
    arm.afterSession = async ({ memory: files, trials, transcript }, context): Promise<AfterSessionResult> => {
      const { own, loop: loopFiles } = split(files, loopPrefix);
      const envelopes = trials.map((t) => decodeNotes(t.notes));
      let ownNext = own;
      let usage: ArmUsage | undefined;
      let details: Record<string, unknown> | undefined;
      if (memory.afterSession) {
        const m = await memory.afterSession(
          { memory: own, trials: trials.map((t, i) => withNotes(t, envelopes[i]!.memory)), transcript },
          memoryContext(context),
        );
        // Waiting for a person (human review): nothing changes until the review is done.
        if (m.pending) return { memory: files, pending: m.pending, ...(m.details ? { details: m.details } : {}) };
        ownNext = m.memory;
        usage = m.usage;
        details = m.details;
      }
      let loopNext = loopFiles;
      if (loop.afterSession) {
        const l = await loop.afterSession(
          { memory: loopFiles, trials: trials.map((t, i) => withNotes(t, envelopes[i]!.loop)), transcript },
          loopContext(context),
        );
        loopNext = l.memory;
        usage = addUsage(usage, l.usage);
        if (l.details) details = { ...details, loop: l.details };
      }
      const next: MemoryFiles = { ...ownNext };
      if (loopPrefix) for (const [path, text] of Object.entries(loopNext)) next[`${loopPrefix}${path}`] = text;
      return { memory: next, ...(usage ? { usage } : {}), ...(details ? { details } : {}) };
    };
  }
  return arm;
}

const compose: ArmFactory = {
  name: ARM,
  description:
    'Compose a memory strategy x an in-task loop x an orchestration from other arms (e.g. dreaming+outcomes, skills+multi-agent).',
  options,
  parts(options) {
    const spec = parseComposeOptions(options);
    return [spec.memory, spec.loop, spec.orchestration].filter((p): p is string => p !== undefined);
  },
  // Memory carries when any part carries it (the memory part, or a loop that keeps its own, such as reflexion with persist).
  carriesMemory(options, parts = {}) {
    const spec = parseComposeOptions(options);
    const carries = (name: string | undefined, opts: Record<string, unknown>): boolean => {
      if (name === undefined) return false;
      const f = parts[name];
      return f?.carriesMemory ? f.carriesMemory(opts) : true;
    };
    return (
      carries(spec.memory, spec.memory_options) ||
      carries(spec.loop, spec.loop_options) ||
      carries(spec.orchestration, spec.orchestration_options)
    );
  },
  create(options, parts = {}) {
    return build(parseComposeOptions(options), parts);
  },
};

export default compose;
