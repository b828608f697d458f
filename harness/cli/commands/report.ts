import type { CommandModule } from 'yargs';
import { writeRunReport } from '../../../reports/run-report.js';
import { UsageError } from '../exit.js';
import { isRunDir } from '../../runner/runner.js';

export const reportCommand: CommandModule<object, { 'run-dir': string }> = {
  command: 'report <run-dir>',
  describe: 'Write report/summary.csv and report/summary.md for a run and print the completion table',
  builder: (y) => y.positional('run-dir', { type: 'string', demandOption: true }),
  handler: async (args) => {
    if (!isRunDir(args['run-dir'])) throw new UsageError(`${args['run-dir']}: not a run directory (no manifest.json)`);
    const written = await writeRunReport(args['run-dir']);
    process.stdout.write(`${written.table}\n\nWrote ${written.paths.join(', ')}\n`);
  },
};
