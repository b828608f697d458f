// The brief a deck is built from (brief.md): the deck's title slide and one section per slide.
//
//   ## Deck
//   - Title: Q3 2025 Business Review
//   - Subtitle: Norrland Freight AB · 14 October 2025
//   - Title slide notes: Welcome the board ...        (optional)
//
//   ## Slides
//   ### Highlights of the quarter        a slide and its title
//   - On-time delivery rose to 96.2%     bullets
//   Chart (column):                      a chart, from the table that follows (first column:
//   | Month | Shipments |                categories; other columns: series)
//   | July | 1240 |
//   Picture: team.png — The delivery team at the Umeå depot     a picture and its caption
//   Notes: Open with the on-time figure.                         speaker notes
//
// The loader checks that each task's brief reads back as its expected deck, and the sim reads it
// the way a person would.

import { isTableRule, tableRowCells } from '../_office/text.js';

export type ChartType = 'column' | 'bar' | 'line' | 'pie';

export interface ChartPlan {
  type: ChartType;
  /** The category axis (the table's first column heading), e.g. "Month". */
  axis: string;
  categories: string[];
  series: Array<{ name: string; values: number[] }>;
}

export interface SlidePlan {
  title: string;
  bullets?: string[];
  chart?: ChartPlan;
  picture?: { file: string; caption: string };
  notes?: string;
}

export interface DeckPlan {
  title: string;
  subtitle: string;
  title_notes?: string;
  slides: SlidePlan[];
}

export function parseBrief(text: string): DeckPlan {
  const plan: DeckPlan = { title: '', subtitle: '', slides: [] };
  let section = '';
  let slide: SlidePlan | undefined;
  let table: string[][] | undefined;
  let chartType: ChartType | undefined;
  const closeChart = (): void => {
    if (slide && chartType && table && table.length >= 2) {
      const [head, ...rows] = table;
      slide.chart = {
        type: chartType,
        axis: head![0] ?? '',
        categories: rows.map((r) => r[0] ?? ''),
        series: head!.slice(1).map((name, i) => ({ name, values: rows.map((r) => Number((r[i + 1] ?? '').replace(/[,\s]/g, ''))) })),
      };
    }
    table = undefined;
    chartType = undefined;
  };
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (/^##\s+/.test(line) && !/^###/.test(line)) {
      closeChart();
      section = line.replace(/^##\s+/, '').toLowerCase();
      continue;
    }
    if (section === 'deck') {
      const m = /^-\s*([^:]+):\s*(.*)$/.exec(line);
      if (!m) continue;
      const key = m[1]!.trim().toLowerCase();
      if (key === 'title') plan.title = m[2]!.trim();
      else if (key === 'subtitle') plan.subtitle = m[2]!.trim();
      else if (key === 'title slide notes') plan.title_notes = m[2]!.trim();
      continue;
    }
    if (section !== 'slides' || line === '') continue;
    const heading = /^###\s+(.+)$/.exec(line);
    if (heading) {
      closeChart();
      slide = { title: heading[1]!.trim() };
      plan.slides.push(slide);
      continue;
    }
    if (!slide) continue;
    if (line.startsWith('|')) {
      if (!isTableRule(line) && chartType) (table ??= []).push(tableRowCells(line));
      continue;
    }
    closeChart();
    const chart = /^chart \((column|bar|line|pie)\):?$/i.exec(line);
    if (chart) {
      chartType = chart[1]!.toLowerCase() as ChartType;
      continue;
    }
    const bullet = /^[-*]\s+(.+)$/.exec(line);
    if (bullet) {
      (slide.bullets ??= []).push(bullet[1]!.trim());
      continue;
    }
    const picture = /^picture:\s*(\S+)\s+[—–-]\s+(.+)$/i.exec(line);
    if (picture) {
      slide.picture = { file: picture[1]!, caption: picture[2]!.trim() };
      continue;
    }
    const notes = /^notes:\s*(.+)$/i.exec(line);
    if (notes) slide.notes = slide.notes ? `${slide.notes} ${notes[1]!.trim()}` : notes[1]!.trim();
  }
  closeChart();
  return plan;
}

/** The brief's Markdown for a plan (the generator writes briefs with it). */
export function briefMarkdown(plan: DeckPlan, intro: string[]): string {
  const lines = [...intro, '', '## Deck', `- Title: ${plan.title}`, `- Subtitle: ${plan.subtitle}`];
  if (plan.title_notes) lines.push(`- Title slide notes: ${plan.title_notes}`);
  lines.push('', '## Slides');
  for (const s of plan.slides) {
    lines.push('', `### ${s.title}`);
    for (const b of s.bullets ?? []) lines.push(`- ${b}`);
    if (s.chart) {
      const head = [s.chart.axis, ...s.chart.series.map((x) => x.name)];
      lines.push(`Chart (${s.chart.type}):`, `| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`);
      s.chart.categories.forEach((c, i) => lines.push(`| ${c} | ${s.chart!.series.map((x) => String(x.values[i])).join(' | ')} |`));
    }
    if (s.picture) lines.push(`Picture: ${s.picture.file} — ${s.picture.caption}`);
    if (s.notes) lines.push(`Notes: ${s.notes}`);
  }
  return `${lines.join('\n')}\n`;
}
