// `mqttprobe demo`: starts the embedded AWS IoT Core look-alike, runs scenarios/demo.yaml against it, stops it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { type CliIo, EXIT } from './io.js';
import { runAndReport } from './run.js';
import { loadAndReport } from './validate.js';

/** The demo scenario ships with the package, beside dist/. */
const DEMO_FILE = fileURLToPath(new URL('../../scenarios/demo.yaml', import.meta.url));

export function registerDemo(program: Command, io: CliIo): void {
  program
    .command('demo')
    .description(
      'run the port and QoS comparison against the embedded AWS IoT Core emulator (no account needed)',
    )
    .action(async () => {
      const [{ startEmulator }, { emulatorEnv, writeEmulatorCerts }] = await Promise.all([
        import('../emulator/index.js'),
        import('../emulator/emulator-env.js'),
      ]);
      const emulator = await startEmulator();
      const dir = mkdtempSync(join(tmpdir(), 'mqttprobe-demo-'));
      try {
        const env = { ...io.env, ...emulatorEnv(emulator, writeEmulatorCerts(emulator, dir)) };
        io.stderr.write(
          io.style.stderr.dim(
            `emulator: "8883" on ${emulator.host}:${emulator.ports.mqtts}, "443" on ${emulator.host}:${emulator.ports.alpn}\n`,
          ),
        );
        const { loaded, ok } = loadAndReport([DEMO_FILE], { ...io, env });
        if (!ok) {
          io.setExitCode(EXIT.badInput);
          return;
        }
        io.setExitCode(
          await runAndReport(
            loaded.flatMap((l) => l.plans),
            { concurrency: 8 },
            io,
          ),
        );
      } finally {
        await emulator.close();
        rmSync(dir, { recursive: true, force: true });
      }
    });
}
