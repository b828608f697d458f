// Model facts as data (model-facts.json beside this file): thinking mode, efforts, whether thinking
// may be turned off, whether a forced tool_choice is accepted, minimum cacheable prompt length and
// lifecycle, per model-id prefix. From them and the experiment's per-model options this module
// derives what every request to that model carries (thinking, output_config, a max_tokens floor),
// and refuses, before a run, options the model would reject with a 400.

import { readFileSync } from 'node:fs';

import { sourcePath } from '../../core/paths.js';

export const MODEL_FACTS_PATH = 'harness/models/anthropic/model-facts.json';

export const EFFORTS = ['low', 'medium', 'high', 'xhigh', 'max'] as const;
export type Effort = (typeof EFFORTS)[number];

export interface ModelFacts {
  key: string;
  /** always: adaptive thinking, cannot be off; adaptive: on by default; manual: off unless enabled with a budget. */
  thinking: 'always' | 'adaptive' | 'manual';
  disable_thinking: 'never' | 'any' | 'effort<=high';
  default_effort: Effort | null;
  efforts: Effort[];
  /** null: not documented; treated as not accepted. */
  forced_tool_choice: boolean | null;
  min_cache_tokens: number | null;
  context_window: number | null;
  max_output: number | null;
  deprecated: string | null;
  /** An ISO date, or 'retired'. */
  retires: string | null;
  source: string;
  checked: string;
}

interface FactsFile {
  as_of: string;
  assumptions: { min_cache_tokens: number; thinking_max_tokens_floor: Record<Effort, number> };
  models: Record<string, Omit<ModelFacts, 'key'>>;
}

/** What the experiment may set per model (`model_options` in the experiment file). */
export interface ModelOptions {
  effort?: Effort;
  /** `adaptive` (the model decides when and how much to think) or `disabled` where the model allows it. */
  thinking?: 'adaptive' | 'disabled';
  /** How thinking text comes back: `summarized`, or `omitted` (empty text, signature kept). */
  display?: 'summarized' | 'omitted';
}

/** What every request to one model carries, derived from its facts and options. */
export interface ModelRequestSettings {
  model: string;
  thinking?: { type: 'adaptive'; display?: 'summarized' | 'omitted' } | { type: 'disabled' };
  effort?: Effort;
  /** True when the model thinks on these settings (its output needs room for reasoning). */
  thinks: boolean;
  /** The least max_tokens a request gets (0: none). */
  minMaxTokens: number;
  /** Forced tool_choice (`any`, `tool`) is sent only when true. */
  forcedToolChoice: boolean;
  minCacheTokens: number;
  /** Whether minCacheTokens is documented (false: the assumption in model-facts.json). */
  minCacheDocumented: boolean;
  factsKey?: string;
}

let cached: FactsFile | undefined;

function factsFile(): FactsFile {
  return (cached ??= JSON.parse(readFileSync(sourcePath(MODEL_FACTS_PATH), 'utf8')) as FactsFile);
}

/** The facts row for a model id (`claude-opus-5-5`, `anthropic:claude-opus-5-5-20260922`), longest prefix first. */
export function factsFor(modelId: string): ModelFacts | undefined {
  const id = modelId
    .trim()
    .toLowerCase()
    .replace(/^anthropic:/, '');
  let best: string | undefined;
  for (const key of Object.keys(factsFile().models)) {
    if (!id.startsWith(key)) continue;
    const next = id.charAt(key.length);
    if (next !== '' && /[a-z0-9]/.test(next)) continue;
    if (!best || key.length > best.length) best = key;
  }
  return best ? { key: best, ...factsFile().models[best]! } : undefined;
}

/** The max_tokens floor dreambench applies when thinking is on at `effort`. */
export function thinkingFloor(effort: Effort): number {
  return factsFile().assumptions.thinking_max_tokens_floor[effort];
}

/**
 * The request settings for `modelId` under `options`, or the list of problems (each a sentence
 * naming the option and what the model accepts) when the model would reject them.
 */
export function resolveModelSettings(modelId: string, options: ModelOptions = {}): { settings: ModelRequestSettings; problems: string[] } {
  const model = modelId.trim().replace(/^anthropic:/, '');
  const facts = factsFor(model);
  const problems: string[] = [];
  const assumedMin = factsFile().assumptions.min_cache_tokens;
  if (!facts) {
    // A model the facts file does not know: send what the caller sent, nothing more.
    if (options.effort || options.thinking || options.display) {
      problems.push(
        `model_options for ${model}: this model is not in ${MODEL_FACTS_PATH}, so effort/thinking/display cannot be checked; add a row for it`,
      );
    }
    return {
      settings: { model, thinks: false, minMaxTokens: 0, forcedToolChoice: true, minCacheTokens: assumedMin, minCacheDocumented: false },
      problems,
    };
  }
  const effort = options.effort ?? facts.default_effort ?? undefined;
  if (options.effort && !facts.efforts.includes(options.effort)) {
    problems.push(
      facts.efforts.length === 0
        ? `model_options.effort: ${model} takes no effort setting`
        : `model_options.effort: ${model} takes ${facts.efforts.join(', ')}, not "${options.effort}"`,
    );
  }
  let thinks = facts.thinking !== 'manual';
  if (options.thinking === 'disabled') {
    if (facts.disable_thinking === 'never') {
      problems.push(`model_options.thinking: ${model} always thinks; "disabled" is rejected by the API (remove it, or lower the effort)`);
    } else if (facts.disable_thinking === 'effort<=high' && (effort === 'xhigh' || effort === 'max')) {
      problems.push(`model_options.thinking: ${model} allows thinking "disabled" only at effort high or below (effort is ${effort})`);
    } else {
      thinks = false;
    }
  } else if (options.thinking === 'adaptive' && facts.thinking === 'manual') {
    problems.push(`model_options.thinking: ${model} has no adaptive thinking in ${MODEL_FACTS_PATH}`);
  }
  if (options.display && !thinks)
    problems.push(`model_options.display: ${model} does not think on these settings, so display has no effect`);
  const settings: ModelRequestSettings = {
    model,
    thinks,
    minMaxTokens: thinks && effort ? thinkingFloor(effort) : 0,
    forcedToolChoice: facts.forced_tool_choice === true,
    minCacheTokens: facts.min_cache_tokens ?? assumedMin,
    minCacheDocumented: facts.min_cache_tokens !== null,
    factsKey: facts.key,
  };
  if (thinks) settings.thinking = { type: 'adaptive', ...(options.display ? { display: options.display } : {}) };
  else if (facts.thinking !== 'manual') settings.thinking = { type: 'disabled' };
  if (options.effort) settings.effort = options.effort;
  if (facts.max_output !== null && settings.minMaxTokens > facts.max_output) settings.minMaxTokens = facts.max_output;
  return { settings, problems };
}

/**
 * A warning for a model past its retirement date (or retired), or deprecated with a date to come;
 * undefined for a model in service. `today` is an ISO date.
 */
export function lifecycleWarning(modelId: string, today: string = new Date().toISOString().slice(0, 10)): string | undefined {
  const facts = factsFor(modelId);
  if (!facts?.retires) return undefined;
  const model = modelId.replace(/^anthropic:/, '');
  if (facts.retires === 'retired' || facts.retires <= today) {
    return `model ${model} is retired (${facts.retires === 'retired' ? 'per' : `since ${facts.retires}, per`} ${MODEL_FACTS_PATH}): the API will likely answer 404; pick a current model`;
  }
  return `model ${model} is deprecated and retires on ${facts.retires} (${MODEL_FACTS_PATH}); plan a move to a current model`;
}

/** The options for a model spec from `model_options`, keyed by a spec or a prefix of one (longest wins). */
export function modelOptionsFor(spec: string, table: Readonly<Record<string, ModelOptions>> | undefined): ModelOptions | undefined {
  if (!table) return undefined;
  const key = Object.keys(table)
    .filter((k) => spec.startsWith(k))
    .sort((a, b) => b.length - a.length)[0];
  return key === undefined ? undefined : table[key];
}
