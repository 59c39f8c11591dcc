// Real probes against the embedded AWS-IoT-like emulator: the ALPN matrix, QoS, and each fault switch.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { describe, test } from 'node:test';
import { inspect } from 'node:util';
import { createCa, createClientCert } from '../../src/emulator/index.js';
import type { ProbeResult } from '../../src/probe/result.js';
import { runProbe } from '../../src/probe/run-probe.js';
import { Secret } from '../../src/scenario/secret.js';
import { emulatorPlan, useSharedEmulator } from '../helpers/emulator.js';
import { type PlanOverrides, x509Auth } from '../helpers/make-plan.js';

const shared = useSharedEmulator();

/** A plan for the emulator's "8883" with its CA and client certificate, plus overrides. */
function awsPlan(overrides: PlanOverrides = {}) {
  return emulatorPlan(shared.emulator, overrides);
}

const SHORT = 300;

/** Phases start at or after 0, each lasts at least 0, and each transport phase starts after the previous ended. */
function assertPlausibleTimeline(result: ProbeResult): void {
  const order = ['dns', 'tcp', 'tls', 'connack', 'suback', 'puback'] as const;
  let previousEnd = 0;
  for (const phase of order) {
    const timing = result.phases[phase];
    if (!timing) continue;
    assert.ok(timing.startMs >= 0 && timing.durationMs >= 0, `${phase} timing is non-negative`);
    assert.ok(timing.startMs >= previousEnd, `${phase} starts after the previous phase ended`);
    previousEnd = timing.startMs + timing.durationMs;
  }
  const receive = result.phases.receive;
  if (receive && result.phases.puback) assert.equal(receive.startMs, result.phases.puback.startMs);
  assert.ok(result.totalMs >= previousEnd, 'total covers every phase');
}

function assertFails(result: ProbeResult, code: string, phase: string): void {
  assert.equal(result.ok, false, `expected ${code}, but the probe passed`);
  assert.equal(result.diagnosis?.code, code, inspect(result.diagnosis, { depth: 4 }));
  assert.equal(result.failedPhase, phase);
  assert.ok(result.diagnosis?.message, 'a message');
  assert.ok(result.diagnosis?.hint, 'a hint');
}

describe('the ALPN matrix', () => {
  test('8883 with a client certificate passes the full round trip', async () => {
    const result = await runProbe(awsPlan());
    assert.equal(result.ok, true, inspect(result.diagnosis));
    assert.deepEqual(Object.keys(result.phases), [
      'dns',
      'tcp',
      'tls',
      'connack',
      'suback',
      'puback',
      'receive',
    ]);
    assertPlausibleTimeline(result);
    assert.equal(result.address, '127.0.0.1');
    assert.equal(result.family, 4);
    assert.equal(result.tls?.servername, shared.emulator.hostname);
    assert.equal(result.tls?.verified, true);
    assert.match(result.tls?.protocol ?? '', /^TLSv1\.[23]$/);
    assert.ok(result.tls?.cipher);
    assert.equal(result.tls?.negotiatedAlpn, undefined);
    assert.match(result.tls?.serverCertificate?.fingerprint256 ?? '', /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    assert.ok(Date.parse(result.tls?.serverCertificate?.validTo ?? '') > Date.now());
    assert.deepEqual(result.connack, { protocolVersion: 4, reasonCode: 0, sessionPresent: false });
    assert.deepEqual(result.grantedQos, [1]);
    assert.equal(result.receivedQos, 1);
    assert.deepEqual(result.warnings, []);
  });

  test('443 with ALPN x-amzn-mqtt-ca passes and records the negotiated protocol', async () => {
    const result = await runProbe(awsPlan({ port: shared.emulator.ports.alpn, alpn: ['x-amzn-mqtt-ca'] }));
    assert.equal(result.ok, true, inspect(result.diagnosis));
    assert.equal(result.tls?.negotiatedAlpn, 'x-amzn-mqtt-ca');
    assert.deepEqual(result.tls?.offeredAlpn, ['x-amzn-mqtt-ca']);
  });

  test('443 without ALPN is mqtt.http-response, read from the bytes received', async () => {
    const result = await runProbe(awsPlan({ port: shared.emulator.ports.alpn }));
    assertFails(result, 'mqtt.http-response', 'connack');
    assert.equal(result.diagnosis?.code, 'mqtt.http-response');
    if (result.diagnosis?.code === 'mqtt.http-response') {
      assert.match(result.diagnosis.evidence.statusLine, /^HTTP\/1\.1 400/);
      assert.match(result.diagnosis.hint, /x-amzn-mqtt-ca/);
    }
  });

  test('443 with ALPN h2 is tls.alpn-rejected', async () => {
    const result = await runProbe(awsPlan({ port: shared.emulator.ports.alpn, alpn: ['h2'] }));
    assertFails(result, 'tls.alpn-rejected', 'tls');
  });
});

describe('QoS', () => {
  test('QoS 0 passes without a puback phase', async () => {
    const result = await runProbe(awsPlan({ qos: 0 }));
    assert.equal(result.ok, true, inspect(result.diagnosis));
    assert.equal(result.phases.puback, undefined);
    assert.ok(result.phases.receive);
    assert.equal(result.receivedQos, 0);
  });

  test('QoS 2 is mqtt.suback-timeout with a hint that AWS does not support it', async () => {
    const result = await runProbe(awsPlan({ qos: 2, timeoutsMs: { suback: SHORT } }));
    assertFails(result, 'mqtt.suback-timeout', 'suback');
    assert.match(result.diagnosis?.hint ?? '', /QoS 2/);
  });

  test('a QoS 2 publish without subscribing is mqtt.puback-timeout', async () => {
    const result = await runProbe(
      awsPlan({ qos: 2, steps: ['connect', 'publish'], timeoutsMs: { puback: SHORT } }),
    );
    assertFails(result, 'mqtt.puback-timeout', 'puback');
  });

  test('steps [connect] stops after CONNACK', async () => {
    const result = await runProbe(awsPlan({ steps: ['connect'] }));
    assert.equal(result.ok, true, inspect(result.diagnosis));
    assert.deepEqual(Object.keys(result.phases), ['dns', 'tcp', 'tls', 'connack']);
  });
});

describe('server certificates', () => {
  test('a certificate from another CA is tls.server-untrusted, naming the issuer seen', async () => {
    shared.emulator.setFaults({ serverCert: 'untrusted' });
    const result = await runProbe(awsPlan());
    assertFails(result, 'tls.server-untrusted', 'tls');
    if (result.diagnosis?.code === 'tls.server-untrusted') {
      assert.match(result.diagnosis.evidence.issuer, /Corporate TLS Inspection CA/);
    }
  });

  test('an expired certificate is tls.cert-expired', async () => {
    shared.emulator.setFaults({ serverCert: 'expired' });
    const result = await runProbe(awsPlan());
    assertFails(result, 'tls.cert-expired', 'tls');
  });

  test('a certificate for another host is tls.hostname-mismatch', async () => {
    shared.emulator.setFaults({ serverCert: 'wrong-host' });
    const result = await runProbe(awsPlan());
    assertFails(result, 'tls.hostname-mismatch', 'tls');
  });

  test('tls.insecure passes a wrong-host certificate, with a warning', async () => {
    shared.emulator.setFaults({ serverCert: 'wrong-host' });
    const result = await runProbe(awsPlan({ tls: { insecure: true } }));
    assert.equal(result.ok, true, inspect(result.diagnosis));
    assert.deepEqual(
      result.warnings.map((w) => w.code),
      ['tls.insecure'],
    );
    assert.equal(result.tls?.verified, false);
  });

  test('an IP endpoint sends no SNI and is checked against the IP in the certificate', async () => {
    const result = await runProbe(awsPlan({ endpoint: '127.0.0.1' }));
    assert.equal(result.ok, true, inspect(result.diagnosis));
    assert.equal(result.tls?.servername, undefined);
    assert.equal(result.tls?.verified, true);
  });

  test('a handshake that never finishes is tls.timeout, at client-hello-sent with nothing read', async () => {
    shared.emulator.setFaults({ stallTlsHandshake: true });
    const result = await runProbe(awsPlan({ timeoutsMs: { tls: SHORT } }));
    assertFails(result, 'tls.timeout', 'tls');
    if (result.diagnosis?.code === 'tls.timeout') {
      assert.equal(result.diagnosis.evidence.handshake?.reached, 'client-hello-sent');
      assert.equal(result.diagnosis.evidence.handshake?.bytesRead, 0);
      assert.equal(result.diagnosis.evidence.servername, shared.emulator.hostname);
    }
    assert.match(result.diagnosis?.hint ?? '', /path-MTU/);
  });

  test('require-sni refuses an IP endpoint with the unrecognized_name alert: tls.sni-refused, before any ServerHello', async () => {
    shared.emulator.setFaults({ refuseWithoutSni: true });
    const byIp = await runProbe(awsPlan({ endpoint: '127.0.0.1' }));
    assertFails(byIp, 'tls.sni-refused', 'tls');
    assert.match(byIp.diagnosis?.message ?? '', /requires SNI and none was sent/);
    assert.equal(byIp.tls, undefined, 'the handshake never finished');
    const byName = await runProbe(awsPlan());
    assert.equal(byName.ok, true, inspect(byName.diagnosis));
  });

  test('plain mqtt to the TLS port is mqtt.tls-port, wss to it is ws.not-http', async () => {
    const plain = await runProbe(awsPlan({ transport: 'mqtt', ca: undefined, auth: { type: 'none' } }));
    assertFails(plain, 'mqtt.tls-port', 'connack');
    const wss = await runProbe(awsPlan({ transport: 'wss' }));
    assertFails(wss, 'ws.not-http', 'ws');
    assert.match(wss.diagnosis?.message ?? '', /without an HTTP answer/);
  });

  test('a verified chain reports the root it ended at as the trust anchor, and each issuer above the leaf', async () => {
    const result = await runProbe(awsPlan());
    assert.equal(result.ok, true, inspect(result.diagnosis));
    const ca = new X509Certificate(shared.emulator.ca);
    const caSubject = ca.subject.split('\n').join(', ');
    assert.equal(result.tls?.trustAnchor, caSubject);
    assert.deepEqual(
      result.tls?.chain?.map((c) => [c.subject, c.issuer, c.validTo]),
      [[caSubject, caSubject, new Date(ca.validTo).toISOString()]],
    );
  });
});

describe('client certificates', () => {
  test('no client certificate with TLS 1.3 is tls.client-cert-rejected, after the handshake seemed fine', async () => {
    const result = await runProbe(awsPlan({ auth: { type: 'none' }, tls: { minVersion: 'TLSv1.3' } }));
    assert.equal(result.diagnosis?.code, 'tls.client-cert-rejected', inspect(result.diagnosis));
    if (result.diagnosis?.code === 'tls.client-cert-rejected') {
      assert.equal(result.diagnosis.evidence.afterHandshake, true);
      assert.equal(result.diagnosis.evidence.clientCertPresented, false);
    }
    assert.equal(result.failedPhase, 'connack');
  });

  test('no client certificate with TLS 1.2 is tls.client-cert-rejected during the handshake', async () => {
    const result = await runProbe(awsPlan({ auth: { type: 'none' }, tls: { maxVersion: 'TLSv1.2' } }));
    assertFails(result, 'tls.client-cert-rejected', 'tls');
    if (result.diagnosis?.code === 'tls.client-cert-rejected') {
      assert.equal(result.diagnosis.evidence.afterHandshake, false);
    }
  });

  test('a client certificate from an unknown CA, rejected without an alert, gets a hint about the certificate', async () => {
    const foreign = await createClientCert(await createCa({ commonName: 'Someone else' }));
    const tls13 = await runProbe(awsPlan({ auth: x509Auth(foreign), tls: { minVersion: 'TLSv1.3' } }));
    // Node's TLS server (the shared.emulator) rejects it without an alert after a TLS 1.3 handshake: a bare close.
    assertFails(tls13, 'mqtt.closed-before-connack', 'connack');
    assert.match(tls13.diagnosis?.hint ?? '', /client certificate may be rejected/);
    const tls12 = await runProbe(awsPlan({ auth: x509Auth(foreign), tls: { maxVersion: 'TLSv1.2' } }));
    // With TLS 1.2 the same silent close comes before secureConnect.
    assertFails(tls12, 'tls.closed-during-handshake', 'tls');
    assert.match(tls12.diagnosis?.hint ?? '', /client certificate/);
  });
});

describe('broker faults and policies', () => {
  test('a close right after CONNECT is mqtt.closed-before-connack', async () => {
    shared.emulator.setFaults({ closeAfterConnect: true });
    assertFails(await runProbe(awsPlan()), 'mqtt.closed-before-connack', 'connack');
  });

  test('a policy that denies connect is mqtt.closed-before-connack', async () => {
    shared.emulator.setPolicies({ connect: ['someone-else'] });
    assertFails(await runProbe(awsPlan()), 'mqtt.closed-before-connack', 'connack');
  });

  test('a refusing CONNACK is mqtt.connack-refused with the reason', async () => {
    shared.emulator.setFaults({ connackRefusal: 5 });
    const result = await runProbe(awsPlan());
    assertFails(result, 'mqtt.connack-refused', 'connack');
    if (result.diagnosis?.code === 'mqtt.connack-refused') {
      assert.equal(result.diagnosis.evidence.reasonCode, 5);
      assert.equal(result.diagnosis.evidence.reason, 'Not authorized');
    }
    assert.equal(result.connack?.reasonCode, 5);
  });

  test('a close on SUBSCRIBE is mqtt.closed-after-subscribe', async () => {
    shared.emulator.setFaults({ closeOnSubscribe: true });
    assertFails(await runProbe(awsPlan()), 'mqtt.closed-after-subscribe', 'suback');
  });

  test('a policy that denies subscribe is mqtt.closed-after-subscribe', async () => {
    shared.emulator.setPolicies({ subscribe: ['allowed/only'] });
    assertFails(await runProbe(awsPlan()), 'mqtt.closed-after-subscribe', 'suback');
  });

  test('a close on PUBLISH is mqtt.closed-after-publish', async () => {
    shared.emulator.setFaults({ closeOnPublish: true });
    assertFails(await runProbe(awsPlan()), 'mqtt.closed-after-publish', 'puback');
  });

  test('a message never delivered back is mqtt.receive-timeout', async () => {
    shared.emulator.setFaults({ neverDeliver: true });
    const result = await runProbe(awsPlan({ timeoutsMs: { receive: SHORT } }));
    assertFails(result, 'mqtt.receive-timeout', 'receive');
    assert.ok(result.phases.puback, 'the publish itself was acknowledged');
  });
});

describe('secrets', () => {
  test('no private key or password appears in a result', async () => {
    const plan = awsPlan({
      port: shared.emulator.ports.alpn,
      alpn: ['mqtt'],
      auth: { type: 'password', username: 'user', password: new Secret('hunter2-secret') },
    });
    const failed = await runProbe(plan);
    const passed = await runProbe(awsPlan());
    for (const result of [failed, passed]) {
      const text = JSON.stringify(result) + inspect(result, { depth: 10 });
      assert.doesNotMatch(text, /PRIVATE KEY|hunter2-secret/);
    }
  });
});
