// One rate limit for a fleet: several limiters (as several worker processes would hold) keep their
// buckets in one Redis and call the mock Messages server, which enforces the limit and counts 429s,
// through the real SDK with its retries off. Together they stay within the limit with no 429 and
// use nearly all of it; the same limiters each pacing alone overrun it (the test can fail).

import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RateLimiter } from '../models/rate-limit.js';
import { createAnthropicModel } from '../models/anthropic/anthropic-model.js';
import { MockMessagesServer } from '../testing/mock-messages-server.js';
import { hasRedisServer, startRedis, type TestRedis } from '../testing/redis-server.js';
import type { ModelRequest } from '../core/messages.js';
import { RedisBuckets } from './redis-buckets.js';

const KEY = 'sk-ant-test-shared-rate-limit';
const available = hasRedisServer() || process.env.CI === 'true';
const request: ModelRequest = {
  system: [{ type: 'text', text: 'Be brief.' }],
  messages: [{ role: 'user', content: 'Say ok.' }],
  max_tokens: 64,
};

describe.skipIf(!available)('rate limits shared in Redis by several processes', () => {
  let redis: TestRedis;
  let client: Redis;
  let server: MockMessagesServer;
  beforeAll(async () => {
    redis = await startRedis();
    client = new Redis(redis.url);
    server = new MockMessagesServer({ apiKey: KEY });
    await server.start();
  });
  afterAll(async () => {
    client?.disconnect();
    await server?.close();
    await redis?.stop();
  });

  /** Four "workers", each with its own limiter and SDK client, 30 requests each at once. */
  async function fleet(shared: boolean, prefix: string): Promise<{ failed: number; elapsedS: number }> {
    server.reset();
    server.setRateLimit({ rpm: 60, windowMs: 2_000 });
    const models = Array.from({ length: 4 }, () => {
      const limiter = new RateLimiter({ limits: { rpm: 60 }, periodMs: 2_000 });
      if (shared) limiter.useShared(new RedisBuckets(client, prefix));
      return createAnthropicModel('claude-haiku-4-5', { apiKey: KEY, baseURL: server.url, maxRetries: 0, rateLimiter: limiter });
    });
    const started = Date.now();
    const results = await Promise.allSettled(
      models.flatMap((model, w) =>
        Array.from({ length: 30 }, (_, i) => model.create(request, { seedKey: `w${w}-${i}`, purpose: 'agent' })),
      ),
    );
    return { failed: results.filter((r) => r.status === 'rejected').length, elapsedS: (Date.now() - started) / 1000 };
  }

  it('keeps four limiters together within 60 requests per window, with no 429', async () => {
    const { failed, elapsedS } = await fleet(true, `test:shared:${Date.now()}`);
    expect(failed).toBe(0);
    expect(server.rateLimitStats).toMatchObject({ admitted: 120, rejected: 0 });
    expect(server.rateLimitStats.peakRequestsInWindow).toBeLessThanOrEqual(60);
    // Allowed: 30 per second after the first burst. Only a loose floor here (the machine may be
    // loaded); scripts/bench-scale-out.ts measures the fleet against a real per-minute window.
    expect(119 / elapsedS).toBeGreaterThanOrEqual(0.5 * 30);
  });

  it('without the shared buckets the same four limiters overrun the limit', async () => {
    const { failed } = await fleet(false, 'unused');
    expect(server.rateLimitStats.rejected).toBeGreaterThan(0);
    expect(failed).toBeGreaterThan(0);
  });

  it('a 429 seen by one limiter pauses the others', async () => {
    const prefix = `test:pause:${Date.now()}`;
    const a = new RateLimiter({ limits: { rpm: 600 }, periodMs: 60_000 });
    const b = new RateLimiter({ limits: { rpm: 600 }, periodMs: 60_000 });
    a.useShared(new RedisBuckets(client, prefix));
    b.useShared(new RedisBuckets(client, prefix));
    a.observe(429, new Headers({ 'retry-after': '1' }));
    await new Promise((resolve) => setTimeout(resolve, 100)); // the pause reaches Redis
    const started = Date.now();
    (await b.acquire({ input: 10, output: 10 })).commit({ input: 10, output: 10 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(500);
    a.close();
    b.close();
  });
});
