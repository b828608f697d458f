// Token buckets in Redis, shared by every process that calls one model with one API key: the
// coordinator and all its workers pace their requests as a single client would, however many
// workers join or leave. Each take is one Lua script (atomic in Redis, on Redis's clock), so two
// processes can never both spend the same tokens, and machines with skewed clocks agree.
//
// The limiter in this process (harness/models/rate-limit.ts) still computes each bucket's
// capacity and refill rate from the limits (configured or learnt from headers) and sends them with
// every call; Redis holds only the levels, the time they were last refilled, and a fleet-wide pause.

import type { Redis } from 'ioredis';
import type { SharedBuckets, SharedDraw } from '../models/rate-limit.js';

// KEYS: one hash per bucket, then the pause key. ARGV: ttl ms, borrow ms, then per bucket: capacity, rate per ms, amount.
// Returns 0 when every amount was taken, else the milliseconds to wait (nothing taken).
const TAKE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local ttl = tonumber(ARGV[1])
local borrow = tonumber(ARGV[2])
local pause = tonumber(redis.call('GET', KEYS[#KEYS]) or '0')
if now < pause then return pause - now end
local n = #KEYS - 1
local levels = {}
local wait = 0
for i = 1, n do
  local capacity = tonumber(ARGV[3 * i])
  local rate = tonumber(ARGV[3 * i + 1])
  local amount = tonumber(ARGV[3 * i + 2])
  local state = redis.call('HMGET', KEYS[i], 'level', 'at')
  local level = tonumber(state[1]) or capacity
  local at = tonumber(state[2]) or now
  if now > at then level = math.min(capacity, level + (now - at) * rate) end
  level = math.min(level, capacity)
  levels[i] = level
  local slack = rate * borrow
  if not (level + slack >= amount or level + slack >= capacity) then
    local w = math.ceil((math.min(amount, capacity) - slack - level) / rate)
    if w < 1 then w = 1 end
    if w > wait then wait = w end
  end
end
if wait > 0 then return wait end
for i = 1, n do
  local amount = tonumber(ARGV[3 * i + 2])
  redis.call('HSET', KEYS[i], 'level', tostring(levels[i] - amount), 'at', tostring(now))
  redis.call('PEXPIRE', KEYS[i], ttl)
end
return 0
`;

// KEYS: one hash per bucket. ARGV: ttl ms, mode ('give' or 'clamp'), then per bucket: capacity, rate per ms, value.
const ADJUST = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local ttl = tonumber(ARGV[1])
for i = 1, #KEYS do
  local capacity = tonumber(ARGV[3 * i])
  local rate = tonumber(ARGV[3 * i + 1])
  local value = tonumber(ARGV[3 * i + 2])
  local state = redis.call('HMGET', KEYS[i], 'level', 'at')
  local level = tonumber(state[1]) or capacity
  local at = tonumber(state[2]) or now
  if now > at then level = math.min(capacity, level + (now - at) * rate) end
  if ARGV[2] == 'give' then level = math.min(capacity, level + value) else level = math.min(level, value) end
  redis.call('HSET', KEYS[i], 'level', tostring(level), 'at', tostring(now))
  redis.call('PEXPIRE', KEYS[i], ttl)
end
return 0
`;

const PAUSE = `
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
local untilMs = tonumber(ARGV[1])
if untilMs > current then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) end
return 0
`;

export interface RedisBucketsOptions {
  /** Key prefix: every process with the same prefix and model spec shares the buckets. */
  prefix: string;
  /** How long idle bucket state is kept. Default 10 minutes. */
  ttlMs?: number;
}

/** The shared buckets of one model spec, in Redis. */
export class RedisBuckets implements SharedBuckets {
  private readonly ttlMs: number;
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    ttlMs = 600_000,
  ) {
    this.ttlMs = ttlMs;
  }

  async take(draws: SharedDraw[], borrowMs: number): Promise<number> {
    if (draws.length === 0) return 0;
    const result = await this.redis.eval(
      TAKE,
      draws.length + 1,
      ...draws.map((d) => this.key(d)),
      `${this.keyPrefix}:pause`,
      this.ttlMs,
      borrowMs,
      ...args(draws),
    );
    return Number(result);
  }

  async give(draws: SharedDraw[]): Promise<void> {
    if (draws.length === 0) return;
    await this.redis.eval(ADJUST, draws.length, ...draws.map((d) => this.key(d)), this.ttlMs, 'give', ...args(draws));
  }

  async clamp(draw: SharedDraw, level: number): Promise<void> {
    await this.redis.eval(ADJUST, 1, this.key(draw), this.ttlMs, 'clamp', ...args([{ ...draw, amount: level }]));
  }

  async pause(untilMs: number): Promise<void> {
    // Redis's clock decides in `take`; the pause is sent as an absolute time, so allow for a little skew by its length.
    await this.redis.eval(PAUSE, 1, `${this.keyPrefix}:pause`, Math.round(untilMs), this.ttlMs);
  }

  private key(draw: SharedDraw): string {
    return `${this.keyPrefix}:${draw.dimension}`;
  }
}

function args(draws: SharedDraw[]): Array<string | number> {
  return draws.flatMap((d) => [d.capacity, d.ratePerMs, d.amount]);
}

/** One RedisBuckets per model spec under a prefix (for RateLimiterRegistry.useShared). */
export function redisBucketsFor(redis: Redis, options: RedisBucketsOptions): (spec: string) => SharedBuckets {
  return (spec) => new RedisBuckets(redis, `${options.prefix}:${spec}`, options.ttlMs);
}
