// The model settings a managed arm asked for (the agent's model id, effort, speed, inference_geo)
// against those the service resolved, as each session's agent snapshot returns them. Recorded in
// manifest.json (`runtime_settings`) through AgentRuntime.settings(), so a reader can check that the
// managed and open arms ran the same settings; a difference is a warning, not an error: the session ran.

import type { RuntimeSettings } from '../core/arm.js';
import type { CreatedAgent } from './definitions.js';
import type { ManagedConfig } from './options.js';

export type ResolvedModel = CreatedAgent['model'];

/** The resolved settings of a session's agent snapshot (`session.agent.model`), in the shape recorded everywhere. */
export function resolvedModel(model: {
  id: string;
  effort?: { type: string } | null;
  speed?: string | null;
  inference_geo?: string | null;
}): ResolvedModel {
  return {
    id: model.id,
    ...(model.effort ? { effort: model.effort.type } : {}),
    ...(model.speed ? { speed: model.speed } : {}),
    ...(model.inference_geo ? { inference_geo: model.inference_geo } : {}),
  };
}

/** Where the resolved settings differ from the requested ones (a setting left unset is the service's default: never a difference). */
export function settingsDifferences(requested: { model: string } & ManagedConfig['model_settings'], resolved: ResolvedModel): string[] {
  const out: string[] = [];
  // The service may answer an alias with a dated id of the same model: that is the same model.
  const datedAlias = resolved.id.startsWith(requested.model) && /^-\d{8}$/.test(resolved.id.slice(requested.model.length));
  if (resolved.id !== requested.model && !datedAlias)
    out.push(`the service ran model ${resolved.id}, not the requested ${requested.model}`);
  for (const key of ['effort', 'speed', 'inference_geo'] as const) {
    const asked = requested[key];
    if (asked !== undefined && resolved[key] !== asked)
      out.push(`the service resolved ${key} to ${resolved[key] ?? '(none)'}, not the requested ${asked}`);
  }
  return out;
}

/** Collects what the arm's sessions ran with: the first resolution per model, and any change after it. */
export class ModelSettingsLog {
  private readonly resolved = new Map<string, ResolvedModel>();
  private readonly warnings: string[] = [];

  constructor(private readonly config: Pick<ManagedConfig, 'model_settings'>) {}

  /** Notes one session's resolved settings for the requested model. */
  note(requestedModel: string, resolved: ResolvedModel): void {
    const first = this.resolved.get(requestedModel);
    if (!first) {
      this.resolved.set(requestedModel, resolved);
      for (const w of settingsDifferences({ model: requestedModel, ...this.config.model_settings }, resolved)) this.warn(w);
      return;
    }
    if (JSON.stringify(first) !== JSON.stringify(resolved))
      this.warn(
        `the service's settings for ${requestedModel} changed during the run: ${JSON.stringify(first)} then ${JSON.stringify(resolved)}`,
      );
  }

  settings(): RuntimeSettings | undefined {
    if (this.resolved.size === 0) return undefined;
    const entries = [...this.resolved.entries()];
    const one = entries.length === 1 ? entries[0] : undefined;
    return {
      runtime: 'managed',
      requested: one
        ? { model: one[0], ...this.config.model_settings }
        : { models: entries.map(([m]) => m), ...this.config.model_settings },
      resolved: one ? { ...one[1] } : Object.fromEntries(entries),
      warnings: [...this.warnings],
    };
  }

  private warn(text: string): void {
    if (!this.warnings.includes(text)) this.warnings.push(text);
  }
}
