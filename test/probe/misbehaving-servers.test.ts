// Servers that answer CONNECT wrongly: each misbehaviour gets its diagnosis within its timeout, and nothing hangs.
import assert from 'node:assert/strict';
import type net from 'node:net';
import { test } from 'node:test';
import { runProbe } from '../../src/probe/run-probe.js';
import { makePlan } from '../helpers/make-plan.js';
import { startAnsweringServer, type TinyServer } from './helpers/tiny-servers.js';

async function probeAgainst(answer: (socket: net.Socket, firstBytes: Buffer) => void, connackMs: number) {
  const server: TinyServer = await startAnsweringServer(answer);
  try {
    return await runProbe(
      makePlan({ port: server.port, transport: 'mqtt', alpn: [], timeoutsMs: { connack: connackMs } }),
    );
  } finally {
    await server.close();
  }
}

test('a malformed packet in place of CONNACK is mqtt.malformed-packet with the parser’s words, not a hang', async () => {
  // A CONNACK with its reserved header flags set: MQTT 3.1.1 §2.2.2 says the receiver must close.
  const result = await probeAgainst((socket) => socket.write(Buffer.from([0x21, 0x02, 0x00, 0x00])), 5000);
  assert.equal(result.ok, false);
  assert.equal(result.failedPhase, 'connack');
  assert.equal(result.diagnosis?.code, 'mqtt.malformed-packet');
  assert.match(result.diagnosis!.message, /not valid MQTT \(Invalid header flag bits/);
});

test('a CONNACK trickled one byte at a time is mqtt.connack-timeout within the connack timeout', async () => {
  let timer: NodeJS.Timeout | undefined;
  const result = await probeAgainst((socket) => {
    const bytes = [0x20, 0x02, 0x00, 0x00];
    timer = setInterval(() => {
      const next = bytes.shift();
      if (next === undefined || socket.destroyed) clearInterval(timer);
      else socket.write(Buffer.from([next]));
    }, 250);
    socket.once('close', () => clearInterval(timer));
  }, 600);
  clearInterval(timer);
  assert.equal(result.diagnosis?.code, 'mqtt.connack-timeout');
  // The bytes kept coming, yet the phase ended at its timeout: a trickle cannot stretch a wait.
  assert.deepEqual(result.diagnosis?.evidence, { waitedMs: 600 });
});
