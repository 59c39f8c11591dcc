// Starts the benchmark's broker: Debian's mosquitto on a free loopback port, mutual TLS, TCP_NODELAY, fresh certificates.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeBrokerPki } from '../test/system/helpers/broker-pki.js';
import { startDaemon } from '../test/system/helpers/daemon-process.js';
import { freePort } from '../test/system/helpers/free-port.js';
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

/**
 * Starts mosquitto as root (`user root`), so keys in the private temp folder need no permission change.
 * Logs up to `information`, since mosquitto announces that it is ready (" running") at that level.
 * No trailing comments in the config: mosquitto rejects them.
 */
export async function startBenchBroker(t: Teardown): Promise<BenchBroker> {
  const dir = privateTempDir(t);
  const pki = await writeBrokerPki(dir);
  const host = '127.0.0.1';
  const port = await freePort(host);
  const config = join(dir, 'mosquitto.conf');
  writeFileSync(
    config,
    [
      'per_listener_settings false',
      'persistence false',
      'user root',
      'log_dest stderr',
      'log_type error',
      'log_type warning',
      'log_type notice',
      'log_type information',
      'set_tcp_nodelay true',
      `listener ${port} ${host}`,
      `cafile ${pki.ca}`,
      `certfile ${pki.serverCert}`,
      `keyfile ${pki.serverKey}`,
      'require_certificate true',
      'use_identity_as_username true',
      '',
    ].join('\n'),
  );
  const daemon = await startDaemon(t, 'mosquitto', ['-c', config], / running/);
  const version = /mosquitto version (\S+)/.exec(daemon.output())?.[1] ?? 'unknown';
  return { host, port, dir, ca: pki.ca, cert: pki.clientCert, key: pki.clientKey, version };
}
