import { readFileSync } from 'node:fs';
import type { CommandModule } from 'yargs';
import { UsageError } from '../exit.js';
import { isRunDir } from '../../runner/runner.js';
import { loadExperimentSuites } from '../../registry/suites.js';
import { recordLeakScan, renderLeakScan, scanRun } from '../../controls/leak-scan.js';
import type { Manifest } from '../../storage/manifest.js';
import { RunDir, writeJsonAtomic } from '../../storage/run-dir.js';

interface LeakScanArgs {
  'run-dir': string;
  json?: boolean;
  seen?: boolean;
  record?: boolean;
}

export const leakScanCommand: CommandModule<object, LeakScanArgs> = {
  command: 'leak-scan <run-dir>',
  describe: 'Check that no memory snapshot holds gold answers, hidden tests or checker internals (exit 1 on a leak)',
  builder: (y) =>
    y
      .positional('run-dir', { type: 'string', demandOption: true, describe: 'the run directory' })
      .option('json', { type: 'boolean', default: false, describe: 'print the result as JSON' })
      .option('seen', {
        type: 'boolean',
        default: false,
        describe: 'also list memory entries that hold task text the agent saw or wrote itself (not leaks)',
      })
      .option('record', {
        type: 'boolean',
        default: true,
        describe: "write the result into the run's manifest (leak_scan, and invalid on a leak); --no-record to only print",
      })
      .epilogue(
        "Markers: a suite's Suite.leakMarkers (coding: canonical solutions and hidden tests), else the long strings of each task's expected; and the pitfall table's descriptions. " +
          "Text the agent was shown (prompt, files, rubric) is no secret. A hit the chain's own transcripts show (the agent read or wrote it) is listed as seen, not a leak. " +
          'Exit codes: 0 clean, 1 a leak (the run is invalid), 2 bad input.',
      )
      .example('$0 leak-scan runs/quickstart', 'scan every memory snapshot of a run'),
  handler: async (args) => {
    const runDir = args['run-dir'];
    if (!isRunDir(runDir)) throw new UsageError(`${runDir}: not a run directory (no manifest.json)`);
    const dir = new RunDir(runDir);
    const manifest = JSON.parse(readFileSync(dir.manifestPath, 'utf8')) as Manifest;
    let suites;
    try {
      suites = await loadExperimentSuites(manifest.experiment);
    } catch (error) {
      throw new UsageError(`${runDir}: cannot load the run's suites to build the markers (${(error as Error).message})`);
    }
    const record = args.record !== false;
    const result = record ? recordLeakScan(runDir, manifest, suites) : scanRun(runDir, suites.values());
    if (record) writeJsonAtomic(dir.manifestPath, manifest);
    process.stdout.write(args.json ? `${JSON.stringify(result, null, 2)}\n` : renderLeakScan(result, { seen: args.seen ?? false }));
    process.exitCode = result.status === 'leak' ? 1 : 0;
  },
};
