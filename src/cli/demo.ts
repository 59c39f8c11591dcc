// `mqttprobe demo`: the port and QoS comparison of scenarios/demo.yaml against the embedded AWS IoT Core emulator.
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { type CliIo, EXIT } from './io.js';
import { addOutputOptions, type OutputFlags, parseOutputFlags } from './output-options.js';
import { runAndReport } from './run.js';
import { loadAndReport } from './validate.js';

/** The demo scenario ships with the package, beside dist/. */
const DEMO_FILE = fileURLToPath(new URL('../../scenarios/demo.yaml', import.meta.url));

export function registerDemo(program: Command, io: CliIo): void {
  const command = program
    .command('demo')
    .description(
      'compare ports, ALPN and QoS against the embedded AWS IoT Core emulator (no account needed)',
    );
  addOutputOptions(command).action(async (flags: OutputFlags) => {
    const output = parseOutputFlags(flags);
    const { loaded, ok } = await loadAndReport([DEMO_FILE], io);
    if (!ok) {
      io.setExitCode(EXIT.badInput);
      return;
    }
    io.setExitCode(
      await runAndReport(
        loaded.flatMap((l) => l.plans),
        { concurrency: 8, output },
        io,
      ),
    );
  });
}
