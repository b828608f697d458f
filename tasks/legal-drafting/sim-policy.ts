// How the built-in sim drafts: a competent but naive lawyer-agent. It reads the matter file, writes
// every required section from the facts it finds there, renders with the settings it believes in
// (each through view.choose: a lesson, a hint from an earlier error, or the tool's default) and
// submits. Asked to revise after submitting (e.g. by a grader), it re-does what the request names
// and submits again. It never sees the pitfall table or the task's expectations, and keeps no state between
// calls: where it is in the task comes from the conversation, as with a real model.

import type { ContentBlock } from '../../harness/core/messages.js';
import { parseDirectives } from '../../harness/core/directives.js';
import type { SimPolicy, SimView } from '../../harness/models/sim/policy.js';
import { parseMatter, type Matter } from './matter.js';

/** The render_docx parameters the drafter sets, with the tool's documented defaults. */
export const POLICY_RENDER_PARAMS: ReadonlyArray<readonly [param: string, naive: string]> = [
  ['heading_style', 'Heading 1'],
  ['body_font_size', '11'],
  ['fee_table', 'merged'],
  ['numbering', 'nested'],
  ['caption', 'simple'],
  ['closing', 'Sincerely,'],
  ['header', 'none'],
  ['defined_terms', 'plain'],
  ['date_format', 'MM/DD/YYYY'],
];

/** Failed renders after which the drafter gives up and submits what it has. */
export const MAX_FAILED_RENDERS = 3;

export interface PromptPlan {
  sections: Array<{ heading: string; keys: string[] }>;
  terms: string[];
}

/** Read the required sections (with the matter items each must state) and defined terms from the prompt. */
export function parsePrompt(prompt: string): PromptPlan {
  const plan: PromptPlan = { sections: [], terms: [] };
  let inSections = false;
  for (const raw of prompt.split('\n')) {
    const line = raw.trim();
    if (/^required sections/i.test(line)) {
      inSections = true;
      continue;
    }
    if (inSections) {
      const m = /^\d+[.)]\s+(.+)$/.exec(line);
      if (m) {
        const [heading, state] = m[1]!.split(/\s+[—–-]\s+state:\s*/i, 2);
        const keys = (state ?? '')
          .split(';')
          .map((k) => k.replace(/\([^)]*\)/g, '').trim())
          .filter(Boolean);
        plan.sections.push({ heading: heading!.trim(), keys });
        continue;
      }
      if (line === '' && plan.sections.length === 0) continue;
      inSections = false;
    }
    if (/^defined terms/i.test(line)) {
      for (const t of line.matchAll(/["“]([^"”]+)["”]/g)) plan.terms.push(t[1]!.trim());
    }
  }
  return plan;
}

const BOILERPLATE: Array<[RegExp, string]> = [
  [/terminat/i, 'Either party may end this relationship by written notice; obligations accrued before termination survive.'],
  [
    /exclusion|exception/i,
    'These obligations do not apply to information that is public, already known, independently developed or lawfully received from a third party.',
  ],
  [
    /remed/i,
    'A breach may cause irreparable harm, and the non-breaching party may seek injunctive relief in addition to any other remedy.',
  ],
  [/reservation/i, 'Nothing in this letter waives any right or remedy, all of which are expressly reserved.'],
  [/conclusion/i, 'For these reasons, the motion should be granted.'],
  [/argument/i, 'The applicable rules and the record support the relief requested, as set out above.'],
  [/standard/i, 'The Court applies the governing standard under the Federal Rules of Civil Procedure and controlling precedent.'],
  [/precedence/i, 'If this rider conflicts with the Agreement, this rider controls; otherwise the Agreement remains in full force.'],
];

function boilerplate(heading: string): string {
  for (const [pattern, text] of BOILERPLATE) if (pattern.test(heading)) return text;
  return `This section sets out the ${heading.toLowerCase()} on the firm's standard terms.`;
}

const sentence = (text: string): string => (/[.!?:]$/.test(text) ? text : `${text}.`);

function sectionBody(
  heading: string,
  keys: string[],
  matter: Matter,
  terms: string[],
  omit: string | undefined,
  definitions: boolean,
): string {
  const lines: string[] = [];
  for (const key of keys) {
    if (omit && key.toLowerCase() === omit.toLowerCase()) continue;
    const field = matter.field(key);
    if (!field) {
      lines.push(`${key}: [to be confirmed].`);
    } else if (field.items.length > 0) {
      lines.push(`${field.key}:`, ...field.items, '');
    } else {
      lines.push(sentence(`${field.key}: ${field.value}`));
    }
  }
  if (definitions) {
    for (const term of terms) {
      const meaning = matter.get(`Defined term "${term}"`);
      lines.push(sentence(`"${term}" means ${meaning ?? 'the meaning given to it in this Agreement'}`));
    }
  }
  if (lines.length === 0) lines.push(boilerplate(heading));
  return lines.join('\n').trim();
}

function renderBlocks(view: SimView): ContentBlock[] {
  const input: Record<string, string> = {};
  for (const [param, naive] of POLICY_RENDER_PARAMS) input[param] = view.choose(`render_docx.${param}`, naive).value;
  return [view.toolUse('render_docx', input)];
}

type Calls = SimView['history'];

/** Every required section written again from the matter file (a revision; the skill draw may omit an item, as at first). */
function rewriteBlocks(view: SimView, history: Calls): ContentBlock[] {
  const read = history.find((h) => h.use.name === 'read_file' && h.use.input.path === 'matter.md' && h.result && !h.result.is_error);
  const matter = parseMatter(read?.result?.content ?? '');
  const plan = parsePrompt(view.prompt);
  let omit: string | undefined;
  if (!view.competent('facts')) {
    const stated = plan.sections.flatMap((s) => s.keys).filter((k) => matter.field(k));
    if (stated.length > 0) omit = view.rng.pick(stated);
  }
  const definitionsAt = Math.max(
    0,
    plan.sections.findIndex((s) => /definition/i.test(s.heading)),
  );
  const blocks: ContentBlock[] = [{ type: 'text', text: 'Writing the sections again with every item the feedback says is missing.' }];
  plan.sections.forEach((s, i) => {
    const body = sectionBody(s.heading, s.keys, matter, plan.terms, omit, plan.terms.length > 0 && i === definitionsAt);
    blocks.push(view.toolUse('write_section', { heading: s.heading, body }));
  });
  return blocks;
}

/**
 * A revision request after submitting (e.g. a grader's feedback): re-do what it names and submit
 * again. Settings it names as directives are chosen again (the request is a hint to `choose`, taken
 * with the profile's `recover` chance); settings it does not name keep the values of the last good
 * render. Items it reports missing from the text (a line without a directive) make the drafter write
 * the sections again first.
 */
function revise(view: SimView): ContentBlock[] {
  const request = view.revisionRequest ?? '';
  const since = view.sinceRevision ?? [];
  const calls = (name: string) => since.filter((h) => h.use.name === name);
  if (calls('submit').length > 0) return [{ type: 'text', text: 'The revised draft is submitted.' }];

  const rewrite = request
    .split('\n')
    .some((line) => /\b(?:not found|missing|not stated)\b/i.test(line) && parseDirectives(line).length === 0);
  if (rewrite && calls('write_section').length === 0 && calls('render_docx').length === 0) return rewriteBlocks(view, view.history);

  const renders = calls('render_docx');
  const last = renders.at(-1);
  if (last?.result && !last.result.is_error) {
    return [{ type: 'text', text: 'The revised draft.docx is rendered; submitting it.' }, view.toolUse('submit', {})];
  }
  if (renders.filter((r) => r.result?.is_error).length >= MAX_FAILED_RENDERS) {
    return [{ type: 'text', text: 'Rendering keeps failing; submitting the draft as it stands.' }, view.toolUse('submit', {})];
  }
  const named = new Map(parseDirectives(request).map((d) => [d.choice, d.value]));
  const good = view.history.filter((h) => h.use.name === 'render_docx' && h.result && !h.result.is_error).at(-1)?.use.input;
  const input: Record<string, string> = {};
  for (const [param, naive] of POLICY_RENDER_PARAMS) {
    const choice = `render_docx.${param}`;
    // After a failed render in this round, its error is a hint as good as the request: choose again.
    const kept = good && renders.length === 0 ? good[param] : undefined;
    const asked = named.get(choice);
    input[param] = typeof kept === 'string' && (asked === undefined || asked === kept) ? kept : view.choose(choice, naive).value;
  }
  return [{ type: 'text', text: 'Revising the draft as the feedback asks and rendering it again.' }, view.toolUse('render_docx', input)];
}

/** A workflow hint (e.g. from a skill): the sections and the render can go in one turn. */
export const WRITE_THEN_RENDER = 'write_section+render_docx';

export const draftingPolicy: SimPolicy = {
  act(view: SimView): ContentBlock[] {
    const history = view.history;
    const calls = (name: string) => history.filter((h) => h.use.name === name);
    // A specialist of a team may hold only some of the tools: it does the steps it has tools for.
    const can = (tool: string) => !view.tools || view.tools.includes(tool);

    // Feedback after submitting (e.g. a grader's): revise what it names and submit again.
    if (view.revisionRequest !== undefined && calls('submit').length > 0) return revise(view);
    if (calls('submit').length > 0) return [{ type: 'text', text: 'The draft is submitted.' }];

    // 1. Read the matter file (and the guidelines).
    if (calls('read_file').length === 0 && can('read_file')) {
      return [
        { type: 'text', text: "I'll start with the matter file and the drafting guidelines." },
        view.toolUse('read_file', { path: 'matter.md' }),
        view.toolUse('read_file', { path: 'guidelines.md' }),
      ];
    }

    // 2. Write every required section from the facts in the matter file.
    if (calls('write_section').length === 0 && can('write_section')) {
      const read = calls('read_file').find((h) => h.use.input.path === 'matter.md' && h.result && !h.result.is_error);
      const matter = parseMatter(read?.result?.content ?? '');
      const plan = parsePrompt(view.prompt);
      let omit: string | undefined;
      if (!view.competent('facts')) {
        const stated = plan.sections.flatMap((s) => s.keys).filter((k) => matter.field(k));
        if (stated.length > 0) omit = view.rng.pick(stated);
      }
      const definitionsAt = Math.max(
        0,
        plan.sections.findIndex((s) => /definition/i.test(s.heading)),
      );
      const blocks: ContentBlock[] = [
        { type: 'text', text: `Drafting the ${plan.sections.length} required sections from the matter file.` },
      ];
      plan.sections.forEach((s, i) => {
        blocks.push(
          view.toolUse('write_section', {
            heading: s.heading,
            body: sectionBody(s.heading, s.keys, matter, plan.terms, omit, plan.terms.length > 0 && i === definitionsAt),
          }),
        );
      });
      if (plan.sections.length === 0) {
        blocks.push(view.toolUse('write_section', { heading: 'Draft', body: boilerplate('draft') }));
      }
      // A known procedure (a skill's workflow hint): render in the same turn instead of the next.
      if (can('render_docx') && view.knows?.(WRITE_THEN_RENDER)) blocks.push(...renderBlocks(view));
      return blocks;
    }
    if (!can('render_docx')) return [{ type: 'text', text: 'The sections are written; rendering is not among my tools.' }];

    // 3. Render; after a failed render, render again with what the error said; then submit.
    const renders = calls('render_docx');
    const last = renders[renders.length - 1];
    if (!last) return [{ type: 'text', text: 'Rendering the draft on the firm template.' }, ...renderBlocks(view)];
    if (last.result && !last.result.is_error) {
      if (!can('submit')) return [{ type: 'text', text: 'draft.docx is rendered and ready to submit.' }];
      return [{ type: 'text', text: 'draft.docx is rendered; submitting it.' }, view.toolUse('submit', {})];
    }
    const failed = renders.filter((r) => r.result?.is_error).length;
    if (failed >= MAX_FAILED_RENDERS) {
      if (!can('submit')) return [{ type: 'text', text: `Rendering keeps failing: ${last.result?.content ?? 'no result'}` }];
      return [{ type: 'text', text: 'Rendering keeps failing; submitting the draft as it stands.' }, view.toolUse('submit', {})];
    }
    return [{ type: 'text', text: 'The render failed; adjusting the settings and rendering again.' }, ...renderBlocks(view)];
  },
};
