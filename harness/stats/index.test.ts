import { describe, expect, it } from 'vitest';
import type { TrialRecord } from '../core/records.js';
import * as stats from './index.js';

describe('harness/stats public API', () => {
  it('exports the library', () => {
    for (const name of [
      'normalCdf',
      'normalQuantile',
      'studentCdf',
      'studentQuantile',
      'wilsonInterval',
      'pairOutcomes',
      'pairedDifference',
      'pairedRatio',
      'unpairedDifference',
      'unpairedRatio',
      'expandedLevel',
      'quantileSorted',
      'mcnemarTest',
      'mcnemarPaired',
      'holmAdjust',
      'holmReject',
      'sampleSizeTwoProportions',
      'powerTwoProportions',
      'minimumDetectableEffect',
      'designEffectFor',
      'learningCurve',
      'learningCurves',
      'learningCurveTrend',
      'curveSlope',
      'areaUnderCurve',
      'passAtK',
      'passHatK',
      'passKFromRows',
    ]) {
      expect(typeof (stats as Record<string, unknown>)[name], name).toBe('function');
    }
  });

  it('accepts TrialRecords as rows (type check)', () => {
    const records: TrialRecord[] = [];
    const rows: readonly stats.OutcomeRow[] = records;
    expect(stats.pairedDifference(rows, records).flags).toEqual(['no_data']);
  });
});
