// Message Batches for `anthropic:<model>`: requests that are independent and not latency-critical
// (grader and dreaming calls by default) are collected for a short while, sent as one Message
// Batch (`client.messages.batches.create`), polled (`retrieve`) until processing has ended, and each
// caller gets its own result (`results`, matched by custom_id: the API does not keep request order).
// The API prices batched requests at 50% of the standard rate; the caller prices them so.
//
// A request of a batch that errored, was canceled or expired fails its caller with a
// BatchRequestError; the model turns it into a ModelInfraError (the trial is `infra`, re-run on resume).

import type Anthropic from '@anthropic-ai/sdk';
import type { Message as ApiMessage, MessageCreateParamsNonStreaming } from '@anthropic-ai/sdk/resources/messages';
import type { CallPurpose } from '../../core/messages.js';

export interface BatchOptions {
  /** Call purposes sent through batches. Default: grade and dream. Agent turns never are (each depends on the last). */
  purposes?: CallPurpose[];
  /** How long to collect requests before sending a batch. Default 2,000 ms. */
  maxWaitMs?: number;
  /** Send at once when this many requests are waiting. Default 1,000 (the API takes up to 100,000). */
  maxRequests?: number;
  /** First poll interval; it doubles up to maxPollMs. Default 1,000 and 30,000 ms. */
  pollMs?: number;
  maxPollMs?: number;
}

export const DEFAULT_BATCH_PURPOSES: readonly CallPurpose[] = ['grade', 'dream'];

export class BatchRequestError extends Error {
  override name = 'BatchRequestError';
  constructor(
    message: string,
    readonly resultType: 'errored' | 'canceled' | 'expired' | 'missing',
    readonly errorType?: string,
  ) {
    super(message);
  }
}

interface Pending {
  params: MessageCreateParamsNonStreaming;
  resolve: (message: ApiMessage) => void;
  reject: (error: unknown) => void;
  signal?: AbortSignal;
}

export interface BatcherStats {
  batches: number;
  requests: number;
  polls: number;
}

export class MessageBatcher {
  readonly purposes: ReadonlySet<CallPurpose>;
  private readonly maxWaitMs: number;
  private readonly maxRequests: number;
  private readonly pollMs: number;
  private readonly maxPollMs: number;
  private pending: Pending[] = [];
  private timer: NodeJS.Timeout | undefined;
  readonly stats: BatcherStats = { batches: 0, requests: 0, polls: 0 };

  constructor(
    private readonly client: Anthropic,
    options: BatchOptions = {},
  ) {
    this.purposes = new Set(options.purposes ?? DEFAULT_BATCH_PURPOSES);
    this.maxWaitMs = options.maxWaitMs ?? 2_000;
    this.maxRequests = options.maxRequests ?? 1_000;
    this.pollMs = options.pollMs ?? 1_000;
    this.maxPollMs = options.maxPollMs ?? 30_000;
  }

  /** Queue one request for the next batch; resolves with its Message once the batch has ended. */
  submit(params: MessageCreateParamsNonStreaming, signal?: AbortSignal): Promise<ApiMessage> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<ApiMessage>((resolve, reject) => {
      const entry: Pending = { params, resolve, reject, ...(signal ? { signal } : {}) };
      signal?.addEventListener(
        'abort',
        () => {
          const at = this.pending.indexOf(entry);
          if (at >= 0) this.pending.splice(at, 1);
          reject(signal.reason);
        },
        { once: true },
      );
      this.pending.push(entry);
      if (this.pending.length >= this.maxRequests) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.maxWaitMs);
    });
  }

  /** Send what is waiting now. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const entries = this.pending.splice(0, this.maxRequests);
    if (entries.length === 0) return;
    if (this.pending.length > 0) this.timer = setTimeout(() => this.flush(), 0);
    void this.send(entries);
  }

  private async send(entries: Pending[]): Promise<void> {
    const byId = new Map(entries.map((entry, i) => [`r${i}`, entry]));
    try {
      const batch = await this.client.messages.batches.create({
        requests: [...byId].map(([custom_id, entry]) => ({ custom_id, params: entry.params })),
      });
      this.stats.batches++;
      this.stats.requests += entries.length;
      let status = batch;
      let wait = this.pollMs;
      while (status.processing_status !== 'ended') {
        await sleep(wait);
        wait = Math.min(wait * 2, this.maxPollMs);
        this.stats.polls++;
        status = await this.client.messages.batches.retrieve(batch.id);
      }
      const results = await this.client.messages.batches.results(batch.id);
      for await (const line of results) {
        const entry = byId.get(line.custom_id);
        if (!entry) continue;
        byId.delete(line.custom_id);
        const result = line.result;
        if (result.type === 'succeeded') entry.resolve(result.message);
        else if (result.type === 'errored') {
          const inner = result.error.error;
          entry.reject(
            new BatchRequestError(`batch ${batch.id}: request errored (${inner.type}): ${inner.message}`, 'errored', inner.type),
          );
        } else entry.reject(new BatchRequestError(`batch ${batch.id}: request ${result.type}`, result.type));
      }
      for (const [customId, entry] of byId) entry.reject(new BatchRequestError(`batch ${batch.id}: no result for ${customId}`, 'missing'));
    } catch (error) {
      for (const entry of byId.values()) entry.reject(error);
    }
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    for (const entry of this.pending.splice(0)) entry.reject(new Error('message batcher closed'));
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
