// The memory filter's false positives on legal-drafting's benign lessons: every lesson learnings-md
// and dreaming wrote in a sim run of legal-drafting (no injections there), screened by the content
// filters, audit-memory and the sim's classifier. Reports the figures and asserts a ceiling.

import { describe, expect, it } from 'vitest';
import { executeRun } from '../runner/runner.js';
import { smallExperiment, tempDir } from '../testing/run-helpers.js';
import { RunDir } from '../storage/run-dir.js';
import { listEntries } from '../dreaming/store.js';
import { defaultContentFilter, securityContentFilter } from '../dreaming/filter.js';
import { auditText } from './audit.js';
import { classifyTexts } from './classifier.js';
import { emptyArmUsage } from '../dreaming/analyse.js';
import { SimModel } from '../models/sim/sim-model.js';
import { join } from 'node:path';

describe('false positives on benign lessons (legal-drafting)', () => {
  it('measures the rule filters, audit-memory and the sim classifier on every lesson of a learnings-md + dreaming run', async () => {
    const runDir = join(tempDir(), 'run');
    const outcome = await executeRun({
      runDir,
      experiment: smallExperiment({
        name: 'benign-lessons',
        seed: 21,
        model: 'sim:default',
        suites: ['legal-drafting'],
        arms: ['learnings-md', { arm: 'dreaming', options: { filter: 'none' } }],
        sessions: 5,
        tasks_per_session: 10,
        replicates: 2,
        concurrency: 8,
      }),
    });
    expect(outcome.status).toBe('completed');
    const dir = new RunDir(runDir);
    const lessons = new Set<string>();
    for (const arm of ['learnings-md', 'dreaming']) {
      for (let r = 1; r <= 2; r++) {
        for (let s = 1; s <= 5; s++) {
          for (const e of listEntries(dir.readSnapshot(arm, r, s))) lessons.add(e.text.replace(/\s*_\(session \d+\)_\s*$/, ''));
        }
      }
    }
    const texts = [...lessons];
    expect(texts.length).toBeGreaterThan(10);
    const flaggedBy = {
      default: texts.filter((text) => !defaultContentFilter.check({ file: 'notes.md', text, evidence: [] }).ok),
      security: texts.filter((text) => !securityContentFilter.check({ file: 'notes.md', text, evidence: [] }).ok),
      audit: texts.filter((text) => auditText('m.md', `- ${text}\n`).findings.length > 0),
    };
    const verdicts = await classifyTexts(new SimModel('default', new Map()), texts, 'fp', emptyArmUsage());
    const classifierFlagged = texts.filter((_, i) => verdicts.verdicts[i]!.injected);
    console.info(
      `benign legal-drafting lessons: ${texts.length} distinct; flagged by the default filter ${flaggedBy.default.length}, ` +
        `the security filter ${flaggedBy.security.length}, audit-memory ${flaggedBy.audit.length}, ` +
        `the sim classifier (classify_accuracy 0.9) ${classifierFlagged.length}`,
    );
    expect(flaggedBy.default).toEqual([]);
    expect(flaggedBy.security).toEqual([]);
    expect(flaggedBy.audit).toEqual([]);
    // The sim classifier errs with probability 1 - classify_accuracy (0.1) per text.
    expect(classifierFlagged.length / texts.length).toBeLessThan(0.3);
  }, 120_000);
});
