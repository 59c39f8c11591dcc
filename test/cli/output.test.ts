import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { REPORT_FORMATS } from '../../src/report/outputs.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/scenario-files.js';

const demo = 'scenarios/demo.yaml';

test('--format json prints the versioned JSON report on stdout', async () => {
  const result = await runCli(['run', demo, '--only', 'port*', '--format', 'json']);
  assert.equal(result.code, 0, result.stderr);
  const report = JSON.parse(result.stdout);
  assert.equal(report.schemaVersion, 1);
  assert.equal(report.scenarios.length, 3);
});

test('--report writes every file in one run, and GITHUB_STEP_SUMMARY gets the Markdown appended', async (t) => {
  const dir = tempDir(t);
  const summary = join(dir, 'summary.md');
  const files = {
    junit: join(dir, 'results.xml'),
    json: join(dir, 'results.json'),
    markdown: join(dir, 'results.md'),
  };
  const args = [
    'run',
    demo,
    '--only',
    'port*',
    ...Object.entries(files).flatMap(([f, p]) => ['--report', `${f}=${p}`]),
  ];
  const env = { GITHUB_STEP_SUMMARY: summary };
  const first = await runCli(args, env);
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, /^result\s+✔ pass/m, 'the terminal still gets the human view');
  assert.equal(JSON.parse(readFileSync(files.json, 'utf8')).scenarios.length, 3);
  assert.equal((readFileSync(files.junit, 'utf8').match(/<testcase /g) ?? []).length, 3);
  assert.match(readFileSync(files.markdown, 'utf8'), /\| port 443 \+ ALPN/);
  await runCli(args, env);
  const appended = readFileSync(summary, 'utf8');
  assert.equal(
    appended.split('port 443 no ALPN').length - 1 >= 2,
    true,
    'the summary is appended to, not replaced',
  );
});

test('an unknown format is refused before anything runs', async () => {
  const result = await runCli(['run', demo, '--format', 'nope']);
  assert.equal(result.code, 2);
  assert.match(
    result.stderr,
    new RegExp(`--format: unknown report format \`nope\`; known: ${REPORT_FORMATS.join(', ')}\n`),
  );
  const bad = await runCli(['run', demo, '--report', 'results.xml']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--report results\.xml is not FORMAT=PATH/);
});

test('-v shows the waterfall with the negotiated TLS and the server certificate', async () => {
  const result = await runCli(['run', demo, '--only', 'port 443 + ALPN', '-v']);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /TLSv1\.3/);
  assert.match(result.stdout, /x-amzn-mqtt-ca/);
  assert.match(result.stdout, /mqttprobe emulator CA/);
});

test('repeatable options never swallow the file names after them', async (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'r.json');
  const result = await runCli([
    'run',
    '--report',
    `json=${path}`,
    '--only',
    'port 8883',
    '--tag',
    'ports',
    demo,
  ]);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(JSON.parse(readFileSync(path, 'utf8')).scenarios.length, 1);
});
