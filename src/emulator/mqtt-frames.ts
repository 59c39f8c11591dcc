// Splits an MQTT byte stream into whole packets and decodes the few fields the AWS rules look at.
// See MQTT 3.1.1 §2.2 (fixed header) and §3 (packets); MQTT 5 adds properties, skipped here by their length.

export const PACKET = { connect: 1, connack: 2, publish: 3, subscribe: 8, disconnect: 14 } as const;

/** One whole MQTT packet: its type (upper nibble), flags (lower nibble) and the raw bytes, header included. */
export interface Frame {
  type: number;
  flags: number;
  raw: Buffer;
  /** Offset of the variable header within `raw`. */
  bodyStart: number;
}

/** Thrown for bytes that are not MQTT; the gate closes the connection. */
export class MalformedPacketError extends Error {}

/** Thrown for a packet longer than the splitter accepts (MQTT 5: DISCONNECT 0x95). */
export class PacketTooLargeError extends MalformedPacketError {}

/** The frame of one whole packet already in a buffer of its own. */
export function frameOf(raw: Buffer): Frame {
  const header = readFixedHeader(raw);
  if (!header) throw new MalformedPacketError('packet too short');
  const first = raw[0] ?? 0;
  return { type: first >> 4, flags: first & 0x0f, raw, bodyStart: header.bodyStart };
}

/** Accumulates bytes and returns every complete packet; refuses packets longer than `maxPacketBytes`. */
export class FrameSplitter {
  #pending: Buffer = Buffer.alloc(0);
  constructor(private readonly maxPacketBytes: number) {}

  /** Adds bytes; returns the packets completed by them, in order. */
  push(chunk: Buffer): Frame[] {
    this.#pending = this.#pending.length === 0 ? chunk : Buffer.concat([this.#pending, chunk]);
    const frames: Frame[] = [];
    for (;;) {
      const header = readFixedHeader(this.#pending);
      if (!header) break;
      if (header.remainingLength > this.maxPacketBytes) {
        throw new PacketTooLargeError(`packet of ${header.remainingLength} bytes exceeds the limit`);
      }
      const total = header.bodyStart + header.remainingLength;
      if (this.#pending.length < total) break;
      const first = this.#pending[0] ?? 0;
      frames.push({
        type: first >> 4,
        flags: first & 0x0f,
        raw: this.#pending.subarray(0, total),
        bodyStart: header.bodyStart,
      });
      this.#pending = this.#pending.subarray(total);
    }
    return frames;
  }
}

function readFixedHeader(buf: Buffer): { remainingLength: number; bodyStart: number } | undefined {
  let value = 0;
  for (let i = 1; i <= 4; i++) {
    const byte = buf[i];
    if (byte === undefined) return undefined;
    value += (byte & 0x7f) * 128 ** (i - 1);
    if ((byte & 0x80) === 0) return { remainingLength: value, bodyStart: i + 1 };
  }
  throw new MalformedPacketError('remaining length longer than 4 bytes');
}

// A cursor over a packet body; every read checks bounds so a short packet becomes MalformedPacketError.
class Reader {
  constructor(
    private readonly buf: Buffer,
    public offset: number,
  ) {}
  get left(): number {
    return this.buf.length - this.offset;
  }
  u8(): number {
    if (this.left < 1) throw new MalformedPacketError('packet too short');
    return this.buf[this.offset++] ?? 0;
  }
  u16(): number {
    if (this.left < 2) throw new MalformedPacketError('packet too short');
    const v = this.buf.readUInt16BE(this.offset);
    this.offset += 2;
    return v;
  }
  bytes(n: number): Buffer {
    if (this.left < n) throw new MalformedPacketError('packet too short');
    const v = this.buf.subarray(this.offset, this.offset + n);
    this.offset += n;
    return v;
  }
  lengthPrefixed(): Buffer {
    return this.bytes(this.u16());
  }
  varint(): number {
    let value = 0;
    for (let i = 0; i < 4; i++) {
      const byte = this.u8();
      value += (byte & 0x7f) * 128 ** i;
      if ((byte & 0x80) === 0) return value;
    }
    throw new MalformedPacketError('variable integer longer than 4 bytes');
  }
  skipProperties(): void {
    this.bytes(this.varint());
  }
}

/** The CONNECT fields the rules need. `clientId` is raw bytes so its length is counted in bytes, as AWS does. */
export interface ConnectInfo {
  protocolLevel: number;
  clientId: Buffer;
  username?: string;
  password?: Buffer;
}

/** Decodes CONNECT (3.1, 3.1.1 or 5). */
export function decodeConnect(frame: Frame): ConnectInfo {
  const r = new Reader(frame.raw, frame.bodyStart);
  r.lengthPrefixed(); // protocol name
  const protocolLevel = r.u8();
  const flags = r.u8();
  r.u16(); // keepalive
  if (protocolLevel === 5) r.skipProperties();
  const clientId = r.lengthPrefixed();
  if (flags & 0x04) {
    if (protocolLevel === 5) r.skipProperties();
    r.lengthPrefixed(); // will topic
    r.lengthPrefixed(); // will payload
  }
  const info: ConnectInfo = { protocolLevel, clientId };
  if (flags & 0x80) info.username = r.lengthPrefixed().toString('utf8');
  if (flags & 0x40) info.password = Buffer.from(r.lengthPrefixed());
  return info;
}

/** The PUBLISH fields the rules need. */
export interface PublishInfo {
  topic: string;
  topicBytes: number;
  qos: number;
  payloadBytes: number;
}

/** Decodes PUBLISH; `protocolLevel` says whether a properties block follows the packet id. */
export function decodePublish(frame: Frame, protocolLevel: number): PublishInfo {
  const r = new Reader(frame.raw, frame.bodyStart);
  const topicRaw = r.lengthPrefixed();
  const qos = (frame.flags >> 1) & 0x03;
  if (qos > 0) r.u16();
  if (protocolLevel === 5) r.skipProperties();
  return { topic: topicRaw.toString('utf8'), topicBytes: topicRaw.length, qos, payloadBytes: r.left };
}

/** One requested subscription. */
export interface SubscriptionRequest {
  filter: string;
  filterBytes: number;
  qos: number;
}

/** Decodes SUBSCRIBE into its topic filters and requested QoS. */
export function decodeSubscribe(frame: Frame, protocolLevel: number): SubscriptionRequest[] {
  const r = new Reader(frame.raw, frame.bodyStart);
  r.u16(); // packet id
  if (protocolLevel === 5) r.skipProperties();
  const requests: SubscriptionRequest[] = [];
  while (r.left > 0) {
    const raw = r.lengthPrefixed();
    requests.push({ filter: raw.toString('utf8'), filterBytes: raw.length, qos: r.u8() & 0x03 });
  }
  return requests;
}

/** Encodes a CONNACK with the given return code (session present off), MQTT 3.1.1 §3.2. */
export function encodeConnack(returnCode: number): Buffer {
  return Buffer.from([PACKET.connack << 4, 2, 0, returnCode]);
}
