// Model specs -> clients. `sim:<profile>` is built in; `anthropic:<model-id>` goes through the SDK;
// `openai:<model>` talks to any OpenAI-compatible chat-completions server (vLLM, Ollama, llama.cpp).

import type { ModelClient } from '../core/messages.js';
import type { Suite } from '../core/suite.js';
import { createAnthropicModel } from './anthropic/anthropic-model.js';
import { modelOptionsFor, type ModelOptions } from './anthropic/model-facts.js';
import type { PricingTable } from './pricing.js';
import type { BatchOptions } from './anthropic/batcher.js';
import { createOpenAIModel } from './openai/openai-model.js';
import type { RateLimiterRegistry } from './rate-limit.js';
import { SimModel } from './sim/sim-model.js';

export interface ModelFactoryContext {
  /** The suites of the run: the sim needs their policies. */
  suites: ReadonlyMap<string, Suite>;
  /** The run's rate limiters, one per model spec (shared by every trial of the run). */
  rateLimiters?: RateLimiterRegistry;
  /** Send grader and dreaming calls of anthropic models through the Message Batches API. */
  batch?: BatchOptions;
  /** The experiment's `model_options` (effort, thinking, display per model spec or prefix). */
  modelOptions?: Readonly<Record<string, ModelOptions>>;
  /** Prices: pricing.json with the experiment's `pricing:` rows. */
  pricing?: PricingTable;
}

export function isSimulated(spec: string): boolean {
  return spec.startsWith('sim:');
}

/** Build a client; throws a clear Error (e.g. a missing API key) before any work starts. */
export function createModel(spec: string, context: ModelFactoryContext): ModelClient {
  const colon = spec.indexOf(':');
  const provider = colon < 0 ? spec : spec.slice(0, colon);
  const name = colon < 0 ? '' : spec.slice(colon + 1);
  switch (provider) {
    case 'sim':
      return new SimModel(name || 'default', context.suites);
    case 'anthropic':
      if (!name) throw new Error('anthropic: needs a model id, e.g. anthropic:claude-sonnet-4-6');
      {
        const modelOptions = modelOptionsFor(spec, context.modelOptions);
        return createAnthropicModel(name, {
          ...(context.rateLimiters ? { rateLimiter: context.rateLimiters.for(spec) } : {}),
          ...(context.batch ? { batch: context.batch } : {}),
          ...(modelOptions ? { modelOptions } : {}),
          ...(context.pricing ? { pricing: context.pricing } : {}),
        });
      }
    case 'openai':
      if (!name) throw new Error('openai: needs a model name, e.g. openai:llama3.1:8b (served at OPENAI_BASE_URL)');
      return createOpenAIModel(name, {
        ...(context.rateLimiters ? { rateLimiter: context.rateLimiters.for(spec) } : {}),
        ...(context.pricing ? { pricing: context.pricing } : {}),
      });
    default:
      throw new Error(`unknown model provider "${provider}" in "${spec}"; expected sim:<profile>, anthropic:<model-id> or openai:<model>`);
  }
}
