// A synthetic run directory with the shape a real run writes (manifest, journal, trials,
// transcripts, memory snapshots, dream changesets), for the report's tests and its render-time
// benchmark at sizes the sim would take minutes to produce. Outcomes are drawn from known rates, so
// tests can also check the report's figures against the truth.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Transcript } from '../harness/agent/transcript.js';
import type { TrialRecord } from '../harness/core/records.js';
import { trialId } from '../harness/core/records.js';
import type { Changeset } from '../harness/dreaming/changeset.js';
import { experimentSchema } from '../harness/config/schema.js';
import type { Manifest } from '../harness/storage/manifest.js';
import { RunDir, appendJsonLine, writeJsonAtomic } from '../harness/storage/run-dir.js';
import { writeTranscriptSync } from '../harness/storage/transcripts.js';
import { rngFrom } from '../harness/core/rng.js';

export interface SyntheticArm {
  name: string;
  /** Completion probability in session s (1-based). */
  rate: (session: number) => number;
  /** Memory kind written after each session: none, a learnings.md list, or a dreaming store with changesets. */
  memory?: 'none' | 'learnings' | 'dreaming';
  /** Attach grader verdicts (agreeing with the checker with this probability). */
  graderAgreement?: number;
}

export interface SyntheticRunOptions {
  root: string;
  arms: SyntheticArm[];
  sessions: number;
  replicates: number;
  tasksPerSession: number;
  /** Families, each with this many tasks; task ids `<family>-<k>`. */
  families?: string[];
  tasksPerFamily?: number;
  seed?: number;
  simulated?: boolean;
  suite?: string;
  /** Write transcripts (default true). */
  transcripts?: boolean;
  /** Messages per transcript (default 8). */
  transcriptMessages?: number;
}

const PITFALLS = ['docx_numbering', 'caption_format', 'date_style', 'signature_block', 'defined_terms'];

export function writeSyntheticRun(options: SyntheticRunOptions): { root: string; trials: TrialRecord[] } {
  const families = options.families ?? ['engagement-letter', 'nda', 'motion', 'demand-letter', 'contract-rider'];
  const perFamily = options.tasksPerFamily ?? 9;
  const suite = options.suite ?? 'legal-drafting';
  const seed = options.seed ?? 1;
  const dir = new RunDir(options.root);
  mkdirSync(options.root, { recursive: true });
  const experiment = experimentSchema.parse({
    name: 'synthetic',
    seed,
    model: options.simulated === false ? 'anthropic:claude-test' : 'sim:default',
    suites: [suite],
    arms: options.arms.map((a) => a.name),
    sessions: options.sessions,
    tasks_per_session: options.tasksPerSession,
    replicates: options.replicates,
  });
  const now = new Date(Date.UTC(2026, 0, 1)).toISOString();
  const manifest: Manifest = {
    format: 'dreambench.run/v1',
    run_id: 'synthetic',
    name: 'synthetic',
    created_at: now,
    updated_at: now,
    status: 'completed',
    harness_version: '0.0.0-test',
    git_sha: null,
    node_version: process.version,
    experiment,
    config_hash: 'synthetic',
    simulated: options.simulated ?? true,
    models: { agent: experiment.model, grader: experiment.model },
    suites: { [suite]: { hash: 'synthetic', tasks: families.length * perFamily, families: families.length, pitfalls: PITFALLS.length } },
  };
  writeJsonAtomic(dir.manifestPath, manifest);

  const tasks = families.flatMap((f) => Array.from({ length: perFamily }, (_, k) => ({ id: `${f}-${k + 1}`, family: f })));
  const taskEase = new Map(tasks.map((t) => [t.id, rngFrom(`ease:${seed}:${t.id}`).next() * 0.3 - 0.15]));
  const all: TrialRecord[] = [];
  const lines: string[] = [];
  for (let r = 1; r <= options.replicates; r++) {
    const scheduleRng = rngFrom(`schedule:${seed}:${r}`);
    const schedule = Array.from({ length: options.sessions }, () =>
      Array.from({ length: options.tasksPerSession }, () => scheduleRng.pick(tasks)),
    );
    for (const arm of options.arms) {
      const memory: string[] = [];
      for (let s = 1; s <= options.sessions; s++) {
        const sessionTrials: TrialRecord[] = [];
        schedule[s - 1]!.forEach((task, slot) => {
          const rng = rngFrom(`trial:${seed}:${arm.name}:${r}:${s}:${slot}`);
          const p = Math.min(0.99, Math.max(0.01, arm.rate(s) + taskEase.get(task.id)!));
          const success = rng.chance(p);
          const exposed = PITFALLS.filter((_, i) => (i + task.id.length) % 2 === 0 || i === slot % PITFALLS.length);
          const hit = exposed.filter(() => rng.chance(success ? 0.15 : 0.6));
          const turns = 3 + rng.int(success ? 6 : 12);
          const key = { arm: arm.name, replicate: r, session: s, slot, task: task.id };
          const transcriptRel = dir.relative(dir.transcriptPath(key));
          const record: TrialRecord = {
            ...key,
            suite,
            family: task.family,
            model: experiment.model,
            success,
            score: success ? 1 : Math.round(rng.next() * 80) / 100,
            turns,
            tool_calls: turns - 1,
            input_tokens: 900 * turns + rng.int(500),
            output_tokens: 150 * turns + rng.int(100),
            cache_read_tokens: memory.length * 40,
            cache_write_tokens: s === 1 ? 0 : 60,
            cost_usd: 0,
            wall_ms: 200 * turns + rng.int(300),
            error_class: success ? 'none' : rng.chance(0.1) ? 'budget' : 'agent',
            pitfalls_hit: hit,
            pitfalls_avoided: exposed.filter((p) => !hit.includes(p)),
            feedback: success ? [] : [`Reviewer: the ${hit[0] ?? 'format'} is wrong.`],
            checks: [{ id: 'structure', passed: success }],
            transcript: transcriptRel,
          };
          if (arm.graderAgreement !== undefined) {
            const verdict = rng.chance(arm.graderAgreement) ? success : !success;
            record.grader = { success: verdict, score: verdict ? 0.9 : 0.3, criteria: [] };
          }
          sessionTrials.push(record);
          if (options.transcripts !== false)
            writeTranscriptSync(join(options.root, transcriptRel), transcriptFor(record, memory, options.transcriptMessages ?? 8));
        });
        for (const t of sessionTrials) lines.push(JSON.stringify(t));
        all.push(...sessionTrials);
        const kind = arm.memory ?? 'none';
        if (kind !== 'none') {
          const failed = sessionTrials.filter((t) => !t.success);
          const added = failed
            .slice(0, 3)
            .map((t) => ({ text: `Set ${t.pitfalls_hit[0] ?? 'numbering'} as the reviewer asked (${t.family}).`, evidence: trialId(t) }));
          for (const a of added) memory.push(a.text);
          if (kind === 'dreaming') {
            const changeset: Changeset = {
              format: 'dreambench.dream/v1',
              dream: `${arm.name}/r${r}/s${String(s).padStart(3, '0')}`,
              arm: arm.name,
              replicate: r,
              session: s,
              created_at: now,
              status: 'applied',
              review_mode: 'auto',
              stages: {},
              replay: { trials: sessionTrials.length, sessions: [s], from_session: s, to_session: s },
              analysis: { mode: 'rules', calls: 0, batches: 1, repaired: 0, findings: added.length },
              dropped_findings: [],
              usage: {
                input_tokens: 1200,
                output_tokens: 300,
                cache_read_tokens: 0,
                cache_write_tokens: 0,
                cost_usd: 0,
                calls: 1,
                wall_ms: 5,
              },
              timings_ms: { replay: 1, analyse: 2, curate: 1, output: 1 },
              memory_tokens: { before: memory.length * 10, after: memory.length * 12, cap: 4000 },
              changes: added.map((a, i) => ({
                n: i + 1,
                kind: 'add' as const,
                file: 'notes.md',
                id: `d-${s}-${i}`,
                category: 'error' as const,
                after: a.text,
                reason: 'recurring reviewer feedback',
                evidence: [a.evidence],
                status: 'applied' as const,
                review: { by: 'auto' as const },
              })),
              confirmations: [],
            };
            writeJsonAtomic(join(options.root, 'dreams', arm.name, `r${r}`, `session-${String(s).padStart(3, '0')}.json`), changeset);
          }
        }
        const files: Record<string, string> =
          kind === 'none'
            ? {}
            : kind === 'learnings'
              ? { 'learnings.md': `# Learnings\n\n${memory.map((m) => `- ${m}`).join('\n')}\n` }
              : {
                  'notes.md': `# Notes\n\n## Recurring errors\n${memory.map((m, i) => `- ${m} <!-- dream: {"id":"d-${i}"} -->`).join('\n')}\n`,
                };
        dir.writeSnapshot(arm.name, r, s, files);
        appendJsonLine(dir.eventsPath, {
          at: now,
          type: 'session_consolidated',
          arm: arm.name,
          replicate: r,
          session: s,
          ...(kind === 'dreaming'
            ? {
                usage: {
                  input_tokens: 1200,
                  output_tokens: 300,
                  cache_read_tokens: 0,
                  cache_write_tokens: 0,
                  cost_usd: 0,
                  calls: 1,
                  wall_ms: 5,
                },
              }
            : {}),
        });
      }
    }
  }
  writeFileSync(dir.trialsPath, lines.join('\n') + '\n');
  return { root: options.root, trials: all };
}

function transcriptFor(record: TrialRecord, memory: readonly string[], messages: number): Transcript {
  const msgs: Transcript['messages'] = [{ role: 'user', content: `Draft the ${record.family} for task ${record.task}.` }];
  for (let i = 1; i < messages; i++) {
    if (i % 2 === 1) {
      msgs.push({
        role: 'assistant',
        content: [
          { type: 'text', text: `Step ${i}: writing a section.` },
          {
            type: 'tool_use',
            id: `tu${i}`,
            name: i === messages - 1 ? 'submit' : 'write_section',
            input: { heading: `Section ${i}`, text: 'The parties agree as follows.' },
          },
        ],
      });
    } else {
      msgs.push({
        role: 'user',
        content: [
          {
            type: 'tool_result',
            tool_use_id: `tu${i - 1}`,
            content: i === 2 && !record.success ? 'Error: numbering must be legal-flat' : 'ok',
            is_error: i === 2 && !record.success,
          },
        ],
      });
    }
  }
  return {
    format: 'dreambench.transcript/v1',
    trial_id: trialId(record),
    suite: record.suite,
    family: record.family,
    task: record.task,
    model: record.model,
    system: [
      { type: 'text', text: 'You are a drafting attorney.' },
      ...(memory.length ? [{ type: 'text' as const, text: memory.map((m) => `- ${m}`).join('\n'), cache: true }] : []),
    ],
    tools: [],
    messages: msgs,
    turns: [],
    outcome: {
      success: record.success,
      score: record.score,
      error_class: record.error_class,
      feedback: record.feedback,
      pitfalls_hit: record.pitfalls_hit,
    },
  };
}
