// Locating the package's own files both when running from TypeScript sources (tests) and from the
// compiled dist/ (the installed bin). Data files (task YAML, pricing) stay in the source tree.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
let cachedRoot;
/** The dreambench package root (the folder holding its package.json). */
export function packageRoot() {
    if (cachedRoot)
        return cachedRoot;
    let dir = dirname(fileURLToPath(import.meta.url));
    for (;;) {
        const candidate = join(dir, 'package.json');
        if (existsSync(candidate)) {
            const pkg = JSON.parse(readFileSync(candidate, 'utf8'));
            if (pkg.name === 'dreambench')
                return (cachedRoot = dir);
        }
        const parent = dirname(dir);
        if (parent === dir)
            throw new Error('cannot find the dreambench package root');
        dir = parent;
    }
}
/** A path in the package's source tree (e.g. `tasks/legal-drafting/data`). */
export function sourcePath(...parts) {
    return resolve(packageRoot(), ...parts);
}
/** Whether this module runs from compiled JavaScript (dist/) rather than TypeScript sources. */
export function runningCompiled() {
    return fileURLToPath(import.meta.url).endsWith('.js');
}
export function harnessVersion() {
    const pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8'));
    return pkg.version;
}
