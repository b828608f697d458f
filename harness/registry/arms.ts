import type { ArmFactory } from '../core/arm.js';
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
