// Paths from a browser resolve inside the run directory or not at all.

import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../testing/run-helpers.js';
import { PathRefused, resolveInside } from './safe-path.js';

describe('resolveInside', () => {
  const base = tempDir('dreambench-safe-path-');
  const root = join(base, 'run');
  mkdirSync(join(root, 'transcripts', 'a'), { recursive: true });
  writeFileSync(join(root, 'transcripts', 'a', 'x.json'), '{}');
  writeFileSync(join(base, 'outside.txt'), 'no');
  symlinkSync(join(base, 'outside.txt'), join(root, 'out-link'));
  symlinkSync(join(root, 'transcripts'), join(root, 'in-link'));

  it('finds files inside the run, through symlinks that stay inside', () => {
    expect(resolveInside(root, 'transcripts/a/x.json')).toMatch(/transcripts\/a\/x\.json$/);
    expect(resolveInside(root, 'in-link/a/x.json')).toMatch(/transcripts\/a\/x\.json$/);
  });

  it('refuses parent segments, absolute paths, backslashes, NUL, leftover encoding and symlinks out', () => {
    for (const bad of [
      '../outside.txt',
      'transcripts/../../outside.txt',
      '/etc/passwd',
      join(base, 'outside.txt'),
      '..\\outside.txt',
      'x\0.json',
      '%2e%2e/outside.txt',
      'out-link',
      './manifest.json',
      'C:/Windows',
      '',
    ]) {
      expect(() => resolveInside(root, bad), JSON.stringify(bad)).toThrow(PathRefused);
    }
  });

  it('refuses a file that does not exist', () => {
    expect(() => resolveInside(root, 'transcripts/none.json')).toThrow(/no file/);
  });
});
