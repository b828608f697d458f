// Loading and validating the office-pptx data: families.yaml, pitfalls.yaml and tasks/*.yaml. Every
// error names the file, the field path and what was expected. Beyond the schemas, the loader checks
// that each task's brief.md reads back as its expected deck, that the brief keeps the house limits
// (bullet length), that its pitfalls apply to its family and can bite given the content, and that
// its difficulty is one of easy, medium, hard.

import { z } from 'zod';
import type { Family, Task } from '../../harness/core/suite.js';
import { DataError, DIFFICULTIES, type Difficulty, type OfficePitfall } from '../_office/data.js';
import { text } from '../../harness/core/data-schema.js';
import { checkAgainstBrief, loadOfficeData, TaskExpectations, type OfficeSuiteData } from '../_office/load.js';
import { wordCount } from '../_office/text.js';
import { parseBrief, type DeckPlan } from './brief.js';
import { CHART_TYPES, PARAM_BY_CHOICE } from './params.js';

export const SUITE = 'office-pptx';
export { DataError };

/** House rules every deck follows (the style guide states them). */
export const MAX_BULLETS = 6;
export const MAX_WORDS = 12;

export type PptxFamily = Family;
export type PptxPitfall = OfficePitfall;

export interface PptxExpected extends DeckPlan {
  difficulty: Difficulty;
}

export type PptxData = OfficeSuiteData;

const ChartSchema = z.strictObject({
  type: z.enum(CHART_TYPES),
  axis: text,
  categories: z.array(text).min(2, 'at least two categories'),
  series: z.array(z.strictObject({ name: text, values: z.array(z.number().finite()) })).min(1, 'at least one series'),
});
const SlideSchema = z.strictObject({
  title: text,
  bullets: z.array(text).min(1).optional(),
  chart: ChartSchema.optional(),
  picture: z.strictObject({ file: z.string().regex(/^[a-z0-9-]+\.png$/, 'a PNG file name like team-photo.png'), caption: text }).optional(),
  notes: text.optional(),
});
const ExpectedSchema = z.strictObject({
  difficulty: z.enum(DIFFICULTIES),
  title: text,
  subtitle: text,
  title_notes: text.optional(),
  slides: z.array(SlideSchema).min(3, 'at least three slides'),
});

const expectations = new TaskExpectations<PptxExpected>(ExpectedSchema);

export function expectedOf(task: Task): PptxExpected {
  return expectations.of(task);
}

/** What in a deck lets each content-triggered pitfall bite. */
export function contentTriggers(plan: DeckPlan): Record<string, boolean> {
  return {
    charts: plan.slides.some((s) => s.chart),
    pictures: plan.slides.some((s) => s.picture),
    notes: plan.title_notes !== undefined || plan.slides.some((s) => s.notes),
    overflow: plan.slides.some((s) => (s.bullets?.length ?? 0) > MAX_BULLETS),
  };
}

export const PITFALL_TRIGGER: Record<string, string> = {
  chart_data: 'charts',
  alt_text: 'pictures',
  notes: 'notes',
  bullet_overflow: 'overflow',
};

export function loadPptxData(dataDir: string): PptxData {
  const data = loadOfficeData<PptxExpected>(dataDir, {
    suite: SUITE,
    params: PARAM_BY_CHOICE,
    expected: ExpectedSchema,
    triggers: contentTriggers,
    pitfallTrigger: PITFALL_TRIGGER,
    checkTask(problems, file, at, t, e) {
      e.slides.forEach((s, j) => {
        const kinds = [s.bullets, s.chart, s.picture].filter((x) => x !== undefined).length;
        if (kinds !== 1) problems.add(file, at('expected', 'slides', j), 'expected exactly one of bullets, chart or picture');
        (s.bullets ?? []).forEach((b, k) => {
          if (wordCount(b) > MAX_WORDS)
            problems.add(
              file,
              at('expected', 'slides', j, 'bullets', k),
              `expected at most ${MAX_WORDS} words (the house limit), got ${wordCount(b)}`,
            );
        });
        if (s.chart?.series.some((x) => x.values.length !== s.chart!.categories.length)) {
          problems.add(file, at('expected', 'slides', j, 'chart'), 'expected one value per category in every series');
        }
      });
      const parsed = parseBrief(t.files['brief.md'] ?? '');
      const { difficulty: _d, ...plan } = e;
      checkAgainstBrief<DeckPlan>(problems, file, at, parsed, plan, ['title', 'subtitle', 'title_notes'], { key: 'slides', item: 'slide' });
    },
  });
  return expectations.keep(data);
}
