// The emulator answers MQTT 5 clients as AWS IoT Core does: CONNACK properties, reason codes for its policies,
// quotas and faults, session takeover and shutdown in a DISCONNECT. Checked with mosquitto_pub/mosquitto_sub
// (a client we did not write) and with MQTT.js speaking MQTT 5.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, afterEach, before, test } from 'node:test';
import mqtt, {
  type IClientOptions,
  type IConnackPacket,
  type IDisconnectPacket,
  type MqttClient,
} from 'mqtt';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { tempDir } from '../helpers/scenario-files.js';
import { systemTest } from '../helpers/system.js';
import { connect, connectOk, endClient, nextMessage, tlsOptions, uniqueClientId } from './mqtt-clients.js';

let emulator: Emulator;
before(async () => {
  emulator = await startEmulator();
});
afterEach(() => {
  emulator.setPolicies({});
  emulator.setFaults({ connackRefusal: null });
});
after(() => emulator.close());

const v5 = (extra: Parameters<typeof tlsOptions>[2] = {}) =>
  tlsOptions(emulator, emulator.ports.mqtts, { protocolVersion: 5, ...extra });

/** Connects and resolves with the client and the CONNACK it was accepted with. */
async function connectWithConnack(
  options: IClientOptions,
): Promise<{ client: MqttClient; connack: IConnackPacket }> {
  const client = mqtt.connect(options);
  const connack = await new Promise<IConnackPacket>((resolve, reject) => {
    client.once('connect', resolve);
    client.once('error', reject);
  });
  client.on('error', () => {});
  return { client, connack };
}

/** Resolves with the server's DISCONNECT packet. */
function serverDisconnect(client: MqttClient): Promise<IDisconnectPacket> {
  return new Promise((resolve) => client.once('disconnect', resolve));
}

/** Runs a mosquitto client against one emulator port; resolves with its exit code and all it printed. */
function mosquitto(
  t: Parameters<typeof tempDir>[0],
  command: 'mosquitto_pub' | 'mosquitto_sub',
  port: 'mqtts' | 'alpn',
  args: string[],
): Promise<{ code: number; output: string }> {
  const dir = tempDir(t);
  writeFileSync(path.join(dir, 'ca.pem'), emulator.ca);
  writeFileSync(path.join(dir, 'client.pem'), emulator.client.cert);
  writeFileSync(path.join(dir, 'client.key'), emulator.client.key);
  const base = [
    '-h',
    emulator.host,
    '-p',
    String(emulator.ports[port]),
    '--cafile',
    path.join(dir, 'ca.pem'),
    '--cert',
    path.join(dir, 'client.pem'),
    '--key',
    path.join(dir, 'client.key'),
    '-V',
    'mqttv5',
    '-d',
    ...(port === 'alpn' ? ['--tls-alpn', 'x-amzn-mqtt-ca'] : []),
  ];
  return new Promise((resolve) => {
    execFile(command, [...base, ...args], { timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? Number((error as { code?: unknown }).code ?? 1) : 0;
      resolve({ code, output: `${stdout}${stderr}` });
    });
  });
}

for (const port of ['mqtts', 'alpn'] as const) {
  systemTest(
    `mosquitto_pub -V mqttv5 publishes at QoS 1 on the ${port} port and gets PUBACK success`,
    { commands: ['mosquitto_pub'] },
    async (t) => {
      const run = await mosquitto(t, 'mosquitto_pub', port, ['-t', 'probe/ok', '-m', 'x', '-q', '1']);
      assert.equal(run.code, 0, run.output);
      assert.match(run.output, /received CONNACK \(0\)/);
      assert.match(run.output, /received PUBACK \(Mid: 1, RC:0\)/);
    },
  );

  systemTest(
    `mosquitto_pub -V mqttv5 on the ${port} port hears "Not authorized" (0x87) in the PUBACK of a denied topic`,
    { commands: ['mosquitto_pub'] },
    async (t) => {
      emulator.setPolicies({ publish: ['allowed/#'] });
      const run = await mosquitto(t, 'mosquitto_pub', port, ['-t', 'denied/x', '-m', 'x', '-q', '1']);
      assert.match(run.output, /received PUBACK \(Mid: 1, RC:135\)/, run.output);
      assert.match(run.output, /Not authorized/);
    },
  );
}

systemTest(
  'mosquitto_sub -V mqttv5 gets a SUBACK per filter: 0x87 for the denied one, QoS 0 for the allowed one',
  { commands: ['mosquitto_sub'] },
  async (t) => {
    emulator.setPolicies({ subscribe: ['allowed/#'] });
    const run = await mosquitto(t, 'mosquitto_sub', 'mqtts', [
      '-t',
      'denied/x',
      '-t',
      'allowed/x',
      '-C',
      '1',
      '-W',
      '1',
    ]);
    assert.match(run.output, /Subscribed \(mid: 1\): 135, 0/, run.output);
  },
);

systemTest(
  'mosquitto_pub -V mqttv5 with a 129-byte client ID is refused with CONNACK 0x85 "Client Identifier not valid"',
  { commands: ['mosquitto_pub'] },
  async (t) => {
    const run = await mosquitto(t, 'mosquitto_pub', 'alpn', ['-i', 'x'.repeat(129), '-t', 'a', '-m', 'x']);
    assert.notEqual(run.code, 0);
    assert.match(run.output, /received CONNACK \(133\)/, run.output);
    assert.match(run.output, /Client Identifier not valid/);
  },
);

test('CONNACK carries AWS IoT Core properties, with the keepalive and session expiry clamped', async () => {
  const { client, connack } = await connectWithConnack(
    v5({ keepalive: 5, properties: { sessionExpiryInterval: 7 * 24 * 3600 } }),
  );
  assert.deepEqual(connack.properties, {
    maximumQoS: 1,
    retainAvailable: true,
    wildcardSubscriptionAvailable: true,
    sharedSubscriptionAvailable: true,
    subscriptionIdentifiersAvailable: false,
    topicAliasMaximum: 8,
    maximumPacketSize: 131072,
    sessionExpiryInterval: 3600,
    serverKeepAlive: 30,
  });
  await endClient(client);
});

test('a keepalive of 0 is announced back as a Server Keep Alive of 1200 s', async () => {
  const { client, connack } = await connectWithConnack(v5({ keepalive: 0 }));
  assert.equal(connack.properties?.serverKeepAlive, 1200);
  await endClient(client);
});

test('an MQTT 5 round trip through the emulator delivers the message, also through a topic alias', async () => {
  const subscriber = await connectOk(v5());
  const publisher = await connectOk(v5());
  await subscriber.subscribeAsync('probe/v5', { qos: 1 });
  const first = nextMessage(subscriber);
  await publisher.publishAsync('probe/v5', 'one', { qos: 1, properties: { topicAlias: 3 } });
  assert.deepEqual(await first, { topic: 'probe/v5', payload: 'one' });
  const second = nextMessage(subscriber);
  await publisher.publishAsync('', 'two', { qos: 1, properties: { topicAlias: 3 } });
  assert.deepEqual(await second, { topic: 'probe/v5', payload: 'two' });
  await Promise.all([endClient(subscriber), endClient(publisher)]);
});

test('a denied QoS 1 PUBLISH is refused in its PUBACK (0x87) and the session goes on', async () => {
  emulator.setPolicies({ publish: ['allowed/#'] });
  const client = await connectOk(v5());
  await assert.rejects(client.publishAsync('denied/x', 'x', { qos: 1 }), (error: { code?: number }) => {
    assert.equal(error.code, 0x87);
    return true;
  });
  await client.publishAsync('allowed/x', 'x', { qos: 1 });
  await endClient(client);
});

test('a denied QoS 0 PUBLISH ends the session with DISCONNECT 0x87', async () => {
  emulator.setPolicies({ publish: ['allowed/#'] });
  const client = await connectOk(v5());
  const disconnect = serverDisconnect(client);
  client.publish('denied/x', 'x', { qos: 0 });
  assert.equal((await disconnect).reasonCode, 0x87);
  await endClient(client);
});

test('a topic with 8 slashes is refused with PUBACK 0x90 Topic Name invalid', async () => {
  const client = await connectOk(v5());
  await assert.rejects(client.publishAsync('a/b/c/d/e/f/g/h/i', 'x', { qos: 1 }), { code: 0x90 });
  await endClient(client);
});

test('a payload over 128 KB ends the session with DISCONNECT 0x95 Packet too large', async () => {
  const client = await connectOk(v5());
  const disconnect = serverDisconnect(client);
  client.publish('probe/big', Buffer.alloc(128 * 1024 + 1), { qos: 0 });
  assert.equal((await disconnect).reasonCode, 0x95);
  await endClient(client);
});

test('a denied iot:Connect is CONNACK 0x87 Not authorized', async () => {
  emulator.setPolicies({ connect: ['thing-*'] });
  const outcome = await connect(v5({ clientId: 'other-device' }));
  assert.equal(outcome.kind, 'error');
  if (outcome.kind === 'error') assert.equal(outcome.error.code, 0x87);
});

test('the connack=5 fault answers an MQTT 5 client with its MQTT 5 equivalent, 0x87', async () => {
  emulator.setFaults({ connackRefusal: 5 });
  const outcome = await connect(v5());
  assert.equal(outcome.kind, 'error');
  if (outcome.kind === 'error') assert.equal(outcome.error.code, 0x87);
});

test('a second connection with the same client ID takes the session over: the first hears DISCONNECT 0x8E', async () => {
  const clientId = uniqueClientId('takeover');
  const first = await connectOk(v5({ clientId }));
  const disconnect = serverDisconnect(first);
  const second = await connectOk(v5({ clientId }));
  assert.equal((await disconnect).reasonCode, 0x8e);
  await Promise.all([endClient(first), endClient(second)]);
});

test('SUBSCRIBE at QoS 2 gets no SUBACK, as AWS ignores QoS 2', async () => {
  const client = await connectOk(v5());
  const ignored = once(emulator.events, 'refused');
  client.subscribe('probe/qos2', { qos: 2 });
  assert.deepEqual(await ignored, ['qos2-ignored']);
  await endClient(client);
});

test('an MQTT 3.1.1 session is not resumed by an MQTT 5 connection with the same client ID', async () => {
  const clientId = uniqueClientId('resume');
  const persistent = { clientId, clean: false };
  const v3 = await connectOk(tlsOptions(emulator, emulator.ports.mqtts, persistent));
  await v3.subscribeAsync('probe/resume', { qos: 1 });
  await endClient(v3);
  const again = await connectWithConnack(tlsOptions(emulator, emulator.ports.mqtts, persistent));
  assert.equal(again.connack.sessionPresent, true, 'MQTT 3.1.1 resumes its own session');
  await endClient(again.client);
  const viaV5 = await connectWithConnack(
    v5({ clientId, clean: false, properties: { sessionExpiryInterval: 300 } }),
  );
  assert.equal(viaV5.connack.sessionPresent, false);
  await endClient(viaV5.client);
});

test('an MQTT 5 client hears DISCONNECT 0x8B when the emulator stops', async () => {
  const own = await startEmulator();
  const client = await connectOk(tlsOptions(own, own.ports.mqtts, { protocolVersion: 5 }));
  const disconnect = serverDisconnect(client);
  await own.close();
  assert.equal((await disconnect).reasonCode, 0x8b);
  await endClient(client);
});
