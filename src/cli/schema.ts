// `mqttprobe schema`: prints the scenario file's JSON Schema, for editors and CI linters.
import type { Command } from 'commander';
import type { CliIo } from './io.js';

export function registerSchema(program: Command, io: CliIo): void {
  program
    .command('schema')
    .description('print the JSON Schema of scenario files (also in schema/scenario.schema.json)')
    .action(async () => {
      const { scenarioJsonSchema } = await import('../scenario/schema.js');
      io.stdout.write(`${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`);
    });
}
