// The experimental controls, end to end with the sim: eval slice, holdout arm, task
// orders, forgetting re-test, leak scan and the resume checks.

import { execa } from 'execa';
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { executeRun } from './runner.js';
import { comparable, smallExperiment, tempDir } from '../testing/run-helpers.js';
import { RunDir, readJsonLines, readTree } from '../storage/run-dir.js';
import type { Manifest } from '../storage/manifest.js';
import type { TrialRecord } from '../core/records.js';
import { sliceOf } from '../core/slices.js';
import { scanRun } from '../controls/leak-scan.js';
import { loadSuites } from '../registry/suites.js';
import { packageRoot } from '../core/paths.js';
import { problemOf } from '../../tasks/_coding/problem.js';
import { controlsModel, renderControlsMarkdown } from '../../reports/controls.js';
import { writeRunReport } from '../../reports/run-report.js';
import { readTranscript } from '../storage/transcripts.js';

const snapshots = (runDir: string, arm: string, replicate: number): Record<string, Record<string, string>> => {
  const base = join(runDir, 'memory', arm, `r${replicate}`);
  return Object.fromEntries(
    readdirSync(base)
      .sort()
      .map((s) => [s, readTree(join(base, s))]),
  );
};
const train = (trials: readonly TrialRecord[]) => trials.filter((t) => sliceOf(t) === 'train');

describe('eval slice (test-then-update)', () => {
  it('never feeds memory: the memory is that of a run without eval trials, and the train trials are unchanged', async () => {
    const schedule = (sessions?: number[]) => ({ eval: { tasks_per_session: 3, ...(sessions ? { sessions } : {}) } });
    const withEval = await executeRun({
      runDir: join(tempDir(), 'a'),
      experiment: smallExperiment({ arms: ['learnings-md', 'dreaming'], sessions: 4, schedule: schedule() }),
    });
    // The same held-apart tasks, run only in the last session: sessions 1..3 had no eval trial at all.
    const lastOnly = await executeRun({
      runDir: join(tempDir(), 'b'),
      experiment: smallExperiment({ arms: ['learnings-md', 'dreaming'], sessions: 4, schedule: schedule([4]) }),
    });
    expect(withEval.status).toBe('completed');
    const evalTrials = withEval.trials.filter((t) => t.slice === 'eval');
    expect(evalTrials).toHaveLength(2 * 2 * 4 * 3);
    expect(lastOnly.trials.filter((t) => t.slice === 'eval')).toHaveLength(2 * 2 * 1 * 3);
    for (const arm of ['learnings-md', 'dreaming']) {
      for (const rep of [1, 2]) expect(snapshots(withEval.runDir, arm, rep)).toEqual(snapshots(lastOnly.runDir, arm, rep));
    }
    expect(comparable(train(withEval.trials))).toEqual(comparable(train(lastOnly.trials)));
    // Memory was written (the comparison is not vacuous) and eval trials read it.
    expect(readFileSync(join(new RunDir(withEval.runDir).memoryDir('learnings-md', 1, 3), 'learnings.md'), 'utf8')).toMatch(
      /render_docx\./,
    );
    const late = evalTrials.find((t) => t.arm === 'learnings-md' && t.session === 4)!;
    const transcript = readTranscript(withEval.runDir, late.transcript);
    expect(transcript.system.map((b) => b.text).join('\n')).toMatch(/# Memory from earlier sessions/);
    // No afterTrial for read-only trials: no lesson notes, no arm spending.
    for (const t of evalTrials) {
      expect(t.notes).toBeUndefined();
      expect(t.arm_usage).toBeUndefined();
    }
    // The dreams replayed train trials only.
    const changeset = JSON.parse(readFileSync(join(withEval.runDir, 'dreams', 'dreaming', 'r1', 'session-002.json'), 'utf8')) as {
      replay: { trials: number };
    };
    expect(changeset.replay.trials).toBe(6);
  });

  it('draws the eval tasks once per replicate, disjoint from the train tasks, in slots after them', async () => {
    const { trials } = await executeRun({
      runDir: join(tempDir(), 'run'),
      experiment: smallExperiment({
        arms: ['stateless'],
        sessions: 3,
        schedule: { eval: { tasks_per_session: 4, families: ['nda', 'motion'] } },
      }),
    });
    for (const rep of [1, 2]) {
      const mine = trials.filter((t) => t.replicate === rep);
      const evalBySession = [1, 2, 3].map((s) =>
        mine
          .filter((t) => t.slice === 'eval' && t.session === s)
          .sort((a, b) => a.slot - b.slot)
          .map((t) => t.task),
      );
      expect(evalBySession[0]).toHaveLength(4);
      expect(evalBySession[1]).toEqual(evalBySession[0]);
      expect(evalBySession[2]).toEqual(evalBySession[0]);
      const trainTasks = new Set(train(mine).map((t) => t.task));
      for (const task of evalBySession[0]!) expect(trainTasks.has(task)).toBe(false);
      expect(mine.filter((t) => t.slice === 'eval').every((t) => t.slot >= 6 && ['nda', 'motion'].includes(t.family))).toBe(true);
      expect(train(mine).every((t) => t.slice === 'train' && t.slot < 6)).toBe(true);
    }
  });
});

describe('holdout arm', () => {
  it('consolidates like dreaming (snapshots, changesets, costs) while its agent sees no memory and matches stateless', async () => {
    const { runDir, trials, status } = await executeRun({
      runDir: join(tempDir(), 'run'),
      experiment: smallExperiment({ arms: ['stateless', 'dreaming', 'holdout'], sessions: 4, tasks_per_session: 8, replicates: 1 }),
    });
    expect(status).toBe('completed');
    const dir = new RunDir(runDir);
    const notes = readTree(dir.memoryDir('holdout', 1, 3));
    expect(Object.keys(notes).length).toBeGreaterThan(0);
    expect(Object.values(notes).join('\n')).toMatch(/render_docx\./);
    expect(existsSync(join(runDir, 'dreams', 'holdout', 'r1', 'session-001.json'))).toBe(true);
    const events = readJsonLines<{ type: string; arm?: string; usage?: { input_tokens: number; calls: number } }>(dir.eventsPath);
    const dreamsOf = (arm: string) => events.filter((e) => e.type === 'session_consolidated' && e.arm === arm && e.usage);
    expect(dreamsOf('holdout')).toHaveLength(4);
    expect(dreamsOf('holdout').every((e) => e.usage!.input_tokens > 0 && e.usage!.calls > 0)).toBe(true);
    const key = (t: TrialRecord) => `${t.replicate}/${t.session}/${t.slot}/${t.task}`;
    const stateless = new Map(trials.filter((t) => t.arm === 'stateless').map((t) => [key(t), t]));
    const holdout = trials.filter((t) => t.arm === 'holdout');
    expect(holdout).toHaveLength(32);
    for (const t of holdout) {
      const transcript = readTranscript(runDir, t.transcript);
      expect(transcript.system).toHaveLength(1);
      expect(JSON.stringify(transcript.system)).not.toMatch(/Memory from earlier sessions/);
      const s = stateless.get(key(t))!;
      expect({ success: t.success, turns: t.turns, pitfalls: t.pitfalls_hit }).toEqual({
        success: s.success,
        turns: s.turns,
        pitfalls: s.pitfalls_hit,
      });
    }
    // The memory itself does help: dreaming hits fewer pitfalls than its holdout in the later sessions.
    const hits = (arm: string) => trials.filter((t) => t.arm === arm && t.session >= 3).reduce((sum, t) => sum + t.pitfalls_hit.length, 0);
    expect(hits('dreaming')).toBeLessThan(hits('holdout'));
  });
});

describe('task orders', () => {
  it('runs each replicate in several orders of the same task set, as chains paired across arms', async () => {
    const { trials, runDir } = await executeRun({
      runDir: join(tempDir(), 'run'),
      experiment: smallExperiment({ arms: ['stateless', 'learnings-md'], sessions: 3, replicates: 2, schedule: { orders: 3 } }),
    });
    expect(trials).toHaveLength(2 * 2 * 3 * 3 * 6);
    const sequence = (rep: number) =>
      trials
        .filter((t) => t.arm === 'stateless' && t.replicate === rep)
        .sort((a, b) => a.session - b.session || a.slot - b.slot)
        .map((t) => t.task);
    for (const set of [1, 2]) {
      const chains = [1, 2, 3].map((o) => (set - 1) * 3 + o);
      for (const c of chains)
        expect(trials.filter((t) => t.replicate === c).every((t) => t.task_set === set && t.order === c - (set - 1) * 3)).toBe(true);
      const [a, b, c] = chains.map(sequence);
      expect([...a!].sort()).toEqual([...b!].sort());
      expect([...a!].sort()).toEqual([...c!].sort());
      expect(b).not.toEqual(a);
      expect(c).not.toEqual(a);
    }
    // Every arm meets the same task in the same (chain, session, slot).
    const at = (arm: string) => new Map(trials.filter((t) => t.arm === arm).map((t) => [`${t.replicate}/${t.session}/${t.slot}`, t.task]));
    expect(at('learnings-md')).toEqual(at('stateless'));
    expect(readdirSync(join(runDir, 'memory', 'learnings-md')).sort()).toEqual(['r1', 'r2', 'r3', 'r4', 'r5', 'r6']);
    // The report's order variance and pass^k.
    const model = controlsModel(trials, ['stateless', 'learnings-md'], null);
    expect(model.orders.map((o) => [o.arm, o.chains, o.task_sets, o.orders])).toEqual([
      ['stateless', 6, 2, 3],
      ['learnings-md', 6, 2, 3],
    ]);
    expect(Number.isFinite(model.orders[0]!.final.sd_order)).toBe(true);
    const passk = model.pass_k.find((r) => r.arm === 'stateless')!;
    const k1 = passk.values.find((v) => v.k === 1)!;
    const k2 = passk.values.find((v) => v.k === 2)!;
    expect(k2.pass_at_k).toBeGreaterThanOrEqual(k1.pass_at_k);
    expect(k2.pass_hat_k).toBeLessThanOrEqual(k1.pass_hat_k);
    expect(renderControlsMarkdown(model)).toMatch(/### Orders and replicates[\s\S]*### pass@k and pass\^k/);
  });

  it('with orders: 1 (or unset) is exactly the run it always was', async () => {
    const plain = await executeRun({ runDir: join(tempDir(), 'a'), experiment: smallExperiment({ sessions: 2 }) });
    const one = await executeRun({ runDir: join(tempDir(), 'b'), experiment: smallExperiment({ sessions: 2, schedule: { orders: 1 } }) });
    expect(comparable(one.trials)).toEqual(comparable(plain.trials));
    expect(plain.trials.every((t) => t.slice === undefined && t.order === undefined)).toBe(true);
  });
});

describe('forgetting re-test', () => {
  it('re-runs tasks first met early in the last session, read-only, and the report pairs them with the first time', async () => {
    const { trials, runDir } = await executeRun({
      runDir: join(tempDir(), 'run'),
      experiment: smallExperiment({
        arms: ['stateless', 'learnings-md'],
        sessions: 4,
        replicates: 1,
        schedule: { retest: { tasks: 3, early_sessions: 1 } },
      }),
    });
    const retests = trials.filter((t) => t.slice === 'retest');
    expect(retests).toHaveLength(2 * 3);
    for (const r of retests) {
      expect(r.session).toBe(4);
      expect(r.slot).toBeGreaterThanOrEqual(6);
      const first = trials.find(
        (t) => t.arm === r.arm && t.replicate === r.replicate && t.session === r.first_seen!.session && t.slot === r.first_seen!.slot,
      )!;
      expect(first.task).toBe(r.task);
      expect(first.session).toBe(1);
      expect(r.notes).toBeUndefined();
    }
    const model = controlsModel(trials, ['stateless', 'learnings-md'], null);
    expect(model.forgetting!.rows.map((r) => [r.arm, r.pairs])).toEqual([
      ['stateless', 3],
      ['learnings-md', 3],
    ]);
    const row = model.forgetting!.rows[1]!;
    expect(row.kept + row.lost + row.gained + row.still_failing).toBe(3);
    await writeRunReport(runDir, { charts: false, html: false, B: 200 });
    const summary = readFileSync(join(runDir, 'report', 'summary.md'), 'utf8');
    expect(summary).toMatch(/### Forgetting \(re-test\)/);
    expect(summary).toMatch(/Train slice only/);
    expect(summary).toMatch(/retest slice/);
    expect(JSON.parse(readFileSync(join(runDir, 'report', 'report.json'), 'utf8')).slices).toEqual({
      main: 'train',
      curves: 'train',
      present: ['train', 'retest'],
    });
  });
});

describe('leak scan', () => {
  it('passes a clean run and catches planted gold answers, hidden tests, checker expectations and pitfall internals', async () => {
    const experiment = smallExperiment({ arms: ['learnings-md'], sessions: 2, replicates: 1 });
    const { runDir, manifest } = await executeRun({ runDir: join(tempDir(), 'run'), experiment });
    expect(manifest.leak_scan?.status).toBe('clean');
    expect(manifest.invalid).toBeUndefined();
    const suites = await loadSuites(['legal-drafting', 'coding-humaneval'], {});
    expect(scanRun(runDir, suites.values()).status).toBe('clean');

    // Plant: a pitfall description sentence (legal-drafting) and, for the coding suite, a hidden test line and the canonical solution.
    const legal = suites.get('legal-drafting')!;
    const pitfall = legal.pitfalls.find((p) => p.id === 'ld-numbering')!;
    const humaneval = suites.get('coding-humaneval')!;
    const task = humaneval.tasks.find((t) => t.id === 'humaneval-000')!;
    const assertion = problemOf(task)
      .tests.split('\n')
      .find((l) => l.includes('assert candidate('))!
      .trim();
    const markers = humaneval.leakMarkers!(task);
    const canonical = (
      markers.find((m) => typeof m !== 'string' && m.kind === 'gold' && m.source === 'canonical solution') as { text: string }
    ).text;
    const dir = new RunDir(runDir);
    const learnings = join(dir.memoryDir('learnings-md', 1, 2), 'learnings.md');
    writeFileSync(
      learnings,
      `${readFileSync(learnings, 'utf8')}\n- ${pitfall.description}\n- The grader checks: \`${assertion}\`\n- Solution that passes:\n\n\`\`\`python\n${canonical}\n\`\`\`\n`,
    );
    const result = scanRun(runDir, suites.values());
    expect(result.status).toBe('leak');
    expect(new Set(result.leaks.map((l) => l.marker.kind))).toEqual(new Set(['pitfall', 'hidden_test', 'gold']));
    expect(result.leaks.every((l) => l.arm === 'learnings-md' && l.first_session === 2 && l.file === 'learnings.md')).toBe(true);
    expect(result.leaks.find((l) => l.marker.kind === 'hidden_test')!.marker.tasks).toContain('humaneval-000');

    // The CLI: exit 1 and the offending entries; the manifest is marked invalid; the report says so on top.
    const bin = join(packageRoot(), 'dist', 'harness', 'cli', 'main.js');
    if (existsSync(bin)) {
      const copy = join(tempDir(), 'copy');
      cpSync(runDir, copy, { recursive: true });
      const manifestPath = join(copy, 'manifest.json');
      const m = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
      m.experiment.suites = ['legal-drafting', 'coding-humaneval'];
      writeFileSync(manifestPath, JSON.stringify(m));
      const scan = await execa('node', [bin, 'leak-scan', copy], { reject: false, cwd: packageRoot() });
      expect(scan.exitCode).toBe(1);
      expect(scan.stdout).toMatch(/RUN INVALID: memory leak/);
      expect(scan.stdout).toMatch(/learnings-md r1 learnings\.md:\d+/);
      expect((JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest).invalid).toMatch(/RUN INVALID/);
      const report = await execa('node', [bin, 'report', copy], { reject: false, cwd: packageRoot() });
      expect(report.exitCode).toBe(0);
      expect(report.stderr).toMatch(/RUN INVALID: memory leak/);
      expect(readFileSync(join(copy, 'report', 'summary.md'), 'utf8').split('\n')[0]).toMatch(/^> \*\*RUN INVALID: memory leak/);
    }
  });
});

describe('resume checks', () => {
  it('`run` on an existing run: the same configuration resumes it, another is refused with the fields that differ', async () => {
    const runDir = join(tempDir(), 'run');
    const experiment = smallExperiment({ replicates: 1, concurrency: 1, budgets: { max_cost_per_run: 0.01 } });
    const stopped = await executeRun({ runDir, experiment });
    expect(stopped.status).toBe('stopped_budget');
    const changed = smallExperiment({ replicates: 1, sessions: 4, arms: ['stateless', 'dreaming'], budgets: { max_cost_per_run: 100 } });
    await expect(executeRun({ runDir, experiment: changed })).rejects.toThrow(
      /different configuration[\s\S]*arms\[1\]: "learnings-md" -> "dreaming"[\s\S]*sessions: 3 -> 4/,
    );
    // Same config (the run budget is not part of it): resumed to the end, identical to an uninterrupted run.
    const again = await executeRun({
      runDir,
      experiment: smallExperiment({ replicates: 1, concurrency: 4, budgets: { max_cost_per_run: 100 } }),
    });
    expect(again.status).toBe('completed');
    const resumed = readJsonLines<{ type: string; by?: string }>(new RunDir(runDir).eventsPath).filter((e) => e.type === 'run_resumed');
    expect(resumed).toEqual([expect.objectContaining({ by: 'run' })]);
    const whole = await executeRun({
      runDir: join(tempDir(), 'whole'),
      experiment: smallExperiment({ replicates: 1, budgets: { max_cost_per_run: 100 } }),
    });
    expect(comparable(again.trials)).toEqual(comparable(whole.trials));
  });

  it('`resume` refuses an edited manifest and another harness version unless allowed (and records it)', async () => {
    const runDir = join(tempDir(), 'run');
    await executeRun({ runDir, experiment: smallExperiment({ replicates: 1, sessions: 1 }) });
    const path = join(runDir, 'manifest.json');
    const original = readFileSync(path, 'utf8');
    const edited = JSON.parse(original) as Manifest;
    edited.experiment.sessions = 5;
    writeFileSync(path, JSON.stringify(edited));
    await expect(executeRun({ runDir, resume: true })).rejects.toThrow(/experiment no longer matches the run's config hash/);
    const older = JSON.parse(original) as Manifest;
    older.harness_version = '0.0.1';
    writeFileSync(path, JSON.stringify(older));
    await expect(executeRun({ runDir, resume: true })).rejects.toThrow(/started by dreambench 0\.0\.1[\s\S]*--allow-harness-change/);
    const allowed = await executeRun({ runDir, resume: true, allowHarnessChange: true });
    expect(allowed.status).toBe('completed');
    expect(allowed.warnings?.join('\n')).toMatch(/resuming a run of dreambench 0\.0\.1/);
    expect((JSON.parse(readFileSync(path, 'utf8')) as Manifest).harness_changes?.[0]?.from.version).toBe('0.0.1');
  });
});
