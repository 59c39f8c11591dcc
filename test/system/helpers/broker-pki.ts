// Writes a CA, a broker certificate and a device certificate for a real broker (mosquitto, nginx) into a test folder.
import { join } from 'node:path';
import { createCa, createClientCert, createServerCert } from '../../../src/emulator/certificates.js';
import { writeFiles } from '../../helpers/scenario-files.js';

/** Absolute paths of the PEM files a broker and a probe need. */
export interface BrokerPki {
  ca: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
  /** A device certificate and key that nginx presents to mosquitto when it re-encrypts. */
  relayCert: string;
  relayKey: string;
}

/**
 * Generates the PKI; the server certificate names `localhost`, 127.0.0.1 and any `extraAltNames` (e.g. a veth
 * address), or exactly `altNames` when given (a certificate that names only an IP address); its CN is `commonName`
 * (default `localhost`, which Node's host-name check falls back to when the certificate has no DNS name).
 */
export async function writeBrokerPki(
  dir: string,
  options: { extraAltNames?: string[]; altNames?: string[]; commonName?: string } = {},
): Promise<BrokerPki> {
  const ca = await createCa({ commonName: 'mqttprobe system-test CA' });
  const server = await createServerCert(ca, {
    hostname: options.commonName ?? 'localhost',
    altNames: options.altNames ?? ['localhost', '127.0.0.1', ...(options.extraAltNames ?? [])],
  });
  const client = await createClientCert(ca, { commonName: 'probe-device' });
  const relay = await createClientCert(ca, { commonName: 'nginx-relay' });
  writeFiles(dir, {
    'ca.pem': ca.cert,
    'server.pem': server.cert,
    'server-key.pem': server.key,
    'client.pem': client.cert,
    'client-key.pem': client.key,
    'relay.pem': relay.cert,
    'relay-key.pem': relay.key,
  });
  return {
    ca: join(dir, 'ca.pem'),
    serverCert: join(dir, 'server.pem'),
    serverKey: join(dir, 'server-key.pem'),
    clientCert: join(dir, 'client.pem'),
    clientKey: join(dir, 'client-key.pem'),
    relayCert: join(dir, 'relay.pem'),
    relayKey: join(dir, 'relay-key.pem'),
  };
}

/**
 * A scenario file for `port` on 127.0.0.1 with this PKI's files (relative to the folder they were written to), a 3 s
 * timeout per phase, and `scenarios` (list entries, each indented by two spaces).
 */
export function pkiScenarioFile(port: number, scenarios: string): string {
  return `version: 1
defaults:
  endpoint: 127.0.0.1
  servername: localhost
  ca: ca.pem
  auth: { type: x509, cert: client.pem, key: client-key.pem }
  port: ${port}
  timeout: 3s
scenarios:
${scenarios}`;
}
