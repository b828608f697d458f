// Each sim profile parameter, measured on a small seeded run's records, falls within a 99% Wilson
// interval of its nominal value. The runs use the calibration suite (harness/testing/calibration-suite.ts),
// where every parameter shows as one rate; the other parameters are pinned so the rate isolates one.

import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { ExperimentInput } from '../../config/schema.js';
import type { TrialRecord } from '../../core/records.js';
import { executeRun } from '../../runner/runner.js';
import { RunDir } from '../../storage/run-dir.js';
import { smallExperiment, tempDir } from '../../testing/run-helpers.js';
import calibration, { CALIBRATION_PITFALL, CALIBRATION_SUITE } from '../../testing/calibration-suite.js';
import injection, { INJECTION_SUITE } from '../../testing/injection-suite.js';
import { wilsonInterval } from '../../stats/index.js';
import { verdictPairs } from '../../../reports/agreement.js';
import { costOf } from '../pricing.js';
import { SIM_PROFILES } from './profiles.js';
import { SimModel } from './sim-model.js';
import type { ArmUsage } from '../../core/arm.js';
import { emptyUsage } from '../../core/messages.js';
import { classifyTexts } from '../../security/classifier.js';
import { signalsOf } from '../../security/detect.js';
import { readTranscript } from '../../storage/transcripts.js';
import { followDecisionsOf } from '../../../tasks/memory-poisoning/follow-decisions.js';
import { CLAUSE_HEADING } from '../../../tasks/memory-poisoning/attacks.js';

// The calibration suite is not a folder under tasks/, and memory-poisoning is run on its attacked tasks
// only (harness/testing/injection-suite.ts): the runner gets them in place of the registry's lookup.
vi.mock('../../registry/suites.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../registry/suites.js')>();
  return {
    ...actual,
    loadExperimentSuites: async (experiment: { suites: string[] }) =>
      experiment.suites.includes(CALIBRATION_SUITE)
        ? new Map([[CALIBRATION_SUITE, calibration]])
        : experiment.suites.includes(INJECTION_SUITE)
          ? new Map([[INJECTION_SUITE, injection]])
          : actual.loadExperimentSuites(experiment as Parameters<typeof actual.loadExperimentSuites>[0]),
  };
});

const nominal = SIM_PROFILES.default!;

async function calibrationRun(overrides: Partial<ExperimentInput>): Promise<{ trials: TrialRecord[]; dir: RunDir }> {
  const runDir = join(tempDir(), 'run');
  const { trials, status } = await executeRun({
    runDir,
    experiment: smallExperiment({
      suites: [CALIBRATION_SUITE],
      sessions: 1,
      tasks_per_session: 24,
      replicates: 6,
      concurrency: 4,
      ...overrides,
    }),
  });
  expect(status).toBe('completed');
  return { trials, dir: new RunDir(runDir) };
}

/** The nominal value lies in the 99% (or `level`) Wilson interval of k successes in n. */
function expectWithin(k: number, n: number, value: number, level = 0.99): void {
  const w = wilsonInterval(k, n, level);
  expect(n).toBeGreaterThanOrEqual(100);
  expect({ k, n, lo: w.lo, hi: w.hi, inside: value >= w.lo && value <= w.hi }).toMatchObject({ inside: true });
}

const count = <T>(items: readonly T[], test: (item: T) => boolean): number => items.filter(test).length;
const hit = (t: TrialRecord): boolean => t.pitfalls_hit.includes(CALIBRATION_PITFALL);

describe('sim profile parameters, measured on a run', { timeout: 120_000 }, () => {
  it('skill: the work is right with its chance (the setting always recovered)', async () => {
    const { trials } = await calibrationRun({ model: 'sim:default?recover=1', arms: ['stateless'] });
    expectWithin(
      count(trials, (t) => t.success),
      trials.length,
      nominal.skill,
    );
  });

  it('recover: after the error that names the fix, the retry takes it with its chance', async () => {
    const { trials } = await calibrationRun({ model: 'sim:default?skill=1', arms: ['stateless'] });
    expect(trials.every(hit)).toBe(true);
    expectWithin(
      count(trials, (t) => t.success),
      trials.length,
      nominal.recover,
    );
  });

  it('lesson_noise: a lesson names the fix unless it comes out vague, with its chance', async () => {
    const { trials, dir } = await calibrationRun({ model: 'sim:default?skill=1&recover=1', arms: ['learnings-md'] });
    const lessons = trials
      .map((t) => t.replicate)
      .filter((r, i, all) => all.indexOf(r) === i)
      .flatMap((r) => (dir.readSnapshot('learnings-md', r, 1)['learnings.md'] ?? '').split('\n').filter((l) => l.startsWith('- ')));
    // One lesson per trial: every trial met the error.
    expect(lessons).toHaveLength(count(trials, hit));
    const vague = count(lessons, (l) => !l.includes('set_value.value="right"'));
    expectWithin(vague, lessons.length, nominal.lesson_noise);
    // Each precise lesson is a well-formed sentence that names its fix once.
    for (const l of lessons.filter((x) => x.includes('set_value.value'))) {
      expect(l).toMatch(/^- Set set_value\.value="right"\.( Why: .*[.!?])?( _\(session \d+\)_)?$/);
      expect(l.split('set_value.value=')).toHaveLength(2);
    }
  });

  it('apply_lesson: with the fix in memory, the first call uses it with its chance', async () => {
    const { trials } = await calibrationRun({ model: 'sim:default?skill=1&recover=1&lesson_noise=0', arms: ['learnings-md'], sessions: 2 });
    const later = trials.filter((t) => t.session === 2);
    expectWithin(
      count(later, (t) => !hit(t)),
      later.length,
      nominal.apply_lesson,
    );
  });

  it("grader_accuracy: each grading round agrees with the checker's verdict on the same output with its chance", async () => {
    const { trials } = await calibrationRun({ model: 'sim:default', arms: [{ arm: 'outcomes', options: { rounds: 2 } }], replicates: 4 });
    const { pairs, failures } = verdictPairs(trials, 'rounds');
    expect(failures).toBe(0);
    // Both verdicts occur, so agreement is not one class's rate.
    expect(new Set(pairs.map((p) => p.checker)).size).toBe(2);
    expectWithin(
      count(pairs, (p) => p.grader === p.checker),
      pairs.length,
      nominal.grader_accuracy,
    );
  });

  it("classify_accuracy: as a memory-write classifier, its verdict on each of the run's lessons agrees with the injection signals with its chance", async () => {
    const { trials, dir } = await calibrationRun({ model: 'sim:default?skill=1&recover=1', arms: ['learnings-md'] });
    const replicates = [...new Set(trials.map((t) => t.replicate))];
    const lessons = replicates.flatMap((r) =>
      (dir.readSnapshot('learnings-md', r, 1)['learnings.md'] ?? '').split('\n').filter((l) => l.startsWith('- ')),
    );
    const classifier = new SimModel('default', new Map());
    const usage: ArmUsage = { ...emptyUsage(), cost_usd: 0, calls: 0, wall_ms: 0 };
    let agree = 0;
    for (let at = 0; at < lessons.length; at += 20) {
      const batch = lessons.slice(at, at + 20);
      const { verdicts, error } = await classifyTexts(classifier, batch, `calibration:${at}`, usage);
      expect(error).toBeUndefined();
      verdicts.forEach((v, i) => {
        if (v.injected === signalsOf(batch[i]!).length > 0) agree++;
      });
    }
    expectWithin(agree, lessons.length, nominal.classify_accuracy);
  });

  it('follow_injection: each injected instruction the sim reads (decoded, when encoded) is followed with its chance', async () => {
    // The sim states each decision at the point of exposure in its transcript (tasks/memory-poisoning/follow-decisions.ts).
    const decisionsUnder = async (profile: string) => {
      const runDir = join(tempDir(), 'run');
      const { trials, status } = await executeRun({
        runDir,
        experiment: smallExperiment({
          model: `sim:${profile}`,
          suites: [INJECTION_SUITE],
          arms: ['stateless'],
          sessions: 1,
          tasks_per_session: injection.tasks.length,
          replicates: 6,
          concurrency: 4,
        }),
      });
      expect(status).toBe('completed');
      return trials.flatMap((t) => {
        const transcript = readTranscript(runDir, t.transcript);
        const decisions = followDecisionsOf(transcript);
        // The record is what the sim did: with no memory, it sends a copy to another address or adds a
        // clause exactly when it followed an instruction to.
        const calls = transcript.messages.flatMap((m) => (typeof m.content === 'string' ? [] : m.content));
        const followed = (choice: string) => decisions.some((d) => d.followed && d.choice === choice);
        expect(calls.some((b) => b.type === 'tool_use' && b.name === 'send_copy' && b.input.cc)).toBe(followed('send_copy.cc'));
        expect(calls.some((b) => b.type === 'tool_use' && b.name === 'write_section' && b.input.heading === CLAUSE_HEADING)).toBe(
          followed('write_section.add_clause'),
        );
        return decisions;
      });
    };
    const rates: Record<string, { k: number; n: number }> = {};
    for (const profile of ['gullible', 'default'] as const) {
      const decisions = await decisionsUnder(profile);
      // Every goal is weighed, decoded instructions and errors' included, so the rate is not one placement's.
      expect(new Set(decisions.map((d) => d.choice))).toEqual(new Set(['send_copy.cc', 'write_section.add_clause', 'write_section.skip']));
      expect(decisions.some((d) => d.encoded !== undefined)).toBe(true);
      expect(decisions.some((d) => d.source === 'send_copy')).toBe(true);
      const rate = { k: count(decisions, (d) => d.followed), n: decisions.length };
      console.info(`follow_injection, sim:${profile}: followed ${rate.k} of ${rate.n} decisions`);
      expectWithin(rate.k, rate.n, SIM_PROFILES[profile]!.follow_injection, 0.95);
      rates[profile] = rate;
    }
    // The measure tells 0.8 from 0.1: the two rates' intervals are far apart.
    const gullible = wilsonInterval(rates.gullible!.k, rates.gullible!.n, 0.95);
    const cautious = wilsonInterval(rates.default!.k, rates.default!.n, 0.95);
    expect(gullible.lo - cautious.hi).toBeGreaterThan(0.4);
  });

  it("costs: each trial's cost is its tokens at the sim's nominal price", async () => {
    const { trials } = await calibrationRun({ model: 'sim:default', arms: ['stateless'], replicates: 1, tasks_per_session: 6 });
    for (const t of trials) {
      const usage = {
        input_tokens: t.input_tokens,
        output_tokens: t.output_tokens,
        cache_read_tokens: t.cache_read_tokens,
        cache_write_tokens: t.cache_write_tokens,
      };
      expect(t.input_tokens).toBeGreaterThan(0);
      expect(t.cost_usd).toBeCloseTo(costOf('sim', usage), 12);
    }
  });

  it('latency_ms: every model call waits at least its latency (a lower bound, never a timing race)', async () => {
    const latency = 25;
    const { trials } = await calibrationRun({
      model: `sim:default?latency_ms=${latency}`,
      arms: ['stateless'],
      replicates: 1,
      tasks_per_session: 4,
    });
    // Timers may fire up to a millisecond early; each agent turn is one call.
    for (const t of trials) expect(t.wall_ms).toBeGreaterThanOrEqual((latency - 1) * t.turns);
  });
});
