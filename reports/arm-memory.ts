// Which arms of a run carry learnt state from trial to trial: what the arm itself declares
// (ArmFactory.carriesMemory), read when the report loads the run. An arm the report cannot load (a
// plugin not installed here) is judged by its memory snapshots: any entry written counts as memory.
// The report's intervals add the memory's luck only for these arms (docs/statistics.md).

import type { ArmFactory } from '../harness/core/arm.js';
import { resolveArms } from '../harness/config/schema.js';
import { loadArmFactory } from '../harness/registry/arms.js';
import type { Manifest } from '../harness/storage/manifest.js';

/** Arm name -> declared by the arm (true/false), or undefined when the arm could not be loaded here. */
export async function declaredArmMemory(manifest: Manifest): Promise<Record<string, boolean | undefined>> {
  return declaredArmMemoryOf(manifest.experiment.arms);
}

/** The same, from an experiment's `arms` list (`dreambench plan` asks before any run exists). */
export async function declaredArmMemoryOf(armList: Manifest['experiment']['arms']): Promise<Record<string, boolean | undefined>> {
  const out: Record<string, boolean | undefined> = {};
  let arms: ReturnType<typeof resolveArms> = [];
  try {
    arms = resolveArms(armList);
  } catch {
    return out;
  }
  for (const spec of arms) {
    try {
      const factory = await loadArmFactory(spec.arm);
      const parts: Record<string, ArmFactory> = {};
      for (const name of factory.parts?.(spec.options) ?? []) parts[name] ??= await loadArmFactory(name);
      out[spec.name] = factory.carriesMemory ? factory.carriesMemory(spec.options, parts) : true;
    } catch {
      out[spec.name] = undefined;
    }
  }
  return out;
}

/**
 * Whether `arm` carries memory: its declaration when known, else whether any of its snapshots holds
 * an entry. `snapshots` are the run's memory snapshots (arm and entries).
 */
export function carriesMemory(
  arm: string,
  declared: Readonly<Record<string, boolean | undefined>> | undefined,
  snapshots: ReadonlyArray<{ arm: string; entries: number }>,
): boolean {
  const said = declared?.[arm];
  if (said !== undefined) return said;
  return snapshots.some((s) => s.arm === arm && s.entries > 0);
}
