// What brokers tell us in CONNACK, against real ones: mosquitto's max_qos and max_packet_size are respected and
// named (mosquitto_pub as ground truth), and aedes's refusal of MQTT 5 gets the version fix.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { type AddressInfo, createServer } from 'node:net';
import { describe } from 'node:test';
import { promisify } from 'node:util';
import { Aedes } from 'aedes';
import { tempDir } from '../helpers/scenario-files.js';
import { systemTest } from '../helpers/system.js';
import { pkiScenarioFile, writeBrokerPki } from './helpers/broker-pki.js';
import { startMosquitto } from './helpers/mosquitto.js';
import { describeRun, loadPlans, outcomeOf, runAll } from './helpers/run-scenarios.js';

const run = promisify(execFile);

describe('CONNACK limits and refusals of real brokers', () => {
  systemTest(
    'mosquitto with max_qos 1 and max_packet_size 2048: nothing over the limits is sent, and the limit is named',
    { commands: ['mosquitto', 'mosquitto_pub'] },
    async (t) => {
      const dir = tempDir(t);
      const pki = await writeBrokerPki(dir);
      const broker = await startMosquitto(t, dir, pki, {
        extraConfig: ['max_qos 1', 'max_packet_size 2048'],
      });
      const plans = loadPlans(
        dir,
        pkiScenarioFile(
          broker.port,
          `  - { name: v5 qos 2, qos: 2, mqtt: { version: 5 }, expect: mqtt.qos-not-supported }
  - { name: v5 qos 1, qos: 1, mqtt: { version: 5 } }
  - { name: v5 large, qos: 1, payloadSize: 4000, mqtt: { version: 5 }, expect: mqtt.packet-over-server-limit }
  - { name: v3 qos 2, qos: 2, expect: mqtt.closed-after-publish }
`,
        ),
      );
      const report = await runAll(plans);
      assert.equal(report.summary.missed, 0, describeRun(report));

      const qos2 = outcomeOf(report, 'v5 qos 2');
      assert.match(qos2.diagnosis?.message ?? '', /Maximum QoS 1/);
      assert.match(qos2.diagnosis?.hint ?? '', /qos: 1/);
      const large = outcomeOf(report, 'v5 large');
      assert.match(large.diagnosis?.message ?? '', /Maximum Packet Size 2048 bytes/);

      // MQTT 3.1.1 cannot be told the limit: mosquitto enforces it by closing, and the hint says QoS first.
      const v3 = outcomeOf(report, 'v3 qos 2');
      assert.match(v3.diagnosis?.hint ?? '', /Maximum QoS .* try qos: 1/);
      const log = broker.output();
      const tooHigh = log.match(/Too high QoS in PUBLISH/g) ?? [];
      assert.equal(tooHigh.length, 1, `only the MQTT 3.1.1 probe sent QoS 2; mosquitto said:\n${log}`);
      assert.doesNotMatch(log, /exceeds maximum packet size|oversize/i, 'the large PUBLISH was never sent');

      // Ground truth: mosquitto's own client refuses to send QoS 2 after the same CONNACK.
      const pub = await run(
        'mosquitto_pub',
        [
          ...[
            '-h',
            '127.0.0.1',
            '-p',
            String(broker.port),
            '-V',
            'mqttv5',
            '-q',
            '2',
            '-t',
            'a/b',
            '-m',
            'x',
          ],
          ...['--cafile', pki.ca, '--cert', pki.clientCert, '--key', pki.clientKey, '--insecure'],
        ],
        { timeout: 10_000 },
      ).catch((error: { stdout: string; stderr: string }) => error);
      assert.match(pub.stderr, /QoS not supported/);
    },
  );

  systemTest(
    'aedes, which speaks MQTT 3.1.1 only, refuses MQTT 5: its own code, and the fix names mqtt.version',
    {},
    async (t) => {
      // A bare aedes broker (the emulator now bridges MQTT 5 to it, so it no longer refuses it).
      const broker = await Aedes.createBroker();
      const server = createServer(broker.handle);
      server.listen(0, '127.0.0.1');
      await once(server, 'listening');
      t.after(async () => {
        server.close();
        await new Promise<void>((resolve) => broker.close(() => resolve()));
      });
      const port = (server.address() as AddressInfo).port;
      const plans = loadPlans(
        tempDir(t),
        `version: 1
defaults: { endpoint: 127.0.0.1, port: ${port}, transport: mqtt, timeout: 3s }
scenarios:
  - name: v5
    mqtt:
      version: 5
    expect: mqtt.protocol-version-refused
  - name: v3
`,
      );
      const report = await runAll(plans);
      assert.equal(report.summary.missed, 0, describeRun(report));
      const v5 = outcomeOf(report, 'v5');
      assert.match(v5.diagnosis?.hint ?? '', /mqtt: \{ version: 3\.1\.1 \}/);
      assert.doesNotMatch(v5.diagnosis?.hint ?? '', /client ID|policy/);
    },
  );
});
