import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { DEFAULT_SIGV4 } from '../../src/emulator/options.js';
import { REPORT_FORMATS } from '../../src/report/outputs.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/scenario-files.js';
import { systemTest } from '../helpers/system.js';
import { closedPort } from '../probe/helpers/tiny-servers.js';
import { startTinyproxy } from '../probe/helpers/tinyproxy.js';

const REPORT_SCHEMA = new URL('../../schema/report.schema.json', import.meta.url);
const JUNIT_XSD = fileURLToPath(new URL('../fixtures/junit/ant-junit.xsd', import.meta.url));

test('`check emulator` compares the ways in, recommends one, and saves a file that runs', async (t) => {
  const dir = tempDir(t);
  const saved = join(dir, 'ways.yaml');
  const result = await runCli(['check', 'emulator', '--repeat', '2', '--save', saved]);
  assert.equal(result.code, 0, result.stdout + result.stderr);
  // Side by side: the ways are the columns.
  assert.match(result.stdout, /^\s+8883\s+443 alpn\s+443 no alpn$/m);
  assert.match(result.stdout, /^result\s+✔ pass\s+✔ pass\s+✔ expected$/m);
  assert.match(
    result.stdout,
    /^passed\s+2 of 2\s+2 of 2\s+0 of 1$/m,
    'counts under a name that says what they count',
  );
  assert.match(result.stdout, /^From this network use 8883 \(p50 [\d.]+m?s\)\.$/m);
  assert.match(readFileSync(saved, 'utf8'), /^# yaml-language-server: \$schema=file:\/\//);
  const rerun = await runCli(['run', saved]);
  assert.equal(rerun.code, 0, rerun.stdout + rerun.stderr);
});

systemTest(
  '`check --format json --report junit=FILE` writes what `run` would, with the recommendation in a field',
  { commands: ['xmllint'] },
  async (t) => {
    const dir = tempDir(t);
    const junit = join(dir, 'check.xml');
    const markdown = join(dir, 'check.md');
    const result = await runCli([
      'check',
      'emulator',
      '--repeat',
      '1',
      '--format',
      'json',
      '--report',
      `junit=${junit}`,
      '--report',
      `markdown=${markdown}`,
    ]);
    assert.equal(result.code, 0, result.stderr);
    // stdout is the JSON document alone; the recommendation line goes to stderr for whoever watches.
    const doc = JSON.parse(result.stdout) as { recommendation?: { found: boolean; text: string } };
    const ajv = new Ajv({ strict: true, allErrors: true });
    ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:\d{2})$/);
    const valid = ajv.compile(JSON.parse(readFileSync(REPORT_SCHEMA, 'utf8')) as object);
    assert.ok(valid(doc), JSON.stringify(valid.errors));
    assert.equal(doc.recommendation?.found, true);
    assert.match(doc.recommendation!.text, /^From this network use 8883 \(/);
    assert.match(result.stderr, /^From this network use 8883 \(/m);

    execFileSync('xmllint', ['--noout', '--schema', JUNIT_XSD, junit], { stdio: 'pipe' });
    const recommendation = execFileSync(
      'xmllint',
      ['--xpath', 'string(//testsuite[1]/properties/property[@name="recommendation"]/@value)', junit],
      { encoding: 'utf8' },
    );
    assert.equal(recommendation.trimEnd(), doc.recommendation!.text);
    assert.match(readFileSync(markdown, 'utf8'), /\*\*From this network use 8883 /);
  },
);

test('`check --format nope` names the unknown format and the known ones, before probing', async () => {
  const result = await runCli(['check', 'emulator', '--format', 'nope']);
  assert.equal(result.code, 2);
  assert.match(
    result.stderr,
    new RegExp(`unknown report format \`nope\`; known: ${REPORT_FORMATS.join(', ')}`),
  );
  assert.doesNotMatch(result.stderr, /\[\d+\/\d+\]/, 'nothing was probed');
});

test('`check emulator --mqtt 5` tries each way over MQTT 5 beside 3.1.1, and all pass', async (t) => {
  const dir = tempDir(t);
  const saved = join(dir, 'ways.yaml');
  const result = await runCli(['check', 'emulator', '--repeat', '1', '--mqtt', '5', '--save', saved]);
  assert.equal(result.code, 0, result.stdout + result.stderr);
  assert.match(result.stdout, /^mqtt\s+3\.1\.1\s+3\.1\.1\s+5\s+5\s+3\.1\.1$/m, result.stdout);
  assert.match(result.stdout, /^result\s+✔ pass\s+✔ pass\s+✔ pass\s+✔ pass\s+✔ expected$/m, result.stdout);
  assert.match(
    readFileSync(saved, 'utf8'),
    /- name: "8883 mqtt5"\n\s+tags: \[way\]\n\s+port: 8883\n\s+mqtt: \{ version: 5 \}/,
  );
});

test('`check --mqtt 4` is a usage error naming the versions it takes', async () => {
  const result = await runCli(['check', 'emulator', '--mqtt', '4']);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /--mqtt 4 is not an MQTT version/);
  assert.match(result.stderr, /--mqtt 5/);
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

describe('check --save through a proxy', () => {
  // tinyproxy's BasicAuth takes letters and digits only.
  const PASSWORD = 'Pr0xyS3cret';

  systemTest(
    'with a proxy password, the file names MQTTPROBE_PROXY instead, and check says to set it',
    { commands: ['tinyproxy'] },
    async (t) => {
      const dir = tempDir(t);
      const tinyproxy = await startTinyproxy({
        dir,
        connectPorts: [],
        basicAuth: { username: 'probe', password: PASSWORD },
      });
      t.after(() => tinyproxy.close());
      const proxy = `http://probe:${PASSWORD}@127.0.0.1:${tinyproxy.port}`;
      const saved = join(dir, 'ways.yaml');
      const result = await runCli(['check', 'emulator', '--repeat', '1', '--proxy', proxy, '--save', saved]);
      assert.equal(result.code, 0, result.stdout + result.stderr);
      assert.match(
        result.stderr,
        new RegExp(
          `wrote .*ways\\.yaml: run it later with .*\\n {2}with MQTTPROBE_PROXY set to the proxy URL and its password \\(http://probe:\\*\\*\\*@127\\.0\\.0\\.1:${tinyproxy.port}\\)`,
        ),
      );
      const text = readFileSync(saved, 'utf8');
      assert.match(text, /proxy: "\$\{MQTTPROBE_PROXY\}"/);
      for (const output of [result.stdout, result.stderr, text]) assert.ok(!output.includes(PASSWORD));
      // As told: without the variable the file does not run; with it, every way through the proxy passes.
      const unset = await runCli(['run', saved]);
      assert.equal(unset.code, 2);
      assert.match(unset.stderr, /environment variable `MQTTPROBE_PROXY` is not set/);
      const rerun = await runCli(['run', saved, '--tag', 'proxy'], { MQTTPROBE_PROXY: proxy });
      assert.equal(rerun.code, 0, rerun.stdout + rerun.stderr);
      assert.match(rerun.stdout, /2 scenarios: 2 met/);
    },
  );

  test('with the proxy from HTTPS_PROXY, the file reads that variable, and check says it must be set', async (t) => {
    const dir = tempDir(t);
    const saved = join(dir, 'ways.yaml');
    const result = await runCli(['check', 'emulator', '--repeat', '1', '--save', saved], {
      // Nothing listens there: the ways through it fail, the direct ones still recommend 8883.
      HTTPS_PROXY: `http://127.0.0.1:${await closedPort()}`,
    });
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(result.stderr, /\n {2}with HTTPS_PROXY set, as now: the file reads the proxy from it\n/);
    assert.match(readFileSync(saved, 'utf8'), /proxy: "\$\{HTTPS_PROXY\}"/);
  });
});
