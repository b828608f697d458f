// The dreaming commands as users run them: the compiled bin in a child process (npm test builds
// first). memory show / diff (any arm), memory review (interactive through stdin, --approve-all,
// --reject-all, --policy) with the run waiting at the session boundary, and standalone dreaming.

import { execa } from 'execa';
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../core/paths.js';
import type { Manifest } from '../storage/manifest.js';
import { readJsonLines } from '../storage/run-dir.js';
import { executeRun } from '../runner/runner.js';
import { smallExperiment, tempDir } from '../testing/run-helpers.js';
import { FIXTURE_DIR, FOREIGN_DIR } from '../testing/dream-fixtures.js';
import type { Changeset } from './changeset.js';

const BIN = join(packageRoot(), 'dist', 'harness', 'cli', 'main.js');
const cli = (args: string[], input?: string) =>
  execa('node', [BIN, ...args], { reject: false, env: { CI: 'true' }, cwd: packageRoot(), ...(input !== undefined ? { input } : {}) });

function experiment(dir: string, fields: Record<string, unknown>): string {
  const path = join(dir, 'exp.json');
  writeFileSync(
    path,
    JSON.stringify({
      name: 'dream-cli',
      seed: 11,
      model: 'sim:default',
      suites: ['legal-drafting'],
      sessions: 2,
      tasks_per_session: 6,
      replicates: 1,
      concurrency: 3,
      ...fields,
    }),
  );
  return path;
}

const manifest = (run: string): Manifest => JSON.parse(readFileSync(join(run, 'manifest.json'), 'utf8')) as Manifest;
const changesetOf = (run: string, session: number): Changeset =>
  JSON.parse(readFileSync(join(run, 'dreams', 'dreaming', 'r1', `session-00${session}.json`), 'utf8')) as Changeset;

beforeAll(() => {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run \`npm run build\` (npm test does it first)`);
});

describe('dreambench memory show / diff', () => {
  it('shows and diffs the memory of any arm (dreaming and learnings-md)', async () => {
    const dir = tempDir();
    const run = join(dir, 'run');
    expect((await cli(['run', experiment(dir, { arms: ['learnings-md', 'dreaming'] }), '--out', run, '--progress', 'none'])).exitCode).toBe(
      0,
    );

    const show = await cli(['memory', 'show', run, '--arm', 'dreaming', '--rep', '1', '--session', '2']);
    expect(show.exitCode).toBe(0);
    expect(show.stdout).toMatch(/^# memory of dreaming r1 after session 2: \d+ file\(s\), \d+ entries/);
    expect(show.stdout).toContain('==> notes.md <==');
    expect(show.stdout).toMatch(/render_docx\.[a-z_]+="/);
    expect(show.stdout).not.toContain('<!--');
    const raw = await cli(['memory', 'show', run, '--arm', 'dreaming', '--session', '2', '--raw', '--file', 'notes.md']);
    expect(raw.stdout).toMatch(/<!-- dream: \{"id":"d-[0-9a-f]{8}","trials":\["dreaming\/r1\/s00\d\//);

    const learnings = await cli(['memory', 'show', run, '--arm', 'learnings-md', '--session', '1']);
    expect(learnings.stdout).toContain('==> learnings.md <==');

    const diff = await cli(['memory', 'diff', run, '--arm', 'learnings-md', '--rep', '1', '--from', '0', '--to', '2']);
    expect(diff.exitCode).toBe(0);
    expect(diff.stdout).toMatch(/^# learnings-md r1: session-000 -> session-002: \+\d+ entries, -0 entries/);
    expect(diff.stdout).toContain('--- /dev/null');
    expect(diff.stdout).toContain('+++ b/learnings.md');
    expect(diff.stdout).toMatch(/^\+- Set render_docx\./m);
    const dreamDiff = await cli(['memory', 'diff', run, '--arm', 'dreaming', '--from', '1', '--to', '2']);
    expect(dreamDiff.stdout).toMatch(/^# dreaming r1: session-001 -> session-002/);

    const missing = await cli(['memory', 'show', run, '--arm', 'dreaming', '--session', '9']);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toMatch(/no snapshot after session 9; sessions with snapshots: 0, 1, 2/);
    const noArm = await cli(['memory', 'diff', run, '--arm', 'nope', '--from', '0', '--to', '1']);
    expect(noArm.stderr).toMatch(/no memory for arm "nope"; arms with snapshots: dreaming, learnings-md/);
  });
});

describe('dreambench memory review (review: human)', () => {
  it('the run waits at the session boundary; a person reviews through stdin; resume continues', async () => {
    const dir = tempDir();
    const run = join(dir, 'run');
    const file = experiment(dir, { arms: [{ arm: 'dreaming', options: { review: 'human' } }, 'stateless'] });

    const first = await cli(['run', file, '--out', run, '--progress', 'none']);
    expect(first.exitCode).toBe(3);
    expect(first.stderr).toMatch(/awaiting_review: 1 consolidation\(s\) wait for review: run `dreambench memory review /);
    expect(manifest(run).status).toBe('awaiting_review');
    expect(existsSync(join(run, 'memory', 'dreaming', 'r1', 'session-001'))).toBe(false);
    expect(existsSync(join(run, 'memory', 'stateless', 'r1', 'session-002'))).toBe(true); // other arms are not held up
    const pending = changesetOf(run, 1);
    const open = pending.changes.filter((c) => c.status === 'pending');
    expect(open.length).toBeGreaterThanOrEqual(3);

    // Interactive: approve the first, reject the second, edit the third, approve all the rest.
    const edited = 'Set render_docx.date_format="D MMMM YYYY" (edited by the reviewer).';
    const review = await cli(['memory', 'review', run], ['a', 'r', 'e', edited, 'A', ''].join('\n'));
    expect(review.exitCode).toBe(0);
    expect(review.stdout).toMatch(/== dreaming r1 session 1 \(dreaming\/r1\/s001\): \d+ pending changes/);
    expect(review.stdout).toMatch(/#1 ADD/);
    expect(review.stdout).toMatch(/-> reviewed/);
    expect(review.stdout).toMatch(/Continue the run with: dreambench resume/);
    const reviewed = changesetOf(run, 1);
    expect(reviewed.status).toBe('reviewed');
    const byN = new Map(reviewed.changes.map((c) => [c.n, c]));
    expect(byN.get(open[0]!.n)!.status).toBe('approved');
    expect(byN.get(open[1]!.n)!.status).toBe('rejected');
    expect(byN.get(open[2]!.n)).toMatchObject({ status: 'approved', after: edited, review: { by: 'human', edited: true } });

    // Resume: session 1 is applied; session 2 dreams and waits again.
    const second = await cli(['resume', run, '--progress', 'none']);
    expect(second.exitCode).toBe(3);
    const s1 = readFileSync(join(run, 'memory', 'dreaming', 'r1', 'session-001', 'notes.md'), 'utf8');
    expect(s1).toContain(edited);
    expect(s1).not.toContain(open[1]!.after!);
    const applied = changesetOf(run, 1);
    expect(applied.status).toBe('applied');
    expect(applied.changes.find((c) => c.n === open[1]!.n)!.status).toBe('rejected'); // kept in the record

    expect((await cli(['memory', 'review', run, '--reject-all'])).exitCode).toBe(0);
    const done = await cli(['resume', run, '--progress', 'none']);
    expect(done.exitCode).toBe(0);
    expect(manifest(run).status).toBe('completed');
    expect(changesetOf(run, 2).changes.every((c) => c.status === 'rejected')).toBe(true);
    expect((await cli(['memory', 'diff', run, '--arm', 'dreaming', '--from', '1', '--to', '2'])).stdout).toContain('(no differences)');

    const events = readJsonLines<{ type: string; arm?: string; usage?: { calls: number } }>(join(run, 'events.jsonl'));
    expect(events.filter((e) => e.type === 'session_pending_review')).toHaveLength(2);
    const consolidated = events.filter((e) => e.type === 'session_consolidated' && e.arm === 'dreaming');
    expect(consolidated).toHaveLength(2);
    expect(consolidated.every((e) => e.usage!.calls === 1)).toBe(true);
    expect(readFileSync(join(run, 'report', 'summary.md'), 'utf8')).toMatch(/## Consolidation cost[\s\S]*\| dreaming \| 2 \| 0 \| 2 \|/);
    expect((await cli(['memory', 'review', run])).stdout).toMatch(/Nothing to review/);
  });

  it('--policy decides by rules; what no rule decides stays pending', async () => {
    const dir = tempDir();
    const run = join(dir, 'run');
    const file = experiment(dir, { arms: [{ arm: 'dreaming', options: { review: 'human' } }], sessions: 1 });
    expect((await cli(['run', file, '--out', run, '--progress', 'none'])).exitCode).toBe(3);
    const policy = join(dir, 'policy.yaml');
    writeFileSync(policy, 'default: human\nrules:\n  - kind: add\n    category: preference\n    action: approve\n');
    const result = await cli(['memory', 'review', run, '--policy', policy]);
    expect(result.exitCode).toBe(0);
    const cs = changesetOf(run, 1);
    expect(cs.changes.filter((c) => c.category === 'preference').every((c) => c.status === 'approved')).toBe(true);
    expect(cs.changes.some((c) => c.status === 'pending')).toBe(true);
    expect(result.stdout).toMatch(/1 changeset\(s\) still wait for review/);
    const bad = await cli(['memory', 'review', run, '--policy', join(dir, 'missing.yaml')]);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toMatch(/missing.yaml: cannot read the review policy/);
  });
});

describe('dreambench dream (standalone)', () => {
  it('consolidates a folder of transcripts into a memory folder, incrementally', async () => {
    const dir = tempDir();
    const memory = join(dir, 'memory');
    const first = await cli(['dream', '--transcripts', FIXTURE_DIR, '--memory', memory, '--model', 'sim:default']);
    expect(first.exitCode).toBe(0);
    expect(first.stdout).toMatch(/dream-001: 7 transcripts, \d+ findings, \+\d+ add/);
    const notes = readFileSync(join(memory, 'notes.md'), 'utf8');
    expect(notes).toContain('render_docx.closing="Best regards,"');
    expect(notes).not.toMatch(/ignore all previous/i);
    expect(existsSync(join(memory, '.dreambench', 'dreams', 'dream-001.json'))).toBe(true);
    const again = await cli(['dream', '--transcripts', FIXTURE_DIR, '--memory', memory, '--model', 'sim:default']);
    expect(again.stdout).toMatch(/nothing new: all 7 transcripts were dreamt over already/);

    // Another agent's logs, in the minimal format (messages; family, session and feedback optional).
    const foreign = await cli(['dream', '--transcripts', FOREIGN_DIR, '--memory', memory, '--model', 'sim:default?lesson_noise=0']);
    expect(foreign.exitCode).toBe(0);
    expect(
      readFileSync(join(memory, 'notes.md'), 'utf8') +
        (existsSync(join(memory, 'playbooks', 'refunds.md')) ? readFileSync(join(memory, 'playbooks', 'refunds.md'), 'utf8') : ''),
    ).toContain('issue_refund.method="store-credit"');
  });

  it("dreams over a dreambench run's transcripts folder, its shared texts read from the run's store", async () => {
    const dir = tempDir();
    const runDir = join(dir, 'run');
    const outcome = await executeRun({ runDir, experiment: smallExperiment({ sessions: 2 }) });
    expect(existsSync(join(runDir, 'transcripts', '.texts'))).toBe(true);
    const arm = outcome.trials.filter((t) => t.arm === 'learnings-md');
    const memory = join(dir, 'memory');
    const result = await cli([
      'dream',
      '--transcripts',
      join(runDir, 'transcripts', 'learnings-md'),
      '--memory',
      memory,
      '--model',
      'sim:default',
    ]);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`dream-001: ${arm.length} transcripts`));
  });

  it('review: human waits for `memory review <memory>`, which then updates the folder', async () => {
    const dir = tempDir();
    const memory = join(dir, 'memory');
    const first = await cli(['dream', '--transcripts', FIXTURE_DIR, '--memory', memory, '--model', 'sim:default', '--review', 'human']);
    expect(first.stdout).toMatch(/waiting for review: `dreambench memory review /);
    expect(existsSync(join(memory, 'notes.md'))).toBe(false);
    const blocked = await cli(['dream', '--transcripts', FOREIGN_DIR, '--memory', memory, '--model', 'sim:default']);
    expect(blocked.exitCode).toBe(2);
    expect(blocked.stderr).toMatch(/dream-001 waits for review/);
    const review = await cli(['memory', 'review', memory, '--approve-all']);
    expect(review.exitCode).toBe(0);
    expect(review.stdout).toMatch(/-> applied/);
    expect(readFileSync(join(memory, 'notes.md'), 'utf8')).toContain('render_docx.numbering="legal-flat"');
  });

  it('rejects a malformed transcript with the file and the field named, exit 2, nothing written', async () => {
    const cases: Array<[string, (t: Record<string, unknown>) => unknown, RegExp]> = [
      [
        'missing messages',
        (t) => ({ ...t, messages: undefined }),
        /s001-000-nda-01\.json: messages: required field missing \(expected array\)/,
      ],
      [
        'tool_use without an id',
        (t) => {
          const messages = structuredClone(t.messages) as Array<{ content: Array<Record<string, unknown>> }>;
          delete messages[1]!.content[0]!.id;
          return { ...t, messages };
        },
        /s001-000-nda-01\.json: messages\[1\]\.content\[0\]\.id: required field missing \(expected string\) \(in a "tool_use" block\)/,
      ],
      ['bad role', (t) => ({ ...t, messages: [{ role: 'robot', content: 'hi' }] }), /s001-000-nda-01\.json: messages\[0\]\.role: /],
      ['not JSON', () => '{ "messages": [', /s001-000-nda-01\.json: not valid JSON/],
    ];
    for (const [, mutate, expected] of cases) {
      const dir = tempDir();
      const transcripts = join(dir, 'transcripts');
      cpSync(FIXTURE_DIR, transcripts, { recursive: true });
      const target = join(transcripts, 's001-000-nda-01.json');
      const mutated = mutate(JSON.parse(readFileSync(target, 'utf8')) as Record<string, unknown>);
      writeFileSync(target, typeof mutated === 'string' ? mutated : JSON.stringify(mutated));
      const memory = join(dir, 'memory');
      const result = await cli(['dream', '--transcripts', transcripts, '--memory', memory, '--model', 'sim:default']);
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toMatch(expected);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(existsSync(memory)).toBe(false);
    }
    const empty = tempDir();
    const none = await cli(['dream', '--transcripts', empty, '--memory', join(empty, 'm'), '--model', 'sim:default']);
    expect(none.exitCode).toBe(2);
    expect(none.stderr).toMatch(/no log files found \(\*\.json, \*\.jsonl/);
    const badModel = await cli(['dream', '--transcripts', FIXTURE_DIR, '--memory', join(empty, 'm'), '--model', 'gpt']);
    expect(badModel.exitCode).toBe(2);
    expect(readdirSync(empty)).toEqual([]);
  });
});
