import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TrialRecord } from '../../harness/core/records.js';
import { trialId } from '../../harness/core/records.js';
import type { Transcript } from '../../harness/agent/transcript.js';
import { executeRun } from '../../harness/runner/runner.js';
import { RunDir } from '../../harness/storage/run-dir.js';
import { smallExperiment, tempDir } from '../../harness/testing/run-helpers.js';
import { parseSimProfile } from '../../harness/models/sim/profiles.js';
import { rngFrom } from '../../harness/core/rng.js';
import { assignmentKind, skillName, skillReply } from '../../harness/models/sim/skill-reply.js';
import legalDrafting from '../../tasks/legal-drafting/index.js';
import skills, { skillsContext } from './index.js';
import { skillDigest, successfulSettings } from './digest.js';
import { mergeSkill, parseSkillFile, parseSkillReply, readLibrary, renderSkill, type Skill } from './library.js';
import { rankSkills, retrieve } from './retrieval.js';

const skill = (name: string, when: string, settings: string[] = []): Skill => ({
  name,
  when,
  steps: ['read_file', 'submit'],
  settings,
  workflow: [],
  provenance: [],
});

describe('skill files', () => {
  it('round-trips a skill with provenance, and hides provenance from the agent', () => {
    const s: Skill = {
      name: 'motion-compel',
      when: 'Draft a motion to compel (tasks of the motion family).',
      steps: ['read_file', 'write_section, then render_docx', 'submit'],
      settings: ['render_docx.caption="court-block"'],
      workflow: ['workflow:write_section+render_docx'],
      provenance: [{ session: 2, trial: 'skills/r1/s002/003-motion-01', task: 'motion-01', action: 'created' }],
    };
    expect(parseSkillFile(renderSkill(s))).toEqual(s);
    expect(renderSkill(s, true)).not.toMatch(/Provenance|motion-01/);
    expect(renderSkill(s, true)).toContain('render_docx.caption="court-block"');
  });

  it('reads a model reply leniently and rejects "No skill."', () => {
    const parsed = parseSkillReply(
      'Skill: Motion To Compel!\nWhen to use: motions\nSteps:\n1. read\n2. render\nSettings:\n- render_docx.caption="court-block"\n- nothing\nWorkflow: workflow:a+b',
    );
    expect(parsed).toEqual({
      name: 'motion-to-compel',
      when: 'motions',
      steps: ['read', 'render'],
      settings: ['render_docx.caption="court-block"'],
      workflow: ['workflow:a+b'],
    });
    expect(parseSkillReply('No skill.')).toBeUndefined();
  });

  it('updates a skill: newer settings win per tool.param, older ones stay, provenance accumulates', () => {
    const first = mergeSkill(undefined, skill('x', 'old', ['t.a="1"', 't.b="2"']), { session: 1, trial: 'a/r1/s001/000-t1', task: 't1' });
    const second = mergeSkill(first, skill('x', 'new', ['t.a="9"']), { session: 3, trial: 'a/r1/s003/002-t2', task: 't2' });
    expect(second.settings).toEqual(['t.a="9"', 't.b="2"']);
    expect(second.when).toBe('new');
    expect(second.provenance.map((p) => [p.session, p.action])).toEqual([
      [1, 'created'],
      [3, 'updated'],
    ]);
  });
});

describe('retrieval (BM25 over name and when-to-use)', () => {
  const library = [
    skill('demand-letter', 'Draft a demand letter (tasks of the demand-letter family).'),
    skill(
      'plaintiff-motion-compel-production-documents',
      "Draft Plaintiff's Motion to Compel Production of Documents (tasks of the motion family).",
    ),
    skill('mutual-non-disclosure-agreement', 'Draft a mutual non-disclosure agreement (tasks of the nda family).'),
    skill('rider-indemnification', 'Draft Rider Indemnification (tasks of the contract-clause family).'),
  ];

  it('ranks the skill of the same kind first, deterministically', () => {
    for (const task of legalDrafting.tasks.filter((t) => ['demand-letter', 'nda'].includes(t.family))) {
      const query = `${task.title}\n${task.prompt}`;
      const top = retrieve(query, library, 1, 0)[0]!;
      expect(top.skill.name).toBe(task.family === 'nda' ? 'mutual-non-disclosure-agreement' : 'demand-letter');
      expect(retrieve(query, [...library].reverse(), 3, 0)).toEqual(retrieve(query, library, 3, 0));
    }
  });

  it('returns at most k, drops non-matching and low-scoring skills, breaks ties by name', () => {
    expect(retrieve('nothing relevant here', library, 3, 0)).toEqual([]);
    const twins = [skill('b-twin', 'same words here'), skill('a-twin', 'same words here')];
    expect(rankSkills('same words', twins).map((r) => r.skill.name)).toEqual(['a-twin', 'b-twin']);
    expect(retrieve('motion compel production documents demand letter', library, 1, 0)).toHaveLength(1);
    const best = rankSkills('motion compel production', library)[0]!.score;
    expect(retrieve('motion compel production', library, 3, best + 1)).toEqual([]);
  });

  it('gives the retrieved skills in context without provenance, and counts the library', () => {
    const task = legalDrafting.tasks.find((t) => t.family === 'demand-letter')!;
    const memory = Object.fromEntries(
      library.map((s) => [
        `skills/${s.name}.md`,
        renderSkill({ ...s, provenance: [{ session: 1, trial: 'x/r1/s001/000-y', task: 'y', action: 'created' }] }),
      ]),
    );
    const { text, library: size, retrieved } = skillsContext(task, memory, 2, 0);
    expect(size).toBe(4);
    expect(retrieved[0]!.name).toBe('demand-letter');
    expect(text).toContain('## Skill: demand-letter');
    expect(text).not.toContain('Provenance');
    expect(skills.create({ top_k: 2 }).memoryStats!(task, memory)).toEqual({ library_size: 4, skills_retrieved: 2 });
  });
});

describe('the skill writer (sim) and its digest', () => {
  const task = legalDrafting.tasks.find((t) => t.family === 'motion')!;
  const transcript = (messages: Transcript['messages'], success = true): Transcript => ({
    format: 'dreambench.transcript/v1',
    trial_id: 't',
    suite: task.suite,
    family: task.family,
    task: task.id,
    model: 'sim:default',
    system: [{ type: 'text', text: 'sys' }],
    tools: [],
    messages,
    turns: [],
    outcome: { success, score: 1, error_class: success ? 'none' : 'agent', feedback: [], pitfalls_hit: [] },
  });
  const messages: Transcript['messages'] = [
    { role: 'user', content: task.prompt },
    { role: 'assistant', content: [{ type: 'tool_use', id: 'r', name: 'read_file', input: { path: 'matter.md' } }] },
    { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'r', content: 'facts' }] },
    {
      role: 'assistant',
      content: [
        {
          type: 'tool_use',
          id: 'w',
          name: 'write_section',
          input: { heading: 'Conclusion', body: 'For these reasons the motion should be granted.\nRespectfully submitted.' },
        },
      ],
    },
    { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'w', content: 'ok' }] },
    {
      role: 'assistant',
      content: [{ type: 'tool_use', id: 'x', name: 'render_docx', input: { caption: 'simple', heading_style: 'Heading 1' } }],
    },
    {
      role: 'user',
      content: [{ type: 'tool_result', tool_use_id: 'x', content: 'Use render_docx.caption="court-block".', is_error: true }],
    },
    {
      role: 'assistant',
      content: [{ type: 'tool_use', id: 'y', name: 'render_docx', input: { caption: 'court-block', heading_style: 'Heading 1' } }],
    },
    { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'y', content: 'Rendered' }] },
    { role: 'assistant', content: [{ type: 'tool_use', id: 'z', name: 'submit', input: {} }] },
    { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'z', content: 'Submitted' }] },
  ];

  it('keeps only settings of successful calls, never content or file names', () => {
    expect(successfulSettings(messages, task)).toEqual(['render_docx.caption="court-block"', 'render_docx.heading_style="Heading 1"']);
  });

  it('keeps the settings of a call that also carries content (a slide with bullets and a layout)', () => {
    const title = task.prompt.split('\n')[0]!.slice(0, 40);
    const mixed: Transcript['messages'] = [
      { role: 'user', content: task.prompt },
      {
        role: 'assistant',
        content: [{ type: 'tool_use', id: 's', name: 'add_slide', input: { title, bullets: ['one', 'two'], layout: 'lk-content' } }],
      },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 's', content: 'Added slide 2' }] },
    ];
    expect(successfulSettings(mixed, task)).toEqual(['add_slide.layout="lk-content"']);
  });

  it('writes the settings that mattered, the procedure without failed tries, and a workflow shortcut', () => {
    const digest = skillDigest(transcript(messages), task);
    expect(digest).toContain('- turn 3: render_docx (error)');
    const reply = skillReply(
      { system: [], messages: [{ role: 'user', content: digest }], max_tokens: 100 },
      parseSimProfile('default?lesson_noise=0'),
      rngFrom('k'),
    );
    const parsed = parseSkillReply(reply)!;
    expect(parsed.name).toBe(skillName(assignmentKind(task.prompt.split('\n')[0]!)));
    expect(parsed.settings).toEqual(['render_docx.caption="court-block"']); // heading_style was never corrected: a default that did
    expect(parsed.steps).toEqual(['read_file', 'write_section', 'render_docx', 'submit']);
    expect(parsed.workflow).toEqual(['workflow:write_section+render_docx']);
    expect(
      skillReply(
        { system: [], messages: [{ role: 'user', content: skillDigest(transcript(messages, false), task) }], max_tokens: 1 },
        parseSimProfile('default'),
        rngFrom('k'),
      ),
    ).toBe('No skill.');
  });

  it("with learn_from submitted, writes a skill from a task it finished without seeing the verdict or the checker's feedback", () => {
    const failed = {
      ...transcript(messages, false),
      outcome: { ...transcript(messages, false).outcome, feedback: ['Use render_docx.font="Times".'] },
    };
    const digest = skillDigest(failed, task, { verdict: false });
    expect(digest).toContain('Outcome: submitted');
    expect(digest).not.toMatch(/not completed|score|render_docx\.font/);
    const parsed = parseSkillReply(
      skillReply(
        { system: [], messages: [{ role: 'user', content: digest }], max_tokens: 100 },
        parseSimProfile('default?lesson_noise=0'),
        rngFrom('k'),
      ),
    )!;
    expect(parsed.settings).toEqual(['render_docx.caption="court-block"']);
    expect(() => skills.create({ learn_from: 'everything' })).toThrow(/option "learn_from": .*"completed"\|"submitted", got "everything"/);
  });

  it('names skills after the kind of assignment, not its parties', () => {
    expect(assignmentKind("Draft Plaintiff's Motion to Compel Production of Documents for filing in A v. B")).toBe(
      "Draft Plaintiff's Motion to Compel Production of Documents",
    );
    expect(skillName(assignmentKind('Draft a demand letter on behalf of Acme LLC to Beta Inc.'))).toBe('demand-letter');
    expect(skillName(assignmentKind('Draft Rider No. 2 (Limitation of Liability) to the SaaS Agreement between X and Y.'))).toBe(
      'rider-limitation-liability',
    );
  });
});

describe('skills arm, end to end with sim', () => {
  it('extracts skills only from completed trials, with provenance, records the library size, and beats stateless later', async () => {
    const runDir = join(tempDir(), 'run');
    const { trials, status } = await executeRun({
      runDir,
      experiment: smallExperiment({ arms: ['stateless', 'skills'], sessions: 6, tasks_per_session: 10, replicates: 1 }),
    });
    expect(status).toBe('completed');
    const mine = trials.filter((t) => t.arm === 'skills');
    const byId = new Map(mine.map((t) => [trialId(t), t]));
    // Only completed trials wrote a skill.
    expect(mine.filter((t) => t.notes).every((t) => t.success)).toBe(true);
    expect(mine.some((t) => t.notes)).toBe(true);

    const dir = new RunDir(runDir);
    const files = (session: number) => dir.readSnapshot('skills', 1, session);
    const final = readLibrary(files(6));
    expect(final.length).toBeGreaterThan(0);
    for (const s of final) {
      expect(s.provenance.length).toBeGreaterThan(0);
      for (const p of s.provenance) {
        const record = byId.get(p.trial)!;
        expect(record.success).toBe(true);
        expect(record.session).toBe(p.session);
        expect(record.task).toBe(p.task);
      }
    }

    // The library size per trial is the library of the previous session's snapshot; per session in the journal.
    const events = readFileSync(join(runDir, 'events.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; arm?: string; session?: number; details?: { library_size?: number } });
    for (let session = 1; session <= 6; session++) {
      const before = readLibrary(files(session - 1)).length;
      for (const t of mine.filter((r) => r.session === session)) expect(t.memory_stats?.library_size).toBe(before);
      const consolidated = events.find((e) => e.type === 'session_consolidated' && e.arm === 'skills' && e.session === session);
      expect(consolidated?.details?.library_size).toBe(readLibrary(files(session)).length);
      expect(
        readdirSync(join(dir.memoryDir('skills', 1, session)), { recursive: true }).filter((f) => String(f).endsWith('.md')),
      ).toHaveLength(readLibrary(files(session)).length);
    }
    expect(trials.filter((t) => t.arm === 'stateless').every((t) => t.memory_stats === undefined)).toBe(true);

    // Later sessions: fewer pitfalls and fewer turns than the control on the same tasks.
    const late = (arm: string): TrialRecord[] => trials.filter((t) => t.arm === arm && t.session >= 3);
    const hits = (arm: string) => late(arm).reduce((sum, t) => sum + t.pitfalls_hit.length, 0);
    const turns = (arm: string) => late(arm).reduce((sum, t) => sum + t.turns, 0);
    expect(hits('skills')).toBeLessThan(hits('stateless'));
    expect(turns('skills')).toBeLessThan(turns('stateless'));
  });

  it('rejects unknown options and bounds the library', async () => {
    expect(() => skills.create({ topk: 3 })).toThrow(/arm skills: option "topk": unknown option/);
    expect(() => skills.create({ top_k: 0 })).toThrow(/arm skills: option "top_k": Too small: expected number to be >=1/);
    const arm = skills.create({ max_skills: 1 });
    const note = (name: string) => JSON.stringify({ skill: { name, when: name, steps: [], settings: [], workflow: [] } });
    const record = (slot: number, name: string): TrialRecord =>
      ({
        arm: 'skills',
        replicate: 1,
        session: 2,
        slot,
        task: `t${slot}`,
        success: true,
        error_class: 'none',
        notes: note(name),
      }) as unknown as TrialRecord;
    const result = await arm.afterSession!(
      {
        memory: {
          'skills/old.md': renderSkill({
            ...skill('old', 'old'),
            provenance: [{ session: 1, trial: 'a/r1/s001/000-t', task: 't', action: 'created' }],
          }),
        },
        trials: [record(0, 'new')],
        transcript: () => ({}) as Transcript,
      },
      { arm: 'skills', replicate: 1, session: 2, model: undefined as never, seedKey: 'k', options: {} },
    );
    expect(Object.keys(result.memory)).toEqual(['skills/new.md']);
    expect(result.details).toEqual({ library_size: 1, created: ['new'], updated: [], evicted: ['old'] });
  });
});
