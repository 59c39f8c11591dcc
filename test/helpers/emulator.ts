// Starts the embedded emulator for one test, with its certificates on disk and the MQTTPROBE_EMULATOR_* variables.
import { after, afterEach, before, type TestContext } from 'node:test';
import { emulatorEnv, writeEmulatorCerts } from '../../src/emulator/emulator-env.js';
import { type Emulator, type EmulatorOptions, startEmulator } from '../../src/emulator/index.js';
import { NO_FAULTS } from '../../src/emulator/options.js';
import { makePlan, type PlanOverrides, x509Auth } from './make-plan.js';
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

/** What a test may change in the emulator scenario header; every other default stays as below. */
export interface EmulatorHeaderOptions {
  /** `endpoint:` (default the emulator's host); `aws` goes through the DescribeEndpoint stub. */
  endpoint?: string;
  /** The `servername:` line; `false` leaves it out (default `localhost`, the emulator's certificate name). */
  servername?: string | false;
  /** `timeout:` per phase (default 2s); `false` leaves it out. */
  timeout?: string | false;
  /** More `defaults:` lines, each indented by two spaces. */
  extra?: string[];
}

/**
 * The start of a scenario file aimed at a test's own emulator through its MQTTPROBE_EMULATOR_* variables: x509 with
 * its device certificate on its "8883", a 2 s timeout per phase unless told otherwise. Append `scenarios:` entries.
 */
export function emulatorScenarioHeader(options: EmulatorHeaderOptions = {}): string {
  const {
    endpoint = '${MQTTPROBE_EMULATOR_HOST}',
    servername = 'localhost',
    timeout = '2s',
    extra = [],
  } = options;
  return [
    'version: 1',
    'defaults:',
    `  endpoint: ${endpoint}`,
    ...extra.map((line) => `  ${line}`),
    ...(servername === false ? [] : [`  servername: ${servername}`]),
    '  ca: ${MQTTPROBE_EMULATOR_CA}',
    '  auth:',
    '    type: x509',
    '    cert: ${MQTTPROBE_EMULATOR_CERT}',
    '    key: ${MQTTPROBE_EMULATOR_KEY}',
    '  port: ${MQTTPROBE_EMULATOR_MQTTS_PORT}',
    ...(timeout === false ? [] : [`  timeout: ${timeout}`]),
    'scenarios:',
    '',
  ].join('\n');
}

/** The default header: the emulator's host, `servername: localhost`, 2 s per phase. */
export const EMULATOR_SCENARIO_HEADER = emulatorScenarioHeader();

/** A plan for an emulator's "8883" with its CA and client certificate, plus overrides. */
export function emulatorPlan(emulator: Emulator, overrides: PlanOverrides = {}) {
  return makePlan({
    endpoint: emulator.hostname,
    port: emulator.ports.mqtts,
    transport: 'mqtts',
    ca: { path: '/test/ca.pem', pem: emulator.ca },
    auth: x509Auth(emulator.client),
    ...overrides,
  });
}

/**
 * One emulator for a whole test file: started before its first test, its faults and policies reset after each test,
 * closed after the last. Read it as `shared.emulator`.
 */
export function useSharedEmulator(): { readonly emulator: Emulator } {
  let emulator: Emulator | undefined;
  before(async () => {
    emulator = await startEmulator();
  });
  afterEach(() => {
    emulator?.setFaults(NO_FAULTS);
    emulator?.setPolicies({});
  });
  after(() => emulator?.close());
  return {
    get emulator(): Emulator {
      if (!emulator) throw new Error('the shared emulator is read before its before() hook ran');
      return emulator;
    },
  };
}
