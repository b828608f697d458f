// Every built-in arm declares its options as a zod schema: the engine validates them before anything
// runs (an error names the arm, the field and what was expected), and the experiment's JSON Schema
// carries them. Each arm accepts the options its docs list and refuses a stray or mistyped one.

import { execa } from 'execa';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { baseDirOf, knownNames, requestedArms, requestedSuites } from '../cli/known-names.js';
import { experimentJsonSchema } from '../config/json-schema.js';
import { readExperimentFile, validateExperiment } from '../config/load.js';
import { resolveArms } from '../config/schema.js';
import { OptionsError, parseOptions } from '../core/options.js';
import { packageRoot } from '../core/paths.js';
import { tempDir } from '../testing/run-helpers.js';
import { armNames, createArm, loadArmFactory } from './arms.js';
import { collectOptionSchemas } from './option-schemas.js';

interface Case {
  /** The options docs/arms.md (or docs/managed.md) documents, all set at once. */
  documented: Record<string, unknown>;
  /** A mistyped option and the field the error must name. */
  mistyped: { options: Record<string, unknown>; field: string };
}

const CASES: Record<string, Case> = {
  stateless: { documented: {}, mistyped: { options: { memory: 'none' }, field: 'memory' } },
  'learnings-md': {
    documented: { reflect_on: 'all', max_entries: 50, filter: ['security'] },
    mistyped: { options: { reflect_on: 'sometimes' }, field: 'reflect_on' },
  },
  dreaming: {
    documented: {
      every: 2,
      window: 'full',
      stages: { replay: true, analyse: false, curate: true, output: true },
      curate: { merge: true, drop_contradicted: true, drop_unused_after: false, token_cap: 1500, similarity: 0.7 },
      playbooks: false,
      review: 'auto',
      filter: 'security',
      filter_patterns: ['wire funds'],
      batch_size: 20,
      classifier: false,
      quarantine: { min_sources: 2, hold_sessions: 3 },
      max_updates: 5,
    },
    mistyped: { options: { every: '2' }, field: 'every' },
  },
  reflexion: {
    documented: { k: 1, feedback: 'tool_errors', persist: true, max_reflections: 2, evaluator: 'self' },
    mistyped: { options: { max_reflections: 0 }, field: 'max_reflections' },
  },
  outcomes: { documented: { rounds: 1 }, mistyped: { options: { rounds: 'two' }, field: 'rounds' } },
  'retry-only': { documented: { k: 3 }, mistyped: { options: { k: 1.5 }, field: 'k' } },
  holdout: {
    documented: { memory: 'learnings-md', memory_options: { reflect_on: 'failures' } },
    mistyped: { options: { memory_options: { every: 0 } }, field: 'memory_options.every' },
  },
  skills: {
    documented: { top_k: 2, min_score: 0.5, max_skills: 30, min_tool_calls: 5, learn_from: 'submitted' },
    mistyped: { options: { top_k: 0 }, field: 'top_k' },
  },
  'multi-agent': {
    documented: {
      roles: [
        { name: 'drafter', tools: '*', model: 'agent', prompt: 'drafts', memory: true, max_turns: 8 },
        { name: 'checker', tools: ['read_file'], model: 'grader', memory: false },
      ],
      lead_model: 'sim:expert',
      lead_tools: ['submit'],
      max_delegations: 6,
    },
    mistyped: { options: { roles: [{ name: 'a b' }] }, field: 'roles[0].name' },
  },
  compose: {
    documented: {
      memory: 'dreaming',
      loop: 'reflexion',
      orchestration: 'multi-agent',
      memory_options: { every: 2 },
      loop_options: { k: 1 },
      orchestration_options: { max_delegations: 4 },
    },
    mistyped: { options: { memory: 'dreaming', memory_options: { window: 'weekly' } }, field: 'memory_options.window' },
  },
  'managed-stateless': {
    documented: { model: 'claude-sonnet-4-6', toolset: 'full', networking: 'limited', events: 'poll', memory: 'none', max_retries: 2 },
    mistyped: { options: { memory: 'read_write' }, field: 'memory' },
  },
  'managed-memory': {
    documented: { memory: 'read_only', memory_instructions: 'read these', debrief: false, session_timeout_s: 600 },
    mistyped: { options: { toolset: 'none' }, field: 'toolset' },
  },
  'managed-dreaming': {
    documented: { every: 2, dream_instructions: 'keep it short', review: 'human', dream_timeout_s: 900, dream_output: 'update_existing' },
    mistyped: { options: { dream_output: 'overwrite' }, field: 'dream_output' },
  },
  'managed-outcomes': { documented: { max_iterations: 5 }, mistyped: { options: { max_iterations: 21 }, field: 'max_iterations' } },
  'managed-multiagent': {
    documented: { subagents: [{ name: 'reviewer', system: 'review' }], inline_agents: false, workflows: true, advisor: null },
    mistyped: { options: { subagents: [{ name: '' }] }, field: 'subagents[0].name' },
  },
};

/** The arm built with these options (the managed arms, which need an API key to build, only validated), or the OptionsError. */
async function optionsError(arm: string, options: Record<string, unknown>): Promise<OptionsError | undefined> {
  const factory = await loadArmFactory(arm);
  try {
    if (arm.startsWith('managed-')) parseOptions(factory.options, options);
    else await createArm(factory, options);
    return undefined;
  } catch (error) {
    if (error instanceof OptionsError) return error;
    throw error;
  }
}

describe('built-in arm options', () => {
  it('covers every built-in arm', () => {
    expect(Object.keys(CASES).sort()).toEqual(armNames().sort());
  });

  for (const [arm, c] of Object.entries(CASES)) {
    it(`${arm}: declares a schema, accepts its documented options, refuses a stray and a mistyped one`, async () => {
      expect((await loadArmFactory(arm)).options, `${arm} has no options schema`).toBeDefined();
      expect(await optionsError(arm, c.documented)).toBeUndefined();
      const stray = await optionsError(arm, { ...c.documented, colour: 'blue' });
      expect(stray?.field).toBe('colour');
      expect(stray?.expected).toMatch(/^unknown option/);
      const mistyped = await optionsError(arm, c.mistyped.options);
      expect(mistyped?.field).toBe(c.mistyped.field);
      expect(mistyped?.expected).toMatch(/expected|Too (small|big)|unknown option/);
    });
  }

  it('defaults stay what the arms did before: an arm built without options equals one built with the documented defaults', async () => {
    const skills = await loadArmFactory('skills');
    const parsed = skills.options!.parse({}) as Record<string, unknown>;
    expect(parsed).toEqual({ top_k: 3, min_score: 0, min_tool_calls: 0, learn_from: 'completed' });
    expect((await loadArmFactory('reflexion')).options!.parse({})).toEqual({
      k: 2,
      feedback: 'checker',
      persist: false,
      max_reflections: 3,
      evaluator: 'checker',
    });
    expect((await loadArmFactory('outcomes')).options!.parse({})).toEqual({ rounds: 2 });
    expect((await loadArmFactory('retry-only')).options!.parse({})).toEqual({ k: 2 });
  });

  it('every example experiment still validates, and each of its arms builds with its options', { timeout: 60_000 }, async () => {
    const dir = join(packageRoot(), 'examples');
    const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));
    let checked = 0;
    for (const name of files) {
      const file = join(dir, name);
      const raw = readExperimentFile(file);
      if (!raw || typeof raw !== 'object' || !('arms' in raw)) continue; // task and claim files
      const known = await knownNames(requestedSuites(raw), requestedArms(raw), baseDirOf(raw));
      const experiment = validateExperiment(file, raw, {}, known);
      for (const spec of resolveArms(experiment.arms)) {
        const factory = await loadArmFactory(spec.arm, experiment.base_dir);
        if (spec.arm.startsWith('managed-')) parseOptions(factory.options, spec.options);
        else expect((await createArm(factory, spec.options, experiment.base_dir)).name, `${name}: ${spec.name}`).toBeTruthy();
      }
      checked++;
    }
    expect(checked).toBeGreaterThan(10);
  });

  it('merges every built-in arm schema into the experiment JSON Schema, and the committed schema is current', async () => {
    const schema = experimentJsonSchema(await collectOptionSchemas());
    const entry = (schema.properties as { arms: { items: { anyOf: Array<{ type?: string; allOf?: unknown[] }> } } }).arms.items.anyOf.find(
      (v) => v.type === 'object',
    )!;
    const byArm = new Map(
      (
        entry.allOf as Array<{ if: { properties: { arm: { const: string } } }; then: { properties: { options: Record<string, unknown> } } }>
      ).map((rule) => [rule.if.properties.arm.const, rule.then.properties.options]),
    );
    for (const arm of armNames()) expect(byArm.has(arm), arm).toBe(true);
    const topK = (byArm.get('skills')!.properties as Record<string, { type: string; minimum: number; default: number }>).top_k;
    expect(topK).toMatchObject({ type: 'integer', minimum: 1, default: 3 });
    expect(byArm.get('skills')!.additionalProperties).toBe(false);
    const committed = JSON.parse(readFileSync(join(packageRoot(), 'schema', 'experiment.schema.json'), 'utf8')) as unknown;
    expect(committed).toEqual(JSON.parse(JSON.stringify(schema)));
  });

  it('a mistyped option in an experiment file stops the run with exit 2, naming the file, the field and what was expected', async () => {
    const bin = join(packageRoot(), 'dist', 'harness', 'cli', 'main.js');
    if (!existsSync(bin)) throw new Error(`${bin} is missing: run \`npm run build\``);
    const dir = tempDir('arm-options-');
    const file = join(dir, 'experiment.yaml');
    writeFileSync(
      file,
      [
        'name: bad-arm-options',
        'seed: 1',
        'model: sim:default',
        'suites: [legal-drafting]',
        'arms:',
        '  - stateless',
        '  - {arm: skills, options: {top_k: "3"}}',
        'sessions: 1',
        'tasks_per_session: 1',
      ].join('\n'),
    );
    const result = await execa('node', [bin, 'run', file, '--out', join(dir, 'run')], { reject: false, cwd: dir, env: { CI: 'true' } });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(file);
    expect(result.stderr).toMatch(/arms\[1\]\.options\.top_k: expected number, received string, got "3"/);
    expect(existsSync(join(dir, 'run'))).toBe(false);
  });
});
