// Suites by reference: a folder name under tasks/, or (harness/registry/external.ts) a path or an
// npm package outside the package. Options a suite declares as a zod schema are validated here, so
// every suite gets the same checks and messages.

import type { Suite } from '../core/suite.js';
import { OptionsError, parseOptions } from '../core/options.js';
import { discoverFolders } from './discover.js';
import { ExternalModuleError, importDefault, isExternalRef, isInstalledPackage, isPathRef } from './external.js';

// Suites are imported on demand: a run loads only the suites it uses (their data can be large).
const loaded = new Map<string, Suite>();

export function suiteNames(): string[] {
  return discoverFolders<Suite>('tasks').map((f) => f.folder);
}

const SUITE_NAME = /^[a-z0-9][a-z0-9._-]*$/;

/** One suite by reference (a built-in name, a path made absolute, or a package name); `baseDir` resolves packages. */
export async function loadSuite(ref: string, baseDir: string = process.cwd()): Promise<Suite> {
  const key = `${ref}\0${baseDir}`;
  const cached = loaded.get(key);
  if (cached) return cached;
  const folders = discoverFolders<Suite>('tasks');
  let suite: Suite;
  const builtIn = folders.map((f) => f.folder);
  if (isExternalRef(ref, builtIn)) {
    if (!isPathRef(ref) && !isInstalledPackage(ref, baseDir)) {
      throw new SuiteOptionsError(
        `unknown suite "${ref}"; expected one of ${builtIn.join(', ')}, a path (./my-suite, relative to the experiment file) or an installed npm package`,
      );
    }
    try {
      suite = (await importDefault<Suite>(ref, baseDir, 'suite')).value;
    } catch (error) {
      throw new SuiteOptionsError(`suite "${ref}": ${(error as Error).message}`);
    }
    if (typeof suite.name !== 'string' || !SUITE_NAME.test(suite.name))
      throw new SuiteOptionsError(
        `suite "${ref}": expected a name of lowercase letters, digits, ".", "_" or "-", got ${JSON.stringify(suite.name)}`,
      );
    if (folders.some((f) => f.folder === suite.name))
      throw new SuiteOptionsError(`suite "${ref}" calls itself "${suite.name}", the name of a built-in suite; give it another name`);
    if (!Array.isArray(suite.tasks) || typeof suite.createEnvironment !== 'function')
      throw new SuiteOptionsError(`suite "${ref}": expected a Suite (name, tasks, createEnvironment, ...)`);
  } else {
    const folder = folders.find((f) => f.folder === ref)!;
    suite = await folder.load();
    if (suite.name !== folder.folder) {
      throw new Error(`tasks/${folder.folder}: the suite calls itself "${suite.name}"; a suite's name must match its folder`);
    }
  }
  loaded.set(key, suite);
  return suite;
}

/** Every suite under tasks/, keyed by name. */
export async function loadAllSuites(): Promise<Map<string, Suite>> {
  const suites = new Map<string, Suite>();
  for (const name of suiteNames()) suites.set(name, await loadSuite(name));
  return suites;
}

/**
 * The named suites, keyed by their names (an external suite's name is its own, not its path). With
 * `options` (an experiment's suite_options by suite name; `{}` for none) every suite that takes
 * options is configured with its entry, validated by its schema, and a SuiteOptionsError names the
 * suite and the option when that fails. Without, suites come as discovered (enough to read their pitfall tables).
 */
export async function loadSuites(
  refs: readonly string[],
  options?: Readonly<Record<string, Record<string, unknown>>>,
  baseDir: string = process.cwd(),
): Promise<Map<string, Suite>> {
  const picked = new Map<string, Suite>();
  const byRef = new Map<string, Suite>();
  for (const ref of refs) {
    let suite = await loadSuite(ref, baseDir);
    byRef.set(ref, suite);
    const name = suite.name;
    if (options && suite.configure) {
      try {
        suite = suite.configure(parseOptions(suite.options, options[name] ?? options[ref] ?? {}), { baseDir });
      } catch (error) {
        const field = error instanceof OptionsError && error.field ? `.${error.field}` : '';
        const message = error instanceof OptionsError ? error.expected : (error as Error).message;
        throw new SuiteOptionsError(`suite_options.${name}${field}: ${message}`);
      }
    }
    if (picked.has(name)) throw new SuiteOptionsError(`suites: two entries are the suite "${name}"`);
    picked.set(name, suite);
  }
  for (const key of Object.keys(options ?? {})) {
    const original = byRef.get(key) ?? [...byRef.values()].find((s) => s.name === key);
    if (!original)
      throw new SuiteOptionsError(`suite_options.${key}: "${key}" is not among this run's suites (${[...picked.keys()].join(', ')})`);
    if (!original.configure) throw new SuiteOptionsError(`suite_options.${key}: suite "${key}" takes no options`);
  }
  return picked;
}

/** An experiment's suites, configured with its options, relative paths resolving against its folder. */
export function loadExperimentSuites(experiment: {
  suites: readonly string[];
  suite_options?: Readonly<Record<string, Record<string, unknown>>> | undefined;
  base_dir?: string | undefined;
}): Promise<Map<string, Suite>> {
  return loadSuites(experiment.suites, experiment.suite_options ?? {}, experiment.base_dir ?? process.cwd());
}

/** Bad suite_options or a suite that cannot be loaded (bad input: nothing is written). */
export class SuiteOptionsError extends Error {
  override name = 'SuiteOptionsError';
}

export { ExternalModuleError };
