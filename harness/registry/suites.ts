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

/**
 * The named suites. With `options` (an experiment's suite_options; `{}` for none) every suite that
 * takes options is configured with its entry, and a SuiteOptionsError names the suite when that
 * fails. Without, suites come as discovered (enough to read their pitfall tables).
 */
export async function loadSuites(names: readonly string[], options?: Readonly<Record<string, Record<string, unknown>>>): Promise<Map<string, Suite>> {
  const all = await loadAllSuites();
  const picked = new Map<string, Suite>();
  for (const name of names) {
    let suite = all.get(name);
    if (!suite) throw new Error(`unknown suite "${name}"; expected one of ${[...all.keys()].join(', ')}`);
    if (options && suite.configure) {
      try {
        suite = suite.configure(options[name] ?? {});
      } catch (error) {
        throw new SuiteOptionsError(`suite_options.${name}: ${(error as Error).message}`);
      }
    }
    picked.set(name, suite);
  }
  for (const name of Object.keys(options ?? {})) {
    if (!names.includes(name)) throw new SuiteOptionsError(`suite_options.${name}: "${name}" is not among this run's suites (${names.join(', ')})`);
    if (!all.get(name)!.configure) throw new SuiteOptionsError(`suite_options.${name}: suite "${name}" takes no options`);
  }
  return picked;
}

/** Bad suite_options (bad input: nothing is written). */
export class SuiteOptionsError extends Error {
  override name = 'SuiteOptionsError';
}
