// mqttprobe inside a network namespace whose firewall drops or rejects the MQTT port while 443 stays open.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, type TestContext } from 'node:test';
import { tempDir } from '../helpers/scenario-files.js';
import { systemTest } from '../helpers/system.js';
import { writeBrokerPki } from './helpers/broker-pki.js';
import { startMosquitto } from './helpers/mosquitto.js';
import { createNetworkNamespace, type NetworkNamespace } from './helpers/network-namespace.js';
import { startNginxAlpnRouter } from './helpers/nginx-alpn-router.js';
import { runInNamespace } from './helpers/run-in-namespace.js';
import { describeRun, outcomeOf } from './helpers/run-scenarios.js';

const needs = {
  root: true,
  commands: ['ip', 'iptables', 'mosquitto', 'nginx', '/usr/lib/nginx/modules/ngx_stream_module.so'],
};
const TIMEOUT_MS = 2000;

/** mosquitto ("8883") and the nginx ALPN router ("443") on the root side of a fresh namespace's veth. */
async function restrictedSite(t: TestContext) {
  const ns = createNetworkNamespace(t);
  const dir = tempDir(t);
  const pki = await writeBrokerPki(dir, { extraAltNames: [ns.hostAddress] });
  const broker = await startMosquitto(t, dir, pki, { host: ns.hostAddress });
  const router = await startNginxAlpnRouter(t, dir, pki, broker, { host: ns.hostAddress });
  const file = (name: string, scenarios: string) => {
    const path = join(dir, name);
    writeFileSync(
      path,
      `version: 1
defaults:
  endpoint: ${ns.hostAddress}
  ca: ca.pem
  auth: { type: x509, cert: client.pem, key: client-key.pem }
  timeout: ${TIMEOUT_MS}ms
scenarios:
${scenarios}`,
    );
    return path;
  };
  return { ns, mqttPort: broker.port, alpnPort: router.routerPort, file };
}

function block(ns: NetworkNamespace, port: number, target: string[]) {
  ns.iptables(['-A', 'OUTPUT', '-p', 'tcp', '-d', ns.hostAddress, '--dport', String(port), '-j', ...target]);
}

describe('restricted networks in a namespace', () => {
  systemTest(
    'a DROPped MQTT port is tcp.timeout within the timeout, while 443 with ALPN passes',
    needs,
    async (t) => {
      const site = await restrictedSite(t);
      block(site.ns, site.mqttPort, ['DROP']);
      const file = site.file(
        'drop.yaml',
        `  - { name: mqtt port, port: ${site.mqttPort}, expect: tcp.timeout }
  - { name: 443 alpn, port: ${site.alpnPort}, alpn: x-amzn-mqtt-ca }
`,
      );
      const { report } = await runInNamespace(site.ns, file);
      assert.equal(report.summary.missed, 0, describeRun(report));
      const dropped = outcomeOf(report, 'mqtt port');
      assert.equal(dropped.diagnosis?.code, 'tcp.timeout');
      const tcp = dropped.representative.phases.tcp;
      assert.ok(tcp, 'the tcp phase is timed');
      // The probe gives up at its own timeout, not the kernel's two-minute SYN retry; the upper bound only catches a hang.
      assert.ok(tcp.durationMs >= TIMEOUT_MS - 50, `tcp ran ${tcp.durationMs} ms`);
      assert.ok(tcp.durationMs < 2 * TIMEOUT_MS, `tcp ran ${tcp.durationMs} ms`);
      assert.equal(outcomeOf(report, '443 alpn').verdict, 'pass');
    },
  );

  systemTest('a REJECTed MQTT port (tcp-reset) is tcp.refused', needs, async (t) => {
    const site = await restrictedSite(t);
    block(site.ns, site.mqttPort, ['REJECT', '--reject-with', 'tcp-reset']);
    const file = site.file(
      'reject.yaml',
      `  - { name: mqtt port, port: ${site.mqttPort}, expect: tcp.refused }
  - { name: 443 alpn, port: ${site.alpnPort}, alpn: x-amzn-mqtt-ca }
`,
    );
    const { report } = await runInNamespace(site.ns, file);
    assert.equal(report.summary.missed, 0, describeRun(report));
    assert.equal(outcomeOf(report, 'mqtt port').diagnosis?.code, 'tcp.refused');
  });

  systemTest(
    '16 scenarios, half to a blackholed port, finish in about one timeout, not eight (hang bound: under 3)',
    needs,
    async (t) => {
      const site = await restrictedSite(t);
      block(site.ns, site.mqttPort, ['DROP']);
      const scenarios = Array.from({ length: 16 }, (_, i) =>
        i % 2 === 0
          ? `  - { name: blackholed ${i}, port: ${site.mqttPort}, steps: [connect], expect: tcp.timeout }\n`
          : `  - { name: open ${i}, port: ${site.alpnPort}, alpn: x-amzn-mqtt-ca, steps: [connect] }\n`,
      ).join('');
      const file = site.file('sixteen.yaml', scenarios);
      const { report } = await runInNamespace(site.ns, file, { concurrency: 16 });
      assert.equal(report.scenarios.length, 16);
      assert.equal(report.summary.missed, 0, describeRun(report));
      // Measured inside the run (Node start-up excluded): the blackholed half waits in parallel.
      t.diagnostic(`16 scenarios in ${Math.round(report.durationMs)} ms with a ${TIMEOUT_MS} ms timeout`);
      assert.ok(report.durationMs < 3 * TIMEOUT_MS, `16 scenarios took ${report.durationMs} ms`);
    },
  );
});
