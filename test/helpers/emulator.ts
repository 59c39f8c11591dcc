// Starts the embedded emulator for one test, with its certificates on disk and the MQTTPROBE_EMULATOR_* variables.
import type { TestContext } from 'node:test';
import { emulatorEnv, writeEmulatorCerts } from '../../src/emulator/emulator-env.js';
import { type Emulator, type EmulatorOptions, startEmulator } from '../../src/emulator/index.js';
import { tempDir } from './scenario-files.js';

/** A running emulator closed when the test ends, plus the env that scenarios/demo.yaml reads. */
export async function startTestEmulator(
  t: TestContext,
  options: EmulatorOptions = {},
): Promise<{ emulator: Emulator; env: Record<string, string>; dir: string }> {
  const emulator = await startEmulator(options);
  t.after(() => emulator.close());
  const dir = tempDir(t);
  return { emulator, env: emulatorEnv(emulator, writeEmulatorCerts(emulator, dir)), dir };
}
