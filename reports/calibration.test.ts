// Calibration: do the report's 95% intervals cover the truth 95% of the time, and how often is a
// verdict wrong? Fast checks on synthetic data with a known effect; scripts/calibrate.ts does the
// same with real sim runs.

import { describe, expect, it } from 'vitest';
import { rngFrom } from '../harness/core/rng.js';
import { calibrateLearning, calibrateSynthetic, learningTruth, type LearningDesign } from './calibration.js';
import { clusterBootstrap, relativeChange, type Cluster } from '../harness/stats/cluster-bootstrap.js';

describe('calibration of the paired difference (the comparisons and rate claims)', () => {
  // Tasks and units like a quick-start run (45 tasks) and a small one (20 tasks).
  it.each([
    [45, 4, 0.15],
    [20, 6, 0.1],
  ])('%i tasks x %i units, effect %s: coverage 93 to 97 percent, few wrong verdicts', (tasks, unitsPerTask, delta) => {
    const s = calibrateSynthetic({ tasks, unitsPerTask, delta, baseline: [0.2, 0.7], shared: 0.5 }, 1000, {
      B: 1000,
      nullRuns: 400,
      seed: `cal-${tasks}`,
    });
    process.stdout.write(
      `calibration ${tasks} tasks: coverage ${(s.coverage * 100).toFixed(1)}% [${(s.coverage_lo * 100).toFixed(1)}, ${(s.coverage_hi * 100).toFixed(1)}] ` +
        `over ${s.experiments} experiments; true claim rejected ${(s.true_claim_rejected_rate * 100).toFixed(1)}%, ` +
        `3x claim supported ${(s.exaggerated_claim_supported_rate * 100).toFixed(1)}%, claim under no effect supported ${(s.null_claim_supported_rate * 100).toFixed(1)}%\n`,
    );
    expect(s.coverage).toBeGreaterThanOrEqual(0.93);
    expect(s.coverage).toBeLessThanOrEqual(0.97);
    // A true claim is called "not supported" only when the interval misses the truth on one side (about 2.5%).
    expect(s.true_claim_rejected_rate).toBeLessThanOrEqual(0.05);
    // A claim of an effect where there is none is "supported" only when the interval misses 0 upwards.
    expect(s.null_claim_supported_rate).toBeLessThanOrEqual(0.05);
    expect(s.exaggerated_claim_supported_rate).toBeLessThanOrEqual(0.05);
  });
});

describe('calibration of the family-stratified paired difference', () => {
  // 45 tasks in 5 families of 9 whose treatment effects differ (fixed, as a suite's families are), the
  // family mix fixed by design as in the schedule: the report resamples tasks within families.
  it('45 tasks in 5 families with family-dependent effects: coverage 93 to 97 percent, narrower than unstratified', () => {
    const design = {
      tasks: 45,
      unitsPerTask: 4,
      delta: 0.15,
      baseline: [0.2, 0.6] as [number, number],
      shared: 0.5,
      familyEffects: [-0.1, -0.05, 0, 0.05, 0.1],
    };
    const s = calibrateSynthetic(design, 1000, { B: 1000, seed: 'cal-families' });
    const none = calibrateSynthetic(design, 1000, { B: 1000, seed: 'cal-families', strata: 'none' });
    process.stdout.write(
      `calibration 5 families: coverage ${(s.coverage * 100).toFixed(1)}% [${(s.coverage_lo * 100).toFixed(1)}, ${(s.coverage_hi * 100).toFixed(1)}], ` +
        `width ${(s.mean_width * 100).toFixed(1)} pts (unstratified ${(none.coverage * 100).toFixed(1)}%, width ${(none.mean_width * 100).toFixed(1)} pts)\n`,
    );
    expect(s.stratified).toBe(s.experiments);
    expect(none.stratified).toBe(0);
    expect(s.coverage).toBeGreaterThanOrEqual(0.93);
    expect(s.coverage).toBeLessThanOrEqual(0.97);
    expect(s.mean_width).toBeLessThan(none.mean_width);
    expect(s.true_claim_rejected_rate).toBeLessThanOrEqual(0.05);
  });
});

describe('calibration with a learning arm: sessions as post-strata and memory shared within a replicate', () => {
  // The shape of a dreambench run (replicates x sessions, families dealt in turn, tasks drawn afresh):
  // nothing learnt in session 1, then an effect that depends on whether the (replicate, family)
  // learnt its lesson, the memory's luck that every later trial of the block shares.
  const design: LearningDesign = {
    replicates: 2,
    sessions: 4,
    families: 5,
    tasksPerFamily: 9,
    slotsPerFamily: 2,
    baseline: [0.1, 0.4],
    learnt: 0.5,
    notLearnt: 0.1,
    learnChance: 0.5,
  };

  it('2 replicates x 4 sessions x 5 families: coverage 93 to 97 percent, where resampling tasks alone under-covers', () => {
    const s = calibrateLearning(design, 1000, { B: 1000, seed: 'cal-learning' });
    const tasksOnly = calibrateLearning(design, 1000, { B: 1000, seed: 'cal-learning', postStrata: 'none', sharedState: 'none' });
    process.stdout.write(
      `calibration learning arm (truth ${(learningTruth(design) * 100).toFixed(1)} pts): coverage ${(s.coverage * 100).toFixed(1)}% [${(s.coverage_lo * 100).toFixed(1)}, ${(s.coverage_hi * 100).toFixed(1)}], ` +
        `mean stretch ${s.mean_inflation.toFixed(2)}; tasks alone ${(tasksOnly.coverage * 100).toFixed(1)}%\n`,
    );
    expect(s.post_stratified).toBe(s.experiments);
    expect(s.single_replicate).toBe(0);
    expect(s.coverage).toBeGreaterThanOrEqual(0.93);
    expect(s.coverage).toBeLessThanOrEqual(0.97);
    expect(s.true_claim_rejected_rate).toBeLessThanOrEqual(0.05);
    expect(tasksOnly.coverage).toBeLessThan(0.9);
  });
});

describe('calibration across replicates and small families', () => {
  // Families of 3 tasks (too few to resample within: tasks pool, blocks are (replicate, family) over
  // the whole run), with 1, 2 and 4 replicates; one replicate's blocks are its families.
  it.each([1, 2, 4])('%i replicate(s), families of 3 tasks: coverage 93 to 97 percent', (replicates) => {
    const design: LearningDesign = {
      replicates,
      sessions: 4,
      families: 5,
      tasksPerFamily: 3,
      slotsPerFamily: 2,
      baseline: [0.1, 0.4],
      learnt: 0.5,
      notLearnt: 0.1,
      learnChance: 0.5,
    };
    const s = calibrateLearning(design, 400, { B: 500, seed: `cal-small-${replicates}` });
    process.stdout.write(
      `calibration ${replicates} replicate(s), families of 3: coverage ${(s.coverage * 100).toFixed(1)}% [${(s.coverage_lo * 100).toFixed(1)}, ${(s.coverage_hi * 100).toFixed(1)}], ` +
        `width ${(s.mean_width * 100).toFixed(1)} pts, mean stretch ${s.mean_inflation.toFixed(2)}\n`,
    );
    expect(s.strata_fallback).toBe(s.experiments);
    expect(s.single_replicate).toBe(0);
    expect(s.coverage).toBeGreaterThanOrEqual(0.93);
    expect(s.coverage).toBeLessThanOrEqual(0.97);
  });
});

describe('calibration of the relative change in time (time claims)', () => {
  it('covers a known -30% change 93-97% of the time', () => {
    let covered = 0;
    const runs = 800;
    for (let i = 0; i < runs; i++) {
      const rng = rngFrom(`time-cal-${i}`);
      const clusters: Cluster[] = [];
      for (let t = 0; t < 30; t++) {
        const mu = 5 + 10 * rng.next();
        const c: Cluster = { a: 0, b: 0, w: 0 };
        for (let u = 0; u < 4; u++) {
          // Skewed times (exponential noise around the task's mean); the treatment scales them by 0.7.
          c.a += mu * -Math.log(1 - rng.next());
          c.b += 0.7 * mu * -Math.log(1 - rng.next());
          c.w++;
        }
        clusters.push(c);
      }
      const r = clusterBootstrap(clusters, relativeChange, { seed: i, B: 800 });
      if (r.lo <= -0.3 && -0.3 <= r.hi) covered++;
    }
    process.stdout.write(`calibration time change: coverage ${((covered / runs) * 100).toFixed(1)}% over ${runs} experiments\n`);
    expect(covered / runs).toBeGreaterThanOrEqual(0.93);
    expect(covered / runs).toBeLessThanOrEqual(0.97);
  });
});
