// Types for raw-round-trip.mjs, which stays plain JavaScript so that `node` runs it without a TypeScript loader.

/** Where the raw MQTT.js client connects, with the PEM contents of its CA, certificate and key. */
export interface RawTarget {
  host: string;
  port: number;
  ca: Buffer;
  cert: Buffer;
  key: Buffer;
}

/** One QoS 1 round trip over mutual TLS; resolves once the payload came back and the client disconnected. */
export function rawRoundTrip(target: RawTarget): Promise<void>;

/** Runs `count` round trips, `concurrency` at a time; returns the loop's wall time in ms. */
export function rawLoop(target: RawTarget, count: number, concurrency: number): Promise<number>;
