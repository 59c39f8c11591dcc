// Writes scenario files and device certificates into a fresh temporary folder that the test removes afterwards.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { createCa, createClientCert } from '../../src/emulator/certificates.js';

/** A temporary folder removed when the test ends, pass or fail. */
export function tempDir(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'mqttprobe-test-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Writes `files` (name → text) into `dir` with mode 0600; returns the path of each. */
export function writeFiles(dir: string, files: Record<string, string>): Record<string, string> {
  const paths: Record<string, string> = {};
  for (const [name, text] of Object.entries(files)) {
    const path = join(dir, name);
    writeFileSync(path, text, { mode: 0o600 });
    paths[name] = path;
  }
  return paths;
}

/** A CA plus a device certificate and key written as `ca.pem`, `device.pem.crt`, `device-private.pem.key`. */
export async function writeDeviceCerts(dir: string, options: { expired?: boolean } = {}) {
  const ca = await createCa();
  const device = await createClientCert(ca, {
    commonName: 'probe-device',
    expired: options.expired ?? false,
  });
  const other = await createClientCert(ca, { commonName: 'other-device' });
  const paths = writeFiles(dir, {
    'ca.pem': ca.cert,
    'device.pem.crt': device.cert,
    'device-private.pem.key': device.key,
    'other-private.pem.key': other.key,
  });
  return { ca, device, paths };
}
