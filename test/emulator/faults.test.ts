import assert from 'node:assert/strict';
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import { after, afterEach, before, test } from 'node:test';
import tls from 'node:tls';
import { type Emulator, type EmulatorFaults, startEmulator } from '../../src/emulator/index.js';
import { NO_FAULTS } from '../../src/emulator/options.js';
import { closedByServer, connect, connectOk, endClient, tlsOptions } from './mqtt-clients.js';

const OFF: EmulatorFaults = { ...NO_FAULTS };

let emulator: Emulator;
before(async () => {
  emulator = await startEmulator();
});
afterEach(() => emulator.setFaults(OFF));
after(() => emulator.close());

test('faults start off', () => {
  assert.deepEqual(emulator.faults, OFF);
});

test('a stalled TLS handshake never completes; only the client timeout ends it', async () => {
  emulator.setFaults({ stallTlsHandshake: true });
  const socket = tls.connect({
    host: emulator.host,
    port: emulator.ports.mqtts,
    servername: emulator.hostname,
    ca: emulator.ca,
  });
  let secured = false;
  socket.once('secureConnect', () => {
    secured = true;
  });
  await once(socket, 'connect');
  // The phase timeout is the event that ends the wait, as a probe's own timeout would.
  socket.setTimeout(150);
  await once(socket, 'timeout');
  assert.equal(secured, false);
  socket.destroy();
});

test('close after CONNECT ends the connection with no CONNACK', async () => {
  emulator.setFaults({ closeAfterConnect: true });
  const outcome = await connect(tlsOptions(emulator, emulator.ports.mqtts));
  assert.equal(outcome.kind, 'closed');
});

for (const code of [1, 2, 3, 4, 5] as const) {
  test(`CONNACK refusal ${code} reaches the client as that return code`, async () => {
    emulator.setFaults({ connackRefusal: code });
    const outcome = await connect(tlsOptions(emulator, emulator.ports.mqtts));
    assert.equal(outcome.kind, 'error');
    assert.equal(outcome.kind === 'error' ? outcome.error.code : undefined, code);
  });
}

test('a phase delay holds back the handshake and CONNACK by at least the delay each', async () => {
  emulator.setFaults({ phaseDelayMs: 60 });
  const started = performance.now();
  const client = await connectOk(tlsOptions(emulator, emulator.ports.mqtts));
  // Lower bounds only: timers never fire early, so this cannot flake on a slow machine.
  assert.ok(performance.now() - started >= 120);
  const subscribed = performance.now();
  await client.subscribeAsync('probe/delay', { qos: 1 });
  assert.ok(performance.now() - subscribed >= 60);
  await endClient(client);
});

const certFaults: Array<{ mode: EmulatorFaults['serverCert']; code: string }> = [
  { mode: 'untrusted', code: 'SELF_SIGNED_CERT_IN_CHAIN' },
  { mode: 'expired', code: 'CERT_HAS_EXPIRED' },
  { mode: 'wrong-host', code: 'ERR_TLS_CERT_ALTNAME_INVALID' },
];
for (const c of certFaults) {
  for (const port of ['mqtts', 'alpn'] as const) {
    test(`the ${c.mode} server certificate fault on the ${port} port fails verification with ${c.code}`, async () => {
      emulator.setFaults({ serverCert: c.mode });
      const outcome = await connect(
        tlsOptions(
          emulator,
          emulator.ports[port],
          port === 'alpn' ? { ALPNProtocols: ['x-amzn-mqtt-ca'] } : {},
        ),
      );
      assert.equal(outcome.kind, 'error');
      assert.equal(outcome.kind === 'error' ? outcome.error.code : undefined, c.code);
    });
  }
}

test('switching the certificate back to valid restores connections', async () => {
  emulator.setFaults({ serverCert: 'expired' });
  emulator.setFaults({ serverCert: 'valid' });
  await endClient(await connectOk(tlsOptions(emulator, emulator.ports.mqtts)));
});

test('refusing connections without SNI closes one that sent none and admits one that did', async () => {
  emulator.setFaults({ refuseWithoutSni: true });
  const reason = once(emulator.events, 'refused');
  // Node sends no SNI for an IP address; the certificate names 127.0.0.1, so only the SNI rule can refuse it.
  const outcome = await connect(
    tlsOptions(emulator, emulator.ports.mqtts, { host: '127.0.0.1', servername: '' }),
  );
  assert.notEqual(outcome.kind, 'connected');
  assert.equal((await reason)[0], 'sni-missing');
  await endClient(await connectOk(tlsOptions(emulator, emulator.ports.mqtts)));
});

test('close on SUBSCRIBE ends the connection with no SUBACK', async () => {
  emulator.setFaults({ closeOnSubscribe: true });
  const client = await connectOk(tlsOptions(emulator, emulator.ports.mqtts));
  const closed = closedByServer(client);
  const packets: string[] = [];
  client.on('packetreceive', (packet) => packets.push(packet.cmd));
  client.subscribe('probe/x', { qos: 1 });
  await closed;
  assert.deepEqual(packets, []);
  await endClient(client);
});

test('close on PUBLISH ends the connection with no PUBACK', async () => {
  emulator.setFaults({ closeOnPublish: true });
  const client = await connectOk(tlsOptions(emulator, emulator.ports.mqtts));
  await client.subscribeAsync('probe/x', { qos: 1 });
  const closed = closedByServer(client);
  const packets: string[] = [];
  client.on('packetreceive', (packet) => packets.push(packet.cmd));
  client.publish('probe/x', 'x', { qos: 1 });
  await closed;
  assert.deepEqual(packets, []);
  await endClient(client);
});

test('never deliver acknowledges the publish but delivers nothing', async () => {
  emulator.setFaults({ neverDeliver: true });
  const client = await connectOk(tlsOptions(emulator, emulator.ports.mqtts));
  const messages: string[] = [];
  client.on('message', (topic) => messages.push(topic));
  await client.subscribeAsync('probe/void', { qos: 1 });
  await client.publishAsync('probe/void', 'x', { qos: 1 });
  // A round trip after the publish: PINGRESP comes after any delivery the broker would have made.
  const pong = new Promise<void>((resolve) =>
    client.on('packetreceive', (packet) => packet.cmd === 'pingresp' && resolve()),
  );
  client.sendPing();
  await pong;
  assert.deepEqual(messages, []);
  await endClient(client);
});
