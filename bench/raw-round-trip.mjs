// The baseline: the same connect → subscribe → publish → receive round trip written directly against MQTT.js.
// Run alone: `node bench/raw-round-trip.mjs HOST PORT PKI_DIR [COUNT CONCURRENCY]`; PKI_DIR holds ca.pem, client.pem, client-key.pem.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import mqtt from 'mqtt';

/** One QoS 1 round trip over mutual TLS; resolves once the payload came back and the client disconnected. */
export async function rawRoundTrip({ host, port, ca, cert, key }) {
  const clientId = `raw-${randomUUID()}`;
  const topic = `bench/${clientId}`;
  const client = await mqtt.connectAsync({
    host,
    port,
    protocol: 'mqtts',
    ca,
    cert,
    key,
    clientId,
    reconnectPeriod: 0,
  });
  const received = new Promise((resolve) =>
    client.on('message', (_topic, payload) => resolve(payload.toString())),
  );
  await client.subscribeAsync(topic, { qos: 1 });
  await client.publishAsync(topic, clientId, { qos: 1 });
  if ((await received) !== clientId) throw new Error('the payload came back changed');
  await client.endAsync();
}

/** Runs `count` round trips, `concurrency` at a time; returns the loop's wall time in ms. */
export async function rawLoop(target, count, concurrency) {
  const t0 = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next += 1;
      await rawRoundTrip(target);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return performance.now() - t0;
}

// By name, not import.meta.url: bench/loop-worker.ts bundles this file, and its own entry must not run this.
if (process.argv[1]?.endsWith('/raw-round-trip.mjs')) {
  const [host = '127.0.0.1', port = '8883', dir = '.', count = '1', concurrency = '1'] =
    process.argv.slice(2);
  const read = (name) => readFileSync(join(dir, name));
  const target = {
    host,
    port: Number(port),
    ca: read('ca.pem'),
    cert: read('client.pem'),
    key: read('client-key.pem'),
  };
  const loopMs = await rawLoop(target, Number(count), Number(concurrency));
  process.stdout.write(`${JSON.stringify({ count: Number(count), loopMs })}\n`);
}
