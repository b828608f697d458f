// Arms by reference: a folder name under baselines/, or (harness/registry/external.ts) a path or an
// npm package outside the package. Options an arm declares as a zod schema are validated here.

import type { Arm, ArmFactory } from '../core/arm.js';
import { parseOptions } from '../core/options.js';
import { discoverFolders } from './discover.js';
import { importDefault, isExternalRef, isInstalledPackage, isPathRef } from './external.js';

export function armNames(): string[] {
  return discoverFolders<ArmFactory>('baselines').map((f) => f.folder);
}

/** An arm factory by reference (a built-in name, an absolute path, or a package name resolved from `baseDir`). */
export async function loadArmFactory(ref: string, baseDir: string = process.cwd()): Promise<ArmFactory> {
  const folders = discoverFolders<ArmFactory>('baselines');
  const builtIn = folders.map((f) => f.folder);
  if (isExternalRef(ref, builtIn)) {
    if (!isPathRef(ref) && !isInstalledPackage(ref, baseDir)) {
      throw new Error(
        `unknown arm "${ref}"; expected one of ${builtIn.join(', ')}, a path (./my-arm, relative to the experiment file) or an installed npm package`,
      );
    }
    const factory = (await importDefault<ArmFactory>(ref, baseDir, 'arm')).value;
    if (typeof factory.name !== 'string' || typeof factory.create !== 'function')
      throw new Error(`arm "${ref}": expected an ArmFactory (name, description, create)`);
    return factory;
  }
  const folder = folders.find((f) => f.folder === ref)!;
  const factory = await folder.load();
  if (factory.name !== ref) {
    throw new Error(`baselines/${ref}: the arm calls itself "${factory.name}"; an arm's name must match its folder`);
  }
  return factory;
}

/**
 * Build an arm: validate its options with its schema (ArmFactory.options), load the factories of the
 * parts it names (ArmFactory.parts), then create it. A bad option throws an OptionsError naming it.
 */
export async function createArm(factory: ArmFactory, options: Record<string, unknown>, baseDir: string = process.cwd()): Promise<Arm> {
  const parsed = parseOptions(factory.options, options);
  const parts: Record<string, ArmFactory> = {};
  for (const name of factory.parts?.(parsed) ?? []) parts[name] ??= withParsedOptions(await loadArmFactory(name, baseDir));
  return factory.create(parsed, parts);
}

/** A part's factory whose `create` validates its options with the part's own schema first (e.g. compose's memory options). */
function withParsedOptions(factory: ArmFactory): ArmFactory {
  if (!factory.options) return factory;
  const schema = factory.options;
  return { ...factory, create: (options, parts) => factory.create(parseOptions(schema, options), parts) };
}
