// Start-up cost of the command line, as process CPU time (user + system) of `dreambench --version`,
// `--help` and a few commands, next to bare `node -e 0`. The bin must answer --version and --help
// in under 150 ms of CPU: they load neither yargs nor any command module (harness/cli/fast-path.ts).
// CPU time is read from this process's children totals in /proc/self/stat (Linux), which count each
// child once it has been waited for; wall time on a loaded machine would measure the other jobs.
//
//   npm run build && npm run build:dev && node dist-dev/scripts/bench-startup.js [--runs 20]

import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../harness/core/paths.js';

const runsFlag = process.argv.indexOf('--runs');
const runs = runsFlag >= 0 ? Number(process.argv[runsFlag + 1]) : 20;
if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs: expected a positive integer');

const bin = join(packageRoot(), 'dist', 'harness', 'cli', 'main.js');
const ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

/** CPU seconds of every waited-for child so far: cutime + cstime, fields 16 and 17 of /proc/self/stat. */
function childrenCpuMs(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields from the third on
  return ((Number(fields[13]) + Number(fields[14])) / ticksPerSecond) * 1000;
}

function cpuPerRun(args: string[]): number {
  const before = childrenCpuMs();
  for (let i = 0; i < runs; i++) {
    const result = spawnSync(process.execPath, args, { stdio: 'ignore' });
    if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited with ${result.status}`);
  }
  return (childrenCpuMs() - before) / runs;
}

const cases: Array<[string, string[]]> = [
  ['node -e 0 (bare node, for scale)', ['-e', '0']],
  ['dreambench --version', [bin, '--version']],
  ['dreambench --help', [bin, '--help']],
  ['dreambench list --help', [bin, 'list', '--help']],
  ['dreambench run --help', [bin, 'run', '--help']],
];
const rows = cases.map(([label, args]) => ({ command: label, 'CPU ms per run': Math.round(cpuPerRun(args)) }));
console.log(`Process CPU time (user + system), mean of ${runs} runs each; clock tick ${1000 / ticksPerSecond} ms.`);
console.table(rows);
const slow = rows.filter((r) => /--version$|dreambench --help$/.test(r.command) && r['CPU ms per run'] >= 150);
if (slow.length) console.log(`Over the 150 ms goal: ${slow.map((r) => r.command).join(', ')}`);
