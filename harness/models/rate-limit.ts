// Client-side rate limiting, shared by every concurrent trial of a run: one limiter per model.
//
// Limits are requests, input tokens and output tokens per minute (`rate_limits` in the experiment
// file, keyed by a model spec or a prefix of one), and are learned from the API's rate-limit headers
// when the file gives none (or a lower one). Each limit is a token bucket:
//
// - capacity: one `burstMs` worth of the limit (default 1 s, at least one request), and it refills
//   at (limit - capacity) per period. In any window of one period, at most capacity + refill =
//   limit units go out: the client never exceeds the limit whether the server counts with a token
//   bucket (as Anthropic's API does) or with a sliding window, at ~98% of the allowance (1 s of a
//   minute, less a 250 ms margin for arrival jitter). Anthropic says a per-minute limit may be enforced over shorter intervals (60 RPM as
//   one request a second), so a client that bursts a whole minute's allowance at once trips 429s.
// - input tokens are reserved from an estimate of the request (its JSON size) and corrected from
//   the usage the API reports; a token bucket holds at least the largest request seen (and refills
//   that much slower), so a large request never overdraws it; output tokens are reserved at max_tokens (the API estimates OTPM
//   from max_tokens at the start of a request too) and corrected likewise.
// - waiters are served first come, first served, so a large request is not starved by small ones.
// - a 429 (or a retry-after on any response) pauses every request to the model until it expires:
//   one trial's rate-limit error holds back all of them, instead of each finding out on its own.
//
// Every HTTP attempt goes through the limiter, the SDK's retries included (harness/models/anthropic
// installs it as SDK middleware, which runs per attempt and outside the SDK's per-attempt timeout,
// so time spent waiting for the limiter never counts as a request timeout).
//
// Several processes on one API key (distributed workers) share one set of buckets: `useShared`
// hands the buckets' state to a SharedBuckets store (harness/distributed/redis-buckets.ts keeps it
// in Redis, taken and refilled by one atomic script), while the limits, the estimates and the
// corrections stay computed here. The fleet then paces itself as one client would.

export interface RateLimitSpec {
  /** Requests per minute. */
  rpm?: number;
  /** Input tokens per minute (input plus cache writes, as the API counts them; cache reads are free). */
  itpm?: number;
  /** Output tokens per minute. */
  otpm?: number;
  /** Input plus output tokens per minute (OpenAI-style combined limit). */
  tpm?: number;
}

/** `rate_limits` in the experiment file: model spec or prefix -> limits. */
export type RateLimitsConfig = Record<string, RateLimitSpec>;

/** The limits for a model spec: the entry with the longest key that is the spec or a prefix of it. */
export function rateLimitFor(spec: string, config: RateLimitsConfig | undefined): RateLimitSpec | undefined {
  if (!config) return undefined;
  let best: string | undefined;
  for (const key of Object.keys(config)) {
    if (spec === key || spec.startsWith(key)) {
      if (best === undefined || key.length > best.length) best = key;
    }
  }
  return best === undefined ? undefined : config[best];
}

/** What one request needs. */
export interface RateNeed {
  input: number;
  output: number;
}

/** Usage as the provider reported it, for the correction. */
export interface RateUsage {
  input: number;
  output: number;
}

export interface RateLimiterOptions {
  limits?: RateLimitSpec;
  /** Length of the limit's period. Default 60,000 (per minute); tests shrink time with it. */
  periodMs?: number;
  /** The burst a bucket allows, as time at the limit's rate. Default one sixtieth of the period (1 s of a minute). */
  burstMs?: number;
  /**
   * Room left for requests arriving closer together than they were sent (connection set-up, network
   * and event-loop jitter), as time added to the period: the rate is limit * period / (period +
   * margin). Default 250 ms (0.4% of a minute).
   */
  marginMs?: number;
  /** Learn limits from rate-limit headers. Default true. */
  adaptive?: boolean;
  /** Longest pause a retry-after may impose (protects against a garbage header). Default 120,000. */
  maxPauseMs?: number;
  now?: () => number;
}

export interface RateLimiterStats {
  /** Requests that went through the limiter. */
  requests: number;
  /** Requests that had to wait for the limiter, and the total time they waited. */
  delayed: number;
  waitedMs: number;
  /** Responses with status 429 seen, and pauses set from retry-after. */
  rateLimited: number;
  pauses: number;
  /** Limits in force now (per period), after any learnt from headers. */
  limits: RateLimitSpec;
}

export type Dimension = 'requests' | 'input' | 'output' | 'tokens';

/** One bucket's parameters and the amount a request takes from it, as a shared store needs them. */
export interface SharedDraw {
  dimension: Dimension;
  capacity: number;
  ratePerMs: number;
  amount: number;
}

/**
 * Token buckets kept outside this process, for one model, shared by every process that uses it.
 * Implementations must take or refuse all of a request's draws atomically, on one clock.
 */
export interface SharedBuckets {
  /** Take every draw if all fit (borrowing up to `borrowMs` of refill); else the milliseconds to wait. */
  take(draws: SharedDraw[], borrowMs: number): Promise<number>;
  /** Add (or, negative, remove) tokens after a correction; never above capacity. */
  give(draws: SharedDraw[]): Promise<void>;
  /** Bring a bucket down to at most `level` (what the server says remains). */
  clamp(draw: SharedDraw, level: number): Promise<void>;
  /** Hold every process's requests back until `untilMs` (epoch ms), e.g. after a 429. */
  pause(untilMs: number): Promise<void>;
}
/**
 * The arrival-jitter margin of a fleet sharing buckets in Redis, as a fraction of the period: a
 * request is paced when Redis runs the take, then travels back to its process, through that
 * process's event loop and over the network; 1 s of a minute covers that on a loaded machine
 * (scripts/bench-scale-out.ts).
 */
const SHARED_MARGIN_OF_PERIOD = 1 / 60;
/** How much future refill a request may borrow (ms at the limit's rate); the rate leaves room for it. */
const BORROW_MS = 25;
const SPEC_KEY: Record<Dimension, keyof RateLimitSpec> = { requests: 'rpm', input: 'itpm', output: 'otpm', tokens: 'tpm' };

/** One token bucket. `level` may go below 0 (a correction that found more usage than reserved). */
class Bucket {
  capacity = 0;
  ratePerMs = 0;
  level = 0;
  private updatedAt: number;

  constructor(
    public limit: number,
    private readonly periodMs: number,
    private readonly burstMs: number,
    public marginMs: number,
    now: number,
  ) {
    this.updatedAt = now;
    this.setLimit(limit, now, true);
  }

  /** The largest single request seen: the bucket holds at least that much (see `grow`). */
  private largest = 1;

  /**
   * A request larger than the bucket: the bucket grows to hold it and the rate drops by as much, so
   * that a period still sends at most `limit` (a request that overdrew a small bucket would overshoot
   * a sliding-window count by its excess).
   */
  grow(amount: number, now: number): void {
    if (amount <= this.largest) return;
    this.largest = amount;
    if (amount > this.capacity) this.setLimit(this.limit, now);
  }

  setLimit(limit: number, now: number, fill = false): void {
    this.refill(now);
    this.limit = limit;
    this.capacity = Math.min(Math.max(1, (limit * this.burstMs) / this.periodMs, this.largest), limit / 2);
    // Capacity plus one period of refill (plus what may be borrowed) is exactly the limit (see the header).
    this.ratePerMs = Math.max(limit - this.capacity, limit * 0.5) / (this.periodMs + BORROW_MS + this.marginMs);
    this.level = fill ? this.capacity : Math.min(this.level, this.capacity);
  }

  refill(now: number): void {
    if (now > this.updatedAt) {
      this.level = Math.min(this.capacity, this.level + (now - this.updatedAt) * this.ratePerMs);
      this.updatedAt = now;
    }
  }

  /**
   * Can `amount` go out now? A full bucket lets any single request through (it may go into debt).
   * It may borrow up to BORROW_MS of refill, so a timer that fires a little late loses nothing (the
   * debt carries over) instead of wasting the lateness against the cap.
   */
  fits(amount: number): boolean {
    const slack = this.ratePerMs * BORROW_MS;
    return this.level + slack >= amount || this.level + slack >= this.capacity;
  }

  /** Milliseconds until `amount` fits. */
  waitFor(amount: number): number {
    if (this.fits(amount)) return 0;
    const target = Math.min(amount, this.capacity) - this.ratePerMs * BORROW_MS;
    return Math.max(1, Math.floor((target - this.level) / this.ratePerMs));
  }
}

export class Reservation {
  private settled = false;
  constructor(
    private readonly limiter: RateLimiter,
    readonly need: RateNeed,
  ) {}

  /** The request completed: replace the estimate by what the provider counted. */
  commit(actual: RateUsage): void {
    if (this.settled) return;
    this.settled = true;
    this.limiter.adjust(this.need.input - actual.input, this.need.output - actual.output);
  }

  /** The request failed without being served (an error status, a dropped connection): give the tokens back; the request slot stays spent. */
  release(): void {
    if (this.settled) return;
    this.settled = true;
    this.limiter.adjust(this.need.input, this.need.output);
  }
}

interface Waiter {
  need: RateNeed;
  queuedAt: number;
  resolve: (reservation: Reservation) => void;
  reject: (error: unknown) => void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

export class RateLimiter {
  private readonly buckets = new Map<Dimension, Bucket>();
  private readonly configured: RateLimitSpec;
  private readonly periodMs: number;
  private readonly burstMs: number;
  private marginMs: number;
  private readonly adaptive: boolean;
  private readonly maxPauseMs: number;
  private readonly now: () => number;
  private readonly queue: Waiter[] = [];
  private timer: NodeJS.Timeout | undefined;
  private pausedUntil = 0;
  private readonly counters = { requests: 0, delayed: 0, waitedMs: 0, rateLimited: 0, pauses: 0 };
  private shared: SharedBuckets | undefined;
  /** The shared pump is running (one per process: waiters are served in order). */
  private pumping = false;
  /** Wakes the shared pump early (a pause ended, tokens came back, the limiter closed). */
  private wake: (() => void) | undefined;
  private closed = false;
  /** The shared store failed; the pump retries with backoff and reports once per outage. */
  private sharedFailures = 0;
  onSharedError: ((error: Error) => void) | undefined;

  constructor(options: RateLimiterOptions = {}) {
    this.configured = { ...(options.limits ?? {}) };
    this.periodMs = options.periodMs ?? 60_000;
    this.burstMs = options.burstMs ?? this.periodMs / 60;
    this.marginMs = options.marginMs ?? 250;
    this.adaptive = options.adaptive ?? true;
    this.maxPauseMs = options.maxPauseMs ?? 120_000;
    this.now = options.now ?? (() => performance.timeOrigin + performance.now());
    for (const dimension of Object.keys(SPEC_KEY) as Dimension[]) {
      const limit = this.configured[SPEC_KEY[dimension]];
      if (limit !== undefined && limit > 0)
        this.buckets.set(dimension, new Bucket(limit, this.periodMs, this.burstMs, this.marginMs, this.now()));
    }
  }

  /** True when no limit is known yet (none configured, none learnt). */
  get unlimited(): boolean {
    return this.buckets.size === 0 && this.pausedUntil <= this.now();
  }

  get stats(): RateLimiterStats {
    const limits: RateLimitSpec = {};
    for (const [dimension, bucket] of this.buckets) limits[SPEC_KEY[dimension]] = bucket.limit;
    return { ...this.counters, limits };
  }

  /**
   * Keep the buckets' state in a store shared with other processes from now on (the limits stay
   * this limiter's). Requests are then served in order by one loop that asks the store.
   */
  useShared(store: SharedBuckets, marginMs = this.periodMs * SHARED_MARGIN_OF_PERIOD): void {
    this.shared = store;
    // Requests of several processes reach the server with more spread than one process's.
    if (marginMs > this.marginMs) {
      this.marginMs = marginMs;
      const now = this.now();
      for (const bucket of this.buckets.values()) {
        bucket.marginMs = marginMs;
        bucket.setLimit(bucket.limit, now);
      }
    }
  }

  /** Wait for room for one request needing `need`, then take it. Rejects with the signal's reason on abort. */
  acquire(need: RateNeed, signal?: AbortSignal): Promise<Reservation> {
    this.counters.requests++;
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    if (!this.shared && this.queue.length === 0 && this.tryTake(need)) return Promise.resolve(new Reservation(this, need));
    this.counters.delayed++;
    return new Promise<Reservation>((resolve, reject) => {
      const waiter: Waiter = { need, queuedAt: this.now(), resolve, reject };
      if (signal) {
        waiter.signal = signal;
        waiter.onAbort = () => {
          const at = this.queue.indexOf(waiter);
          if (at >= 0) this.queue.splice(at, 1);
          reject(abortReason(signal));
          this.schedule();
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      this.queue.push(waiter);
      this.schedule();
    });
  }

  /** Hold every request back until `untilMs` (epoch ms), e.g. from a 429's retry-after. */
  pauseUntil(untilMs: number): void {
    const capped = Math.min(untilMs, this.now() + this.maxPauseMs);
    if (capped > this.pausedUntil) {
      this.pausedUntil = capped;
      this.counters.pauses++;
      this.shared?.pause(capped).catch((error: unknown) => this.sharedFailed(error));
      this.schedule();
    }
  }

  /**
   * Learn from a response: a 429 or a retry-after pauses the model; the anthropic-ratelimit-* (and
   * OpenAI's x-ratelimit-*) headers set limits that were not configured (or lower ones) and bring the
   * buckets down to what the server says remains (another client may share the allowance).
   */
  observe(status: number, headers: Headers): void {
    if (status === 429) this.counters.rateLimited++;
    const retryAfter = retryAfterMs(headers);
    if (retryAfter !== undefined && (status === 429 || status === 529 || status === 503)) this.pauseUntil(this.now() + retryAfter);
    else if (status === 429) this.pauseUntil(this.now() + 1_000);
    if (!this.adaptive) return;
    const now = this.now();
    for (const [dimension, limitHeader, remainingHeader] of HEADERS) {
      const limit = numberHeader(headers, limitHeader);
      const remaining = numberHeader(headers, remainingHeader);
      if (limit === undefined || limit <= 0) continue;
      // Headers speak per minute, the limiter's period (tests shrink both the mock's window and the period alike).
      const scaled = limit;
      let bucket = this.buckets.get(dimension);
      const configured = this.configured[SPEC_KEY[dimension]];
      const wanted = configured !== undefined ? Math.min(configured, scaled) : scaled;
      if (!bucket) {
        bucket = new Bucket(wanted, this.periodMs, this.burstMs, this.marginMs, now);
        this.buckets.set(dimension, bucket);
      } else if (Math.abs(bucket.limit - wanted) > 1e-9) {
        bucket.setLimit(wanted, now);
      }
      if (remaining !== undefined) {
        bucket.refill(now);
        // The server's count includes every client on this key; ours only this process.
        bucket.level = Math.min(bucket.level, remaining);
        this.shared?.clamp(drawOf(dimension, bucket, 0), remaining).catch((error: unknown) => this.sharedFailed(error));
      }
    }
    this.schedule();
  }

  /** Give back (or, negative, take more) tokens after a correction. */
  adjust(input: number, output: number): void {
    if (this.shared) {
      const draws = this.draws({ input, output }, false).filter((d) => d.dimension !== 'requests' && d.amount !== 0);
      if (draws.length > 0) this.shared.give(draws).catch((error: unknown) => this.sharedFailed(error));
      if (input > 0 || output > 0) this.schedule();
      return;
    }
    const now = this.now();
    const add = (dimension: Dimension, amount: number): void => {
      const bucket = this.buckets.get(dimension);
      if (!bucket || amount === 0) return;
      bucket.refill(now);
      bucket.level = Math.min(bucket.capacity, bucket.level + amount);
    };
    add('input', input);
    add('output', output);
    add('tokens', input + output);
    if (input > 0 || output > 0) this.schedule();
  }

  /** Cancel pending waits (the run is over). */
  close(): void {
    this.closed = true;
    this.wake?.();
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    for (const waiter of this.queue.splice(0)) waiter.reject(new Error('rate limiter closed'));
  }

  private amounts(need: RateNeed): Array<[Dimension, number]> {
    return [
      ['requests', 1],
      ['input', need.input],
      ['output', need.output],
      ['tokens', need.input + need.output],
    ];
  }

  private tryTake(need: RateNeed): boolean {
    const now = this.now();
    if (now < this.pausedUntil) return false;
    const amounts = this.amounts(need);
    for (const [dimension, amount] of amounts) {
      const bucket = this.buckets.get(dimension);
      if (!bucket) continue;
      bucket.grow(amount, now);
      bucket.refill(now);
      if (!bucket.fits(amount)) return false;
    }
    for (const [dimension, amount] of amounts) {
      const bucket = this.buckets.get(dimension);
      if (bucket) bucket.level -= amount;
    }
    return true;
  }

  private waitMs(need: RateNeed): number {
    const now = this.now();
    let wait = Math.max(0, this.pausedUntil - now);
    for (const [dimension, amount] of this.amounts(need)) {
      const bucket = this.buckets.get(dimension);
      if (!bucket) continue;
      bucket.refill(now);
      wait = Math.max(wait, bucket.waitFor(amount));
    }
    return wait;
  }

  private schedule(): void {
    if (this.shared) {
      if (this.pumping) this.wake?.();
      else void this.pumpShared();
      return;
    }
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.pump();
  }

  /** The draws of a request on this limiter's buckets (growing a bucket for a request larger than it). */
  private draws(need: RateNeed, grow = true): SharedDraw[] {
    const now = this.now();
    const out: SharedDraw[] = [];
    for (const [dimension, amount] of this.amounts(need)) {
      const bucket = this.buckets.get(dimension);
      if (!bucket) continue;
      if (grow) bucket.grow(amount, now);
      out.push(drawOf(dimension, bucket, amount));
    }
    return out;
  }

  private sharedFailed(error: unknown): void {
    this.sharedFailures++;
    if (this.sharedFailures === 1) this.onSharedError?.(error instanceof Error ? error : new Error(String(error)));
  }

  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    }).then(() => {
      this.wake = undefined;
    });
  }

  /**
   * Serves the waiters in order through the shared store: one atomic take per request; when the
   * store says wait, sleep that long (at most 250 ms, so tokens given back by any process are seen
   * soon); when the store is unreachable, retry with backoff (the requests wait, none goes out unpaced).
   */
  private async pumpShared(): Promise<void> {
    if (this.pumping || !this.shared) return;
    this.pumping = true;
    try {
      while (this.queue.length > 0 && !this.closed) {
        const head = this.queue[0]!;
        const paused = this.pausedUntil - this.now();
        if (paused > 0) {
          await this.sleep(Math.min(paused, 250));
          continue;
        }
        let wait: number;
        try {
          wait = await this.shared.take(this.draws(head.need), BORROW_MS);
          this.sharedFailures = 0;
        } catch (error) {
          this.sharedFailed(error);
          await this.sleep(Math.min(250 * 2 ** Math.min(this.sharedFailures, 5), 5_000));
          continue;
        }
        if (wait > 0) {
          await this.sleep(Math.min(wait, 250));
          continue;
        }
        if (this.queue[0] !== head) {
          // The waiter gave up (aborted) while its draw was being taken: give the draw back.
          this.shared.give(this.draws(head.need, false)).catch((error: unknown) => this.sharedFailed(error));
          continue;
        }
        this.queue.shift();
        if (head.signal && head.onAbort) head.signal.removeEventListener('abort', head.onAbort);
        this.counters.waitedMs += this.now() - head.queuedAt;
        head.resolve(new Reservation(this, head.need));
      }
    } finally {
      this.pumping = false;
    }
  }

  private pump(): void {
    while (this.queue.length > 0) {
      const head = this.queue[0]!;
      if (!this.tryTake(head.need)) {
        const wait = Math.max(1, this.waitMs(head.need));
        this.timer = setTimeout(() => {
          this.timer = undefined;
          this.pump();
        }, wait);
        return;
      }
      this.queue.shift();
      if (head.signal && head.onAbort) head.signal.removeEventListener('abort', head.onAbort);
      this.counters.waitedMs += this.now() - head.queuedAt;
      head.resolve(new Reservation(this, head.need));
    }
  }
}

function drawOf(dimension: Dimension, bucket: Bucket, amount: number): SharedDraw {
  return { dimension, capacity: bucket.capacity, ratePerMs: bucket.ratePerMs, amount };
}

const HEADERS: Array<[Dimension, string, string]> = [
  ['requests', 'anthropic-ratelimit-requests-limit', 'anthropic-ratelimit-requests-remaining'],
  ['input', 'anthropic-ratelimit-input-tokens-limit', 'anthropic-ratelimit-input-tokens-remaining'],
  ['output', 'anthropic-ratelimit-output-tokens-limit', 'anthropic-ratelimit-output-tokens-remaining'],
  ['requests', 'x-ratelimit-limit-requests', 'x-ratelimit-remaining-requests'],
  ['tokens', 'x-ratelimit-limit-tokens', 'x-ratelimit-remaining-tokens'],
];

function numberHeader(headers: Headers, name: string): number | undefined {
  const raw = headers.get(name);
  if (raw === null || raw.trim() === '') return undefined;
  const value = Number(raw);
  return Number.isFinite(value) ? value : undefined;
}

/** retry-after-ms, or retry-after in seconds or as an HTTP date; undefined when absent or unusable. */
export function retryAfterMs(headers: Headers): number | undefined {
  const ms = headers.get('retry-after-ms');
  if (ms !== null) {
    const value = Number.parseFloat(ms);
    if (Number.isFinite(value) && value >= 0) return value;
  }
  const after = headers.get('retry-after');
  if (after === null) return undefined;
  const seconds = Number.parseFloat(after);
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds * 1000 : undefined;
  const date = Date.parse(after);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : undefined;
}

/** Tokens a request body will probably count as: ~4 characters per token, rounded up (corrected from usage). */
export function estimateInputTokens(body: string): number {
  return Math.ceil(body.length / 4);
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted', 'AbortError');
}

/** One limiter per model spec for a run (or a worker process). */
export class RateLimiterRegistry {
  private readonly limiters = new Map<string, RateLimiter>();
  constructor(
    private readonly config: RateLimitsConfig | undefined,
    private readonly options: Omit<RateLimiterOptions, 'limits'> = {},
  ) {}

  for(spec: string): RateLimiter {
    let limiter = this.limiters.get(spec);
    if (!limiter) {
      const limits = rateLimitFor(spec, this.config);
      limiter = new RateLimiter({ ...this.options, ...(limits ? { limits } : {}) });
      if (this.sharedFor) limiter.useShared(this.sharedFor(spec));
      this.limiters.set(spec, limiter);
    }
    return limiter;
  }

  entries(): Array<[string, RateLimiter]> {
    return [...this.limiters];
  }

  /** Keep every model's buckets (those made so far and later ones) in a shared store, one per model spec. */
  useShared(storeFor: (spec: string) => SharedBuckets): void {
    this.sharedFor = storeFor;
    for (const [spec, limiter] of this.limiters) limiter.useShared(storeFor(spec));
  }

  private sharedFor: ((spec: string) => SharedBuckets) | undefined;

  close(): void {
    for (const limiter of this.limiters.values()) limiter.close();
  }
}
