// Every relative link in README.md and the docs tree points at a file that exists, and every
// #anchor at a heading of the page it names (GitHub's heading slugs), so a reader never lands on a
// missing page after files move or headings change.

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');

function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return markdownFiles(path);
    return entry.name.endsWith('.md') ? [path] : [];
  });
}

/** The page's text outside fenced code blocks and inline code spans, where links are links. */
function prose(markdown: string): string {
  return markdown.replace(/^(```|~~~)[\s\S]*?^\1/gm, '').replace(/`[^`\n]*`/g, '');
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const match of markdown.replace(/^(```|~~~)[\s\S]*?^\1/gm, '').matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const base = match[1]!
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
}

function brokenLinks(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const problems: string[] = [];
  for (const match of prose(text).matchAll(/!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
    const target = match[1]!;
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto: and the like
    const [path = '', anchor] = target.split('#', 2);
    const resolved = path === '' ? file : resolve(dirname(file), decodeURIComponent(path));
    const where = `${relative(root, file)}: (${target})`;
    if (!existsSync(resolved)) {
      problems.push(`${where}: no such file ${relative(root, resolved)}`);
      continue;
    }
    if (anchor !== undefined && resolved.endsWith('.md') && statSync(resolved).isFile()) {
      if (!headingAnchors(readFileSync(resolved, 'utf8')).has(anchor)) problems.push(`${where}: no heading with anchor #${anchor}`);
    }
  }
  return problems;
}

describe('documentation links', () => {
  const files = [join(root, 'README.md'), ...markdownFiles(join(root, 'docs'))];

  it('finds the README and the docs pages', () => {
    expect(files.length).toBeGreaterThan(10);
  });

  it('resolves every relative link and anchor in README.md and docs/', () => {
    expect(files.flatMap(brokenLinks)).toEqual([]);
  });

  it('lists every docs page in the docs index', () => {
    const index = readFileSync(join(root, 'docs/README.md'), 'utf8');
    const listed = new Set([...index.matchAll(/\]\(([^)#]+\.md)/g)].map((m) => m[1]));
    const pages = readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md') && f !== 'README.md');
    expect(pages.filter((page) => !listed.has(page))).toEqual([]);
  });

  it('derives anchors as GitHub does', () => {
    expect([
      ...headingAnchors('# Scale and faults\n## `dreambench compare <a> <b>`\n## Notes\n## Notes\n```\n# not a heading\n```'),
    ]).toEqual(['scale-and-faults', 'dreambench-compare-a-b', 'notes', 'notes-1']);
  });
});
