// The public surface of dreambench for people who write suites and arms outside the package:
// `import type { Suite, ArmFactory } from 'dreambench'`, plus a few helpers. Everything else is
// internal and may change between versions. See docs/external-suites-and-arms.md.

import { z, type ZodType } from 'zod';
import type { Arm, ArmFactory } from './core/arm.js';
import type { Suite } from './core/suite.js';

export type {
  CheckResult,
  ConfigureContext,
  DriftEvent,
  Environment,
  EnvironmentContext,
  Family,
  LeakMarkerSpec,
  Pitfall,
  Suite,
  Task,
  TaskCheck,
  ToolOutcome,
  ValidationIssue,
} from './core/suite.js';
export type {
  AfterSessionInput,
  AfterSessionResult,
  AfterTrialInput,
  AfterTrialResult,
  Arm,
  ArmContext,
  ArmFactory,
  ArmUsage,
  ArtifactStore,
  AttemptOutcome,
  GraderVerdict,
  MemoryFiles,
  TrialDriver,
  TrialLoopResult,
} from './core/arm.js';
export type { CallContext, ContentBlock, Message, ModelClient, ModelRequest, ModelResponse, ToolSpec, Usage } from './core/messages.js';
export type { TrialRecord } from './core/records.js';
export type { Transcript } from './agent/transcript.js';
export type { Choice, SimPolicy, SimView } from './models/sim/policy.js';
export type { SandboxRequest, SandboxResult } from './sandbox/sandbox.js';

export { currentFix, pitfallApplies } from './core/suite.js';
export { textOf } from './core/messages.js';
export { formatDirective, parseDirectives } from './core/directives.js';
export { trialDigest } from './agent/digest.js';
export { findInterpreter, runSandboxed } from './sandbox/sandbox.js';

/** zod, as dreambench uses it: declare options with it so that the engine can validate them and publish their JSON Schema. */
export { z };

/** A suite, checked by the compiler; `options` (a zod schema) types what `configure` receives. */
export function defineSuite<S extends ZodType = ZodType>(
  suite: Omit<Suite, 'options' | 'configure'> & { options?: S; configure?(options: z.output<S>, context?: { baseDir: string }): Suite },
): Suite {
  const { configure, options, ...rest } = suite;
  return {
    ...rest,
    ...(options ? { options } : {}),
    // The engine has parsed the options with the schema already; parsing again types them for `configure`.
    ...(configure
      ? {
          configure: (raw: Record<string, unknown>, context?: { baseDir: string }) =>
            configure(options ? options.parse(raw) : (raw as z.output<S>), context),
        }
      : {}),
  };
}

/** An arm factory, checked by the compiler; `options` (a zod schema) types what `create` receives. */
export function defineArm<S extends ZodType>(
  factory: Omit<ArmFactory, 'options' | 'create' | 'parts'> & {
    options: S;
    parts?(options: z.output<S>): string[];
    create(options: z.output<S>, parts?: Readonly<Record<string, ArmFactory>>): Arm;
  },
): ArmFactory {
  const { options, create, parts, ...rest } = factory;
  return {
    ...rest,
    options,
    ...(parts ? { parts: (raw: Record<string, unknown>) => parts(options.parse(raw)) } : {}),
    create: (raw, given) => create(options.parse(raw), given),
  };
}
