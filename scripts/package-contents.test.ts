// What `npm install dreambench` gets: the compiled harness, the suites' data and sources, examples,
// claims and schemas, and no development code (testing mocks, generators, fixtures, benchmarks,
// calibration, synthetic runs, tests). Reads `npm pack --dry-run`'s file list and the compiled
// files it ships (npm test builds dist/ first), and follows every relative import of the shipped
// JavaScript, so shipped code that imports a development module fails here.

import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../harness/core/paths.js';

const root = packageRoot();

/** Development-only files: kept out of dist/ by tsconfig.build.json and out of the package by package.json's `files`. */
const DEV_ONLY = [
  /(^|\/)[^/]+\.test\.(ts|js)(\.map)?$/,
  /^(dist\/)?harness\/testing\//,
  /^(dist\/)?scripts\/(?!coding-passk\.(js|js\.map|d\.ts|d\.ts\.map)$)/,
  /^(dist\/)?tasks\/.*\/generate[^/]*$/,
  /^(dist\/)?tasks\/.*\/generate\//,
  /^(dist\/)?tasks\/.*\/fixtures\//,
  /^(dist\/)?tasks\/.*\/(testing|shared-tests)\.(ts|js)(\.map)?$/,
  /^(dist\/)?harness\/compare\/synthetic\./,
  /^(dist\/)?reports\/(synthetic-run|calibration)\./,
];

let files: string[] = [];

beforeAll(() => {
  if (!existsSync(join(root, 'dist/harness/cli/main.js')))
    throw new Error('dist/ is missing: run `npm run build` (npm test does it first)');
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  files = (JSON.parse(out) as Array<{ files: Array<{ path: string }> }>)[0]!.files.map((f) => f.path);
}, 120_000);

describe('the npm package', () => {
  it('ships the bin, the compiled suites and arms, their data, the schemas and the examples', () => {
    for (const path of [
      'dist/harness/cli/main.js',
      'dist/tasks/legal-drafting/index.js',
      'dist/baselines/dreaming/index.js',
      'dist/scripts/coding-passk.js',
      'tasks/legal-drafting/data/pitfalls.yaml',
      'tasks/coding-humaneval/data/HumanEval.jsonl.gz',
      'harness/models/pricing.json',
      'schema/experiment.schema.json',
      'examples/quickstart.yaml',
      'README.md',
    ]) {
      expect(files, path).toContain(path);
    }
  });

  it('ships no development code: testing mocks, generators, fixtures, benchmarks, calibration, synthetic runs or tests', () => {
    expect(files.filter((path) => DEV_ONLY.some((pattern) => pattern.test(path)))).toEqual([]);
  });

  it('ships every module the shipped JavaScript imports', () => {
    const shipped = new Set(files);
    const missing: string[] = [];
    for (const file of files.filter((f) => f.startsWith('dist/') && f.endsWith('.js'))) {
      const source = readFileSync(join(root, file), 'utf8');
      for (const match of source.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"](\.{1,2}\/[^'"]+)['"]/gm)) {
        const target = normalize(join(dirname(file), match[1]!));
        if (!shipped.has(target)) missing.push(`${file} imports ${match[1]} (${target})`);
      }
    }
    expect(missing).toEqual([]);
  });
});
