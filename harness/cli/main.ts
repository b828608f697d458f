#!/usr/bin/env node
// dreambench: the command line. Exit codes: 0 done; 1 the run failed; 2 bad input (nothing written);
// 3 the run stopped early (budget reached or trials to retry) and can be resumed.
// `--version` and `--help` are answered before yargs loads; a command loads only its own modules.

import { failWith } from './exit.js';
import { answerFast } from './fast-path.js';

export async function main(argv: string[]): Promise<void> {
  if (answerFast(argv)) return;
  const { buildCli } = await import('./build-cli.js');
  await (await buildCli(argv)).parseAsync();
}

main(process.argv.slice(2)).catch(failWith);
