// What is checked about a run's models before anything is written: options each model would reject
// (model_options against model-facts.json), a max_output_tokens too small for the thinking it asks
// for, models without a price, models past their retirement date; then, optionally, one minimal
// request per distinct model (the preflight), so a mistyped model, a bad key or a refused option
// ends the run at once with the API's own message instead of spoiling every trial.

import type { Experiment } from '../config/schema.js';
import { ModelPermanentError, type ModelClient, type ModelResponse, type Usage } from '../core/messages.js';
import { lifecycleWarning, modelOptionsFor, resolveModelSettings } from '../models/anthropic/model-facts.js';
import { priceFor, pricingTable, withPricingRows, PRICING_PATH } from '../models/pricing.js';

export interface ModelCheckResult {
  /** Bad input: each a sentence naming the field and what is expected. */
  problems: string[];
  warnings: string[];
  /** Specs without a price, run anyway (allow_unpriced): their cost is incomplete. */
  unpriced: string[];
}

/** The model specs a run calls: agent, grader/dream, and any orchestration's per-role models. */
export function runModelSpecs(experiment: Experiment, extra: readonly string[] = []): { agents: string[]; all: string[] } {
  const agents = [...new Set([experiment.model, ...extra])];
  const all = [...new Set([...agents, experiment.grader_model ?? experiment.model])];
  return { agents, all };
}

export function checkRunModels(
  experiment: Experiment,
  specs: { agents: readonly string[]; all: readonly string[] },
  env: NodeJS.ProcessEnv = process.env,
  today?: string,
): ModelCheckResult {
  const problems: string[] = [];
  const warnings: string[] = [];
  const unpriced: string[] = [];
  let table;
  try {
    table = withPricingRows(pricingTable(), experiment.pricing, 'experiment pricing');
  } catch (error) {
    return { problems: [(error as Error).message], warnings, unpriced };
  }
  for (const spec of specs.all) {
    const provider = spec.slice(0, spec.indexOf(':'));
    const name = spec.slice(spec.indexOf(':') + 1);
    if (provider === 'anthropic') {
      const options = modelOptionsFor(spec, experiment.model_options);
      const { settings, problems: rejected } = resolveModelSettings(name, options);
      problems.push(...rejected.map((p) => `${spec}: ${p}`));
      if (specs.agents.includes(spec) && experiment.budgets.max_output_tokens < settings.minMaxTokens) {
        problems.push(
          `budgets.max_output_tokens: ${experiment.budgets.max_output_tokens} is too small for ${spec}, which thinks at effort ` +
            `${options?.effort ?? 'default'} (thinking tokens count toward max_tokens): use at least ${settings.minMaxTokens}, ` +
            'or set a lower effort in model_options',
        );
      }
      const lifecycle = lifecycleWarning(name, today);
      if (lifecycle) warnings.push(lifecycle);
    }
    const local = provider === 'openai' && isLoopback(env.OPENAI_BASE_URL);
    if ((provider === 'anthropic' || (provider === 'openai' && !local)) && !priceFor(name, table)) {
      if (experiment.allow_unpriced) {
        unpriced.push(spec);
        warnings.push(`no price for ${spec}: its calls count as $0 and the run's cost is incomplete`);
      } else {
        problems.push(
          `${spec} has no price in ${PRICING_PATH}: add a row under \`pricing:\` in the experiment (USD per million tokens: input, output, ...) or set allow_unpriced: true to run with an incomplete cost`,
        );
      }
    }
  }
  return { problems, warnings, unpriced };
}

/** A client that can send one minimal request before a run (anthropic:, openai: clients). */
interface Preflightable {
  preflight(signal?: AbortSignal): Promise<ModelResponse>;
}

function canPreflight(client: ModelClient): client is ModelClient & Preflightable {
  return typeof (client as Partial<Preflightable>).preflight === 'function';
}

/**
 * One minimal request per distinct client. A permanent error (ModelPermanentError) is returned as a
 * problem with the API's message; a transient one is a warning (the run's own retries will meet it).
 */
export async function preflightModels(
  clients: readonly ModelClient[],
): Promise<{ problems: string[]; warnings: string[]; usage: Usage & { cost_usd: number } }> {
  const problems: string[] = [];
  const warnings: string[] = [];
  const usage = { input_tokens: 0, output_tokens: 0, cache_read_tokens: 0, cache_write_tokens: 0, cost_usd: 0 };
  for (const client of new Set(clients)) {
    if (!canPreflight(client)) continue;
    try {
      const response = await client.preflight();
      usage.input_tokens += response.usage.input_tokens;
      usage.output_tokens += response.usage.output_tokens;
      usage.cache_read_tokens += response.usage.cache_read_tokens;
      usage.cache_write_tokens += response.usage.cache_write_tokens;
      usage.cost_usd += response.cost_usd;
    } catch (error) {
      if (error instanceof ModelPermanentError) problems.push(`preflight: ${error.message}`);
      else warnings.push(`preflight of ${client.id} failed (${(error as Error).message}); the run goes on and retries as usual`);
    }
  }
  return { problems, warnings, usage };
}

function isLoopback(url: string | undefined): boolean {
  if (!url) return false;
  try {
    const host = new URL(url).hostname;
    return host === 'localhost' || host === '127.0.0.1' || host === '::1' || host === '[::1]';
  } catch {
    return false;
  }
}
