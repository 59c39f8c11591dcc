import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { parse } from 'yaml';
import { parseFault } from '../../src/cli/emulate.js';
import { EMULATOR_CERT_FILES } from '../../src/emulator/emulator-env.js';
import type { EmulatorFaults } from '../../src/emulator/index.js';
import { connectOk, endClient, nextMessage, uniqueClientId } from './mqtt-clients.js';

const cli = new URL('../../src/cli.ts', import.meta.url).pathname;

interface Printed {
  version: number;
  defaults: {
    endpoint: string;
    servername: string;
    ca: string;
    auth: { type: string; cert: string; key: string };
  };
  scenarios: Array<{ name: string; port: number; alpn: string; qos: number }>;
}

let dir: string;
let child: ChildProcess;
let stdout = '';
let stderr = '';
let printed: Printed;

/** Resolves once `text` has appeared in what the child printed on `stream`. */
function waitForOutput(stream: 'stdout' | 'stderr', text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = () => {
      if ((stream === 'stdout' ? stdout : stderr).includes(text)) resolve();
    };
    child[stream]?.on('data', check);
    child.once('exit', (code) =>
      reject(new Error(`emulate exited (${code}) before printing ${text}:\n${stderr}`)),
    );
    check();
  });
}

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'emulate-test-'));
  // Files left by an earlier run, with the wrong modes: emulate must put every mode right, not only a new file's.
  await mkdir(path.join(dir, 'certs'));
  const stale = { 'ca.pem': 0o600, 'client.pem.crt': 0o640, 'client-private.pem.key': 0o644 };
  for (const [name, mode] of Object.entries(stale)) {
    await writeFile(path.join(dir, 'certs', name), 'old', { mode });
    await chmod(path.join(dir, 'certs', name), mode);
  }
  child = spawn(
    process.execPath,
    ['--import', 'tsx', cli, 'emulate', '--certs-dir', path.join(dir, 'certs')],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  await Promise.all([
    waitForOutput('stdout', 'expect: mqtt.http-response\n'),
    waitForOutput('stderr', 'Ctrl-C'),
  ]);
  printed = parse(stdout) as Printed;
});

after(async () => {
  if (child.exitCode === null) {
    child.kill('SIGKILL');
    await once(child, 'exit');
  }
  await rm(dir, { recursive: true, force: true });
});

test('emulate prints its endpoints and where the certificates are', () => {
  assert.match(stderr, /"8883"\s+mqtts:\/\/localhost:\d+/);
  assert.match(stderr, /wss:\/\/localhost:\d+\/mqtt/);
  assert.match(stderr, /control http:\/\/127\.0\.0\.1:\d+/);
  assert.ok(stderr.includes(path.join(dir, 'certs')));
});

test('emulate writes the CA, client certificate and key with the modes docs/emulator.md gives, over old files', async () => {
  const certs = path.join(dir, 'certs');
  assert.match(await readFile(path.join(certs, 'ca.pem'), 'utf8'), /BEGIN CERTIFICATE/);
  assert.match(await readFile(path.join(certs, 'client.pem.crt'), 'utf8'), /BEGIN CERTIFICATE/);
  assert.match(await readFile(path.join(certs, 'client-private.pem.key'), 'utf8'), /BEGIN PRIVATE KEY/);
  const doc = await readFile(new URL('../../docs/emulator.md', import.meta.url), 'utf8');
  const modes: Record<string, string> = {};
  for (const name of Object.values(EMULATOR_CERT_FILES)) {
    // The doc names each file with its mode: `ca.pem` (mode 0644).
    const documented = new RegExp(`\`${name.replaceAll('.', '\\.')}\`\\s+\\(mode (0[0-7]{3})`).exec(doc);
    assert.ok(documented, `docs/emulator.md gives no mode for ${name}`);
    modes[name] = `0${((await stat(path.join(certs, name))).mode & 0o777).toString(8)}`;
    assert.equal(modes[name], documented[1], name);
  }
  assert.deepEqual(modes, { 'ca.pem': '0644', 'client.pem.crt': '0644', 'client-private.pem.key': '0600' });
});

test('the printed scenario names the written files and the listening ports', () => {
  assert.equal(printed.version, 1);
  assert.equal(printed.defaults.auth.type, 'x509');
  assert.equal(printed.defaults.ca, path.join(dir, 'certs', 'ca.pem'));
  assert.deepEqual(
    printed.scenarios.map((s) => [s.name, s.alpn]),
    [
      ['emulator 8883', 'none'],
      ['emulator 443 alpn', 'x-amzn-mqtt-ca'],
      ['emulator 443 no alpn', 'none'],
    ],
  );
});

test('a plain MQTT client using the printed scenario values completes a round trip', async () => {
  const { defaults, scenarios } = printed;
  const client = await connectOk({
    protocol: 'mqtts',
    host: defaults.endpoint,
    port: scenarios[1]?.port,
    servername: defaults.servername,
    ALPNProtocols: ['x-amzn-mqtt-ca'],
    ca: await readFile(defaults.ca, 'utf8'),
    cert: await readFile(defaults.auth.cert, 'utf8'),
    key: await readFile(defaults.auth.key, 'utf8'),
    clientId: uniqueClientId('cli'),
    reconnectPeriod: 0,
    protocolVersion: 4,
  });
  await client.subscribeAsync('probe/cli', { qos: 1 });
  const message = nextMessage(client);
  await client.publishAsync('probe/cli', 'hello', { qos: 1 });
  assert.equal((await message).payload, 'hello');
  await endClient(client);
});

test('SIGTERM stops the emulator cleanly with exit code 0', async () => {
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const [code] = await exited;
  assert.equal(code, 0);
  assert.match(stderr, /SIGTERM: stopping the emulator/);
});

const faultCases: Array<{ given: string[]; expected: Partial<EmulatorFaults> }> = [
  { given: ['stall-tls'], expected: { stallTlsHandshake: true } },
  { given: ['connack=5', 'delay=40ms'], expected: { connackRefusal: 5, phaseDelayMs: 40 } },
  {
    given: ['cert=wrong-host', 'require-sni'],
    expected: { serverCert: 'wrong-host', refuseWithoutSni: true },
  },
  { given: ['close-on-publish', 'never-deliver'], expected: { closeOnPublish: true, neverDeliver: true } },
  { given: ['clock-skew=20m'], expected: { clockSkewMs: 1_200_000 } },
  { given: ['clock-skew=-90s'], expected: { clockSkewMs: -90_000 } },
];
for (const c of faultCases) {
  test(`--fault ${c.given.join(' --fault ')} sets ${Object.keys(c.expected).join(' and ')}`, () => {
    assert.deepEqual(
      c.given.reduce((faults, value) => parseFault(value, faults), {}),
      c.expected,
    );
  });
}

for (const bad of [
  'stall',
  'connack=0',
  'delay=soon',
  'cert=self-signed',
  'never-deliver=1',
  'clock-skew=20',
]) {
  test(`--fault ${bad} is refused with the list of faults`, () => {
    assert.throws(() => parseFault(bad), { message: /unknown fault .*stall-tls/ });
  });
}

test('--fault delay= and clock-skew= are bounded, so no delay overflows Node’s timers and no skew is an invalid date', () => {
  assert.deepEqual(parseFault('delay=600000'), { phaseDelayMs: 600_000 });
  assert.deepEqual(parseFault('clock-skew=-1440m'), { clockSkewMs: -86_400_000 });
  assert.throws(() => parseFault(`clock-skew=1${'0'.repeat(400)}s`), {
    message: /too large: a skew is at most 1440m/,
  });
  assert.throws(() => parseFault('delay=2147483648'), {
    message: /delay=2147483648 is too long: .*0 to 600000 ms \(10m\)/,
  });
});

test('an unknown --fault makes emulate exit with code 2 before it starts', async () => {
  const run = spawn(process.execPath, ['--import', 'tsx', cli, 'emulate', '--fault', 'bogus'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let text = '';
  run.stderr?.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  const [code] = await once(run, 'exit');
  assert.equal(code, 2);
  assert.match(text, /unknown fault "bogus"/);
});
