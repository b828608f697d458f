// `dreambench report` (and the end of `dreambench run`): everything the report folder holds for a
// run, from its files alone.
//
//   report/summary.csv, summary.md   completion per arm × session, effort and cost (summary.ts)
//   report/memory.csv                memory quality per arm × replicate × session (memory-report.ts)
//   report/security.csv              attack success, persistence, poisoned memory, defenses (security.ts; runs with injected tasks)
//   report/trials.csv                one row per trial
//   report/report.json               every figure of the report, machine-readable
//   report/report.md                 summary, learning curves, comparisons, claims, methods
//   report/claims.md                 the claim verdicts alone
//   report/charts/*.png              the figures
//   report/report.html               one interactive file that opens offline (large runs: its trial rows in report-trials.js beside it)

import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { sourcePath } from '../harness/core/paths.js';
import { analyse, memoryMetricsFor, type ReportModel } from './analysis.js';
import { writeCharts, type ChartFile } from './charts.js';
import { loadClaims, type Claim } from './claims.js';
import { buildHtmlPayload, renderHtml, SIDECAR_FILE } from './html.js';
import { renderClaimsMarkdown, renderReportMarkdown } from './markdown.js';
import { loadRunData } from './run-data.js';
import { renderSummaryTable, writeFileAtomic, writeSummary } from './summary.js';
import { trialsCsvChunks } from './trials-csv.js';
import { trialsSidecar } from './trials-sidecar.js';
import { renderMemoryCsv, renderMemorySections } from './memory-report.js';
import { writeSecurityReport } from './security.js';
import { agreementMarkdown } from './agreement.js';
import { graderKindsHtml, graderKindsMarkdown } from './grader-kinds.js';
import { tryCurvesMarkdown } from './attempts.js';
import { withControls, writeControlsReport } from './controls.js';

/** The claims shipped with dreambench (claims/*.yaml). */
export function defaultClaimsDir(): string {
  return sourcePath('claims');
}

export interface RunReportOptions {
  /** Folder or file of claims to check (default: the shipped claims/). */
  claims?: string;
  /** Bootstrap resamples (default 2000). */
  B?: number;
  /** Render the PNG charts (default true). */
  charts?: boolean;
  /** Write report.html (default true). */
  html?: boolean;
}

export interface RunReportResult {
  paths: string[];
  /** The completion table for the terminal. */
  table: string;
  model: ReportModel;
  /** Milliseconds per step, for the record and the benchmark. */
  timings_ms: Record<string, number>;
}

/** JSON with NaN and ±Infinity as null (JSON has neither); flags in the data say why a value is missing. */
export function reportJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2) + '\n';
}

export async function writeRunReport(runDir: string, options: RunReportOptions = {}): Promise<RunReportResult> {
  const timings: Record<string, number> = {};
  let t0 = performance.now();
  const lap = (name: string) => {
    const now = performance.now();
    timings[name] = Math.round(now - t0);
    t0 = now;
  };
  // Claims first: a malformed claim file is bad input, reported before anything is written.
  const claims: Claim[] = loadClaims(options.claims ?? defaultClaimsDir());
  const data = await loadRunData(runDir);
  lap('load');
  const reportDir = join(runDir, 'report');
  mkdirSync(reportDir, { recursive: true });

  const { csvPath, mdPath } = await writeSummary(runDir, data.trials, {
    runName: data.manifest.name,
    model: data.manifest.models.agent,
    simulated: data.simulated,
    armOrder: data.arms,
  });
  const trialsPath = join(reportDir, 'trials.csv');
  await writeFileAtomic(trialsPath, trialsCsvChunks(data.trials));
  // Memory quality per session (report/memory.csv) and consolidation cost: sections of summary.md.
  const memory = memoryMetricsFor(data);
  const memoryCsv = join(reportDir, 'memory.csv');
  await writeFileAtomic(memoryCsv, renderMemoryCsv(memory));
  // In-task loops (reflexion, outcomes, retry-only): pass@1 after each try, and grader-vs-checker agreement.
  const loops = [
    tryCurvesMarkdown(data.trials, data.arms),
    agreementMarkdown(data.trials, data.arms),
    graderKindsMarkdown(data.trials, data.arms),
  ]
    .filter(Boolean)
    .map((m) => `\n\n${m}`)
    .join('');
  // Memory security (runs with injected tasks): report/security.csv and a section of summary.md (reports/security.ts).
  const security = await writeSecurityReport(data);
  await writeFileAtomic(
    mdPath,
    `${readFileSync(mdPath, 'utf8').trimEnd()}\n\n${renderMemorySections(memory, data.consolidation, data.arms)}${loops}${security ? `\n\n${security.markdown}` : ''}`,
  );
  // Experimental controls (reports/controls.ts): slices, orders, pass^k, forgetting; a memory leak puts a loud line on top.
  const controls = await writeControlsReport(data);
  await writeFileAtomic(mdPath, withControls(readFileSync(mdPath, 'utf8'), controls));
  lap('csv');

  const model = analyse(data, { claims, memory, ...(options.B ? { B: options.B } : {}) });
  lap('statistics');

  const charts: ChartFile[] = options.charts === false ? [] : writeCharts(model, join(reportDir, 'charts'));
  lap('charts');

  const reportMd = join(reportDir, 'report.md');
  const claimsMd = join(reportDir, 'claims.md');
  const reportJsonPath = join(reportDir, 'report.json');
  await writeFileAtomic(reportMd, renderReportMarkdown(model, charts));
  await writeFileAtomic(claimsMd, renderClaimsMarkdown(model));
  lap('markdown');

  const paths = [
    csvPath,
    mdPath,
    memoryCsv,
    ...(security ? [security.csvPath] : []),
    controls.jsonPath,
    trialsPath,
    reportMd,
    claimsMd,
    reportJsonPath,
    ...charts.map((c) => join(reportDir, 'charts', c.file)),
  ];
  if (options.html !== false) {
    const htmlPath = join(reportDir, 'report.html');
    const { html, sidecar } = renderHtml(buildHtmlPayload(data, model, charts), graderKindsHtml(data.trials, data.arms));
    // The sidecar first: a page never names a sidecar that is not there yet; a small run's page leaves none behind.
    const sidecarPath = join(reportDir, SIDECAR_FILE);
    if (sidecar) await writeFileAtomic(sidecarPath, await trialsSidecar(data.trials));
    else rmSync(sidecarPath, { force: true });
    await writeFileAtomic(htmlPath, html);
    paths.push(...(sidecar ? [sidecarPath] : []), htmlPath);
    lap('html');
  }
  await writeFileAtomic(reportJsonPath, reportJson({ ...model, charts }));
  lap('json');
  return { paths, table: renderSummaryTable(model.summary), model, timings_ms: timings };
}
