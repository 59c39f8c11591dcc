import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
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
