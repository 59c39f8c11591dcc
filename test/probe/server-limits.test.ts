// What the broker told us: CONNACK limits respected and named, wrong acknowledgements, refused protocol versions,
// and a connection that died silently during hold; each against a scripted broker over a real socket.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inspect } from 'node:util';
import mqttPacket, { type Packet } from 'mqtt-packet';
import { publishPacketBytes, subscribePacketBytes } from '../../src/probe/mqtt/server-limits.js';
import type { ProbeResult } from '../../src/probe/result.js';
import { runProbe } from '../../src/probe/run-probe.js';
import { makePlan, type PlanOverrides } from '../helpers/make-plan.js';
import { assertFails } from './helpers/assert-fails.js';
import { type BrokerScript, startScriptedBroker } from './helpers/scripted-broker.js';

/** Probes a scripted broker and returns the result and every packet it received. */
async function probeWith(
  script: BrokerScript,
  overrides: PlanOverrides,
): Promise<{ result: ProbeResult; received: Packet[] }> {
  const broker = await startScriptedBroker(script);
  const received: Packet[] = [];
  broker.events.on('packet', (packet) => received.push(packet));
  try {
    const result = await runProbe(makePlan({ port: broker.port, ...overrides }));
    return { result, received };
  } finally {
    await broker.close();
  }
}

const V5 = { mqtt: { version: 5 as const } };

test('MQTT 5 QoS 2 against a CONNACK with Maximum QoS 1 is not sent, and the diagnosis names the limit', async () => {
  const { result, received } = await probeWith({ connackProperties: { maximumQoS: 1 } }, { ...V5, qos: 2 });
  assertFails(result, 'mqtt.qos-not-supported', 'puback');
  assert.equal(
    received.some((packet) => packet.cmd === 'publish'),
    false,
    'no QoS 2 PUBLISH reached the broker',
  );
  assert.match(result.diagnosis?.message ?? '', /Maximum QoS 1/);
  assert.match(result.diagnosis?.hint ?? '', /qos: 1/);
  assert.equal(result.connack?.properties?.maximumQoS, 1);
});

test('QoS 1 under a Maximum QoS of 1 passes; Maximum QoS 0 refuses it', async () => {
  const allowed = await probeWith({ connackProperties: { maximumQoS: 1 } }, { ...V5, qos: 1 });
  assert.equal(allowed.result.ok, true, inspect(allowed.result.diagnosis));
  const refused = await probeWith({ connackProperties: { maximumQoS: 0 } }, { ...V5, qos: 1 });
  assertFails(refused.result, 'mqtt.qos-not-supported', 'puback');
});

test('a PUBLISH larger than the Maximum Packet Size is not sent; one that fits passes', async () => {
  const payload = Buffer.alloc(2000, 'x');
  const { result, received } = await probeWith(
    { connackProperties: { maximumPacketSize: 1024 } },
    { ...V5, payload },
  );
  assertFails(result, 'mqtt.packet-over-server-limit', 'puback');
  assert.equal(
    received.some((packet) => packet.cmd === 'publish'),
    false,
  );
  if (result.diagnosis?.code === 'mqtt.packet-over-server-limit') {
    assert.equal(result.diagnosis.evidence.maximumPacketSize, 1024);
    assert.ok(result.diagnosis.evidence.packetBytes > 2000);
  }
  assert.match(result.diagnosis?.message ?? '', /Maximum Packet Size 1024 bytes/);

  const fits = await probeWith({ connackProperties: { maximumPacketSize: 4096 } }, { ...V5, payload });
  assert.equal(fits.result.ok, true, inspect(fits.result.diagnosis));
});

test('a topic too long for the Maximum Packet Size stops at SUBSCRIBE', async () => {
  const { result, received } = await probeWith(
    { connackProperties: { maximumPacketSize: 64 } },
    { ...V5, topic: `t/${'a'.repeat(100)}`, payload: Buffer.from('x') },
  );
  assertFails(result, 'mqtt.packet-over-server-limit', 'suback');
  assert.equal(
    received.some((packet) => packet.cmd === 'subscribe'),
    false,
  );
  assert.match(result.diagnosis?.message ?? '', /SUBSCRIBE was not sent/);
});

test('the size the probe computes for its packets is what mqtt-packet writes', () => {
  for (const version of [4, 5]) {
    for (const qos of [0, 1, 2] as const) {
      for (const payloadBytes of [0, 100, 20_000, 3_000_000]) {
        const topic = `mqttprobe/größe-${payloadBytes}`;
        const written = mqttPacket.generate(
          {
            cmd: 'publish',
            topic,
            payload: Buffer.alloc(payloadBytes),
            qos,
            retain: false,
            dup: false,
            messageId: 1,
          },
          { protocolVersion: version },
        );
        assert.equal(publishPacketBytes({ topic, qos, payloadBytes, version }), written.length);
      }
      const topic = 'mqttprobe/abc';
      const subscribe = mqttPacket.generate(
        { cmd: 'subscribe', messageId: 1, subscriptions: [{ topic, qos }] },
        { protocolVersion: version },
      );
      assert.equal(subscribePacketBytes({ topic, version }), subscribe.length);
    }
  }
});

test('a broker that answers a QoS 2 PUBLISH with PUBACK is named as such', async () => {
  const { result } = await probeWith({ qos2Ack: 'puback' }, { qos: 2 });
  assertFails(result, 'mqtt.unexpected-ack', 'puback');
  assert.match(result.diagnosis?.message ?? '', /QoS 2 PUBLISH .* with PUBACK, not PUBREC/);
  assert.match(result.diagnosis?.hint ?? '', /treats QoS 2 as QoS 1/);
});

for (const { name, version, code } of [
  { name: 'MQTT 5 reason 0x84', version: 5 as const, code: 0x84 },
  { name: 'MQTT 3.1.1 return code 1', version: 4 as const, code: 1 },
]) {
  test(`a CONNACK refusing the protocol version (${name}) has its own code and the fix`, async () => {
    const { result } = await probeWith({ connackCode: code }, { mqtt: { version } });
    assertFails(result, 'mqtt.protocol-version-refused', 'connack');
    assert.match(
      result.diagnosis?.hint ?? '',
      version === 5 ? /mqtt: \{ version: 3\.1\.1 \}/ : /mqtt: \{ version: 5 \}/,
    );
    assert.doesNotMatch(result.diagnosis?.hint ?? '', /client ID/);
  });
}

test('other CONNACK refusals keep mqtt.connack-refused', async () => {
  const { result } = await probeWith({ connackCode: 0x87 }, V5);
  assertFails(result, 'mqtt.connack-refused', 'connack');
});

test('a connection that stops answering during hold fails at its end: the PINGREQ got no PINGRESP', async () => {
  const { result, received } = await probeWith(
    { answerPing: false },
    { holdMs: 200, timeoutsMs: { connack: 300 } },
  );
  assertFails(result, 'mqtt.silently-dropped', 'hold');
  assert.ok(received.some((packet) => packet.cmd === 'pingreq'));
  assert.match(result.diagnosis?.hint ?? '', /mqtt\.keepalive/);
  assert.ok((result.heldMs ?? 0) >= 200);
});

test('a hold whose PINGREQ is answered passes', async () => {
  const { result, received } = await probeWith({}, { holdMs: 200 });
  assert.equal(result.ok, true, inspect(result.diagnosis));
  assert.ok(received.some((packet) => packet.cmd === 'pingreq'));
});
