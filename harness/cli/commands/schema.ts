// `dreambench schema [--experiment FILE]`: the JSON Schema of experiment files, with the option
// schemas of every built-in suite and arm, and of the external ones FILE names.

import type { CommandModule } from 'yargs';
import { experimentJsonSchema } from '../../config/json-schema.js';
import { readExperimentFile } from '../../config/load.js';
import { collectOptionSchemas, type ExperimentRefs } from '../../registry/option-schemas.js';

export const schemaCommand: CommandModule<object, { experiment?: string }> = {
  command: 'schema',
  describe:
    'Print the JSON Schema of experiment files (also in schema/experiment.schema.json); with --experiment, including the options of the suites and arms it names from outside the package',
  builder: (y) =>
    y.option('experiment', {
      type: 'string',
      describe: 'an experiment file whose external suites and arms (paths, npm packages) add their option schemas',
    }),
  handler: async (args) => {
    const refs = args.experiment ? (readExperimentFile(args.experiment) as ExperimentRefs) : {};
    process.stdout.write(JSON.stringify(experimentJsonSchema(await collectOptionSchemas(refs)), null, 2) + '\n');
  },
};
