// The @anthropic-ai/sdk client the managed runtime talks through (`client.beta`: agents,
// environments, sessions and their events and threads, memory stores and memories, dreams, files),
// and how its failures become ModelInfraError: a provider or network failure is an `infra` event
// (recorded, retried on resume), never the agent's failure. The SDK retries 408/409/429/5xx and
// dropped connections itself (honouring retry-after), up to `max_retries`.
//
// Credentials as for `anthropic:<model>`: ANTHROPIC_API_KEY (required; never logged, never in an
// error message), ANTHROPIC_BASE_URL or the arm's `base_url`.

import Anthropic, { AnthropicError, APIConnectionError, APIConnectionTimeoutError, APIError } from '@anthropic-ai/sdk';
import { ModelInfraError } from '../core/messages.js';
import { AnthropicCredentialsError } from '../models/anthropic/anthropic-model.js';

/**
 * Beta headers. The SDK (1.14) sets one per endpoint family by itself: managed-agents-2026-04-01 on
 * agents, environments and sessions; agent-memory-2026-07-22 on memory stores; dreaming-2026-04-21
 * on dreams; nothing on files. What dreambench adds, as the docs' examples do:
 * - dreams: managed-agents-2026-04-01 too (the Dreams guide sends both headers);
 * - session-scoped files: managed-agents-2026-04-01 ("Filtering by scope_id requires the
 *   managed-agents-2026-04-01 beta header on the files request", Define outcomes guide, Retrieve
 *   deliverables). The legacy files-api-2025-04-14 header is not sent.
 */
export const MANAGED_AGENTS_BETA = 'managed-agents-2026-04-01';
export const DREAMING_BETA = 'dreaming-2026-04-21';
export const AGENT_MEMORY_BETA = 'agent-memory-2026-07-22';
/** Extra betas per call family (the SDK adds its own family header to these). */
export const DREAM_BETAS = [MANAGED_AGENTS_BETA];
export const SESSION_FILES_BETAS = [MANAGED_AGENTS_BETA];

export interface ManagedClientOptions {
  apiKey?: string;
  baseURL?: string;
  maxRetries: number;
  timeoutMs: number;
  env?: NodeJS.ProcessEnv;
}

export interface ManagedClient {
  readonly sdk: Anthropic;
  readonly baseURL: string;
  /** Any SDK failure -> ModelInfraError (with what was being done); other errors pass through. */
  infra(error: unknown, doing: string): unknown;
}

export function createManagedClient(options: ManagedClientOptions): ManagedClient {
  const env = options.env ?? process.env;
  const apiKey = options.apiKey?.trim() || env.ANTHROPIC_API_KEY?.trim();
  if (!apiKey) {
    throw new AnthropicCredentialsError(
      'ANTHROPIC_API_KEY is not set: the managed-* arms run on Claude Managed Agents and need an API key with access to its research preview. ' +
        'Export ANTHROPIC_API_KEY (and ANTHROPIC_BASE_URL for a gateway), or leave the managed arms out.',
    );
  }
  const baseURL = nonEmpty(options.baseURL) ?? nonEmpty(env.ANTHROPIC_BASE_URL);
  const sdk = new Anthropic({ apiKey, baseURL: baseURL ?? null, maxRetries: options.maxRetries, timeout: options.timeoutMs });
  const host = describeHost(sdk.baseURL);
  return {
    sdk,
    baseURL: sdk.baseURL,
    infra(error: unknown, doing: string): unknown {
      if (error instanceof ModelInfraError) return error;
      if (error instanceof SyntaxError)
        return new ModelInfraError(
          redact(`managed agents: ${doing}: the response from ${host} was not valid JSON (${error.message})`, apiKey),
        );
      if (!(error instanceof AnthropicError)) return error;
      let message: string;
      let status: number | undefined;
      if (error instanceof APIConnectionTimeoutError) {
        message = `${doing}: the request to ${host} timed out (timeout ${options.timeoutMs} ms, ${options.maxRetries} retries)`;
      } else if (error instanceof APIConnectionError) {
        const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
        message = `${doing}: could not reach ${host} after ${options.maxRetries} retries (${error.message}${cause})`;
      } else if (error instanceof APIError && typeof error.status === 'number') {
        status = error.status;
        const type = error.type ?? 'error';
        const said = error.apiMessage ?? error.message;
        const requestId = error.requestID ? ` [request-id ${error.requestID}]` : '';
        if (status === 401 || status === 403)
          message = `${doing}: the API refused the credentials (${status} ${type}): ${said}. Check ANTHROPIC_API_KEY and its access to the Managed Agents research preview.${requestId}`;
        else message = `${doing}: API error ${status} ${type}: ${said}${requestId}`;
      } else {
        message = `${doing}: ${error.message}`;
      }
      return new ModelInfraError(redact(`managed agents: ${message}`, apiKey), status);
    },
  };
}

/** A 4xx other than 408/409/429: retrying the same request will not help. */
export function isFatalClientError(error: unknown): boolean {
  return (
    error instanceof APIError &&
    typeof error.status === 'number' &&
    error.status >= 400 &&
    error.status < 500 &&
    ![408, 409, 429].includes(error.status)
  );
}

function nonEmpty(value: string | undefined): string | undefined {
  return value !== undefined && value.trim() !== '' ? value.trim() : undefined;
}

function describeHost(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return 'the API';
  }
}

function redact(text: string, secret: string): string {
  return secret.length > 0 ? text.split(secret).join('[redacted]') : text;
}

/** Resolves after `ms`, or rejects when the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Exponential backoff: initial, initial*factor, ... capped at max; `reset()` after progress. */
export class Backoff {
  private current: number;
  constructor(
    private readonly initial: number,
    private readonly max: number,
    private readonly factor = 1.5,
  ) {
    this.current = initial;
  }
  next(): number {
    const delay = this.current;
    this.current = Math.min(this.max, this.current * this.factor);
    return delay;
  }
  reset(): void {
    this.current = this.initial;
  }
}
