// The limits an MQTT 5 server announces in its CONNACK (§3.2.2.3), checked before the probe sends a packet.
//
// Receive Maximum and Topic Alias Maximum need no check: the probe has at most one QoS 1 or 2 PUBLISH in flight
// (Receive Maximum is at least 1, §3.2.2.3.3) and never uses topic aliases.
import type { ServerLimit } from '../errors.js';
import type { ConnackDetails } from '../result.js';

/** The bytes a Remaining Length takes (MQTT §1.5.5 variable byte integer). */
function varintBytes(value: number): number {
  if (value < 128) return 1;
  if (value < 16_384) return 2;
  if (value < 2_097_152) return 3;
  return 4;
}

/** A whole packet's size from its Remaining Length: one type byte, the length itself, then the rest. */
function packetBytes(remainingLength: number): number {
  return 1 + varintBytes(remainingLength) + remainingLength;
}

/** What the probe sends, as far as its size goes. */
export interface OutgoingMessage {
  topic: string;
  qos: 0 | 1 | 2;
  payloadBytes: number;
  /** 5 adds a properties length (the probe sends no properties, so one byte). */
  version: number;
}

/** The size of the probe's PUBLISH, in bytes: topic length and name, packet identifier, properties, payload. */
export function publishPacketBytes(message: OutgoingMessage): number {
  const topicBytes = Buffer.byteLength(message.topic);
  const remaining =
    2 + topicBytes + (message.qos > 0 ? 2 : 0) + (message.version === 5 ? 1 : 0) + message.payloadBytes;
  return packetBytes(remaining);
}

/** The size of the probe's SUBSCRIBE to one filter, in bytes: packet identifier, properties, filter, options. */
export function subscribePacketBytes(message: Pick<OutgoingMessage, 'topic' | 'version'>): number {
  const remaining = 2 + (message.version === 5 ? 1 : 0) + 2 + Buffer.byteLength(message.topic) + 1;
  return packetBytes(remaining);
}

/** The CONNACK limit the probe's PUBLISH would break, if any; MQTT 3.1.1 announces none. */
export function publishLimitBroken(
  connack: ConnackDetails | undefined,
  message: OutgoingMessage,
): ServerLimit | undefined {
  const limits = connack?.properties;
  if (!limits) return undefined;
  // An absent Maximum QoS means 2 (§3.2.2.3.4).
  if (limits.maximumQoS !== undefined && message.qos > limits.maximumQoS) {
    return { name: 'maximumQoS', allowed: limits.maximumQoS, requestedQos: message.qos };
  }
  return packetSizeBroken(limits.maximumPacketSize, 'publish', publishPacketBytes(message));
}

/** The CONNACK limit the probe's SUBSCRIBE would break, if any (a QoS above Maximum QoS is allowed there). */
export function subscribeLimitBroken(
  connack: ConnackDetails | undefined,
  message: Pick<OutgoingMessage, 'topic' | 'version'>,
): ServerLimit | undefined {
  const limit = connack?.properties?.maximumPacketSize;
  return packetSizeBroken(limit, 'subscribe', subscribePacketBytes(message));
}

function packetSizeBroken(
  allowed: number | undefined,
  packetType: 'publish' | 'subscribe',
  bytes: number,
): ServerLimit | undefined {
  if (allowed === undefined || bytes <= allowed) return undefined;
  return { name: 'maximumPacketSize', allowed, packetType, packetBytes: bytes };
}
