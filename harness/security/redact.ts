// Secrets never reach the run directory, memory, logs, reports or the response cache: every text
// dreambench writes passes through `redactText` (or `redactDeep` for JSON values) at the boundary
// (harness/storage/run-dir.ts, the runner's memory after consolidation, the response cache, the
// report writer and the CLI's error line).
//
// What is redacted:
//  - key-shaped strings: Anthropic (sk-ant-...), OpenAI (sk-..., sk-proj-...), AWS access key ids
//    (AKIA..., ASIA...) and secret keys written as `aws_secret_access_key = ...`, GitHub tokens
//    (ghp_, gho_, ghu_, ghs_, ghr_, github_pat_), Slack tokens (xox?-), Google API keys (AIza...),
//    Hugging Face tokens (hf_...), PEM private keys, and `Authorization: Bearer ...` values;
//  - the actual values of secret environment variables of this process: ANTHROPIC_API_KEY,
//    OPENAI_API_KEY, AWS_SECRET_ACCESS_KEY, GITHUB_TOKEN and any variable whose name ends in
//    _API_KEY, _KEY, _TOKEN, _SECRET, _PASSWORD or _CREDENTIALS (values of 8 characters or more), plus
//    the names listed in DREAMBENCH_SECRET_ENV (comma-separated).
// Each is replaced by `[REDACTED:<kind>]` (e.g. `[REDACTED:anthropic-key]`, `[REDACTED:env:ANTHROPIC_API_KEY]`).
//
// The replacement keeps JSON valid (no quotes or backslashes), so redacting the strings of a value
// and serialising it gives the same file as serialising and redacting would, minus the secret.

const KEY_PATTERNS: Array<{ kind: string; re: RegExp }> = [
  { kind: 'private-key', re: /-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----[\s\S]*?-----END (?:[A-Z]+ )?PRIVATE KEY-----/g },
  { kind: 'anthropic-key', re: /\bsk-ant-[A-Za-z0-9_-]{16,}/g },
  { kind: 'openai-key', re: /\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}/g },
  { kind: 'aws-access-key-id', re: /\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b/g },
  { kind: 'aws-secret-key', re: /\b(aws_secret_access_key|aws_secret_key|secretaccesskey)(\s*[=:]\s*["']?)[A-Za-z0-9/+=]{40}\b/gi },
  { kind: 'github-token', re: /\b(?:gh[pousr]_[A-Za-z0-9]{30,255}|github_pat_[A-Za-z0-9_]{22,255})\b/g },
  { kind: 'slack-token', re: /\bxox[abposr]-[A-Za-z0-9-]{10,}/g },
  { kind: 'google-api-key', re: /\bAIza[0-9A-Za-z_-]{35}\b/g },
  { kind: 'huggingface-token', re: /\bhf_[A-Za-z0-9]{30,}\b/g },
  { kind: 'bearer-token', re: /\b(Bearer\s+)[A-Za-z0-9._~+/-]{20,}=*/g },
];

const NAMED_SECRETS = [
  'ANTHROPIC_API_KEY',
  'ANTHROPIC_AUTH_TOKEN',
  'OPENAI_API_KEY',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'GITHUB_TOKEN',
  'GH_TOKEN',
  'HF_TOKEN',
  'NPM_TOKEN',
];
const SECRET_NAME = /(?:^|_)(?:API_?KEY|KEY|TOKEN|SECRET|SECRET_KEY|PASSWORD|PASSWD|CREDENTIALS?|PRIVATE_KEY)$/i;
/** Variables whose names look secret but hold configuration, never secrets. */
const NOT_SECRET = /^(?:npm_|GPG_TTY$|SSH_AUTH_SOCK$|TERM_|KEYTIMEOUT$)/;
const MIN_ENV_SECRET = 8;

export interface SecretValue {
  name: string;
  value: string;
}

/** The secret values in this process's environment (read afresh on each call: a run may set them late). */
export function environmentSecrets(env: NodeJS.ProcessEnv = process.env): SecretValue[] {
  const extra = (env.DREAMBENCH_SECRET_ENV ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const out: SecretValue[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (!value || value.length < MIN_ENV_SECRET) continue;
    if (NOT_SECRET.test(name)) continue;
    if (NAMED_SECRETS.includes(name) || extra.includes(name) || SECRET_NAME.test(name)) out.push({ name, value });
  }
  // Longest first, so a secret that contains another is replaced whole.
  return out.sort((a, b) => b.value.length - a.value.length);
}

let cachedEnv: { signature: string; secrets: SecretValue[] } | undefined;

/** The secret values to redact now: environmentSecrets(), rebuilt only when the environment's secret-looking variables change. */
export function currentSecrets(): SecretValue[] {
  // Rebuilding the list scans the environment; its keys and lengths change rarely, so key on them.
  const keys = Object.keys(process.env);
  let signature = String(keys.length);
  for (const key of keys)
    if (SECRET_NAME.test(key) || NAMED_SECRETS.includes(key))
      signature += `|${key}=${process.env[key]?.length ?? 0}:${process.env[key]?.slice(0, 4) ?? ''}`;
  signature += `|${process.env.DREAMBENCH_SECRET_ENV ?? ''}`;
  if (!cachedEnv || cachedEnv.signature !== signature) cachedEnv = { signature, secrets: environmentSecrets() };
  return cachedEnv.secrets;
}

/**
 * A cheap test that a string may hold a key-shaped secret (most strings do not). Each prefix starts
 * at a word boundary, as in KEY_PATTERNS, so everyday words ("task-", "desk-") do not send every
 * text through all the patterns.
 */
const MAYBE_KEY =
  /\b(?:sk-|AKIA|ASIA|ABIA|ACCA|aws_secret|secretaccesskey|gh[pousr]_|github_pat_|xox[abposr]-|AIza|hf_|Bearer\s)|PRIVATE KEY-----/i;

/** Replace every secret in a text. */
export function redactText(text: string, secrets: readonly SecretValue[] = currentSecrets()): string {
  let out = text;
  for (const { name, value } of secrets) if (out.includes(value)) out = out.split(value).join(`[REDACTED:env:${name}]`);
  if (!MAYBE_KEY.test(out)) return out;
  for (const { kind, re } of KEY_PATTERNS) {
    re.lastIndex = 0;
    out = out.replace(re, (...m: string[]) => {
      if (kind === 'aws-secret-key') return `${m[1]}${m[2]}[REDACTED:${kind}]`;
      if (kind === 'bearer-token') return `${m[1]}[REDACTED:${kind}]`;
      return `[REDACTED:${kind}]`;
    });
  }
  return out;
}

/** Whether a text holds anything `redactText` would replace. */
export function hasSecret(text: string): boolean {
  return redactText(text) !== text;
}

/** A copy of a JSON-like value with every string redacted (keys too). Values without secrets come back as they were. */
export function redactDeep<T>(value: T, secrets: readonly SecretValue[] = currentSecrets()): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return redactText(v, secrets);
    if (Array.isArray(v)) {
      let changed = false;
      const out = v.map((item) => {
        const next = walk(item);
        if (next !== item) changed = true;
        return next;
      });
      return changed ? out : v;
    }
    if (v && typeof v === 'object' && !(v instanceof Uint8Array) && Object.getPrototypeOf(v) === Object.prototype) {
      let changed = false;
      const out: Record<string, unknown> = {};
      for (const [k, item] of Object.entries(v as Record<string, unknown>)) {
        const key = redactText(k, secrets);
        const next = walk(item);
        if (next !== item || key !== k) changed = true;
        out[key] = next;
      }
      return changed ? out : v;
    }
    return v;
  };
  return walk(value) as T;
}

/** A memory snapshot (file -> text) with every file's text redacted. */
export function redactMemory(files: Record<string, string>): Record<string, string> {
  const secrets = currentSecrets();
  let changed = false;
  const out: Record<string, string> = {};
  for (const [file, text] of Object.entries(files)) {
    const next = redactText(text, secrets);
    if (next !== text) changed = true;
    out[file] = next;
  }
  return changed ? out : files;
}

/**
 * `JSON.stringify(value, null, indent)` with every secret redacted. Fast when there is nothing to
 * redact (one scan of the text); otherwise the value's strings are redacted one by one (so a secret
 * that JSON escapes, e.g. one holding a quote, is still found). `secrets` lets a caller that writes
 * several values at once look the environment up once.
 */
export function redactedJson(value: unknown, indent?: number, secrets: readonly SecretValue[] = currentSecrets()): string {
  const text = JSON.stringify(value, null, indent);
  if (text === undefined || isClean(text, secrets)) return text;
  return JSON.stringify(redactDeep(value, secrets), null, indent);
}

/**
 * Compact `redactedJson`, then the whole text through `redactText` (the same as
 * `redactText(redactedJson(value))`), for files read back as one text, such as transcripts. A text
 * with nothing to redact is scanned once, not twice.
 */
export function redactedJsonText(value: unknown): string {
  const secrets = currentSecrets();
  const text = JSON.stringify(value);
  if (text === undefined || isClean(text, secrets)) return text;
  return redactText(JSON.stringify(redactDeep(value, secrets)), secrets);
}

/** Whether a JSON text holds no secret, neither as written nor JSON-escaped. */
function isClean(text: string, secrets: readonly SecretValue[]): boolean {
  const escaped = secrets.some((s) => {
    const e = JSON.stringify(s.value).slice(1, -1);
    return e !== s.value && text.includes(e);
  });
  return !escaped && redactText(text, secrets) === text;
}
