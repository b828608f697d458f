// The browser side of the viewer: the client scripts tsc compiles from harness/view/client/ (plain
// classic scripts, so the same files run over http and from file:// in a static export), the page
// that loads them, and the trials and conversations queries shipped as source text
// (harness/view/trial-query.ts, harness/view/log-query.ts).

import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runningCompiled, sourcePath } from '../core/paths.js';
import { queryConversations } from './log-query.js';
import { queryTrials } from './trial-query.js';

/** Load order of the compiled client scripts: helpers first, the pages, then the boot script. */
export const CLIENT_SCRIPTS = [
  'dom.js',
  'data.js',
  'transcript.js',
  'runs-page.js',
  'trials-page.js',
  'trial-page.js',
  'memory-page.js',
  'compare-page.js',
  'logs-page.js',
  'app.js',
];

/** Where the compiled client lives: next to this module in dist/, or dist/ of the source tree when run from TypeScript. */
export function defaultAssetsDir(): string {
  return runningCompiled() ? join(dirname(fileURLToPath(import.meta.url)), 'client') : sourcePath('dist', 'harness', 'view', 'client');
}

export class AssetsMissing extends Error {
  override name = 'AssetsMissing';
}

/** Check the compiled client is there (a source checkout needs `npm run build` first). */
export function checkAssets(dir: string): void {
  const missing = CLIENT_SCRIPTS.filter((name) => !existsSync(join(dir, name)));
  if (missing.length > 0)
    throw new AssetsMissing(`${dir}: the viewer's compiled client is missing (${missing.join(', ')}); run \`npm run build\``);
}

/** The static files of the client (compiled scripts and the style sheet) by name. */
export function assetNames(dir: string): string[] {
  return readdirSync(dir).filter((name) => /\.(js|css)$/.test(name) && !name.endsWith('.d.js'));
}

export const STYLE_FILE = 'view.css';

/** `queryTrials` as a classic script, for pages without a server (static export). */
export function trialQueryScript(): string {
  return `"use strict";\nvar queryTrials = ${queryTrials.toString()};\n`;
}

/** `queryConversations` as a classic script, for the log pages of a static export. */
export function logQueryScript(): string {
  return `"use strict";\nvar queryConversations = ${queryConversations.toString()};\n`;
}

/** The one HTML page; `mode` says where data comes from (the server's API, or files written by the export). */
export function indexHtml(mode: 'server' | 'static', prefix = 'assets/'): string {
  const scripts = ['trial-query.js', 'log-query.js', ...(mode === 'static' ? ['data/index.js'] : []), ...CLIENT_SCRIPTS].map((name) =>
    name.startsWith('data/') ? `<script src="${name}"></script>` : `<script src="${prefix}${name}"></script>`,
  );
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<title>dreambench view</title>',
    // No favicon request (it would be a 404 in the console).
    '<link rel="icon" href="data:,">',
    `<link rel="stylesheet" href="${prefix}${STYLE_FILE}">`,
    '</head>',
    `<body data-mode="${mode}">`,
    '<header id="top"><a href="#/" id="home">dreambench view</a><nav id="crumbs"></nav><span id="live"></span></header>',
    '<main id="main"><p>Loading…</p></main>',
    ...scripts,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
