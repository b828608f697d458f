// `dreambench dream` over logs people already keep, as a user runs it (the built CLI in a child
// process): Claude Code history into a reviewed CLAUDE.md section, cron-friendly exit codes,
// incremental replays of sessions that grew, and bad logs stopped before anything is written.

import { execa } from 'execa';
import { appendFileSync, cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../core/paths.js';
import { tempDir } from '../testing/run-helpers.js';
import type { Changeset } from './changeset.js';

const BIN = join(packageRoot(), 'dist', 'harness', 'cli', 'main.js');
const SAMPLES = join(packageRoot(), 'examples', 'logs');
const cli = (args: string[], cwd: string) => execa('node', [BIN, ...args], { reject: false, env: { CI: 'true' }, cwd });

beforeAll(() => {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run \`npm run build\` (npm test does it first)`);
});

describe('dreambench dream over Claude Code history', () => {
  it('proposes, waits for review (exit 3), writes CLAUDE.md only after approval, then finds nothing new (exit 0)', async () => {
    const dir = tempDir();
    cpSync(join(SAMPLES, 'claude-code'), join(dir, 'history'), { recursive: true });
    writeFileSync(join(dir, 'CLAUDE.md'), '# contracts-app\n\nUse pnpm.\n');
    const args = [
      'dream',
      '--logs',
      'history',
      '--memory',
      'mem',
      '--model',
      'sim:default',
      '--write',
      'claude-md:CLAUDE.md',
      '--review',
      'human',
    ];

    const first = await cli(args, dir);
    expect(first.stderr).toBe('');
    expect(first.exitCode).toBe(3);
    expect(first.stdout).toContain('read 3 transcripts from 2 claude-code files');
    expect(first.stdout).toMatch(/waiting for review: `dreambench memory review mem` \(then written to claude-md:.*CLAUDE\.md\)/);
    expect(readFileSync(join(dir, 'CLAUDE.md'), 'utf8')).toBe('# contracts-app\n\nUse pnpm.\n'); // nothing before review

    const review = await cli(['memory', 'review', 'mem', '--approve-all'], dir);
    expect(review.exitCode).toBe(0);
    expect(review.stdout).toMatch(/claude-md:.*CLAUDE\.md: section updated/);
    const claude = readFileSync(join(dir, 'CLAUDE.md'), 'utf8');
    expect(claude.startsWith('# contracts-app\n\nUse pnpm.\n')).toBe(true);
    expect(claude).toContain('render_docx.numbering="legal-flat"');
    expect(claude).not.toContain('jane.doe@example.com');

    const changeset = JSON.parse(readFileSync(join(dir, 'mem', '.dreambench', 'dreams', 'dream-001.json'), 'utf8')) as Changeset;
    expect(changeset.inputs?.formats).toEqual({ 'claude-code': 2 });
    expect(changeset.inputs?.outcome_of).toEqual({
      '5f0c6a1e-3b7d-4c2a-9e51-0d1f2a3b4c5d': 'signals',
      '5f0c6a1e-3b7d-4c2a-9e51-0d1f2a3b4c5d/sidechain': 'none',
      '8a9b0c1d-2e3f-4a5b-8c7d-9e0f1a2b3c4d': 'signals',
    });
    expect(changeset.inputs?.redacted).toEqual({ email: 1 });

    const again = await cli(args, dir);
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toContain('nothing new: all 3 transcripts were dreamt over already');
    expect(readFileSync(join(dir, 'CLAUDE.md'), 'utf8')).toBe(claude);
  });

  it('applies at once in auto mode (exit 0 with a summary) and replays only what a continued session added', async () => {
    const dir = tempDir();
    cpSync(join(SAMPLES, 'claude-code'), join(dir, 'history'), { recursive: true });
    const args = ['dream', '--logs', 'history', '--memory', 'mem', '--model', 'sim:default', '--write', 'claude-memory:claude-mem'];
    const first = await cli(args, dir);
    expect(first.exitCode).toBe(0);
    expect(first.stdout).toMatch(/^dream-001: 3 transcripts, \d+ findings, \+\d+ add/m);
    expect(readFileSync(join(dir, 'claude-mem', 'MEMORY.md'), 'utf8')).toContain('dreambench-notes.md');

    const session = join(dir, 'history', 'contracts-app', '8a9b0c1d-2e3f-4a5b-8c7d-9e0f1a2b3c4d.jsonl');
    const last = JSON.parse(readFileSync(session, 'utf8').trim().split('\n').at(-1)!) as Record<string, unknown>;
    const line = (type: string, content: unknown, n: number): string =>
      JSON.stringify({
        ...last,
        type,
        uuid: `later-${n}`,
        timestamp: '2026-11-25T10:00:0' + n + '.000Z',
        message: { role: type, content },
      }) + '\n';
    appendFileSync(session, line('user', 'Render the letter again.', 1));
    appendFileSync(
      session,
      line('assistant', [{ type: 'tool_use', id: 'toolu_late', name: 'render_pptx', input: { chart_style: '3d' } }], 2),
    );
    appendFileSync(
      session,
      line(
        'user',
        [{ type: 'tool_result', tool_use_id: 'toolu_late', content: 'Error: set render_pptx.chart_style="flat"', is_error: true }],
        3,
      ),
    );
    const second = await cli(args, dir);
    expect(second.exitCode).toBe(0);
    expect(second.stdout).toMatch(/^dream-002: 1 transcripts,/m);
    const changeset = JSON.parse(readFileSync(join(dir, 'mem', '.dreambench', 'dreams', 'dream-002.json'), 'utf8')) as Changeset;
    expect(Object.keys(changeset.inputs?.outcome_of ?? {})).toEqual(['8a9b0c1d-2e3f-4a5b-8c7d-9e0f1a2b3c4d@6']);
  });

  it('a malformed log stops with file, line and field (exit 2) and writes nothing', async () => {
    const dir = tempDir();
    cpSync(join(SAMPLES, 'claude-code'), join(dir, 'history'), { recursive: true });
    appendFileSync(
      join(dir, 'history', 'contracts-app', '8a9b0c1d-2e3f-4a5b-8c7d-9e0f1a2b3c4d.jsonl'),
      '{"type":"assistant","sessionId":"x","uuid":"u","message":"oops"}\n',
    );
    const result = await cli(
      ['dream', '--logs', 'history', '--memory', 'mem', '--model', 'sim:default', '--write', 'claude-md:CLAUDE.md'],
      dir,
    );
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/8a9b0c1d-2e3f-4a5b-8c7d-9e0f1a2b3c4d\.jsonl:7: message: expected an object, got a string/);
    expect(readdirSync(dir).sort()).toEqual(['history']);
  });

  it('reads every sample format in one go, with outcomes from a side file and a grader model', async () => {
    const dir = tempDir();
    const result = await cli(
      [
        'dream',
        '--logs',
        SAMPLES,
        '--memory',
        'mem',
        '--model',
        'sim:default',
        '--outcomes',
        join(packageRoot(), 'examples', 'log-outcomes.jsonl'),
        '--grader-model',
        'sim:default',
      ],
      dir,
    );
    expect(result.exitCode).toBe(0);
    const changeset = JSON.parse(readFileSync(join(dir, 'mem', '.dreambench', 'dreams', 'dream-001.json'), 'utf8')) as Changeset;
    expect(changeset.inputs?.outcome_of.resp_01).toBe('outcome-file');
    expect(changeset.inputs?.outcome_of['chatcmpl-02']).toBe('grader');
    expect(changeset.inputs?.outcomes.none ?? 0).toBe(0);
    expect(changeset.inputs?.grader?.calls).toBeGreaterThan(0);
  });
});
