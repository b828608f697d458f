import type { RunOutcome } from '../runner/runner.js';
import { writeRunReport } from '../../reports/run-report.js';
import { EXIT } from './exit.js';

/** After run/resume: write the report, print the table and where things are, set the exit code. */
export async function finishRun(outcome: RunOutcome): Promise<void> {
  const written = await writeRunReport(outcome.runDir);
  process.stdout.write(`\n${written.table}\n\nRun directory: ${outcome.runDir}\nReport: ${written.paths.join(', ')}\n`);
  if (outcome.manifest.simulated) {
    process.stdout.write('Note: these results come from the built-in sim model; they describe the harness, not any real model.\n');
  }
  if (outcome.status !== 'completed') {
    process.stderr.write(`dreambench: run ${outcome.status}: ${outcome.message ?? ''}\n`);
    process.exitCode = outcome.status === 'failed' && !outcome.message ? EXIT.failed : EXIT.resumable;
  }
}
