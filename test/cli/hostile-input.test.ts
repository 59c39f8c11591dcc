// What a user sees for hostile input, through the CLI: oversize MQTT strings, special files, environment values that
// look like YAML, amplified matrices and terminal escapes each end in a located error or clean output, never in a
// crash, a hang, a stack trace, a secret or a raw escape sequence.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { EMULATOR_SCENARIO_HEADER, startTestEmulator } from '../helpers/emulator.js';
import { tempDir, writeDeviceCerts, writeFiles } from '../helpers/scenario-files.js';

const STACK = /\n\s+at .+:\d+:\d+\)?\n/;
/** ESC, CSI and a bare carriage return: what would clear a screen, fake a colour or overwrite a line. */
const RAW_CONTROL = /[\x1b\x9b\r]/;

test('a client ID or topic of 65,536 bytes exits 2 at load time naming file:line:col, instead of crashing Node', async (t) => {
  const { env } = await startTestEmulator(t);
  const dir = tempDir(t);
  const file = join(dir, 'long.yaml');
  writeFileSync(
    file,
    `${EMULATOR_SCENARIO_HEADER}  - name: id\n    mqtt:\n      clientId: ${'c'.repeat(65_536)}\n  - name: topic\n    topic: ${'t'.repeat(65_536)}\n`,
  );
  const { code, stdout, stderr } = await runCli(['run', file], env);
  assert.equal(code, 2, stderr.slice(0, 2000));
  assert.equal(stdout, '', 'no probe ran');
  assert.match(stderr, new RegExp(`${file}:15:17`));
  assert.match(stderr, new RegExp(`${file}:17:12`));
  assert.match(stderr, /MQTT allows at most 65535 bytes of UTF-8 in a client ID/);
  assert.match(stderr, /MQTT allows at most 65535 bytes of UTF-8 in a topic/);
  assert.doesNotMatch(stderr, STACK);
  assert.ok(
    stderr.length < 10_000,
    `${stderr.length} characters: a quoted line must be cut, not printed whole`,
  );
});

test('a FIFO or /dev/zero as the scenario, --cert, --ca or check --ca exits 2 at once with what it is', async (t) => {
  const dir = tempDir(t);
  await writeDeviceCerts(dir);
  const pipe = join(dir, 'pipe');
  execFileSync('mkfifo', [pipe]);
  const scenario = join(dir, 's.yaml');
  writeFileSync(scenario, 'version: 1\nscenarios:\n  - name: a\n    endpoint: 127.0.0.1\n');

  const files = await runCli(['validate', pipe, '/dev/zero']);
  assert.equal(files.code, 2);
  assert.match(files.stderr, /pipe is a named pipe \(FIFO\), not a regular file/);
  assert.match(files.stderr, /\/dev\/zero is a character device, not a regular file/);

  const flags = await runCli([
    'validate',
    scenario,
    '--cert',
    '/dev/zero',
    '--key',
    join(dir, 'device-private.pem.key'),
    '--ca',
    pipe,
  ]);
  assert.equal(flags.code, 2);
  assert.match(flags.stderr, /client certificate \/dev\/zero is a character device/);
  assert.match(flags.stderr, /from: --cert/);
  assert.match(flags.stderr, /CA file .*pipe is a named pipe/);
  assert.match(flags.stderr, /from: --ca/);

  const check = await runCli(['check', 'emulator', '--ca', pipe]);
  assert.equal(check.code, 2);
  assert.match(check.stderr, /CA file .*pipe is a named pipe/);
  for (const run of [files, flags, check]) assert.doesNotMatch(run.stderr, STACK);
});

test('init passes over a FIFO or a folder named like a certificate, and refuses to write into a FIFO', async (t) => {
  const dir = tempDir(t);
  execFileSync('mkfifo', [join(dir, 'aa-certificate.pem.crt')]);
  mkdirSync(join(dir, 'aa-private.pem.key'));
  const env = { AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_PROFILE: '' };
  const init = await runCli(['init'], env, { cwd: dir });
  assert.equal(init.code, 0, init.stderr);
  const yaml = readFileSync(join(dir, 'mqttprobe.yaml'), 'utf8');
  assert.doesNotMatch(yaml, /aa-certificate|aa-private/);
  assert.match(init.stderr, /names no device certificate yet/);
  const intoFifo = await runCli(['init', '--force', '-o', 'aa-certificate.pem.crt'], env, { cwd: dir });
  assert.equal(intoFifo.code, 2);
  assert.match(intoFifo.stderr, /aa-certificate\.pem\.crt is not a regular file/);
});

test('a password from the environment that looks like YAML (`@`, `!`, `[`, digits) validates and is never printed', async (t) => {
  const file = writeFiles(tempDir(t), {
    'password.yaml':
      'version: 1\nscenarios:\n  - name: a\n    endpoint: 127.0.0.1\n    port: ${PORT}\n    auth:\n      type: password\n      username: u\n      password: ${MQTT_PASSWORD}\n',
  })['password.yaml']!;
  for (const password of ['@Xq9-secret', '!Xq9-secret', '[Xq9-secret', '*Xq9-secret', '4711081512']) {
    const ok = await runCli(['validate', file], { PORT: '8883', MQTT_PASSWORD: password });
    assert.equal(ok.code, 0, `${password}: ${ok.stderr.slice(0, 500)}`);
    assert.equal(ok.stderr, '', `${password}: nothing on stderr, no YAML warning`);
    assert.ok(!ok.stdout.includes(password), `${password} printed`);
  }
  const bad = await runCli(['validate', file], { PORT: 'Xq9-secret-port', MQTT_PASSWORD: 'x' });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /found: the value of \$\{PORT\} \(not shown\)/);
  assert.doesNotMatch(bad.stderr, /Xq9/);
});

test('100 scenarios sharing a 10,000-combination anchor exit 2 with the count and the flag; --max-probes raises it', async (t) => {
  const dir = tempDir(t);
  const values = `[${Array.from({ length: 100 }, (_, i) => i + 1).join(', ')}]`;
  let text = 'version: 1\nscenarios:\n';
  for (let i = 0; i < 100; i++)
    text += `  - name: s${i}\n    endpoint: 127.0.0.1\n    matrix: ${i === 0 ? `&m { port: ${values}, payloadSize: ${values} }` : '*m'}\n`;
  writeFileSync(join(dir, 'amplified.yaml'), text);
  writeFileSync(
    join(dir, 'repeat.yaml'),
    'version: 1\nscenarios:\n  - name: a\n    endpoint: 127.0.0.1\n    port: 9\n    transport: mqtt\n    steps: [connect]\n    repeat: 10000\n    matrix: { qos: [0, 1] }\n',
  );

  const amplified = await runCli(['validate', join(dir, 'amplified.yaml')]);
  assert.equal(amplified.code, 2);
  assert.match(amplified.stderr, /the run would hold 1000000 probes, more than the limit of 100000/);
  assert.match(amplified.stderr, /--max-probes 1000000/);
  assert.doesNotMatch(amplified.stderr, STACK);

  const repeat = join(dir, 'repeat.yaml');
  const low = await runCli(['run', repeat, '--max-probes', '10000']);
  assert.equal(low.code, 2, 'run refuses before probing');
  assert.match(low.stderr, /would hold 20000 probes, more than the limit of 10000/);
  // --repeat 1 makes it 2 probes: run goes ahead, and port 9 on loopback refuses them (exit 1, not 2).
  const flagRepeat = await runCli(['run', repeat, '--max-probes', '10000', '--repeat', '1']);
  assert.equal(flagRepeat.code, 1, flagRepeat.stderr);
  const raised = await runCli(['validate', repeat, '--max-probes', '20000']);
  assert.equal(raised.code, 0, raised.stderr);
  const nonsense = await runCli(['validate', repeat, '--max-probes', 'lots']);
  assert.equal(nonsense.code, 2);
  assert.match(nonsense.stderr, /--max-probes lots is not a whole number/);
});

test('escape sequences in names, keys and arguments reach no output raw: plan list, progress, errors, warnings', async (t) => {
  const dir = tempDir(t);
  const fake = '\x1b[2J\x1b[31mFAKE PASS\x1b[0m';
  const good = join(dir, 'names.yaml');
  // Raw ESC bytes in the file, and YAML escapes that make them.
  writeFileSync(
    good,
    `version: 1\nscenarios:\n  - name: "\\e[2J\\e[31mFAKE PASS\\e[0m"\n    endpoint: 127.0.0.1\n    port: 9\n    transport: mqtt\n    steps: [connect]\n  - name: "erase\\e[2K\\r"\n    endpoint: 127.0.0.1\n    port: 9\n    tls: { insecure: true }\n    steps: [connect]\n`,
  );
  const bad = join(dir, 'bad.yaml');
  writeFileSync(bad, `version: 1\nscenarios:\n  - { name: "${fake}", port: x, "\x1b[31mkey": 1 }\n`);

  const validate = await runCli(['validate', good]);
  assert.equal(validate.code, 0, validate.stderr);
  assert.match(validate.stdout, /\\x1b\[2J\\x1b\[31mFAKE PASS/, 'shown, made visible');
  assert.match(validate.stderr, /warning: erase\\x1b\[2K : server certificate verification is OFF/);

  const run = await runCli(['run', good], { CI: '1' });
  assert.equal(run.code, 1);
  assert.match(run.stderr, /\[1\/2\] .*\\x1b\[2J/);

  const errors = await runCli(['validate', bad]);
  assert.equal(errors.code, 2);
  assert.match(errors.stderr, /unknown key `\\x1b\[31mkey`/);
  // The caret still sits under `x`, past the four characters each `\x1b` now takes.
  const quoted = errors.stderr.split('\n').find((l) => l.includes('port: x'))!;
  const caret = errors.stderr.split('\n')[errors.stderr.split('\n').indexOf(quoted) + 1]!;
  assert.equal(caret.indexOf('^'), quoted.indexOf('port: x') + 'port: '.length);

  const only = await runCli(['run', good, '--only', `\x1b[2Jnone`]);
  assert.equal(only.code, 2);
  assert.match(only.stderr, /no scenario matches --only \\x1b\[2Jnone/);

  const unknownFlag = await runCli(['validate', good, '--\x1b[2Jx']);
  assert.equal(unknownFlag.code, 2);

  for (const r of [validate, run, errors, only, unknownFlag]) {
    assert.doesNotMatch(r.stdout, RAW_CONTROL);
    assert.doesNotMatch(r.stderr, RAW_CONTROL);
  }
});
