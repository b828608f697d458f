// `npm ci` and `npm install` in a checkout build dist/ once, before npm links the bin. npm runs
// `prepare` twice there: first for the checkout's link to itself (the devDependency
// "dreambench": "file:.", which puts the bin in node_modules/.bin so that `npx dreambench` runs this
// checkout instead of installing a copy of it into npm's cache), then for the project. npm links a
// bin only when its file exists, so the first run builds; the second finds dist/ newer than every
// source and stops. Any other install of the folder (a git dependency, a fresh clone) builds.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const STAMP = join('dist', '.prepared');
const SOURCES = [
  'harness',
  'tasks',
  'baselines',
  'reports',
  'scripts',
  'package.json',
  'package-lock.json',
  'tsconfig.json',
  'tsconfig.build.json',
];

function newestChange(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) if (entry !== 'node_modules') newest = Math.max(newest, newestChange(join(path, entry)));
  return newest;
}

const upToDate = existsSync(STAMP) && statSync(STAMP).mtimeMs >= Math.max(...SOURCES.map(newestChange));
if (upToDate) {
  console.log('dreambench: dist/ is up to date with the sources; not rebuilding');
} else {
  execFileSync('npm', ['run', 'build'], { stdio: 'inherit' });
  writeFileSync(STAMP, `${new Date().toISOString()}\n`);
}
