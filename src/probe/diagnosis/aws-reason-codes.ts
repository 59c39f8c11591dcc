// The fix for each MQTT 5 reason code AWS IoT Core sends, in the words of the packet it came in.
// Sources: https://docs.aws.amazon.com/iot/latest/developerguide/mqtt.html ("MQTT 5 reason codes"), the message
// broker quotas (https://docs.aws.amazon.com/general/latest/gr/iot-core.html#message-broker-limits), MQTT 5 §2.4.
import { AWS_LIMITS } from '../../scenario/mqtt-limits.js';
import { v3ConnackAsV5 } from '../../scenario/mqtt-reason-codes.js';
import type { Phase } from '../../scenario/phases.js';

/** Where the reason code arrived, which decides the policy action a 0x87 refers to. */
export type ReasonSource =
  | { packet: 'connack' }
  | { packet: 'suback'; topic: string }
  | { packet: 'puback'; topic: string }
  | { packet: 'disconnect'; phase: Phase; serverReference?: string };

/** An MQTT 3.1.1 CONNACK return code as its MQTT 5 equivalent; MQTT 5 codes are returned as they are. */
export function asMqtt5Code(reasonCode: number, protocolVersion: number): number {
  return protocolVersion < 5 ? v3ConnackAsV5(reasonCode) : reasonCode;
}

// The policy action and resource a refusal in this place is about.
function refusedAction(source: ReasonSource): string {
  const phase = source.packet === 'disconnect' ? source.phase : source.packet;
  const topic = 'topic' in source ? source.topic : 'TOPIC';
  switch (phase) {
    case 'suback':
      return `iot:Subscribe on arn:aws:iot:REGION:ACCOUNT:topicfilter/${topic}`;
    case 'puback':
      return `iot:Publish on arn:aws:iot:REGION:ACCOUNT:topic/${topic}`;
    case 'receive':
    case 'hold':
      return `iot:Receive on arn:aws:iot:REGION:ACCOUNT:topic/${topic}`;
    default:
      return 'iot:Connect on arn:aws:iot:REGION:ACCOUNT:client/CLIENT_ID (and an ACTIVE certificate attached to it)';
  }
}

const PER_CONNECTION =
  'AWS IoT allows 100 publishes/s and 512 KB/s per connection, 50 subscriptions per connection and 8 per SUBSCRIBE, 1 connect/s per client ID and 500 per account';

/** The fix for an MQTT 5 reason code, or undefined when the code has no specific one. */
export function reasonCodeFix(reasonCode: number, source: ReasonSource): string | undefined {
  switch (reasonCode) {
    case 0x84:
      return 'the server does not speak this MQTT version: try mqtt.version 4 (3.1.1) or 5';
    case 0x85:
      return `the client ID is not valid: AWS IoT takes at most ${AWS_LIMITS.clientIdBytes} bytes, and no empty ID`;
    case 0x86:
      return 'the username or password was refused: for a custom authorizer check the authorizer name, token and signature';
    case 0x87:
      return `not authorized: the policy must allow ${refusedAction(source)}`;
    case 0x89:
      return 'the server is busy: retry later, or probe less often';
    case 0x8b:
      return 'the server is shutting down: retry later';
    case 0x8d:
      return 'the server saw no packet within 1.5 × the keepalive: check mqtt.keepalive and idle timeouts on the path (AWS IoT clamps it to 30–1200 s)';
    case 0x8e:
      return 'another client connected with this client ID: give each connection its own client ID';
    case 0x8f:
      return `the topic filter is not valid: AWS IoT takes at most ${AWS_LIMITS.topicBytes} bytes and ${AWS_LIMITS.topicSlashes} slashes, and reserves $ topics other than $aws/`;
    case 0x90:
      return `the topic name is not valid: AWS IoT takes at most ${AWS_LIMITS.topicBytes} bytes and ${AWS_LIMITS.topicSlashes} slashes, no wildcards, and reserves $ topics other than $aws/`;
    case 0x91:
      return 'the packet identifier is already in use: the client reused one before its acknowledgement';
    case 0x93:
      return 'more QoS 1 messages were in flight than the server’s Receive Maximum: send fewer at once';
    case 0x94:
      return 'a topic alias above the server’s Topic Alias Maximum (AWS IoT: 8), or an unknown one, was used';
    case 0x95:
      return `the packet is larger than the server takes (AWS IoT: ${AWS_LIMITS.payloadBytes / 1024} KB): lower payloadSize`;
    case 0x97:
      return `a quota was exceeded (throttled): probe less often; ${PER_CONNECTION}`;
    case 0x98:
      return 'an administrator ended the session (for AWS IoT: the certificate was deactivated or revoked, or the thing was deleted)';
    case 0x9b:
      return 'the server does not support this QoS: AWS IoT takes QoS 0 and 1, not 2';
    case 0x9c:
    case 0x9d:
      return source.packet === 'disconnect' && source.serverReference
        ? `the server points to another server (${source.serverReference}): use that endpoint`
        : 'the server asks to use another server: check the endpoint';
    case 0xa1:
      return 'the server does not support subscription identifiers (AWS IoT does not): do not send them';
    case 0xa2:
      return 'the server does not support wildcard subscriptions: subscribe to the exact topic';
    default:
      return undefined;
  }
}
