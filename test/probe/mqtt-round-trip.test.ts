// The MQTT phases against a scripted broker: each test scripts one answer and checks the diagnosis or the details.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { Socket } from 'node:net';
import { test } from 'node:test';
import { inspect } from 'node:util';
import type { ProbeResult } from '../../src/probe/result.js';
import { runProbe } from '../../src/probe/run-probe.js';
import { makePlan, type PlanOverrides } from '../helpers/make-plan.js';
import { assertFails } from './helpers/assert-fails.js';
import { type BrokerScript, type ScriptedBroker, startScriptedBroker } from './helpers/scripted-broker.js';

const SHORT = 300;

async function probeWith(
  script: BrokerScript,
  overrides: PlanOverrides = {},
  during?: (broker: ScriptedBroker) => Promise<void>,
): Promise<ProbeResult> {
  const broker = await startScriptedBroker(script);
  try {
    const probing = runProbe(makePlan({ port: broker.port, ...overrides }));
    if (during) await during(broker);
    return await probing;
  } finally {
    await broker.close();
  }
}

test('a well-behaved broker passes, with a fresh client ID and topic per probe', async () => {
  const broker = await startScriptedBroker();
  try {
    const first = await runProbe(makePlan({ port: broker.port }));
    const second = await runProbe(makePlan({ port: broker.port }));
    assert.equal(first.ok, true, inspect(first.diagnosis));
    assert.match(first.clientId, /^mqttprobe-[0-9a-f]{12}$/);
    assert.notEqual(first.clientId, second.clientId);
    assert.equal(first.topic, `mqttprobe/${first.clientId}`);
    assert.equal(first.payloadBytes, makePlan().payload.length);
    assert.equal(first.tls, undefined, 'plain TCP has no TLS details');
  } finally {
    await broker.close();
  }
});

test('a fixed client ID and topic are used as given; the option overrides the plan', async () => {
  const seen: string[] = [];
  const broker = await startScriptedBroker();
  broker.events.on('packet', (packet) => {
    if (packet.cmd === 'connect') seen.push(packet.clientId);
  });
  try {
    const fixed = await runProbe(
      makePlan({ port: broker.port, mqtt: { clientId: 'thing-1' }, topic: 'a/b' }),
    );
    assert.equal(fixed.clientId, 'thing-1');
    assert.equal(fixed.topic, 'a/b');
    const overridden = await runProbe(makePlan({ port: broker.port, mqtt: { clientId: 'thing-1' } }), {
      clientId: 'thing-2',
    });
    assert.equal(overridden.clientId, 'thing-2');
    assert.deepEqual(seen, ['thing-1', 'thing-2']);
  } finally {
    await broker.close();
  }
});

test('a SUBACK with 128 is mqtt.suback-denied', async () => {
  const result = await probeWith({ granted: [128] });
  assertFails(result, 'mqtt.suback-denied', 'suback');
  assert.deepEqual(result.grantedQos, [128]);
});

test('a lower granted QoS passes with a warning', async () => {
  const result = await probeWith({ granted: [0], echoQos: 0 });
  assert.equal(result.ok, true, inspect(result.diagnosis));
  assert.deepEqual(result.grantedQos, [0]);
  assert.equal(result.receivedQos, 0);
  assert.deepEqual(
    result.warnings.map((w) => w.code),
    ['mqtt.qos-downgraded'],
  );
});

test('a missing PUBACK is mqtt.puback-timeout', async () => {
  const result = await probeWith({ ackPublish: false }, { timeoutsMs: { puback: SHORT } });
  assertFails(result, 'mqtt.puback-timeout', 'puback');
});

test('a message that never comes back is mqtt.receive-timeout', async () => {
  const result = await probeWith({ echo: false }, { timeoutsMs: { receive: SHORT } });
  assertFails(result, 'mqtt.receive-timeout', 'receive');
});

test('a message that comes back changed is mqtt.payload-mismatch, with the first differing byte', async () => {
  const result = await probeWith({
    mutate: (payload) => Buffer.concat([payload.subarray(0, 3), Buffer.from('X')]),
  });
  assertFails(result, 'mqtt.payload-mismatch', 'receive');
  if (result.diagnosis?.code === 'mqtt.payload-mismatch') {
    assert.equal(result.diagnosis.evidence.firstDifferenceAt, 3);
    assert.equal(result.diagnosis.evidence.receivedBytes, 4);
  }
});

test('QoS 2 runs PUBREC/PUBCOMP in the puback phase and passes', async () => {
  const result = await probeWith({}, { qos: 2 });
  assert.equal(result.ok, true, inspect(result.diagnosis));
  assert.ok(result.phases.puback);
  assert.equal(result.receivedQos, 2);
});

test('the echo is delivered at the QoS the broker chose, and that QoS is recorded', async () => {
  const result = await probeWith({ echoQos: 0 }, { qos: 1 });
  assert.equal(result.ok, true, inspect(result.diagnosis));
  assert.equal(result.receivedQos, 0);
});

test('MQTT 5: CONNACK properties are recorded', async () => {
  const result = await probeWith(
    { connackProperties: { maximumQoS: 1, retainAvailable: false, topicAliasMaximum: 8 } },
    { mqtt: { version: 5 } },
  );
  assert.equal(result.ok, true, inspect(result.diagnosis));
  assert.deepEqual(result.connack, {
    protocolVersion: 5,
    reasonCode: 0,
    sessionPresent: false,
    properties: { maximumQoS: 1, retainAvailable: false, topicAliasMaximum: 8 },
  });
});

test('MQTT 5: a CONNACK with reason 135 is mqtt.connack-refused, Not authorized', async () => {
  const result = await probeWith({ connackCode: 135 }, { mqtt: { version: 5 } });
  assertFails(result, 'mqtt.connack-refused', 'connack');
  if (result.diagnosis?.code === 'mqtt.connack-refused') {
    assert.equal(result.diagnosis.evidence.reason, 'Not authorized');
    assert.equal(result.diagnosis.evidence.protocolVersion, 5);
  }
});

test('MQTT 5: a PUBACK with reason 135 is mqtt.publish-refused', async () => {
  const result = await probeWith({ pubackCode: 135, echo: false }, { mqtt: { version: 5 } });
  assertFails(result, 'mqtt.publish-refused', 'puback');
});

test('hold keeps the connection open and then disconnects cleanly', async () => {
  const result = await probeWith({}, { holdMs: 50, steps: ['connect'], mqtt: { keepaliveS: 1 } });
  assert.equal(result.ok, true, inspect(result.diagnosis));
  assert.ok(result.phases.hold);
  assert.ok((result.heldMs ?? -1) >= 0);
  assert.deepEqual(result.warnings, []);
});

test('a connection closed by the server during hold is mqtt.connection-dropped', async () => {
  const result = await probeWith({}, { holdMs: 60_000, steps: ['connect'] }, async (broker) => {
    const [socket] = (await once(broker.events, 'connack')) as [Socket];
    socket.destroy();
  });
  assertFails(result, 'mqtt.connection-dropped', 'hold');
  if (result.diagnosis?.code === 'mqtt.connection-dropped') {
    assert.equal(result.diagnosis.evidence.plannedMs, 60_000);
  }
});

test('the receive phase starts at the publish, together with puback', async () => {
  const result = await probeWith({});
  assert.equal(result.ok, true, inspect(result.diagnosis));
  const { suback, puback, receive } = result.phases;
  assert.ok(suback && puback && receive);
  assert.equal(receive.startMs, puback.startMs);
  assert.ok(puback.startMs >= suback.startMs + suback.durationMs);
});

test('hold pings at the keepalive, and aborting during hold ends the probe as probe.interrupted', async () => {
  const broker = await startScriptedBroker();
  try {
    const controller = new AbortController();
    const pinged = new Promise<void>((resolve) => {
      broker.events.on('packet', (packet) => {
        if (packet.cmd === 'pingreq') resolve();
      });
    });
    const probing = runProbe(
      makePlan({ port: broker.port, steps: ['connect'], holdMs: 60_000, mqtt: { keepaliveS: 1 } }),
      { signal: controller.signal },
    );
    await pinged;
    controller.abort();
    const result = await probing;
    assert.equal(result.diagnosis?.code, 'probe.interrupted');
    assert.equal(result.failedPhase, 'hold');
    assert.ok(result.phases.hold);
  } finally {
    await broker.close();
  }
});
