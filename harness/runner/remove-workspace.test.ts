import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../testing/run-helpers.js';
import { removeWorkspace } from './remove-workspace.js';

describe('removeWorkspace', () => {
  it('removes nested folders and files, and a link without touching what it points to', async () => {
    const root = tempDir();
    const outside = join(root, 'outside');
    mkdirSync(outside);
    writeFileSync(join(outside, 'keep.txt'), 'keep');
    const workdir = join(root, 'work');
    mkdirSync(join(workdir, 'a', 'b'), { recursive: true });
    writeFileSync(join(workdir, 'brief.md'), 'x');
    writeFileSync(join(workdir, 'a', 'b', 'draft.docx'), 'y');
    symlinkSync(outside, join(workdir, 'link'));
    await removeWorkspace(workdir);
    expect(existsSync(workdir)).toBe(false);
    expect(existsSync(join(outside, 'keep.txt'))).toBe(true);
  });

  it('does not throw for a folder that is already gone', async () => {
    await expect(removeWorkspace(join(tempDir(), 'never-made'))).resolves.toBeUndefined();
  });
});
