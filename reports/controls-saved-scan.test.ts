import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SAVED_LEAK_SCAN_FILE } from '../harness/controls/saved-leak-scan.js';
import { executeRun } from '../harness/runner/runner.js';
import { smallExperiment, tempDir } from '../harness/testing/run-helpers.js';
import { writeRunReport } from './run-report.js';

describe("the report's leak scan", () => {
  it("reuses the run's own end-of-run scan and says exactly what a fresh scan says", async () => {
    const root = join(tempDir(), 'run');
    await executeRun({ runDir: root, experiment: smallExperiment({ arms: ['stateless', 'learnings-md', 'dreaming'] }) });
    expect(existsSync(join(root, SAVED_LEAK_SCAN_FILE))).toBe(true);
    const files = ['controls.json', 'summary.md'];
    const read = () => files.map((f) => readFileSync(join(root, 'report', f), 'utf8'));
    await writeRunReport(root, { B: 100, charts: false, html: false });
    const reused = read();
    const controls = JSON.parse(reused[0]!) as { leak_scan: { status: string; headline: string } };
    expect(controls.leak_scan.status).toBe('clean');
    expect(controls.leak_scan.headline).toMatch(/^Leak scan: clean \(\d+ memory snapshots/);
    rmSync(join(root, SAVED_LEAK_SCAN_FILE));
    await writeRunReport(root, { B: 100, charts: false, html: false });
    files.forEach((f, i) => expect(read()[i], f).toBe(reused[i]));
  }, 120_000);
});
