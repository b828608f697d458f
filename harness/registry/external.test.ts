// Suites and arms from outside the package, as a user meets them: each example folder copied to a
// temporary directory outside the repository, dreambench "installed" next to it (node_modules/dreambench
// pointing at this checkout, as `npm install` would), and the compiled CLI run from there.

import { execa } from 'execa';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../core/paths.js';
import { tempDir } from '../testing/run-helpers.js';

const BIN = join(packageRoot(), 'dist', 'harness', 'cli', 'main.js');
const root = tempDir('external-');
afterAll(() => rmSync(root, { recursive: true, force: true }));
beforeAll(() => {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run \`npm run build\` (npm test does it first)`);
});

/** A copy of an example folder outside the repository, with dreambench installed in it. */
function installedCopy(example: string, name = example): string {
  const dir = join(root, name);
  cpSync(join(packageRoot(), 'examples', example), dir, { recursive: true });
  mkdirSync(join(dir, 'node_modules'), { recursive: true });
  symlinkSync(packageRoot(), join(dir, 'node_modules', 'dreambench'), 'dir');
  return dir;
}

const dreambench = (cwd: string, ...args: string[]) => execa('node', [BIN, ...args], { cwd, reject: false, env: { CI: 'true' } });

const trialLines = (runDir: string): Array<Record<string, unknown>> =>
  readFileSync(join(runDir, 'trials.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('examples run from a copy anywhere on disk', () => {
  it('examples/external-suite: the suite loads by path, its options apply, its pitfall is learned', { timeout: 120_000 }, async () => {
    const dir = installedCopy('external-suite');
    const result = await dreambench(dir, 'run', 'experiment.yaml', '--out', 'runs/first', '--progress', 'none');
    expect(result.exitCode, result.stderr).toBe(0);
    const trials = trialLines(join(dir, 'runs/first'));
    expect(trials).toHaveLength(2 * 2 * 3 * 4);
    expect(new Set(trials.map((t) => t.suite))).toEqual(new Set(['unit-answers']));
    // The house-style pitfall is hit by the control and learned by learnings-md (feedback -> memory -> choice).
    const late = (arm: string) =>
      trials.filter((t) => t.arm === arm && t.session === 3 && (t.pitfalls_hit as string[]).includes('decimal-comma')).length;
    expect(late('stateless')).toBeGreaterThan(late('learnings-md'));
    const manifest = JSON.parse(readFileSync(join(dir, 'runs/first/manifest.json'), 'utf8')) as {
      experiment: { suites: string[]; base_dir: string };
    };
    expect(manifest.experiment.suites).toEqual([join(dir, 'unit-answers')]);
    expect(manifest.experiment.base_dir).toBe(dir);
  });

  it('examples/external-arm: the arm loads by path and is named after its folder; its memory is written', {
    timeout: 120_000,
  }, async () => {
    const dir = installedCopy('external-arm');
    const result = await dreambench(dir, 'run', 'experiment.yaml', '--out', 'runs/first', '--progress', 'none');
    expect(result.exitCode, result.stderr).toBe(0);
    const trials = trialLines(join(dir, 'runs/first'));
    expect(new Set(trials.map((t) => t.arm))).toEqual(new Set(['stateless', 'recent-feedback']));
    const memory = readFileSync(join(dir, 'runs/first/memory/recent-feedback/r1/session-001/feedback.md'), 'utf8');
    expect(memory.split('\n').filter((l) => l.startsWith('- ')).length).toBeGreaterThan(0);
    expect(memory.split('\n').filter((l) => l.startsWith('- ')).length).toBeLessThanOrEqual(8);
  });

  it('a bad arm option is refused before anything is written, naming the file and the field (exit 2)', { timeout: 60_000 }, async () => {
    const dir = installedCopy('external-arm', 'bad-option');
    writeFileSync(join(dir, 'experiment.yaml'), readFileSync(join(dir, 'experiment.yaml'), 'utf8').replace('keep: 8', 'keep: 0'));
    const result = await dreambench(dir, 'run', 'experiment.yaml', '--out', 'runs/x', '--progress', 'none');
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/experiment\.yaml: arms\[1\]\.options\.keep: .*>=1.*got 0/);
    expect(existsSync(join(dir, 'runs/x'))).toBe(false);
  });

  it("schema --experiment merges the external suite's and arm's option schemas", { timeout: 60_000 }, async () => {
    const suiteDir = installedCopy('external-suite', 'schema-suite');
    const suiteSchema = JSON.parse((await dreambench(suiteDir, 'schema', '--experiment', 'experiment.yaml')).stdout) as {
      properties: { suite_options: { properties: Record<string, { properties: Record<string, { maximum?: number }> }> } };
    };
    expect(suiteSchema.properties.suite_options.properties['unit-answers']!.properties.decimal_places!.maximum).toBe(6);
    const armDir = installedCopy('external-arm', 'schema-arm');
    const text = (await dreambench(armDir, 'schema', '--experiment', 'experiment.yaml')).stdout;
    expect(text).toContain(join(armDir, 'recent-feedback'));
    expect(text).toContain('how many feedback lines the memory keeps');
  });

  it('a suite without a sim policy is refused on a sim model with a clear message (exit 2)', { timeout: 60_000 }, async () => {
    const dir = installedCopy('external-suite', 'no-sim');
    const index = join(dir, 'unit-answers', 'index.js');
    const source = readFileSync(index, 'utf8');
    writeFileSync(index, source.slice(0, source.indexOf('    // How the built-in sim model')) + '  });\n}\n\nexport default build(2);\n');
    const result = await dreambench(dir, 'run', 'experiment.yaml', '--out', 'runs/x', '--progress', 'none');
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('suite unit-answers has no sim policy');
    expect(existsSync(join(dir, 'runs/x'))).toBe(false);
  });

  it('a path that holds no suite names the field and what was expected (exit 2)', { timeout: 60_000 }, async () => {
    const dir = installedCopy('external-suite', 'missing');
    writeFileSync(
      join(dir, 'experiment.yaml'),
      readFileSync(join(dir, 'experiment.yaml'), 'utf8').replace('[./unit-answers]', '[./nowhere]'),
    );
    const result = await dreambench(dir, 'run', 'experiment.yaml', '--progress', 'none');
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/experiment\.yaml: suites\[0\]: .*nowhere: no such file or folder/);
  });
});

describe('the public types', () => {
  it('import type { Suite, ArmFactory } from "dreambench" typechecks from outside, and so do the JSDoc-typed examples', {
    timeout: 120_000,
  }, async () => {
    const dir = installedCopy('external-suite', 'types');
    cpSync(join(packageRoot(), 'examples', 'external-arm', 'recent-feedback'), join(dir, 'recent-feedback'), { recursive: true });
    writeFileSync(
      join(dir, 'check.ts'),
      "import type { Suite, ArmFactory, TrialRecord } from 'dreambench';\nimport { defineArm, z } from 'dreambench';\n" +
        'export const names = (s: Suite, a: ArmFactory, r: TrialRecord): string => [s.name, a.name, r.task].join(" ");\n' +
        "export const arm: ArmFactory = defineArm({ name: 'x', description: 'x', options: z.object({ n: z.number().default(1) }), create: (o) => ({ name: 'x' + o.n.toFixed(0), contextFor: () => '' }) });\n",
    );
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          target: 'ES2022',
          strict: true,
          noEmit: true,
          allowJs: true,
          checkJs: true,
          skipLibCheck: true,
          typeRoots: [join(packageRoot(), 'node_modules', '@types')],
          types: ['node'],
        },
        include: ['check.ts', 'unit-answers/*.js', 'recent-feedback/*.js'],
      }),
    );
    const tsc = await execa('node', [join(packageRoot(), 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.'], {
      cwd: dir,
      reject: false,
    });
    expect(tsc.exitCode, tsc.stdout + tsc.stderr).toBe(0);
    // A wrong use is caught: the check is real.
    writeFileSync(join(dir, 'check.ts'), "import type { Suite } from 'dreambench';\nexport const s: Suite = { name: 1 };\n");
    const bad = await execa('node', [join(packageRoot(), 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.'], {
      cwd: dir,
      reject: false,
    });
    expect(bad.exitCode).not.toBe(0);
  });
});
