import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { DEFAULT_SIGV4 } from '../../src/emulator/options.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/scenario-files.js';

test('`check emulator` compares the ways in, recommends one, and saves a file that runs', async (t) => {
  const dir = tempDir(t);
  const saved = join(dir, 'ways.yaml');
  const result = await runCli(['check', 'emulator', '--repeat', '2', '--save', saved]);
  assert.equal(result.code, 0, result.stdout + result.stderr);
  // Side by side: the ways are the columns.
  assert.match(result.stdout, /^\s+8883\s+443 alpn\s+443 no alpn$/m);
  assert.match(result.stdout, /^result\s+✔ pass 2\/2\s+✔ pass 2\/2\s+✔ expected$/m);
  assert.match(result.stdout, /^From this network use 8883 \(p50 [\d.]+m?s\)\.$/m);
  assert.match(readFileSync(saved, 'utf8'), /^# yaml-language-server: \$schema=file:\/\//);
  const rerun = await runCli(['run', saved]);
  assert.equal(rerun.code, 0, rerun.stdout + rerun.stderr);
});

test('`check HOST` without a device certificate says what to add', async () => {
  const result = await runCli(['check', 'abc-ats.iot.eu-west-1.amazonaws.com']);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /needs the device certificate/);
  assert.match(result.stderr, /--cert FILE --key FILE/);
});

test('with AWS credentials, `check` also tries MQTT over WebSockets with SigV4', async () => {
  const result = await runCli(['check', 'emulator', '--repeat', '1'], {
    // The emulator's test credentials, so its SigV4 check accepts the presigned URL.
    AWS_ACCESS_KEY_ID: DEFAULT_SIGV4.accessKeyId,
    AWS_SECRET_ACCESS_KEY: DEFAULT_SIGV4.secretAccessKey,
    AWS_REGION: DEFAULT_SIGV4.region,
    AWS_CONFIG_FILE: '/nonexistent',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
  });
  assert.equal(result.code, 0, result.stdout + result.stderr);
  assert.match(result.stdout, /^\s+8883\s+443 alpn\s+443 wss\s+443 no alpn$/m);
  assert.match(result.stdout, /^result\s+✔ pass\s+✔ pass\s+✔ pass\s+✔ expected$/m);
  assert.ok(!result.stdout.includes(DEFAULT_SIGV4.secretAccessKey));
});
