import type { Suite } from '../core/suite.js';
import { discoverFolders } from './discover.js';

let cache: Map<string, Suite> | undefined;

export function suiteNames(): string[] {
  return discoverFolders<Suite>('tasks').map((f) => f.folder);
}

/** Every suite under tasks/, keyed by name. */
export async function loadAllSuites(): Promise<Map<string, Suite>> {
  if (cache) return cache;
  const suites = new Map<string, Suite>();
  for (const folder of discoverFolders<Suite>('tasks')) {
    const suite = await folder.load();
    if (suite.name !== folder.folder) {
      throw new Error(`tasks/${folder.folder}: the suite calls itself "${suite.name}"; a suite's name must match its folder`);
    }
    suites.set(suite.name, suite);
  }
  return (cache = suites);
}

export async function loadSuites(names: readonly string[]): Promise<Map<string, Suite>> {
  const all = await loadAllSuites();
  const picked = new Map<string, Suite>();
  for (const name of names) {
    const suite = all.get(name);
    if (!suite) throw new Error(`unknown suite "${name}"; expected one of ${[...all.keys()].join(', ')}`);
    picked.set(name, suite);
  }
  return picked;
}
