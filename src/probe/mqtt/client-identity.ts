// Default client ID and topic: unique per probe, because AWS IoT drops the older of two connections with one ID.
import { randomBytes } from 'node:crypto';

/** A fresh `mqttprobe-<12 hex>` client ID (well under AWS IoT's 128-byte limit). */
export function generateClientId(): string {
  return `mqttprobe-${randomBytes(6).toString('hex')}`;
}

/** The topic a probe uses when the plan fixes none: one level per probe, within AWS IoT's 7-slash limit. */
export function defaultTopic(clientId: string): string {
  return `mqttprobe/${clientId}`;
}
