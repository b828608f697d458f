// `dreambench view --logs` as a user runs it, from the built bin (dist/): it says what it read and
// serves the conversations until stopped, or exports them as a static copy with --export; a
// malformed or unknown log stops it with one line naming the file, the line and the field, exit
// code 2, before any server starts or any file is written.

import { execa } from 'execa';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../core/paths.js';
import { tempDir } from '../testing/run-helpers.js';

const BIN = join(packageRoot(), 'dist', 'harness', 'cli', 'main.js');
const SAMPLES = join(packageRoot(), 'examples', 'logs');
const view = (args: string[]) => execa('node', [BIN, 'view', ...args], { reject: false, cwd: packageRoot() });

function brokenClaudeCodeLog(): string {
  const dir = join(tempDir('dreambench-view-bad-logs-'), 'projects', 'my-app');
  mkdirSync(dir, { recursive: true });
  const line = (message: unknown) =>
    JSON.stringify({ type: 'user', sessionId: 's-1', uuid: 'u-1', timestamp: '2026-11-22T09:00:00Z', message });
  writeFileSync(join(dir, 'good.jsonl'), `${line({ role: 'user', content: 'Render the NDA.' })}\n`);
  writeFileSync(join(dir, 'bad.jsonl'), `${line({ role: 'user', content: 'Start.' })}\n${line('oops')}\n`.replace(/s-1/g, 's-2'));
  return join(dir, '..');
}

describe('dreambench view --logs (the command)', () => {
  it('says what it read, serves the conversations, and stops on SIGTERM', async () => {
    const child = execa('node', [BIN, 'view', '--logs', SAMPLES, '--port', '0'], { reject: false, cwd: packageRoot() });
    let out = '';
    await new Promise<void>((resolve) => {
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (/Stop with Ctrl-C/.test(out)) resolve();
      });
    });
    expect(out).toMatch(/^dreambench view: read 12 transcripts from 1 agent-sdk file, 2 claude-code files, .*1 otel file\n/);
    const url = /at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out)![1]!;
    const logs = (await (await fetch(new URL('/api/logs?limit=500', url))).json()) as { page: { rows: Array<{ format: string }> } };
    expect(new Set(logs.page.rows.map((r) => r.format)).size).toBe(7);
    child.kill('SIGTERM');
    expect((await child).exitCode).toBe(0);
  }, 120_000);

  it('exits 2 with one line naming the file, line and field of a malformed log, before serving', async () => {
    const result = await view(['--logs', brokenClaudeCodeLog(), '--port', '0']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/bad\.jsonl:2: message: expected an object, got a string$/m);
    expect(result.stdout).not.toMatch(/serving/);
  });

  it('exports the conversations as a static copy with --export, and says what it wrote', async () => {
    const out = join(tempDir('dreambench-view-logs-export-'), 'share');
    const result = await view(['--logs', SAMPLES, '--export', out]);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^dreambench view: read 12 transcripts from .*\nExported 12 conversation\(s\) to /);
    expect(readdirSync(out).sort()).toEqual(['assets', 'data', 'index.html']);
    // One data file per conversation, plus the table's rows, the home page's summary and the index.
    expect(readdirSync(join(out, 'data'))).toHaveLength(12 + 2 + 1);
    expect(readdirSync(join(out, 'assets'))).toContain('log-query.js');
  });

  it('redacts key-shaped secrets from the exported copy of a log (logs are read as their tools wrote them)', async () => {
    const dir = join(tempDir('dreambench-view-secret-logs-'), 'projects', 'my-app');
    mkdirSync(dir, { recursive: true });
    const fakeKey = `sk-ant-api03-${'Zq7'.repeat(30)}`; // key-shaped, made up here, never a real key
    const line = (type: string, message: unknown, uuid: string) =>
      JSON.stringify({ type, sessionId: 's-9', uuid, timestamp: '2026-11-22T09:00:00Z', message });
    writeFileSync(
      join(dir, 'session.jsonl'),
      `${line('user', { role: 'user', content: `Use the key ${fakeKey} to call the API.` }, 'u-1')}\n` +
        `${line('assistant', { role: 'assistant', id: 'msg_1', content: [{ type: 'text', text: 'Done.' }] }, 'u-2')}\n`,
    );
    const out = join(tempDir('dreambench-view-logs-export-'), 'share');
    const result = await view(['--logs', join(dir, '..'), '--export', out]);
    expect(result.exitCode, result.stderr).toBe(0);
    const data = readdirSync(join(out, 'data'))
      .map((f) => readFileSync(join(out, 'data', f), 'utf8'))
      .join('\n');
    expect(data).toContain('Use the key [REDACTED:');
    expect(data).not.toContain(fakeKey);
  });

  it('exits 2 with nothing written when a log given to --export is malformed', async () => {
    const out = join(tempDir('dreambench-view-logs-export-'), 'share');
    const result = await view(['--logs', brokenClaudeCodeLog(), '--export', out]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/bad\.jsonl:2: message: expected an object, got a string$/m);
    expect(existsSync(out)).toBe(false);
  });

  it('exits 2 for a file of no known format, a missing path, and a memory folder that is not one', async () => {
    const unknown = join(tempDir(), 'notes.json');
    writeFileSync(unknown, '{"hello": "world"}');
    const odd = await view(['--logs', unknown]);
    expect(odd.exitCode).toBe(2);
    expect(odd.stderr).toMatch(/notes\.json.*unknown log format; expected one of .*claude-code.*\(name it with --format\)/);
    const missing = await view(['--logs', join(tempDir(), 'nope')]);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toMatch(/nope: no such file or directory/);
    const memory = await view(['--logs', SAMPLES, '--memory', tempDir()]);
    expect(memory.exitCode).toBe(2);
    expect(memory.stderr).toMatch(/not a memory folder of `dreambench dream`/);
  });
});
