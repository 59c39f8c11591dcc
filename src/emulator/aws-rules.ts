// AWS IoT Core's MQTT rules as a pure decision per inbound packet: forward it to the broker, drop it, or close.
// Sources: https://docs.aws.amazon.com/iot/latest/developerguide/mqtt.html (differences from the spec) and
// https://docs.aws.amazon.com/general/latest/gr/iot-core.html (message broker quotas).

import { AWS_LIMITS } from '../scenario/mqtt-limits.js';
import {
  type ConnectInfo,
  decodeConnect,
  decodePublish,
  decodeSubscribe,
  encodeConnack,
  type Frame,
  PACKET,
} from './mqtt-frames.js';
import type { CustomAuthorizerCredentials, EmulatorFaults, EmulatorPolicies } from './options.js';
import { allowedBy, filterCovers, globMatches, topicMatches } from './policy.js';

// One list of AWS's quotas: the scenario loader warns by it, the emulator enforces it.
export { AWS_LIMITS } from '../scenario/mqtt-limits.js';

/** How the client authenticated at the transport, which decides what CONNECT must carry. */
/** How a connection authenticated; `ws-custom-authorizer` was checked on the WebSocket upgrade, like `sigv4`. */
export type TransportAuth = 'x509' | 'custom-authorizer' | 'sigv4' | 'ws-custom-authorizer';

/** Why the emulator closed or ignored something; tests and `mqttprobe emulate --verbose` show it. */
export type GateReason =
  | 'client-id-too-long'
  | 'custom-auth-failed'
  | 'policy-connect'
  | 'fault-close-after-connect'
  | 'fault-connack-refusal'
  | 'topic-too-long'
  | 'topic-too-many-slashes'
  | 'topic-reserved'
  | 'payload-too-large'
  | 'qos2-ignored'
  | 'policy-publish'
  | 'policy-subscribe'
  | 'fault-close-on-publish'
  | 'fault-close-on-subscribe'
  | 'malformed-packet'
  // MQTT 5 only: answered with a reason code (see mqtt5-bridge.ts).
  | 'protocol-error'
  | 'topic-alias-invalid'
  | 'subscription-id-unsupported'
  | 'will-qos2'
  | 'will-topic-invalid'
  | 'session-taken-over';

export type Verdict =
  | { action: 'forward' }
  | { action: 'drop'; reason: GateReason }
  | { action: 'close'; reason: GateReason; reply?: Buffer };

/** What the rules know about one connection; `protocolLevel` is set by CONNECT. */
export interface GateSession {
  protocolLevel: number;
  transportAuth: TransportAuth;
}

/** What the rules read at each packet; faults and policies can change between packets. */
export interface GateSettings {
  faults: EmulatorFaults;
  policies: EmulatorPolicies;
  customAuthorizer: CustomAuthorizerCredentials;
}

const FORWARD: Verdict = { action: 'forward' };

/** Checks a topic name or filter against AWS's length, depth and reserved-prefix rules. */
export function checkTopic(topic: string, topicBytes: number): GateReason | undefined {
  if (topicBytes > AWS_LIMITS.topicBytes) return 'topic-too-long';
  if (topic.split('/').length - 1 > AWS_LIMITS.topicSlashes) return 'topic-too-many-slashes';
  // Only `$aws/` is open to clients; other `$` topics are reserved (AWS "Reserved topics").
  if (topic.startsWith('$') && !topic.startsWith('$aws/')) return 'topic-reserved';
  return undefined;
}

/** True when CONNECT carries the configured custom-authorizer username (optionally with the authorizer name) and password. */
export function customAuthAccepts(info: ConnectInfo, creds: CustomAuthorizerCredentials): boolean {
  if (info.username === undefined || info.password === undefined) return false;
  const queryAt = info.username.indexOf('?');
  const base = queryAt === -1 ? info.username : info.username.slice(0, queryAt);
  const query = new URLSearchParams(queryAt === -1 ? '' : info.username.slice(queryAt + 1));
  if (creds.name !== undefined && query.get('x-amz-customauthorizer-name') !== creds.name) return false;
  return base === creds.username && info.password.toString('utf8') === creds.password;
}

function judgeConnect(frame: Frame, session: GateSession, settings: GateSettings): Verdict {
  const info = decodeConnect(frame);
  session.protocolLevel = info.protocolLevel;
  if (info.clientId.length > AWS_LIMITS.clientIdBytes)
    return { action: 'close', reason: 'client-id-too-long' };
  if (session.transportAuth === 'custom-authorizer' && !customAuthAccepts(info, settings.customAuthorizer)) {
    return { action: 'close', reason: 'custom-auth-failed' };
  }
  if (!allowedBy(settings.policies.connect, info.clientId.toString('utf8'), globMatches)) {
    return { action: 'close', reason: 'policy-connect' };
  }
  if (settings.faults.closeAfterConnect) return { action: 'close', reason: 'fault-close-after-connect' };
  if (settings.faults.connackRefusal !== null) {
    return {
      action: 'close',
      reason: 'fault-connack-refusal',
      reply: encodeConnack(settings.faults.connackRefusal),
    };
  }
  return FORWARD;
}

function judgePublish(frame: Frame, session: GateSession, settings: GateSettings): Verdict {
  const info = decodePublish(frame, session.protocolLevel);
  const topicProblem = checkTopic(info.topic, info.topicBytes);
  if (topicProblem) return { action: 'close', reason: topicProblem };
  if (info.payloadBytes > AWS_LIMITS.payloadBytes) return { action: 'close', reason: 'payload-too-large' };
  if (!allowedBy(settings.policies.publish, info.topic, topicMatches))
    return { action: 'close', reason: 'policy-publish' };
  if (settings.faults.closeOnPublish) return { action: 'close', reason: 'fault-close-on-publish' };
  // AWS: "doesn't send a PUBACK or SUBACK when QoS 2 is requested"; the message is not published either.
  if (info.qos === 2) return { action: 'drop', reason: 'qos2-ignored' };
  return FORWARD;
}

/** Judges one requested topic filter: its shape, then the iot:Subscribe policy. */
export function judgeFilter(
  filter: string,
  filterBytes: number,
  settings: GateSettings,
): GateReason | undefined {
  const topicProblem = checkTopic(filter, filterBytes);
  if (topicProblem) return topicProblem;
  if (!allowedBy(settings.policies.subscribe, filter, filterCovers)) return 'policy-subscribe';
  return undefined;
}

function judgeSubscribe(frame: Frame, session: GateSession, settings: GateSettings): Verdict {
  const requests = decodeSubscribe(frame, session.protocolLevel);
  for (const request of requests) {
    const problem = judgeFilter(request.filter, request.filterBytes, settings);
    if (problem) return { action: 'close', reason: problem };
  }
  if (settings.faults.closeOnSubscribe) return { action: 'close', reason: 'fault-close-on-subscribe' };
  if (requests.some((request) => request.qos === 2)) return { action: 'drop', reason: 'qos2-ignored' };
  return FORWARD;
}

/** Decides what happens to one inbound packet. Malformed packets close the connection. */
export function judgePacket(frame: Frame, session: GateSession, settings: GateSettings): Verdict {
  try {
    switch (frame.type) {
      case PACKET.connect:
        return judgeConnect(frame, session, settings);
      case PACKET.publish:
        return judgePublish(frame, session, settings);
      case PACKET.subscribe:
        return judgeSubscribe(frame, session, settings);
      default:
        return FORWARD;
    }
  } catch {
    // A packet the decoder cannot read would also confuse the broker; AWS drops such connections.
    return { action: 'close', reason: 'malformed-packet' };
  }
}
