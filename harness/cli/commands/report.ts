import type { CommandModule } from 'yargs';
import { preferSmallHeap } from '../../core/small-heap.js';
import { writeRunReport } from '../../../reports/run-report.js';
import { UsageError } from '../exit.js';
import { isRunDir } from '../../runner/runner.js';
import { describeReport } from '../finish.js';
import { leakHeadline } from '../../../reports/controls.js';

export const reportCommand: CommandModule<object, { 'run-dir': string; claims?: string }> = {
  command: 'report <run-dir>',
  describe: "Rewrite a run's report/ folder (summary, trials.csv, report.md/.json/.html, charts, claims) and print the completion table",
  builder: (y) =>
    y
      .positional('run-dir', { type: 'string', demandOption: true })
      .option('claims', { type: 'string', describe: 'folder (or file) of claims to check (default: the claims shipped with dreambench)' }),
  handler: async (args) => {
    preferSmallHeap();
    if (!isRunDir(args['run-dir'])) throw new UsageError(`${args['run-dir']}: not a run directory (no manifest.json)`);
    const written = await writeRunReport(args['run-dir'], args.claims ? { claims: args.claims } : {});
    process.stdout.write(`${written.table}\n\n${describeReport(args['run-dir'], written)}\n`);
    // A memory leak makes the run invalid (harness/controls/leak-scan.ts): say it loudly, last.
    const invalid = leakHeadline(args['run-dir']);
    if (invalid) process.stderr.write(`\ndreambench: ${invalid}\n`);
  },
};
