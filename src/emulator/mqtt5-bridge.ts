// Speaks MQTT 5 to one client and MQTT 3.1.1 to aedes, adding what AWS IoT Core sends MQTT 5 clients: CONNACK
// properties, reason codes on CONNACK, PUBACK, SUBACK and a server DISCONNECT, topic aliases and keepalive clamps.
// Sources: https://docs.aws.amazon.com/iot/latest/developerguide/mqtt.html ("MQTT 5 supported features",
// "Differences from the MQTT specification") and the MQTT 5 spec, https://docs.oasis-open.org/mqtt/mqtt/v5.0/mqtt-v5.0.html.
import mqttPacket, { type IConnectPacket, type Packet } from 'mqtt-packet';
import { v3ConnackAsV5 } from '../scenario/mqtt-reason-codes.js';
import { AWS_LIMITS, type GateReason } from './aws-rules.js';
import type { Frame } from './mqtt-frames.js';

/** What AWS IoT Core announces to, and allows, an MQTT 5 client. */
export const AWS_MQTT5 = {
  maximumQoS: 1,
  topicAliasMaximum: 8,
  /** Maximum Packet Size in the CONNACK, in bytes (the payload quota). */
  maximumPacketBytes: AWS_LIMITS.payloadBytes,
  /** Session Expiry Interval AWS clamps to by default, in seconds (7 days when configured so). */
  sessionExpiryMaxS: 3600,
  /** A keepalive of 0 or above this is clamped to it, in seconds. */
  keepAliveMaxS: 1200,
  /** A keepalive below this is raised to it, in seconds. */
  keepAliveMinS: 30,
} as const;

/** MQTT 5 reason codes the emulator sends (MQTT 5 §2.4). */
export const REASON = {
  success: 0x00,
  unspecified: 0x80,
  malformedPacket: 0x81,
  protocolError: 0x82,
  clientIdNotValid: 0x85,
  badUsernameOrPassword: 0x86,
  notAuthorized: 0x87,
  serverShuttingDown: 0x8b,
  sessionTakenOver: 0x8e,
  topicFilterInvalid: 0x8f,
  topicNameInvalid: 0x90,
  topicAliasInvalid: 0x94,
  packetTooLarge: 0x95,
  qosNotSupported: 0x9b,
  subscriptionIdsNotSupported: 0xa1,
} as const;

/** The MQTT 5 reason code for each gate reason that answers in words; the others close without one (faults). */
const REASON_FOR: Partial<Record<GateReason, number>> = {
  'client-id-too-long': REASON.clientIdNotValid,
  'custom-auth-failed': REASON.badUsernameOrPassword,
  'policy-connect': REASON.notAuthorized,
  'topic-too-long': REASON.topicNameInvalid,
  'topic-too-many-slashes': REASON.topicNameInvalid,
  // AWS answers a reserved topic the way it answers a policy that does not allow it.
  'topic-reserved': REASON.notAuthorized,
  'payload-too-large': REASON.packetTooLarge,
  'policy-publish': REASON.notAuthorized,
  'policy-subscribe': REASON.notAuthorized,
  'malformed-packet': REASON.malformedPacket,
};

/** The reason code an MQTT 5 client gets for `reason`, or undefined when the connection just closes. */
export function reasonCodeFor(reason: GateReason): number | undefined {
  return REASON_FOR[reason];
}

/** Decodes one whole frame with mqtt-packet; throws on bytes it cannot read. */
export function parseFrame(raw: Buffer, protocolVersion: number): Packet {
  const parser = mqttPacket.parser({ protocolVersion });
  let packet: Packet | undefined;
  let failure: Error | undefined;
  parser.on('packet', (p: Packet) => {
    packet = p;
  });
  parser.on('error', (error: Error) => {
    failure = error;
  });
  parser.parse(raw);
  if (failure || !packet) throw failure ?? new Error('incomplete packet');
  return packet;
}

/** Encodes a packet for the client. */
export function encodeV5(packet: Packet): Buffer {
  return mqttPacket.generate(packet, { protocolVersion: 5 });
}

/** Encodes a packet for aedes. */
function encodeV4(packet: Packet): Buffer {
  return mqttPacket.generate(packet, { protocolVersion: 4 });
}

/** A server DISCONNECT with a reason code, MQTT 5 §3.14. */
export function encodeDisconnect(reasonCode: number): Buffer {
  return encodeV5({ cmd: 'disconnect', reasonCode });
}

/** A CONNACK that refuses with `reasonCode`, MQTT 5 §3.2. */
export function encodeConnackV5(reasonCode: number): Buffer {
  return encodeV5({ cmd: 'connack', reasonCode, sessionPresent: false });
}

/** AWS's keepalive clamp, in seconds: 0 or above 1200 → 1200, below 30 → 30. */
export function clampKeepAlive(requestedS: number): number {
  if (requestedS === 0 || requestedS > AWS_MQTT5.keepAliveMaxS) return AWS_MQTT5.keepAliveMaxS;
  return Math.max(requestedS, AWS_MQTT5.keepAliveMinS);
}

/** What a translated inbound packet asks the gate to do. */
export type BridgeAction =
  | { kind: 'broker'; raw: Buffer }
  | { kind: 'client'; raw: Buffer }
  | { kind: 'none' }
  | { kind: 'disconnect'; reasonCode: number; reason: GateReason }
  | { kind: 'end' }
  /** Answer with `raw`, then close. */
  | { kind: 'refuse'; raw: Buffer; reason: GateReason };

/** Judges one requested subscription: a gate reason refuses it, undefined lets it through. */
export type FilterJudge = (filter: string, filterBytes: number) => GateReason | undefined;

/** Per-connection translation state: topic aliases, subscriptions awaiting aedes's SUBACK, the CONNACK to send. */
export class Mqtt5Bridge {
  readonly #aliases = new Map<number, string>();
  /** SUBACK codes per packet id: a number was decided here, `null` is aedes's to fill in. */
  readonly #pendingSubacks = new Map<number, Array<number | null>>();
  readonly #pendingUnsubacks = new Map<number, number>();
  #connackProperties: NonNullable<Extract<Packet, { cmd: 'connack' }>['properties']> = {};
  /** Called for each refused filter, so `--verbose` and tests see why. */
  readonly #onReason: (reason: GateReason) => void;

  constructor(onReason: (reason: GateReason) => void) {
    this.#onReason = onReason;
  }

  /**
   * Translates an accepted MQTT 5 CONNECT for aedes, or refuses it: a will at QoS 2 (0x9B), a will topic
   * AWS would not accept (0x90). `clean` may be forced on when the stored session belongs to MQTT 3.1.1.
   */
  connect(
    frame: Frame,
    options: { forceClean: boolean; willTopicOk: (topic: string) => boolean },
  ): BridgeAction {
    const packet = parseFrame(frame.raw, 5) as IConnectPacket;
    if (packet.will && packet.will.qos === 2) {
      return { kind: 'refuse', raw: encodeConnackV5(REASON.qosNotSupported), reason: 'will-qos2' };
    }
    if (packet.will && !options.willTopicOk(String(packet.will.topic))) {
      return { kind: 'refuse', raw: encodeConnackV5(REASON.topicNameInvalid), reason: 'will-topic-invalid' };
    }
    const keepalive = clampKeepAlive(packet.keepalive ?? 0);
    const requestedExpiry = packet.properties?.sessionExpiryInterval ?? 0;
    this.#connackProperties = {
      maximumQoS: AWS_MQTT5.maximumQoS,
      retainAvailable: true,
      wildcardSubscriptionAvailable: true,
      sharedSubscriptionAvailable: true,
      subscriptionIdentifiersAvailable: false,
      topicAliasMaximum: AWS_MQTT5.topicAliasMaximum,
      maximumPacketSize: AWS_MQTT5.maximumPacketBytes,
      ...(requestedExpiry > AWS_MQTT5.sessionExpiryMaxS
        ? { sessionExpiryInterval: AWS_MQTT5.sessionExpiryMaxS }
        : {}),
      ...(keepalive !== packet.keepalive ? { serverKeepAlive: keepalive } : {}),
    };
    const forBroker: IConnectPacket = {
      cmd: 'connect',
      protocolId: 'MQTT',
      protocolVersion: 4,
      clientId: packet.clientId,
      clean: packet.clean || options.forceClean,
      keepalive,
    };
    if (packet.username !== undefined) forBroker.username = packet.username;
    if (packet.password !== undefined) forBroker.password = packet.password;
    if (packet.will) {
      forBroker.will = {
        topic: packet.will.topic,
        payload: packet.will.payload,
        qos: packet.will.qos,
        retain: packet.will.retain,
      };
    }
    return { kind: 'broker', raw: encodeV4(forBroker) };
  }

  /** Translates an MQTT 5 PUBLISH for aedes, resolving a topic alias; an unknown or too high alias ends the session. */
  publish(frame: Frame): BridgeAction | { kind: 'publish'; raw: Buffer; qos: number; messageId: number } {
    const packet = parseFrame(frame.raw, 5);
    if (packet.cmd !== 'publish')
      return { kind: 'disconnect', reasonCode: REASON.protocolError, reason: 'protocol-error' };
    const alias = packet.properties?.topicAlias;
    let topic = packet.topic;
    if (alias !== undefined) {
      if (alias === 0 || alias > AWS_MQTT5.topicAliasMaximum)
        return { kind: 'disconnect', reasonCode: REASON.topicAliasInvalid, reason: 'topic-alias-invalid' };
      if (topic.length > 0) this.#aliases.set(alias, topic);
      else {
        const known = this.#aliases.get(alias);
        if (known === undefined)
          return { kind: 'disconnect', reasonCode: REASON.protocolError, reason: 'protocol-error' };
        topic = known;
      }
    }
    const forBroker: Packet = {
      cmd: 'publish',
      topic,
      payload: packet.payload,
      qos: packet.qos,
      retain: packet.retain,
      dup: packet.dup,
    };
    if (packet.messageId !== undefined) forBroker.messageId = packet.messageId;
    return { kind: 'publish', raw: encodeV4(forBroker), qos: packet.qos, messageId: packet.messageId ?? 0 };
  }

  /**
   * Judges each filter of an MQTT 5 SUBSCRIBE: refused ones get their reason code in the SUBACK, the rest go to
   * aedes. Subscription identifiers are not supported (DISCONNECT 0xA1); QoS 2 is ignored without a SUBACK.
   */
  subscribe(frame: Frame, judge: FilterJudge): BridgeAction {
    const packet = parseFrame(frame.raw, 5);
    if (packet.cmd !== 'subscribe')
      return { kind: 'disconnect', reasonCode: REASON.protocolError, reason: 'protocol-error' };
    if (packet.properties?.subscriptionIdentifier !== undefined) {
      return {
        kind: 'disconnect',
        reasonCode: REASON.subscriptionIdsNotSupported,
        reason: 'subscription-id-unsupported',
      };
    }
    if (packet.subscriptions.some((s) => s.qos === 2)) return { kind: 'none' };
    const codes: Array<number | null> = [];
    const allowed: Array<{ topic: string; qos: 0 | 1 }> = [];
    for (const s of packet.subscriptions) {
      const reason = judge(s.topic, Buffer.byteLength(s.topic));
      if (reason === undefined) {
        codes.push(null);
        allowed.push({ topic: s.topic, qos: s.qos === 1 ? 1 : 0 });
        continue;
      }
      this.#onReason(reason);
      const filterReason = reason.startsWith('topic-too') ? REASON.topicFilterInvalid : reasonCodeFor(reason);
      codes.push(filterReason ?? REASON.unspecified);
    }
    const messageId = packet.messageId ?? 0;
    if (allowed.length === 0) {
      return {
        kind: 'client',
        raw: encodeV5({ cmd: 'suback', messageId, granted: codes as number[] }),
      };
    }
    this.#pendingSubacks.set(messageId, codes);
    return { kind: 'broker', raw: encodeV4({ cmd: 'subscribe', messageId, subscriptions: allowed }) };
  }

  /** Translates any other client packet for aedes. DISCONNECT 0x04 (with will) closes without a DISCONNECT. */
  other(frame: Frame): BridgeAction {
    const packet = parseFrame(frame.raw, 5);
    switch (packet.cmd) {
      case 'disconnect':
        return packet.reasonCode === 0x04
          ? { kind: 'end' }
          : { kind: 'broker', raw: encodeV4({ cmd: 'disconnect' }) };
      case 'unsubscribe':
        this.#pendingUnsubacks.set(packet.messageId ?? 0, packet.unsubscriptions.length);
        return {
          kind: 'broker',
          raw: encodeV4({
            cmd: 'unsubscribe',
            messageId: packet.messageId ?? 0,
            unsubscriptions: packet.unsubscriptions,
          }),
        };
      case 'auth':
        return { kind: 'disconnect', reasonCode: REASON.protocolError, reason: 'protocol-error' };
      default: {
        const {
          properties: _p,
          reasonCode: _r,
          ...rest
        } = packet as Packet & {
          properties?: unknown;
          reasonCode?: unknown;
        };
        return { kind: 'broker', raw: encodeV4(rest as Packet) };
      }
    }
  }

  /** Translates one packet from aedes (MQTT 3.1.1) for the client. */
  toClient(frame: Frame): Buffer {
    const packet = parseFrame(frame.raw, 4);
    switch (packet.cmd) {
      case 'connack': {
        const reasonCode = v3ConnackAsV5(packet.returnCode ?? 0);
        return encodeV5({
          cmd: 'connack',
          sessionPresent: packet.sessionPresent,
          reasonCode,
          ...(reasonCode === 0 ? { properties: this.#connackProperties } : {}),
        });
      }
      case 'suback': {
        const messageId = packet.messageId ?? 0;
        const codes = this.#pendingSubacks.get(messageId);
        this.#pendingSubacks.delete(messageId);
        const granted = packet.granted.map((g) => (typeof g === 'number' ? g : (g as { qos: number }).qos));
        const merged = codes
          ? codes.map((c) => (c === null ? (granted.shift() ?? REASON.unspecified) : c))
          : granted;
        return encodeV5({ cmd: 'suback', messageId, granted: merged });
      }
      case 'unsuback': {
        const messageId = packet.messageId ?? 0;
        const count = this.#pendingUnsubacks.get(messageId) ?? 1;
        this.#pendingUnsubacks.delete(messageId);
        return encodeV5({ cmd: 'unsuback', messageId, granted: new Array(count).fill(0) });
      }
      default:
        return encodeV5(packet);
    }
  }
}
