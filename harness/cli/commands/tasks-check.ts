// `dreambench tasks check FILE|SUITE [--suite S]`: can the tasks tell right from wrong? A reference
// solution or output must pass its checker and a stub or an empty output must fail it (Suite.checkTasks).
// Exit 0 sound, 1 a task that cannot tell (each named with why), 2 bad input.

import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { CommandModule } from 'yargs';
import type { Suite, TaskCheck } from '../../core/suite.js';
import { loadSuite, suiteNames } from '../../registry/suites.js';
import { parseOptions } from '../../core/options.js';
import { EXIT, UsageError } from '../exit.js';

interface CheckArgs {
  target: string;
  suite?: string;
  json?: boolean;
}

/** The suite a task file is for, from its name and first entry: YAML or JSONL with `instructions` is custom, other JSONL coding-custom. */
function guessSuite(file: string): string {
  if (/\.ya?ml(\.gz)?$/.test(file)) return 'custom';
  const bytes = readFileSync(file);
  const text = file.endsWith('.gz') ? gunzipSync(bytes).toString('utf8') : bytes.toString('utf8');
  const first = text.split('\n').find((l) => l.trim()) ?? '';
  return /"instructions"\s*:/.test(first) ? 'custom' : 'coding-custom';
}

async function suiteFor(args: CheckArgs): Promise<Suite> {
  const builtIn = suiteNames();
  if (builtIn.includes(args.target) && !args.suite) {
    const suite = await loadSuite(args.target);
    if (suite.tasks.length === 0)
      throw new UsageError(
        `suite ${suite.name} holds no tasks of its own: check a task file with \`dreambench tasks check FILE --suite ${suite.name}\``,
      );
    return suite;
  }
  const file = resolve(args.target);
  if (!existsSync(file)) throw new UsageError(`${args.target}: no such file, and not a suite (suites: ${builtIn.join(', ')})`);
  const name = args.suite ?? guessSuite(file);
  const suite = await loadSuite(name);
  if (!suite.configure)
    throw new UsageError(`suite ${name} takes no task file; name a suite that does with --suite (custom, coding-custom)`);
  try {
    return suite.configure(parseOptions(suite.options, { path: file }), { baseDir: process.cwd() });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function render(suite: Suite, results: readonly TaskCheck[]): string {
  const bad = results.filter((r) => r.problems.length > 0);
  const skipped = results.filter((r) => r.skipped);
  const lines = [
    `${suite.name}: ${results.length} task(s): ${results.length - bad.length - skipped.length} sound, ${bad.length} with problems, ${skipped.length} not checked`,
  ];
  for (const r of bad) for (const p of r.problems) lines.push(`  ${r.task}: ${p}`);
  for (const r of skipped) lines.push(`  ${r.task}: not checked: ${r.skipped}`);
  return lines.join('\n') + '\n';
}

export const tasksCheckCommand: CommandModule<object, CheckArgs> = {
  command: 'check <target>',
  describe:
    'Check that tasks can tell right from wrong: a reference solution/output must pass and a stub or empty output must fail (coding: canonical vs empty body; custom: reference vs empty output). Exit 0 sound, 1 a task that cannot tell, 2 bad input.',
  builder: (y) =>
    y
      .positional('target', {
        type: 'string',
        demandOption: true,
        describe: 'a task file (custom YAML/JSONL, coding JSONL) or a suite name',
      })
      .option('suite', {
        type: 'string',
        describe: 'the suite the task file is for (default: custom for YAML or JSONL with instructions, else coding-custom)',
      })
      .option('json', { type: 'boolean', default: false, describe: 'print JSON' })
      .example('$0 tasks check my-tasks.yaml', 'check your custom tasks')
      .example('$0 tasks check coding-tasks.jsonl --suite coding-custom', 'check your coding tasks'),
  handler: async (args) => {
    const suite = await suiteFor(args);
    if (!suite.checkTasks)
      throw new UsageError(`suite ${suite.name} cannot be checked this way (it has no reference solutions to check against)`);
    const results = await suite.checkTasks();
    process.stdout.write(args.json ? `${JSON.stringify({ suite: suite.name, results }, null, 2)}\n` : render(suite, results));
    process.exitCode = results.some((r) => r.problems.length > 0) ? EXIT.failed : EXIT.ok;
  },
};
