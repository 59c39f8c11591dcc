// The classifier, table-driven: raw failures in the shapes Node, OpenSSL and MQTT.js give them → diagnosis codes.
import assert from 'node:assert/strict';
import { lookup } from 'node:dns';
import { connect } from 'node:net';
import { test } from 'node:test';
import { diagnose } from '../../src/probe/diagnosis/diagnose.js';
import { type DiagnosisCode, makeDiagnosis } from '../../src/probe/diagnosis/diagnosis.js';
import type { DiagnosisContext } from '../../src/probe/diagnosis/diagnosis-context.js';
import {
  type FailureOutcome,
  PhaseFailure,
  ProxyAnswerError,
  TlsVerifyError,
  WsUpgradeError,
} from '../../src/probe/errors.js';
import type { TlsDetails, TlsHandshakeProgress } from '../../src/probe/result.js';
import type { Phase } from '../../src/scenario/phases.js';
import { parseProxySetting } from '../../src/scenario/proxy-setting.js';
import { makePlan, x509Auth } from '../helpers/make-plan.js';
import { closedPort } from './helpers/tiny-servers.js';

/** An error shaped like the ones Node raises: message plus own `code` (and whatever else is given). */
function nodeError(code: string, message: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), { code, ...extra });
}

/** An OpenSSL error as Node surfaces it (library, reason, code). */
function sslError(code: string, reason: string): Error {
  return nodeError(code, `error:0A000000:SSL routines::${reason}`, { library: 'SSL routines', reason });
}

const TLS_DONE: TlsDetails = {
  protocol: 'TLSv1.3',
  cipher: 'TLS_AES_128_GCM_SHA256',
  offeredAlpn: [],
  verified: true,
};
const CERT = {
  subject: 'CN=broker.example',
  issuer: 'CN=Corporate TLS Inspection CA',
  validFrom: '2026-01-01T00:00:00.000Z',
  validTo: '2026-02-01T00:00:00.000Z',
  fingerprint256: 'AA',
};

function context(overrides: Partial<DiagnosisContext> = {}): DiagnosisContext {
  return {
    plan: makePlan({ endpoint: 'broker.example', port: 8883 }),
    topic: 't',
    clientId: 'mqttprobe-0123456789ab',
    clientIdFixed: false,
    failedAfterMs: 5,
    ...overrides,
  };
}

interface Case {
  name: string;
  phase: Phase;
  outcome: FailureOutcome;
  context?: Partial<DiagnosisContext>;
  expect: DiagnosisCode;
}

const error = (e: unknown): FailureOutcome => ({ kind: 'error', error: e });
const closed = (e?: unknown): FailureOutcome => ({ kind: 'closed', error: e });
const timeout: FailureOutcome = { kind: 'timeout', waitedMs: 300 };
const http = { firstBytes: Buffer.from('HTTP/1.1 400 Bad Request\r\nServer: nginx\r\n') };
const withCert = { plan: makePlan({ auth: x509Auth({ cert: 'c', key: 'k' }) }) };
const proxied = makePlan({
  endpoint: 'broker.example',
  port: 8883,
  proxy: parseProxySetting('http://u:pw@proxy.example:3128', 'scenario'),
});

const cases: Case[] = [
  {
    name: 'EAI_AGAIN from getaddrinfo is dns.timeout',
    phase: 'dns',
    outcome: error(nodeError('EAI_AGAIN', 'getaddrinfo EAI_AGAIN x')),
    expect: 'dns.timeout',
  },
  { name: 'our own dns timeout is dns.timeout', phase: 'dns', outcome: timeout, expect: 'dns.timeout' },
  {
    name: 'an odd getaddrinfo code is dns.unknown',
    phase: 'dns',
    outcome: error(nodeError('EAI_FAIL', 'getaddrinfo EAI_FAIL x')),
    expect: 'dns.unknown',
  },
  { name: 'our own tcp timeout is tcp.timeout', phase: 'tcp', outcome: timeout, expect: 'tcp.timeout' },
  {
    name: 'an OS-level ETIMEDOUT is tcp.timeout',
    phase: 'tcp',
    outcome: error(nodeError('ETIMEDOUT', 'connect ETIMEDOUT', { syscall: 'connect' })),
    expect: 'tcp.timeout',
  },
  {
    name: 'EHOSTUNREACH is tcp.unreachable',
    phase: 'tcp',
    outcome: error(nodeError('EHOSTUNREACH', 'connect EHOSTUNREACH', { syscall: 'connect' })),
    expect: 'tcp.unreachable',
  },
  {
    name: 'ECONNRESET during connect is tcp.reset',
    phase: 'tcp',
    outcome: error(nodeError('ECONNRESET', 'connect ECONNRESET', { syscall: 'connect' })),
    expect: 'tcp.reset',
  },
  {
    name: 'a read ECONNRESET during the handshake is tcp.reset',
    phase: 'tls',
    outcome: error(nodeError('ECONNRESET', 'read ECONNRESET', { syscall: 'read' })),
    expect: 'tcp.reset',
  },
  {
    name: 'an error without a code in tcp is tcp.unknown',
    phase: 'tcp',
    outcome: error(new Error('odd')),
    expect: 'tcp.unknown',
  },
  { name: 'our own tls timeout is tls.timeout', phase: 'tls', outcome: timeout, expect: 'tls.timeout' },
  {
    name: 'alert 120 is tls.alpn-rejected',
    phase: 'tls',
    outcome: error(
      sslError('ERR_SSL_TLSV1_ALERT_NO_APPLICATION_PROTOCOL', 'tlsv1 alert no application protocol'),
    ),
    expect: 'tls.alpn-rejected',
  },
  {
    name: 'a self-signed chain is tls.server-untrusted',
    phase: 'tls',
    outcome: error(
      new TlsVerifyError({
        code: 'SELF_SIGNED_CERT_IN_CHAIN',
        message: 'x',
        hostname: 'broker.example',
        certificate: CERT,
      }),
    ),
    expect: 'tls.server-untrusted',
  },
  {
    name: 'an unknown issuer is tls.server-untrusted',
    phase: 'tls',
    outcome: error(
      new TlsVerifyError({ code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', message: 'x', hostname: 'h' }),
    ),
    expect: 'tls.server-untrusted',
  },
  {
    name: 'CERT_HAS_EXPIRED is tls.cert-expired',
    phase: 'tls',
    outcome: error(
      new TlsVerifyError({ code: 'CERT_HAS_EXPIRED', message: 'x', hostname: 'h', certificate: CERT }),
    ),
    expect: 'tls.cert-expired',
  },
  {
    name: 'CERT_NOT_YET_VALID is tls.cert-expired too',
    phase: 'tls',
    outcome: error(
      new TlsVerifyError({ code: 'CERT_NOT_YET_VALID', message: 'x', hostname: 'h', certificate: CERT }),
    ),
    expect: 'tls.cert-expired',
  },
  {
    name: 'ERR_TLS_CERT_ALTNAME_INVALID is tls.hostname-mismatch',
    phase: 'tls',
    outcome: error(
      new TlsVerifyError({
        code: 'ERR_TLS_CERT_ALTNAME_INVALID',
        message: 'x',
        hostname: 'h',
        certificate: CERT,
      }),
    ),
    expect: 'tls.hostname-mismatch',
  },
  {
    name: 'certificate required during the handshake is tls.client-cert-rejected',
    phase: 'tls',
    outcome: error(
      sslError('ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED', 'tlsv13 alert certificate required'),
    ),
    expect: 'tls.client-cert-rejected',
  },
  {
    name: 'certificate required while waiting for CONNACK is still tls.client-cert-rejected',
    phase: 'connack',
    outcome: error(
      sslError('ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED', 'tlsv13 alert certificate required'),
    ),
    context: { tls: TLS_DONE },
    expect: 'tls.client-cert-rejected',
  },
  {
    name: 'an unknown-CA alert that came with the close is tls.client-cert-rejected',
    phase: 'connack',
    outcome: closed(sslError('ERR_SSL_TLSV1_ALERT_UNKNOWN_CA', 'tlsv1 alert unknown ca')),
    context: { tls: TLS_DONE },
    expect: 'tls.client-cert-rejected',
  },
  {
    name: 'alert 40 without a client certificate is tls.client-cert-rejected',
    phase: 'tls',
    outcome: error(sslError('ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE', 'sslv3 alert handshake failure')),
    expect: 'tls.client-cert-rejected',
  },
  {
    name: 'alert 40 with a client certificate is tls.unknown (could be ciphers)',
    phase: 'tls',
    outcome: error(sslError('ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE', 'sslv3 alert handshake failure')),
    context: withCert,
    expect: 'tls.unknown',
  },
  {
    name: 'a protocol version alert is tls.version',
    phase: 'tls',
    outcome: error(sslError('ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION', 'tlsv1 alert protocol version')),
    expect: 'tls.version',
  },
  {
    name: 'wrong version number is tls.not-tls',
    phase: 'tls',
    outcome: error(sslError('ERR_SSL_WRONG_VERSION_NUMBER', 'wrong version number')),
    expect: 'tls.not-tls',
  },
  {
    name: "Node's disconnected-before-secure close is tls.closed-during-handshake",
    phase: 'tls',
    outcome: error(
      nodeError(
        'ECONNRESET',
        'Client network socket disconnected before secure TLS connection was established',
      ),
    ),
    expect: 'tls.closed-during-handshake',
  },
  {
    name: 'another SSL error is tls.unknown',
    phase: 'tls',
    outcome: error(sslError('ERR_SSL_BAD_ECPOINT', 'bad ecpoint')),
    expect: 'tls.unknown',
  },
  {
    name: "HTTP bytes beat MQTT.js's parser error",
    phase: 'connack',
    outcome: error(new Error('Invalid header flag bits, must be 0x0 for connack packet')),
    context: http,
    expect: 'mqtt.http-response',
  },
  {
    name: 'HTTP bytes followed by a close are mqtt.http-response',
    phase: 'connack',
    outcome: closed(),
    context: http,
    expect: 'mqtt.http-response',
  },
  {
    name: 'a connack timeout is mqtt.connack-timeout',
    phase: 'connack',
    outcome: timeout,
    expect: 'mqtt.connack-timeout',
  },
  {
    name: 'a refusing CONNACK is mqtt.connack-refused',
    phase: 'connack',
    outcome: { kind: 'refused', reasonCode: 5 },
    expect: 'mqtt.connack-refused',
  },
  {
    name: 'a bare close before CONNACK is mqtt.closed-before-connack',
    phase: 'connack',
    outcome: closed(),
    expect: 'mqtt.closed-before-connack',
  },
  {
    name: 'a reset before CONNACK is mqtt.closed-before-connack',
    phase: 'connack',
    outcome: error(nodeError('ECONNRESET', 'read ECONNRESET', { syscall: 'read' })),
    expect: 'mqtt.closed-before-connack',
  },
  {
    name: 'a SUBACK failure code is mqtt.suback-denied',
    phase: 'suback',
    outcome: { kind: 'denied', reasonCode: 128 },
    expect: 'mqtt.suback-denied',
  },
  {
    name: 'no SUBACK is mqtt.suback-timeout',
    phase: 'suback',
    outcome: timeout,
    expect: 'mqtt.suback-timeout',
  },
  {
    name: 'a close after SUBSCRIBE is mqtt.closed-after-subscribe',
    phase: 'suback',
    outcome: closed(),
    expect: 'mqtt.closed-after-subscribe',
  },
  {
    name: 'no PUBACK is mqtt.puback-timeout',
    phase: 'puback',
    outcome: timeout,
    expect: 'mqtt.puback-timeout',
  },
  {
    name: 'a failing PUBACK is mqtt.publish-refused',
    phase: 'puback',
    outcome: { kind: 'refused', reasonCode: 135 },
    expect: 'mqtt.publish-refused',
  },
  {
    name: 'a close after PUBLISH is mqtt.closed-after-publish',
    phase: 'puback',
    outcome: closed(),
    expect: 'mqtt.closed-after-publish',
  },
  {
    name: 'a close while waiting for the echo is mqtt.closed-after-publish',
    phase: 'receive',
    outcome: closed(),
    expect: 'mqtt.closed-after-publish',
  },
  {
    name: 'no echo is mqtt.receive-timeout',
    phase: 'receive',
    outcome: timeout,
    expect: 'mqtt.receive-timeout',
  },
  {
    name: 'other bytes back are mqtt.payload-mismatch',
    phase: 'receive',
    outcome: { kind: 'mismatch', sent: Buffer.from('ab'), received: Buffer.from('ac') },
    expect: 'mqtt.payload-mismatch',
  },
  {
    name: 'a close during hold is mqtt.connection-dropped',
    phase: 'hold',
    outcome: closed(),
    expect: 'mqtt.connection-dropped',
  },
  {
    name: "MQTT.js's keepalive timeout during hold is mqtt.connection-dropped",
    phase: 'hold',
    outcome: closed(new Error('Keepalive timeout')),
    expect: 'mqtt.connection-dropped',
  },
  {
    name: 'an MQTT.js protocol error is mqtt.unknown',
    phase: 'suback',
    outcome: error(new Error('Protocol error: suback granted 2 reason code(s) for 1 subscription(s)')),
    expect: 'mqtt.unknown',
  },
  {
    name: 'an abort in any phase is probe.interrupted',
    phase: 'tls',
    outcome: { kind: 'aborted' },
    expect: 'probe.interrupted',
  },
  {
    name: 'EMFILE while connecting is probe.fd-limit, not tcp.unknown',
    phase: 'tcp',
    outcome: error(nodeError('EMFILE', 'connect EMFILE 127.0.0.1:8883 - Local (undefined:undefined)')),
    expect: 'probe.fd-limit',
  },
  {
    name: 'ENFILE during the TLS handshake is probe.fd-limit',
    phase: 'tls',
    outcome: error(nodeError('ENFILE', 'ENFILE: file table overflow')),
    expect: 'probe.fd-limit',
  },
  {
    name: 'EMFILE towards a proxy is probe.fd-limit, not proxy.unreachable',
    phase: 'tcp',
    outcome: error(nodeError('EMFILE', 'connect EMFILE 10.0.0.1:3128')),
    context: { plan: proxied },
    expect: 'probe.fd-limit',
  },
  {
    name: 'an unsupported proxy is proxy.unsupported',
    phase: 'proxy',
    outcome: { kind: 'unsupported', what: 'http://p:3128' },
    expect: 'proxy.unsupported',
  },
  {
    name: 'a tcp timeout towards a proxy is proxy.unreachable, not tcp.timeout',
    phase: 'tcp',
    outcome: timeout,
    context: { plan: proxied },
    expect: 'proxy.unreachable',
  },
  {
    name: 'EHOSTUNREACH towards a proxy is proxy.unreachable',
    phase: 'tcp',
    outcome: error(nodeError('EHOSTUNREACH', 'connect EHOSTUNREACH 10.0.0.1:3128', { syscall: 'connect' })),
    context: { plan: proxied, address: '10.0.0.1' },
    expect: 'proxy.unreachable',
  },
  {
    name: 'a proxy that hangs up without answering CONNECT is proxy.unknown',
    phase: 'proxy',
    outcome: error(nodeError('ECONNRESET', 'socket hang up')),
    context: { plan: proxied },
    expect: 'proxy.unknown',
  },
  {
    name: 'HTTP 502 from the proxy is proxy.refused',
    phase: 'proxy',
    outcome: error(
      new ProxyAnswerError({
        protocol: 'http',
        statusCode: 502,
        statusLine: 'HTTP/1.1 502 Bad Gateway',
        authRequired: false,
      }),
    ),
    context: { plan: proxied },
    expect: 'proxy.refused',
  },
  {
    name: 'a reset after the tunnel opened is still charged to TLS, not the proxy',
    phase: 'tls',
    outcome: error(nodeError('ECONNRESET', 'read ECONNRESET', { syscall: 'read' })),
    context: { plan: proxied, address: '10.0.0.1' },
    expect: 'tcp.reset',
  },
  {
    name: 'a 403 on a SigV4 upgrade with our clock 10 minutes ahead is ws.rejected',
    phase: 'ws',
    outcome: error(
      new WsUpgradeError({ statusCode: 403, statusLine: 'HTTP/1.1 403 Forbidden', skewMs: -600_000 }),
    ),
    context: { plan: makePlan({ transport: 'wss', auth: { type: 'sigv4' } }) },
    expect: 'ws.rejected',
  },
  {
    name: 'a server that answers 101 without the mqtt subprotocol is ws.unknown',
    phase: 'ws',
    outcome: error(new Error('Server sent no subprotocol')),
    context: { plan: makePlan({ transport: 'wss' }) },
    expect: 'ws.unknown',
  },
];

/** A handshake record for a context: how far it got and what was sent. */
function handshake(overrides: Partial<TlsHandshakeProgress> = {}): TlsHandshakeProgress {
  return {
    sniSent: 'broker.example',
    offeredAlpn: [],
    bytesWritten: 310,
    bytesRead: 0,
    serverCertificateSeen: false,
    reached: 'client-hello-sent',
    ...overrides,
  };
}

const awsX509 = makePlan({
  endpoint: '127.0.0.1',
  servername: 'abc-ats.iot.eu-west-1.amazonaws.com',
  port: 443,
  transport: 'mqtts',
  alpn: ['x-amzn-mqtt-ca'],
  auth: x509Auth({ cert: 'c', key: 'k' }),
});
const intercepted: TlsDetails = {
  ...TLS_DONE,
  offeredAlpn: ['x-amzn-mqtt-ca'],
  serverCertificate: { ...CERT, issuer: 'CN=Corp Inspection CA' },
  trustAnchor: 'CN=Corp Inspection CA',
};

/** What a user reads for one failure: the code and both lines of words. */
interface WordsCase {
  name: string;
  phase: Phase;
  outcome: FailureOutcome;
  context: Partial<DiagnosisContext>;
  code: DiagnosisCode;
  says: RegExp;
  neverSays?: RegExp;
}

const wordsCases: WordsCase[] = [
  {
    name: 'a close before any byte came back is never blamed on the client certificate',
    phase: 'tls',
    outcome: error(
      nodeError(
        'ECONNRESET',
        'Client network socket disconnected before secure TLS connection was established',
      ),
    ),
    context: { ...withCert, tlsHandshake: handshake() },
    code: 'tls.closed-before-server-hello',
    says: /SNI filter or DPI box that does not allow broker\.example/,
    neverSays: /rejected the client certificate/,
  },
  {
    name: 'a silent close after the server certificate arrived may be a rejected client certificate',
    phase: 'tls',
    outcome: error(
      nodeError(
        'ECONNRESET',
        'Client network socket disconnected before secure TLS connection was established',
      ),
    ),
    context: {
      ...withCert,
      tlsHandshake: handshake({
        bytesRead: 1100,
        bytesWritten: 900,
        serverCertificateSeen: true,
        reached: 'server-certificate',
      }),
    },
    code: 'tls.closed-during-handshake',
    says: /may have rejected the client certificate/,
  },
  {
    name: 'a reset at the ClientHello of a port that answers plain MQTT is tls.not-tls',
    phase: 'tls',
    outcome: error(nodeError('ECONNRESET', 'read ECONNRESET', { syscall: 'read' })),
    context: { tlsHandshake: handshake(), crossCheck: { spoke: 'mqtt', answer: 'answered' } },
    code: 'tls.not-tls',
    says: /use transport mqtt/,
    neverSays: /firewall/,
  },
  {
    name: 'a handshake that got nothing back after the ClientHello names path MTU',
    phase: 'tls',
    outcome: timeout,
    context: { tlsHandshake: handshake({ sniSent: undefined }) },
    code: 'tls.timeout',
    says: /path-MTU black hole.*smaller MTU.*smaller certificate chain/,
  },
  {
    name: 'the unrecognized_name alert for an IP endpoint is tls.sni-refused saying no SNI was sent',
    phase: 'tls',
    outcome: error(sslError('ERR_SSL_TLSV1_UNRECOGNIZED_NAME', 'tlsv1 unrecognized name')),
    context: {
      plan: makePlan({ endpoint: '10.0.0.5', transport: 'mqtts' }),
      tlsHandshake: handshake({ sniSent: undefined }),
    },
    code: 'tls.sni-refused',
    says: /requires SNI and none was sent \(the endpoint is an IP address/,
  },
  {
    name: 'a TLS alert record in answer to a plain CONNECT is mqtt.tls-port',
    phase: 'connack',
    outcome: closed(),
    context: { firstBytes: Buffer.from([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x46]) },
    code: 'mqtt.tls-port',
    says: /TLS record \(15030300020246\): this port speaks TLS.*use transport mqtts/,
  },
  {
    name: 'a close before CONNACK without TLS never speaks of certificates',
    phase: 'connack',
    outcome: closed(),
    context: {},
    code: 'mqtt.closed-before-connack',
    says: /no TLS ran.*expects TLS/,
    neverSays: /ACTIVE/,
  },
  {
    name: 'an HTTP parse error carrying MQTT bytes in the ws phase is ws.not-http',
    phase: 'ws',
    outcome: error(
      nodeError('HPE_INVALID_CONSTANT', 'Parse Error: Expected HTTP/', {
        rawPacket: Buffer.from([0x20, 0x02, 0x00, 0x05]),
      }),
    ),
    context: { plan: makePlan({ transport: 'wss' }) },
    code: 'ws.not-http',
    says: /answered with MQTT bytes \(20020005\).*use transport mqtts/,
  },
  {
    name: 'an unknown ws failure quotes what Node said instead of pointing at a cause never shown',
    phase: 'ws',
    outcome: error(new Error('Server sent no subprotocol')),
    context: { plan: makePlan({ transport: 'wss' }) },
    code: 'ws.unknown',
    says: /\(Server sent no subprotocol\)/,
    neverSays: /cause below/,
  },
  {
    name: 'an AWS name whose chain ends at another CA, with no CONNACK and ALPN dropped, is tls.intercepted',
    phase: 'connack',
    outcome: timeout,
    context: { plan: awsX509, tls: intercepted },
    code: 'tls.intercepted',
    says: /intercepted: its certificate was issued by CN=Corp Inspection CA.*none negotiated.*negotiated none of the ALPN offered/,
  },
  {
    name: 'an AWS name whose chain ends at Amazon Root CA 1 keeps its own code',
    phase: 'connack',
    outcome: timeout,
    context: { plan: awsX509, tls: { ...intercepted, trustAnchor: 'CN=Amazon Root CA 1, O=Amazon, C=US' } },
    code: 'mqtt.connack-timeout',
    says: /no CONNACK/,
  },
  {
    name: 'a private broker name keeps its own code whatever CA it chains to',
    phase: 'connack',
    outcome: closed(),
    context: { plan: { ...awsX509, servername: 'broker.internal' }, tls: intercepted },
    code: 'mqtt.closed-before-connack',
    says: /closed the connection before answering CONNECT/,
  },
];

for (const c of wordsCases) {
  test(c.name, () => {
    const diagnosis = diagnose(new PhaseFailure(c.phase, c.outcome), context(c.context));
    assert.equal(diagnosis.code, c.code);
    const words = `${diagnosis.message} | ${diagnosis.hint}`;
    assert.match(words, c.says);
    if (c.neverSays) assert.doesNotMatch(words, c.neverSays);
  });
}

test('a reset after the tunnel opened names the endpoint, not the proxy address', () => {
  const failure = new PhaseFailure(
    'tls',
    error(nodeError('ECONNRESET', 'read ECONNRESET', { syscall: 'read' })),
  );
  const diagnosis = diagnose(failure, context({ plan: proxied, address: '10.0.0.1' }));
  assert.equal(diagnosis.code, 'tcp.reset');
  assert.notEqual((diagnosis.evidence as { address?: string }).address, '10.0.0.1');
  assert.equal((diagnosis.evidence as { host: string }).host, 'broker.example');
});

test('ws.rejected reads clock skew from the Date header, in words and evidence', () => {
  const failure = new PhaseFailure(
    'ws',
    error(new WsUpgradeError({ statusCode: 403, statusLine: 'HTTP/1.1 403 Forbidden', skewMs: -600_000 })),
  );
  const diagnosis = diagnose(
    failure,
    context({ plan: makePlan({ transport: 'wss', auth: { type: 'sigv4' } }) }),
  );
  assert.equal(diagnosis.code, 'ws.rejected');
  assert.equal((diagnosis.evidence as { reason: string }).reason, 'clock-skew');
  assert.match(diagnosis.message, /600 s \(ours is ahead\)/);
});

for (const c of cases) {
  test(c.name, () => {
    const diagnosis = diagnose(new PhaseFailure(c.phase, c.outcome), context(c.context));
    assert.equal(diagnosis.code, c.expect);
    assert.ok(diagnosis.message.length > 0 && diagnosis.hint.length > 0);
  });
}

/** The error a real callback-style call fails with. */
function realError(start: (callback: (error: unknown) => void) => void): Promise<unknown> {
  return new Promise((resolve) => start(resolve));
}

test('a real ENOTFOUND from dns.lookup is dns.not-found', async () => {
  const raw = await realError((callback) => lookup('mqttprobe-test.invalid', (e) => callback(e)));
  const diagnosis = diagnose(new PhaseFailure('dns', error(raw)), context());
  assert.equal(diagnosis.code, 'dns.not-found');
  assert.equal(diagnosis.cause?.code, 'ENOTFOUND');
});

test('a real ECONNREFUSED from net.connect is tcp.refused, with the cause kept as plain data', async () => {
  const port = await closedPort();
  const raw = await realError((callback) => connect(port, '127.0.0.1').on('error', callback));
  const diagnosis = diagnose(new PhaseFailure('tcp', error(raw)), context({ address: '127.0.0.1' }));
  assert.equal(diagnosis.code, 'tcp.refused');
  assert.deepEqual(Object.keys(diagnosis.cause ?? {}).sort(), [
    'code',
    'errno',
    'message',
    'name',
    'syscall',
  ]);
});

test('tls.server-untrusted names the issuer seen; the QoS 2 suback-timeout hint names QoS 2', () => {
  const untrusted = diagnose(
    new PhaseFailure(
      'tls',
      error(
        new TlsVerifyError({
          code: 'SELF_SIGNED_CERT_IN_CHAIN',
          message: 'x',
          hostname: 'h',
          certificate: CERT,
        }),
      ),
    ),
    context(),
  );
  assert.match(untrusted.message, /Corporate TLS Inspection CA/);
  const qos2 = diagnose(new PhaseFailure('suback', timeout), context({ plan: makePlan({ qos: 2 }) }));
  assert.match(qos2.hint, /QoS 2/);
});

test('threshold diagnoses are built from the same table', () => {
  const diagnosis = makeDiagnosis('threshold.tls', { phase: 'tls', limitMs: 100, actualMs: 180 });
  assert.equal(diagnosis.code, 'threshold.tls');
  assert.match(diagnosis.message, /180 ms/);
});

// A bare close may be a client-ID takeover only when an ID was fixed (a generated one is unique), over MQTT 3.1.1
// and over MQTT 5 alike (mosquitto 2.0.11 closes an MQTT 5 connection it takes over without DISCONNECT 0x8E).
const bareCloses: Array<{ phase: Phase; code: DiagnosisCode }> = [
  { phase: 'connack', code: 'mqtt.closed-before-connack' },
  { phase: 'suback', code: 'mqtt.closed-after-subscribe' },
  { phase: 'puback', code: 'mqtt.closed-after-publish' },
  { phase: 'receive', code: 'mqtt.closed-after-publish' },
  { phase: 'hold', code: 'mqtt.connection-dropped' },
];
const identities = [
  { name: 'a fixed client ID over MQTT 3.1.1', fixed: true, version: 4 as const, takeover: true },
  { name: 'a generated client ID over MQTT 3.1.1', fixed: false, version: 4 as const, takeover: false },
  { name: 'a fixed client ID over MQTT 5', fixed: true, version: 5 as const, takeover: true },
  { name: 'a generated client ID over MQTT 5', fixed: false, version: 5 as const, takeover: false },
];
for (const { phase, code } of bareCloses) {
  for (const identity of identities) {
    test(`${code} in ${phase} with ${identity.name} ${identity.takeover ? 'names' : 'does not name'} a takeover`, () => {
      const d = diagnose(
        new PhaseFailure(phase, closed()),
        context({
          plan: makePlan({ mqtt: { version: identity.version }, holdMs: 1000 }),
          clientId: identity.fixed ? 'line-3' : 'mqttprobe-0123456789ab',
          clientIdFixed: identity.fixed,
        }),
      );
      assert.equal(d.code, code);
      if (identity.takeover) assert.match(d.hint, /another connection with the fixed client ID "line-3"/);
      else assert.doesNotMatch(d.hint, /took the session over|duplicate client ID|same client ID/);
    });
  }
}

test('a server DISCONNECT wins over the close that follows it, in any MQTT phase', () => {
  for (const phase of ['connack', 'suback', 'puback', 'receive', 'hold'] as const) {
    const taken = diagnose(
      new PhaseFailure(phase, closed()),
      context({ serverDisconnect: { reasonCode: 0x8e } }),
    );
    assert.equal(taken.code, 'mqtt.client-id-taken-over', phase);
    const other = diagnose(
      new PhaseFailure(phase, timeout),
      context({ serverDisconnect: { reasonCode: 0x89 } }),
    );
    assert.equal(other.code, 'mqtt.server-disconnect', phase);
    assert.match(other.message, /Server busy \(code 137\)/);
  }
});

// Both families failed: the diagnosis is about the lead attempt (context.address) and its message names the other.
const ipv4Timeout = {
  family: 4 as const,
  address: '10.0.0.1',
  outcome: 'timeout' as const,
  afterMs: 300,
  used: false,
};
const bothFamilies: Array<{
  name: string;
  phase: Phase;
  outcome: FailureOutcome;
  plan?: DiagnosisContext['plan'];
  message: RegExp;
}> = [
  {
    name: 'tcp.timeout',
    phase: 'tcp',
    outcome: timeout,
    message:
      /^TCP connect to \[fd00::1\]:8883 \(IPv6\) got no answer within 300 ms; IPv4 failed too: 10\.0\.0\.1 got no answer within 300 ms$/,
  },
  {
    name: 'tcp.refused',
    phase: 'tcp',
    outcome: error(nodeError('ECONNREFUSED', 'connect ECONNREFUSED')),
    message: /^\[fd00::1\]:8883 \(IPv6\) refused the TCP connection; IPv4 failed too: /,
  },
  {
    name: 'tcp.reset',
    phase: 'tcp',
    outcome: error(nodeError('ECONNRESET', 'read ECONNRESET')),
    message:
      /^the connection to broker\.example:8883 over IPv6 \(fd00::1\) was reset during tcp; IPv4 failed too: /,
  },
  {
    name: 'tcp.unreachable',
    phase: 'tcp',
    outcome: error(nodeError('ENETUNREACH', 'connect ENETUNREACH')),
    message: /^fd00::1 \(IPv6\) cannot be reached from this machine \(ENETUNREACH\); IPv4 failed too: /,
  },
  {
    name: 'tcp.unknown',
    phase: 'tcp',
    outcome: error(nodeError('EWEIRD', 'connect EWEIRD')),
    message: /; IPv4 failed too: 10\.0\.0\.1 got no answer within 300 ms$/,
  },
  {
    name: 'proxy.unreachable',
    phase: 'tcp',
    outcome: timeout,
    plan: proxied,
    message:
      /^the proxy .* cannot be reached: TCP connect to \[fd00::1\]:\d+ \(IPv6\) got no answer within 300 ms; IPv4 failed too: /,
  },
];
for (const c of bothFamilies) {
  test(`with both families failed, ${c.name} names both`, () => {
    const d = diagnose(
      new PhaseFailure(c.phase, c.outcome),
      context({ address: 'fd00::1', otherFamily: ipv4Timeout, ...(c.plan ? { plan: c.plan } : {}) }),
    );
    assert.equal(d.code, c.name);
    assert.match(d.message, c.message);
    assert.deepEqual((d.evidence as { otherFamily?: unknown }).otherFamily, ipv4Timeout);
  });
}
