// How the built-in sim writes a Word document: a competent but naive author. It reads the brief and
// the style guide, sets up the page, header and footer, adds the brief's content block by block,
// builds with the settings it believes in (each through view.choose: a lesson, a hint from an
// earlier error, or the tool's default) and submits. It never sees the pitfall table or the task's
// expectations, and keeps no state between calls: where it is comes from the conversation.

import type { ContentBlock } from '../../harness/core/messages.js';
import type { SimPolicy, SimView } from '../../harness/models/sim/policy.js';
import { parseBrief, type DocBlock, type DocPlan } from './brief.js';

/** The build_docx settings the author sets, with the tool's documented defaults. */
export const POLICY_BUILD_PARAMS: ReadonlyArray<readonly [param: string, naive: string]> = [
  ['heading_style', 'Heading 1'],
  ['table_style', 'Table Grid'],
  ['numbering', 'template'],
  ['table_width', 'fixed'],
  ['table_header', 'plain'],
  ['body_font', 'theme'],
  ['revisions', 'clean'],
];

/** Failed builds after which the author gives up and submits what it has. */
export const MAX_FAILED_BUILDS = 3;

/** The tool input that adds a block. */
export function blockInput(block: DocBlock): Record<string, unknown> {
  if (block.kind === 'heading') return { kind: 'heading', text: block.text, level: block.level };
  if (block.kind === 'paragraph')
    return block.replaces ? { kind: 'paragraph', text: block.text, replaces: block.replaces } : { kind: 'paragraph', text: block.text };
  if (block.kind === 'list') return { kind: 'list', items: block.items, ordered: block.ordered };
  return { kind: 'table', rows: block.rows };
}

/** The blocks an author who is not competent this time produces: one paragraph or list item left out. */
function sloppy(blocks: DocBlock[], view: SimView): DocBlock[] {
  const candidates = blocks.flatMap((b, i) =>
    b.kind === 'paragraph' ? [[i, -1] as const] : b.kind === 'list' && b.items.length > 1 ? b.items.map((_, j) => [i, j] as const) : [],
  );
  if (candidates.length === 0) return blocks;
  const [i, j] = view.rng.pick(candidates);
  return blocks.flatMap((b, k) => {
    if (k !== i) return [b];
    if (j < 0) return [];
    return [
      { ...(b as Extract<DocBlock, { kind: 'list' }>), items: (b as Extract<DocBlock, { kind: 'list' }>).items.filter((_, n) => n !== j) },
    ];
  });
}

function buildBlocks(view: SimView, plan: DocPlan): ContentBlock[] {
  const input: Record<string, string> = { title: plan.title };
  for (const [param, naive] of POLICY_BUILD_PARAMS) input[param] = view.choose(`build_docx.${param}`, naive).value;
  return [view.toolUse('build_docx', input)];
}

export const docxPolicy: SimPolicy = {
  act(view: SimView): ContentBlock[] {
    const history = view.history;
    const calls = (name: string) => history.filter((h) => h.use.name === name);
    if (calls('submit').length > 0) return [{ type: 'text', text: 'The document is submitted.' }];

    // 1. Read the brief and the style guide.
    if (calls('read_file').length === 0) {
      return [
        { type: 'text', text: "I'll read the brief and the house style guide first." },
        view.toolUse('read_file', { path: 'brief.md' }),
        view.toolUse('read_file', { path: 'style-guide.md' }),
      ];
    }
    const read = calls('read_file').find((h) => h.use.input.path === 'brief.md' && h.result && !h.result.is_error);
    const plan = parseBrief(read?.result?.content ?? '');

    // 2. Page setup, header, footer and every block of the content, in the brief's order.
    if (calls('add_block').length === 0) {
      const blocks: ContentBlock[] = [
        { type: 'text', text: `Setting up the page and adding the ${plan.blocks.length} blocks of the brief.` },
      ];
      blocks.push(view.toolUse('set_page', { size: view.choose('set_page.size', 'Letter').value, orientation: 'portrait' }));
      if (plan.header)
        blocks.push(view.toolUse('set_header', { text: plan.header, pages: view.choose('set_header.pages', 'default').value }));
      if (plan.footer) {
        const pageNumbers = plan.page_numbers ? view.choose('set_footer.page_numbers', 'text').value : 'none';
        blocks.push(view.toolUse('set_footer', { text: plan.footer, page_numbers: pageNumbers }));
      }
      const content = view.competent('content') ? plan.blocks : sloppy(plan.blocks, view);
      for (const block of content) blocks.push(view.toolUse('add_block', blockInput(block)));
      if (content.length === 0) blocks.push(view.toolUse('add_block', { kind: 'paragraph', text: 'Content to follow.' }));
      return blocks;
    }

    // 3. Build; after a failed build, build again with what the error said; then submit.
    const builds = calls('build_docx');
    const last = builds[builds.length - 1];
    if (!last) return [{ type: 'text', text: 'Building the document on the house template.' }, ...buildBlocks(view, plan)];
    if (last.result && !last.result.is_error)
      return [{ type: 'text', text: 'document.docx is built; submitting it.' }, view.toolUse('submit', {})];
    const failed = builds.filter((b) => b.result?.is_error).length;
    if (failed >= MAX_FAILED_BUILDS)
      return [{ type: 'text', text: 'The build keeps failing; submitting what I have.' }, view.toolUse('submit', {})];
    return [{ type: 'text', text: 'The build failed; adjusting the settings and building again.' }, ...buildBlocks(view, plan)];
  },
};
