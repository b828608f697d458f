// Resolving a path a browser asked for inside one served run directory, and nowhere else. A request
// path is decoded once by the router; here it must be relative, free of `..`, NUL and backslashes,
// and after following symlinks it must still lie inside the run directory (a symlink that points
// outside is refused like `../`). Anything doubtful is refused: the viewer reads, it never guesses.

import { existsSync, realpathSync } from 'node:fs';
import { isAbsolute, join, sep } from 'node:path';

export class PathRefused extends Error {
  override name = 'PathRefused';
}

/** The absolute, real path of `relPath` inside `root`, or a PathRefused error. The file must exist. */
export function resolveInside(root: string, relPath: string): string {
  if (relPath === '' || relPath.includes('\0') || relPath.includes('\\') || isAbsolute(relPath) || /^[A-Za-z]:/.test(relPath)) {
    throw new PathRefused(`path "${relPath}" is not a relative path inside the run`);
  }
  // A still-encoded sequence (e.g. %2e%2e after one decoding: double encoding) is never a real file name here.
  if (/%[0-9a-f]{2}/i.test(relPath)) throw new PathRefused(`path "${relPath}" is still percent-encoded`);
  const parts = relPath.split('/');
  if (parts.some((p) => p === '..' || p === '.')) throw new PathRefused(`path "${relPath}" leaves the run directory`);
  const realRoot = realpathSync(root);
  const candidate = join(realRoot, ...parts.filter((p) => p !== ''));
  if (!existsSync(candidate)) throw new PathRefused(`no file "${relPath}" in the run`);
  const real = realpathSync(candidate);
  if (real !== realRoot && !real.startsWith(realRoot + sep)) throw new PathRefused(`path "${relPath}" points outside the run directory`);
  return real;
}

/** Like resolveInside, but undefined when the path is absent or refused (for optional files). */
export function findInside(root: string, relPath: string): string | undefined {
  try {
    return resolveInside(root, relPath);
  } catch {
    return undefined;
  }
}
