// Loading and validating the office-pptx data: families.yaml, pitfalls.yaml and tasks/*.yaml. Every
// error names the file, the field path and what was expected. Beyond the schemas, the loader checks
// that each task's brief.md reads back as its expected deck, that the brief keeps the house limits
// (bullet length), that its pitfalls apply to its family and can bite given the content, and that
// its difficulty is one of easy, medium, hard.
import { join } from 'node:path';
import { z } from 'zod';
import { pitfallApplies } from '../../harness/core/suite.js';
import { DataError, DIFFICULTIES, pitfallSchema, Problems, readYaml, slug, taskFiles, text, validate } from '../_office/data.js';
import { wordCount } from '../_office/text.js';
import { parseBrief } from './brief.js';
import { CHART_TYPES, PARAM_BY_CHOICE } from './params.js';
export const SUITE = 'office-pptx';
export { DataError };
/** House rules every deck follows (the style guide states them). */
export const MAX_BULLETS = 6;
export const MAX_WORDS = 12;
const FamilySchema = z.strictObject({ id: slug, title: text, description: text });
const FamiliesFile = z.strictObject({ families: z.array(FamilySchema).min(1, 'at least one family') });
const PitfallsFile = z.strictObject({ template: text, pitfalls: z.array(pitfallSchema(PARAM_BY_CHOICE)).min(1, 'at least one pitfall') });
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
const TaskSchema = z.strictObject({
    id: slug,
    family: slug,
    title: text,
    prompt: text,
    files: z.record(z.string(), z.string()).refine((files) => 'brief.md' in files && 'style-guide.md' in files, 'brief.md and style-guide.md'),
    pitfalls: z.array(slug),
    rubric: z.array(text).min(1, 'at least one rubric criterion'),
    expected: ExpectedSchema,
});
const TasksFile = z.strictObject({ family: slug, tasks: z.array(TaskSchema).min(1, 'at least one task') });
const expectedByTask = new WeakMap();
export function expectedOf(task) {
    const cached = expectedByTask.get(task);
    if (cached)
        return cached;
    const parsed = validate(`task ${task.id}`, ExpectedSchema, task.expected);
    expectedByTask.set(task, parsed);
    return parsed;
}
/** What in a deck lets each content-triggered pitfall bite. */
export function contentTriggers(plan) {
    return {
        charts: plan.slides.some((s) => s.chart),
        pictures: plan.slides.some((s) => s.picture),
        notes: plan.title_notes !== undefined || plan.slides.some((s) => s.notes),
        overflow: plan.slides.some((s) => (s.bullets?.length ?? 0) > MAX_BULLETS),
    };
}
export const PITFALL_TRIGGER = {
    chart_data: 'charts',
    alt_text: 'pictures',
    notes: 'notes',
    bullet_overflow: 'overflow',
};
const sameJson = (a, b) => JSON.stringify(a) === JSON.stringify(b);
export function loadPptxData(dataDir) {
    const familiesFile = join(dataDir, 'families.yaml');
    const pitfallsFile = join(dataDir, 'pitfalls.yaml');
    const families = validate(familiesFile, FamiliesFile, readYaml(familiesFile)).families;
    const pitfallsData = validate(pitfallsFile, PitfallsFile, readYaml(pitfallsFile));
    const problems = new Problems(SUITE);
    const familyIds = new Set();
    families.forEach((f, i) => {
        if (familyIds.has(f.id))
            problems.add(familiesFile, ['families', i, 'id'], `expected a unique family id, "${f.id}" repeats`);
        familyIds.add(f.id);
    });
    const pitfalls = [];
    const pitfallIds = new Set();
    const choices = new Map();
    pitfallsData.pitfalls.forEach((p, i) => {
        if (pitfallIds.has(p.id))
            problems.add(pitfallsFile, ['pitfalls', i, 'id'], `expected a unique pitfall id, "${p.id}" repeats`);
        pitfallIds.add(p.id);
        const other = choices.get(p.choice);
        if (other)
            problems.add(pitfallsFile, ['pitfalls', i, 'choice'], `expected one pitfall per parameter; ${p.choice} is also ${other}'s`);
        choices.set(p.choice, p.id);
        p.families.forEach((f, j) => {
            if (f !== '*' && !familyIds.has(f))
                problems.add(pitfallsFile, ['pitfalls', i, 'families', j], `expected a family id (${[...familyIds].join(', ')}) or '*', got "${f}"`);
        });
        const [tool, param] = p.choice.split('.');
        pitfalls.push({ ...p, tool, param });
    });
    problems.throwIfAny();
    const pitfallById = new Map(pitfalls.map((p) => [p.id, p]));
    const tasks = [];
    const taskIds = new Map();
    for (const file of taskFiles(dataDir)) {
        const data = validate(file, TasksFile, readYaml(file));
        if (!familyIds.has(data.family))
            problems.add(file, ['family'], `expected a family id (${[...familyIds].join(', ')}), got "${data.family}"`);
        data.tasks.forEach((t, i) => {
            const at = (...rest) => ['tasks', i, ...rest];
            const where = taskIds.get(t.id);
            if (where)
                problems.add(file, at('id'), `expected a unique task id, "${t.id}" is also in ${where}`);
            taskIds.set(t.id, file);
            if (t.family !== data.family)
                problems.add(file, at('family'), `expected "${data.family}" (the file's family), got "${t.family}"`);
            const e = t.expected;
            const triggers = contentTriggers(e);
            t.pitfalls.forEach((id, j) => {
                const pitfall = pitfallById.get(id);
                if (!pitfall)
                    problems.add(file, at('pitfalls', j), `expected a pitfall id from pitfalls.yaml, got "${id}"`);
                else if (!pitfallApplies(pitfall, t.family))
                    problems.add(file, at('pitfalls', j), `expected a pitfall that applies to family ${t.family}; ${id} applies to ${pitfall.families.join(', ')}`);
                else {
                    const trigger = PITFALL_TRIGGER[pitfall.param];
                    if (trigger && !triggers[trigger])
                        problems.add(file, at('pitfalls', j), `expected content that lets ${id} bite (${trigger}), found none`);
                }
            });
            if (new Set(t.pitfalls).size !== t.pitfalls.length)
                problems.add(file, at('pitfalls'), 'expected each pitfall once');
            for (const p of pitfalls) {
                const trigger = PITFALL_TRIGGER[p.param];
                if (pitfallApplies(p, t.family) && (!trigger || triggers[trigger]) && !t.pitfalls.includes(p.id)) {
                    problems.add(file, at('pitfalls'), `expected ${p.id}: it applies to ${t.family} and the content lets it bite`);
                }
            }
            e.slides.forEach((s, j) => {
                const kinds = [s.bullets, s.chart, s.picture].filter((x) => x !== undefined).length;
                if (kinds !== 1)
                    problems.add(file, at('expected', 'slides', j), 'expected exactly one of bullets, chart or picture');
                (s.bullets ?? []).forEach((b, k) => {
                    if (wordCount(b) > MAX_WORDS)
                        problems.add(file, at('expected', 'slides', j, 'bullets', k), `expected at most ${MAX_WORDS} words (the house limit), got ${wordCount(b)}`);
                });
                if (s.chart && s.chart.series.some((x) => x.values.length !== s.chart.categories.length)) {
                    problems.add(file, at('expected', 'slides', j, 'chart'), 'expected one value per category in every series');
                }
            });
            const parsed = parseBrief(t.files['brief.md'] ?? '');
            const { difficulty: _d, ...plan } = e;
            for (const key of ['title', 'subtitle', 'title_notes']) {
                if (!sameJson(parsed[key], plan[key]))
                    problems.add(file, at('expected', key), `expected what brief.md says (${JSON.stringify(parsed[key])}), got ${JSON.stringify(plan[key])}`);
            }
            if (!sameJson(parsed.slides, plan.slides)) {
                const k = plan.slides.findIndex((s, n) => !sameJson(s, parsed.slides[n]));
                problems.add(file, at('expected', 'slides', Math.max(0, k)), `expected the slide brief.md gives (${JSON.stringify(parsed.slides[k] ?? null).slice(0, 120)})`);
            }
            const task = { id: t.id, suite: SUITE, family: t.family, title: t.title, prompt: t.prompt, files: t.files, pitfalls: t.pitfalls, rubric: t.rubric, expected: e };
            expectedByTask.set(task, e);
            tasks.push(task);
        });
    }
    problems.throwIfAny();
    return { dataDir, template: pitfallsData.template, families, pitfalls, tasks };
}
