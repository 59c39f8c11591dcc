// A second client with the probe's fixed client ID, against Debian's mosquitto (2.0.11): it closes the older
// connection without a DISCONNECT, over MQTT 3.1.1 and MQTT 5 alike (0x8E came in 2.0.15), so the verdict is a
// close, and the hint names the takeover among its causes because the ID was fixed. The DISCONNECT 0x8E that
// AWS IoT sends is tested against a broker that takes over as AWS does (test/probe/server-disconnect.test.ts).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe } from 'node:test';
import { inspect } from 'node:util';
import mqtt, { type MqttClient } from 'mqtt';
import { runProbe } from '../../src/probe/run-probe.js';
import { tempDir } from '../helpers/scenario-files.js';
import { systemTest } from '../helpers/system.js';
import { type BrokerPki, writeBrokerPki } from './helpers/broker-pki.js';
import { type Mosquitto, startMosquitto } from './helpers/mosquitto.js';
import { loadPlans } from './helpers/run-scenarios.js';

const CLIENT_ID = 'line-3-probe';
const WATCHED = 'takeover/watched';

/** An MQTT.js client with the device certificate, connected. */
async function connectClient(
  broker: Mosquitto,
  pki: BrokerPki,
  options: { clientId: string; protocolVersion: 4 | 5 },
): Promise<MqttClient> {
  return mqtt.connectAsync({
    protocol: 'mqtts',
    host: broker.host,
    port: broker.port,
    servername: 'localhost',
    ca: readFileSync(pki.ca),
    cert: readFileSync(pki.clientCert),
    key: readFileSync(pki.clientKey),
    reconnectPeriod: 0,
    ...options,
  });
}

describe('a client-ID takeover at mosquitto', () => {
  for (const version of [5, 4] as const) {
    systemTest(
      `MQTT ${version === 5 ? '5' : '3.1.1'}: a second connection with the fixed client ID is a close whose hint names the takeover`,
      { commands: ['mosquitto'] },
      async (t) => {
        const dir = tempDir(t);
        const pki = await writeBrokerPki(dir);
        const broker = await startMosquitto(t, dir, pki);
        const [plan] = loadPlans(
          dir,
          `version: 1
scenarios:
  - name: fixed id
    endpoint: 127.0.0.1
    servername: localhost
    port: ${broker.port}
    ca: ca.pem
    auth: { type: x509, cert: client.pem, key: client-key.pem }
    mqtt: { clientId: ${CLIENT_ID}, version: ${version === 5 ? '5' : "'3.1.1'"} }
    topic: ${WATCHED}
    qos: 0
    hold: 30s
    timeout: 5s
`,
        );
        assert.ok(plan);
        // The watcher sees the probe's message, so the probe is connected when the second client comes.
        const watcher = await connectClient(broker, pki, { clientId: 'watcher', protocolVersion: version });
        t.after(() => watcher.endAsync(true));
        await watcher.subscribeAsync(WATCHED);
        const published = new Promise((resolve) => watcher.once('message', resolve));
        const probing = runProbe(plan);
        await published;
        const intruder = await connectClient(broker, pki, { clientId: CLIENT_ID, protocolVersion: version });
        t.after(() => intruder.endAsync(true));
        const result = await probing;

        assert.equal(result.ok, false);
        const d = result.diagnosis;
        // The close may land while the echo is still on its way (receive) or in hold.
        assert.ok(
          d?.code === 'mqtt.connection-dropped' || d?.code === 'mqtt.closed-after-publish',
          inspect(d, { depth: 4 }),
        );
        assert.equal(
          result.serverDisconnect,
          undefined,
          'mosquitto 2.0.11 sends no DISCONNECT on a takeover',
        );
        assert.match(
          d.hint,
          /another connection with the fixed client ID "line-3-probe" took the session over/,
        );
      },
    );
  }
});
