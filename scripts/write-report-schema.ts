// Writes schema/report.schema.json from the zod schema in src/report/report-schema.ts, its single source; a test fails
// when the file is stale.
import { writeFileSync } from 'node:fs';
import { reportJsonSchema } from '../src/report/report-schema.js';

const target = new URL('../schema/report.schema.json', import.meta.url);
writeFileSync(target, `${JSON.stringify(reportJsonSchema(), null, 2)}\n`);
console.log(`wrote ${target.pathname}`);
