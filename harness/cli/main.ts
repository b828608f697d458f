#!/usr/bin/env node
// dreambench: the command line. Exit codes: 0 done; 1 the run failed; 2 bad input (nothing written);
// 3 the run stopped early (budget reached or trials to retry) and can be resumed.

import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { runCommand } from './commands/run.js';
import { resumeCommand } from './commands/resume.js';
import { reportCommand } from './commands/report.js';
import { claimsCommand } from './commands/claims.js';
import { listCommand } from './commands/list.js';
import { schemaCommand } from './commands/schema.js';
import { memoryCommand } from './commands/memory.js';
import { dreamCommand } from './commands/dream.js';
import { compareCommand } from './commands/compare.js';
import { historyCommand } from './commands/history.js';
import { workerCommand } from './commands/worker.js';
import { tasksCommand } from './commands/tasks.js';
import { auditMemoryCommand } from './commands/audit-memory.js';
import { leakScanCommand } from './commands/leak-scan.js';
import { planCommand } from './commands/plan.js';
import { managedCommand } from './commands/managed.js';
import { viewCommand } from './commands/view.js';
import { EXIT, failWith } from './exit.js';

export async function main(argv: string[]): Promise<void> {
  await yargs(argv)
    .scriptName('dreambench')
    .usage('$0 <command> [options]\n\nMeasure whether self-improving agents really improve.')
    .command(runCommand)
    .command(resumeCommand)
    .command(reportCommand)
    .command(claimsCommand)
    .command(listCommand)
    .command(schemaCommand)
    .command(memoryCommand)
    .command(dreamCommand)
    .command(compareCommand)
    .command(historyCommand)
    .command(workerCommand)
    .command(tasksCommand)
    .command(auditMemoryCommand)
    .command(leakScanCommand)
    .command(planCommand)
    .command(managedCommand)
    .command(viewCommand)
    .demandCommand(1, 'Name a command: run, resume, report, list, schema, memory, dream, compare, history or worker.')
    .strict()
    .recommendCommands()
    .epilogue(
      'Exit codes: 0 done, 1 the run failed, 2 bad input (nothing written), 3 stopped early and resumable.\n' +
        'Results of sim:* models describe the harness, not any real model.',
    )
    .help()
    .alias('h', 'help')
    .version()
    .wrap(Math.min(110, process.stdout.columns || 110))
    .fail((message, error) => {
      if (error) failWith(error);
      process.stderr.write(`dreambench: ${message}\nRun with --help for usage.\n`);
      process.exit(EXIT.badInput);
    })
    .parseAsync();
}

main(hideBin(process.argv)).catch(failWith);
