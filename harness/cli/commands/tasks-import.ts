// `dreambench tasks import --from FORMAT IN --out OUT`: task files people already have, converted to
// coding-custom's JSONL (humaneval-x, mbpp) or the custom suite's YAML (inspect, promptfoo). IN may be
// gzipped; ids are kept; fields that do not map, skipped rows and converted assertions are reported.
// The written file is validated as the suite would read it. Exit 0 written, 2 bad input.

import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { CommandModule } from 'yargs';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { formatIssue } from '../../core/data-files.js';
import { validateCodingTasks } from '../../../tasks/coding-custom/data.js';
import { validateCustomTasks } from '../../../tasks/custom/data.js';
import { fromHumanEvalX, fromMbpp } from '../../importers/coding.js';
import { fromInspect, fromPromptfoo } from '../../importers/custom.js';
import { ImportReport } from '../../importers/report.js';
import { UsageError } from '../exit.js';

const FORMATS = ['humaneval-x', 'mbpp', 'inspect', 'promptfoo'] as const;
type Format = (typeof FORMATS)[number];

interface ImportArgs {
  from: Format;
  input: string;
  out: string;
}

function readInput(file: string): string {
  try {
    const bytes = readFileSync(file);
    return file.endsWith('.gz') ? gunzipSync(bytes).toString('utf8') : bytes.toString('utf8');
  } catch (error) {
    throw new UsageError(`${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

/** Rows of a JSONL file, or of a JSON array. */
function rows(file: string, text: string): Array<Record<string, unknown>> {
  const trimmed = text.trim();
  try {
    if (trimmed.startsWith('[')) return JSON.parse(trimmed) as Array<Record<string, unknown>>;
    return trimmed
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  } catch (error) {
    throw new UsageError(`${file}: expected JSONL (one JSON object per line) or a JSON array (${(error as Error).message})`);
  }
}

export const tasksImportCommand: CommandModule<object, ImportArgs> = {
  command: 'import <input>',
  describe:
    'Convert a task file you already have (HumanEval-X, MBPP, Inspect AI dataset, promptfoo tests) into a coding-custom JSONL or a custom YAML file',
  builder: (y) =>
    y
      .positional('input', { type: 'string', demandOption: true, describe: 'the file to import (.gz read too)' })
      .option('from', { choices: FORMATS, demandOption: true, describe: 'its format' })
      .option('out', {
        type: 'string',
        demandOption: true,
        describe: 'the task file to write (.jsonl for humaneval-x and mbpp, .yaml for inspect and promptfoo)',
      })
      .example(
        '$0 tasks import --from humaneval-x humaneval_js.jsonl.gz --out js-tasks.jsonl',
        'HumanEval-X JavaScript into coding-custom',
      ),
  handler: (args) => {
    const text = readInput(args.input);
    const report = new ImportReport();
    let written: number;
    let issues;
    // Nothing importable: bad input, and no task file is written.
    const nothing = (count: number): void => {
      if (count > 0) return;
      throw new UsageError(
        `${args.input}: no ${args.from} row could be imported; nothing written\n${report.render(0, args.out).split('\n').slice(1).join('\n')}`,
      );
    };
    if (args.from === 'humaneval-x' || args.from === 'mbpp') {
      const tasks = args.from === 'mbpp' ? fromMbpp(rows(args.input, text), report) : fromHumanEvalX(rows(args.input, text), report);
      nothing(tasks.length);
      writeFileSync(args.out, tasks.map((t) => JSON.stringify(t)).join('\n') + '\n');
      written = tasks.length;
      issues = validateCodingTasks(args.out).issues;
    } else {
      let tasks;
      if (args.from === 'inspect') tasks = fromInspect(rows(args.input, text), report);
      else {
        const doc: unknown = parseYaml(text);
        if (!doc || typeof doc !== 'object' || Array.isArray(doc))
          throw new UsageError(`${args.input}: expected a promptfoo config (prompts, tests)`);
        tasks = fromPromptfoo(doc as Record<string, unknown>, report);
      }
      nothing(tasks.length);
      writeFileSync(
        args.out,
        `# Imported from ${args.input} (${args.from}) by dreambench tasks import.\n${stringifyYaml({ tasks }, { lineWidth: 0 })}`,
      );
      written = tasks.length;
      issues = validateCustomTasks(args.out).issues;
    }
    process.stdout.write(report.render(written, args.out));
    if (issues.length) {
      process.stderr.write(`The written file has ${issues.length} problem(s):\n${issues.map((i) => `  ${formatIssue(i)}`).join('\n')}\n`);
      process.exitCode = 2;
    }
  },
};
