// Real probes over WebSockets: the emulator's WSS with SigV4, and tiny servers that refuse the upgrade one way each.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { after, before, test } from 'node:test';
import { inspect } from 'node:util';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import type { ProbeResult } from '../../src/probe/result.js';
import { runProbe } from '../../src/probe/run-probe.js';
import { SigV4CredentialsError, type SigV4Identity } from '../../src/probe/transport/aws-credentials.js';
import type { Auth } from '../../src/scenario/plan.js';
import { Secret } from '../../src/scenario/secret.js';
import { makePlan, type PlanOverrides } from '../helpers/make-plan.js';
import { startSilentServer } from './helpers/tiny-servers.js';

const SESSION_TOKEN = 'FwoGZXIvYXdzEXAMPLEsessionTOKEN//+=';
let emulator: Emulator;

before(async () => {
  emulator = await startEmulator({
    sigv4: {
      accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
      secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      sessionToken: SESSION_TOKEN,
      region: 'eu-west-1',
    },
  });
});
after(() => emulator.close());

/** A wss plan for the emulator's "443" (no ALPN: the upgrade goes to its HTTPS side). */
function wssPlan(auth: Auth, overrides: PlanOverrides = {}) {
  return makePlan({
    endpoint: emulator.hostname,
    port: emulator.ports.alpn,
    transport: 'wss',
    ca: { path: '/test/ca.pem', pem: emulator.ca },
    auth,
    ...overrides,
  });
}

function identity(secretAccessKey: string): () => Promise<SigV4Identity> {
  const { accessKeyId, region } = emulator.credentials.sigv4;
  return async () => ({ credentials: { accessKeyId, secretAccessKey, sessionToken: SESSION_TOKEN }, region });
}

function assertFails(result: ProbeResult, code: string, phase: string): void {
  assert.equal(result.ok, false, `expected ${code}, but the probe passed`);
  assert.equal(result.diagnosis?.code, code, inspect(result.diagnosis, { depth: 4 }));
  assert.equal(result.failedPhase, phase);
  assert.ok(result.diagnosis?.message && result.diagnosis.hint);
}

/**
 * The SDK's own chain reads the environment: point it away from this machine's ~/.aws and instance metadata,
 * set `vars`, and return what restores the environment.
 */
function isolateAwsEnv(vars: Record<string, string>): () => void {
  const saved = { ...process.env };
  for (const key of Object.keys(process.env)) if (key.startsWith('AWS_')) delete process.env[key];
  Object.assign(process.env, {
    AWS_CONFIG_FILE: '/nonexistent/mqttprobe-test/config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/mqttprobe-test/credentials',
    AWS_EC2_METADATA_DISABLED: 'true',
    ...vars,
  });
  return () => {
    process.env = saved;
  };
}

function evidenceOf(result: ProbeResult): Record<string, unknown> {
  return (result.diagnosis?.evidence ?? {}) as Record<string, unknown>;
}

test('WSS with SigV4 from the standard credential chain passes dns, tcp, tls, ws and the round trip', async () => {
  const { accessKeyId, secretAccessKey, region } = emulator.credentials.sigv4;
  const restore = isolateAwsEnv({
    AWS_ACCESS_KEY_ID: accessKeyId,
    AWS_SECRET_ACCESS_KEY: secretAccessKey,
    AWS_SESSION_TOKEN: SESSION_TOKEN,
  });
  try {
    const result = await runProbe(wssPlan({ type: 'sigv4', region }));
    assert.equal(result.ok, true, inspect(result.diagnosis, { depth: 4 }));
    assert.deepEqual(Object.keys(result.phases), [
      'dns',
      'tcp',
      'tls',
      'ws',
      'connack',
      'suback',
      'puback',
      'receive',
    ]);
    assert.deepEqual(result.ws, { statusCode: 101, protocol: 'mqtt' });
    assert.equal(result.tls?.verified, true);
    assert.doesNotMatch(JSON.stringify(result), /X-Amz-Signature|EXAMPLEKEY|sessionTOKEN/);
  } finally {
    restore();
  }
});

test('a profile the standard chain cannot find is ws.sigv4-credentials naming the profile', async () => {
  const restore = isolateAwsEnv({});
  try {
    const result = await runProbe(
      wssPlan({ type: 'sigv4', region: 'eu-west-1', profile: 'mqttprobe-no-such-profile' }),
    );
    assertFails(result, 'ws.sigv4-credentials', 'ws');
    assert.deepEqual(evidenceOf(result), {
      problem: 'no-credentials',
      profile: 'mqttprobe-no-such-profile',
      region: 'eu-west-1',
    });
    assert.deepEqual(result.phases, {});
  } finally {
    restore();
  }
});

test('a wrong secret key is ws.rejected with 403, read as a signature problem', async () => {
  const result = await runProbe(wssPlan({ type: 'sigv4' }), { resolveIdentity: identity('not-the-secret') });
  assertFails(result, 'ws.rejected', 'ws');
  assert.equal(result.ws?.statusCode, 403);
  const evidence = evidenceOf(result);
  assert.equal(evidence.statusCode, 403);
  assert.equal(evidence.reason, 'signature');
  assert.equal(evidence.path, '/mqtt');
  assert.ok(result.phases.connack === undefined, 'no MQTT phase ran');
});

test('a device clock 20 minutes behind AWS is ws.rejected for clock skew, measured from the Date of the 403', async (t) => {
  // The emulator's clock runs 20 minutes ahead: it sees our signature as 20 minutes old, as AWS does for a device
  // whose clock is behind, and says so only through the Date header of its 403, as AWS does.
  emulator.setFaults({ clockSkewMs: 20 * 60_000 });
  t.after(() => emulator.setFaults({ clockSkewMs: 0 }));
  const result = await runProbe(wssPlan({ type: 'sigv4' }), {
    resolveIdentity: identity(emulator.credentials.sigv4.secretAccessKey),
  });
  assertFails(result, 'ws.rejected', 'ws');
  const evidence = evidenceOf(result);
  assert.equal(evidence.statusCode, 403);
  assert.equal(evidence.reason, 'clock-skew');
  assert.ok(Math.abs(Number(evidence.skewMs) - 1_200_000) < 5_000, inspect(evidence));
  assert.match(result.diagnosis?.message ?? '', /differs from ours by 1(19[89]|20[01]) s \(ours is behind\)/);
});

test('no credentials in the chain is ws.sigv4-credentials, before any network phase', async () => {
  const result = await runProbe(wssPlan({ type: 'sigv4', profile: 'nobody' }), {
    resolveIdentity: async () => {
      throw new SigV4CredentialsError({
        problem: 'no-credentials',
        profile: 'nobody',
        detail: 'Could not load',
      });
    },
  });
  assertFails(result, 'ws.sigv4-credentials', 'ws');
  assert.deepEqual(result.phases, {});
  assert.match(result.diagnosis?.message ?? '', /profile nobody/);
});

/** A plain HTTP server that answers every upgrade with `status`, `headers` and `body`, recording requests. */
async function refusingServer(
  t: { after: (fn: () => Promise<void>) => void },
  reply: { status: number; headers?: Record<string, string>; body?: string },
) {
  const requests: http.IncomingMessage[] = [];
  const server = http.createServer();
  server.on('upgrade', (request: http.IncomingMessage, socket: Duplex) => {
    requests.push(request);
    const body = reply.body ?? '';
    const headers = Object.entries({
      'Content-Length': String(Buffer.byteLength(body)),
      Connection: 'close',
      ...reply.headers,
    })
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('');
    socket.end(`HTTP/1.1 ${reply.status} Refused\r\n${headers}\r\n${body}`);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(async () => {
    server.closeAllConnections();
    server.close();
    await once(server, 'close');
  });
  return { port: (server.address() as AddressInfo).port, requests };
}

test('a 403 whose Date is an hour off our clock is ws.rejected for clock skew, with the skew', async (t) => {
  const server = await refusingServer(t, {
    status: 403,
    headers: { Date: new Date(Date.now() + 3_600_000).toUTCString() },
  });
  const plan = makePlan({ port: server.port, transport: 'ws', auth: { type: 'sigv4', region: 'us-east-1' } });
  const result = await runProbe(plan, { resolveIdentity: identity('any') });
  assertFails(result, 'ws.rejected', 'ws');
  const evidence = evidenceOf(result);
  assert.equal(evidence.reason, 'clock-skew');
  assert.ok(typeof evidence.skewMs === 'number' && evidence.skewMs > 3_000_000, inspect(evidence));
  assert.match(result.diagnosis?.message ?? '', /ours is behind/);
  // The upgrade asked for the mqtt subprotocol with a presigned URL, the token appended.
  const url = new URL(server.requests[0]?.url ?? '', 'http://x');
  assert.equal(server.requests[0]?.headers['sec-websocket-protocol'], 'mqtt');
  assert.equal(url.searchParams.get('X-Amz-Security-Token'), SESSION_TOKEN);
  assert.match(
    url.searchParams.get('X-Amz-Credential') ?? '',
    /\/eu-west-1\/iotdevicegateway\/aws4_request$/,
  );
});

test('a 403 whose body says the signature expired is clock skew even with no Date header', async (t) => {
  const server = await refusingServer(t, {
    status: 403,
    body: '{"message":"Signature expired: 20260101T000000Z is now earlier than 20260101T000500Z"}',
  });
  const plan = makePlan({ port: server.port, transport: 'ws', auth: { type: 'sigv4', region: 'us-east-1' } });
  const result = await runProbe(plan, { resolveIdentity: identity('any') });
  assertFails(result, 'ws.rejected', 'ws');
  assert.equal(evidenceOf(result).reason, 'clock-skew');
});

test('a custom authorizer over WebSockets sends its name, token and signature as upgrade headers', async (t) => {
  const server = await refusingServer(t, { status: 401 });
  const plan = makePlan({
    port: server.port,
    transport: 'ws',
    auth: {
      type: 'custom-authorizer',
      authorizer: 'probe-authorizer',
      token: new Secret('token-value'),
      tokenKeyName: 'x-probe-token',
      signature: new Secret('c2lnbmF0dXJl+/='),
    },
  });
  const result = await runProbe(plan);
  assertFails(result, 'ws.rejected', 'ws');
  assert.equal(evidenceOf(result).reason, 'authorizer');
  const headers = server.requests[0]?.headers ?? {};
  assert.equal(headers['x-amz-customauthorizer-name'], 'probe-authorizer');
  assert.equal(headers['x-probe-token'], 'token-value');
  assert.equal(headers['x-amz-customauthorizer-signature'], 'c2lnbmF0dXJl+/=');
  assert.doesNotMatch(JSON.stringify(result), /token-value|c2lnbmF0dXJl/);
});

test('a 404 on the upgrade is ws.rejected with reason not-found', async (t) => {
  const server = await refusingServer(t, { status: 404 });
  const result = await runProbe(makePlan({ port: server.port, transport: 'ws', path: '/wrong' }));
  assertFails(result, 'ws.rejected', 'ws');
  assert.equal(evidenceOf(result).reason, 'not-found');
});

test('a port that never answers the upgrade is ws.timeout', async (t) => {
  const silent = await startSilentServer();
  t.after(() => silent.close());
  const result = await runProbe(makePlan({ port: silent.port, transport: 'ws', timeoutsMs: { ws: 300 } }));
  assertFails(result, 'ws.timeout', 'ws');
  assert.equal(evidenceOf(result).waitedMs, 300);
});

test('custom authorizer over WSS: the right token header passes the emulator, a wrong one is ws.rejected 403', async () => {
  const { tokenKeyName, token } = emulator.credentials.customAuthorizer;
  const authorizer = (value: string): Auth => ({
    type: 'custom-authorizer',
    authorizer: 'probe-authorizer',
    tokenKeyName: tokenKeyName!,
    token: new Secret(value),
  });
  const passed = await runProbe(wssPlan(authorizer(token!)));
  assert.equal(passed.ok, true, inspect(passed.diagnosis, { depth: 4 }));
  assert.equal(passed.ws?.statusCode, 101);
  const refused = await runProbe(wssPlan(authorizer('wrong-token')));
  assertFails(refused, 'ws.rejected', 'ws');
  assert.ok(refused.diagnosis?.code === 'ws.rejected' && refused.diagnosis.evidence.reason === 'authorizer');
  assert.ok(!JSON.stringify(refused).includes('wrong-token'), 'the token is never in the result');
});
