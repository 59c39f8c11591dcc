import assert from 'node:assert/strict';
import { once } from 'node:events';
import https from 'node:https';
import { after, before, test } from 'node:test';
import type tls from 'node:tls';
import { createCa, createClientCert, type Emulator, startEmulator } from '../../src/emulator/index.js';
import {
  connect,
  connectOk,
  connectPacket,
  endClient,
  nextMessage,
  openTls,
  readUntilClose,
  tlsOptions,
} from './mqtt-clients.js';

let emulator: Emulator;
before(async () => {
  emulator = await startEmulator({
    customAuthorizer: { name: 'probe-auth', username: 'device', password: 's3cret' },
  });
});
after(() => emulator.close());

async function roundTrip(options: Parameters<typeof connectOk>[0]): Promise<string> {
  const client = await connectOk(options);
  try {
    await client.subscribeAsync('probe/echo', { qos: 1 });
    const message = nextMessage(client);
    await client.publishAsync('probe/echo', 'ping', { qos: 1 });
    return (await message).payload;
  } finally {
    await endClient(client);
  }
}

test('8883 with the emulator client certificate completes a round trip', async () => {
  assert.equal(await roundTrip(tlsOptions(emulator, emulator.ports.mqtts)), 'ping');
});

test('8883 refuses a client certificate from another CA', async () => {
  const rogue = await createClientCert(await createCa({ commonName: 'Someone else' }));
  const refusal = once(emulator.events, 'refused');
  const outcome = await connect(
    tlsOptions(emulator, emulator.ports.mqtts, { cert: rogue.cert, key: rogue.key }),
  );
  assert.notEqual(outcome.kind, 'connected');
  assert.match(String((await refusal)[0]), /^tls-/);
});

test('8883 refuses a connection without a client certificate', async () => {
  const outcome = await connect(
    tlsOptions(emulator, emulator.ports.mqtts, { cert: undefined, key: undefined }),
  );
  assert.notEqual(outcome.kind, 'connected');
});

test('443 with ALPN x-amzn-mqtt-ca and the client certificate completes a round trip', async () => {
  const options = tlsOptions(emulator, emulator.ports.alpn, { ALPNProtocols: ['x-amzn-mqtt-ca'] });
  assert.equal(await roundTrip(options), 'ping');
});

test('443 echoes the ALPN protocol it chose', async () => {
  const socket = await openTls({
    host: emulator.host,
    port: emulator.ports.alpn,
    servername: emulator.hostname,
    ca: emulator.ca,
    ...emulator.client,
    ALPNProtocols: ['h2', 'x-amzn-mqtt-ca'],
  });
  assert.equal(socket.alpnProtocol, 'x-amzn-mqtt-ca');
  socket.destroy();
});

test('443 with x-amzn-mqtt-ca but a rogue client certificate is closed', async () => {
  const rogue = await createClientCert(await createCa({ commonName: 'Someone else' }));
  const refusal = once(emulator.events, 'refused');
  const options = tlsOptions(emulator, emulator.ports.alpn, {
    ALPNProtocols: ['x-amzn-mqtt-ca'],
    cert: rogue.cert,
    key: rogue.key,
  });
  const outcome = await connect(options);
  assert.notEqual(outcome.kind, 'connected');
  assert.equal((await refusal)[0], 'client-cert-rejected');
});

const httpRoutes: Array<{ name: string; alpn: string[] | undefined }> = [
  { name: 'no ALPN', alpn: undefined },
  { name: 'ALPN http/1.1', alpn: ['http/1.1'] },
  { name: 'ALPN x-amzn-http-ca', alpn: ['x-amzn-http-ca'] },
];
for (const route of httpRoutes) {
  test(`443 with ${route.name} answers MQTT CONNECT with HTTP/1.1 400 and closes`, async () => {
    const socket = await openTls({
      host: emulator.host,
      port: emulator.ports.alpn,
      servername: emulator.hostname,
      ca: emulator.ca,
      ...emulator.client,
      ...(route.alpn ? { ALPNProtocols: route.alpn } : {}),
    });
    const received = readUntilClose(socket);
    socket.write(connectPacket('http-route'));
    assert.match(await received, /^HTTP\/1\.1 400 Bad Request\r\n/);
  });
}

test('443 answers an ALPN list it does not know with alert 120 (no_application_protocol)', async () => {
  await assert.rejects(
    openTls({
      host: emulator.host,
      port: emulator.ports.alpn,
      servername: emulator.hostname,
      ca: emulator.ca,
      ALPNProtocols: ['h2'],
    }),
    { code: 'ERR_SSL_TLSV1_ALERT_NO_APPLICATION_PROTOCOL' },
  );
});

test('443 with ALPN mqtt accepts the custom authorizer username and password without a certificate', async () => {
  const options = tlsOptions(emulator, emulator.ports.alpn, {
    ALPNProtocols: ['mqtt'],
    cert: undefined,
    key: undefined,
    username: 'device?x-amz-customauthorizer-name=probe-auth',
    password: 's3cret',
  });
  assert.equal(await roundTrip(options), 'ping');
});

const badCustomAuth: Array<{ name: string; username: string; password: string }> = [
  { name: 'a wrong password', username: 'device?x-amz-customauthorizer-name=probe-auth', password: 'nope' },
  {
    name: 'a wrong authorizer name',
    username: 'device?x-amz-customauthorizer-name=other',
    password: 's3cret',
  },
  { name: 'no authorizer name', username: 'device', password: 's3cret' },
];
for (const c of badCustomAuth) {
  test(`443 with ALPN mqtt closes the connection for ${c.name}`, async () => {
    const refusal = once(emulator.events, 'refused');
    const outcome = await connect(
      tlsOptions(emulator, emulator.ports.alpn, {
        ALPNProtocols: ['mqtt'],
        cert: undefined,
        key: undefined,
        username: c.username,
        password: c.password,
      }),
    );
    assert.notEqual(outcome.kind, 'connected');
    assert.equal((await refusal)[0], 'custom-auth-failed');
  });
}

test('443 with ALPN x-amzn-http-ca publishes an HTTPS POST to MQTT subscribers', async () => {
  const subscriber = await connectOk(tlsOptions(emulator, emulator.ports.mqtts));
  await subscriber.subscribeAsync('probe/https', { qos: 1 });
  const message = nextMessage(subscriber);
  const status = await new Promise<number | undefined>((resolve, reject) => {
    const options: https.RequestOptions & tls.ConnectionOptions = {
      host: emulator.host,
      port: emulator.ports.alpn,
      servername: emulator.hostname,
      ca: emulator.ca,
      ...emulator.client,
      ALPNProtocols: ['x-amzn-http-ca'],
      method: 'POST',
      path: '/topics/probe%2Fhttps?qos=1',
      agent: false,
    };
    const req = https.request(options, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', reject);
    req.end('over https');
  });
  assert.equal(status, 200);
  assert.deepEqual(await message, { topic: 'probe/https', payload: 'over https' });
  await endClient(subscriber);
});
