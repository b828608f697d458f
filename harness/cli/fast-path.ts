// `dreambench --version` and `dreambench --help` answered without yargs or any command module:
// loading yargs alone costs more CPU than the whole answer should. The help text is laid out as
// yargs lays out the same commands (fast-path.test.ts compares the two), so nothing looks different.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../core/paths.js';
import { COMMANDS } from './command-table.js';

export const USAGE = '$0 <command> [options]\n\nMeasure whether self-improving agents really improve.';
export const EPILOGUE =
  'Exit codes: 0 done, 1 the run failed, 2 bad input (nothing written), 3 stopped early and resumable.\n' +
  'Results of sim:* models describe the harness, not any real model.';

export function version(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}

/** Columns of the help text: the terminal's width, at most 110 (as the yargs set-up in main.ts). */
export function helpWidth(): number {
  return Math.min(110, process.stdout.columns || 110);
}

/** The top-level help, in yargs' layout: usage, commands with their descriptions wrapped, options, epilogue. */
export function topLevelHelp(width = helpWidth()): string {
  const names = COMMANDS.map((c) => `dreambench ${c.command}`);
  // yargs gives the command column the longest name, at most half the width, plus 2 spaces each side.
  const nameWidth = Math.min(Math.max(...names.map((n) => n.length)), Math.floor(width * 0.5));
  const lines = [USAGE.replaceAll('$0', 'dreambench'), '', 'Commands:'];
  COMMANDS.forEach((c, i) => {
    const left = wrap(names[i]!, nameWidth);
    const right = wrap(c.describe, width - nameWidth - 4);
    for (let row = 0; row < Math.max(left.length, right.length); row++) {
      lines.push(`  ${(left[row] ?? '').padEnd(nameWidth)}  ${right[row] ?? ''}`.trimEnd());
    }
  });
  const flag = (text: string) => `${text.padEnd(width - '[boolean]'.length)}[boolean]`;
  lines.push('', 'Options:', flag('      --version  Show version number'), flag('  -h, --help     Show help'), '');
  for (const line of EPILOGUE.split('\n')) lines.push(...wrap(line, width));
  return lines.join('\n') + '\n';
}

/** Word wrap as yargs does it: a word longer than the width starts a line and is cut at the width. */
function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (let word of text.split(' ')) {
    if (word.length > width) {
      if (line) out.push(line);
      for (; word.length > width; word = word.slice(width)) out.push(word.slice(0, width));
      line = word;
    } else if (line && line.length + 1 + word.length > width) {
      out.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(line);
  return out;
}

/** Answers `--version` or `--help` alone on the command line; false for anything else. */
export function answerFast(argv: readonly string[], write: (text: string) => void = (t) => process.stdout.write(t)): boolean {
  if (argv.length !== 1) return false;
  if (argv[0] === '--version') write(`${version()}\n`);
  else if (argv[0] === '--help' || argv[0] === '-h') write(topLevelHelp());
  else return false;
  return true;
}
