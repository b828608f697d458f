// The brief a document is written from (brief.md): a page-setup list and the content in Markdown.
//
//   ## Page setup
//   - Title: Project Atlas — Status Report
//   - Page header: Meridian Health · Confidential      (optional)
//   - Page footer: Project Atlas status report        (optional)
//   - Page numbers: in the footer                     (optional)
//
//   ## Content
//   ### Summary                     a level-1 heading     #### Detail   a level-2 heading
//   Plain lines are paragraphs; "- " items a bulleted list, "1. " items a numbered list,
//   "| a | b |" rows a table (first row: column headings), and a paragraph ending in
//   [revised; was: "old wording"] revises earlier wording.
//
// The loader checks that every task's brief reads back as its expected content, and the sim reads
// it the way a person would.

import { isTableRule, tableRowCells } from '../_office/text.js';

export type DocBlock =
  | { kind: 'heading'; text: string; level: 1 | 2 }
  | { kind: 'paragraph'; text: string; replaces?: string }
  | { kind: 'list'; ordered: boolean; items: string[] }
  | { kind: 'table'; rows: string[][] };

export interface DocPlan {
  title: string;
  header?: string;
  footer?: string;
  page_numbers: boolean;
  blocks: DocBlock[];
}

const REVISED = /\s*\[revised; was: "([^"]+)"\]\s*$/;

export function parseBrief(text: string): DocPlan {
  const plan: DocPlan = { title: '', page_numbers: false, blocks: [] };
  let section = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (/^##\s+/.test(line) && !/^###/.test(line)) {
      section = line.replace(/^##\s+/, '').toLowerCase();
      continue;
    }
    if (section === 'page setup') {
      const m = /^-\s*([^:]+):\s*(.*)$/.exec(line);
      if (!m) continue;
      const key = m[1]!.trim().toLowerCase();
      const value = m[2]!.trim();
      if (key === 'title') plan.title = value;
      else if (key === 'page header') plan.header = value;
      else if (key === 'page footer') plan.footer = value;
      else if (key === 'page numbers') plan.page_numbers = !/^(no|none)\b/i.test(value);
      continue;
    }
    if (section !== 'content' || line === '') continue;
    const last = plan.blocks[plan.blocks.length - 1];
    const heading = /^(#{3,4})\s+(.+)$/.exec(line);
    if (heading) {
      plan.blocks.push({ kind: 'heading', text: heading[2]!.trim(), level: heading[1]!.length === 3 ? 1 : 2 });
      continue;
    }
    const bullet = /^[-*]\s+(.+)$/.exec(line);
    const numbered = /^\d+[.)]\s+(.+)$/.exec(line);
    if (bullet || numbered) {
      const ordered = Boolean(numbered);
      const item = (bullet ?? numbered)![1]!.trim();
      if (last?.kind === 'list' && last.ordered === ordered) last.items.push(item);
      else plan.blocks.push({ kind: 'list', ordered, items: [item] });
      continue;
    }
    if (line.startsWith('|')) {
      if (isTableRule(line)) continue;
      if (last?.kind === 'table') last.rows.push(tableRowCells(line));
      else plan.blocks.push({ kind: 'table', rows: [tableRowCells(line)] });
      continue;
    }
    const revised = REVISED.exec(line);
    if (revised) plan.blocks.push({ kind: 'paragraph', text: line.replace(REVISED, '').trim(), replaces: revised[1]! });
    else plan.blocks.push({ kind: 'paragraph', text: line });
  }
  return plan;
}

/** The brief's Markdown for a plan (the generator writes briefs with it). */
export function briefMarkdown(plan: DocPlan, intro: string[]): string {
  const lines = [...intro, '', '## Page setup', `- Title: ${plan.title}`];
  if (plan.header) lines.push(`- Page header: ${plan.header}`);
  if (plan.footer) lines.push(`- Page footer: ${plan.footer}`);
  if (plan.page_numbers) lines.push('- Page numbers: in the footer');
  lines.push('', '## Content');
  for (const b of plan.blocks) {
    lines.push('');
    if (b.kind === 'heading') lines.push(`${b.level === 1 ? '###' : '####'} ${b.text}`);
    else if (b.kind === 'paragraph') lines.push(b.replaces ? `${b.text} [revised; was: "${b.replaces}"]` : b.text);
    else if (b.kind === 'list') b.items.forEach((item, i) => lines.push(b.ordered ? `${i + 1}. ${item}` : `- ${item}`));
    else {
      const [head, ...rest] = b.rows;
      lines.push(`| ${head!.join(' | ')} |`, `|${head!.map(() => '---').join('|')}|`, ...rest.map((r) => `| ${r.join(' | ')} |`));
    }
  }
  return `${lines.join('\n')}\n`;
}
