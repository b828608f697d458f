// `dreambench report`: everything the report folder holds for a run, from its files alone.

import { readFileSync } from 'node:fs';
import type { Manifest } from '../harness/storage/manifest.js';
import { RunDir } from '../harness/storage/run-dir.js';
import { resolveArms } from '../harness/config/schema.js';
import { renderSummaryTable, summarize, writeFileAtomic, writeSummary } from './summary.js';
import { writeMemoryReport } from './memory-report.js';

export async function writeRunReport(runDir: string): Promise<{ paths: string[]; table: string }> {
  const dir = new RunDir(runDir);
  const manifest = JSON.parse(readFileSync(dir.manifestPath, 'utf8')) as Manifest;
  const trials = dir.trials();
  const armOrder = resolveArms(manifest.experiment.arms).map((a) => a.name);
  const { csvPath, mdPath } = await writeSummary(runDir, trials, {
    runName: manifest.name,
    model: manifest.models.agent,
    simulated: manifest.simulated,
    armOrder,
  });
  // Memory quality (report/memory.csv) and consolidation cost, appended to summary.md as sections.
  const memory = await writeMemoryReport(runDir, manifest, trials, armOrder);
  await writeFileAtomic(mdPath, `${readFileSync(mdPath, 'utf8').trimEnd()}\n\n${memory.markdown}`);
  return { paths: [csvPath, mdPath, memory.csvPath], table: renderSummaryTable(summarize(trials, armOrder)) };
}
