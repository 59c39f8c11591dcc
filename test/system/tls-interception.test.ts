// TLS interception in front of the emulator's "443" (ALPN x-amzn-mqtt-ca, client certificate required), with an
// AWS-like host name through `servername` and the interceptor's CA trusted through `ca`: squid ssl_bump drops ALPN
// (CONNACK never comes), mitmproxy forwards ALPN but no client certificate (closed before CONNACK). Both verdicts
// are tls.intercepted naming the issuer; openssl s_client through the same proxy shows the same issuer and ALPN.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import { startEmulator } from '../../src/emulator/index.js';
import { tempDir, writeFiles } from '../helpers/scenario-files.js';
import { systemTest } from '../helpers/system.js';
import { runCommand } from './helpers/run-command.js';
import { describeRun, loadPlans, outcomeOf, runAll } from './helpers/run-scenarios.js';
import { type Interceptor, startMitmproxy, startSquidBump } from './helpers/tls-interceptors.js';

const AWS_NAME = 'abc-ats.iot.eu-west-1.amazonaws.com';

function scenarios(port: number, proxy: string, ca: string): string {
  return `version: 1
defaults:
  endpoint: 127.0.0.1
  servername: ${AWS_NAME}
  port: ${port}
  alpn: x-amzn-mqtt-ca
  auth: { type: x509, cert: client.pem, key: client-key.pem }
  proxy: ${proxy}
  ca: ${ca}
  timeout: { connack: 2s }
scenarios:
  - name: intercepted
    expect: tls.intercepted
  - name: private-name
    servername: localhost
    expect: fail
`;
}

/** openssl s_client through the interceptor: the issuer and ALPN it really presents. */
async function sClient(dir: string, interceptor: Interceptor, port: number) {
  const run = await runCommand(
    [
      'openssl',
      's_client',
      '-proxy',
      interceptor.url.replace('http://', ''),
      '-connect',
      `127.0.0.1:${port}`,
    ].concat(['-servername', AWS_NAME, '-alpn', 'x-amzn-mqtt-ca', '-CAfile', interceptor.caPath]),
    { cwd: dir },
  );
  return run.stdout;
}

async function emulatorIn(t: Parameters<Parameters<typeof systemTest>[2]>[0]) {
  const dir = tempDir(t);
  const emulator = await startEmulator({ hostname: AWS_NAME });
  t.after(() => emulator.close());
  writeFiles(dir, {
    'emulator-ca.pem': emulator.ca,
    'client.pem': emulator.client.cert,
    'client-key.pem': emulator.client.key,
  });
  return { dir, emulator };
}

describe('TLS interception', () => {
  systemTest(
    'squid ssl_bump drops ALPN: tls.intercepted names its CA and the dropped ALPN',
    { commands: ['squid', 'openssl', '/usr/lib/squid/security_file_certgen'] },
    async (t) => {
      const { dir, emulator } = await emulatorIn(t);
      const squid = await startSquidBump(t, dir);
      const truth = await sClient(dir, squid, emulator.ports.alpn);
      assert.match(truth, /issuer=CN = Corp Inspection CA/, truth);
      assert.match(truth, /No ALPN negotiated/, truth);

      const report = await runAll(loadPlans(dir, scenarios(emulator.ports.alpn, squid.url, squid.caPath)));
      assert.equal(report.summary.met, 2, `${describeRun(report)}\n${squid.output()}`);
      const d = outcomeOf(report, 'intercepted').diagnosis;
      assert.match(
        d?.message ?? '',
        /is intercepted: its certificate was issued by CN=Corp Inspection CA, O=Example Corp/,
      );
      assert.match(
        d?.message ?? '',
        /ALPN x-amzn-mqtt-ca was offered and none negotiated, and CONNECT got no CONNACK/,
      );
      assert.match(d?.hint ?? '', /negotiated none of the ALPN offered/);
      assert.match(d?.hint ?? '', /exempted from TLS inspection/);
      if (d?.code === 'tls.intercepted') {
        assert.equal(d.evidence.underlying, 'mqtt.connack-timeout');
        assert.deepEqual(d.evidence.symptoms, ['client-cert-not-forwarded', 'alpn-dropped']);
      }
      // A private broker's name has no known issuer: the same failure keeps its own code.
      assert.equal(outcomeOf(report, 'private-name').diagnosis?.code, 'mqtt.connack-timeout');
    },
  );

  systemTest(
    'mitmproxy forwards ALPN but no client certificate: tls.intercepted names its CA and the missing certificate',
    { commands: ['mitmdump', 'openssl'] },
    async (t) => {
      const { dir, emulator } = await emulatorIn(t);
      const mitm = await startMitmproxy(t, dir);
      const truth = await sClient(dir, mitm, emulator.ports.alpn);
      assert.match(truth, /issuer=CN = mitmproxy/, truth);
      assert.match(truth, /ALPN protocol: x-amzn-mqtt-ca/, truth);

      const report = await runAll(loadPlans(dir, scenarios(emulator.ports.alpn, mitm.url, mitm.caPath)));
      assert.equal(report.summary.met, 2, `${describeRun(report)}\n${mitm.output()}`);
      const d = outcomeOf(report, 'intercepted').diagnosis;
      assert.match(
        d?.message ?? '',
        /is intercepted: its certificate was issued by CN=mitmproxy, O=mitmproxy/,
      );
      assert.match(
        d?.message ?? '',
        /x-amzn-mqtt-ca negotiated, and the connection was closed before CONNACK/,
      );
      assert.match(d?.hint ?? '', /cannot pass the client certificate on/);
      assert.doesNotMatch(d?.hint ?? '', /ALPN/);
      if (d?.code === 'tls.intercepted') {
        assert.equal(d.evidence.underlying, 'mqtt.closed-before-connack');
        assert.deepEqual(d.evidence.symptoms, ['client-cert-not-forwarded']);
        assert.equal(d.evidence.trustAnchor, 'CN=mitmproxy, O=mitmproxy');
      }
      // Without the interceptor, the same scenario against the emulator's own CA passes: the broker is fine.
      const direct = await runAll(
        loadPlans(
          dir,
          scenarios(emulator.ports.alpn, mitm.url, 'emulator-ca.pem')
            .replace(/ {2}proxy: .*\n/, '')
            .replace(/ {4}expect: .*\n/g, ''),
        ),
      );
      assert.equal(outcomeOf(direct, 'intercepted').verdict, 'pass', describeRun(direct));
    },
  );
});
