// MQTT's limits on strings and packets, and AWS IoT Core's tighter quotas. Checked at load time: a client ID of
// 65,536 bytes crashes Node inside OpenSSL and a topic that long throws inside MQTT.js, so neither reaches a probe.

/** Limits of the protocol itself, the same in MQTT 3.1.1 and 5. */
export const MQTT_LIMITS = {
  /** A UTF-8 string or binary field has a two-byte length (MQTT 3.1.1 §1.5.3, MQTT 5 §1.5.4). */
  stringBytes: 65_535,
  /** A packet's remaining length is at most four bytes of 7 bits (MQTT 3.1.1 §2.2.3): 256 MB. */
  packetBytes: 268_435_455,
} as const;

/**
 * AWS IoT Core message broker quotas that end a connection when exceeded; the emulator enforces the same.
 * https://docs.aws.amazon.com/general/latest/gr/iot-core.html#message-broker-limits
 */
export const AWS_LIMITS = {
  clientIdBytes: 128,
  topicBytes: 256,
  /** Forward slashes in a topic or topic filter. */
  topicSlashes: 7,
  payloadBytes: 128 * 1024,
} as const;

const AMAZON_HOST = /\.amazonaws\.com(\.cn)?$/i;

/** Whether an endpoint applies AWS IoT's quotas: `aws`, `emulator`, or an *.amazonaws.com host. */
export function appliesAwsQuotas(endpoint: string | undefined): boolean {
  return (
    endpoint === 'aws' || endpoint === 'emulator' || (endpoint !== undefined && AMAZON_HOST.test(endpoint))
  );
}

/** Bytes of `text` in UTF-8, as MQTT counts a string. */
export function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
