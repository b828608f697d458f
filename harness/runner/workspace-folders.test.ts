import { existsSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../testing/run-helpers.js';
import { removeSpareWorkspace, takeWorkspace } from './workspace-folders.js';

const savedTmp = process.env.TMPDIR;
afterEach(async () => {
  await removeSpareWorkspace();
  if (savedTmp === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = savedTmp;
});

describe('trial workspace folders', () => {
  it('gives each attempt its own empty folder, readable by its owner only, and leaves no spare behind', async () => {
    process.env.TMPDIR = tempDir();
    const taken = [takeWorkspace()];
    await new Promise((resolve) => setTimeout(resolve, 50)); // the spare is made meanwhile
    taken.push(takeWorkspace(), takeWorkspace());
    expect(new Set(taken).size).toBe(3);
    for (const dir of taken) {
      expect(dir.startsWith(tmpdir())).toBe(true);
      expect(readdirSync(dir)).toEqual([]);
      expect(statSync(dir).mode & 0o777).toBe(0o700);
    }
    await removeSpareWorkspace();
    expect(readdirSync(tmpdir()).sort()).toEqual(taken.map((d) => d.slice(tmpdir().length + 1)).sort());
  });

  it('makes the folder under the temporary folder in force when the attempt starts', async () => {
    const [spareParent, other] = [tempDir(), tempDir()];
    process.env.TMPDIR = spareParent;
    const first = takeWorkspace();
    await new Promise((resolve) => setTimeout(resolve, 50));
    process.env.TMPDIR = other;
    const second = takeWorkspace();
    expect(second.startsWith(tmpdir())).toBe(true);
    expect(existsSync(first)).toBe(true);
    await removeSpareWorkspace();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(readdirSync(spareParent)).toEqual([first.slice(spareParent.length + 1)]);
  });
});
