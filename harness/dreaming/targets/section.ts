// Memory written as a section of an instruction file the agent already reads (CLAUDE.md for Claude
// Code, AGENTS.md for Codex and others). The section sits between two marker comments; everything
// outside them is the user's and is left byte for byte. A file without the markers gets the
// section appended; a file with one marker but not the other is refused rather than guessed at.

import { existsSync, readFileSync } from 'node:fs';
import type { MemoryFiles } from '../../core/arm.js';
import { writeFileAtomic } from '../../storage/run-dir.js';
import { renderMemory } from './render.js';

export const SECTION_START = '<!-- dreambench:memory:start (maintained by `dreambench dream`; edits inside are replaced) -->';
export const SECTION_END = '<!-- dreambench:memory:end -->';
const START_RE = /<!-- dreambench:memory:start[^>]*-->/;

export class SectionError extends Error {
  override name = 'SectionError';
}

export function sectionBody(files: MemoryFiles, heading: string): string {
  const body = renderMemory(files, 2);
  return [SECTION_START, `## ${heading}`, '', body || '_No lessons yet._', SECTION_END].join('\n');
}

/** The text between the markers of a host file's section, or undefined when it has no whole section. */
export function sectionText(host: string): string | undefined {
  const start = START_RE.exec(host);
  const end = host.indexOf(SECTION_END);
  return start && end > start.index ? host.slice(start.index, end) : undefined;
}

/** The host file's text with the section replaced (or appended). */
export function withSection(host: string, section: string, file: string): string {
  const start = START_RE.exec(host);
  const end = host.indexOf(SECTION_END);
  if (!start && end < 0) return host.length === 0 ? `${section}\n` : `${host.replace(/\n*$/, '')}\n\n${section}\n`;
  if (!start || end < 0 || end < start.index)
    throw new SectionError(
      `${file}: found ${start ? 'the start' : 'the end'} marker of the dreambench section but not the ${start ? 'end' : 'start'} one; fix the file by hand (markers: "${SECTION_START.slice(0, 32)}..." and "${SECTION_END}")`,
    );
  return host.slice(0, start.index) + section + host.slice(end + SECTION_END.length);
}

/** Write the section into `file`; returns whether the file changed. */
export function writeSection(file: string, files: MemoryFiles, heading = 'Lessons from earlier sessions'): boolean {
  const host = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const next = withSection(host, sectionBody(files, heading), file);
  if (next === host) return false;
  writeFileAtomic(file, next);
  return true;
}
