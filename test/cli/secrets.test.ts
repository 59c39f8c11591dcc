// One run through every output with known secret values: none may appear in stdout, stderr or any report file.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { DEFAULT_CUSTOM_AUTHORIZER, DEFAULT_SIGV4 } from '../../src/emulator/options.js';
import { runCli } from '../helpers/cli.js';
import { tempDir, writeDeviceCerts } from '../helpers/scenario-files.js';

const PROXY_PASSWORD = 'proxy-pass-7f3k';
const WRONG_PASSWORD = 'hunter2-wrong-9q';
const TOKEN = 'authorizer-token-4m2x';
const SIGNATURE = 'authorizer-signature-8v1z';
const PASSPHRASE = 'key-passphrase-2w6c';

const scenario = (deviceKey: string, deviceCert: string) => `version: 1
defaults:
  endpoint: emulator
  timeout: 2s
scenarios:
  - name: x509 8883
    port: 8883
  - name: x509 with passphrase field
    port: 8883
    steps: [connect]
    auth: { type: x509, cert: "${deviceCert}", key: "${deviceKey}", passphrase: ${PASSPHRASE} }
    expect: fail
  - name: custom authorizer
    port: 443
    alpn: mqtt
    auth: { type: password, username: ${DEFAULT_CUSTOM_AUTHORIZER.username}, password: ${DEFAULT_CUSTOM_AUTHORIZER.password} }
  - name: wrong password
    port: 443
    alpn: mqtt
    auth: { type: password, username: someone, password: ${WRONG_PASSWORD} }
    expect: fail
  - name: authorizer token
    port: 443
    alpn: mqtt
    auth: { type: custom-authorizer, authorizer: probe, token: ${TOKEN}, tokenKeyName: t, signature: ${SIGNATURE} }
    expect: fail
  - name: sigv4 websockets
    transport: wss
    port: 443
    auth: { type: sigv4, region: ${DEFAULT_SIGV4.region} }
  - name: through a proxy with a password
    port: 8883
    proxy: "http://proxyuser:${PROXY_PASSWORD}@127.0.0.1:1"
    expect: fail
`;

test('no key, password, token, AWS secret or proxy password in any output format', async (t) => {
  const dir = tempDir(t);
  // A device key the emulator does not know, so the passphrase scenario fails at TLS, not at load time.
  const { device, paths } = await writeDeviceCerts(dir);
  const file = join(dir, 'secrets.yaml');
  writeFileSync(file, scenario(paths['device-private.pem.key']!, paths['device.pem.crt']!));
  const env = {
    AWS_ACCESS_KEY_ID: DEFAULT_SIGV4.accessKeyId,
    AWS_SECRET_ACCESS_KEY: DEFAULT_SIGV4.secretAccessKey,
    AWS_CONFIG_FILE: '/nonexistent',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
    GITHUB_STEP_SUMMARY: join(dir, 'summary.md'),
  };
  const reports = ['json', 'junit', 'markdown', 'table'].map((f) => [f, join(dir, `report.${f}`)] as const);
  const runs = await Promise.all([
    runCli(['run', file, '--format', 'json', ...reports.flatMap(([f, p]) => ['--report', `${f}=${p}`])], env),
    runCli(['run', file, '-v'], env),
    runCli(['run', file, '--compare'], env),
    runCli(['run', file, '--no-compare', '--format', 'markdown'], env),
    runCli(['validate', file], env),
  ]);
  const outputs = [
    ...runs.flatMap((r) => [r.stdout, r.stderr]),
    ...reports.map(([, p]) => readFileSync(p, 'utf8')),
    readFileSync(env.GITHUB_STEP_SUMMARY, 'utf8'),
  ].join('\n');
  // The run itself worked: the JSON report holds every scenario, and the expected failures failed.
  const json = JSON.parse(runs[0]!.stdout);
  assert.equal(json.scenarios.length, 7, runs[0]!.stderr);
  assert.equal(runs[0]!.code, 0, `${runs[0]!.stdout}\n${runs[0]!.stderr}`);

  const keyLines = device.key.split('\n').filter((l) => l.length > 20 && !l.startsWith('-----'));
  const secrets = [
    ...keyLines,
    PASSPHRASE,
    DEFAULT_CUSTOM_AUTHORIZER.password,
    WRONG_PASSWORD,
    TOKEN,
    SIGNATURE,
    DEFAULT_SIGV4.secretAccessKey,
    PROXY_PASSWORD,
  ];
  for (const secret of secrets)
    assert.ok(!outputs.includes(secret), `a secret leaked: ${secret.slice(0, 6)}…`);
  // Presigned URLs carry the signature in the query; none may be printed.
  assert.doesNotMatch(outputs, /X-Amz-Signature=/i);
  assert.match(outputs, /proxyuser:\*\*\*@127\.0\.0\.1:1/, 'the proxy is shown with its password masked');
});
