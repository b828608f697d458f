import type { KnownNames } from '../config/load.js';
import { loadSuites, suiteNames } from '../registry/suites.js';
import { armNames } from '../registry/arms.js';

/**
 * Names an experiment file may use. Only the suites the experiment asks for are loaded when it says
 * which (their data can take a while to read); the others are known by their folder name.
 */
export async function knownNames(requested?: readonly string[]): Promise<KnownNames> {
  const names = suiteNames();
  // Without a list, every suite is loaded (tools that validate any experiment file).
  const suites = await loadSuites((requested ?? names).filter((name) => names.includes(name)));
  return {
    suites: names,
    arms: armNames(),
    suiteDetails: new Map(
      [...suites.values()].map((s) => [
        s.name,
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
