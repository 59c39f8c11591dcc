// Writes scenario files and device certificates into a fresh temporary folder that the test removes afterwards.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { createCa, createClientCert } from '../../src/emulator/certificates.js';
import { startSynBlackhole } from '../probe/helpers/tiny-servers.js';

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

/** A scenario against the embedded emulator's "8883", which passes; `extra` adds keys (indented 4). */
export function writeEmulatorScenario(dir: string, extra = ''): string {
  const file = join(dir, 'emulator.yaml');
  writeFileSync(
    file,
    `version: 1\nscenarios:\n  - name: emulator 8883\n    endpoint: emulator\n    port: 8883\n${extra}`,
  );
  return file;
}

/**
 * A scenario that waits 60 s on a SYN-blackholed port until something stops it, after (with `passFirst`) one that
 * passes at once against the emulator. Skips the test, and returns undefined, where python3 is missing.
 */
export async function writeHangingScenario(
  t: TestContext,
  dir: string,
  options: { passFirst?: boolean } = {},
): Promise<{ file: string; port: number } | undefined> {
  const blackhole = await startSynBlackhole();
  if (!blackhole) {
    t.skip('python3 is needed for the SYN blackhole');
    return undefined;
  }
  t.after(() => blackhole.close());
  const file = join(dir, 'hangs.yaml');
  const first = options.passFirst ? '  - name: emulator 8883\n    endpoint: emulator\n    port: 8883\n' : '';
  writeFileSync(
    file,
    `version: 1\nscenarios:\n${first}  - name: blackholed\n    endpoint: 127.0.0.1\n    port: ${blackhole.port}\n    timeout: 60s\n`,
  );
  return { file, port: blackhole.port };
}
