// Suites and arms from outside the package: a path (a folder or a module file, relative to the
// experiment file) or an installed npm package name. The module's default export is the Suite or the
// ArmFactory, exactly as for the folders under tasks/ and baselines/.
//
// Why JavaScript only: Node 20 cannot import TypeScript without a loader hook, and shipping one (tsx)
// would put a build tool inside every run. A suite written in TypeScript is compiled first (tsc), or
// loaded as .ts on a Node that strips types itself (22.6+ with --experimental-strip-types, 23.6+).

import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Whether a suite or arm reference is a path (rather than a built-in name or an npm package). */
export function isPathRef(ref: string): boolean {
  return ref.startsWith('./') || ref.startsWith('../') || ref === '.' || ref === '..' || isAbsolute(ref);
}

/** Whether a reference names something outside the package: a path, or a name that is not built in. */
export function isExternalRef(ref: string, builtIn: readonly string[]): boolean {
  return isPathRef(ref) || !builtIn.includes(ref);
}

/** A path reference made absolute against `baseDir`; other references as they are. */
export function absoluteRef(ref: string, baseDir: string): string {
  return isPathRef(ref) ? resolve(baseDir, ref) : ref;
}

/** Bad reference or module (bad input). */
export class ExternalModuleError extends Error {
  override name = 'ExternalModuleError';
}

const TS_HINT =
  'Node 20 imports JavaScript only: compile it (tsc) and point at the .js, or ship it as .js with JSDoc types (see docs/external-suites-and-arms.md)';

function canStripTypes(): boolean {
  return Boolean((process.features as { typescript?: unknown }).typescript);
}

/** The entry file of a folder: its package.json (exports "." or main), else index.js / index.mjs. */
function folderEntry(dir: string): string {
  const manifest = join(dir, 'package.json');
  if (existsSync(manifest)) {
    const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { exports?: unknown; main?: unknown };
    const target = exportTarget(pkg.exports) ?? (typeof pkg.main === 'string' ? pkg.main : undefined);
    if (target) return resolve(dir, target);
  }
  for (const name of ['index.js', 'index.mjs']) if (existsSync(join(dir, name))) return join(dir, name);
  if (existsSync(join(dir, 'index.ts')) && canStripTypes()) return join(dir, 'index.ts');
  if (existsSync(join(dir, 'index.ts'))) throw new ExternalModuleError(`${dir} holds index.ts but no index.js. ${TS_HINT}`);
  throw new ExternalModuleError(`${dir}: expected an index.js (or a package.json with "exports" or "main")`);
}

/** The import target of a package.json "exports" field for ".". */
function exportTarget(exports: unknown): string | undefined {
  if (typeof exports === 'string') return exports;
  if (!exports || typeof exports !== 'object') return undefined;
  const record = exports as Record<string, unknown>;
  const dot = '.' in record ? record['.'] : record;
  if (typeof dot === 'string') return dot;
  if (dot && typeof dot === 'object') {
    for (const condition of ['import', 'node', 'default']) {
      const value = (dot as Record<string, unknown>)[condition];
      if (typeof value === 'string') return value;
      const nested = exportTarget(value);
      if (nested) return nested;
    }
  }
  return undefined;
}

/** Where an npm package named `name` is installed, looking up from `fromDir` (as Node resolves node_modules). */
function packageDir(name: string, fromDir: string): string | undefined {
  let dir = resolve(fromDir);
  for (;;) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Whether an npm package of this name is installed where the experiment (or the working directory) can see it. */
export function isInstalledPackage(name: string, baseDir: string): boolean {
  return packageDir(name, baseDir) !== undefined || packageDir(name, process.cwd()) !== undefined;
}

/** The file a reference loads: a module file, a folder's entry, or an installed package's entry. */
export function resolveModuleFile(ref: string, baseDir: string): string {
  if (isPathRef(ref)) {
    const path = resolve(baseDir, ref);
    if (!existsSync(path)) throw new ExternalModuleError(`${path}: no such file or folder`);
    if (statSync(path).isDirectory()) return folderEntry(path);
    if (/\.[cm]?ts$/.test(path) && !canStripTypes()) throw new ExternalModuleError(`${path}: ${TS_HINT}`);
    return path;
  }
  if (!/^(@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*$/i.test(ref))
    throw new ExternalModuleError(`"${ref}": expected a path (./my-suite) or an npm package name`);
  const dir = packageDir(ref, baseDir) ?? packageDir(ref, process.cwd());
  if (!dir)
    throw new ExternalModuleError(
      `"${ref}" is neither built in nor an installed npm package (looked in node_modules from ${baseDir} up); install it or give a path like ./${ref}`,
    );
  return folderEntry(dir);
}

/** Import a reference and return its default export; `what` names it in errors (e.g. "suite"). */
export async function importDefault<T>(ref: string, baseDir: string, what: string): Promise<{ value: T; file: string }> {
  const file = resolveModuleFile(ref, baseDir);
  let module: { default?: T };
  try {
    module = (await import(pathToFileURL(file).href)) as { default?: T };
  } catch (error) {
    throw new ExternalModuleError(`${file}: cannot load the ${what} module (${(error as Error).message})`);
  }
  if (!module.default) throw new ExternalModuleError(`${file}: expected a default export (the ${what})`);
  return { value: module.default, file };
}
