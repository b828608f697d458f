import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { environmentSecrets, hasSecret, redactDeep, redactMemory, redactText } from './redact.js';
import { RunDir, appendJsonLine, writeJsonAtomic } from '../storage/run-dir.js';
import { ResponseCache, CACHE_FORMAT } from '../models/cache.js';
import { executeRun } from '../runner/runner.js';
import { smallExperiment, tempDir } from '../testing/run-helpers.js';
import { writeRunReport } from '../../reports/run-report.js';
import { readTranscript } from '../storage/transcripts.js';

const base62 = (n: number): string => {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return [...randomBytes(n)].map((b) => alphabet[b % alphabet.length]).join('');
};

const decompressed = (path: string): string => {
  const bytes = readFileSync(path);
  if (path.endsWith('.br')) return brotliDecompressSync(bytes).toString('latin1');
  return (path.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('latin1');
};

/** Every file under a folder (the stored texts of transcripts included), as text. */
function everyFile(dir: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      // Transcripts and their stored texts are compressed: read what they hold, not their compressed bytes.
      else out.push([path, decompressed(path)]);
    }
  };
  walk(dir);
  return out;
}

const saved = { ...process.env };
afterEach(() => {
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  Object.assign(process.env, saved);
});

describe('redaction', () => {
  it('replaces key-shaped secrets of the common providers', () => {
    const keys = {
      'anthropic-key': `sk-ant-api03-${base62(40)}`,
      'openai-key': `sk-proj-${base62(40)}`,
      'aws-access-key-id': `AKIA${base62(16)
        .toUpperCase()
        .replace(/[^A-Z0-9]/g, 'Q')}`,
      'github-token': `ghp_${base62(36)}`,
      'slack-token': `xoxb-${base62(24)}`,
    };
    for (const [kind, key] of Object.entries(keys)) {
      const out = redactText(`the key is ${key}, keep it safe`);
      expect(out, kind).toBe(`the key is [REDACTED:${kind}], keep it safe`);
    }
    expect(redactText(`aws_secret_access_key = ${base62(40)}`)).toBe('aws_secret_access_key = [REDACTED:aws-secret-key]');
    expect(redactText(`Authorization: Bearer ${base62(32)}`)).toBe('Authorization: Bearer [REDACTED:bearer-token]');
    const pem = `-----BEGIN RSA PRIVATE KEY-----\n${base62(64)}\n-----END RSA PRIVATE KEY-----`;
    expect(redactText(`x ${pem} y`)).toBe('x [REDACTED:private-key] y');
  });

  it('leaves ordinary text alone (words like "desk-top", commit hashes, UUIDs)', () => {
    const text = 'risk-based desk-top review of commit 3f9c2a1b7e4d and request 9f1c0d6e-2b7a-4c8e-9a3f-5d2e1b0c7a64';
    expect(redactText(text)).toBe(text);
    expect(hasSecret(text)).toBe(false);
  });

  it('replaces the values of secret environment variables, read when the text is written', () => {
    const value = `plainvalue-${randomBytes(8).toString('hex')}`;
    expect(redactText(`token=${value}`)).toBe(`token=${value}`);
    process.env.ANTHROPIC_API_KEY = value;
    expect(redactText(`token=${value}`)).toBe('token=[REDACTED:env:ANTHROPIC_API_KEY]');
    process.env.MY_SERVICE_TOKEN = `svc-${value}`;
    expect(redactText(`a svc-${value} b`)).toBe('a [REDACTED:env:MY_SERVICE_TOKEN] b');
    process.env.SHORT_TOKEN = 'abc';
    expect(environmentSecrets().some((s) => s.name === 'SHORT_TOKEN')).toBe(false);
    process.env.DREAMBENCH_SECRET_ENV = 'ODDLY_NAMED';
    process.env.ODDLY_NAMED = `odd-${value}`;
    expect(redactText(`odd-${value}`)).toBe('[REDACTED:env:ODDLY_NAMED]');
  });

  it('redacts every string of a JSON value, keeping it valid, and returns clean values as they were', () => {
    const key = `sk-ant-api03-${base62(40)}`;
    const value = { a: [`x ${key}`, 1, { [key]: true }], b: 'clean' };
    const out = redactDeep(value);
    expect(JSON.stringify(out)).not.toContain(key);
    expect(out.b).toBe('clean');
    const clean = { a: ['x'], b: 2 };
    expect(redactDeep(clean)).toBe(clean);
    expect(redactMemory({ 'notes.md': `- use ${key}` })['notes.md']).toBe('- use [REDACTED:anthropic-key]');
  });

  it("applies at the run directory's choke points and in the response cache", () => {
    const key = `sk-ant-api03-${base62(40)}`;
    const dir = tempDir();
    writeJsonAtomic(join(dir, 'a.json'), { text: key });
    appendJsonLine(join(dir, 'b.jsonl'), { text: key });
    new RunDir(dir).writeSnapshot('arm', 1, 1, { 'notes.md': `- ${key}` });
    const cache = new ResponseCache(join(dir, 'cache'));
    cache.put({
      format: CACHE_FORMAT,
      key: 'f'.repeat(64),
      model: 'sim:default',
      purpose: 'agent',
      seed_key: 's',
      request_sha256: '0'.repeat(64),
      created_at: new Date().toISOString(),
      response: {
        model: 'sim:default',
        content: [{ type: 'text', text: `echo ${key}` }],
        stop_reason: 'end_turn',
        usage: { input_tokens: 1, output_tokens: 1, cache_read_tokens: 0, cache_write_tokens: 0 },
        cost_usd: 0,
      },
    });
    // A secret JSON has to escape (a quote in an environment value) is found in a JSON file too.
    const quoted = `q"uoted-${base62(12)}`;
    process.env.QUOTED_TOKEN = quoted;
    writeJsonAtomic(join(dir, 'q.json'), { text: `v=${quoted}` });
    expect(readFileSync(join(dir, 'q.json'), 'utf8')).toContain('[REDACTED:env:QUOTED_TOKEN]');
    delete process.env.QUOTED_TOKEN;
    const files = everyFile(dir).filter(([path]) => !path.endsWith('q.json'));
    expect(files.length).toBe(4);
    for (const [path, text] of files) {
      expect(text, path).not.toContain(key);
      expect(text, path).toContain('[REDACTED:anthropic-key]');
    }
  });

  it('a planted key in a matter file and a secret env var never reach a run directory, its report or the cache', async () => {
    const patternKey = `sk-ant-api03-${base62(48)}`;
    const envValue = `planted-${randomBytes(12).toString('hex')}`;
    process.env.OPENAI_API_KEY = envValue;
    const root = tempDir();
    const runDir = join(root, 'run');
    const cacheDir = join(root, 'cache');
    const outcome = await executeRun({
      runDir,
      cache: { dir: cacheDir, mode: 'record' },
      experiment: smallExperiment({
        name: 'planted',
        model: 'sim:gullible',
        suites: ['memory-poisoning'],
        suite_options: { 'memory-poisoning': { planted_secret: [patternKey, envValue] } },
        arms: ['learnings-md', { arm: 'dreaming', options: { filter: 'none' } }],
        sessions: 2,
        tasks_per_session: 4,
        replicates: 1,
      }),
    });
    expect(outcome.status).toBe('completed');
    await writeRunReport(runDir, { charts: false });
    // The agent did read them (the transcripts show the redacted line where the matter file had them).
    const transcript = JSON.stringify(readTranscript(runDir, outcome.trials[0]!.transcript));
    expect(transcript).toContain('DMS access token: [REDACTED:anthropic-key]');
    expect(transcript).toContain('DMS access token: [REDACTED:env:OPENAI_API_KEY]');
    const files = [...everyFile(runDir), ...everyFile(cacheDir)];
    expect(files.length).toBeGreaterThan(20);
    for (const [path, text] of files) {
      expect(text.includes(patternKey), path).toBe(false);
      expect(text.includes(envValue), path).toBe(false);
    }
  }, 120_000);
});
