// The dreaming arm on the fixed transcripts: schedule, incremental replay, failure, review modes.

import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AfterSessionResult, ArmContext, MemoryFiles } from '../../harness/core/arm.js';
import type { ModelClient } from '../../harness/core/messages.js';
import { textOf } from '../../harness/core/messages.js';
import type { Task } from '../../harness/core/suite.js';
import { SimModel } from '../../harness/models/sim/sim-model.js';
import { RunDir } from '../../harness/storage/run-dir.js';
import type { Changeset } from '../../harness/dreaming/changeset.js';
import { decideAll } from '../../harness/dreaming/review.js';
import { fixtureSessions, recording, scriptedModel } from '../../harness/testing/dream-fixtures.js';
import { tempDir } from '../../harness/testing/run-helpers.js';
import { readExperimentFile, validateExperiment } from '../../harness/config/load.js';
import { knownNames } from '../../harness/cli/known-names.js';
import { resolveArms } from '../../harness/config/schema.js';
import { sourcePath } from '../../harness/core/paths.js';
import dreaming, { CURSOR } from './index.js';

const sim = (): ModelClient => new SimModel('default?lesson_noise=0', new Map());

function harness(options: Record<string, unknown>, model: ModelClient = sim()) {
  const arm = dreaming.create(options);
  const root = tempDir();
  const artifacts = new RunDir(root).artifacts('dreams', 'dreaming', 1);
  const { sessions, transcript } = fixtureSessions('dreaming');
  let memory: MemoryFiles = {};
  const context = (session: number): ArmContext => ({
    arm: 'dreaming',
    replicate: 1,
    session,
    model,
    seedKey: `t:s${session}`,
    options,
    artifacts,
  });
  return {
    arm,
    artifacts,
    root,
    memory: () => memory,
    async session(session: number): Promise<AfterSessionResult> {
      const result = await arm.afterSession!({ memory, trials: sessions.get(session) ?? [], transcript }, context(session));
      if (!result.pending) memory = result.memory;
      return result;
    },
    changeset: (session: number) => artifacts.read<Changeset>(`session-${String(session).padStart(3, '0')}.json`),
  };
}

const trialIdsIn = (model: { requests: Array<{ request: { messages: Array<{ content: unknown }> } }> }, call: number): string[] =>
  [...textOf(model.requests[call]!.request.messages[0]!.content as string).matchAll(/^### Trial (\S+)/gm)].map((m) => m[1]!);

describe('dreaming arm', () => {
  it('dreams after each session over only the new transcripts (incremental replay with a cursor)', async () => {
    const model = recording(sim());
    const h = harness({}, model);
    await h.session(1);
    await h.session(2);
    expect(model.requests).toHaveLength(2);
    expect(trialIdsIn(model, 0).every((id) => id.includes('/s001/'))).toBe(true);
    expect(trialIdsIn(model, 1)).toEqual([
      'dreaming/r1/s002/000-engagement-letter-02',
      'dreaming/r1/s002/001-demand-letter-01',
      'dreaming/r1/s002/002-nda-03',
    ]);
    expect(h.artifacts.read(CURSOR)).toEqual({ last_dream_session: 2, last_dream: 'dreaming/r1/s002', dreams: 2, replayed_trials: 7 });
    expect(existsSync(join(h.root, 'dreams', 'dreaming', 'r1', 'session-002.json'))).toBe(true);
    // The closing changed in session 2: the old entry is gone, with its reason in the changeset.
    const notes = h.memory()['notes.md']!;
    expect(notes).toContain('render_docx.closing="Best regards,"');
    expect(notes).not.toContain('render_docx.closing="Very truly yours,"');
    expect(h.changeset(2)!.changes.find((c) => c.kind === 'delete')!.reason).toMatch(
      /^contradicted by trials dreaming\/r1\/s002\/000-engagement-letter-02/,
    );
    // The injected instruction never reached memory, and the refusal is on record.
    expect(Object.values(h.memory()).join('\n')).not.toMatch(/ignore all previous/i);
    expect(h.changeset(2)!.changes.some((c) => c.status === 'rejected' && c.review?.by === 'filter')).toBe(true);
  });

  it('dreams every N sessions over everything since the last dream; `window: full` replays all', async () => {
    const model = recording(sim());
    const h = harness({ every: 2 }, model);
    const first = await h.session(1);
    expect(first.details).toEqual({ dream: 'not scheduled', next_dream_session: 2 });
    expect(first.usage).toBeUndefined();
    expect(model.requests).toHaveLength(0);
    const second = await h.session(2);
    expect(trialIdsIn(model, 0)).toHaveLength(7);
    expect(second.usage!.calls).toBe(1);
    expect(second.usage!.input_tokens).toBeGreaterThan(0);

    const full = recording(sim());
    const f = harness({ window: 'full' }, full);
    await f.session(1);
    await f.session(2);
    expect(trialIdsIn(full, 1)).toHaveLength(7);
  });

  it('gives the agent notes.md plus its family playbook, without provenance comments', async () => {
    const h = harness({});
    await h.session(1);
    const memory = h.memory();
    expect(Object.keys(memory).sort()).toEqual(['notes.md']);
    const withPlaybook = {
      ...memory,
      'playbooks/motion.md': '# Playbook: motion\n\n- Set render_docx.caption="court-block". <!-- dream: {"id":"d-1"} -->\n',
    };
    const context = h.arm.contextFor({ family: 'motion' } as Task, withPlaybook);
    expect(context).toContain('# Notes');
    expect(context).toContain('# Playbook: motion');
    expect(context).not.toContain('<!--');
    expect(h.arm.contextFor({ family: 'nda' } as Task, withPlaybook)).not.toContain('Playbook');
    expect(h.arm.contextFor({ family: 'nda' } as Task, {})).toBe('');
  });

  it('records a dream whose analysis stays malformed as failed, keeps memory, and replays those trials next time', async () => {
    const good = sim();
    let calls = 0;
    const flaky: ModelClient = {
      id: 'flaky',
      create: async (request, context) =>
        ++calls <= 2 ? scriptedModel(['not json']).create(request, context) : good.create(request, context),
    };
    const model = recording(flaky);
    const h = harness({}, model);
    const first = await h.session(1);
    expect(first.memory).toEqual({});
    expect(first.details).toMatchObject({ status: 'failed' });
    expect(first.usage!.calls).toBe(2);
    expect(h.changeset(1)!.analysis.error).toMatch(/malformed after one repair retry/);
    expect(h.artifacts.read(CURSOR)).toBeUndefined();
    await h.session(2);
    expect(trialIdsIn(model, 2)).toHaveLength(7); // sessions 1 and 2
    expect(h.memory()['notes.md']).toContain('render_docx.numbering="legal-flat"');
  });

  it('review: human leaves the changeset pending until a person decides; re-running never dreams twice', async () => {
    const model = recording(sim());
    const h = harness({ review: 'human' }, model);
    const waiting = await h.session(1);
    expect(waiting.pending?.reason).toMatch(/change\(s\) of dream dreaming\/r1\/s001 wait for review/);
    expect(h.changeset(1)!.status).toBe('pending');
    expect(h.changeset(1)!.changes.every((c) => c.status === 'pending' || c.status === 'rejected')).toBe(true);
    expect((await h.session(1)).pending).toBeDefined(); // still waiting
    expect(model.requests).toHaveLength(1);

    // A person approves all but the first change (e.g. through `dreambench memory review`).
    const changeset = h.changeset(1)!;
    changeset.changes[0]!.status = 'rejected';
    decideAll(changeset, 'approve', 'human');
    expect(changeset.status).toBe('reviewed');
    h.artifacts.write('session-001.json', changeset);

    const resumed = await h.session(1);
    expect(resumed.pending).toBeUndefined();
    expect(resumed.usage!.calls).toBe(1); // the dream's cost, reported once, when it is applied
    expect(model.requests).toHaveLength(1);
    const applied = h.changeset(1)!;
    expect(applied.status).toBe('applied');
    expect(applied.changes[0]!.status).toBe('rejected'); // kept in the record
    expect(applied.changes.slice(1).every((c) => c.status === 'applied' || c.review?.by === 'filter')).toBe(true);
    expect(h.memory()['notes.md']).not.toContain(changeset.changes[0]!.after!);
  });

  it('review: a policy file decides at dream time; what it leaves to a person stays pending', async () => {
    const dir = tempDir();
    const policy = join(dir, 'policy.yaml');
    writeFileSync(
      policy,
      'default: human\nrules:\n  - kind: add\n    category: error\n    action: approve\n  - kind: add\n    text: closing\n    action: reject\n',
    );
    const h = harness({ review: policy });
    const result = await h.session(1);
    const cs = h.changeset(1)!;
    expect(cs.review_mode).toBe(`policy:${policy}`);
    const errors = cs.changes.filter((c) => c.category === 'error');
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((c) => c.status === 'approved' && c.review!.rule!.includes('rules[0] -> approve'))).toBe(true);
    expect(cs.changes.find((c) => c.after?.includes('closing'))!.status).toBe('rejected');
    expect(cs.changes.some((c) => c.status === 'pending')).toBe(true);
    expect(result.pending).toBeDefined();
  });

  it('stages.output off is a dry run: changesets are written, memory never changes', async () => {
    const h = harness({ stages: { output: false } });
    const result = await h.session(1);
    expect(result.memory).toEqual({});
    expect(h.changeset(1)!.changes.length).toBeGreaterThan(0);
  });

  it('stages.analyse off uses rules (no model call); stages.replay off sees only trial records', async () => {
    const model = recording(sim());
    const rules = harness({ stages: { analyse: false } }, model);
    await rules.session(1);
    expect(model.requests).toHaveLength(0);
    expect(rules.memory()['playbooks/motion.md']).toContain('render_docx.caption="court-block"');

    const recordsOnly = harness({ stages: { replay: false } });
    await recordsOnly.session(1);
    // Tool errors live in transcripts only; reviewer feedback is in the records.
    const text = Object.values(recordsOnly.memory()).join('\n');
    expect(text).not.toContain('render_docx.caption');
    expect(text).toContain('render_docx.defined_terms="bold-quoted"');
  });

  it('rejects bad options with a message naming the option', () => {
    expect(() => dreaming.create({ evry: 2 })).toThrow(/arm dreaming: option "evry": unknown option; expected one of every, window/);
    expect(() => dreaming.create({ curate: { token_cap: -3 } })).toThrow(/option "curate.token_cap"/);
    expect(() => dreaming.create({ stages: { dream: true } })).toThrow(
      /option "stages.dream": unknown option; expected one of replay, analyse, curate, output/,
    );
    expect(() => dreaming.create({ review: 'nope.yaml' })).toThrow(
      /arm dreaming: option "review": expected auto, human or a policy file: nope.yaml: cannot read/,
    );
    expect(() => dreaming.create({ filter: ['default', 'magic'] })).toThrow(
      /option "filter\[1\]": unknown content filter; expected one of default, security, none, got "magic"/,
    );
    expect(dreaming.create({ curate: { token_cap: false, drop_unused_after: null } }).name).toBe('dreaming');
  });

  it('examples/dreaming.yaml is a valid experiment whose dreaming options parse', async () => {
    const file = sourcePath('examples', 'dreaming.yaml');
    const experiment = validateExperiment(file, readExperimentFile(file), {}, await knownNames());
    const arm = resolveArms(experiment.arms).find((a) => a.arm === 'dreaming')!;
    expect(dreaming.create(arm.options).name).toBe('dreaming');
    expect(experiment.schedule.drift).toEqual([{ pitfall: 'ld-heading-style', from_session: 4 }]);
  });
});
