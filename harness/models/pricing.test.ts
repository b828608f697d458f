// Prices as data: every row has a source and a date, long-prompt tiers and 1-hour cache writes are
// priced, Message Batches cost half, and the experiment's rows override or add prices.

import { describe, expect, it } from 'vitest';

import { costOf, estimateCost, pricingTable, priceFor, withPricingRows } from './pricing.js';

const usage = (input: number, output: number, read = 0, write = 0, write1h = 0) => ({
  input_tokens: input,
  output_tokens: output,
  cache_read_tokens: read,
  cache_write_tokens: write,
  ...(write1h ? { cache_write_1h_tokens: write1h } : {}),
});

describe('pricing', () => {
  it("has a row with a source and a date for each of today's models, at the published rates", () => {
    for (const id of ['claude-fable-5-1', 'claude-opus-5-5', 'claude-opus-5', 'claude-sonnet-5-5', 'claude-sonnet-5', 'claude-haiku-5-5']) {
      const price = priceFor(`anthropic:${id}`)!;
      expect(price.key).toBe(id);
      expect(price.source).toMatch(/platform\.claude\.com/);
      expect(price.as_of).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
    expect(priceFor('claude-opus-5-5')).toMatchObject({ input: 4, output: 20, cache_write: 5, cache_write_1h: 8, cache_read: 0.2 });
    expect(priceFor('claude-opus-5-20260724')).toMatchObject({
      input: 5,
      output: 25,
      cache_write: 6.25,
      cache_write_1h: 10,
      cache_read: 0.5,
    });
    expect(priceFor('claude-fable-5-1')).toMatchObject({ input: 10, output: 50, cache_read: 0.25 });
  });

  it('prices every token of a Haiku 5.5 request above 100K prompt tokens at the higher tier', () => {
    // 90K input + 5K output: lower tier.
    expect(estimateCost('claude-haiku-5-5', usage(90_000, 5_000)).cost_usd).toBeCloseTo((90_000 * 0.1 + 5_000 * 0.5) / 1e6, 12);
    // 60K input + 50K cache reads = 110K prompt: the whole request, output included, at the upper tier.
    expect(estimateCost('claude-haiku-5-5', usage(60_000, 5_000, 50_000)).cost_usd).toBeCloseTo(
      (60_000 * 0.5 + 5_000 * 2.5 + 50_000 * 0.05) / 1e6,
      12,
    );
  });

  it('prices 1-hour cache writes apart, and Message Batches at half', () => {
    const cost = estimateCost('claude-opus-5', usage(0, 0, 0, 1_000_000, 400_000)).cost_usd;
    expect(cost).toBeCloseTo(0.6 * 6.25 + 0.4 * 10, 10);
    expect(costOf('claude-opus-5', usage(1_000_000, 0), { batch: true })).toBeCloseTo(2.5, 10);
  });

  it("adds and overrides rows from the experiment, with the docs' standard cache multipliers when left out", () => {
    const table = withPricingRows(pricingTable(), {
      'claude-opus-5-5': { input: 3, output: 15 },
      'gpt-5-mini': { input: 0.25, output: 2, cache_read: 0.025 },
    });
    const overridden = priceFor('claude-opus-5-5', table)!;
    expect(overridden).toMatchObject({ input: 3, output: 15, cache_write: 3.75, cache_write_1h: 6 });
    expect(overridden.cache_read).toBeCloseTo(0.3, 12);
    expect(priceFor('openai:gpt-5-mini', table)).toMatchObject({ input: 0.25, cache_read: 0.025 });
    expect(() => withPricingRows(pricingTable(), { x: { input: -1, output: 1 } })).toThrow(
      /models\.x\.input must be a non-negative number/,
    );
  });
});
