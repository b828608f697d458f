// Data errors of the coding suites: one message naming the file (and line), the field and what was expected.

import { relative } from 'node:path';
import type { z } from 'zod';
import { packageRoot } from '../../harness/core/paths.js';

export class CodingDataError extends Error {
  override name = 'CodingDataError';
}

/** A file path as shown in messages: relative to the package when inside it. */
export function shown(file: string): string {
  try {
    const rel = relative(packageRoot(), file);
    return rel.startsWith('..') ? file : rel;
  } catch {
    return file;
  }
}

export function pathText(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (typeof part === 'string' && /^[A-Za-z_]\w*$/.test(part)) out += out ? `.${part}` : part;
    else out += `[${JSON.stringify(String(part))}]`;
  }
  return out || '(top level)';
}

/** Zod issues as indented `field: message` lines (at most 12). */
export function formatIssues(issues: readonly z.core.$ZodIssue[], indent = '  '): string {
  const lines = issues.slice(0, 12).map((issue) => `${indent}${pathText(issue.path)}: ${issue.message}`);
  if (issues.length > 12) lines.push(`${indent}... and ${issues.length - 12} more`);
  return lines.join('\n');
}
