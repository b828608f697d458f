import type { Suite } from '../core/suite.js';
import { discoverFolders } from './discover.js';

// Suites are imported on demand: a run loads only the suites it uses (their data can be large).
const loaded = new Map<string, Suite>();

export function suiteNames(): string[] {
  return discoverFolders<Suite>('tasks').map((f) => f.folder);
}

async function loadSuite(name: string): Promise<Suite> {
  const cached = loaded.get(name);
  if (cached) return cached;
  const folders = discoverFolders<Suite>('tasks');
  const folder = folders.find((f) => f.folder === name);
  if (!folder) throw new Error(`unknown suite "${name}"; expected one of ${folders.map((f) => f.folder).join(', ')}`);
  const suite = await folder.load();
  if (suite.name !== folder.folder) {
    throw new Error(`tasks/${folder.folder}: the suite calls itself "${suite.name}"; a suite's name must match its folder`);
  }
  loaded.set(name, suite);
  return suite;
}

/** Every suite under tasks/, keyed by name. */
export async function loadAllSuites(): Promise<Map<string, Suite>> {
  const suites = new Map<string, Suite>();
  for (const name of suiteNames()) suites.set(name, await loadSuite(name));
  return suites;
}

/**
 * The named suites. With `options` (an experiment's suite_options; `{}` for none) every suite that
 * takes options is configured with its entry, and a SuiteOptionsError names the suite when that
 * fails. Without, suites come as discovered (enough to read their pitfall tables).
 */
export async function loadSuites(names: readonly string[], options?: Readonly<Record<string, Record<string, unknown>>>): Promise<Map<string, Suite>> {
  const picked = new Map<string, Suite>();
  for (const name of names) {
    let suite = await loadSuite(name);
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
    if (!(await loadSuite(name)).configure) throw new SuiteOptionsError(`suite_options.${name}: suite "${name}" takes no options`);
  }
  return picked;
}

/** Bad suite_options (bad input: nothing is written). */
export class SuiteOptionsError extends Error {
  override name = 'SuiteOptionsError';
}
