// Token counts in Claude Code session files: each reply counted once although a streamed reply is
// written one line per content block with its usage repeated, cache reads and writes kept (flat or
// nested by lifetime), the counts placed on the assistant message they belong to, a log without
// counts left without usage (never zeros), and a count that is not a number stopped with its field.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../core/paths.js';
import { tempDir } from '../../testing/run-helpers.js';
import { readLogs } from '../read.js';
import { LogFormatError } from '../types.js';

const SAMPLES = join(packageRoot(), 'examples', 'logs', 'claude-code');
const SESSION = '5f0c6a1e-3b7d-4c2a-9e51-0d1f2a3b4c5d';

/** A Claude Code session file from (type, message) pairs, in a fresh project folder. */
function session(lines: Array<[string, Record<string, unknown>]>): string {
  const dir = join(tempDir('dreambench-cc-usage-'), 'projects', 'app');
  mkdirSync(dir, { recursive: true });
  const text = lines
    .map(([type, message], i) =>
      JSON.stringify({ type, sessionId: 's-1', uuid: `u-${i}`, timestamp: `2026-11-22T09:00:0${i}Z`, cwd: '/work/app', message }),
    )
    .join('\n');
  writeFileSync(join(dir, 's-1.jsonl'), `${text}\n`);
  return dir;
}
const user = (text: string): [string, Record<string, unknown>] => ['user', { role: 'user', content: text }];
const reply = (id: string, content: unknown[], usage: unknown): [string, Record<string, unknown>] => [
  'assistant',
  { id, type: 'message', role: 'assistant', model: 'claude-sonnet-5-5', content, usage },
];

describe('token counts in Claude Code logs', () => {
  it('sums the sample session with each streamed reply counted once, and places each reply on its message', () => {
    const { transcripts } = readLogs([SAMPLES]);
    const main = transcripts.find((t) => t.id === SESSION)!;
    // Six replies: one streamed over three lines (6 in, 164 out, cache 11,800 read / 2,400 written),
    // one with cache counts (4 in, 58 out, 14,200 / 310), four of 900 in and 120 out.
    expect(main.usage?.total).toEqual({ input_tokens: 3610, output_tokens: 702, cache_read_tokens: 26000, cache_write_tokens: 2710 });
    const assistants = main.transcript.messages.flatMap((m, i) => (m.role === 'assistant' ? [i] : []));
    expect(main.usage?.messages.map((m) => m.message)).toEqual(assistants);
    expect(main.usage?.messages[0]?.usage).toEqual({
      input_tokens: 6,
      output_tokens: 164,
      cache_read_tokens: 11800,
      cache_write_tokens: 2400,
    });
    // The subagent's reply is its own transcript's, not the main thread's.
    const side = transcripts.find((t) => t.id === `${SESSION}/sidechain`)!;
    expect(side.usage?.total).toEqual({ input_tokens: 900, output_tokens: 120, cache_read_tokens: 0, cache_write_tokens: 0 });
  });

  it('keeps the largest count of a reply repeated over lines, and reads cache writes nested by lifetime', () => {
    const dir = session([
      user('Fix the test.'),
      reply('msg_1', [{ type: 'thinking', thinking: '', signature: 'x' }], {
        input_tokens: 3,
        output_tokens: 1,
        cache_read_input_tokens: 500,
        cache_creation: { ephemeral_5m_input_tokens: 40, ephemeral_1h_input_tokens: 60 },
      }),
      reply('msg_1', [{ type: 'text', text: 'Running it.' }], {
        input_tokens: 3,
        output_tokens: 75,
        cache_read_input_tokens: 500,
        cache_creation: { ephemeral_5m_input_tokens: 40, ephemeral_1h_input_tokens: 60 },
      }),
      user('Thanks.'),
      reply('msg_2', [{ type: 'text', text: 'Done.' }], { input_tokens: 10, output_tokens: 5 }),
    ]);
    const [t] = readLogs([dir]).transcripts;
    expect(t!.usage?.total).toEqual({
      input_tokens: 13,
      output_tokens: 80,
      cache_read_tokens: 500,
      cache_write_tokens: 100,
      cache_write_1h_tokens: 60,
    });
    // The thinking-only line added no block; its reply still belongs to the message its text went into.
    expect(t!.usage?.messages).toEqual([
      {
        message: 1,
        usage: { input_tokens: 3, output_tokens: 75, cache_read_tokens: 500, cache_write_tokens: 100, cache_write_1h_tokens: 60 },
      },
      { message: 3, usage: { input_tokens: 10, output_tokens: 5, cache_read_tokens: 0, cache_write_tokens: 0 } },
    ]);
  });

  it('leaves a session without counts without usage', () => {
    const dir = session([user('Hello.'), reply('msg_1', [{ type: 'text', text: 'Hi.' }], undefined)]);
    expect(readLogs([dir]).transcripts[0]!.usage).toBeUndefined();
  });

  it('stops on a count that is not a number, naming the file, line and field', () => {
    const dir = session([user('Hello.'), reply('msg_1', [{ type: 'text', text: 'Hi.' }], { input_tokens: 'many', output_tokens: 2 })]);
    expect(() => readLogs([dir])).toThrow(LogFormatError);
    expect(() => readLogs([dir])).toThrow(
      /s-1\.jsonl:2: message\.usage\.input_tokens: expected a token count \(a number, 0 or more\), got a string/,
    );
  });
});
