import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sourcePath } from '../../harness/core/paths.js';
import { scratchData } from '../../harness/testing/scratch-data.js';
import { officeDataTests } from '../_office/shared-tests.js';
import { wordCount } from '../_office/text.js';
import { parseBrief } from './brief.js';
import { contentTriggers, DataError, expectedOf, loadPptxData, MAX_WORDS, PITFALL_TRIGGER } from './data.js';
import suite, { pptxData } from './index.js';
import { BUILD_PARAMS, SLIDE_PARAMS } from './params.js';
import { POLICY_BUILD_PARAMS, POLICY_LAYOUT } from './sim-policy.js';

const dataDir = sourcePath('tasks/office-pptx/data');
const { withTasks: dataDirWith } = scratchData(dataDir, 'op-data-');
const trainingYaml = () => readFileSync(join(dataDir, 'tasks', 'training.yaml'), 'utf8');

describe('office-pptx data', () => {
  const data = pptxData();

  officeDataTests({
    name: 'office-pptx',
    suite,
    data,
    families: ['pitch-deck', 'quarterly-review', 'training', 'project-kickoff', 'board-update'],
    contentTriggers: (task) => contentTriggers(expectedOf(task)),
    pitfallTrigger: PITFALL_TRIGGER,
    buildTool: 'build_pptx',
  });

  it('marks every task easy, medium or hard, harder tasks having more pitfalls', () => {
    const counts = { easy: 0, medium: 0, hard: 0 };
    for (const task of data.tasks) counts[expectedOf(task).difficulty]++;
    for (const n of Object.values(counts)) expect(n).toBeGreaterThanOrEqual(5);
    const mean = (d: string) => {
      const ts = data.tasks.filter((t) => expectedOf(t).difficulty === d);
      return ts.reduce((n, t) => n + t.pitfalls.length, 0) / ts.length;
    };
    expect(mean('hard')).toBeGreaterThan(mean('medium'));
    expect(mean('medium')).toBeGreaterThan(mean('easy'));
  });

  it('declares 10 pitfalls with naive = the tool default, both surfaces and some drift, and each can bite somewhere', () => {
    expect(data.pitfalls.map((p) => p.id)).toEqual([
      'op-layout-id',
      'op-chart-data',
      'op-title-placeholder',
      'op-bullet-overflow',
      'op-notes-page',
      'op-slide-size',
      'op-min-font',
      'op-image-alt',
      'op-title-case',
      'op-slide-numbers',
    ]);
    expect(new Set(data.pitfalls.map((p) => p.surfaces))).toEqual(new Set(['tool_error', 'review']));
    expect(data.pitfalls.some((p) => p.drift && p.surfaces === 'tool_error')).toBe(true);
    expect(data.pitfalls.some((p) => p.drift && p.surfaces === 'review')).toBe(true);
    for (const p of data.pitfalls)
      expect(
        data.tasks.some((t) => t.pitfalls.includes(p.id)),
        p.id,
      ).toBe(true);
  });

  it('gives every task a brief that reads back as its expectations, within the house limits', () => {
    let charts = 0;
    let pictures = 0;
    let overflowing = 0;
    for (const task of data.tasks) {
      const e = expectedOf(task);
      const { difficulty: _d, ...plan } = e;
      expect(parseBrief(task.files['brief.md']!), task.id).toEqual(plan);
      for (const s of e.slides) for (const b of s.bullets ?? []) expect(wordCount(b), `${task.id}: ${b}`).toBeLessThanOrEqual(MAX_WORDS);
      charts += e.slides.filter((s) => s.chart).length;
      pictures += e.slides.filter((s) => s.picture).length;
      overflowing += e.slides.filter((s) => (s.bullets?.length ?? 0) > 6).length;
      expect(task.rubric.length).toBeGreaterThanOrEqual(3);
      expect(task.files['style-guide.md']!).toContain('At most 6 bullets on a slide and at most 12 words in a bullet.');
    }
    expect(charts).toBeGreaterThanOrEqual(15);
    expect(pictures).toBeGreaterThanOrEqual(6);
    expect(overflowing).toBeGreaterThanOrEqual(5);
  });

  it('the sim policy sets exactly the tool settings, with the documented defaults', () => {
    expect(POLICY_BUILD_PARAMS.map(([name, naive]) => ({ name, naive }))).toEqual(
      BUILD_PARAMS.map((p) => ({ name: p.name, naive: p.default })),
    );
    expect(POLICY_LAYOUT).toEqual([SLIDE_PARAMS[0]!.choice, SLIDE_PARAMS[0]!.default]);
  });
});

describe('office-pptx data errors', () => {
  it('a malformed task file names the file, the field path and what was expected', () => {
    const dir = dataDirWith({ 'training.yaml': readFileSync(sourcePath('tasks/office-pptx/fixtures/bad-tasks.yaml'), 'utf8') });
    let message = '';
    try {
      loadPptxData(dir);
    } catch (error) {
      expect(error).toBeInstanceOf(DataError);
      message = (error as Error).message;
    }
    expect(message).toContain('tasks/training.yaml');
    expect(message).toMatch(/tasks\[0\]\.expected\.difficulty: .*"easy"/);
    expect(message).toMatch(/tasks\[0\]\.expected\.slides\[0\]\.chart\.type: .*"column"/);
    expect(message).toMatch(/tasks\[0\]\.expected\.slides\[0\]\.chart\.series: at least one series/);
  });

  it('names an unknown pitfall, one that does not apply, a missing one and a bullet over the word limit', () => {
    const unknown = trainingYaml().replace('      - op-min-font\n', '      - op-no-such\n');
    expect(() => loadPptxData(dataDirWith({ 'training.yaml': unknown }))).toThrow(
      /training\.yaml: tasks\[0\]\.pitfalls\[\d\]: expected a pitfall id from pitfalls\.yaml, got "op-no-such"/,
    );
    const wrong = trainingYaml().replace('      - op-slide-numbers\n', '      - op-slide-size\n');
    expect(() => loadPptxData(dataDirWith({ 'training.yaml': wrong }))).toThrow(
      /expected a pitfall that applies to family training; op-slide-size applies to pitch-deck, quarterly-review/,
    );
    expect(() => loadPptxData(dataDirWith({ 'training.yaml': wrong }))).toThrow(
      /tasks\[0\]\.pitfalls: expected op-slide-numbers: it applies to training/,
    );
    const long = trainingYaml().replaceAll(
      'How thresholds decide the procedure',
      'How thresholds decide the procedure and nearly every other thing about the purchase order',
    );
    expect(() => loadPptxData(dataDirWith({ 'training.yaml': long }))).toThrow(
      /tasks\[0\]\.expected\.slides\[0\]\.bullets\[1\]: expected at most 12 words \(the house limit\), got 14/,
    );
  });

  it('names expectations that differ from the brief, and a naive value that is not the default', () => {
    const yaml = trainingYaml().replace('        - title: The procurement cycle\n', '        - title: The buying cycle\n');
    expect(yaml).not.toBe(trainingYaml());
    expect(() => loadPptxData(dataDirWith({ 'training.yaml': yaml }))).toThrow(
      /tasks\[0\]\.expected\.slides\[1\]: expected the slide brief\.md gives/,
    );
    const dir = dataDirWith({ 'training.yaml': trainingYaml() }, { file: 'pitfalls.yaml', from: "naive: '18'", to: "naive: '20'" });
    expect(() => loadPptxData(dir)).toThrow(/pitfalls\[\d\]\.naive: expected "18", the default of build_pptx\.body_font_size/);
  });
});
