import type { KnownNames } from '../config/load.js';
import { resolveArms, type ArmEntry } from '../config/schema.js';
import { loadSuite, suiteNames } from '../registry/suites.js';
import { armNames, loadArmFactory } from '../registry/arms.js';
import type { Suite } from '../core/suite.js';

/**
 * Names an experiment file may use. Only the suites the experiment asks for are loaded when it says
 * which (their data can take a while to read); the others are known by their folder name. Suites and
 * arms from outside the package (paths, npm packages) are loaded to learn their names and option
 * schemas; one that fails to load is reported against the field that names it.
 */
export async function knownNames(
  requested?: readonly string[],
  requestedArms: readonly string[] = [],
  baseDir: string = process.cwd(),
): Promise<KnownNames> {
  const names = suiteNames();
  const builtInArms = armNames();
  const loadErrors = new Map<string, string>();
  const suites = new Map<string, Suite>();
  // Without a list, every suite is loaded (tools that validate any experiment file).
  for (const ref of requested ?? names) {
    try {
      suites.set(ref, await loadSuite(ref, baseDir));
    } catch (error) {
      loadErrors.set(ref, (error as Error).message);
    }
  }
  const armOptions = new Map<string, NonNullable<Awaited<ReturnType<typeof loadArmFactory>>['options']>>();
  const arms = [...builtInArms];
  for (const ref of new Set(requestedArms)) {
    try {
      const factory = await loadArmFactory(ref, baseDir);
      if (factory.options) armOptions.set(ref, factory.options);
      if (!arms.includes(ref)) arms.push(ref);
    } catch (error) {
      if (!builtInArms.includes(ref)) loadErrors.set(ref, (error as Error).message);
    }
  }
  return {
    suites: [...new Set([...names, ...suites.keys()])],
    arms,
    armOptions,
    loadErrors,
    suiteRefs: new Map(
      [...suites].map(([ref, s]) => [
        ref,
        { name: s.name, configurable: Boolean(s.configure), ...(s.options ? { options: s.options } : {}) },
      ]),
    ),
    suiteDetails: new Map(
      [...suites].map(([ref, s]) => [
        ref,
        {
          families: s.families.map((f) => f.id),
          pitfalls: new Map(s.pitfalls.map((p) => [p.id, { drift: Boolean(p.drift) }])),
          tasks: new Map(s.tasks.map((t) => [t.id, t.family])),
        },
      ]),
    ),
  };
}

/** The suites an experiment file (after flags) asks for, when it says so in the expected shape. */
export function requestedSuites(raw: unknown, override?: string[]): string[] {
  if (override) return override;
  const suites = (raw as { suites?: unknown } | null)?.suites;
  return Array.isArray(suites) ? suites.filter((s): s is string => typeof s === 'string') : [];
}

/** The arm references an experiment file (after flags) names, when it says so in the expected shape. */
export function requestedArms(raw: unknown, override?: string[]): string[] {
  const arms = override ?? (raw as { arms?: unknown } | null)?.arms;
  if (!Array.isArray(arms)) return [];
  const entries = arms.filter(
    (a): a is ArmEntry => typeof a === 'string' || (Boolean(a) && typeof (a as { arm?: unknown }).arm === 'string'),
  );
  return resolveArms(entries.map((a) => (typeof a === 'string' ? a : { arm: a.arm, options: {} }))).map((a) => a.arm);
}

/** The folder relative paths of an experiment resolve against (set by readExperimentFile). */
export function baseDirOf(raw: unknown): string {
  const dir = (raw as { base_dir?: unknown } | null)?.base_dir;
  return typeof dir === 'string' ? dir : process.cwd();
}
