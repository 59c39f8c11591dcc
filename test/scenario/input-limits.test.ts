// Hostile sizes and files are refused at load time with a located error: MQTT's string and packet limits, AWS IoT's
// quotas as warnings, special and huge files, environment values that look like YAML, and amplified matrices.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, ftruncateSync, mkdirSync, openSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { MAX_YAML_ITEMS } from '../../src/scenario/check-yaml-shape.js';
import { loadScenarioFile, loadScenarioText } from '../../src/scenario/load-scenario-file.js';
import { MQTT_LIMITS } from '../../src/scenario/mqtt-limits.js';
import { DEFAULT_MAX_PROBES } from '../../src/scenario/probe-budget.js';
import { MAX_PEM_FILE_BYTES, MAX_SCENARIO_FILE_BYTES } from '../../src/scenario/read-regular-file.js';
import { tempDir, writeDeviceCerts } from '../helpers/scenario-files.js';

const load = (text: string, env: Record<string, string> = {}) =>
  loadScenarioText('/tmp/s.yaml', text, { env });
const one = (body: string) => `version: 1\nscenarios:\n  - name: a\n    endpoint: broker.test\n${body}`;

describe('MQTT strings longer than 65,535 bytes are refused at the key that holds them', () => {
  const cases: Array<{ name: string; body: (value: string) => string; line: number; key: string }> = [
    { name: 'a client ID', body: (v) => `    mqtt:\n      clientId: ${v}\n`, line: 6, key: 'mqtt.clientId' },
    { name: 'a topic', body: (v) => `    topic: ${v}\n`, line: 5, key: 'topic' },
    {
      name: 'a username',
      body: (v) => `    transport: mqtt\n    auth:\n      type: password\n      username: ${v}\n`,
      line: 8,
      key: 'auth.username',
    },
    {
      name: 'a password',
      body: (v) =>
        `    transport: mqtt\n    auth:\n      type: password\n      username: u\n      password: ${v}\n`,
      line: 9,
      key: 'auth.password',
    },
    {
      name: 'a custom authorizer token',
      body: (v) => `    auth:\n      type: custom-authorizer\n      authorizer: a\n      token: ${v}\n`,
      line: 8,
      key: 'auth.token',
    },
  ];
  for (const c of cases) {
    test(`${c.name} of 65,536 bytes (ASCII, and two-byte characters) is value.invalid; 65,435 loads`, () => {
      // 32,768 two-byte characters: a limit counted in characters would let them through.
      for (const value of [
        'x'.repeat(MQTT_LIMITS.stringBytes + 1),
        'é'.repeat((MQTT_LIMITS.stringBytes + 1) / 2),
      ]) {
        const { errors } = load(one(c.body(value)));
        const hit = errors.find((e) => e.path === `scenarios[0].${c.key}`);
        assert.ok(hit, `no error at ${c.key}: ${errors.map((e) => e.message).join('; ')}`);
        assert.equal(hit.span?.line, c.line);
        assert.match(hit.label ?? '', /MQTT allows at most 65535 bytes/);
      }
      const fits = load(one(c.body('x'.repeat(MQTT_LIMITS.stringBytes - 100))));
      assert.deepEqual(
        fits.errors.filter((e) => e.path === `scenarios[0].${c.key}`),
        [],
        'a value within the limit is accepted',
      );
    });
  }

  test('a client ID that leaves no room for the default topic `mqttprobe/<client ID>` is refused, with the fix', () => {
    const { errors } = load(one(`    mqtt: { clientId: ${'c'.repeat(MQTT_LIMITS.stringBytes - 5)} }\n`));
    assert.equal(errors.length, 1);
    assert.match(errors[0]!.message, /default topic/);
    assert.match(errors[0]!.hint ?? '', /set a shorter `topic`/);
    const withTopic = load(
      one(`    topic: t\n    mqtt: { clientId: ${'c'.repeat(MQTT_LIMITS.stringBytes - 5)} }\n`),
    );
    assert.deepEqual(withTopic.errors, []);
  });

  test('custom authorizer fields that together make a username over 65,535 bytes are refused at `auth`', () => {
    const { errors } = load(
      one(
        `    auth: { type: custom-authorizer, authorizer: a, token: ${'t'.repeat(40_000)}, signature: ${'s'.repeat(30_000)} }\n`,
      ),
    );
    assert.equal(errors[0]?.path, 'scenarios[0].auth');
    assert.match(errors[0]!.message, /custom authorizer fields make a username longer than MQTT allows/);
  });

  test('a PUBLISH packet over 256 MB is refused at payloadSize, without allocating it; connect-only skips the check', () => {
    const { errors } = load(one(`    payloadSize: ${MQTT_LIMITS.packetBytes}\n`));
    assert.equal(errors[0]?.path, 'scenarios[0].payloadSize');
    assert.match(errors[0]!.message, /PUBLISH packet would be larger than MQTT allows/);
    assert.deepEqual(load(one('    payloadSize: 1000\n')).errors, []);
  });
});

describe('AWS IoT quotas are warnings, for AWS endpoints only', () => {
  const cases = [
    {
      name: 'a client ID over 128 bytes',
      body: `    mqtt: { clientId: ${'c'.repeat(129)} }\n`,
      code: 'aws.client-id-too-long',
    },
    { name: 'a topic over 256 bytes', body: `    topic: ${'t'.repeat(257)}\n`, code: 'aws.topic-too-long' },
    { name: 'a topic with 8 slashes', body: '    topic: a/b/c/d/e/f/g/h/i\n', code: 'aws.topic-too-deep' },
    {
      name: 'a payload over 128 KB',
      body: `    payloadSize: ${128 * 1024 + 1}\n`,
      code: 'aws.payload-too-large',
    },
  ];
  for (const c of cases) {
    test(`${c.name} warns on aws, emulator and *.amazonaws.com, not on another broker`, () => {
      for (const endpoint of ['aws', 'emulator', 'a1b2-ats.iot.eu-west-1.amazonaws.com']) {
        const loaded = load(one(c.body).replace('endpoint: broker.test', `endpoint: ${endpoint}`));
        assert.deepEqual(loaded.errors, []);
        assert.deepEqual(
          loaded.warnings.map((w) => w.code),
          [c.code],
          endpoint,
        );
        assert.match(loaded.warnings[0]!.message, /AWS IoT .* the broker will close the connection/);
        assert.equal(loaded.warnings[0]!.span?.line, 5);
      }
      assert.deepEqual(load(one(c.body)).warnings, []);
    });
  }

  test('a matrix repeats a warning once, not once per expanded scenario', () => {
    const loaded = load(
      one(`    endpoint: emulator\n    topic: ${'t'.repeat(300)}\n    matrix: { qos: [0, 1] }\n`).replace(
        '    endpoint: broker.test\n',
        '',
      ),
    );
    assert.deepEqual(loaded.errors, []);
    assert.equal(loaded.plans.length, 2);
    assert.equal(loaded.warnings.length, 1);
  });
});

describe('environment values are text unless the key takes a number or boolean', () => {
  const file = `version: 1
scenarios:
  - name: a
    endpoint: broker.test
    port: \${PORT}
    mqtt:
      version: \${MQTT_VERSION}
    tls:
      insecure: \${INSECURE}
    auth:
      type: password
      username: \${MQTT_USER}
      password: \${MQTT_PASSWORD}
`;
  const env = { PORT: '8883', MQTT_VERSION: '5', INSECURE: 'true', MQTT_USER: 'u' };
  for (const password of [
    '@at',
    '`tick',
    '"quote',
    '[list',
    '%percent',
    '|pipe',
    '*star',
    '!tag',
    '4711081512',
    'true',
    '- x',
    '{a: 1}',
    '&anchor',
    'null',
    '',
  ]) {
    test(`a password of ${JSON.stringify(password)} stays exactly that text`, () => {
      const { plans, errors } = load(file, { ...env, MQTT_PASSWORD: password, MQTT_USER: password || 'u' });
      assert.deepEqual(errors, []);
      const auth = plans[0]!.auth;
      assert.equal(auth.type, 'password');
      if (auth.type !== 'password') return;
      assert.equal(auth.password?.reveal(), password);
      assert.equal(auth.username, password || 'u', 'a username too');
      assert.equal(plans[0]!.port, 8883, '`port` takes a number');
      assert.equal(plans[0]!.mqtt.version, 5, '`mqtt.version` takes 5');
      assert.equal(plans[0]!.tls.insecure, true, '`tls.insecure` takes a boolean');
    });
  }

  test('a bad value from the environment is reported at its key without being echoed', () => {
    const { errors } = load(file, { ...env, PORT: 'hunter2-not-a-port', MQTT_PASSWORD: 'x' });
    assert.equal(errors.length, 1);
    assert.equal(errors[0]!.path, 'scenarios[0].port');
    assert.equal(errors[0]!.seen, 'the value of ${PORT} (not shown)');
    assert.doesNotMatch(JSON.stringify(errors), /hunter2/);
  });

  test('a message that would quote the value is replaced (an `auth.type` from the environment)', () => {
    const { errors } = load('version: 1\nscenarios:\n  - name: a\n    auth:\n      type: ${AUTH_TYPE}\n', {
      AUTH_TYPE: 'sekrit-value-here',
    });
    assert.ok(errors.length > 0);
    assert.doesNotMatch(JSON.stringify(errors), /sekrit/);
    assert.equal(errors[0]!.span?.line, 5);
  });
});

describe('only regular files of sane size are read', () => {
  /** Makes a FIFO with mkfifo(1): Node has no call for it. */
  const fifo = (path: string) => execFileSync('mkfifo', [path]);
  /** A sparse file: large by its size, but costs no disk. */
  const sparse = (path: string, bytes: number) => {
    const fd = openSync(path, 'w');
    ftruncateSync(fd, bytes);
    closeSync(fd);
  };

  test('a FIFO (or a link to one), a character device or a huge scenario file is a clear error, without blocking', (t) => {
    const dir = tempDir(t);
    fifo(join(dir, 'pipe.yaml'));
    symlinkSync(join(dir, 'pipe.yaml'), join(dir, 'link-to-pipe.yaml'));
    sparse(join(dir, 'huge.yaml'), MAX_SCENARIO_FILE_BYTES + 1);
    const cases: Array<[string, string, RegExp]> = [
      [join(dir, 'pipe.yaml'), 'file.not-regular', /is a named pipe \(FIFO\), not a regular file/],
      [join(dir, 'link-to-pipe.yaml'), 'file.not-regular', /named pipe/],
      ['/dev/zero', 'file.not-regular', /is a character device/],
      ['/dev/null', 'file.not-regular', /is a character device/],
      [join(dir, 'huge.yaml'), 'file.too-large', /is 4\.0 MiB; a scenario file is at most 4 MiB/],
    ];
    for (const [file, code, message] of cases) {
      const { errors, plans } = loadScenarioFile(file, { env: {} });
      assert.equal(plans.length, 0);
      assert.equal(errors[0]?.code, code, file);
      assert.match(errors[0]!.message, message);
      assert.match(errors[0]!.hint ?? '', /regular file|split it/);
    }
  });

  test('a FIFO, /dev/zero or a huge file as `ca`, `auth.cert` or `auth.key` is a pem error at that key', async (t) => {
    const dir = tempDir(t);
    await writeDeviceCerts(dir);
    fifo(join(dir, 'pipe.pem'));
    sparse(join(dir, 'huge.pem'), MAX_PEM_FILE_BYTES + 1);
    mkdirSync(join(dir, 'folder.pem'));
    for (const bad of ['pipe.pem', '/dev/zero', 'huge.pem', 'folder.pem']) {
      const text = `version: 1
scenarios:
  - name: ca
    ca: ${bad}
  - name: cert
    auth: { type: x509, cert: ${bad}, key: device-private.pem.key }
  - name: key
    auth: { type: x509, cert: device.pem.crt, key: ${bad} }
`;
      const { errors } = loadScenarioText(join(dir, 's.yaml'), text, { env: {} });
      assert.deepEqual(
        errors.map((e) => [e.path, e.code]),
        [
          [
            'scenarios[0].ca',
            bad === 'folder.pem'
              ? 'pem.unreadable'
              : bad === 'huge.pem'
                ? 'pem.too-large'
                : 'pem.not-regular',
          ],
          ['scenarios[1].auth.cert', errors[1]!.code],
          ['scenarios[2].auth.key', errors[2]!.code],
        ],
        bad,
      );
      assert.ok(
        errors.every((e) => e.code === errors[0]!.code),
        `${bad}: one kind of error for every key`,
      );
    }
  });
});

describe('amplified matrices are counted before anything is expanded', () => {
  /** `scenarios` entries sharing one anchored matrix of `axis`² combinations. */
  const amplified = (scenarios: number, axis: number, extra = '') => {
    const values = `[${Array.from({ length: axis }, (_, i) => i + 1).join(', ')}]`;
    let text = 'version: 1\nscenarios:\n';
    for (let i = 0; i < scenarios; i++) {
      const matrix = i === 0 ? `&m { port: ${values}, payloadSize: ${values} }` : '*m';
      text += `  - name: s${i}\n    endpoint: broker.test\n${extra}    matrix: ${matrix}\n`;
    }
    return text;
  };

  test('100 scenarios sharing a 10,000-combination anchor are one error at the scenario that crosses the limit', () => {
    const { errors, plans } = load(amplified(100, 100));
    assert.equal(plans.length, 0);
    assert.equal(errors.length, 1);
    assert.equal(errors[0]!.code, 'probes.too-many');
    assert.equal(
      errors[0]!.message,
      `the run would hold 1000000 probes, more than the limit of ${DEFAULT_MAX_PROBES}`,
    );
    assert.equal(errors[0]!.path, 'scenarios[10].matrix', 'the eleventh scenario crosses 100,000');
    assert.match(errors[0]!.hint ?? '', /--max-probes 1000000/);
  });

  test('repeat multiplies the count, from the scenario, the defaults, a matrix axis or --repeat', () => {
    const repeatInScenario = load(amplified(1, 100, '    repeat: 10000\n'));
    assert.match(repeatInScenario.errors[0]!.message, /would hold 100000000 probes/);
    const repeatAxis = loadScenarioText(
      '/tmp/s.yaml',
      'version: 1\nscenarios:\n  - name: a\n    matrix: { repeat: [5000, 6000], qos: [0, 1, 2] }\n',
      { env: {}, probeBudget: { maxProbes: 30_000, counted: 0 } },
    );
    assert.match(repeatAxis.errors[0]!.message, /would hold 33000 probes/, '(5000 + 6000) × 3');
    const flag = loadScenarioText('/tmp/s.yaml', amplified(1, 100), {
      env: {},
      overrides: { repeat: 11 },
    });
    assert.match(flag.errors[0]!.message, /would hold 110000 probes/);
    assert.match(flag.errors[0]!.label ?? '', /--repeat 11/);
  });

  test('the limit holds for all files of a run together, and a higher limit lets them through', () => {
    // 6 scenarios of 10 × 10 combinations: 600 probes a file, against a limit of 1,000 for the run.
    const budget = { maxProbes: 1000, counted: 0 };
    const first = loadScenarioText('/tmp/a.yaml', amplified(6, 10), { env: {}, probeBudget: budget });
    assert.deepEqual(first.errors, []);
    assert.equal(first.plans.length, 600);
    const second = loadScenarioText('/tmp/b.yaml', amplified(6, 10), { env: {}, probeBudget: budget });
    assert.equal(second.errors[0]?.code, 'probes.too-many');
    assert.match(second.errors[0]!.message, /would hold 1200 probes \(600 of them in the files before\)/);
    assert.equal(second.errors[0]!.path, 'scenarios[4].matrix', 'the fifth scenario passes 1,000');
    const raised = loadScenarioText('/tmp/c.yaml', amplified(2, 10, '    repeat: 3\n'), {
      env: {},
      probeBudget: { maxProbes: 600, counted: 0 },
    });
    assert.deepEqual(raised.errors, []);
  });
});

describe('files too large to be scenarios are refused before parsing', () => {
  test('a list of 500,000 values is yaml.too-large at the value that passes the limit, not 25 s and a stack overflow', () => {
    const { errors } = load(
      `version: 1\nscenarios:\n  - name: a\n    tags: [${Array(500_000).fill(1).join(',')}]\n`,
    );
    assert.equal(errors.length, 1);
    assert.equal(errors[0]!.code, 'yaml.too-large');
    assert.equal(errors[0]!.span?.line, 4);
    assert.match(errors[0]!.message, new RegExp(`more than ${MAX_YAML_ITEMS} values`));
  });

  test('just under the limit, 49,990 bad list items are each an error, not a RangeError', () => {
    const { errors } = load(
      `version: 1\nscenarios:\n  - name: a\n    tags: [${Array(49_990).fill(1).join(',')}]\n`,
    );
    assert.equal(errors.length, 49_990);
    assert.ok(errors.every((e) => e.code === 'value.invalid' && e.span?.line === 4));
  });
});
