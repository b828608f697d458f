// Trial workspaces: a fresh, empty folder per attempt (<tmpdir>/dreambench-trial-XXXXXX). Making one
// is a file-system metadata write, which can take a millisecond on a busy disk, and it sits on the
// trial's critical path (nothing of the trial runs before it). So one spare folder is made ahead, in
// the background while the current trial runs, and the next attempt takes it at once. A spare is as
// fresh and empty as a folder made on demand (mkdtemp's random name, mode 0700, known to nothing
// else); the runner removes a spare left over when its run ends (removeSpareWorkspace).

import { mkdtemp, mkdtempSync, rmdir, rmdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const prefix = (): string => join(tmpdir(), 'dreambench-trial-');

let spare: string | undefined;
let making: Promise<void> | undefined;
let exitHook = false;

/** A fresh, empty workspace folder for one attempt; another is prepared in the background for the next. */
export function takeWorkspace(): string {
  const ready = spare;
  spare = undefined;
  // A spare made under another temporary folder (TMPDIR changed since) is dropped.
  if (ready !== undefined && !ready.startsWith(prefix())) rmdir(ready, () => undefined);
  const dir = ready?.startsWith(prefix()) ? ready : mkdtempSync(prefix());
  prepareSpare();
  return dir;
}

function prepareSpare(): void {
  if (making || spare !== undefined) return;
  if (!exitHook) {
    // A process that ends without the runner's clean-up (a worker, an error) leaves no spare behind.
    exitHook = true;
    process.once('exit', () => {
      if (spare === undefined) return;
      try {
        rmdirSync(spare);
      } catch {
        // Already gone or not empty: nothing to do.
      }
    });
  }
  making = new Promise((resolve) => {
    mkdtemp(prefix(), (error, dir) => {
      making = undefined;
      // A spare that could not be made is no failure: the next attempt makes its folder itself.
      if (!error) {
        if (spare === undefined) spare = dir;
        else rmdir(dir, () => undefined);
      }
      resolve();
    });
  });
}

/** Remove the spare folder, if any (the runner calls it when a run ends, so no empty folder is left behind). */
export async function removeSpareWorkspace(): Promise<void> {
  await making;
  const dir = spare;
  spare = undefined;
  if (dir !== undefined) await new Promise<void>((resolve) => rmdir(dir, () => resolve()));
}
