// `dreambench plan EXPERIMENT`: a seeded pilot of the experiment (or, with --from, earlier runs or a
// response cache of the same suites and model), then a forecast of the full run's tokens, cost and
// time, and the power of its design (harness/plan/). Exit 0 with the forecast, 2 for bad input or
// --from data that cannot predict the experiment (nothing written), 1 when the pilot failed.

import { join } from 'node:path';
import type { CommandModule } from 'yargs';
import { readExperimentFile, validateExperiment } from '../../config/load.js';
import { planExperiment } from '../../plan/plan.js';
import { PlanSourceError } from '../../plan/sources.js';
import { renderPlan } from '../../plan/render.js';
import { UsageError } from '../exit.js';
import { knownNames, requestedSuites } from '../known-names.js';
import { progressFor } from '../progress-choice.js';

interface PlanArgs {
  file: string;
  pilot?: number;
  out?: string;
  from?: string[];
  'target-effect'?: number;
  power: number;
  level: number;
  json: boolean;
}

export const planCommand: CommandModule<object, PlanArgs> = {
  command: 'plan <file>',
  describe: 'Run a small pilot of an experiment, then forecast the full run: tokens, cost, time and statistical power',
  builder: (y) =>
    y
      .positional('file', { type: 'string', demandOption: true, describe: 'experiment file (.yaml, .yml or .json)' })
      .option('pilot', {
        type: 'number',
        describe: 'trials per arm in the pilot, at least (rounded up to whole sessions of replicate 1; default: two sessions)',
      })
      .option('out', {
        type: 'string',
        describe: 'the pilot run directory (default runs/<name>-pilot); an existing one is resumed or read; the full run resumes from it',
      })
      .option('from', {
        type: 'string',
        array: true,
        describe:
          'forecast from earlier run directories or a response cache of the same suites and model instead of running a pilot (repeatable)',
      })
      .option('target-effect', { type: 'number', describe: 'an effect to detect, in percentage points: pairs and replicates needed' })
      .option('power', { type: 'number', default: 0.8, describe: 'target power for the detectable effect' })
      .option('level', { type: 'number', default: 0.9, describe: 'coverage of the forecast intervals' })
      .option('json', { type: 'boolean', default: false, describe: 'print the plan as JSON' }),
  handler: async (args) => {
    if (!(args.power > 0 && args.power < 1)) throw new UsageError(`--power: expected a number between 0 and 1, got ${args.power}`);
    if (!(args.level > 0 && args.level < 1)) throw new UsageError(`--level: expected a number between 0 and 1, got ${args.level}`);
    if (args.pilot !== undefined && !(Number.isInteger(args.pilot) && args.pilot > 0))
      throw new UsageError(`--pilot: expected a positive whole number of trials, got ${args.pilot}`);
    const raw = readExperimentFile(args.file);
    const experiment = validateExperiment(args.file, raw, {}, await knownNames(requestedSuites(raw, undefined)));
    const runDir = args.out ?? join('runs', `${experiment.name}-pilot`);
    if (args.from && args.pilot !== undefined)
      throw new UsageError('--pilot and --from exclude each other: --from reads data instead of running a pilot');
    const result = await planExperiment({
      experiment,
      runDir,
      ...(args.from?.length ? { from: args.from } : {}),
      ...(args.pilot !== undefined ? { pilotTrials: args.pilot } : {}),
      ...(args['target-effect'] !== undefined ? { targetEffect: args['target-effect'] } : {}),
      power: args.power,
      level: args.level,
      ...(args.json ? {} : { progress: progressFor('auto') }),
    }).catch((error: unknown) => {
      if (error instanceof PlanSourceError) throw new UsageError(error.message);
      throw error;
    });
    process.stdout.write(args.json ? `${JSON.stringify(result, null, 2)}\n` : renderPlan(result));
  },
};
