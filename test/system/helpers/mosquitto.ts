// Runs Debian's mosquitto with mutual TLS and TCP_NODELAY on a free port, configured and torn down by the test.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrokerPki } from './broker-pki.js';
import { startDaemon } from './daemon-process.js';
import { freePort, withFreshPorts } from './free-port.js';
import type { Teardown } from './teardown.js';

/** Where the broker listens (MQTT over TLS, client certificate required). */
export interface Mosquitto {
  host: string;
  port: number;
  output: () => string;
}

/**
 * Starts mosquitto on `host` (default loopback). It runs as root (`user root`), so the key files in the test's
 * private temp folder need no permission changes. `extraConfig` lines come after the listener, so
 * listener options such as `max_qos 1` apply to it (to each, with `alsoOn`).
 * No trailing comments in the config: mosquitto rejects them.
 */
export async function startMosquitto(
  t: Teardown,
  dir: string,
  pki: BrokerPki,
  options: { host?: string; alsoOn?: string[]; extraConfig?: string[] } = {},
): Promise<Mosquitto> {
  const host = options.host ?? '127.0.0.1';
  // Each listener takes its own TLS settings; `alsoOn` adds one per address on the same port (an IPv6 one, say).
  const listener = (address: string, port: number) => [
    `listener ${port} ${address}`,
    `cafile ${pki.ca}`,
    `certfile ${pki.serverCert}`,
    `keyfile ${pki.serverKey}`,
    'require_certificate true',
    'use_identity_as_username true',
    ...(options.extraConfig ?? []),
  ];
  return withFreshPorts(async () => {
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
        ...[host, ...(options.alsoOn ?? [])].flatMap((address) => listener(address, port)),
        '',
      ].join('\n'),
    );
    const daemon = await startDaemon(t, 'mosquitto', ['-c', config], / running/);
    return { host, port, output: daemon.output };
  });
}
