// Hands a running emulator to scenario files: writes its certificates and names its endpoints as ${VARS}.
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Emulator } from './index.js';

/** File names as the AWS console would give them, so the emulator's certs look like a device's. */
export const EMULATOR_CERT_FILES = {
  ca: 'ca.pem',
  cert: 'client.pem.crt',
  key: 'client-private.pem.key',
} as const;

/** Certificates are public (0644); the private key is for its owner only (0600), as ssh and mqttprobe require. */
export const EMULATOR_CERT_MODES: Record<keyof typeof EMULATOR_CERT_FILES, number> = {
  ca: 0o644,
  cert: 0o644,
  key: 0o600,
};

/** Writes the CA, client certificate and key into `dir` with EMULATOR_CERT_MODES; returns their paths. */
export function writeEmulatorCerts(
  emulator: Emulator,
  dir: string,
): { ca: string; cert: string; key: string } {
  const texts = { ca: emulator.ca, cert: emulator.client.cert, key: emulator.client.key };
  const paths = { ca: '', cert: '', key: '' };
  for (const file of ['ca', 'cert', 'key'] as const) {
    paths[file] = join(dir, EMULATOR_CERT_FILES[file]);
    writeFileSync(paths[file], texts[file], { mode: EMULATOR_CERT_MODES[file] });
    // The mode above applies only to a new file, and through the umask: an existing file keeps its old mode.
    chmodSync(paths[file], EMULATOR_CERT_MODES[file]);
  }
  return paths;
}

/**
 * Environment variables that scenario files such as scenarios/demo.yaml use to reach the emulator:
 * `${MQTTPROBE_EMULATOR_HOST}`, `_SERVERNAME`, `_MQTTS_PORT` ("8883"), `_ALPN_PORT` ("443"), `_CA`, `_CERT`, `_KEY`,
 * `_USERNAME` and `_PASSWORD` (the custom authorizer's test credentials).
 */
export function emulatorEnv(
  emulator: Emulator,
  certs: { ca: string; cert: string; key: string },
): Record<string, string> {
  return {
    MQTTPROBE_EMULATOR_HOST:
      emulator.host === '0.0.0.0' || emulator.host === '::' ? '127.0.0.1' : emulator.host,
    MQTTPROBE_EMULATOR_SERVERNAME: emulator.hostname,
    MQTTPROBE_EMULATOR_MQTTS_PORT: String(emulator.ports.mqtts),
    MQTTPROBE_EMULATOR_ALPN_PORT: String(emulator.ports.alpn),
    MQTTPROBE_EMULATOR_CA: certs.ca,
    MQTTPROBE_EMULATOR_CERT: certs.cert,
    MQTTPROBE_EMULATOR_KEY: certs.key,
    MQTTPROBE_EMULATOR_USERNAME: emulator.credentials.customAuthorizer.username,
    MQTTPROBE_EMULATOR_PASSWORD: emulator.credentials.customAuthorizer.password,
  };
}
