import type { Arm, ArmFactory } from '../core/arm.js';
import { discoverFolders } from './discover.js';

export function armNames(): string[] {
  return discoverFolders<ArmFactory>('baselines').map((f) => f.folder);
}

export async function loadArmFactory(name: string): Promise<ArmFactory> {
  const folder = discoverFolders<ArmFactory>('baselines').find((f) => f.folder === name);
  if (!folder) throw new Error(`unknown arm "${name}"; expected one of ${armNames().join(', ')}`);
  const factory = await folder.load();
  if (factory.name !== name) {
    throw new Error(`baselines/${name}: the arm calls itself "${factory.name}"; an arm's name must match its folder`);
  }
  return factory;
}

/** Build an arm: load the factories of the parts it names (ArmFactory.parts), then create it. */
export async function createArm(factory: ArmFactory, options: Record<string, unknown>): Promise<Arm> {
  const parts: Record<string, ArmFactory> = {};
  for (const name of factory.parts?.(options) ?? []) parts[name] ??= await loadArmFactory(name);
  return factory.create(options, parts);
}
