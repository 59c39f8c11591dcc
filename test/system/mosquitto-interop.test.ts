// mqttprobe against Debian's mosquitto with mutual TLS: the round trip at every QoS over MQTT 3.1.1 and 5.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import { type JsonReport, renderJson } from '../../src/report/json-report.js';
import { tempDir } from '../helpers/scenario-files.js';
import { systemTest } from '../helpers/system.js';
import { pkiScenarioFile, writeBrokerPki } from './helpers/broker-pki.js';
import { startMosquitto } from './helpers/mosquitto.js';
import { describeRun, loadPlans, outcomeOf, runAll } from './helpers/run-scenarios.js';

describe('mosquitto with mutual TLS', () => {
  systemTest(
    'the round trip passes at QoS 0, 1 and 2 over MQTT 3.1.1 and MQTT 5',
    { commands: ['mosquitto'] },
    async (t) => {
      const dir = tempDir(t);
      const pki = await writeBrokerPki(dir);
      const broker = await startMosquitto(t, dir, pki);
      const plans = loadPlans(
        dir,
        pkiScenarioFile(
          broker.port,
          `  - name: round trip\n    matrix: { qos: [0, 1, 2], mqtt.version: ['3.1.1', 5] }\n`,
        ),
      );
      assert.equal(plans.length, 6);
      const report = await runAll(plans);
      assert.equal(report.summary.met, 6, describeRun(report));
      for (const outcome of report.scenarios) {
        const probe = outcome.representative;
        assert.equal(probe.ok, true);
        assert.deepEqual(
          probe.grantedQos,
          [probe.qos],
          `${outcome.plan.id}: mosquitto grants what was asked`,
        );
        assert.equal(probe.receivedQos, probe.qos);
        assert.equal(probe.tls?.verified, true);
        assert.equal(probe.connack?.reasonCode, 0);
        // QoS 0 has no PUBACK; QoS 1 and 2 time the acknowledgement (PUBACK or PUBCOMP).
        assert.equal(probe.phases.puback !== undefined, probe.qos > 0, `${outcome.plan.id}: puback timed`);
        const version = outcome.plan.mqttVersion;
        assert.equal(probe.connack?.protocolVersion, version === '5' ? 5 : 4);
        if (version === '5') {
          // mosquitto 2.0 always announces its receive maximum and topic alias maximum in CONNACK.
          assert.equal(
            typeof probe.connack?.properties?.receiveMaximum,
            'number',
            JSON.stringify(probe.connack),
          );
        } else {
          assert.equal(probe.connack?.properties, undefined);
        }
      }
    },
  );

  systemTest(
    'MQTT 5 CONNACK limits (maximum QoS, retain available) reach the result, and a QoS 2 request is downgraded',
    { commands: ['mosquitto'] },
    async (t) => {
      const dir = tempDir(t);
      const pki = await writeBrokerPki(dir);
      const broker = await startMosquitto(t, dir, pki, {
        extraConfig: ['max_qos 1', 'retain_available false'],
      });
      const plans = loadPlans(
        dir,
        pkiScenarioFile(
          broker.port,
          `  - { name: v5 qos 1, qos: 1, mqtt: { version: 5 } }\n  - { name: v5 qos 2, qos: 2, mqtt: { version: 5 }, steps: [connect, subscribe] }\n`,
        ),
      );
      const report = await runAll(plans);
      const qos1 = outcomeOf(report, 'v5 qos 1');
      assert.equal(qos1.verdict, 'pass', describeRun(report));
      assert.equal(qos1.representative.connack?.properties?.maximumQoS, 1);
      assert.equal(qos1.representative.connack?.properties?.retainAvailable, false);
      // And they reach the JSON report users get (`--format json`), through its real renderer.
      const json = JSON.parse(renderJson(report)) as JsonReport;
      const jsonScenario = json.scenarios.find((s) => s.id === 'v5 qos 1');
      assert.ok(jsonScenario);
      assert.deepEqual(jsonScenario.probes[0]?.connack?.properties, qos1.representative.connack?.properties);
      const qos2 = outcomeOf(report, 'v5 qos 2').representative;
      assert.deepEqual(qos2.grantedQos, [1]);
      assert.ok(
        qos2.warnings.some((w) => w.code === 'mqtt.qos-downgraded'),
        `warnings: ${JSON.stringify(qos2.warnings)}`,
      );
    },
  );

  systemTest(
    'a device certificate from another CA is refused by mosquitto',
    { commands: ['mosquitto'] },
    async (t) => {
      const dir = tempDir(t);
      const pki = await writeBrokerPki(dir);
      const broker = await startMosquitto(t, dir, pki);
      const strangerDir = tempDir(t);
      const stranger = await writeBrokerPki(strangerDir);
      const plans = loadPlans(
        dir,
        pkiScenarioFile(
          broker.port,
          `  - { name: stranger, auth: { type: x509, cert: ${stranger.clientCert}, key: ${stranger.clientKey} }, steps: [connect], expect: fail }\n`,
        ),
      );
      const report = await runAll(plans);
      const outcome = outcomeOf(report, 'stranger');
      assert.equal(outcome.verdict, 'expected-failure', describeRun(report));
      assert.match(outcome.diagnosis?.code ?? '', /^tls\.(client-cert-rejected|closed-during-handshake)$/);
    },
  );
});
