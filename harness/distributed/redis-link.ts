// The Redis connection of a coordinator or a worker, and what it says about it. BullMQ's own
// connections retry forever and report every failed attempt; this module gives them a backoff
// (0.5 s doubling to 10 s) and keeps one extra client that watches the link, so a process says
// once that Redis is unreachable and once that it is back, and knows for how long it has been down.
//
// URLs: redis://[user:password@]host:port[/db] and rediss:// (TLS) are parsed by ioredis; only host
// and port ever reach a log line (describeRedis).

import { Redis } from 'ioredis';

/** Backoff between reconnection attempts: 0.5 s, 1 s, 2 s, ... up to 10 s. */
export function reconnectDelayMs(attempt: number): number {
  return Math.min(500 * 2 ** Math.max(0, attempt - 1), 10_000);
}

/** Connection options for BullMQ's queues, workers and queue events. */
export function bullmqConnection(url: string): { url: string; maxRetriesPerRequest: null; retryStrategy: (times: number) => number } {
  return { url, maxRetriesPerRequest: null, retryStrategy: reconnectDelayMs };
}

/** Host and port only: never a password from the URL. */
export function describeRedis(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname && parsed.pathname !== '/' ? parsed.pathname : ''}`;
  } catch {
    return 'the Redis URL given';
  }
}

/** Errors that mean "cannot reach Redis" rather than "Redis refused this command". */
export function isConnectionError(error: Error): boolean {
  const code = (error as { code?: string }).code ?? '';
  return (
    ['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EHOSTUNREACH', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN'].includes(code) ||
    /Connection is closed|connect ETIMEDOUT|Stream isn't writeable|MaxRetriesPerRequest|socket hang up/i.test(error.message)
  );
}

export interface RedisLink {
  /** A client for this process's own commands (status queries, the shared rate limiter). */
  client: Redis;
  /** True while the link is up. */
  readonly up: boolean;
  /** Milliseconds since the link went down (0 while up). */
  downForMs(): number;
  close(): Promise<void>;
}

export interface RedisLinkOptions {
  /** Called once when the link goes down (with the reason) and once when it is back. */
  onChange?: (up: boolean, reason?: string) => void;
}

/** Connects a watched client; resolves once Redis answered (or rejects after `connectTimeoutMs` of trying). */
export async function openRedisLink(url: string, options: RedisLinkOptions = {}, connectTimeoutMs = 15_000): Promise<RedisLink> {
  // Commands fail fast while the link is down (callers retry), instead of queueing without end.
  const client = new Redis(url, { maxRetriesPerRequest: 1, retryStrategy: reconnectDelayMs, lazyConnect: true });
  let up = false;
  let downSince = Date.now();
  let everUp = false;
  client.on('ready', () => {
    if (!up && everUp) options.onChange?.(true);
    up = true;
    everUp = true;
  });
  const down = (reason: string): void => {
    if (!up) return;
    up = false;
    downSince = Date.now();
    options.onChange?.(false, reason);
  };
  client.on('error', (error: Error) => down((error as { code?: string }).code ?? error.message));
  client.on('close', () => down('connection closed'));
  // The first attempt may fail (Redis starting up): the client keeps trying with backoff until the deadline.
  client.connect().catch(() => undefined);
  try {
    await new Promise<void>((resolve, reject) => {
      if (up) return resolve();
      const timer = setTimeout(
        () => reject(new Error(`cannot reach Redis at ${describeRedis(url)} within ${Math.round(connectTimeoutMs / 1000)} s`)),
        connectTimeoutMs,
      );
      client.once('ready', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  } catch (error) {
    client.disconnect();
    throw error;
  }
  return {
    client,
    get up() {
      return up;
    },
    downForMs: () => (up ? 0 : Date.now() - downSince),
    close: async () => {
      // quit() waits for Redis; with Redis gone, disconnect at once.
      if (up) await Promise.race([client.quit().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 1_000))]);
      client.disconnect();
    },
  };
}
