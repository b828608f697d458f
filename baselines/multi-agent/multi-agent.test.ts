import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ModelClient } from '../../harness/core/messages.js';
import { ModelInfraError } from '../../harness/core/messages.js';
import { delegateToolSpec, parseTeam } from '../../harness/core/delegation.js';
import type { Transcript } from '../../harness/agent/transcript.js';
import { readTranscript } from '../../harness/storage/transcripts.js';
import { executeRun } from '../../harness/runner/runner.js';
import { createModel } from '../../harness/models/registry.js';
import { leadPlan, offeredToolsOnly } from '../../harness/models/sim/lead-policy.js';
import { smallExperiment, tempDir } from '../../harness/testing/run-helpers.js';
import { sourcePath } from '../../harness/core/paths.js';
import multiAgent, { parseMultiAgentOptions } from './index.js';

const TEAM = {
  roles: [
    { name: 'drafter', tools: ['read_file', 'write_section'], prompt: 'Writes the sections from the matter file.' },
    { name: 'renderer', tools: ['read_file', 'render_docx'], model: 'sim:expert' },
  ],
};

const read = <T>(runDir: string, path: string): T => readTranscript(runDir, path) as unknown as T;

describe('multi-agent options', () => {
  it('validates the team and names what is wrong', () => {
    expect(parseMultiAgentOptions({}).roles).toEqual([{ name: 'worker', tools: '*', memory: true }]);
    expect(() => multiAgent.create({ roles: [] })).toThrow(/arm multi-agent: option "roles": expected a non-empty list/);
    expect(() => multiAgent.create({ roles: [{ name: 'a b', tools: '*' }] })).toThrow(/option "roles\[0\]\.name": expected a name/);
    expect(() => multiAgent.create({ roles: [{ name: 'a', tools: 'read_file' }] })).toThrow(
      /option "roles\[0\]\.tools": .*got "read_file"/,
    );
    expect(() => multiAgent.create({ roles: [{ name: 'a', tool: ['x'] }] })).toThrow(
      /option "roles\[0\]\.tool": unknown option; expected one of name, tools/,
    );
    expect(() => multiAgent.create({ roles: [{ name: 'a' }, { name: 'a' }] })).toThrow(/two roles are called "a"/);
    expect(() => multiAgent.create({ roles: [{ name: 'a', model: 'gpt' }] })).toThrow(/option "roles\[0\]\.model": expected a model spec/);
    expect(() => multiAgent.create({ leader: 1 })).toThrow(/arm multi-agent: option "leader": unknown option/);
    expect(multiAgent.create(TEAM).orchestration?.models).toEqual(['sim:expert']);
  });
});

describe('the delegate tool and the sim lead', () => {
  it('lists the team in the tool, and the sim lead reads it back', () => {
    const spec = delegateToolSpec([
      { name: 'drafter', tools: ['read_file', 'write_section'], description: 'Writes.' },
      { name: 'triager-1', tools: ['read_log', 'label'] },
      { name: 'triager-2', tools: ['label', 'read_log'] },
    ]);
    expect(parseTeam(spec)).toEqual([
      { name: 'drafter', tools: ['read_file', 'write_section'] },
      { name: 'triager-1', tools: ['read_log', 'label'] },
      { name: 'triager-2', tools: ['label', 'read_log'] },
    ]);
    // Roles with the same tools split the items between them.
    expect(leadPlan({ system: [], messages: [], tools: [spec], max_tokens: 1 }).map((a) => a.share)).toEqual([
      undefined,
      { index: 1, of: 2 },
      { index: 2, of: 2 },
    ]);
  });

  it('never calls a tool it was not offered', () => {
    const request = {
      system: [],
      messages: [],
      tools: [{ name: 'read_file', description: '', input_schema: { type: 'object' as const, properties: {} } }],
      max_tokens: 1,
    };
    const use = (name: string) => ({ type: 'tool_use' as const, id: name, name, input: {} });
    expect(offeredToolsOnly([use('read_file'), use('submit')], request)).toEqual([use('read_file')]);
    expect(offeredToolsOnly([{ type: 'text', text: 'x' }, use('render_docx')], request)).toEqual([
      { type: 'text', text: 'My part is done. The next step needs render_docx, which I was not given.' },
    ]);
  });
});

describe('multi-agent, end to end with sim', () => {
  it('delegates to specialists whose calls are recorded in the transcript and counted in the trial', async () => {
    const runDir = join(tempDir(), 'run');
    const { trials, status } = await executeRun({
      runDir,
      experiment: smallExperiment({
        arms: ['stateless', { arm: 'multi-agent', name: 'team', options: TEAM }],
        sessions: 2,
        tasks_per_session: 5,
        replicates: 1,
      }),
    });
    expect(status).toBe('completed');
    const team = trials.filter((t) => t.arm === 'team');
    expect(team).toHaveLength(10);
    for (const record of team) {
      expect(record.agents?.map((a) => a.role)).toEqual(['drafter', 'renderer', 'lead']);
      expect(record.agents?.find((a) => a.role === 'renderer')?.model).toBe('sim:expert');
      expect(record.agents?.find((a) => a.role === 'drafter')?.model).toBe('sim:default');
      // Every agent's tokens, cost, turns and tool calls add up to the trial's.
      const sum = (f: (a: NonNullable<typeof record.agents>[number]) => number) => record.agents!.reduce((s, a) => s + f(a), 0);
      expect(sum((a) => a.input_tokens)).toBe(record.input_tokens);
      expect(sum((a) => a.output_tokens)).toBe(record.output_tokens);
      expect(sum((a) => a.turns)).toBe(record.turns);
      expect(sum((a) => a.tool_calls)).toBe(record.tool_calls);
      expect(sum((a) => a.cost_usd)).toBeCloseTo(record.cost_usd, 10);

      const transcript = read<Transcript>(runDir, record.transcript);
      expect(transcript.tools.map((t) => t.name)).toEqual(['delegate', 'submit']);
      expect(transcript.subagents?.map((s) => s.role)).toEqual(['drafter', 'renderer']);
      const [drafter, renderer] = transcript.subagents!;
      expect(drafter!.tools.map((t) => t.name)).toEqual(['read_file', 'write_section']);
      expect(renderer!.tools.map((t) => t.name)).toEqual(['read_file', 'render_docx']);
      // The specialists did the work in the shared workspace; the lead only delegated and submitted.
      const used = (s: { messages: Transcript['messages'] }) =>
        s.messages.flatMap((m) =>
          typeof m.content === 'string'
            ? []
            : m.content.filter((b) => b.type === 'tool_use').map((b) => (b.type === 'tool_use' ? b.name : '')),
        );
      expect(new Set(used(drafter!))).toEqual(new Set(['read_file', 'write_section']));
      expect(used(renderer!)).toContain('render_docx');
      expect(used({ messages: transcript.messages })).toEqual(['delegate', 'delegate', 'submit']);
      expect(transcript.turns.length + drafter!.turns.length + renderer!.turns.length).toBe(record.turns);
      expect(record.feedback.join(' ')).not.toMatch(/never rendered/);
    }
    // The specialists start from the lead's instructions with the task for context.
    const first = read<Transcript>(runDir, team[0]!.transcript).subagents![0]!;
    expect(first.messages[0]!.content).toMatch(/^Instructions from the lead:\n[\s\S]*The task, for context:\n/);
  });

  it('fails early on a model it cannot build, and counts a failing specialist as infrastructure', async () => {
    await expect(
      executeRun({
        runDir: join(tempDir(), 'run'),
        experiment: smallExperiment({
          arms: [{ arm: 'multi-agent', options: { roles: [{ name: 'a', model: 'sim:nosuch' }] } }],
          sessions: 1,
          tasks_per_session: 1,
          replicates: 1,
        }),
      }),
    ).rejects.toThrow(/unknown sim profile "nosuch"/);

    const broken: ModelClient = {
      id: 'sim:broken',
      create: async () => {
        throw new ModelInfraError('overloaded', 529);
      },
    };
    const { trials } = await executeRun({
      runDir: join(tempDir(), 'run'),
      experiment: smallExperiment({
        arms: [{ arm: 'multi-agent', options: { roles: [{ name: 'a', model: 'sim:broken' }] } }],
        sessions: 1,
        tasks_per_session: 2,
        replicates: 1,
      }),
      modelFactory: (spec, suites) => (spec === 'sim:broken' ? broken : createModel(spec, { suites })),
    });
    expect(trials.map((t) => t.error_class)).toEqual(['infra', 'infra']);
    expect(trials[0]!.error).toMatch(/specialist a: overloaded/);
  });

  it('leaves out tools a suite lacks and roles left without tools', async () => {
    const { trials } = await executeRun({
      runDir: join(tempDir(), 'run'),
      experiment: smallExperiment({
        arms: [
          {
            arm: 'multi-agent',
            options: {
              roles: [
                { name: 'ghost', tools: ['run_tests'] },
                { name: 'worker', tools: ['read_file', 'write_section', 'render_docx', 'run_tests'] },
              ],
            },
          },
        ],
        sessions: 1,
        tasks_per_session: 2,
        replicates: 1,
      }),
    });
    expect(trials.every((t) => t.agents?.map((a) => a.role).join() === 'worker,lead')).toBe(true);
  });

  // The showcase: a lead splits a batch of CI logs among three triagers (build-logs, when present).
  it.skipIf(!existsSync(sourcePath('tasks', 'build-logs', 'index.ts')))(
    'splits a build-logs batch among specialists of the same kind',
    async () => {
      const triager = (name: string) => ({ name, tools: ['list_logs', 'read_log', 'grep_log', 'submit_triage'] });
      const runDir = join(tempDir(), 'run');
      const { trials } = await executeRun({
        runDir,
        experiment: smallExperiment({
          suites: ['build-logs'],
          arms: [
            {
              arm: 'multi-agent',
              name: 'triage-team',
              options: { roles: [triager('triager-1'), triager('triager-2'), triager('triager-3')] },
            },
          ],
          sessions: 1,
          tasks_per_session: 3,
          replicates: 1,
        }),
      });
      for (const record of trials) {
        expect(record.error_class).not.toBe('infra');
        expect(record.agents?.map((a) => a.role)).toEqual(['triager-1', 'triager-2', 'triager-3', 'lead']);
        const transcript = read<Transcript>(runDir, record.transcript);
        const readIds = transcript.subagents!.map(
          (s) =>
            new Set(
              s.messages.flatMap((m) =>
                typeof m.content === 'string'
                  ? []
                  : m.content.flatMap((b) => (b.type === 'tool_use' && b.name === 'read_log' ? [String(b.input.id)] : [])),
              ),
            ),
        );
        // Each triager read its own share of the batch: disjoint shares, none empty.
        expect(readIds.every((ids) => ids.size > 0)).toBe(true);
        const all = readIds.flatMap((ids) => [...ids]);
        expect(new Set(all).size).toBe(all.length);
        expect(transcript.subagents!.every((s) => JSON.stringify(s.messages).includes('"submit_triage"'))).toBe(true);
        expect(transcript.subagents![0]!.messages[0]!.content).toMatch(/Your share: part 1 of 3/);
      }
    },
  );
});
