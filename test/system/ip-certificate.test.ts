// An endpoint given as an IP address, against mosquitto whose certificate names only that IP: mqttprobe must agree
// with mosquitto_pub (and OpenSSL's -verify_ip), which check the certificate's IP SAN, not a fallback host name.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe } from 'node:test';
import { tempDir } from '../helpers/scenario-files.js';
import { systemTest } from '../helpers/system.js';
import { startTinyproxy } from '../probe/helpers/tinyproxy.js';
import { writeBrokerPki } from './helpers/broker-pki.js';
import { startMosquitto } from './helpers/mosquitto.js';
import { describeRun, loadPlans, runAll } from './helpers/run-scenarios.js';

/** mosquitto_pub's exit code for one QoS 1 publish over mutual TLS: the third-party ground truth. */
async function mosquittoPub(
  dir: string,
  host: string,
  port: number,
): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(
    'mosquitto_pub',
    [
      '-h',
      host,
      '-p',
      String(port),
      '--cafile',
      'ca.pem',
      '--cert',
      'client.pem',
      '--key',
      'client-key.pem',
    ].concat(['-t', 'mqttprobe/ip-cert', '-m', 'x', '-q', '1']),
    { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk;
  });
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, stderr };
}

function scenario(port: number, proxy?: string): string {
  return `version: 1
defaults:
  endpoint: 127.0.0.1${proxy ? `\n  proxy: ${proxy}` : ''}
  ca: ca.pem
  auth: { type: x509, cert: client.pem, key: client-key.pem }
  port: ${port}
  timeout: 3s
scenarios:
  - name: by IP
`;
}

describe('an IP endpoint and its certificate', () => {
  systemTest(
    'a certificate that names only the IP passes, as it does for mosquitto_pub',
    { commands: ['mosquitto', 'mosquitto_pub'] },
    async (t) => {
      const dir = tempDir(t);
      const pki = await writeBrokerPki(dir, { altNames: ['127.0.0.1'], commonName: 'broker.internal' });
      const broker = await startMosquitto(t, dir, pki);
      const truth = await mosquittoPub(dir, '127.0.0.1', broker.port);
      assert.equal(truth.code, 0, `mosquitto_pub: ${truth.stderr}`);
      const report = await runAll(loadPlans(dir, scenario(broker.port)));
      assert.equal(report.summary.met, 1, describeRun(report));
      const probe = report.scenarios[0]!.representative;
      assert.equal(probe.tls?.verified, true);
      assert.equal(probe.tls?.servername, undefined, 'no SNI is sent for an IP (RFC 6066)');
    },
  );

  systemTest(
    'a certificate for another IP is tls.hostname-mismatch naming the IP, as mosquitto_pub refuses it',
    { commands: ['mosquitto', 'mosquitto_pub'] },
    async (t) => {
      const dir = tempDir(t);
      const pki = await writeBrokerPki(dir, { altNames: ['127.0.0.2'], commonName: 'broker.internal' });
      const broker = await startMosquitto(t, dir, pki);
      const truth = await mosquittoPub(dir, '127.0.0.1', broker.port);
      assert.notEqual(truth.code, 0, 'mosquitto_pub must refuse a certificate for another address');
      const report = await runAll(loadPlans(dir, scenario(broker.port)));
      const outcome = report.scenarios[0]!;
      assert.equal(outcome.diagnosis?.code, 'tls.hostname-mismatch', describeRun(report));
      assert.match(outcome.diagnosis?.message ?? '', /127\.0\.0\.1/);
      assert.doesNotMatch(outcome.diagnosis?.message ?? '', /localhost/);
    },
  );

  systemTest(
    'through a proxy on another address, the certificate is still checked against the endpoint IP, not the proxy',
    { commands: ['mosquitto', 'tinyproxy'] },
    async (t) => {
      const dir = tempDir(t);
      const pki = await writeBrokerPki(dir, { altNames: ['127.0.0.1'], commonName: 'broker.internal' });
      const broker = await startMosquitto(t, dir, pki);
      // The proxy is a host of its own (127.0.0.2): the tunnel socket is connected to it, not to the endpoint.
      const proxy = await startTinyproxy({ dir, connectPorts: [broker.port], listen: '127.0.0.2' });
      t.after(() => proxy.close());
      const report = await runAll(
        loadPlans(dir, scenario(broker.port, `http://${proxy.host}:${proxy.port}`)),
      );
      assert.equal(report.summary.met, 1, `${describeRun(report)}\n${proxy.log()}`);
      const probe = report.scenarios[0]!.representative;
      assert.equal(probe.tls?.verified, true);
      assert.match(probe.proxy?.answer ?? '', /200/);
    },
  );
});
