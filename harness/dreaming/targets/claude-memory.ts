// Memory as a Claude Code memory folder: an index file, MEMORY.md, that the agent loads, and one
// topic file per store file (notes.md, playbook-<family>.md) that the index points to. The index
// keeps the user's own lines: dreambench owns only its marked section, and only the topic files it
// wrote (listed in the section), so a user's own topic files are never touched.

import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { MemoryFiles } from '../../core/arm.js';
import { writeFileAtomic } from '../../storage/run-dir.js';
import { familyOfFile } from '../store.js';
import { renderFile, storeFilesInOrder, titleOf } from './render.js';
import { SECTION_END, SECTION_START, sectionText, withSection } from './section.js';

export const INDEX_FILE = 'MEMORY.md';
const OWNED = /^- \[[^\]]*\]\(([^)]+\.md)\)/gm;

const topicName = (file: string): string => (familyOfFile(file) ? `dreambench-playbook-${familyOfFile(file)}.md` : 'dreambench-notes.md');

/** Write the folder; returns the files that changed. */
export function writeClaudeMemory(dir: string, files: MemoryFiles): string[] {
  const changed: string[] = [];
  const indexPath = join(dir, INDEX_FILE);
  const host = existsSync(indexPath) ? readFileSync(indexPath, 'utf8') : '';
  const previous = new Set<string>();
  for (const m of (sectionText(host) ?? '').matchAll(OWNED)) previous.add(m[1]!);

  const lines: string[] = [];
  for (const file of storeFilesInOrder(files)) {
    const text = renderFile(files[file]!, 0);
    if (!text.split('\n').some((l) => /^\s*- /.test(l))) continue;
    const name = topicName(file);
    previous.delete(name);
    const path = join(dir, name);
    const body = `${text}\n`;
    if (!existsSync(path) || readFileSync(path, 'utf8') !== body) {
      writeFileAtomic(path, body);
      changed.push(path);
    }
    const entries = text.split('\n').filter((l) => /^\s*- /.test(l)).length;
    lines.push(`- [${titleOf(file)}](${name}): ${entries} lesson${entries === 1 ? '' : 's'} from earlier sessions`);
  }
  for (const stale of previous) {
    rmSync(join(dir, stale), { force: true });
    changed.push(join(dir, stale));
  }
  const section = [
    SECTION_START,
    '## Lessons from earlier sessions (dreambench)',
    '',
    ...(lines.length ? lines : ['_No lessons yet._']),
    SECTION_END,
  ].join('\n');
  const next = withSection(host, section, indexPath);
  if (next !== host) {
    writeFileAtomic(indexPath, next);
    changed.push(indexPath);
  }
  return changed;
}
