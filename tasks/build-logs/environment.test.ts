import { describe, expect, it } from 'vitest';
import { environmentOpener } from '../_triage/testing.js';
import { expectedOf } from './data.js';
import { createTriageEnvironment } from './environment.js';
import { goodRows, workdir } from './fixtures/support.js';
import { buildLogsData } from './index.js';
import { PAGE_LINES, TOOLS } from './params.js';

const data = buildLogsData();
const open = environmentOpener(createTriageEnvironment, data, workdir);
const task = data.tasks.find((t) => expectedOf(t).logs.some((l) => l.lines > 400))!;
const long = expectedOf(task).logs.find((l) => l.lines > 400)!;

describe('build-logs tools', () => {
  it('declares list_logs, read_log, grep_log and submit_triage with JSON schemas', async () => {
    const env = await open(task);
    expect(env.tools).toBe(TOOLS);
    expect(env.tools.map((t) => t.name)).toEqual(['list_logs', 'read_log', 'grep_log', 'submit_triage']);
    const submit = env.tools.find((t) => t.name === 'submit_triage')!;
    expect(submit.input_schema.required).toEqual(['rows']);
    expect(submit.description).toContain('team-v2');
  });

  it('list_logs shows the batch', async () => {
    const env = await open(task);
    const out = await env.call('list_logs', {});
    const ids = expectedOf(task).logs.map((l) => l.id);
    expect(out.content.split('\n')[0]).toBe(`${ids.length} logs in this batch (id, component, job, length, result):`);
    for (const id of ids) expect(out.content).toMatch(new RegExp(`^${id} `, 'm'));
  });

  it(`read_log pages ${PAGE_LINES} numbered lines from the head by default, or reads from the tail`, async () => {
    const env = await open(task);
    const head = await env.call('read_log', { id: long.id });
    const lines = head.content.split('\n');
    expect(lines[0]).toBe(
      `${long.id}: lines 1-${PAGE_LINES} of ${long.lines} (${long.lines - PAGE_LINES} more after it: offset=${PAGE_LINES + 1})`,
    );
    expect(lines).toHaveLength(PAGE_LINES + 1);
    expect(lines[1]).toBe(`    1 | ${long.text[0]}`);
    const next = await env.call('read_log', { id: long.id, offset: PAGE_LINES + 1, limit: 10 });
    expect(next.content.split('\n')[1]).toBe(`  ${PAGE_LINES + 1} | ${long.text[PAGE_LINES]}`);
    const tail = await env.call('read_log', { id: long.id, from: 'tail' });
    expect(tail.content.split('\n')[0]).toBe(
      `${long.id}: lines ${long.lines - PAGE_LINES + 1}-${long.lines} of ${long.lines} (${long.lines - PAGE_LINES} lines before it)`,
    );
    expect(tail.content.split('\n').at(-1)).toBe(`${String(long.lines).padStart(5)} | ${long.text.at(-1)}`);
  });

  it('read_log explains bad arguments', async () => {
    const env = await open(task);
    expect((await env.call('read_log', {})).content).toBe('read_log: "id" must be a log id from list_logs');
    expect((await env.call('read_log', { id: 'ci-0000000' })).content).toMatch(/^read_log: no log "ci-0000000" in this batch/);
    expect((await env.call('read_log', { id: long.id, limit: 5000 })).content).toMatch(/"limit" must be a whole number from 1 to 300/);
    expect((await env.call('read_log', { id: long.id, offset: 99999 })).content).toMatch(/offset 99999 is past its end/);
    expect((await env.call('read_log', { id: long.id, from: 'middle' })).is_error).toBe(true);
  });

  it('grep_log searches one log or the whole batch, with line numbers', async () => {
    const env = await open(task);
    const one = await env.call('grep_log', { pattern: '==> \\[1/', id: long.id });
    expect(one.content).toMatch(new RegExp(`^1 matching line:\\n${long.id}:\\s+8 \\| `));
    const all = await env.call('grep_log', { pattern: '^Component: ' });
    expect(all.content.split('\n')[0]).toBe(`${expectedOf(task).logs.length} matching lines:`);
    expect((await env.call('grep_log', { pattern: '(' })).content).toMatch(/^grep_log: invalid regular expression/);
    expect((await env.call('grep_log', { pattern: 'no such text anywhere' })).content).toMatch(/^no line matches/);
  });

  it('submit_triage names every malformed row', async () => {
    const env = await open(task);
    const [first, second] = goodRows(task, data);
    const out = await env.call('submit_triage', {
      rows: [
        { ...first, category: 'kaput' },
        { ...second, evidence_line: 0, owner: '' },
        { ...first, log_id: 'ci-0000000' },
      ],
      category_scheme: 'team-v2',
    });
    expect(out.is_error).toBe(true);
    expect(out.content).toMatch(/^submit_triage rejected the report \(3 problems\):/);
    expect(out.content).toContain(`rows[0] (${first!.log_id}): category "kaput" is not a team-v2 label; its labels: build/compile`);
    expect(out.content).toContain('rows[1]: missing owner');
    expect(out.content).toContain('rows[2]: no log "ci-0000000" in this batch');
    expect((await env.call('submit_triage', { rows: [] })).content).toMatch(/"rows" must be a non-empty array/);
    expect((await env.call('submit_triage', { rows: [first], category_scheme: 'team-v9' })).content).toMatch(
      /"category_scheme" must be one of generic, team-v2/,
    );
    expect(env.pitfallsHit()).toEqual([]);
  });

  it('rejects unknown tools', async () => {
    const env = await open(task);
    expect((await env.call('rm_rf', {})).content).toBe(
      'unknown tool "rm_rf"; available tools: list_logs, read_log, grep_log, submit_triage',
    );
  });
});
