import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  decodeConnect,
  decodePublish,
  decodeSubscribe,
  FrameSplitter,
  MalformedPacketError,
} from '../../src/emulator/mqtt-frames.js';
import { connectPacket } from './mqtt-clients.js';

function str(text: string): Buffer {
  const bytes = Buffer.from(text);
  return Buffer.concat([Buffer.from([bytes.length >> 8, bytes.length & 0xff]), bytes]);
}

function packet(first: number, body: Buffer): Buffer {
  // Remaining length as an MQTT variable byte integer (§2.2.3).
  const length: number[] = [];
  let n = body.length;
  do {
    let byte = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 0x80;
    length.push(byte);
  } while (n > 0);
  return Buffer.concat([Buffer.from([first, ...length]), body]);
}

test('the splitter returns whole packets however the bytes are chunked', () => {
  const a = connectPacket('one');
  const b = packet(0x32, Buffer.concat([str('t/x'), Buffer.from([0, 1]), Buffer.alloc(300, 7)]));
  const stream = Buffer.concat([a, b]);
  for (const cut of [1, 2, a.length, a.length + 1, a.length + 3, stream.length - 1]) {
    const splitter = new FrameSplitter(1 << 20);
    const frames = [...splitter.push(stream.subarray(0, cut)), ...splitter.push(stream.subarray(cut))];
    assert.deepEqual(
      frames.map((f) => [f.type, f.raw.length]),
      [
        [1, a.length],
        [3, b.length],
      ],
      `cut at ${cut}`,
    );
  }
});

test('the splitter refuses a packet longer than its limit before it arrives', () => {
  const splitter = new FrameSplitter(100);
  assert.throws(() => splitter.push(packet(0x30, Buffer.alloc(101)).subarray(0, 4)), MalformedPacketError);
});

test('CONNECT 3.1.1 yields the client ID bytes, username and password', () => {
  const body = Buffer.concat([
    str('MQTT'),
    Buffer.from([4, 0xc2, 0, 30]),
    str('dev-é'),
    str('user'),
    str('pw'),
  ]);
  const info = decodeConnect(new FrameSplitter(1 << 20).push(packet(0x10, body))[0]!);
  assert.equal(info.protocolLevel, 4);
  assert.equal(info.clientId.length, 6);
  assert.equal(info.username, 'user');
  assert.equal(info.password?.toString(), 'pw');
});

test('CONNECT 5 skips properties and the will', () => {
  const body = Buffer.concat([
    str('MQTT'),
    Buffer.from([5, 0x84 | 0x02, 0, 30, 0]),
    str('c5'),
    Buffer.from([0]),
    str('will/topic'),
    str('bye'),
    str('u5'),
  ]);
  const info = decodeConnect(new FrameSplitter(1 << 20).push(packet(0x10, body))[0]!);
  assert.equal(info.clientId.toString(), 'c5');
  assert.equal(info.username, 'u5');
  assert.equal(info.password, undefined);
});

test('PUBLISH yields topic, QoS and payload size for 3.1.1 and 5', () => {
  const v4 = packet(0x34, Buffer.concat([str('a/b'), Buffer.from([0, 9]), Buffer.from('hello')]));
  const v5 = packet(0x32, Buffer.concat([str('a/b'), Buffer.from([0, 9, 0]), Buffer.from('hello')]));
  const [f4] = new FrameSplitter(1 << 20).push(v4);
  const [f5] = new FrameSplitter(1 << 20).push(v5);
  assert.deepEqual(decodePublish(f4!, 4), { topic: 'a/b', topicBytes: 3, qos: 2, payloadBytes: 5 });
  assert.deepEqual(decodePublish(f5!, 5), { topic: 'a/b', topicBytes: 3, qos: 1, payloadBytes: 5 });
});

test('SUBSCRIBE yields each filter with its requested QoS', () => {
  const body = Buffer.concat([
    Buffer.from([0, 3]),
    str('a/+'),
    Buffer.from([1]),
    str('b/#'),
    Buffer.from([2]),
  ]);
  const [frame] = new FrameSplitter(1 << 20).push(packet(0x82, body));
  assert.deepEqual(decodeSubscribe(frame!, 4), [
    { filter: 'a/+', filterBytes: 3, qos: 1 },
    { filter: 'b/#', filterBytes: 3, qos: 2 },
  ]);
});

test('a truncated body is a MalformedPacketError', () => {
  const [frame] = new FrameSplitter(1 << 20).push(packet(0x30, Buffer.from([0, 9, 0x61])));
  assert.throws(() => decodePublish(frame!, 4), MalformedPacketError);
});
