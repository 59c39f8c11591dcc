// `mqttprobe schema [scenario|report]`: prints a JSON Schema, for editors (scenario files) and CI (JSON reports).
import type { Command } from 'commander';
import { type CliIo, UsageError } from './io.js';

export function registerSchema(program: Command, io: CliIo): void {
  program
    .command('schema')
    .description('print the JSON Schema of scenario files, or of the JSON report (also in schema/)')
    .argument('[which]', '`scenario` (default) or `report`', 'scenario')
    .action(async (which: string) => {
      if (which === 'scenario') {
        const { scenarioJsonSchema } = await import('../scenario/schema.js');
        io.stdout.write(`${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`);
      } else if (which === 'report') {
        const { reportJsonSchema } = await import('../report/report-schema.js');
        io.stdout.write(`${JSON.stringify(reportJsonSchema(), null, 2)}\n`);
      } else {
        throw new UsageError(
          `no schema called ${which}`,
          'use `mqttprobe schema scenario` or `mqttprobe schema report`',
        );
      }
    });
}
