import { join, relative } from 'node:path';
import type { RunOutcome } from '../runner/runner.js';
import { writeRunReport, type RunReportResult } from '../../reports/run-report.js';
import { exitCodeFor } from '../runner/run-status.js';

/** Where the report went and what the claims came to, in two lines. */
export function describeReport(runDir: string, written: RunReportResult): string {
  const dir = join(runDir, 'report');
  const files = written.paths.map((p) => relative(dir, p).split('\\').join('/'));
  const charts = files.filter((f) => f.startsWith('charts/')).length;
  const main = files.filter((f) => !f.startsWith('charts/'));
  const lines = [
    `Report: ${dir}/ (${main.join(', ')}${charts ? `, charts/ with ${charts} PNG${charts === 1 ? '' : 's'}` : ''}); open report.html in a browser, offline.`,
  ];
  const claims = written.model.claims;
  if (claims.length) {
    const count = (v: string) => claims.filter((c) => c.verdict === v).length;
    lines.push(
      `Claims: ${count('supported')} supported, ${count('not_supported')} not supported, ${count('inconclusive')} inconclusive, ` +
        `${count('not_applicable')} not applicable to this run (report/claims.md; \`dreambench claims ${runDir}\` for details).`,
    );
  }
  return lines.join('\n');
}

/** After run/resume: write the report, print the table and where things are, set the exit code. */
export async function finishRun(outcome: RunOutcome): Promise<void> {
  for (const warning of outcome.warnings ?? []) process.stderr.write(`dreambench: ${warning}\n`);
  const written = await writeRunReport(outcome.runDir);
  process.stdout.write(`\n${written.table}\n\nRun directory: ${outcome.runDir}\n${describeReport(outcome.runDir, written)}\n`);
  // A memory leak makes the run's results unusable: say so last, where it is seen (harness/controls/leak-scan.ts).
  if (outcome.manifest.invalid) process.stderr.write(`\ndreambench: ${outcome.manifest.invalid}\n`);
  if (outcome.manifest.simulated) {
    process.stdout.write('Note: these results come from the built-in sim model; they describe the harness, not any real model.\n');
  }
  if (outcome.status !== 'completed') {
    process.stderr.write(`dreambench: run ${outcome.status}: ${outcome.message ?? ''}\n`);
    process.exitCode = exitCodeFor(outcome);
  }
}
