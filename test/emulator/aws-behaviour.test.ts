import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, afterEach, before, test } from 'node:test';
import type { MqttClient, Packet } from 'mqtt';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import {
  closedByServer,
  connect,
  connectOk,
  endClient,
  nextMessage,
  tlsOptions,
  uniqueClientId,
} from './mqtt-clients.js';

let emulator: Emulator;
before(async () => {
  emulator = await startEmulator();
});
afterEach(() => emulator.setPolicies({}));
after(() => emulator.close());

/** Records the command of every packet the client receives, in order. */
function recordPackets(client: MqttClient): string[] {
  const seen: string[] = [];
  client.on('packetreceive', (packet: Packet) => seen.push(packet.cmd));
  return seen;
}

async function connected(): Promise<MqttClient> {
  return connectOk(tlsOptions(emulator, emulator.ports.mqtts));
}

test('QoS 2 PUBLISH gets no acknowledgement while a later QoS 1 PUBLISH does', async () => {
  const client = await connected();
  const seen = recordPackets(client);
  const reason = once(emulator.events, 'refused');
  client.publish('probe/qos2', 'two', { qos: 2 });
  // The broker handles packets in order, so a PUBREC would arrive before this PUBACK.
  await client.publishAsync('probe/qos1', 'one', { qos: 1 });
  assert.deepEqual(seen, ['puback']);
  assert.equal((await reason)[0], 'qos2-ignored');
  await endClient(client);
});

test('QoS 2 SUBSCRIBE gets no SUBACK while a later QoS 1 SUBSCRIBE does', async () => {
  const client = await connected();
  const seen = recordPackets(client);
  client.subscribe('probe/sub2', { qos: 2 });
  await client.subscribeAsync('probe/sub1', { qos: 1 });
  assert.deepEqual(seen, ['suback']);
  await endClient(client);
});

test('a client ID of 128 bytes is accepted', async () => {
  const client = await connectOk(tlsOptions(emulator, emulator.ports.mqtts, { clientId: 'c'.repeat(128) }));
  await endClient(client);
});

test('a client ID over 128 bytes closes the connection without a CONNACK', async () => {
  const reason = once(emulator.events, 'refused');
  const outcome = await connect(tlsOptions(emulator, emulator.ports.mqtts, { clientId: 'é'.repeat(65) }));
  assert.equal(outcome.kind, 'closed');
  assert.equal((await reason)[0], 'client-id-too-long');
});

const refusedPublishes: Array<{ name: string; topic: string; payload: Buffer; reason: string }> = [
  {
    name: 'a topic over 256 bytes',
    topic: `t/${'x'.repeat(255)}`,
    payload: Buffer.from('x'),
    reason: 'topic-too-long',
  },
  {
    name: 'a topic with 8 slashes',
    topic: 'a/b/c/d/e/f/g/h/i',
    payload: Buffer.from('x'),
    reason: 'topic-too-many-slashes',
  },
  { name: 'a reserved $ topic', topic: '$SYS/broker', payload: Buffer.from('x'), reason: 'topic-reserved' },
  {
    name: 'a payload over 128 KB',
    topic: 'probe/big',
    payload: Buffer.alloc(128 * 1024 + 1),
    reason: 'payload-too-large',
  },
];
for (const c of refusedPublishes) {
  test(`publishing to ${c.name} closes the connection`, async () => {
    const client = await connected();
    const reason = once(emulator.events, 'refused');
    const closed = closedByServer(client);
    client.publish(c.topic, c.payload, { qos: 1 });
    await closed;
    assert.equal((await reason)[0], c.reason);
    await endClient(client);
  });
}

const acceptedPublishes: Array<{ name: string; topic: string; payload: Buffer }> = [
  { name: 'a topic of 7 slashes', topic: 'a/b/c/d/e/f/g/h', payload: Buffer.from('x') },
  { name: 'a $aws topic', topic: '$aws/things/probe/shadow/update', payload: Buffer.from('{}') },
  { name: 'a payload of exactly 128 KB', topic: 'probe/big', payload: Buffer.alloc(128 * 1024) },
];
for (const c of acceptedPublishes) {
  test(`publishing to ${c.name} is acknowledged`, async () => {
    const client = await connected();
    await client.publishAsync(c.topic, c.payload, { qos: 1 });
    await endClient(client);
  });
}

test('subscribing to a filter with 8 slashes closes the connection', async () => {
  const client = await connected();
  const closed = closedByServer(client);
  client.subscribe('a/b/c/d/e/f/g/h/#', { qos: 1 });
  await closed;
  await endClient(client);
});

test('a second connection with the same client ID drops the first', async () => {
  const clientId = uniqueClientId('takeover');
  const first = await connectOk(tlsOptions(emulator, emulator.ports.mqtts, { clientId }));
  const firstClosed = closedByServer(first);
  const second = await connectOk(tlsOptions(emulator, emulator.ports.mqtts, { clientId }));
  await firstClosed;
  assert.equal(second.connected, true);
  await endClient(first);
  await endClient(second);
});

test('a connect policy closes a client whose ID it does not allow, and admits one it does', async () => {
  emulator.setPolicies({ connect: ['sensor-*'] });
  const reason = once(emulator.events, 'refused');
  const refused = await connect(tlsOptions(emulator, emulator.ports.mqtts, { clientId: 'camera-1' }));
  assert.equal(refused.kind, 'closed');
  assert.equal((await reason)[0], 'policy-connect');
  await endClient(
    await connectOk(tlsOptions(emulator, emulator.ports.mqtts, { clientId: uniqueClientId('sensor') })),
  );
});

test('a publish policy closes the connection on a topic it does not allow', async () => {
  emulator.setPolicies({ publish: ['allowed/#'] });
  const client = await connected();
  await client.publishAsync('allowed/x', 'ok', { qos: 1 });
  const reason = once(emulator.events, 'refused');
  const closed = closedByServer(client);
  client.publish('denied/x', 'no', { qos: 1 });
  await closed;
  assert.equal((await reason)[0], 'policy-publish');
  await endClient(client);
});

test('a subscribe policy closes the connection on a filter outside it', async () => {
  emulator.setPolicies({ subscribe: ['allowed/+'] });
  const client = await connected();
  await client.subscribeAsync('allowed/x', { qos: 1 });
  const reason = once(emulator.events, 'refused');
  const closed = closedByServer(client);
  client.subscribe('allowed/#', { qos: 1 });
  await closed;
  assert.equal((await reason)[0], 'policy-subscribe');
  await endClient(client);
});

test('a receive policy silently withholds messages on topics it does not allow', async () => {
  emulator.setPolicies({ receive: ['probe/allowed'] });
  const client = await connected();
  const messages: string[] = [];
  client.on('message', (topic) => messages.push(topic));
  await client.subscribeAsync(['probe/denied', 'probe/allowed'], { qos: 1 });
  await client.publishAsync('probe/denied', 'no', { qos: 1 });
  const delivered = nextMessage(client);
  await client.publishAsync('probe/allowed', 'yes', { qos: 1 });
  await delivered;
  // Deliveries keep publish order, so a withheld-but-delivered message would have come first.
  assert.deepEqual(messages, ['probe/allowed']);
  assert.equal(client.connected, true);
  await endClient(client);
});
