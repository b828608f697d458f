// After tsc: make the bin executable and publish the experiment JSON Schema next to the sources.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';

chmodSync('dist/harness/cli/main.js', 0o755);
const { experimentJsonSchema } = await import('../dist/harness/config/json-schema.js');
mkdirSync('schema', { recursive: true });
writeFileSync('schema/experiment.schema.json', JSON.stringify(experimentJsonSchema(), null, 2) + '\n');
