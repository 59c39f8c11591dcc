import assert from 'node:assert/strict';
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { runCli, startCli } from '../helpers/cli.js';
import { EMULATOR_SCENARIO_HEADER, startTestEmulator } from '../helpers/emulator.js';

const HEADER = EMULATOR_SCENARIO_HEADER;

describe('mqttprobe run', () => {
  test('exit code 0 when every expectation is met, with one progress line per scenario in a log', async (t) => {
    const { env, dir } = await startTestEmulator(t);
    const file = join(dir, 'ok.yaml');
    writeFileSync(
      file,
      `${HEADER}  - name: round trip\n  - name: closed port\n    port: 1\n    expect: tcp.refused\n`,
    );
    const result = await runCli(['run', file, '--no-compare'], env);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^round trip\s+✔ pass/m);
    assert.match(result.stdout, /^closed port\s+✔ expected/m);
    assert.match(result.stdout, /2 scenarios: 2 met/);
    assert.equal((result.stderr.match(/^\[\d\/2\] ✔ /gm) ?? []).length, 2, result.stderr);
    assert.doesNotMatch(result.stderr, /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/, 'no spinner frames in a log');
  });

  test('exit code 1 when an expectation is missed, and the process exits as soon as the report is out', async (t) => {
    const { env, dir } = await startTestEmulator(t);
    const file = join(dir, 'missed.yaml');
    writeFileSync(
      file,
      `${HEADER}  - name: must be blocked\n    steps: [connect]\n    expect: tcp.timeout\n  - name: qos 2\n    qos: 2\n    timeout: { suback: 300ms }\n`,
    );
    const result = await runCli(['run', file], env);
    assert.equal(result.code, 1);
    assert.match(result.stdout, /✖ expected `tcp\.timeout`, but the probe got through/);
    assert.match(result.stdout, /mqtt\.suback-timeout/);
    // No leaked socket, timer or reconnect loop keeps the process alive after printing.
    assert.ok(result.exitLagMs < 1000, `exited ${Math.round(result.exitLagMs)} ms after its last output`);
  });

  test('exit code 2 for an invalid file, before connecting anywhere', async (t) => {
    const { env, dir } = await startTestEmulator(t);
    let connections = 0;
    const listener = createServer((socket) => {
      connections++;
      socket.destroy();
    }).listen(0, '127.0.0.1');
    await once(listener, 'listening');
    t.after(() => listener.close());
    const port = (listener.address() as AddressInfo).port;
    const file = join(dir, 'bad.yaml');
    writeFileSync(
      file,
      `${HEADER}  - name: fine\n    port: ${port}\n  - name: typo\n    port: ${port}\n    alpn_protocol: h2\n`,
    );
    const result = await runCli(['run', file], env);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /unknown key `alpn_protocol`/);
    assert.equal(result.stdout, '');
    assert.equal(connections, 0);
  });

  test('Ctrl-C prints what finished, closes connections and exits 130', async (t) => {
    const { env, dir, emulator } = await startTestEmulator(t);
    emulator.setFaults({ stallTlsHandshake: true });
    const file = join(dir, 'stall.yaml');
    writeFileSync(
      file,
      `${HEADER}  - name: quick\n    port: 1\n    expect: tcp.refused\n  - name: stalls\n    timeout: 60s\n`,
    );
    const run = startCli(['run', file], env);
    await run.waitForStderr(/\[1\/2\] ✔ quick/);
    run.child.kill('SIGINT');
    const { code } = await run.exited;
    assert.equal(code, 130);
    assert.match(run.stdout(), /^quick\s+✔ expected/m);
    assert.doesNotMatch(run.stdout(), /^stalls/m);
    assert.match(run.stdout(), /interrupted: 1 scenario did not finish: stalls/);
  });

  test('no key material or password appears in any output', async (t) => {
    const { env, dir } = await startTestEmulator(t);
    const file = join(dir, 'secrets.yaml');
    writeFileSync(
      file,
      `${HEADER}  - name: x509\n  - name: custom auth\n    port: \${MQTTPROBE_EMULATOR_ALPN_PORT}\n    alpn: mqtt\n    auth:\n      type: password\n      username: \${MQTTPROBE_EMULATOR_USERNAME}\n      password: \${MQTTPROBE_EMULATOR_PASSWORD}\n  - name: wrong password\n    port: \${MQTTPROBE_EMULATOR_ALPN_PORT}\n    alpn: mqtt\n    auth: { type: password, username: u, password: hunter2-wrong }\n    expect: fail\n`,
    );
    const result = await runCli(['run', file], env);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    const output = result.stdout + result.stderr;
    const keyBody = readFileSync(env.MQTTPROBE_EMULATOR_KEY!, 'utf8').split('\n')[1]!;
    for (const secret of [keyBody, env.MQTTPROBE_EMULATOR_PASSWORD!, 'hunter2-wrong']) {
      assert.ok(!output.includes(secret), `${secret.slice(0, 8)}… leaked`);
    }
  });
});

test('mqttprobe demo exits 0 and shows the comparison side by side, with the verdicts AWS would give', async () => {
  const result = await runCli(['demo']);
  assert.equal(result.code, 0, result.stdout + result.stderr);
  const lines = result.stdout.split('\n');
  // One column per variant, one row per phase, the verdict row on top; at the default 100 columns the seven
  // variants take two blocks, so a row is read across both.
  const row = (name: string) =>
    lines
      .filter((l) => l.startsWith(`${name} `))
      .map((l, i) => (i === 0 ? l : l.slice(name.length)))
      .join('');
  assert.equal(lines.filter((l) => l.startsWith('result ')).length, 2, result.stdout);
  assert.match(
    row('result'),
    /^result\s+✔ pass\s+✔ pass\s+✔ expected\s+✔ pass\s+✔ pass\s+✔ expected\s+✔ pass$/,
  );
  assert.match(row('alpn'), /\sx-amzn-mqtt-ca\s/, 'x-amzn-mqtt-ca whole, in a column wide enough');
  // A row marks its fastest cell unless every figure it could mark prints the same (a tie, under load).
  for (const phase of ['tcp', 'tls', 'connack', 'suback', 'total']) {
    const figures = [...row(phase).matchAll(/(✖ ?)?([\d.]+(?:ms|s))/g)].filter((m) => !m[1]).map((m) => m[2]);
    if (new Set(figures).size > 1) assert.match(row(phase), /▼/, `${phase} marks its fastest cell`);
  }
  assert.match(result.stdout, /as expected: mqtt\.http-response/);
  assert.match(result.stdout, /as expected: mqtt\.suback-timeout/);
  assert.match(result.stdout, /7 scenarios: 7 met/);
});
