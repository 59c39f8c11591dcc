// An SNI-filtering firewall (haproxy, allow-list on req.ssl_sni) in front of mosquitto: it closes before any
// ServerHello, so the verdict is tls.closed-before-server-hello naming the SNI (or its absence), never the client
// certificate, as openssl s_client finds ("read 0 bytes").
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import { tempDir } from '../helpers/scenario-files.js';
import { systemTest } from '../helpers/system.js';
import { writeBrokerPki } from './helpers/broker-pki.js';
import { startHaproxy } from './helpers/haproxy.js';
import { startMosquitto } from './helpers/mosquitto.js';
import { runCommand } from './helpers/run-command.js';
import { describeRun, loadPlans, outcomeOf, runAll } from './helpers/run-scenarios.js';

function scenarios(port: number): string {
  return `version: 1
defaults:
  port: ${port}
  ca: ca.pem
  auth: { type: x509, cert: client.pem, key: client-key.pem }
  timeout: 3s
scenarios:
  - name: allowed
    endpoint: localhost
  - name: blocked-name
    endpoint: localhost
    servername: broker.blocked.example
    expect: tls.closed-before-server-hello
  - name: no-sni
    endpoint: 127.0.0.1
    expect: tls.closed-before-server-hello
`;
}

describe('an SNI-filtering firewall', () => {
  systemTest(
    'names the SNI that was refused before any ServerHello, and says when none was sent',
    { commands: ['mosquitto', 'haproxy', 'openssl'] },
    async (t) => {
      const dir = tempDir(t);
      const pki = await writeBrokerPki(dir);
      const broker = await startMosquitto(t, dir, pki);
      const filter = await startHaproxy(t, dir, {
        frontend: [
          'tcp-request inspect-delay 5s',
          'tcp-request content accept if { req.ssl_sni -i localhost }',
          'tcp-request content reject if { req.ssl_hello_type 1 }',
        ],
        backend: { host: broker.host, port: broker.port },
      });
      const truth = await runCommand(
        [
          'openssl',
          's_client',
          '-connect',
          `127.0.0.1:${filter.port}`,
          '-servername',
          'broker.blocked.example',
        ],
        { cwd: dir },
      );
      assert.match(truth.stdout, /SSL handshake has read 0 bytes/, truth.stdout);

      const report = await runAll(loadPlans(dir, scenarios(filter.port)));
      assert.equal(report.summary.met, 3, describeRun(report));
      const blocked = outcomeOf(report, 'blocked-name').diagnosis;
      assert.match(
        blocked?.message ?? '',
        /after the ClientHello \(SNI broker\.blocked\.example\) without sending a single byte back/,
      );
      assert.match(blocked?.hint ?? '', /SNI filter or DPI box that does not allow broker\.blocked\.example/);
      assert.match(blocked?.hint ?? '', /not because of the client certificate/);
      assert.doesNotMatch(blocked?.hint ?? '', /rejected the client certificate/);
      const noSni = outcomeOf(report, 'no-sni').diagnosis;
      assert.match(noSni?.message ?? '', /\(no SNI\)/);
      assert.match(noSni?.hint ?? '', /no SNI was sent \(the endpoint is an IP address\)/);
      if (noSni?.code === 'tls.closed-before-server-hello') {
        assert.equal(noSni.evidence.sniSent, undefined, 'the evidence shows no servername for an IP');
      }
    },
  );
});
