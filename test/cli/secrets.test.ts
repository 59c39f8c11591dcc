// Runs every output with known secret values, DEBUG=* and NODE_DEBUG set, against dist/cli.js: none may appear in
// stdout, stderr, any report file, a saved scenario file, or an error message that quotes the line holding it.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { type TestContext, test } from 'node:test';
import { DEFAULT_CUSTOM_AUTHORIZER, DEFAULT_SIGV4 } from '../../src/emulator/options.js';
import { REPORT_FORMATS } from '../../src/report/outputs.js';
import { runCli } from '../helpers/cli.js';
import { tempDir, writeDeviceCerts } from '../helpers/scenario-files.js';

const PROXY_PASSWORD = 'proxy-pass-7f3k';
const WRONG_PASSWORD = 'hunter2-wrong-9q';
const TOKEN = 'authorizer-token-4m2x';
const SIGNATURE = 'authorizer-signature-8v1z';
const PASSPHRASE = 'key-passphrase-2w6c';

const built = { built: true };

/**
 * Every debug switch a user might set: none may make a secret appear. NODE_DEBUG names every core module that
 * touches a socket, a stream or a file (`*` would add the module loader's trace, which slows a run past its timeouts).
 */
const DEBUG_EVERYTHING = {
  DEBUG: '*',
  NODE_DEBUG: 'tls,net,http,https,http2,stream,dns,fs,child_process,worker,zlib',
};

const scenario = (deviceKey: string, deviceCert: string, proxyPort: number) => `version: 1
defaults:
  endpoint: emulator
  timeout: 10s
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
  - name: through a proxy that reads the password
    endpoint: 127.0.0.1
    port: 8883
    proxy: "http://proxyuser:${PROXY_PASSWORD}@127.0.0.1:${proxyPort}"
    expect: proxy.auth-required
`;

/** An HTTP proxy that receives the CONNECT (and its Proxy-Authorization header) and answers 407. */
async function startRefusingProxy(t: TestContext): Promise<number> {
  const server = http.createServer();
  server.on('connect', (_request, socket: Duplex) =>
    socket.end('HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n'),
  );
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(() => server.close());
  return (server.address() as AddressInfo).port;
}

test('no key, password, token, AWS secret or proxy password in any output format', async (t) => {
  const dir = tempDir(t);
  // A device key the emulator does not know, so the passphrase scenario fails at TLS, not at load time.
  const { device, paths } = await writeDeviceCerts(dir);
  const file = join(dir, 'secrets.yaml');
  const proxyPort = await startRefusingProxy(t);
  writeFileSync(file, scenario(paths['device-private.pem.key']!, paths['device.pem.crt']!, proxyPort));
  const env = {
    ...DEBUG_EVERYTHING,
    AWS_ACCESS_KEY_ID: DEFAULT_SIGV4.accessKeyId,
    AWS_SECRET_ACCESS_KEY: DEFAULT_SIGV4.secretAccessKey,
    AWS_CONFIG_FILE: '/nonexistent',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
    GITHUB_STEP_SUMMARY: join(dir, 'summary.md'),
  };
  const saved = join(dir, 'saved-check.yaml');
  const reports = REPORT_FORMATS.map((f) => [f, join(dir, `report.${f}`)] as const);
  const runs = await Promise.all([
    runCli(
      ['run', file, '--format', 'json', ...reports.flatMap(([f, p]) => ['--report', `${f}=${p}`])],
      env,
      built,
    ),
    runCli(['run', file, '-v'], env, built),
    runCli(['run', file, '--compare'], env, built),
    runCli(['run', file, '--no-compare', '--format', 'markdown'], env, built),
    runCli(['validate', file], env, built),
    runCli(
      [
        'check',
        'emulator',
        '--proxy',
        `http://proxyuser:${PROXY_PASSWORD}@127.0.0.1:${proxyPort}`,
        '--repeat',
        '1',
        '--save',
        saved,
      ],
      env,
      built,
    ),
  ]);
  const outputs = [
    ...runs.flatMap((r) => [r.stdout, r.stderr]),
    ...reports.map(([, p]) => readFileSync(p, 'utf8')),
    readFileSync(env.GITHUB_STEP_SUMMARY, 'utf8'),
    readFileSync(saved, 'utf8'),
  ].join('\n');
  // The run itself worked: the JSON report holds every scenario, and the expected failures failed.
  const json = JSON.parse(runs[0]!.stdout);
  assert.equal(json.scenarios.length, 8, runs[0]!.stderr);
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
    Buffer.from(`proxyuser:${PROXY_PASSWORD}`).toString('base64'),
  ];
  for (const secret of secrets)
    assert.ok(!outputs.includes(secret), `a secret leaked: ${secret.slice(0, 6)}…`);
  // Presigned URLs carry the signature in the query; none may be printed.
  assert.doesNotMatch(outputs, /X-Amz-Signature=/i);
  assert.match(outputs, /proxyuser:\*\*\*@127\.0\.0\.1:1/, 'the proxy is shown with its password masked');
  const page = readFileSync(reports.find(([f]) => f === 'html')![1], 'utf8');
  assert.match(page, /through a proxy that reads the password/, 'the HTML page holds the run');
  assert.match(page, /proxyuser:\*\*\*@127\.0\.0\.1:1/);
});

/** A file whose every error sits on a line that holds a secret written inline. */
const badScenario = `version: 1
defaults:
  endpoint: emulator
scenarios:
  - name: unknown key beside a password
    auth: { type: password, username: u, password: ${WRONG_PASSWORD}, bogus: 1 }
  - name: a passphrase of the wrong type
    auth: { type: x509, cert: a.pem, key: b.pem, passphrase: [${PASSPHRASE}] }
  - name: a token beside a bad key
    auth: { type: custom-authorizer, authorizer: x, token: "${TOKEN}", signature: ${SIGNATURE}, tokenKeyName: 5 }
  - name: an invalid proxy URL
    proxy: "http://proxyuser:${PROXY_PASSWORD}@[::1"
  - name: a password in block style
    auth:
      type: password
      password: ${DEFAULT_CUSTOM_AUTHORIZER.password}
      extra: 1
`;

test('no secret in any error message: quoted lines, found values, URL-like inputs', async (t) => {
  const dir = tempDir(t);
  const bad = join(dir, 'bad.yaml');
  writeFileSync(bad, badScenario);
  const direct = join(dir, 'direct.yaml');
  writeFileSync(
    direct,
    'version: 1\nscenarios:\n  - name: direct\n    endpoint: 127.0.0.1\n    port: 8883\n',
  );
  const anywhere = join(dir, 'anywhere.yaml');
  writeFileSync(anywhere, 'version: 1\nscenarios:\n  - name: wherever --endpoint says\n    port: 8883\n');
  const badUrl = `http://proxyuser:${PROXY_PASSWORD}@[::1`;
  const runs = await Promise.all([
    runCli(['validate', bad], DEBUG_EVERYTHING, built),
    runCli(['run', bad], DEBUG_EVERYTHING, built),
    runCli(['check', 'emulator', '--proxy', badUrl], DEBUG_EVERYTHING, built),
    runCli(['run', direct], { ...DEBUG_EVERYTHING, HTTPS_PROXY: badUrl }, built),
    runCli(['validate', direct], { ...DEBUG_EVERYTHING, ALL_PROXY: badUrl }, built),
    runCli(
      ['validate', anywhere, '--endpoint', `mqtts://user:${WRONG_PASSWORD}@[::1`],
      DEBUG_EVERYTHING,
      built,
    ),
    runCli(
      ['check', `mqtts://user:${WRONG_PASSWORD}@[::1`, '--cert', 'c', '--key', 'k'],
      DEBUG_EVERYTHING,
      built,
    ),
  ]);
  for (const [i, run] of runs.entries()) {
    assert.equal(run.code, 2, `run ${i}: ${run.stderr}`);
    assert.match(run.stderr, /error/, `run ${i} says what is wrong`);
    assert.doesNotMatch(run.stderr, /^\s+at /m, `run ${i}: no stack trace`);
  }
  const outputs = runs.flatMap((r) => [r.stdout, r.stderr]).join('\n');
  for (const secret of [
    WRONG_PASSWORD,
    PASSPHRASE,
    TOKEN,
    SIGNATURE,
    PROXY_PASSWORD,
    DEFAULT_CUSTOM_AUTHORIZER.password,
  ])
    assert.ok(!outputs.includes(secret), `a secret leaked: ${secret.slice(0, 6)}…`);
  // Still useful: the line is quoted with its secret masked, and the URL keeps its user and host.
  assert.match(runs[0]!.stderr, /password: \*\*\*, bogus: 1/);
  assert.match(outputs, /http:\/\/proxyuser:\*\*\*@\[::1/);
  assert.match(runs[3]!.stderr, /HTTPS_PROXY is not a proxy URL/);
  assert.match(runs[4]!.stderr, /ALL_PROXY is not a proxy URL/);
  assert.match(runs[5]!.stderr, /not a URL/);
});

test('a secret written over several lines is masked on every line an error quotes, the caret still on its key', async (t) => {
  const dir = tempDir(t);
  // The error is on the quoted password's second line (an unknown key after it); the block scalar's second
  // line is where YAML fails (it is less indented than the first, so the scalar ended).
  const quoted = join(dir, 'quoted.yaml');
  writeFileSync(
    quoted,
    `version: 1\nscenarios:\n  - name: quoted\n    endpoint: 127.0.0.1\n    auth: { type: password, username: u, password: "first-${WRONG_PASSWORD}\n      second-${PASSPHRASE}", bogus: 1 }\n`,
  );
  const block = join(dir, 'block.yaml');
  writeFileSync(
    block,
    `version: 1\nscenarios:\n  - name: block\n    endpoint: 127.0.0.1\n    auth:\n      type: password\n      password: |\n          ${TOKEN}\n        ${SIGNATURE}\n`,
  );
  const runs = await Promise.all([
    runCli(['validate', quoted], {}, built),
    runCli(['validate', block], {}, built),
  ]);
  for (const run of runs) assert.equal(run.code, 2, run.stderr);
  const outputs = runs.flatMap((r) => [r.stdout, r.stderr]).join('\n');
  for (const secret of [WRONG_PASSWORD, PASSPHRASE, TOKEN, SIGNATURE])
    assert.ok(!outputs.includes(secret), `a secret leaked: ${secret.slice(0, 6)}…\n${outputs}`);
  const lines = runs[0]!.stderr.split('\n');
  const shown = lines.findIndex((l) => l.includes('", bogus: 1 }'));
  assert.ok(shown >= 0, runs[0]!.stderr);
  assert.match(lines[shown]!, /^6 \| {7}\*\*\*", bogus: 1 \}$/);
  assert.equal(lines[shown + 1]!.indexOf('^'), lines[shown]!.indexOf('bogus'));
  assert.match(runs[1]!.stderr, /\n9 \| {9}\*\*\*\n/);
});
