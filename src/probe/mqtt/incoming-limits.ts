// Bounds on what the server may make the probe hold in memory: the size of one packet, and messages not asked for.
import type { ProbePlan } from '../../scenario/plan.js';

/** The smallest incoming packet limit, in bytes: well above AWS IoT's own 128 KB maximum packet size. */
export const MIN_INCOMING_PACKET_BYTES = 1024 * 1024;

/**
 * Room above the probe's own payload for the rest of its echo: fixed header, topic (at most 65,535 bytes),
 * packet identifier and MQTT 5 properties.
 */
const ECHO_OVERHEAD_BYTES = 128 * 1024;

/** At most this many PUBLISH packets the probe did not ask for, per connection. */
export const MAX_UNSOLICITED_MESSAGES = 1000;

/** At most this many bytes of PUBLISH packets the probe did not ask for, per connection. */
export const MAX_UNSOLICITED_BYTES = 16 * 1024 * 1024;

/** What the server may send on one connection. */
export interface IncomingLimits {
  /** The largest packet accepted, in bytes, fixed header included (as MQTT 5's Maximum Packet Size counts). */
  maxPacketBytes: number;
  maxUnsolicitedMessages: number;
  maxUnsolicitedBytes: number;
}

/**
 * The limits for a plan: a packet may be as large as the probe's own echo needs (so a large `payloadSize` still
 * comes back), and never below 1 MiB.
 */
export function incomingLimits(plan: Pick<ProbePlan, 'payload'>): IncomingLimits {
  const echoBytes = plan.payload.length + ECHO_OVERHEAD_BYTES;
  return {
    maxPacketBytes: Math.max(MIN_INCOMING_PACKET_BYTES, echoBytes),
    maxUnsolicitedMessages: MAX_UNSOLICITED_MESSAGES,
    maxUnsolicitedBytes: MAX_UNSOLICITED_BYTES,
  };
}

/** The MQTT control packet types by the high nibble of the first byte (MQTT 5 §2.1.2). */
const PACKET_TYPES = [
  'reserved',
  'connect',
  'connack',
  'publish',
  'puback',
  'pubrec',
  'pubrel',
  'pubcomp',
  'subscribe',
  'suback',
  'unsubscribe',
  'unsuback',
  'pingreq',
  'pingresp',
  'disconnect',
  'auth',
] as const;

/** A packet whose fixed header announces more bytes than the limit allows. */
export interface OversizedPacket {
  /** The packet type from its first byte, e.g. `publish`. */
  packetType: string;
  /** The whole packet's size as announced by its Remaining Length, fixed header included, in bytes. */
  announcedBytes: number;
}

/**
 * Reads only the fixed headers of the byte stream (type and Remaining Length) and skips the bodies by counting,
 * so an oversized packet is seen at its first bytes, before any parser has buffered it. It keeps no bytes.
 */
export class PacketSizeGuard {
  readonly #maxPacketBytes: number;
  /** Bytes of the current packet's body still to skip. */
  #bodyLeft = 0;
  /** The current fixed header: its first byte, and the Remaining Length read so far. */
  #typeByte: number | undefined;
  #length = 0;
  #lengthBytes = 0;
  #stopped = false;

  constructor(maxPacketBytes: number) {
    this.#maxPacketBytes = maxPacketBytes;
  }

  /** Reads a chunk; returns the first oversized packet found, after which it reads no more. */
  check(chunk: Buffer): OversizedPacket | undefined {
    let at = 0;
    while (at < chunk.length && !this.#stopped) {
      if (this.#bodyLeft > 0) {
        const skip = Math.min(this.#bodyLeft, chunk.length - at);
        this.#bodyLeft -= skip;
        at += skip;
        continue;
      }
      const byte = chunk[at++] as number;
      if (this.#typeByte === undefined) {
        this.#typeByte = byte;
        continue;
      }
      this.#length += (byte & 0x7f) * 128 ** this.#lengthBytes;
      this.#lengthBytes++;
      if (byte & 0x80) {
        // A fifth length byte is malformed; the MQTT parser reports that in its own words.
        if (this.#lengthBytes === 4) this.#stopped = true;
        continue;
      }
      const announcedBytes = 1 + this.#lengthBytes + this.#length;
      const packetType = PACKET_TYPES[this.#typeByte >> 4] ?? 'reserved';
      this.#bodyLeft = this.#length;
      this.#typeByte = undefined;
      this.#length = 0;
      this.#lengthBytes = 0;
      if (announcedBytes > this.#maxPacketBytes) {
        this.#stopped = true;
        return { packetType, announcedBytes };
      }
    }
    return undefined;
  }
}
