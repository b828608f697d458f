// The yargs set-up of the command line. Only the command named on the command line is loaded; the
// others are registered by name and description, enough for yargs to list them, suggest the nearest
// one for a typo and reject unknown ones.

import type { Argv } from 'yargs';
import { COMMANDS } from './command-table.js';
import { EXIT, failWith } from './exit.js';
import { EPILOGUE, helpWidth, USAGE, version } from './fast-path.js';

export async function buildCli(argv: readonly string[], width = helpWidth()): Promise<Argv> {
  const { default: yargs } = await import('yargs');
  const wanted = argv.find((arg) => !arg.startsWith('-'));
  let cli: Argv = yargs([...argv])
    .scriptName('dreambench')
    .usage(USAGE);
  for (const entry of COMMANDS) {
    cli = entry.name === wanted ? await entry.register(cli) : cli.command(entry.command, entry.describe);
  }
  return cli
    .demandCommand(1, `Name a command: ${COMMANDS.map((c) => c.name).join(', ')}.`)
    .strict()
    .recommendCommands()
    .epilogue(EPILOGUE)
    .help()
    .alias('h', 'help')
    .version(version())
    .wrap(width)
    .fail((message, error) => {
      if (error) failWith(error);
      process.stderr.write(`dreambench: ${message}\nRun with --help for usage.\n`);
      process.exit(EXIT.badInput);
    });
}
