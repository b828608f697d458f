// After tsc: make the bin executable and publish the experiment JSON Schema next to the sources
// (with the option schemas of the built-in suites and arms).
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';

chmodSync('dist/harness/cli/main.js', 0o755);
const { experimentJsonSchema } = await import('../dist/harness/config/json-schema.js');
const { collectOptionSchemas } = await import('../dist/harness/registry/option-schemas.js');
mkdirSync('schema', { recursive: true });
writeFileSync('schema/experiment.schema.json', JSON.stringify(experimentJsonSchema(await collectOptionSchemas()), null, 2) + '\n');
