import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
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
    const saved = join(root, SAVED_LEAK_SCAN_FILE);
    expect(existsSync(saved)).toBe(true);
    const before = { text: readFileSync(saved, 'utf8'), mtime: statSync(saved).mtimeMs };
    const files = ['controls.json', 'summary.md'];
    const read = () => files.map((f) => readFileSync(join(root, 'report', f), 'utf8'));
    await writeRunReport(root, { B: 100, charts: false, html: false });
    // Reused, not scanned again: a fresh scan would have saved itself anew.
    expect({ text: readFileSync(saved, 'utf8'), mtime: statSync(saved).mtimeMs }).toEqual(before);
    const reused = read();
    const controls = JSON.parse(reused[0]!) as { leak_scan: { status: string; headline: string } };
    expect(controls.leak_scan.status).toBe('clean');
    expect(controls.leak_scan.headline).toMatch(/^Leak scan: clean \(\d+ memory snapshots/);
    rmSync(join(root, SAVED_LEAK_SCAN_FILE));
    await writeRunReport(root, { B: 100, charts: false, html: false });
    files.forEach((f, i) => expect(read()[i], f).toBe(reused[i]));
  }, 120_000);
});
