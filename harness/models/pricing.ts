// Token prices as data (pricing.json beside this file in the source tree) and the cost of a call.
// Prices are USD per million tokens; a model id is matched to the longest key that is a prefix of
// it at a word boundary, so `claude-sonnet-4` prices `claude-sonnet-4-5-20250929`. Each row may price
// 1-hour cache writes apart and carry a tier for long prompts (`above`); the experiment's `pricing:`
// rows override or add rows (withPricingRows). A model without an entry costs 0 and is reported as
// unpriced, never guessed; runs refuse such models up front unless told otherwise.

import { readFileSync } from 'node:fs';

import type { Usage } from '../core/messages.js';
import { sourcePath } from '../core/paths.js';

export interface Rates {
  input: number;
  output: number;
  /** 5-minute prompt-cache write. */
  cache_write: number;
  /** 1-hour prompt-cache write. */
  cache_write_1h: number;
  cache_read: number;
}

export interface ModelPrice extends Rates {
  /** The pricing.json key that matched. */
  key: string;
  /** Rates for every token of a request whose prompt (input + cache reads + writes) exceeds prompt_tokens. */
  above?: Rates & { prompt_tokens: number };
  note?: string;
  source?: string;
  as_of?: string;
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
  for (const [key, entry] of Object.entries(raw.models)) models.set(normalise(key), parseRow(key, entry, origin));
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

function parseRates(entry: Record<string, unknown>, where: string): Rates {
  const number = (field: string, fallback?: number): number => {
    const value = entry[field] ?? fallback;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
      throw new Error(`${where}.${field} must be a non-negative number`);
    return value;
  };
  const input = number('input');
  const cacheWrite = number('cache_write', input * 1.25);
  return {
    input,
    output: number('output'),
    cache_write: cacheWrite,
    cache_write_1h: number('cache_write_1h', input * 2),
    cache_read: number('cache_read', input * 0.1),
  };
}

/**
 * One row: `input` and `output` required. In an experiment's rows, cache rates left out default to
 * the standard multipliers of the prompt-caching docs (5-minute write 1.25x input, 1-hour write 2x,
 * read 0.1x); pricing.json itself must state them (they differ between models).
 */
export function parseRow(key: string, entry: unknown, origin = 'pricing table'): ModelPrice {
  const where = `${origin}: models.${key}`;
  if (!isRecord(entry)) throw new Error(`${where} must be an object`);
  for (const field of ['cache_write', 'cache_write_1h', 'cache_read'] as const) {
    if (entry[field] === undefined && origin.endsWith('pricing.json')) throw new Error(`${where}.${field} must be a non-negative number`);
  }
  const price: ModelPrice = { key: normalise(key), ...parseRates(entry, where) };
  if (entry.above !== undefined) {
    if (!isRecord(entry.above) || typeof entry.above.prompt_tokens !== 'number' || entry.above.prompt_tokens <= 0) {
      throw new Error(`${where}.above must be an object with a positive prompt_tokens and the rates above it`);
    }
    price.above = { prompt_tokens: entry.above.prompt_tokens, ...parseRates(entry.above, `${where}.above`) };
  }
  for (const field of ['note', 'source', 'as_of'] as const) if (typeof entry[field] === 'string') price[field] = entry[field];
  return price;
}

/** The table with rows added or replaced (the experiment's `pricing:` block). */
export function withPricingRows(
  table: PricingTable,
  rows: Record<string, unknown> | undefined,
  origin = 'experiment pricing',
): PricingTable {
  if (!rows || Object.keys(rows).length === 0) return table;
  const models = new Map(table.models);
  for (const [key, entry] of Object.entries(rows)) models.set(normalise(key), parseRow(key, entry, origin));
  return { ...table, models };
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
  const prompt = usage.input_tokens + usage.cache_read_tokens + usage.cache_write_tokens;
  const rates: Rates = price.above && prompt > price.above.prompt_tokens ? price.above : price;
  const hour = Math.min(usage.cache_write_1h_tokens ?? 0, usage.cache_write_tokens);
  const cost =
    (usage.input_tokens * rates.input +
      usage.output_tokens * rates.output +
      (usage.cache_write_tokens - hour) * rates.cache_write +
      hour * rates.cache_write_1h +
      usage.cache_read_tokens * rates.cache_read) /
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
  return modelId
    .trim()
    .toLowerCase()
    .replace(/^(anthropic|openai):/, '');
}

function matchesPrefix(id: string, key: string): boolean {
  if (!id.startsWith(key)) return false;
  const next = id.charAt(key.length);
  return next === '' || !/[a-z0-9]/.test(next);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
