import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { IncomingMessage } from 'node:http';
import { after, before, test } from 'node:test';
import type tls from 'node:tls';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import mqtt from 'mqtt';
import WebSocket, { createWebSocketStream } from 'ws';
import { type Emulator, presignWebSocketUrl, startEmulator } from '../../src/emulator/index.js';
import { endClient, nextMessage, settle, uniqueClientId } from './mqtt-clients.js';

let emulator: Emulator;
before(async () => {
  emulator = await startEmulator({
    sigv4: {
      accessKeyId: 'AKIDEXAMPLE',
      secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
      sessionToken: 'FQoGZXIvYXdzEXAMPLE+token/with=chars',
      region: 'eu-west-1',
    },
  });
});
after(() => emulator.close());

/** The `host[:port]` a client would sign: the emulator host name and its "443" port. */
function authority(): string {
  return `${emulator.hostname}:${emulator.ports.alpn}`;
}

/** Rewrites a presigned wss://hostname URL to dial the emulator's address while keeping Host and SNI. */
function openWebSocket(url: string): WebSocket {
  const dial = new URL(url);
  const options: WebSocket.ClientOptions & tls.ConnectionOptions = {
    ca: emulator.ca,
    servername: emulator.hostname,
    headers: { host: dial.host },
  };
  return new WebSocket(url.replace(dial.host, `${emulator.host}:${emulator.ports.alpn}`), ['mqtt'], options);
}

/** Resolves with the HTTP status of a refused upgrade, or 101 when it was accepted. */
async function upgradeStatus(url: string): Promise<number> {
  const ws = openWebSocket(url);
  return new Promise((resolve, reject) => {
    ws.once('unexpected-response', (_req, res: IncomingMessage) => {
      res.resume();
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.once('open', () => {
      resolve(101);
      ws.terminate();
    });
    ws.once('error', reject);
  });
}

test('a correctly presigned URL connects MQTT over WebSockets and completes a round trip', async () => {
  const url = await presignWebSocketUrl({ host: authority(), credentials: emulator.credentials.sigv4 });
  const client = new mqtt.MqttClient(() => createWebSocketStream(openWebSocket(url)), {
    clientId: uniqueClientId('wss'),
    protocolVersion: 4,
    reconnectPeriod: 0,
  });
  const outcome = await settle(client);
  assert.equal(outcome.kind, 'connected');
  await client.subscribeAsync('probe/wss', { qos: 1 });
  const message = nextMessage(client);
  await client.publishAsync('probe/wss', 'over ws', { qos: 1 });
  assert.equal((await message).payload, 'over ws');
  await endClient(client);
});

test('a URL signed for the host name without the port is accepted too', async () => {
  const url = await presignWebSocketUrl({ host: emulator.hostname, credentials: emulator.credentials.sigv4 });
  const signedForHost = url.replace(`wss://${emulator.hostname}/`, `wss://${authority()}/`);
  assert.equal(await upgradeStatus(signedForHost), 101);
});

const refusals: Array<{ name: string; url: () => Promise<string>; reason: string }> = [
  {
    name: 'a wrong secret key',
    url: () =>
      presignWebSocketUrl({
        host: authority(),
        credentials: { ...emulator.credentials.sigv4, secretAccessKey: 'not-the-secret' },
      }),
    reason: 'ws-sigv4-signature-mismatch',
  },
  {
    name: 'an unknown access key',
    url: () =>
      presignWebSocketUrl({
        host: authority(),
        credentials: { ...emulator.credentials.sigv4, accessKeyId: 'AKIDOTHER' },
      }),
    reason: 'ws-sigv4-unknown-access-key',
  },
  {
    name: 'another region',
    url: () =>
      presignWebSocketUrl({
        host: authority(),
        credentials: { ...emulator.credentials.sigv4, region: 'us-east-1' },
      }),
    reason: 'ws-sigv4-wrong-scope',
  },
  {
    name: 'no signature at all',
    url: async () => `wss://${authority()}/mqtt`,
    reason: 'ws-sigv4-missing-signature',
  },
  {
    name: 'a missing session token',
    url: () =>
      presignWebSocketUrl({
        host: authority(),
        credentials: { ...emulator.credentials.sigv4, sessionToken: undefined },
      }),
    reason: 'ws-sigv4-bad-session-token',
  },
  {
    name: 'an expired signature',
    url: () =>
      presignWebSocketUrl({
        host: authority(),
        credentials: emulator.credentials.sigv4,
        expiresInS: 60,
        signingDate: new Date(Date.now() - 3_600_000),
      }),
    reason: 'ws-sigv4-expired',
  },
  {
    name: 'a session token inside the signature (the SDK default that AWS IoT rejects)',
    url: async () => {
      const { accessKeyId, secretAccessKey, sessionToken, region } = emulator.credentials.sigv4;
      const signer = new SignatureV4({
        credentials: { accessKeyId, secretAccessKey, sessionToken },
        region,
        service: 'iotdevicegateway',
        sha256: Sha256,
      });
      const signed = await signer.presign(
        {
          method: 'GET',
          protocol: 'https:',
          hostname: authority(),
          path: '/mqtt',
          query: {},
          headers: { host: authority() },
        },
        { expiresIn: 900 },
      );
      const query = new URLSearchParams(signed.query as Record<string, string>);
      return `wss://${authority()}/mqtt?${query.toString()}`;
    },
    reason: 'ws-sigv4-signature-mismatch',
  },
  {
    name: 'a tampered query',
    url: async () =>
      `${await presignWebSocketUrl({ host: authority(), credentials: emulator.credentials.sigv4 })}`.replace(
        /X-Amz-Expires=\d+/,
        'X-Amz-Expires=86400',
      ),
    reason: 'ws-sigv4-signature-mismatch',
  },
];
for (const c of refusals) {
  test(`the upgrade is refused with 403 for ${c.name}`, async () => {
    const reason = once(emulator.events, 'refused');
    assert.equal(await upgradeStatus(await c.url()), 403);
    assert.equal((await reason)[0], c.reason);
  });
}

test('a path other than /mqtt gets 404', async () => {
  const url = await presignWebSocketUrl({
    host: authority(),
    path: '/other',
    credentials: emulator.credentials.sigv4,
  });
  assert.equal(await upgradeStatus(url), 404);
});
