// mqttprobe against nginx routing an AWS-style port 443 by ALPN, in front of mosquitto with mutual TLS.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import { tempDir } from '../helpers/scenario-files.js';
import { systemTest } from '../helpers/system.js';
import { writeBrokerPki } from './helpers/broker-pki.js';
import { startMosquitto } from './helpers/mosquitto.js';
import { startNginxAlpnRouter } from './helpers/nginx-alpn-router.js';
import { describeRun, loadPlans, outcomeOf, runAll } from './helpers/run-scenarios.js';

const needs = { commands: ['mosquitto', 'nginx', '/usr/lib/nginx/modules/ngx_stream_module.so'] };

describe('nginx ALPN router in front of mosquitto', () => {
  systemTest('ALPN x-amzn-mqtt-ca passes, no ALPN is HTTPS, ALPN h2 alone is rejected', needs, async (t) => {
    const dir = tempDir(t);
    const pki = await writeBrokerPki(dir);
    const broker = await startMosquitto(t, dir, pki);
    const router = await startNginxAlpnRouter(t, dir, pki, broker);
    const plans = loadPlans(
      dir,
      `version: 1
defaults:
  endpoint: 127.0.0.1
  servername: localhost
  ca: ca.pem
  auth: { type: x509, cert: client.pem, key: client-key.pem }
  port: ${router.routerPort}
  timeout: 3s
scenarios:
  - { name: routed by alpn, alpn: x-amzn-mqtt-ca }
  - { name: routed by alpn v5, alpn: x-amzn-mqtt-ca, mqtt: { version: 5 }, qos: 0 }
  - { name: no alpn, alpn: none, steps: [connect], expect: mqtt.http-response }
  - { name: h2 only, alpn: h2, steps: [connect], expect: tls.alpn-rejected }
  - { name: terminated with alpn, port: ${router.terminatingPort}, alpn: x-amzn-mqtt-ca }
  - { name: terminated h2 only, port: ${router.terminatingPort}, alpn: h2, steps: [connect], expect: tls.alpn-rejected }
`,
    );
    const report = await runAll(plans);
    assert.equal(report.summary.missed, 0, describeRun(report));

    // ssl_preread passes the TLS session through, so mosquitto ends it and no ALPN comes back.
    const routed = outcomeOf(report, 'routed by alpn').representative;
    assert.deepEqual(routed.tls?.offeredAlpn, ['x-amzn-mqtt-ca']);
    assert.equal(routed.tls?.negotiatedAlpn, undefined);

    const http = outcomeOf(report, 'no alpn').diagnosis;
    assert.equal(http?.code, 'mqtt.http-response');
    if (http?.code === 'mqtt.http-response') assert.match(http.evidence.statusLine, /^HTTP\/1\.1 400/);

    const h2 = outcomeOf(report, 'h2 only').diagnosis;
    assert.equal(h2?.code, 'tls.alpn-rejected');
    if (h2?.code === 'tls.alpn-rejected') assert.deepEqual(h2.evidence.offeredAlpn, ['h2']);

    // Where nginx ends TLS itself it echoes the protocol, as AWS IoT does.
    const terminated = outcomeOf(report, 'terminated with alpn').representative;
    assert.equal(terminated.tls?.negotiatedAlpn, 'x-amzn-mqtt-ca');
  });
});
