import type { KnownNames } from '../config/load.js';
import { loadAllSuites } from '../registry/suites.js';
import { armNames } from '../registry/arms.js';

export async function knownNames(): Promise<KnownNames> {
  const suites = await loadAllSuites();
  return {
    suites: [...suites.keys()],
    arms: armNames(),
    suiteDetails: new Map(
      [...suites.values()].map((s) => [
        s.name,
        { families: s.families.map((f) => f.id), pitfalls: new Map(s.pitfalls.map((p) => [p.id, { drift: Boolean(p.drift) }])) },
      ]),
    ),
  };
}
