import type { CommandModule } from 'yargs';
import { experimentJsonSchema } from '../../config/json-schema.js';

export const schemaCommand: CommandModule<object, object> = {
  command: 'schema',
  describe: 'Print the JSON Schema of experiment files (also in schema/experiment.schema.json)',
  handler: () => {
    process.stdout.write(JSON.stringify(experimentJsonSchema(), null, 2) + '\n');
  },
};
