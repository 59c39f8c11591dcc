// The wrong protocol on a port, against mosquitto (a plain and a TLS listener) and the emulator's SNI rule: each
// verdict names what the port speaks, as mosquitto_pub, openssl s_client and paho-mqtt find it, never a
// certificate or a firewall.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import { startEmulator } from '../../src/emulator/index.js';
import { tempDir, writeFiles } from '../helpers/scenario-files.js';
import { systemTest } from '../helpers/system.js';
import { writeBrokerPki } from './helpers/broker-pki.js';
import { freePort } from './helpers/free-port.js';
import { startMosquitto } from './helpers/mosquitto.js';
import { runCommand } from './helpers/run-command.js';
import { describeRun, loadPlans, runAll } from './helpers/run-scenarios.js';

function scenario(options: { port: number; transport: string; endpoint?: string }): string {
  return `version: 1
defaults:
  endpoint: ${options.endpoint ?? 'localhost'}
  transport: ${options.transport}
  port: ${options.port}${
    options.transport === 'mqtt'
      ? ''
      : '\n  ca: ca.pem\n  auth: { type: x509, cert: client.pem, key: client-key.pem }'
  }
  timeout: 3s
scenarios:
  - name: wrong protocol
`;
}

/** mosquitto_pub of one QoS 1 message, with TLS (the broker's CA and the device certificate) or without. */
function mosquittoPub(dir: string, port: number, tls: boolean) {
  const tlsArgs = tls ? ['--cafile', 'ca.pem', '--cert', 'client.pem', '--key', 'client-key.pem'] : [];
  return runCommand(
    [
      'mosquitto_pub',
      '-h',
      'localhost',
      '-p',
      String(port),
      ...tlsArgs,
      '-t',
      'mqttprobe/w',
      '-m',
      'x',
      '-q',
      '1',
    ],
    { cwd: dir },
  );
}

/** mosquitto with its TLS listener (client certificate required) and a plain listener beside it. */
async function brokerWithTwoListeners(t: Parameters<Parameters<typeof systemTest>[2]>[0]) {
  const dir = tempDir(t);
  const pki = await writeBrokerPki(dir);
  const plainPort = await freePort();
  const broker = await startMosquitto(t, dir, pki, {
    extraConfig: [`listener ${plainPort} 127.0.0.1`, 'allow_anonymous true'],
  });
  return { dir, tlsPort: broker.port, plainPort, broker };
}

describe('the wrong protocol on a port', () => {
  /** mqtts to the plain listener, plain mqtt to the TLS one: mosquitto_pub works only the other way round. */
  const crossed = [
    {
      name: 'mqtts to a plain MQTT port is tls.not-tls (mosquitto resets the ClientHello without a byte; a plain CONNECT is answered)',
      listener: 'plain',
      transport: 'mqtts',
      code: 'tls.not-tls',
      says: /answers a plain MQTT CONNECT with CONNACK.*use transport mqtt/,
      neverSays: /firewall|certificate/,
    },
    {
      name: 'plain mqtt to a TLS port is mqtt.tls-port, not a certificate that is not ACTIVE',
      listener: 'tls',
      transport: 'mqtt',
      code: 'mqtt.tls-port',
      says: /this port speaks TLS.*use transport mqtts/,
      neverSays: /ACTIVE|policy/,
    },
  ] as const;
  for (const c of crossed) {
    systemTest(c.name, { commands: ['mosquitto', 'mosquitto_pub'] }, async (t) => {
      const { dir, tlsPort, plainPort } = await brokerWithTwoListeners(t);
      const port = c.listener === 'tls' ? tlsPort : plainPort;
      const wrong = await mosquittoPub(dir, port, c.transport === 'mqtts');
      assert.notEqual(
        wrong.code,
        0,
        `mosquitto_pub with ${c.transport} to the ${c.listener} listener must fail`,
      );
      const right = await mosquittoPub(dir, port, c.listener === 'tls');
      assert.equal(right.code, 0, `mosquitto_pub with the listener's own protocol: ${right.stderr}`);

      const report = await runAll(loadPlans(dir, scenario({ port, transport: c.transport })));
      const diagnosis = report.scenarios[0]!.diagnosis;
      assert.equal(diagnosis?.code, c.code, describeRun(report));
      const words = `${diagnosis?.message} | ${diagnosis?.hint}`;
      assert.match(words, c.says);
      assert.doesNotMatch(words, c.neverSays);
    });
  }

  systemTest(
    'wss to an MQTT-over-TLS port is ws.not-http with its cause in words, as paho-mqtt over websockets fails there',
    { commands: ['mosquitto', '/usr/bin/python3'] },
    async (t) => {
      const { dir, tlsPort } = await brokerWithTwoListeners(t);
      const paho = await runCommand(
        [
          '/usr/bin/python3',
          '-c',
          `import paho.mqtt.client as mqtt
c = mqtt.Client(transport="websockets")
c.tls_set(ca_certs="ca.pem", certfile="client.pem", keyfile="client-key.pem")
try:
    c.connect("localhost", ${tlsPort})
    print("connected")
except Exception as e:
    print("failed:", type(e).__name__, e)`,
        ],
        { cwd: dir },
      );
      assert.match(paho.stdout, /^failed:/, `paho-mqtt: ${paho.stdout}${paho.stderr}`);

      const report = await runAll(loadPlans(dir, scenario({ port: tlsPort, transport: 'wss' })));
      const outcome = report.scenarios[0]!;
      assert.equal(outcome.diagnosis?.code, 'ws.not-http', describeRun(report));
      assert.match(outcome.diagnosis?.message ?? '', /without an HTTP answer: this port does not speak HTTP/);
      assert.match(outcome.diagnosis?.hint ?? '', /use transport mqtts/);
      assert.doesNotMatch(outcome.diagnosis?.hint ?? '', /cause below/);
    },
  );

  systemTest(
    "the emulator's require-sni refuses an IP endpoint with tls.sni-refused, as openssl s_client sees the alert",
    { commands: ['openssl'] },
    async (t) => {
      const dir = tempDir(t);
      const emulator = await startEmulator({ faults: { refuseWithoutSni: true } });
      t.after(() => emulator.close());
      writeFiles(dir, {
        'ca.pem': emulator.ca,
        'client.pem': emulator.client.cert,
        'client-key.pem': emulator.client.key,
      });
      const truth = await runCommand(
        [
          'openssl',
          's_client',
          '-connect',
          `127.0.0.1:${emulator.ports.mqtts}`,
          '-noservername',
          '-CAfile',
          'ca.pem',
        ],
        { cwd: dir },
      );
      assert.match(truth.stderr, /unrecognized name/, truth.stderr);

      const report = await runAll(
        loadPlans(dir, scenario({ port: emulator.ports.mqtts, transport: 'mqtts', endpoint: '127.0.0.1' })),
      );
      const outcome = report.scenarios[0]!;
      assert.equal(outcome.diagnosis?.code, 'tls.sni-refused', describeRun(report));
      assert.match(
        outcome.diagnosis?.message ?? '',
        /requires SNI and none was sent \(the endpoint is an IP address/,
      );
      assert.match(outcome.diagnosis?.hint ?? '', /set servername/);
      // With the host name as SNI the same emulator admits the probe.
      const named = await runAll(
        loadPlans(dir, scenario({ port: emulator.ports.mqtts, transport: 'mqtts', endpoint: 'localhost' })),
      );
      assert.equal(named.summary.met, 1, describeRun(named));
    },
  );
});
