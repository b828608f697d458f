// Turning errors into one clear line and the documented exit code.

import { ConfigError } from '../config/load.js';
import { RunSetupError } from '../runner/runner.js';
import { AnthropicCredentialsError } from '../models/anthropic/anthropic-model.js';
import { redactText } from '../security/redact.js';

export const EXIT = { ok: 0, failed: 1, badInput: 2, resumable: 3 } as const;

/** Errors that mean "your input is wrong", as opposed to "something broke". */
export class UsageError extends Error {
  override name = 'UsageError';
}

export function isBadInput(error: unknown): boolean {
  return error instanceof ConfigError || error instanceof RunSetupError || error instanceof UsageError || error instanceof AnthropicCredentialsError;
}

export function failWith(error: unknown): never {
  // A provider's error may quote a header or a key: the line goes out redacted.
  const message = redactText(error instanceof Error ? error.message : String(error));
  if (isBadInput(error)) {
    process.stderr.write(`dreambench: ${message}\n`);
    process.exit(EXIT.badInput);
  }
  process.stderr.write(`dreambench: ${message}\n`);
  if (process.env.DREAMBENCH_DEBUG && error instanceof Error && error.stack) process.stderr.write(redactText(error.stack) + '\n');
  process.exit(EXIT.failed);
}
