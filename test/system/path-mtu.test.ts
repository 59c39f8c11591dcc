// A path that drops large packets (a path-MTU black hole): inside the client's namespace every TCP packet of 600
// bytes or more is dropped, and mosquitto presents a chain of a few KB (RSA 4096 leaf and intermediate). The
// server's first flight never arrives, as openssl s_client finds; the verdict names path MTU and what to try.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe } from 'node:test';
import { tempDir } from '../helpers/scenario-files.js';
import { systemTest } from '../helpers/system.js';
import type { BrokerPki } from './helpers/broker-pki.js';
import { startMosquitto } from './helpers/mosquitto.js';
import { createNetworkNamespace } from './helpers/network-namespace.js';
import { runCommand } from './helpers/run-command.js';
import { runInNamespace, spawnInNamespace } from './helpers/run-in-namespace.js';
import { describeRun } from './helpers/run-scenarios.js';

/** openssl, failing the test with its output when it fails. */
async function openssl(dir: string, args: string[]): Promise<void> {
  const run = await runCommand(['openssl', ...args], { cwd: dir, timeoutMs: 60_000 });
  assert.equal(run.code, 0, `openssl ${args.join(' ')}:\n${run.stderr}`);
}

const NEW_KEY = {
  rsa4096: ['-newkey', 'rsa:4096'],
  p256: ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'],
};

/**
 * Writes `NAME-key.pem` and `NAME.pem` in `dir`: self-signed without `issuer`, else signed by `ISSUER.pem`, with
 * extensions from `ext` (openssl extfile syntax).
 */
async function issue(
  dir: string,
  name: string,
  options: { subject: string; key: keyof typeof NEW_KEY; issuer?: string; ext?: string },
): Promise<void> {
  const key = [...NEW_KEY[options.key], '-nodes', '-keyout', `${name}-key.pem`];
  const subject = ['-subj', `/CN=${options.subject}`];
  if (options.issuer === undefined) {
    await openssl(dir, ['req', '-x509', ...key, '-out', `${name}.pem`, ...subject, '-days', '2']);
    return;
  }
  await openssl(dir, ['req', ...key, '-out', `${name}.csr`, ...subject]);
  const extfile = join(dir, `${name}.ext`);
  writeFileSync(extfile, options.ext ?? '');
  const ca = [`-CA`, `${options.issuer}.pem`, '-CAkey', `${options.issuer}-key.pem`, '-CAcreateserial'];
  await openssl(dir, [
    'x509',
    '-req',
    '-in',
    `${name}.csr`,
    ...ca,
    '-out',
    `${name}.pem`,
    '-days',
    '2',
    '-extfile',
    extfile,
  ]);
}

/**
 * A root CA, an RSA 4096 intermediate and an RSA 4096 leaf for `address`; mosquitto sends leaf + intermediate
 * (about 3 KB) in its first flight. The device certificate is signed by the root.
 */
async function writeLargeChainPki(dir: string, address: string): Promise<BrokerPki> {
  const caExt = 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n';
  await issue(dir, 'ca', { subject: 'mtu test root', key: 'p256' });
  await issue(dir, 'int', { subject: 'mtu test intermediate', key: 'rsa4096', issuer: 'ca', ext: caExt });
  await issue(dir, 'leaf', {
    subject: 'mtu test broker',
    key: 'rsa4096',
    issuer: 'int',
    ext: `subjectAltName=IP:${address}\n`,
  });
  await issue(dir, 'client', { subject: 'probe-device', key: 'p256', issuer: 'ca' });
  const at = (name: string) => join(dir, name);
  writeFileSync(at('server.pem'), readFileSync(at('leaf.pem'), 'utf8') + readFileSync(at('int.pem'), 'utf8'));
  return {
    ca: at('ca.pem'),
    serverCert: at('server.pem'),
    serverKey: at('leaf-key.pem'),
    clientCert: at('client.pem'),
    clientKey: at('client-key.pem'),
    relayCert: at('client.pem'),
    relayKey: at('client-key.pem'),
  };
}

describe('a path that drops large packets', () => {
  systemTest(
    'stalls the handshake after the ClientHello, and the hint names path MTU and what to try',
    { root: true, commands: ['mosquitto', 'openssl', 'ip', 'iptables'] },
    async (t) => {
      const dir = tempDir(t);
      const ns = createNetworkNamespace(t);
      const pki = await writeLargeChainPki(dir, ns.hostAddress);
      const broker = await startMosquitto(t, dir, pki, { host: ns.hostAddress });
      const file = join(dir, 'mtu.yaml');
      writeFileSync(
        file,
        `version: 1
defaults:
  endpoint: ${ns.hostAddress}
  port: ${broker.port}
  ca: ${pki.ca}
  auth: { type: x509, cert: ${pki.clientCert}, key: ${pki.clientKey} }
  timeout: { tls: 2s }
scenarios:
  - name: large chain
`,
      );
      // The same path works while large packets pass: the chain and the broker are fine.
      const clear = await runInNamespace(ns, file);
      assert.equal(clear.report.summary.met, 1, describeRun(clear.report));

      ns.iptables(['-A', 'INPUT', '-p', 'tcp', '-m', 'length', '--length', '600:65535', '-j', 'DROP']);
      const truth = await spawnInNamespace(ns, [
        'timeout',
        '3',
        'openssl',
        's_client',
        '-connect',
        `${ns.hostAddress}:${broker.port}`,
        '-CAfile',
        pki.ca,
      ]);
      assert.equal(
        truth.code,
        124,
        `openssl s_client must stall until killed:\n${truth.stdout}${truth.stderr}`,
      );
      assert.doesNotMatch(truth.stdout, /BEGIN CERTIFICATE/, 'no server certificate reached openssl');

      const { report } = await runInNamespace(ns, file);
      const outcome = report.scenarios[0]!;
      const diagnosis = outcome.diagnosis;
      assert.equal(diagnosis?.code, 'tls.timeout', describeRun(report));
      if (diagnosis?.code === 'tls.timeout') {
        assert.equal(diagnosis.evidence.servername, undefined, 'no SNI for an IP endpoint');
        assert.ok(
          diagnosis.evidence.handshake?.reached === 'client-hello-sent' ||
            diagnosis.evidence.handshake?.reached === 'server-answered',
          `the handshake stopped before the server's certificate: ${JSON.stringify(diagnosis.evidence.handshake)}`,
        );
        assert.equal(diagnosis.evidence.handshake?.serverCertificateSeen, false);
      }
      assert.match(diagnosis?.hint ?? '', /path-MTU black hole/);
      assert.match(
        diagnosis?.hint ?? '',
        /another network, a smaller MTU on this device .* a smaller certificate chain/,
      );
      assert.doesNotMatch(diagnosis?.hint ?? '', /does not speak TLS; check the port$/);
    },
  );
});
