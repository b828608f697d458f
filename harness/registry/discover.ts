// Suites and arms are folders: tasks/<suite>/index and baselines/<arm>/index. Discovering them here
// is what lets a new suite or arm be added without editing the engine.

import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runningCompiled } from '../core/paths.js';

export interface FolderModule<T> {
  folder: string;
  load(): Promise<T>;
}

/** Folders of `area` (tasks or baselines) that hold an index module, skipping `_`- and `.`-prefixed ones. */
export function discoverFolders<T>(area: 'tasks' | 'baselines'): FolderModule<T>[] {
  const compiled = runningCompiled();
  // The build this module belongs to (the sources, dist/ or the development build dist-dev/) holds the folders.
  const base = join(fileURLToPath(new URL('../..', import.meta.url)), area);
  if (!existsSync(base)) return [];
  const index = compiled ? 'index.js' : 'index.ts';
  return readdirSync(base, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !/^[_.]/.test(entry.name))
    .filter((entry) => existsSync(join(base, entry.name, index)))
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((entry) => ({
      folder: entry.name,
      load: async () => {
        const module = (await import(pathToFileURL(join(base, entry.name, index)).href)) as { default?: T };
        if (!module.default) throw new Error(`${area}/${entry.name}/index has no default export`);
        return module.default;
      },
    }));
}
