import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AfterSessionInput, Arm, ArmContext, ArmFactory, AttemptOutcome, Orchestration, TrialDriver } from '../../harness/core/arm.js';
import type { TrialRecord } from '../../harness/core/records.js';
import type { Task } from '../../harness/core/suite.js';
import type { Transcript } from '../../harness/agent/transcript.js';
import { executeRun } from '../../harness/runner/runner.js';
import { armNames, createArm, loadArmFactory } from '../../harness/registry/arms.js';
import { RunDir } from '../../harness/storage/run-dir.js';
import { comparable, smallExperiment, tempDir } from '../../harness/testing/run-helpers.js';
import { readExperimentFile, validateExperiment } from '../../harness/config/load.js';
import { resolveArms } from '../../harness/config/schema.js';
import { sourcePath } from '../../harness/core/paths.js';
import compose, { decodeNotes, encodeNotes } from './index.js';
import { readTranscript } from '../../harness/storage/transcripts.js';

// ---- parts that record what they were given -------------------------------------------------------

const seen: Record<string, unknown[]> = {};
const note = (key: string, value: unknown) => void (seen[key] ??= []).push(value);

const memPart: ArmFactory = {
  name: 'mem',
  description: 'memory',
  artifactsFolder: 'mem-files',
  create: (options) => ({
    name: 'mem',
    contextFor: (_task, memory) => `MEM ${Object.keys(memory).sort().join(',')}`,
    memoryStats: (_task, memory) => ({ files: Object.keys(memory).length }),
    afterTrial: async ({ record }, context) => {
      note('mem.afterTrial', { notes: record.notes, options: context.options, seedKey: context.seedKey });
      return {
        notes: 'lesson',
        usage: { input_tokens: 1, output_tokens: 1, cache_read_tokens: 0, cache_write_tokens: 0, cost_usd: 0.5, calls: 1, wall_ms: 1 },
      };
    },
    afterSession: async ({ memory, trials }, context) => {
      note('mem.afterSession', { files: Object.keys(memory).sort(), notes: trials.map((t) => t.notes), options: context.options });
      return { memory: { ...memory, 'notes.md': `v${context.session}` }, details: { kept: 1 } };
    },
    ...(options.stray ? { runTrial: async () => ({}) } : {}),
  }),
};

const loopPart: ArmFactory = {
  name: 'loop',
  description: 'loop',
  create: () => ({
    name: 'loop',
    contextFor: (_task, memory) => `LOOP ${Object.keys(memory).sort().join(',')}`,
    runTrial: async (driver: TrialDriver, context: ArmContext) => {
      note('loop.runTrial', { memoryText: driver.memoryText, seedKey: context.seedKey });
      await driver.attempt('retry context');
      return { notes: 'episode' };
    },
    afterSession: async ({ memory, trials }) => {
      note('loop.afterSession', { files: Object.keys(memory).sort(), notes: trials.map((t) => t.notes) });
      return { memory: { ...memory, 'episodes.md': 'e' }, details: { episodes: 1 } };
    },
  }),
};

const orchestration: Orchestration = {
  name: 'orch',
  lead: () => ({ systemPrompt: '', environment: { tools: [], call: async () => ({ content: '' }) } }),
};
const orchPart: ArmFactory = { name: 'orch', description: 'team', create: () => ({ name: 'orch', contextFor: () => '', orchestration }) };
const parts = { mem: memPart, loop: loopPart, orch: orchPart };

const task = { id: 't1', title: 'T', family: 'f', suite: 's', prompt: 'p', files: {}, pitfalls: [], rubric: [], expected: {} } as Task;
const context = (session = 1): ArmContext => ({
  arm: 'combo',
  replicate: 1,
  session,
  model: undefined as never,
  seedKey: 'seed',
  options: {},
});
const record = (notes?: string): TrialRecord =>
  ({
    arm: 'combo',
    replicate: 1,
    session: 1,
    slot: 0,
    task: 't1',
    success: true,
    error_class: 'none',
    ...(notes !== undefined ? { notes } : {}),
  }) as unknown as TrialRecord;

describe('compose with stand-in parts', () => {
  const arm: Arm = compose.create(
    { memory: 'mem', loop: 'loop', orchestration: 'orch', memory_options: { a: 1 }, loop_options: { b: 2 } },
    parts,
  );

  it('names its parts for the engine to load, and takes the orchestration and artifacts folder from them', () => {
    expect(compose.parts!({ memory: 'mem', loop: 'loop', orchestration: 'orch' })).toEqual(['mem', 'loop', 'orch']);
    expect(compose.parts!({})).toEqual(['stateless']);
    expect(arm.orchestration).toBe(orchestration);
    expect(arm.artifactsFolder).toBe('mem-files');
  });

  it('gives each part its own files, in context and in consolidation', async () => {
    const memory = { 'notes.md': 'n', 'loop/episodes.md': 'e' };
    expect(arm.contextFor(task, memory)).toBe('MEM notes.md\n\nLOOP episodes.md');
    expect(arm.memoryStats!(task, memory)).toEqual({ files: 1 });
  });

  it("runs the loop part, and keeps each part's notes apart", async () => {
    const attempts: Array<string | undefined> = [];
    const driver = {
      memoryText: 'MEM',
      attempt: async (extra?: string) => {
        attempts.push(extra);
        return {} as AttemptOutcome;
      },
    } as unknown as TrialDriver;
    const loopResult = await arm.runTrial!(driver, context());
    expect(attempts).toEqual(['retry context']);
    expect(seen['loop.runTrial']).toEqual([{ memoryText: 'MEM', seedKey: 'seed:loop' }]);
    expect(decodeNotes(loopResult.notes)).toEqual({ loop: 'episode' });

    const after = await arm.afterTrial!({ task, record: record(loopResult.notes), transcript: {} as Transcript }, context());
    // The memory part sees a record without the loop's notes, with its own options and the arm's seed.
    expect(seen['mem.afterTrial']).toEqual([{ notes: undefined, options: { a: 1 }, seedKey: 'seed' }]);
    expect(decodeNotes(after.notes)).toEqual({ memory: 'lesson', loop: 'episode' });
    expect(after.usage?.cost_usd).toBe(0.5);

    const input: AfterSessionInput = {
      memory: { 'notes.md': 'n', 'loop/old.md': 'o' },
      trials: [record(after.notes), record(encodeNotes({}))],
      transcript: () => ({}) as Transcript,
    };
    const result = await arm.afterSession!(input, context(2));
    expect(seen['mem.afterSession']).toEqual([{ files: ['notes.md'], notes: ['lesson', undefined], options: { a: 1 } }]);
    expect(seen['loop.afterSession']).toEqual([{ files: ['old.md'], notes: ['episode', undefined] }]);
    expect(result.memory).toEqual({ 'notes.md': 'v2', 'loop/old.md': 'o', 'loop/episodes.md': 'e' });
    expect(result.details).toEqual({ kept: 1, loop: { episodes: 1 } });
  });

  it('without a loop, is the memory part as it is', async () => {
    const plain = compose.create({ memory: 'mem' }, parts);
    expect(plain.runTrial).toBeUndefined();
    expect(plain.orchestration).toBeUndefined();
    expect((await plain.afterTrial!({ task, record: record(), transcript: {} as Transcript }, context())).notes).toBe('lesson');
  });

  it('checks that each part plays its role', () => {
    expect(() => compose.create({ memory: 'mem', memory_options: { stray: true } }, parts)).toThrow(
      /memory part "mem" has an in-task loop \(runTrial\): use it as loop: mem/,
    );
    expect(() => compose.create({ memory: 'mem', loop: 'mem' }, parts)).toThrow(/loop part "mem" has no in-task loop/);
    expect(() => compose.create({ memory: 'mem', orchestration: 'loop' }, parts)).toThrow(/orchestration part "loop" has no orchestration/);
    expect(() => compose.create({ memory: 'orch' }, parts)).toThrow(/memory part "orch" is an orchestration/);
    expect(() => compose.create({ memory: 'mem', loop: 'compose' }, parts)).toThrow(/a part cannot itself be composed/);
    expect(() => compose.create({ memory: 'mem', mem: 1 }, parts)).toThrow(
      /arm compose: option "mem": unknown option; expected one of memory, loop/,
    );
    expect(() => compose.create({ memory: 'mem', loop_options: { k: 1 } }, parts)).toThrow(
      /option "loop_options": loop_options needs a loop/,
    );
    expect(() => compose.create({ memory: 'nowhere' }, parts)).toThrow(/part "nowhere" is not loaded; build compose with createArm/);
  });
});

describe('compose through the registry, end to end with sim', () => {
  it('compose(memory: learnings-md) runs exactly like learnings-md', async () => {
    const runDir = join(tempDir(), 'run');
    const { trials } = await executeRun({
      runDir,
      experiment: smallExperiment({
        arms: ['learnings-md', { arm: 'compose', name: 'just-learnings', options: { memory: 'learnings-md' } }],
        sessions: 3,
        tasks_per_session: 6,
        replicates: 1,
      }),
    });
    const strip = (arm: string) =>
      Object.values(comparable(trials.filter((t) => t.arm === arm)))
        .sort((a, b) => a.session - b.session || a.slot - b.slot)
        // Paths name the arm (transcript, kept artifacts' folder): everything else must be identical.
        .map(({ arm: _arm, transcript: _transcript, artifacts, ...rest }) => ({
          ...rest,
          artifacts: artifacts && { files: artifacts.files, bytes: artifacts.bytes },
        }));
    expect(strip('just-learnings')).toEqual(strip('learnings-md'));
    const dir = new RunDir(runDir);
    expect(dir.readSnapshot('just-learnings', 1, 3)).toEqual(dir.readSnapshot('learnings-md', 1, 3));
  });

  it('learnings-md + reflexion: memory from one part, the in-task loop from the other', async () => {
    const runDir = join(tempDir(), 'run');
    const { trials, status } = await executeRun({
      runDir,
      experiment: smallExperiment({
        arms: [
          'reflexion',
          {
            arm: 'compose',
            name: 'learnings+reflexion',
            options: { memory: 'learnings-md', loop: 'reflexion', loop_options: { k: 1, persist: true } },
          },
        ],
        sessions: 3,
        tasks_per_session: 6,
        replicates: 1,
      }),
    });
    expect(status).toBe('completed');
    const combo = trials.filter((t) => t.arm === 'learnings+reflexion');
    // The loop: attempts per trial, a retry after a failure.
    expect(combo.every((t) => (t.attempts?.length ?? 0) >= 1)).toBe(true);
    expect(combo.some((t) => t.attempts!.length === 2)).toBe(true);
    // The notes of each part stay apart: lessons for learnings.md, reflections for the loop.
    const envelopes = combo.map((t) => decodeNotes(t.notes));
    expect(envelopes.some((e) => e.memory?.startsWith('- '))).toBe(true);
    expect(envelopes.some((e) => e.loop && JSON.parse(e.loop).reflections.length > 0)).toBe(true);
    // The memory: learnings.md at the top level, the loop's reflections in its own folder.
    const snapshot = new RunDir(runDir).readSnapshot('learnings+reflexion', 1, 3);
    expect(snapshot['learnings.md']).toMatch(/render_docx\.[a-z_]+="/);
    expect(snapshot['learnings.md']).not.toMatch(/reflections/);
    expect(Object.keys(snapshot).some((p) => p.startsWith('reflexion/reflections/'))).toBe(true);
    // Context: learnings.md first, then the loop's stored reflections when a task recurs.
    const late = combo.filter((t) => t.session === 3);
    const transcript = readTranscript(runDir, late[0]!.transcript);
    expect(transcript.system.find((b) => b.cache)?.text).toMatch(/# Learnings/);
  });

  it('skills + multi-agent: the library grows from team trials and the team gets the skills', async () => {
    const runDir = join(tempDir(), 'run');
    const team = {
      roles: [
        { name: 'drafter', tools: ['read_file', 'write_section'] },
        { name: 'renderer', tools: ['read_file', 'render_docx'] },
      ],
    };
    const { trials } = await executeRun({
      runDir,
      experiment: smallExperiment({
        arms: [
          {
            arm: 'compose',
            name: 'skills+team',
            options: { memory: 'skills', loop: 'reflexion', orchestration: 'multi-agent', orchestration_options: team },
          },
        ],
        sessions: 3,
        tasks_per_session: 6,
        replicates: 1,
      }),
    });
    expect(trials.every((t) => t.agents?.some((a) => a.role === 'renderer'))).toBe(true);
    expect(trials.every((t) => typeof t.memory_stats?.library_size === 'number')).toBe(true);
    const grown = trials.filter((t) => t.session === 3 && (t.memory_stats?.library_size ?? 0) > 0);
    expect(grown.length).toBeGreaterThan(0);
    const transcript = readTranscript(runDir, grown[0]!.transcript);
    const renderer = transcript.subagents!.find((s) => s.role === 'renderer')!;
    expect(renderer.system.find((b) => b.cache)?.text).toMatch(/## Skill: /);
  });

  it('createArm loads the parts; a bad part fails at setup with the arm named', async () => {
    const arm = await createArm(await loadArmFactory('compose'), { memory: 'learnings-md', loop: 'retry-only' });
    expect(typeof arm.runTrial).toBe('function');
    await expect(
      executeRun({
        runDir: join(tempDir(), 'run'),
        experiment: smallExperiment({
          arms: [{ arm: 'compose', name: 'bad', options: { memory: 'reflexion' } }],
          sessions: 1,
          tasks_per_session: 1,
          replicates: 1,
        }),
      }),
    ).rejects.toThrow(/arm "bad": arm compose: memory part "reflexion" has an in-task loop/);
    await expect(
      executeRun({
        runDir: join(tempDir(), 'run'),
        experiment: smallExperiment({
          arms: [{ arm: 'compose', options: { memory: 'nosuch' } }],
          sessions: 1,
          tasks_per_session: 1,
          replicates: 1,
        }),
      }),
    ).rejects.toThrow(/unknown arm "nosuch"/);
  });

  it('the example experiments are valid and every arm in them builds', async () => {
    for (const name of ['compose.yaml', 'build-logs-team.yaml']) {
      const file = sourcePath('examples', name);
      const experiment = validateExperiment(
        file,
        readExperimentFile(file),
        {},
        { suites: ['legal-drafting', 'build-logs'], arms: armNames() },
      );
      for (const spec of resolveArms(experiment.arms))
        expect((await createArm(await loadArmFactory(spec.arm), spec.options)).name).toBe(spec.arm);
    }
  });

  it('dreaming + outcomes: dreams between sessions, a grader loop within each trial', async () => {
    const runDir = join(tempDir(), 'run');
    const { trials, status } = await executeRun({
      runDir,
      experiment: smallExperiment({
        arms: [{ arm: 'compose', name: 'dreaming+outcomes', options: { memory: 'dreaming', loop: 'outcomes' } }],
        sessions: 2,
        tasks_per_session: 4,
        replicates: 1,
      }),
    });
    expect(status).toBe('completed');
    expect(trials.every((t) => t.grader !== undefined && (t.attempts?.length ?? 0) >= 1)).toBe(true);
    // The dream's changesets go where `dreambench memory review` looks for them: dreams/<arm>/r<rep>/.
    expect(readFileSync(join(runDir, 'dreams', 'dreaming+outcomes', 'r1', 'session-001.json'), 'utf8')).toMatch(/"changes"/);
    expect(Object.keys(new RunDir(runDir).readSnapshot('dreaming+outcomes', 1, 2))).toContain('notes.md');
  });

  it('outcomes + multi-agent: a revision round sends the lead back to its team with the feedback', async () => {
    const runDir = join(tempDir(), 'run');
    const roles = [
      { name: 'drafter', tools: ['read_file', 'write_section'] },
      { name: 'renderer', tools: ['read_file', 'render_docx'] },
    ];
    const { trials } = await executeRun({
      runDir,
      experiment: smallExperiment({
        arms: [
          {
            arm: 'compose',
            name: 'outcomes+team',
            options: { loop: 'outcomes', orchestration: 'multi-agent', orchestration_options: { roles } },
          },
        ],
        sessions: 1,
        tasks_per_session: 6,
        replicates: 1,
      }),
    });
    const revised = trials.filter((t) => t.attempts!.some((a) => a.revision > 0));
    expect(revised.length).toBeGreaterThan(0);
    for (const record of revised) {
      const transcript = readTranscript(runDir, record.transcript);
      // The team ran again after the feedback: more specialist runs than roles, the later ones told what to fix.
      expect(transcript.subagents!.length).toBeGreaterThan(roles.length);
      expect(JSON.stringify(transcript.subagents!.at(-1)!.messages[0])).toMatch(/address this feedback/);
      expect(record.agents!.find((a) => a.role === 'renderer')!.runs).toBeGreaterThan(1);
    }
  });
});
