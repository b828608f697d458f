// Paths inside arm options resolve against the experiment file, like every other path in it: a review
// policy file (`review:` of dreaming and managed-dreaming, also inside a composed arm's part options)
// is made absolute when it names a file next to the experiment, so the run and its resumes find it from
// any working directory. A value that names no such file is left as written (resolved against the
// working directory, as before), so older experiment files keep working.

import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';

const PATH_OPTIONS = new Set(['review']);
const NOT_PATHS = new Set(['auto', 'human']);

export function anchorOptionPaths(options: unknown, baseDir: string): unknown {
  if (Array.isArray(options)) return options.map((o) => anchorOptionPaths(o, baseDir));
  if (!options || typeof options !== 'object') return options;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) {
    if (PATH_OPTIONS.has(key) && typeof value === 'string' && !NOT_PATHS.has(value) && !isAbsolute(value)) {
      const anchored = resolve(baseDir, value);
      out[key] = existsSync(anchored) ? anchored : value;
    } else out[key] = anchorOptionPaths(value, baseDir);
  }
  return out;
}
