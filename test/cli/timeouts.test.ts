// Timeouts and durations as a user meets them: per-phase timeouts over a single one, the --timeout override, and
// the bounds every duration is checked against before anything connects.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import { portComparisonYaml } from '../../src/scenario/port-comparison-yaml.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/scenario-files.js';
import { closedPort, startSynBlackhole } from '../probe/helpers/tiny-servers.js';

const NO_STACK = /^\s+at .+:\d+:\d+\)?$/m;

/**
 * A file whose defaults give one timeout, and a scenario that sets only its suback timeout, aimed at a SYN
 * blackhole closed after the test; undefined (and the test skipped) without python3, which holds the blackhole.
 */
async function blackholeFile(t: TestContext): Promise<string | undefined> {
  const blackhole = await startSynBlackhole();
  if (!blackhole) {
    t.skip('python3 is missing: it holds the never-accepting listener');
    return undefined;
  }
  t.after(() => blackhole.close());
  const port = blackhole.port;
  const file = join(tempDir(t), 'timeouts.yaml');
  writeFileSync(
    file,
    `version: 1\ndefaults:\n  endpoint: 127.0.0.1\n  timeout: 1s\nscenarios:\n  - name: blackholed\n    port: ${port}\n    timeout: { suback: 2s }\n    expect: tcp.timeout\n`,
  );
  return file;
}

test('a per-phase timeout changes that phase only: a blackholed port still waits the defaults’ 1 s, not 5 s', async (t) => {
  const file = await blackholeFile(t);
  if (!file) return;
  const validated = await runCli(['validate', file]);
  assert.equal(validated.code, 0, validated.stderr);
  assert.match(validated.stdout.replace(/\n {6}(?=\S)/g, ' '), / timeout=1s,suback=2s /);

  const result = await runCli(['run', file, '--format', 'json']);
  assert.equal(result.code, 0, result.stdout + result.stderr);
  const probe = JSON.parse(result.stdout).scenarios[0].probes[0];
  assert.equal(probe.diagnosis.code, 'tcp.timeout');
  assert.match(probe.diagnosis.message, /got no answer within 1000 ms$/);
});

test('run --timeout overrides every phase of every scenario, and validate shows it with its flag', async (t) => {
  const file = await blackholeFile(t);
  if (!file) return;
  const validated = await runCli(['validate', file, '--timeout', '300ms', '--repeat', '2']);
  assert.equal(validated.code, 0, validated.stderr);
  // The settings wrap at the width under a hanging indent: read the scenario's paragraph as one line.
  assert.match(
    validated.stdout.replace(/\n {6}(?=\S)/g, ' '),
    / timeout=300ms \(--timeout\) repeat=2 \(--repeat\) /,
  );

  const result = await runCli(['run', file, '--timeout', '300ms', '--format', 'json']);
  assert.equal(result.code, 0, result.stdout + result.stderr);
  const probe = JSON.parse(result.stdout).scenarios[0].probes[0];
  assert.match(probe.diagnosis.message, /got no answer within 300 ms$/);
});

test('a zero, huge or unitless --timeout is a usage error before anything connects, for run and check', async (t) => {
  // Were the run to start, a refused port would be reported (as tcp.refused, or tcp.timeout within 0 ms).
  const port = await closedPort();
  const file = join(tempDir(t), 'refused.yaml');
  writeFileSync(file, `version: 1\nscenarios:\n  - { name: refused, endpoint: 127.0.0.1, port: ${port} }\n`);
  const cases: Array<{ args: string[]; says: RegExp }> = [
    { args: ['run', file, '--timeout', '0s'], says: /--timeout 0s: expected a timeout from 1ms to 10m/ },
    { args: ['run', file, '--timeout', `1${'0'.repeat(400)}s`], says: /use a shorter timeout/ },
    { args: ['validate', file, '--timeout', '5'], says: /--timeout 5: expected a duration with a unit/ },
    {
      args: ['check', 'emulator', '--timeout', '11m'],
      says: /--timeout 11m: expected a timeout from 1ms to 10m/,
    },
  ];
  for (const c of cases) {
    const result = await runCli(c.args);
    assert.equal(result.code, 2, `${c.args.join(' ')}: ${result.stdout}${result.stderr}`);
    assert.match(result.stderr, c.says);
    assert.equal(result.stdout, '', 'no report: nothing ran');
    assert.doesNotMatch(result.stderr, NO_STACK);
  }
});

test('a hold past Node’s timer limit is refused at its line, instead of holding 2 ms and passing', async (t) => {
  const port = await closedPort();
  const file = join(tempDir(t), 'hold.yaml');
  writeFileSync(file, `version: 1\nscenarios:\n  - name: long\n    port: ${port}\n    hold: 36000m\n`);
  const result = await runCli(['run', file]);
  assert.equal(result.code, 2, result.stdout + result.stderr);
  assert.match(result.stderr, /hold\.yaml:5:11/);
  assert.match(result.stderr, /expected a hold from 0s to 60m/);
  assert.match(result.stderr, /= key: scenarios\[0\]\.hold/);
  assert.match(result.stderr, /at most an hour/);
  assert.doesNotMatch(result.stderr, /TimeoutOverflowWarning/);
  assert.doesNotMatch(result.stderr, NO_STACK);
});

test('check --timeout is an override: the saved file stays the standard comparison and says how to rerun', async (t) => {
  const saved = join(tempDir(t), 'ways.yaml');
  const result = await runCli(['check', 'emulator', '--repeat', '1', '--timeout', '3s', '--save', saved]);
  assert.equal(result.code, 0, result.stdout + result.stderr);
  assert.match(result.stderr, /run it later with `mqttprobe run .*ways\.yaml --timeout 3s`/);
  const text = readFileSync(saved, 'utf8');
  const standard = portComparisonYaml({ endpoint: 'emulator', repeat: 1, origin: '', schemaUrl: '' });
  assert.equal(/^ {2}timeout: .*$/m.exec(text)?.[0], /^ {2}timeout: .*$/m.exec(standard)?.[0]);
});
