// `dreambench claims` and `dreambench report --claims` as users run them: the compiled bin in a
// child process (npm test builds first).

import { execa } from 'execa';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../harness/core/paths.js';
import { tempDir } from '../harness/testing/run-helpers.js';
import { writeSyntheticRun } from './synthetic-run.js';

const BIN = join(packageRoot(), 'dist', 'harness', 'cli', 'main.js');
const cli = (args: string[]) => execa('node', [BIN, ...args], { reject: false, env: { CI: 'true' }, cwd: packageRoot() });

describe('dreambench claims', () => {
  let root: string;
  beforeAll(() => {
    if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run \`npm run build\` (npm test does it first)`);
    root = join(tempDir(), 'run');
    writeSyntheticRun({
      root,
      arms: [
        { name: 'stateless', rate: () => 0.1 },
        { name: 'dreaming', rate: () => 0.6, memory: 'dreaming' },
      ],
      sessions: 6,
      replicates: 3,
      tasksPerSession: 10,
      transcripts: false,
    });
  });

  it('prints each claim: claimed, measured with its interval, verdict, labelled as describing the harness', async () => {
    const r = await cli(['claims', root]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^Note: sim run: every verdict below describes the harness, not any model\./);
    expect(r.stdout).toMatch(
      /dreaming-6x-legal-drafting: Dreaming gives 6x task completion on legal drafting\n {2}dreaming vs stateless, rate_ratio; suite legal-drafting\n {2}claimed {3}6x\n {2}measured {2}[\d.]+x, 95% CI \[[\d.]+x, [\d.]+x\] over 180 pairs in \d+ tasks\n {2}levels {4}stateless [\d.]+% → dreaming [\d.]+%\n {2}verdict {3}(SUPPORTED|NOT SUPPORTED|INCONCLUSIVE AT THIS SAMPLE SIZE) \(sim run: this verdict describes the harness, not any model\)/,
    );
    expect(r.stdout).toMatch(
      /outcomes-hard-docx[\s\S]*?verdict {3}NOT APPLICABLE[\s\S]*?why {7}the run has no arm "outcomes" \(arms: stateless, dreaming\)/,
    );
  });

  it("prints JSON with --json and checks a user's own claims with --claims", async () => {
    const dir = join(tempDir(), 'mine');
    mkdirSync(dir);
    writeFileSync(
      join(dir, 'mine.yaml'),
      'id: my-claim\ntitle: Dreaming doubles completion\nsource: our team\nmetric: rate_ratio\narms: {baseline: stateless, treatment: dreaming}\nclaimed: 2\n',
    );
    const r = await cli(['claims', root, '--claims', dir, '--json']);
    expect(r.exitCode).toBe(0);
    const results = JSON.parse(r.stdout);
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ id: 'my-claim', verdict: 'supported', harness_only: true });

    const report = await cli(['report', root, '--claims', dir]);
    expect(report.exitCode).toBe(0);
    expect(report.stdout).toMatch(/Claims: 1 supported, 0 not supported, 0 inconclusive, 0 not applicable to this run/);
    expect(report.stdout).toMatch(/open report\.html in a browser/);
    expect(readFileSync(join(root, 'report', 'claims.md'), 'utf8')).toContain('my-claim');
  });

  it('rejects a malformed claim with the file and the field, exit code 2', async () => {
    const dir = join(tempDir(), 'bad');
    mkdirSync(dir);
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'id: bad\ntitle: t\nsource: s\nmetric: ratio\narms: {baseline: a, treatment: b}\nclaimed: 2\n');
    const r = await cli(['claims', root, '--claims', dir]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^dreambench: ${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: metric: `));
    expect((await cli(['claims', join(root, 'nope')])).exitCode).toBe(2);
  });
});
