// Records in the manifest the model settings of arms that run on their own runtime (e.g. the
// managed-* arms, whose agent's settings the provider resolves): what was asked for, what ran, and
// warnings where they differ, or where they differ from the effort the open arms run the same model
// with (`model_options`), so a reader can check that every arm ran the same model settings.

import { modelOptionsFor } from '../models/anthropic/model-facts.js';
import type { LoadedArm } from './executor.js';
import type { Manifest } from '../storage/manifest.js';

/** Adds each runtime's settings to the manifest (keeping what an earlier process of the run recorded) and returns new warnings. */
export function recordRuntimeSettings(manifest: Manifest, arms: readonly Pick<LoadedArm, 'spec' | 'arm'>[]): string[] {
  const warnings: string[] = [];
  for (const { spec, arm } of arms) {
    const settings = arm.runtime?.settings?.();
    if (!settings) continue;
    const before = manifest.runtime_settings?.[spec.name];
    const all = [...settings.warnings, ...openArmDifferences(manifest, settings.requested, settings.resolved)];
    const fresh = all.filter((w) => !before?.warnings.includes(w));
    warnings.push(...fresh.map((w) => `arm ${spec.name}: ${w}`));
    manifest.runtime_settings = {
      ...manifest.runtime_settings,
      [spec.name]: { ...settings, warnings: [...(before?.warnings ?? []), ...fresh] },
    };
  }
  return warnings;
}

/** The effort the runtime resolved against the one the open arms send for the same model (the run's agent model). */
function openArmDifferences(manifest: Manifest, requested: Record<string, unknown>, resolved: Record<string, unknown>): string[] {
  const model = typeof requested.model === 'string' ? requested.model : undefined;
  const agentModel = manifest.experiment.model;
  if (!model || agentModel !== `anthropic:${model}`) return [];
  const open = modelOptionsFor(agentModel, manifest.experiment.model_options)?.effort;
  const ran = typeof resolved.effort === 'string' ? resolved.effort : undefined;
  if (open === undefined || ran === undefined || open === ran) return [];
  return [
    `its agent ran effort ${ran}, the open arms send effort ${open} for ${agentModel} (model_options): set the arm option effort: ${open}`,
  ];
}
