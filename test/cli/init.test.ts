import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { createCa, createClientCert } from '../../src/emulator/certificates.js';
import { runCli } from '../helpers/cli.js';
import { startTestEmulator } from '../helpers/emulator.js';
import { tempDir, writeDeviceCerts } from '../helpers/scenario-files.js';

const NO_AWS = { AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_PROFILE: '' };

test('init picks up certificate files named the way the AWS console names them, and the file validates', async (t) => {
  const dir = tempDir(t);
  const { device } = await writeDeviceCerts(dir);
  writeFileSync(join(dir, '0a1b2c-certificate.pem.crt'), device.cert);
  writeFileSync(join(dir, '0a1b2c-private.pem.key'), device.key, { mode: 0o600 });
  const result = await runCli(['init'], NO_AWS, { cwd: dir });
  assert.equal(result.code, 0, result.stderr);
  const yaml = readFileSync(join(dir, 'mqttprobe.yaml'), 'utf8');
  assert.match(yaml, /cert: "0a1b2c-certificate\.pem\.crt"/);
  assert.match(yaml, /key: "0a1b2c-private\.pem\.key"/);
  assert.match(yaml, /endpoint: "aws"/, 'without AWS credentials the endpoint is looked up at run time');
  assert.match(result.stderr, /next: mqttprobe run mqttprobe\.yaml/);
  const validated = await runCli(['validate', 'mqttprobe.yaml'], NO_AWS, { cwd: dir });
  assert.equal(validated.code, 0, validated.stderr);
  assert.match(validated.stdout, /443 alpn {2}aws:443 mqtts alpn=x-amzn-mqtt-ca auth=x509/);
});

test('with AWS credentials, init fills in the endpoint from DescribeEndpoint', async (t) => {
  const { emulator } = await startTestEmulator(t);
  const dir = tempDir(t);
  const result = await runCli(
    ['init', '--output', 'probe.yaml'],
    {
      AWS_ENDPOINT_URL_IOT: emulator.controlPlaneUrl,
      AWS_ACCESS_KEY_ID: 'AKIAMQTTPROBETEST000',
      AWS_SECRET_ACCESS_KEY: 'test-secret',
      AWS_REGION: 'eu-west-1',
      AWS_CONFIG_FILE: '/nonexistent',
      AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
    },
    { cwd: dir },
  );
  assert.equal(result.code, 0, result.stderr);
  assert.match(readFileSync(join(dir, 'probe.yaml'), 'utf8'), /endpoint: "localhost"/);
});

test('init never overwrites a file unless told to', async (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'mqttprobe.yaml'), 'mine');
  const refused = await runCli(['init', '--endpoint', 'h.example'], NO_AWS, { cwd: dir });
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /mqttprobe\.yaml exists already/);
  assert.equal(readFileSync(join(dir, 'mqttprobe.yaml'), 'utf8'), 'mine');
  const forced = await runCli(['init', '--endpoint', 'h.example', '--force'], NO_AWS, { cwd: dir });
  assert.equal(forced.code, 0);
  assert.match(readFileSync(join(dir, 'mqttprobe.yaml'), 'utf8'), /endpoint: "h\.example"/);
  assert.ok(existsSync(join(dir, 'mqttprobe.yaml')));
});

test('init with two devices’ certificates here picks neither silently: it names both and asks for --cert', async (t) => {
  const dir = tempDir(t);
  const ca = await createCa();
  for (const id of ['aaa111', 'bbb222']) {
    const device = await createClientCert(ca, { commonName: id });
    writeFileSync(join(dir, `${id}-certificate.pem.crt`), device.cert);
    writeFileSync(join(dir, `${id}-private.pem.key`), device.key, { mode: 0o600 });
  }
  const refused = await runCli(['init', '--endpoint', 'h.example'], NO_AWS, { cwd: dir });
  assert.equal(refused.code, 2, refused.stderr);
  assert.match(
    refused.stderr,
    /found 2 device certificates here \(aaa111-certificate\.pem\.crt, bbb222-certificate\.pem\.crt\)/,
  );
  assert.match(refused.stderr, /help: choose one with --cert FILE/);
  assert.equal(existsSync(join(dir, 'mqttprobe.yaml')), false);

  // Given the certificate, init takes the key downloaded with it, not the first key in the folder.
  const chosen = await runCli(
    ['init', '--endpoint', 'h.example', '--cert', 'bbb222-certificate.pem.crt'],
    NO_AWS,
    {
      cwd: dir,
    },
  );
  assert.equal(chosen.code, 0, chosen.stderr);
  const yaml = readFileSync(join(dir, 'mqttprobe.yaml'), 'utf8');
  assert.match(yaml, /cert: "bbb222-certificate\.pem\.crt"/);
  assert.match(yaml, /key: "bbb222-private\.pem\.key"/);
});

describe('init checks the files it names before it writes anything, as run would', () => {
  const cases: Array<{ name: string; args: (paths: Record<string, string>) => string[]; expect: RegExp }> = [
    {
      name: 'a --cert that does not exist is named with its flag',
      args: (p) => ['--cert', 'no-such-file', '--key', p['device-private.pem.key']!],
      expect:
        /error: --cert no-such-file: client certificate not found: .*no-such-file\n {2}= help: check the path; it starts in the current folder/,
    },
    {
      name: 'a --key that does not exist is named with its flag',
      args: (p) => ['--cert', p['device.pem.crt']!, '--key', 'missing.key'],
      expect: /error: --key missing\.key: private key not found: .*missing\.key/,
    },
    {
      name: 'a --ca that is not a certificate is named with its flag',
      args: (p) => [
        '--cert',
        p['device.pem.crt']!,
        '--key',
        p['device-private.pem.key']!,
        '--ca',
        p['device-private.pem.key']!,
      ],
      expect: /error: --ca .*device-private\.pem\.key: CA file .* holds no PEM certificate/,
    },
    {
      name: 'a key of another device is refused',
      args: (p) => ['--cert', p['device.pem.crt']!, '--key', p['other-private.pem.key']!],
      expect: /error: --key .*other-private\.pem\.key: private key .* does not belong to certificate/,
    },
  ];
  for (const c of cases) {
    test(c.name, async (t) => {
      const dir = tempDir(t);
      const { paths } = await writeDeviceCerts(dir);
      const result = await runCli(['init', '--endpoint', 'h.example', ...c.args(paths)], NO_AWS, {
        cwd: dir,
      });
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr, c.expect);
      assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
      assert.equal(existsSync(join(dir, 'mqttprobe.yaml')), false, 'nothing is written');
    });
  }
});

test('init --cert without a key to go with it is refused, not written without auth', async (t) => {
  const dir = tempDir(t);
  const ca = await createCa();
  writeFileSync(join(dir, 'device.pem.crt'), (await createClientCert(ca)).cert);
  const result = await runCli(['init', '--endpoint', 'h.example', '--cert', 'device.pem.crt'], NO_AWS, {
    cwd: dir,
  });
  assert.equal(result.code, 2, result.stderr);
  assert.match(
    result.stderr,
    /error: no private key here for device\.pem\.crt\n {2}= help: give both: --cert FILE --key FILE/,
  );
  assert.equal(existsSync(join(dir, 'mqttprobe.yaml')), false);
});
