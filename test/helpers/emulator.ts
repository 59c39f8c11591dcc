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

/**
 * The start of a scenario file aimed at a test's own emulator through its MQTTPROBE_EMULATOR_* variables: x509 with
 * its device certificate on its "8883", a 2 s timeout per phase. Append `scenarios:` entries.
 */
export const EMULATOR_SCENARIO_HEADER = `version: 1
defaults:
  endpoint: \${MQTTPROBE_EMULATOR_HOST}
  servername: localhost
  ca: \${MQTTPROBE_EMULATOR_CA}
  auth:
    type: x509
    cert: \${MQTTPROBE_EMULATOR_CERT}
    key: \${MQTTPROBE_EMULATOR_KEY}
  port: \${MQTTPROBE_EMULATOR_MQTTS_PORT}
  timeout: 2s
scenarios:
`;
