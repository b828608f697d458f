// How the built-in sim builds a deck: a competent but naive author. It reads the brief and the style
// guide, adds the title slide and every slide of the brief (layout through view.choose), builds
// with the settings it believes in (each through view.choose: a lesson, a hint from an earlier
// error, or the tool's default) and submits. It never sees the pitfall table or the task's
// expectations, and keeps no state between calls: where it is comes from the conversation.

import type { ContentBlock } from '../../harness/core/messages.js';
import type { SimPolicy, SimView } from '../../harness/models/sim/policy.js';
import { parseBrief, type SlidePlan } from './brief.js';

/** The build_pptx settings the author sets, with the tool's documented defaults. */
export const POLICY_BUILD_PARAMS: ReadonlyArray<readonly [param: string, naive: string]> = [
  ['slide_size', '4:3'],
  ['title_mode', 'textbox'],
  ['notes', 'inline'],
  ['bullet_overflow', 'shrink'],
  ['body_font_size', '18'],
  ['chart_data', 'linked'],
  ['alt_text', 'filename'],
  ['title_case', 'as-written'],
  ['slide_numbers', 'off'],
];

/** The add_slide layout the author asks for, with the tool's documented default. */
export const POLICY_LAYOUT: readonly [choice: string, naive: string] = ['add_slide.layout', 'Title and Content'];

/** Failed attempts (adding slides, building) after which the author moves on. */
export const MAX_FAILURES = 3;

/** The tool input that adds a slide. */
export function slideInput(slide: SlidePlan, layout: string): Record<string, unknown> {
  const input: Record<string, unknown> = { title: slide.title };
  if (slide.bullets) input.bullets = slide.bullets;
  if (slide.chart) input.chart = { type: slide.chart.type, categories: slide.chart.categories, series: slide.chart.series };
  if (slide.picture) input.picture = { file: slide.picture.file, caption: slide.picture.caption };
  if (slide.notes) input.notes = slide.notes;
  input.layout = layout;
  return input;
}

/** An author who is not competent this time drops one bullet of the deck. */
function sloppy(slides: SlidePlan[], view: SimView): SlidePlan[] {
  const candidates = slides.flatMap((s, i) => (s.bullets && s.bullets.length > 1 ? s.bullets.map((_, j) => [i, j] as const) : []));
  if (candidates.length === 0) return slides;
  const [i, j] = view.rng.pick(candidates);
  return slides.map((s, k) => (k === i ? { ...s, bullets: s.bullets!.filter((_, n) => n !== j) } : s));
}

export const pptxPolicy: SimPolicy = {
  act(view: SimView): ContentBlock[] {
    const history = view.history;
    const calls = (name: string) => history.filter((h) => h.use.name === name);
    const ok = (h: (typeof history)[number]) => h.result !== undefined && !h.result.is_error;
    if (calls('submit').length > 0) return [{ type: 'text', text: 'The deck is submitted.' }];

    // 1. Read the brief and the style guide.
    if (calls('read_file').length === 0) {
      return [
        { type: 'text', text: "I'll read the brief and the house style guide first." },
        view.toolUse('read_file', { path: 'brief.md' }),
        view.toolUse('read_file', { path: 'style-guide.md' }),
      ];
    }
    const read = calls('read_file').find((h) => h.use.input.path === 'brief.md' && ok(h));
    const plan = parseBrief(read?.result?.content ?? '');

    // 2. The title slide and every slide of the brief; slides that failed are added again (in order)
    //    with what the error said, a few times at most.
    const adds = calls('add_slide');
    if (calls('add_title_slide').length === 0) {
      const slides = view.competent('content') ? plan.slides : sloppy(plan.slides, view);
      const layout = view.choose(...POLICY_LAYOUT).value;
      return [
        { type: 'text', text: `Adding the title slide and the ${slides.length} slides of the brief.` },
        view.toolUse('add_title_slide', {
          title: plan.title,
          subtitle: plan.subtitle,
          ...(plan.title_notes ? { notes: plan.title_notes } : {}),
        }),
        ...slides.map((s) => view.toolUse('add_slide', slideInput(s, layout))),
      ];
    }
    const added = new Set(adds.filter(ok).map((h) => h.use.input.title as string));
    const pending = adds.filter((h) => !ok(h) && !added.has(h.use.input.title as string));
    // Each round retries every refused slide once: the most failures of one slide is the number of rounds.
    const failures = new Map<string, number>();
    for (const h of adds.filter((a) => !ok(a)))
      failures.set(h.use.input.title as string, (failures.get(h.use.input.title as string) ?? 0) + 1);
    const failedRounds = Math.max(0, ...failures.values());
    const builds = calls('build_pptx');
    if (pending.length > 0 && builds.length === 0 && failedRounds < MAX_FAILURES) {
      const layout = view.choose(...POLICY_LAYOUT).value;
      const seen = new Set<string>();
      const retry = pending.filter((h) => {
        const title = h.use.input.title as string;
        if (seen.has(title)) return false;
        seen.add(title);
        return true;
      });
      return [
        { type: 'text', text: 'Some slides were refused; adding them again with the layout the error named.' },
        ...retry.map((h) => view.toolUse('add_slide', { ...h.use.input, layout })),
      ];
    }

    // 3. Build; after a failed build, build again with what the error said; then submit.
    const last = builds[builds.length - 1];
    const buildBlocks = (): ContentBlock[] => {
      const input: Record<string, string> = {};
      for (const [param, naive] of POLICY_BUILD_PARAMS) input[param] = view.choose(`build_pptx.${param}`, naive).value;
      return [view.toolUse('build_pptx', input)];
    };
    if (!last) return [{ type: 'text', text: 'Building the deck on the house template.' }, ...buildBlocks()];
    if (ok(last)) return [{ type: 'text', text: 'deck.pptx is built; submitting it.' }, view.toolUse('submit', {})];
    if (builds.filter((b) => !ok(b)).length >= MAX_FAILURES)
      return [{ type: 'text', text: 'The build keeps failing; submitting what I have.' }, view.toolUse('submit', {})];
    return [{ type: 'text', text: 'The build failed; adjusting the settings and building again.' }, ...buildBlocks()];
  },
};
