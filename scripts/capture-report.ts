// Captures a real run against the emulator as JSON, for the renderer tests' fixed input (test/fixtures/reports/).
// Rerun after a change to RunReport: `npx tsx scripts/capture-report.ts [mixed|demo|repeat] > test/fixtures/reports/NAME-run.json`.
//   mixed:  one scenario per verdict and diagnosis shape (the default)
//   demo:   scenarios/demo.yaml, the side-by-side port and QoS comparison
//   repeat: a port matrix with repeats (statistics) and a fixed client ID that looks like a thing name
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emulatorEnv, writeEmulatorCerts } from '../src/emulator/emulator-env.js';
import { startEmulator } from '../src/emulator/index.js';
import { runPlans } from '../src/run/run-plans.js';
import { loadScenarioText } from '../src/scenario/load-scenario-file.js';
import { emulatorScenarioHeader } from '../test/helpers/emulator.js';

// The renderer fixtures were captured with 1 s per phase; the rest is the tests' own emulator header.
const DEFAULTS = emulatorScenarioHeader({ timeout: '1s' });

const MIXED = `${DEFAULTS}  - name: aws 8883
  - name: aws 443 alpn
    port: \${MQTTPROBE_EMULATOR_ALPN_PORT}
    alpn: x-amzn-mqtt-ca
  - name: aws 443 no alpn
    port: \${MQTTPROBE_EMULATOR_ALPN_PORT}
    alpn: none
    steps: [connect]
    expect: mqtt.http-response
  - name: h2 only <&> "quoted"
    port: \${MQTTPROBE_EMULATOR_ALPN_PORT}
    alpn: h2
  - name: qos 2
    qos: 2
  - name: must be blocked
    steps: [connect]
    expect: tcp.timeout
  - name: repeated
    repeat: 5
  - name: insecure
    tls: { insecure: true }
    steps: [connect]
`;

const REPEAT = `${DEFAULTS}  - name: ports
    repeat: 5
    matrix:
      port:
        - \${MQTTPROBE_EMULATOR_MQTTS_PORT}
        - \${MQTTPROBE_EMULATOR_ALPN_PORT}
      alpn: [none, x-amzn-mqtt-ca]
  - name: fixed client id
    port: \${MQTTPROBE_EMULATOR_ALPN_PORT}
    alpn: x-amzn-mqtt-ca
    mqtt:
      clientId: kitchen-sensor-42
`;

const mode = process.argv[2] ?? 'mixed';
const texts: Record<string, () => string> = {
  mixed: () => MIXED,
  repeat: () => REPEAT,
  demo: () => readFileSync(new URL('../scenarios/demo.yaml', import.meta.url), 'utf8'),
};
const text = texts[mode];
if (!text) throw new Error(`unknown capture \`${mode}\`; one of: ${Object.keys(texts).join(', ')}`);

const emulator = await startEmulator();
const dir = mkdtempSync(join(tmpdir(), 'mqttprobe-capture-'));
try {
  const env = emulatorEnv(emulator, writeEmulatorCerts(emulator, dir));
  const file = `scenarios/${mode}.yaml`;
  writeFileSync(join(dir, `${mode}.yaml`), text());
  const loaded = loadScenarioText(file, text(), { env });
  if (loaded.errors.length > 0) throw new Error(JSON.stringify(loaded.errors, null, 2));
  const report = await runPlans(loaded.plans, { concurrency: 4 });
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
} finally {
  await emulator.close();
  rmSync(dir, { recursive: true, force: true });
}
