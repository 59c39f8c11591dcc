// What a hostile server can make the probe hold: oversized packets and floods of messages it did not ask for,
// against purpose-built brokers on loopback; memory is checked on a real CLI child's peak RSS.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import type net from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { inspect } from 'node:util';
import mqttPacket, { type Packet } from 'mqtt-packet';
import {
  MAX_UNSOLICITED_BYTES,
  MAX_UNSOLICITED_MESSAGES,
  MIN_INCOMING_PACKET_BYTES,
  PacketSizeGuard,
} from '../../src/probe/mqtt/incoming-limits.js';
import type { ProbeResult } from '../../src/probe/result.js';
import { runProbe } from '../../src/probe/run-probe.js';
import { runCli } from '../helpers/cli.js';
import { makePlan, type PlanOverrides } from '../helpers/make-plan.js';
import { tempDir } from '../helpers/scenario-files.js';
import { assertFails } from './helpers/assert-fails.js';
import { type BrokerScript, type ScriptedBroker, startScriptedBroker } from './helpers/scripted-broker.js';

const maxRssReporter = new URL('../system/helpers/report-max-rss.ts', import.meta.url).pathname;
const MAX_RSS_MB = 300;

/** A fixed header announcing the largest Remaining Length MQTT allows (268,435,455 bytes, "256 MB"). */
const PUBLISH_OF_256_MB = Buffer.from([0x30, 0xff, 0xff, 0xff, 0x7f]);

/** Writes `packet` over and over, as fast as the client reads, until the client goes away. */
function writeForever(socket: net.Socket, bytes: Buffer): void {
  const pump = () => {
    while (!socket.destroyed) {
      if (!socket.write(bytes)) {
        socket.once('drain', pump);
        return;
      }
    }
  };
  pump();
}

function publishBytes(topic: string, payloadBytes: number): Buffer {
  return mqttPacket.generate({
    cmd: 'publish',
    topic,
    payload: Buffer.alloc(payloadBytes, 0x61),
    qos: 0,
    retain: false,
    dup: false,
  });
}

/** The scripted broker's normal answers, then a flood of `payloadBytes` messages on `topic` once the echo is out. */
function floodAfterEcho(topic: (probeTopic: string) => string, payloadBytes: number): BrokerScript {
  return {
    onPacket: (packet, { socket, send }) => {
      if (packet.cmd !== 'publish') return false;
      send({ ...packet, messageId: packet.qos > 0 ? 1000 : undefined } as Packet);
      if (packet.qos === 1) send({ cmd: 'puback', messageId: packet.messageId ?? 0 });
      writeForever(socket, publishBytes(topic(packet.topic), payloadBytes));
      return true;
    },
  };
}

/** On SUBSCRIBE: the bytes `before` the SUBACK, the SUBACK, then `after`. */
function aroundSuback(before: Buffer, after: Buffer = Buffer.alloc(0)): BrokerScript {
  return {
    onPacket: (packet, { socket }) => {
      if (packet.cmd !== 'subscribe') return false;
      const suback = mqttPacket.generate({ cmd: 'suback', messageId: packet.messageId ?? 0, granted: [1] });
      // One write, so the client reads them as one chunk.
      socket.write(Buffer.concat([before, suback, after]));
      return true;
    },
  };
}

async function probeWith(
  script: BrokerScript,
  overrides: PlanOverrides = {},
): Promise<{ result: ProbeResult; connect?: Packet }> {
  const broker: ScriptedBroker = await startScriptedBroker(script);
  let connect: Packet | undefined;
  broker.events.on('packet', (packet) => {
    if (packet.cmd === 'connect') connect = packet;
  });
  try {
    return { result: await runProbe(makePlan({ port: broker.port, ...overrides })), connect };
  } finally {
    await broker.close();
  }
}

describe('the packet size guard reads fixed headers however the bytes are cut', () => {
  const suback = mqttPacket.generate({ cmd: 'suback', messageId: 1, granted: [1] });
  const exact = publishBytes('t', 1000);
  const cases: Array<{
    name: string;
    limit: number;
    chunks: Buffer[];
    expect?: { packetType: string; announcedBytes: number };
  }> = [
    {
      name: 'packets up to the limit pass',
      limit: exact.length,
      chunks: [Buffer.concat([suback, exact, suback])],
    },
    {
      name: 'one byte over the limit is caught',
      limit: exact.length - 1,
      chunks: [Buffer.concat([suback, exact])],
      expect: { packetType: 'publish', announcedBytes: exact.length },
    },
    {
      name: 'a header cut between its type and length bytes is still read',
      limit: MIN_INCOMING_PACKET_BYTES,
      chunks: [
        Buffer.concat([suback, PUBLISH_OF_256_MB.subarray(0, 1)]),
        PUBLISH_OF_256_MB.subarray(1, 3),
        PUBLISH_OF_256_MB.subarray(3),
      ],
      expect: { packetType: 'publish', announcedBytes: 268_435_460 },
    },
    {
      name: 'a body cut across chunks is skipped, and the header after it read',
      limit: MIN_INCOMING_PACKET_BYTES,
      chunks: [
        exact.subarray(0, 10),
        exact.subarray(10, 500),
        Buffer.concat([exact.subarray(500), PUBLISH_OF_256_MB]),
      ],
      expect: { packetType: 'publish', announcedBytes: 268_435_460 },
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const guard = new PacketSizeGuard(c.limit);
      const found = c.chunks.map((chunk) => guard.check(chunk)).find((o) => o !== undefined);
      assert.deepEqual(found, c.expect);
    });
  }
});

describe('oversized packets', () => {
  test('a PUBLISH announcing 256 MB, with the SUBACK inside it, is mqtt.packet-too-large in suback, not a SUBACK timeout', async () => {
    const { result } = await probeWith(aroundSuback(PUBLISH_OF_256_MB));
    assertFails(result, 'mqtt.packet-too-large', 'suback');
    assert.deepEqual(result.diagnosis?.evidence, {
      phase: 'suback',
      packetType: 'publish',
      announcedBytes: 268_435_460,
      limitBytes: MIN_INCOMING_PACKET_BYTES,
      advertised: false,
    });
    assert.match(result.diagnosis?.message ?? '', /publish packet of 268435460 bytes/);
  });

  test('a SUBACK before the oversized packet still counts: the probe fails at the next phase', async () => {
    const { result } = await probeWith(aroundSuback(Buffer.alloc(0), PUBLISH_OF_256_MB));
    assertFails(result, 'mqtt.packet-too-large', 'puback');
    assert.deepEqual(result.grantedQos, [1]);
  });

  test('MQTT 5 announces the limit as Maximum Packet Size, and the diagnosis says the server ignored it', async () => {
    const { result, connect } = await probeWith(aroundSuback(PUBLISH_OF_256_MB), { mqtt: { version: 5 } });
    assert.equal(
      connect?.cmd === 'connect' && connect.properties?.maximumPacketSize,
      MIN_INCOMING_PACKET_BYTES,
    );
    assertFails(result, 'mqtt.packet-too-large', 'suback');
    assert.equal(
      result.diagnosis?.code === 'mqtt.packet-too-large' && result.diagnosis.evidence.advertised,
      true,
    );
    assert.match(result.diagnosis?.hint ?? '', /ignored the Maximum Packet Size/);
  });

  test('the limit follows the payload: a 3 MiB echo comes back, and MQTT 5 announces room for it', async () => {
    const payload = Buffer.alloc(3 * 1024 * 1024, 0x62);
    const { result, connect } = await probeWith({}, { payload, mqtt: { version: 5 } });
    assert.equal(result.ok, true, inspect(result.diagnosis));
    const announced = connect?.cmd === 'connect' ? connect.properties?.maximumPacketSize : undefined;
    assert.ok(announced !== undefined && announced > payload.length, `announced ${announced}`);
  });
});

/**
 * A WebSocket server that accepts the `mqtt` upgrade and then sends one binary message announcing 8 MiB (under the
 * ws package's own 100 MiB default, over the probe's limit), its
 * bytes following as fast as the client takes them: with the upgrade answer, or once CONNECT came.
 */
async function startHugeMessageServer(
  when: 'with-upgrade' | 'after-connect',
): Promise<{ port: number; close: () => Promise<void> }> {
  const server = http.createServer();
  const sockets = new Set<net.Socket>();
  server.on('upgrade', (request, socket: net.Socket) => {
    sockets.add(socket);
    socket.on('error', () => {
      // The client closes the connection at the frame header: that is the point of the test.
    });
    const accept = createHash('sha1')
      .update(`${request.headers['sec-websocket-key']}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`)
      .digest('base64');
    socket.write(
      `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\nSec-WebSocket-Protocol: mqtt\r\n\r\n`,
    );
    const header = Buffer.alloc(10);
    header[0] = 0x82; // FIN, binary
    header[1] = 127; // a 64-bit length follows
    header.writeBigUInt64BE(BigInt(8 * 1024 * 1024), 2);
    const send = () => {
      socket.write(header);
      writeForever(socket, Buffer.alloc(64 * 1024));
    };
    if (when === 'with-upgrade') send();
    else socket.once('data', send);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    async close() {
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, 'close');
    },
  };
}

describe('oversized WebSocket messages', () => {
  // ws reads messages only once the upgrade is done, so one sent with the upgrade answer is seen in connack too.
  for (const when of ['after-connect', 'with-upgrade'] as const) {
    const phase = 'connack';
    test(`a WebSocket message announcing 8 MiB ${when === 'with-upgrade' ? 'with the upgrade answer' : 'after CONNECT'} is mqtt.packet-too-large in connack, refused at its frame header`, async () => {
      const server = await startHugeMessageServer(when);
      try {
        const result = await runProbe(makePlan({ port: server.port, transport: 'ws' }));
        assertFails(result, 'mqtt.packet-too-large', phase);
        assert.deepEqual(result.diagnosis?.evidence, {
          phase,
          packetType: 'WebSocket message',
          limitBytes: MIN_INCOMING_PACKET_BYTES,
          advertised: false,
        });
      } finally {
        await server.close();
      }
    });
  }
});

describe('messages the probe did not ask for', () => {
  test('a few are counted in the result and the probe passes', async () => {
    const { result } = await probeWith({
      onPacket: (packet, { send }) => {
        if (packet.cmd !== 'subscribe') return false;
        send({ cmd: 'suback', messageId: packet.messageId ?? 0, granted: [1] });
        for (let i = 0; i < 3; i++) {
          send({
            cmd: 'publish',
            topic: 'elsewhere/news',
            payload: Buffer.from(`n${i}`),
            qos: 0,
            retain: false,
            dup: false,
          });
        }
        return true;
      },
    });
    assert.equal(result.ok, true, inspect(result.diagnosis));
    assert.equal(result.unsolicitedMessages, 3);
  });

  test('a well-behaved broker sends none, and the result says nothing about them', async () => {
    const { result } = await probeWith({});
    assert.equal(result.ok, true, inspect(result.diagnosis));
    assert.equal(result.unsolicitedMessages, undefined);
  });

  const floods: Array<{
    name: string;
    payloadBytes: number;
    ownTopic: boolean;
    limit: 'messages' | 'bytes';
  }> = [
    {
      name: 'a flood of large messages ends at the byte limit',
      payloadBytes: 64 * 1024,
      ownTopic: false,
      limit: 'bytes',
    },
    {
      name: 'a flood of small messages ends at the message limit',
      payloadBytes: 8,
      ownTopic: false,
      limit: 'messages',
    },
    {
      name: 'a flood on the probe’s own topic says another client publishes there',
      payloadBytes: 8,
      ownTopic: true,
      limit: 'messages',
    },
  ];
  for (const c of floods) {
    test(`${c.name}: mqtt.unsolicited-flood during hold`, async () => {
      const { result } = await probeWith(
        floodAfterEcho((own) => (c.ownTopic ? own : 'flood/elsewhere'), c.payloadBytes),
        { holdMs: 20_000 },
      );
      assertFails(result, 'mqtt.unsolicited-flood', 'hold');
      const d = result.diagnosis;
      assert.ok(d?.code === 'mqtt.unsolicited-flood');
      assert.equal(d.evidence.ownTopic, c.ownTopic);
      assert.equal(d.evidence.firstTopic, c.ownTopic ? result.topic : 'flood/elsewhere');
      if (c.limit === 'messages') assert.equal(d.evidence.messages, MAX_UNSOLICITED_MESSAGES + 1);
      else
        assert.ok(d.evidence.bytes > MAX_UNSOLICITED_BYTES && d.evidence.messages < MAX_UNSOLICITED_MESSAGES);
      assert.equal(result.unsolicitedMessages, d.evidence.messages);
      assert.match(d.hint, c.ownTopic ? /other clients publish on this topic/ : /clean session/);
    });
  }
});

describe('memory stays bounded in a real CLI run', () => {
  const hostile: Array<{ name: string; script: BrokerScript; scenario: string; code: string }> = [
    {
      name: 'a flood of 64 KiB messages during hold: 20s',
      script: floodAfterEcho(() => 'flood/elsewhere', 64 * 1024),
      scenario: 'hold: 20s',
      code: 'mqtt.unsolicited-flood',
    },
    {
      name: 'a PUBLISH announcing 256 MB whose bytes keep coming',
      script: aroundSuback(PUBLISH_OF_256_MB, Buffer.alloc(0)),
      scenario: 'qos: 1',
      code: 'mqtt.packet-too-large',
    },
  ];
  for (const c of hostile) {
    test(`${c.name}: ${c.code}, and the CLI stays under ${MAX_RSS_MB} MB`, async (t) => {
      const filler = Buffer.alloc(64 * 1024);
      const script: BrokerScript =
        c.code === 'mqtt.packet-too-large'
          ? {
              onPacket: (packet, peer) => {
                const handled = c.script.onPacket?.(packet, peer) ?? false;
                // The announced body, as fast as the client takes it: 256 MB unless the client stops reading.
                if (handled) writeForever(peer.socket, filler);
                return handled;
              },
            }
          : c.script;
      const broker = await startScriptedBroker(script);
      t.after(() => broker.close());
      const dir = tempDir(t);
      const file = join(dir, 'hostile.yaml');
      writeFileSync(
        file,
        `version: 1
scenarios:
  - name: hostile broker
    endpoint: 127.0.0.1
    port: ${broker.port}
    transport: mqtt
    timeout: 30s
    ${c.scenario}
`,
      );
      const run = await runCli(
        ['run', file, '--format', 'json'],
        {},
        { nodeArgs: ['--import', maxRssReporter] },
      );
      assert.equal(run.code, 1, run.stderr.slice(-2000));
      const report = JSON.parse(run.stdout) as { scenarios: Array<{ diagnosis?: { code: string } }> };
      assert.equal(report.scenarios[0]?.diagnosis?.code, c.code);
      const maxRssKb = Number(/mqttprobe-max-rss-kb (\d+)/.exec(run.stderr)?.[1]);
      assert.ok(Number.isFinite(maxRssKb), `no max RSS printed:\n${run.stderr.slice(-2000)}`);
      t.diagnostic(`peak RSS of the CLI child: ${(maxRssKb / 1024).toFixed(1)} MB`);
      assert.ok(maxRssKb / 1024 < MAX_RSS_MB, `peak RSS ${(maxRssKb / 1024).toFixed(1)} MB`);
    });
  }
});
