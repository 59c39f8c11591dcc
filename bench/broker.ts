// Starts the benchmark's broker: Debian's mosquitto on a free loopback port, mutual TLS, TCP_NODELAY, fresh certificates.
import { writeBrokerPki } from '../test/system/helpers/broker-pki.js';
import { startMosquitto } from '../test/system/helpers/mosquitto.js';
import { privateTempDir, type Teardown } from '../test/system/helpers/teardown.js';

/** A running broker and the files a client needs to reach it. */
export interface BenchBroker {
  host: string;
  port: number;
  /** Holds ca.pem, client.pem and client-key.pem (the names bench/raw-round-trip.mjs reads). */
  dir: string;
  ca: string;
  cert: string;
  key: string;
  version: string;
}

/** Starts mosquitto with the system tests' configuration (mutual TLS, TCP_NODELAY) and reports its version. */
export async function startBenchBroker(t: Teardown): Promise<BenchBroker> {
  const dir = privateTempDir(t);
  const pki = await writeBrokerPki(dir);
  const broker = await startMosquitto(t, dir, pki);
  const version = /mosquitto version (\S+)/.exec(broker.output())?.[1] ?? 'unknown';
  return {
    host: broker.host,
    port: broker.port,
    dir,
    ca: pki.ca,
    cert: pki.clientCert,
    key: pki.clientKey,
    version,
  };
}
