// The curated memory as an agent reads it: notes first, then one part per playbook, provenance
// comments stripped, headings moved down a level so the whole fits under one heading of the host
// file (CLAUDE.md, AGENTS.md, MEMORY.md).

import type { MemoryFiles } from '../../core/arm.js';
import { familyOfFile, isStoreFile, NOTES_FILE, stripComments } from '../store.js';

/** Store files in reading order: notes.md, then playbooks by name. */
export function storeFilesInOrder(files: MemoryFiles): string[] {
  return Object.keys(files)
    .filter(isStoreFile)
    .sort((a, b) => (a === NOTES_FILE ? -1 : b === NOTES_FILE ? 1 : a.localeCompare(b)));
}

/** One store file without comments, its headings demoted by `levels`. */
export function renderFile(text: string, levels: number): string {
  const prefix = '#'.repeat(levels);
  return stripComments(text)
    .split('\n')
    .map((line) => (/^#{1,5} /.test(line) ? `${prefix}${line}` : line))
    .join('\n')
    .trim();
}

/** Every store file rendered for an agent, as one Markdown body (no top heading). */
export function renderMemory(files: MemoryFiles, levels = 1): string {
  const parts = storeFilesInOrder(files)
    .map((file) => renderFile(files[file]!, levels))
    .filter((text) => text.split('\n').some((l) => /^\s*- /.test(l)));
  return parts.join('\n\n');
}

/** A short title for a store file: "Notes" or "Playbook: <family>". */
export const titleOf = (file: string): string => (familyOfFile(file) ? `Playbook: ${familyOfFile(file)}` : 'Notes');
