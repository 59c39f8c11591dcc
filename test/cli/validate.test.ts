import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli as mqttprobe } from '../helpers/cli.js';
import { tempDir, writeDeviceCerts } from '../helpers/scenario-files.js';

const root = new URL('../..', import.meta.url).pathname;
/** validate's output with each scenario's paragraph joined back into one line (its settings wrap at the width). */
const unwrapped = (stdout: string) => stdout.replace(/\n {6}(?=\S)/g, ' ');
const shipped = readdirSync(join(root, 'scenarios'))
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => join('scenarios', f));

test('every shipped scenario file validates on a fresh clone, with nothing set up', async () => {
  const result = await mqttprobe(['validate', ...shipped], { AWS_IOT_ENDPOINT: '' });
  assert.equal(result.code, 0, result.stderr);
  assert.equal((result.stdout.match(/^✔ /gm) ?? []).length, shipped.length);
  assert.match(result.stdout, /✔ scenarios\/aws-iot-ports\.yaml: 6 scenarios/);
  const lines = unwrapped(result.stdout);
  assert.match(lines, /aws 443 no alpn .*alpn=none .*expect=mqtt\.http-response/);
  assert.match(lines, /broker round trip \[qos=2, mqtt\.version=5\]/);
  assert.match(lines, /port 443 \+ ALPN {2}emulator:443 mqtts alpn=x-amzn-mqtt-ca/);
});

test('--endpoint, --cert and --key point a shipped file at a device, and the files are checked', async (t) => {
  const dir = tempDir(t);
  const { paths } = await writeDeviceCerts(dir);
  const result = await mqttprobe([
    'validate',
    'scenarios/aws-iot-ports.yaml',
    '--endpoint',
    'abc-ats.iot.eu-west-1.amazonaws.com',
    '--cert',
    paths['device.pem.crt']!,
    '--key',
    paths['device-private.pem.key']!,
  ]);
  assert.equal(result.code, 0, result.stderr);
  assert.match(
    unwrapped(result.stdout),
    /aws 8883 {2}abc-ats\.iot\.eu-west-1\.amazonaws\.com:8883 \(--endpoint\) mqtts alpn=none auth=x509 \(--cert\/--key\)/,
  );
});

test('a missing --cert file is named, with the flag it came from, and exits 2', async () => {
  const result = await mqttprobe([
    'validate',
    'scenarios/aws-iot-ports.yaml',
    '--cert',
    '/nonexistent/device.pem.crt',
    '--key',
    '/nonexistent/k.key',
  ]);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /client certificate not found: \/nonexistent\/device\.pem\.crt/);
  assert.match(result.stderr, /= from: --cert/);
});

test('--cert without --key is a usage error', async () => {
  const result = await mqttprobe(['validate', 'scenarios/aws-iot-ports.yaml', '--cert', 'x.crt']);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /--cert needs --key too/);
});

test('--no-files skips certificate files, for linting where the secrets are absent', async () => {
  const result = await mqttprobe([
    'validate',
    '--no-files',
    'scenarios/aws-iot-ports.yaml',
    '--cert',
    '/nonexistent/device.pem.crt',
    '--key',
    '/nonexistent/k.key',
  ]);
  assert.equal(result.code, 0, result.stderr);
});

test('`mqttprobe schema` prints the published schemas', async () => {
  for (const [args, file] of [
    [['schema'], 'scenario.schema.json'],
    [['schema', 'report'], 'report.schema.json'],
  ] as const) {
    const result = await mqttprobe([...args]);
    assert.equal(result.code, 0);
    assert.deepEqual(JSON.parse(result.stdout), JSON.parse(readFileSync(join(root, 'schema', file), 'utf8')));
  }
  assert.equal((await mqttprobe(['schema', 'nope'])).code, 2);
});

test('an unknown command is a usage error with exit code 2 and a suggestion', async () => {
  const result = await mqttprobe(['validat', 'x.yaml']);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /unknown command 'validat'/);
  assert.match(result.stderr, /Did you mean validate\?/);
});

test('a scenario on the emulator without `auth` is reported as x509, the device certificate the emulator lends', async (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'emulator.yaml');
  writeFileSync(
    file,
    [
      'version: 1',
      'defaults: { endpoint: emulator, port: 8883, steps: [connect], timeout: 3s }',
      'scenarios:',
      '  - name: lent',
      '  - name: own auth',
      '    auth: { type: password, username: u, password: p }',
      '    expect: fail',
      '',
    ].join('\n'),
  );
  const validated = await mqttprobe(['validate', file]);
  assert.equal(validated.code, 0, validated.stderr);
  assert.match(validated.stdout, /lent {2}emulator:8883 mqtts alpn=none auth=x509 /);
  assert.match(validated.stdout, /own auth {2}emulator:8883 mqtts alpn=none auth=password /);
  const run = await mqttprobe(['run', file, '--format', 'json']);
  assert.equal(run.code, 0, run.stderr);
  const authTypes = JSON.parse(run.stdout).scenarios.map(
    (s: { target: { authType: string } }) => s.target.authType,
  );
  assert.deepEqual(authTypes, ['x509', 'password']);
});

test('each scenario line shows every setting that shapes the probe, and no secret behind them', async (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'every-setting.yaml');
  writeFileSync(
    file,
    `version: 1
scenarios:
  - name: everything shown
    endpoint: broker.example
    auth: { type: password, username: u, password: Hunter2-SECRET-pw }
    proxy: http://user:Proxy-SECRET-pw@proxy.example:3128
    tls: { insecure: true }
    repeat: 3
    hold: 2s
    timeout: 7s
    qos: 2
    mqtt: { version: 5 }
`,
  );
  const result = await mqttprobe(['validate', file]);
  assert.equal(result.code, 0, result.stderr);
  assert.match(
    unwrapped(result.stdout),
    /everything shown {2}broker\.example:8883 mqtts alpn=none auth=password mqtt=5 qos=2 steps=connect→subscribe→publish→receive timeout=7s repeat=3 hold=2s proxy=http:\/\/user:\*\*\*@proxy\.example:3128 tls=INSECURE expect=pass/,
  );
  assert.doesNotMatch(result.stdout + result.stderr, /SECRET/);
  // At 100 columns the settings wrap under the name, each line within the width.
  assert.ok(
    result.stdout.split('\n').every((l) => l.length <= 100),
    result.stdout,
  );
  assert.match(result.stdout, /\n {6}\S/);
});
