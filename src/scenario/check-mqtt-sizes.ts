// Checks what only the whole scenario decides against MQTT's limits (the topic a client ID implies, the PUBLISH
// packet around the payload, the custom authorizer's composed username), and warns where AWS IoT's quotas bite.
import { AWS_LIMITS, appliesAwsQuotas, MQTT_LIMITS, utf8Bytes } from './mqtt-limits.js';
import type { YamlPath } from './parse-yaml.js';
import type { ResolveProblem } from './resolve-context.js';
import type { ScenarioWarning } from './scenario-error.js';
import type { RawScenario } from './schema.js';

const DEFAULT_TOPIC_PREFIX = 'mqttprobe/';

/** Problems for sizes MQTT cannot carry; warnings (`at` locates them) for sizes AWS IoT refuses. */
export function checkMqttSizes(
  v: RawScenario,
  payloadBytes: number,
  at: (valuePath: YamlPath) => Pick<ScenarioWarning, 'span'>,
): { problems: ResolveProblem[]; warnings: ScenarioWarning[] } {
  const problems: ResolveProblem[] = [];
  const warnings: ScenarioWarning[] = [];
  const clientId = v.mqtt?.clientId;
  // With no `topic`, the probe uses `mqttprobe/<client ID>` (probe/mqtt/client-identity.ts).
  const topicBytes =
    v.topic !== undefined
      ? utf8Bytes(v.topic)
      : DEFAULT_TOPIC_PREFIX.length + (clientId === undefined ? 22 : utf8Bytes(clientId));
  const steps = v.steps ?? ['connect', 'subscribe', 'publish', 'receive'];
  const usesTopic = steps.includes('subscribe') || steps.includes('publish');
  if (usesTopic && v.topic === undefined && topicBytes > MQTT_LIMITS.stringBytes) {
    problems.push({
      code: 'value.invalid',
      message: 'the default topic `mqttprobe/<client ID>` is too long for MQTT',
      valuePath: ['mqtt', 'clientId'],
      label: `${topicBytes} bytes; MQTT allows at most ${MQTT_LIMITS.stringBytes}`,
      hint: 'set a shorter `topic`, or a shorter `mqtt.clientId`',
    });
  }
  if (steps.includes('publish')) {
    // PUBLISH: topic (2-byte length + bytes), packet id from QoS 1, an empty property list in MQTT 5, the payload.
    const packetBytes =
      2 + topicBytes + ((v.qos ?? 1) > 0 ? 2 : 0) + (v.mqtt?.version === 5 ? 1 : 0) + payloadBytes;
    if (packetBytes > MQTT_LIMITS.packetBytes) {
      problems.push({
        code: 'value.invalid',
        message: 'the PUBLISH packet would be larger than MQTT allows',
        valuePath: [v.payloadSize !== undefined ? 'payloadSize' : 'payload'],
        label: `${packetBytes} bytes with the topic; MQTT allows at most ${MQTT_LIMITS.packetBytes}`,
        hint: `keep payload and topic under ${MQTT_LIMITS.packetBytes} bytes together`,
      });
    }
  }
  if (v.auth?.type === 'custom-authorizer') {
    // As probe/mqtt/mqtt-credentials.ts composes it: USERNAME?x-amz-customauthorizer-name=…&TOKENKEY=…&…-signature=…
    const query = new URLSearchParams({ 'x-amz-customauthorizer-name': v.auth.authorizer });
    if (v.auth.token !== undefined) query.set(v.auth.tokenKeyName ?? 'token', v.auth.token);
    if (v.auth.signature !== undefined) query.set('x-amz-customauthorizer-signature', v.auth.signature);
    const usernameBytes = utf8Bytes(v.auth.username ?? '') + 1 + utf8Bytes(query.toString());
    if (usernameBytes > MQTT_LIMITS.stringBytes) {
      problems.push({
        code: 'value.invalid',
        message: 'the custom authorizer fields make a username longer than MQTT allows',
        valuePath: ['auth'],
        label: `${usernameBytes} bytes, URL-encoded; MQTT allows at most ${MQTT_LIMITS.stringBytes}`,
        hint: 'the username carries the authorizer name, token and signature: shorten the token or signature',
      });
    }
  }

  if (!appliesAwsQuotas(v.endpoint)) return { problems, warnings };
  const quota = (message: string, valuePath: YamlPath, code: ScenarioWarning['code']) =>
    warnings.push({
      code,
      message: `AWS IoT ${message}; the broker will close the connection`,
      ...at(valuePath),
    });
  if (clientId !== undefined && utf8Bytes(clientId) > AWS_LIMITS.clientIdBytes) {
    quota(
      `allows client IDs of at most ${AWS_LIMITS.clientIdBytes} bytes, and \`mqtt.clientId\` has ${utf8Bytes(clientId)}`,
      ['mqtt', 'clientId'],
      'aws.client-id-too-long',
    );
  }
  if (usesTopic && v.topic !== undefined) {
    if (topicBytes > AWS_LIMITS.topicBytes) {
      quota(
        `allows topics of at most ${AWS_LIMITS.topicBytes} bytes, and \`topic\` has ${topicBytes}`,
        ['topic'],
        'aws.topic-too-long',
      );
    }
    const slashes = v.topic.split('/').length - 1;
    if (slashes > AWS_LIMITS.topicSlashes) {
      quota(
        `allows at most ${AWS_LIMITS.topicSlashes} slashes in a topic, and \`topic\` has ${slashes}`,
        ['topic'],
        'aws.topic-too-deep',
      );
    }
  }
  if (steps.includes('publish') && payloadBytes > AWS_LIMITS.payloadBytes) {
    quota(
      `allows payloads of at most ${AWS_LIMITS.payloadBytes / 1024} KB, and this one has ${payloadBytes} bytes`,
      [v.payloadSize !== undefined ? 'payloadSize' : 'payload'],
      'aws.payload-too-large',
    );
  }
  return { problems, warnings };
}
