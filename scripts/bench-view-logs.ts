// `dreambench view --logs` on a large history: how long reading and indexing the logs takes before
// the server starts, the heap it then holds, and how fast the conversations table, a text search
// and one conversation answer. The logs are synthetic Claude Code session files (--sessions files
// of --messages messages, tool calls and results with varied text), written to a temporary folder.
//
//   npm run build:dev && node --expose-gc dist-dev/scripts/bench-view-logs.js [--sessions 1000] [--messages 100] [--repeat 20]
//
// Prints JSON. Plain timing over real HTTP on loopback; the figures describe this machine and the
// harness only.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { compiledViewClient } from '../harness/testing/view-fixtures.js';
import { createLogApi } from '../harness/view/log-api.js';
import { loadLogCatalog } from '../harness/view/log-conversations.js';
import { startViewServer } from '../harness/view/server.js';

const { values } = parseArgs({
  options: {
    sessions: { type: 'string', default: '1000' },
    messages: { type: 'string', default: '100' },
    repeat: { type: 'string', default: '20' },
  },
});
const sessions = Number(values.sessions);
const perSession = Number(values.messages);
const WORDS = ['render', 'contract', 'invoice', 'deploy', 'migrate', 'refund', 'schedule', 'summarise', 'triage', 'archive'];

const base = mkdtempSync(join(tmpdir(), 'dreambench-bench-view-logs-'));
const project = join(base, 'projects', '-home-user-work-app');
mkdirSync(project, { recursive: true });
let bytes = 0;
for (let s = 0; s < sessions; s++) {
  const id = `00000000-0000-4000-8000-${String(s).padStart(12, '0')}`;
  const lines: string[] = [];
  const line = (n: number, type: 'user' | 'assistant', message: unknown): void => {
    const at = new Date(Date.UTC(2026, 0, 1) + s * 3_600_000 + n * 1000).toISOString();
    lines.push(JSON.stringify({ type, sessionId: id, uuid: `${id}-${n}`, cwd: '/home/user/work/app', timestamp: at, message }));
  };
  const word = (k: number): string => WORDS[(s + k) % WORDS.length]!;
  line(0, 'user', { role: 'user', content: `Please ${word(0)} the ${word(1)} files for customer ${s}.` });
  for (let n = 1; n < perSession; n += 2) {
    const tool = `toolu_${s}_${n}`;
    line(n, 'assistant', {
      role: 'assistant',
      content: [
        { type: 'text', text: `Step ${n}: I will ${word(n)} the next part, then check the ${word(n + 3)} output.` },
        { type: 'tool_use', id: tool, name: 'Bash', input: { command: `./tools/${word(n)} --item ${n} --session ${s}` } },
      ],
    });
    const failed = n % 7 === 0;
    line(n + 1, 'user', {
      role: 'user',
      content: [
        {
          type: 'tool_result',
          tool_use_id: tool,
          content: `${failed ? 'Error: ' : ''}${word(n + 5)} finished item ${n} of session ${s}; ${'output line. '.repeat(20)}`,
          ...(failed ? { is_error: true } : {}),
        },
      ],
    });
  }
  const text = `${lines.join('\n')}\n`;
  bytes += Buffer.byteLength(text);
  writeFileSync(join(project, `${id}.jsonl`), text);
}

const heapBefore = process.memoryUsage().heapUsed;
const started = performance.now();
const logs = createLogApi(loadLogCatalog({ roots: [project] }));
const readMs = performance.now() - started;
global.gc?.();
const heapMb = (process.memoryUsage().heapUsed - heapBefore) / 1e6;
const server = await startViewServer({ paths: [], port: 0, assetsDir: compiledViewClient(), logs });

async function timed(path: string): Promise<{ ms: number; bytes: number }> {
  const t = performance.now();
  const res = await fetch(new URL(path, server.url));
  const body = await res.arrayBuffer();
  if (!res.ok) throw new Error(`${path}: ${res.status}`);
  return { ms: Math.round((performance.now() - t) * 10) / 10, bytes: body.byteLength };
}
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const firstPage = await timed('/api/logs');
const searches: number[] = [];
const opens: number[] = [];
for (let i = 0; i < Number(values.repeat); i++) {
  searches.push((await timed(`/api/logs?q=${encodeURIComponent(`customer ${i * 7}.`)}&sort=tool_errors&dir=desc`)).ms);
  const id = `00000000-0000-4000-8000-${String((i * 37) % sessions).padStart(12, '0')}`;
  opens.push((await timed(`/api/log?id=${id}`)).ms);
}
await server.close();
rmSync(base, { recursive: true, force: true });
process.stdout.write(
  `${JSON.stringify(
    {
      sessions,
      messages_per_session: perSession,
      log_mb: Math.round(bytes / 1e5) / 10,
      read_and_index_ms: Math.round(readMs),
      heap_mb: Math.round(heapMb),
      first_page_ms: firstPage.ms,
      first_page_bytes: firstPage.bytes,
      search_median_ms: median(searches),
      open_conversation_median_ms: median(opens),
      node: process.version,
    },
    null,
    2,
  )}\n`,
);
