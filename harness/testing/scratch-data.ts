// Test support for the suites' tests: scratch copies of a suite's data directory to break on
// purpose, and environment workdirs, all removed after each test. Call scratchData() and
// cleanedWorkdirs() at the top level of a test file: they register the afterEach that cleans up.

import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect } from 'vitest';

export interface ScratchData {
  /** An empty temporary directory (removed after the test). */
  tempDir(prefix?: string): string;
  /** A full copy of the data directory. */
  copy(): string;
  /**
   * A data dir with the real families and pitfalls and the given task files, with one text edit
   * (which must apply) to one of its files.
   */
  withTasks(tasks: Record<string, string>, edit?: { file: string; from: string; to: string }): string;
}

export function scratchData(dataDir: string, prefix: string): ScratchData {
  const tempDir = cleanedWorkdirs((p: string = prefix) => mkdtempSync(join(tmpdir(), p)));
  return {
    tempDir,
    copy() {
      const dir = tempDir();
      cpSync(dataDir, dir, { recursive: true });
      return dir;
    },
    withTasks(tasks, edit) {
      const dir = tempDir();
      mkdirSync(join(dir, 'tasks'));
      for (const f of ['families.yaml', 'pitfalls.yaml']) copyFileSync(join(dataDir, f), join(dir, f));
      for (const [name, text] of Object.entries(tasks)) writeFileSync(join(dir, 'tasks', name), text);
      if (edit) {
        const path = join(dir, edit.file);
        const text = readFileSync(path, 'utf8');
        expect(text).toContain(edit.from);
        writeFileSync(path, text.replace(edit.from, edit.to));
      }
      return dir;
    },
  };
}

/** Replace text in a data file; the pattern must match (else the test would check nothing). */
export function editFile(dir: string, file: string, from: string | RegExp, to: string): void {
  const path = join(dir, file);
  const text = readFileSync(path, 'utf8');
  const next = text.replace(from, to);
  expect(next, `${file} should contain ${String(from)}`).not.toBe(text);
  writeFileSync(path, next);
}

/**
 * Workdirs from `make` that are removed after each test, for tests that open environments (call at
 * a test file's top level: it registers the afterEach).
 */
export function cleanedWorkdirs<A extends unknown[]>(make: (...args: A) => string): (...args: A) => string {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  return (...args) => {
    const dir = make(...args);
    dirs.push(dir);
    return dir;
  };
}
