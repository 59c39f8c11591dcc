// A server DISCONNECT (MQTT 5) in any phase: it reaches the result and decides the diagnosis, against a scripted
// broker; and a real second client with the probe's ID at a broker that takes sessions over as AWS IoT does.
// Debian's mosquitto, which just closes, is in test/system/client-id-takeover.test.ts.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { inspect } from 'node:util';
import mqtt from 'mqtt';
import type { Packet } from 'mqtt-packet';
import type { ProbeResult } from '../../src/probe/result.js';
import { runProbe } from '../../src/probe/run-probe.js';
import type { Phase } from '../../src/scenario/phases.js';
import { makePlan, type PlanOverrides } from '../helpers/make-plan.js';
import { startScriptedBroker } from './helpers/scripted-broker.js';

function disconnect(reasonCode: number, properties: Record<string, string> = {}): Packet {
  return { cmd: 'disconnect', reasonCode, properties } as Packet;
}

/** Probes a broker that answers the packet `on` with a DISCONNECT (and leaves the socket open). */
async function probeDisconnectedOn(
  on: Packet['cmd'],
  packet: Packet,
  overrides: PlanOverrides = {},
): Promise<ProbeResult> {
  const broker = await startScriptedBroker({
    onPacket: (received, { send }) => {
      if (received.cmd !== on) return false;
      send(packet);
      return true;
    },
  });
  try {
    return await runProbe(makePlan({ port: broker.port, mqtt: { version: 5 }, ...overrides }));
  } finally {
    await broker.close();
  }
}

describe('a server DISCONNECT', () => {
  const cases: Array<{
    name: string;
    on: Packet['cmd'];
    packet: Packet;
    overrides?: PlanOverrides;
    phase: Phase;
    code: string;
  }> = [
    {
      name: 'not authorized on SUBSCRIBE is mqtt.server-disconnect in suback, with its reason string',
      on: 'subscribe',
      packet: disconnect(0x87, { reasonString: 'policy denies iot:Subscribe' }),
      phase: 'suback',
      code: 'mqtt.server-disconnect',
    },
    {
      name: 'server shutting down during hold is mqtt.server-disconnect in hold',
      on: 'pingreq',
      packet: disconnect(0x8b),
      overrides: { holdMs: 30_000, mqtt: { version: 5, keepaliveS: 1 } },
      phase: 'hold',
      code: 'mqtt.server-disconnect',
    },
    {
      name: 'session taken over on PUBLISH is mqtt.client-id-taken-over in puback',
      on: 'publish',
      packet: disconnect(0x8e, { reasonString: 'another client connected' }),
      phase: 'puback',
      code: 'mqtt.client-id-taken-over',
    },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      const result = await probeDisconnectedOn(c.on, c.packet, c.overrides);
      assert.equal(result.ok, false);
      assert.equal(result.diagnosis?.code, c.code, inspect(result.diagnosis, { depth: 4 }));
      assert.equal(result.failedPhase, c.phase);
      const sent = c.packet as { reasonCode: number; properties: { reasonString?: string } };
      assert.deepEqual(result.serverDisconnect, {
        reasonCode: sent.reasonCode,
        ...(sent.properties.reasonString ? { reasonString: sent.properties.reasonString } : {}),
      });
      const evidence = result.diagnosis?.evidence as { phase: Phase; reasonString?: string };
      assert.equal(evidence.phase, c.phase);
      assert.equal(evidence.reasonString, sent.properties.reasonString);
      if (sent.properties.reasonString)
        assert.ok(result.diagnosis?.message.includes(sent.properties.reasonString));
    });
  }

  test('the words say what the reason code says: 0x87 points at the policy, 0x8B at retrying later', async () => {
    const denied = await probeDisconnectedOn('subscribe', disconnect(0x87));
    assert.match(denied.diagnosis?.message ?? '', /Not authorized \(code 135\)/);
    assert.match(denied.diagnosis?.hint ?? '', /policy/);
  });

  test('a takeover of a generated ID says the ID was unique, a fixed one names mqtt.clientId', async () => {
    const generated = await probeDisconnectedOn('publish', disconnect(0x8e));
    assert.ok(generated.diagnosis?.code === 'mqtt.client-id-taken-over');
    assert.equal(generated.diagnosis.evidence.clientIdFixed, false);
    assert.equal(generated.diagnosis.evidence.clientId, generated.clientId);
    assert.match(generated.diagnosis.hint, /generated for this probe/);
    const fixed = await probeDisconnectedOn('publish', disconnect(0x8e), {
      mqtt: { version: 5, clientId: 'line-3' },
    });
    assert.ok(fixed.diagnosis?.code === 'mqtt.client-id-taken-over');
    assert.equal(fixed.diagnosis.evidence.clientIdFixed, true);
    assert.match(fixed.diagnosis.message, /client ID "line-3"/);
    assert.match(fixed.diagnosis.hint, /mqtt\.clientId/);
  });

  test('a probe without a DISCONNECT has no serverDisconnect', async () => {
    const broker = await startScriptedBroker();
    try {
      const result = await runProbe(makePlan({ port: broker.port, mqtt: { version: 5 } }));
      assert.equal(result.ok, true, inspect(result.diagnosis));
      assert.equal(result.serverDisconnect, undefined);
    } finally {
      await broker.close();
    }
  });
});

describe('a second client with the same client ID, at a broker that takes sessions over as AWS IoT does', () => {
  const versions = [
    { version: 5 as const, name: 'MQTT 5 gets DISCONNECT 0x8E: mqtt.client-id-taken-over' },
    { version: 4 as const, name: 'MQTT 3.1.1 is just closed: the hint names the takeover among the causes' },
  ];
  for (const { version, name } of versions) {
    test(name, async () => {
      const broker = await startScriptedBroker({ takeover: true });
      try {
        const published = new Promise<void>((resolve) => {
          broker.events.on('packet', (packet) => {
            if (packet.cmd === 'publish') resolve();
          });
        });
        const probing = runProbe(
          makePlan({ port: broker.port, holdMs: 30_000, mqtt: { version, clientId: 'line-3' } }),
        );
        await published;
        const intruder = await mqtt.connectAsync({
          host: '127.0.0.1',
          port: broker.port,
          clientId: 'line-3',
          protocolVersion: version,
          reconnectPeriod: 0,
        });
        const result = await probing;
        await intruder.endAsync(true);
        assert.equal(result.ok, false);
        const d = result.diagnosis;
        if (version === 5) {
          assert.equal(d?.code, 'mqtt.client-id-taken-over', inspect(d, { depth: 4 }));
          assert.deepEqual(result.serverDisconnect, { reasonCode: 0x8e });
          assert.match(d.message, /client ID "line-3" took the session over/);
        } else {
          assert.ok(
            d?.code === 'mqtt.connection-dropped' || d?.code === 'mqtt.closed-after-publish',
            inspect(d, { depth: 4 }),
          );
          assert.equal(result.serverDisconnect, undefined);
          assert.match(d.hint, /fixed client ID "line-3" took the session over/);
        }
      } finally {
        await broker.close();
      }
    });
  }
});
