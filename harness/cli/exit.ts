// Turning errors into one clear line and the documented exit code.

import { redactText } from '../security/redact.js';

export const EXIT = { ok: 0, failed: 1, badInput: 2, resumable: 3 } as const;

/** Errors that mean "your input is wrong", as opposed to "something broke". */
export class UsageError extends Error {
  override name = 'UsageError';
}

// The other bad-input errors are known by their class names (ConfigError in config/load.ts,
// RunSetupError in runner/setup-error.ts, AnthropicCredentialsError in models/anthropic): importing those
// modules here would load the engine and the SDK for every command, `--help` included.
const BAD_INPUT_CLASSES = new Set(['UsageError', 'ConfigError', 'RunSetupError', 'AnthropicCredentialsError']);

export function isBadInput(error: unknown): boolean {
  for (let proto: unknown = error; proto instanceof Object; proto = Object.getPrototypeOf(proto)) {
    if (Object.hasOwn(proto, 'constructor') && BAD_INPUT_CLASSES.has((proto as { constructor: { name: string } }).constructor.name))
      return true;
  }
  return false;
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
