// Writes schema/scenario.schema.json from the zod schema, its single source; a test fails when the file is stale.
import { writeFileSync } from 'node:fs';
import { scenarioJsonSchema } from '../src/scenario/schema.js';

const target = new URL('../schema/scenario.schema.json', import.meta.url);
writeFileSync(target, `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`);
console.log(`wrote ${target.pathname}`);
