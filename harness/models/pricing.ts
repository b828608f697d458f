// Token prices as data (pricing.json beside this file in the source tree) and the cost of a call.
// Prices are USD per million tokens; a model id is matched to the longest key that is a prefix of
// it at a word boundary, so `claude-sonnet-4` prices `claude-sonnet-4-5-20250929`. A model without
// an entry costs 0 and is reported as unpriced, never guessed.

import { readFileSync } from 'node:fs';

import type { Usage } from '../core/messages.js';
import { sourcePath } from '../core/paths.js';

export interface ModelPrice {
  /** The pricing.json key that matched. */
  key: string;
  input: number;
  output: number;
  /** 5-minute prompt-cache write. */
  cache_write: number;
  cache_read: number;
  note?: string;
}

export interface PricingTable {
  comment: string;
  asOf: string;
  models: ReadonlyMap<string, ModelPrice>;
  /** What a Message Batches request costs relative to the standard rate (0.5: half price). */
  batchMultiplier: number;
}

export interface CostEstimate {
  cost_usd: number;
  /** False when no pricing entry matched the model: `cost_usd` is then 0, not a real cost. */
  priced: boolean;
  price?: ModelPrice;
}

export const PRICING_PATH = 'harness/models/pricing.json';

let defaultTable: PricingTable | undefined;

/** Parses and checks a pricing table. `path` defaults to the package's own pricing.json. */
export function loadPricing(path: string = sourcePath(PRICING_PATH)): PricingTable {
  const raw = JSON.parse(readFileSync(path, 'utf8')) as unknown;
  return parsePricing(raw, path);
}

export function parsePricing(raw: unknown, origin = 'pricing table'): PricingTable {
  if (!isRecord(raw) || !isRecord(raw.models)) throw new Error(`${origin}: expected an object with a "models" object`);
  const models = new Map<string, ModelPrice>();
  for (const [key, entry] of Object.entries(raw.models)) {
    if (!isRecord(entry)) throw new Error(`${origin}: models.${key} must be an object`);
    const price: ModelPrice = { key: normalise(key), input: 0, output: 0, cache_write: 0, cache_read: 0 };
    for (const field of ['input', 'output', 'cache_write', 'cache_read'] as const) {
      const value = entry[field];
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
        throw new Error(`${origin}: models.${key}.${field} must be a non-negative number`);
      }
      price[field] = value;
    }
    if (typeof entry.note === 'string') price.note = entry.note;
    models.set(price.key, price);
  }
  const batch = raw.batch_multiplier;
  if (batch !== undefined && (typeof batch !== 'number' || !Number.isFinite(batch) || batch < 0 || batch > 1)) {
    throw new Error(`${origin}: batch_multiplier must be a number between 0 and 1`);
  }
  return {
    comment: typeof raw._comment === 'string' ? raw._comment : '',
    asOf: typeof raw.as_of === 'string' ? raw.as_of : '',
    models,
    batchMultiplier: typeof batch === 'number' ? batch : 0.5,
  };
}

/** The package's pricing table, read once. */
export function pricingTable(): PricingTable {
  return (defaultTable ??= loadPricing());
}

/**
 * The price entry for a model id (`claude-sonnet-4-5-20250929`, `anthropic:claude-haiku-4-5`,
 * `sim:default`), by longest prefix at a word boundary; `undefined` when none matches.
 */
export function priceFor(modelId: string, table: PricingTable = pricingTable()): ModelPrice | undefined {
  const id = normalise(modelId);
  let best: ModelPrice | undefined;
  for (const [key, price] of table.models) {
    if (!matchesPrefix(id, key)) continue;
    if (!best || key.length > best.key.length) best = price;
  }
  return best;
}

/** The cost of one call's usage, with an explicit flag for models the table does not know. */
export function estimateCost(modelId: string, usage: Usage, table: PricingTable = pricingTable()): CostEstimate {
  const price = priceFor(modelId, table);
  if (!price) return { cost_usd: 0, priced: false };
  const cost =
    (usage.input_tokens * price.input +
      usage.output_tokens * price.output +
      usage.cache_write_tokens * price.cache_write +
      usage.cache_read_tokens * price.cache_read) /
    1_000_000;
  return { cost_usd: cost, priced: true, price };
}

export interface CostOptions {
  /** The call went through the Message Batches API: priced at the table's batch_multiplier (50%). */
  batch?: boolean;
  /**
   * Told once per process and model id when the model has no price (the cost is then 0).
   * Defaults to a Node process warning on stderr.
   */
  onUnknownPrice?: (message: string, modelId: string) => void;
  table?: PricingTable;
}

const warnedUnknown = new Set<string>();

/** USD cost of `usage` on `modelId`; 0 (plus a one-time warning) for a model without a price. */
export function costOf(modelId: string, usage: Usage, options: CostOptions = {}): number {
  const estimate = estimateCost(modelId, usage, options.table);
  if (options.batch) estimate.cost_usd *= (options.table ?? pricingTable()).batchMultiplier;
  if (!estimate.priced && !warnedUnknown.has(modelId)) {
    warnedUnknown.add(modelId);
    const message =
      `no price for model "${modelId}" in ${PRICING_PATH}: its calls are counted as $0. ` +
      'Add an entry to the pricing table to get real costs.';
    const warn = options.onUnknownPrice ?? ((text: string) => process.emitWarning(text, 'DreambenchPricingWarning'));
    warn(message, modelId);
  }
  return estimate.cost_usd;
}

/** Test hook: forget which unknown models were already warned about. */
export function resetUnknownPriceWarnings(): void {
  warnedUnknown.clear();
}

function normalise(modelId: string): string {
  return modelId.trim().toLowerCase().replace(/^(anthropic|openai):/, '');
}

function matchesPrefix(id: string, key: string): boolean {
  if (!id.startsWith(key)) return false;
  const next = id.charAt(key.length);
  return next === '' || !/[a-z0-9]/.test(next);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
