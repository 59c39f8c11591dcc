import assert from 'node:assert/strict';
import { chmodSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { inspect } from 'node:util';
import { loadScenarioText } from '../../src/scenario/load-scenario-file.js';
import { TIMED_PHASES } from '../../src/scenario/phases.js';
import { tempDir, writeDeviceCerts, writeFiles } from '../helpers/scenario-files.js';

const load = (text: string, env: Record<string, string> = {}, file = '/tmp/s.yaml') =>
  loadScenarioText(file, text, { env });

/** The same timeout for every timed phase. */
const every = (ms: number) => Object.fromEntries(TIMED_PHASES.map((phase) => [phase, ms]));

const valid = (text: string, env: Record<string, string> = {}) => {
  const loaded = load(text, env);
  assert.deepEqual(loaded.errors, [], 'expected no errors');
  return loaded.plans;
};

describe('defaults and inheritance', () => {
  test('a scenario inherits defaults and overrides single keys', () => {
    const [a, b] = valid(`
version: 1
defaults: { endpoint: broker.test, port: 8883, qos: 0 }
scenarios:
  - name: a
  - name: b
    qos: 1
`);
    assert.equal(a!.endpoint, 'broker.test');
    assert.equal(a!.qos, 0);
    assert.equal(b!.qos, 1);
    assert.equal(b!.port, 8883);
  });

  test('nested maps merge key by key, but auth is replaced whole', () => {
    const [plan] = valid(`
version: 1
defaults:
  tls: { minVersion: TLSv1.2 }
  mqtt: { keepalive: 30s }
  auth: { type: password, username: u, password: p }
scenarios:
  - name: a
    tls: { insecure: true }
    mqtt: { version: 5 }
    auth: { type: none }
`);
    assert.deepEqual(plan!.tls, { minVersion: 'TLSv1.2', insecure: true });
    assert.equal(plan!.mqtt.keepaliveS, 30);
    assert.equal(plan!.mqtt.version, 5);
    assert.deepEqual(plan!.auth, { type: 'none' });
  });

  test('unset keys take documented defaults', () => {
    const [plan] = valid('version: 1\nscenarios: [{ name: a, endpoint: h }]');
    assert.equal(plan!.transport, 'mqtts');
    assert.equal(plan!.port, 8883);
    assert.deepEqual(plan!.steps, ['connect', 'subscribe', 'publish', 'receive']);
    assert.equal(plan!.qos, 1);
    assert.equal(plan!.repeat, 1);
    assert.equal(plan!.mqtt.clientId, undefined, 'no fixed client ID: each probe gets a unique one');
    assert.equal(plan!.topic, undefined);
    assert.equal(plan!.timeoutsMs.tcp, 5000);
    assert.deepEqual(plan!.expect, { kind: 'pass' });
  });

  test('each transport has its own default port', () => {
    const plans = valid(`
version: 1
scenarios:
  - { name: a, transport: mqtts }
  - { name: b, transport: mqtt }
  - { name: c, transport: wss }
  - { name: d, transport: ws }
`);
    assert.deepEqual(
      plans.map((p) => p.port),
      [8883, 1883, 443, 80],
    );
  });
});

describe('matrix expansion', () => {
  test('the cross product is named after its values, in matrix key order', () => {
    const plans = valid(`
version: 1
scenarios:
  - name: sweep
    matrix:
      port: [8883, 443]
      qos: [0, 1]
`);
    assert.deepEqual(
      plans.map((p) => p.id),
      [
        'sweep [port=8883, qos=0]',
        'sweep [port=8883, qos=1]',
        'sweep [port=443, qos=0]',
        'sweep [port=443, qos=1]',
      ],
    );
    assert.deepEqual(plans[3]!.matrixValues, [
      ['port', 443],
      ['qos', 1],
    ]);
  });

  test('dotted matrix keys set nested values, and alpn lists read well in names', () => {
    const plans = valid(`
version: 1
scenarios:
  - name: v
    port: 443
    matrix:
      mqtt.version: ['3.1.1', 5]
      alpn: [false, [x-amzn-mqtt-ca, mqtt]]
`);
    assert.equal(plans[0]!.id, 'v [mqtt.version=3.1.1, alpn=none]');
    assert.equal(plans[3]!.id, 'v [mqtt.version=5, alpn=x-amzn-mqtt-ca+mqtt]');
    assert.equal(plans[3]!.mqtt.version, 5);
    assert.deepEqual(plans[3]!.alpn, ['x-amzn-mqtt-ca', 'mqtt']);
  });

  test('an error in a matrix value points at that value', () => {
    const { errors } = load('version: 1\nscenarios:\n  - name: q\n    matrix:\n      qos: [0, 1, 3]\n');
    assert.equal(errors.length, 1);
    assert.equal(errors[0]!.span?.line, 5);
    assert.equal(errors[0]!.span?.column, 19);
    assert.equal(errors[0]!.path, 'scenarios[0].matrix.qos[2]');
    assert.equal(errors[0]!.scenario, 'q [qos=3]');
  });

  test('an error inherited from defaults is reported once, not once per scenario', () => {
    const { errors } = load(
      'version: 1\ndefaults: { qos: 7 }\nscenarios: [{ name: a }, { name: b }, { name: c }]\n',
    );
    assert.equal(errors.length, 1);
    assert.equal(errors[0]!.path, 'defaults.qos');
  });
});

describe('ALPN', () => {
  const alpnOf = (scenario: string) => valid(`version: 1\nscenarios: [${scenario}]`)[0]!.alpn;
  const cases: Array<{ name: string; scenario: string; alpn: string[] }> = [
    {
      name: 'auto on 443 with x509 is AWS’s x-amzn-mqtt-ca',
      scenario: '{ name: a, port: 443, auth: { type: x509, cert: c, key: k } }',
      alpn: ['x-amzn-mqtt-ca'],
    },
    {
      name: 'auto on 443 with a custom authorizer is mqtt',
      scenario: '{ name: a, port: 443, auth: { type: custom-authorizer, authorizer: z } }',
      alpn: ['mqtt'],
    },
    {
      name: 'auto on 8883 offers nothing',
      scenario: '{ name: a, port: 8883, auth: { type: x509, cert: c, key: k } }',
      alpn: [],
    },
    {
      name: 'auto on wss offers nothing (HTTP/1.1 upgrade)',
      scenario: '{ name: a, transport: wss, port: 443 }',
      alpn: [],
    },
    { name: 'false offers nothing', scenario: '{ name: a, port: 443, alpn: false }', alpn: [] },
    { name: 'none offers nothing', scenario: '{ name: a, port: 443, alpn: none }', alpn: [] },
    { name: 'a single name', scenario: '{ name: a, alpn: h2 }', alpn: ['h2'] },
    {
      name: 'a list keeps its order',
      scenario: '{ name: a, alpn: [mqtt, x-amzn-mqtt-ca] }',
      alpn: ['mqtt', 'x-amzn-mqtt-ca'],
    },
  ];
  for (const c of cases) {
    test(c.name, async (t) => {
      if (!c.scenario.includes('x509')) {
        assert.deepEqual(alpnOf(c.scenario), c.alpn);
        return;
      }
      // x509 scenarios need real certificate files to load.
      const dir = tempDir(t);
      const { paths } = await writeDeviceCerts(dir);
      const scenario = c.scenario
        .replace('cert: c', `cert: ${paths['device.pem.crt']}`)
        .replace('key: k', `key: ${paths['device-private.pem.key']}`);
      const loaded = loadScenarioText(join(dir, 's.yaml'), `version: 1\nscenarios: [${scenario}]`, {
        env: {},
      });
      assert.deepEqual(loaded.errors, []);
      assert.deepEqual(loaded.plans[0]!.alpn, c.alpn);
    });
  }
});

describe('environment variables', () => {
  test('${VAR} and ${VAR:-default} are substituted, and a whole-value number stays a number', () => {
    const [plan] = valid(
      'version: 1\nscenarios:\n  - name: a\n    endpoint: ${HOST}\n    port: ${PORT:-8884}\n    topic: "t/${SITE:-x}/$$"\n',
      {
        HOST: 'h.example',
      },
    );
    assert.equal(plan!.endpoint, 'h.example');
    assert.equal(plan!.port, 8884);
    assert.equal(plan!.topic, 't/x/$');
  });

  test('an unset variable without a default is an error that names it, at its place', () => {
    const { errors } = load('version: 1\nscenarios:\n  - name: a\n    endpoint: ${MISSING_HOST}\n');
    assert.equal(errors.length, 1, inspect(errors));
    assert.equal(errors[0]!.code, 'env.unset');
    assert.match(errors[0]!.message, /MISSING_HOST/);
    assert.equal(errors[0]!.span?.line, 4);
    assert.equal(errors[0]!.span?.column, 15);
  });
});

describe('durations, timeouts and thresholds', () => {
  test('a single timeout bounds every phase; a map sets single phases', () => {
    const [a, b] = valid(`
version: 1
scenarios:
  - { name: a, timeout: 750ms }
  - { name: b, timeout: { tcp: 2s, receive: 1.5m } }
`);
    assert.ok(Object.values(a!.timeoutsMs).every((ms) => ms === 750));
    assert.equal(b!.timeoutsMs.tcp, 2000);
    assert.equal(b!.timeoutsMs.receive, 90_000);
    assert.equal(b!.timeoutsMs.tls, 5000);
  });

  test('a per-phase timeout over a single one changes that phase only, from defaults, scenario or matrix', () => {
    const [own, swept] = valid(`
version: 1
defaults:
  timeout: 1s
scenarios:
  - name: own
    timeout: { suback: 2s }
  - name: swept
    matrix:
      timeout.tcp: [300ms]
`);
    assert.deepEqual(own!.timeoutsMs, { ...every(1000), suback: 2000 });
    assert.deepEqual(swept!.timeoutsMs, { ...every(1000), tcp: 300 });
  });

  test('a single timeout over a map replaces every phase, and an error in a phase points at its own line', () => {
    const [plan] = valid(
      'version: 1\ndefaults: { timeout: { tcp: 2s } }\nscenarios: [{ name: a, timeout: 750ms }]\n',
    );
    assert.deepEqual(plan!.timeoutsMs, every(750));
    const { errors } = load(
      'version: 1\ndefaults:\n  timeout: 1s\nscenarios:\n  - name: a\n    timeout: { suback: 0ms }\n',
    );
    assert.deepEqual(
      errors.map((e) => [e.path, e.span?.line]),
      [['scenarios[0].timeout.suback', 6]],
    );
  });

  test('--timeout and --repeat override every scenario, matrix values included; errors name the flag', () => {
    const text =
      'version: 1\nscenarios:\n  - { name: a, timeout: { tcp: 2s }, repeat: 5 }\n  - { name: m, matrix: { timeout: [3s] } }\n';
    const loaded = loadScenarioText('/tmp/s.yaml', text, {
      env: {},
      overrides: { timeout: '750ms', repeat: 4 },
    });
    assert.deepEqual(loaded.errors, []);
    for (const plan of loaded.plans) {
      assert.deepEqual(plan.timeoutsMs, every(750), plan.id);
      assert.equal(plan.repeat, 4, plan.id);
    }
    const bad = loadScenarioText('/tmp/s.yaml', text, { env: {}, overrides: { timeout: '11m' } });
    assert.equal(bad.errors[0]?.path, '--timeout');
    assert.equal(bad.errors[0]?.span, undefined, 'a flag has no place in the file');
    assert.match(bad.errors[0]?.label ?? '', /from 1ms to 10m/);
  });

  test('every duration key is bounded: the error names the key, the range and the fix', () => {
    const cases: Array<{ yaml: string; path: string; range: RegExp; fix: RegExp }> = [
      { yaml: 'timeout: 0ms', path: 'timeout', range: /timeout from 1ms to 10m/, fix: /at least 1ms/ },
      { yaml: 'timeout: { tcp: 0.4ms }', path: 'timeout.tcp', range: /from 1ms/, fix: /at least 1ms/ },
      { yaml: `timeout: 1${'0'.repeat(400)}s`, path: 'timeout', range: /to 10m/, fix: /shorter timeout/ },
      { yaml: 'hold: 36000m', path: 'hold', range: /hold from 0s to 60m/, fix: /at most an hour/ },
      {
        yaml: 'thresholds: { total: 61m }',
        path: 'thresholds.total',
        range: /from 1ms to 60m/,
        fix: /remove/,
      },
      { yaml: 'thresholds: { tls: 0s }', path: 'thresholds.tls', range: /from 1ms/, fix: /at least 1ms/ },
      { yaml: 'mqtt: { keepalive: 65536s }', path: 'mqtt.keepalive', range: /to 65535s/, fix: /16-bit/ },
    ];
    for (const c of cases) {
      const { errors } = load(`version: 1\nscenarios:\n  - name: a\n    ${c.yaml}\n`);
      assert.equal(errors.length, 1, c.yaml);
      assert.equal(errors[0]!.path, `scenarios[0].${c.path}`, c.yaml);
      assert.equal(errors[0]!.span?.line, 4, c.yaml);
      assert.match(errors[0]!.label ?? '', c.range, c.yaml);
      assert.match(errors[0]!.hint ?? '', c.fix, c.yaml);
    }
    // The edges themselves are allowed.
    valid('version: 1\nscenarios: [{ name: a, timeout: 1ms, hold: 60m, thresholds: { total: 60m } }]');
    valid('version: 1\nscenarios: [{ name: a, timeout: 10m, hold: 0s, mqtt: { keepalive: 65535s } }]');
  });

  test('thresholds and hold are read in milliseconds', () => {
    const [plan] = valid(
      'version: 1\nscenarios: [{ name: a, thresholds: { tls: 300ms, total: 2s }, hold: 1m }]',
    );
    assert.deepEqual(plan!.thresholdsMs, { tls: 300, total: 2000 });
    assert.equal(plan!.holdMs, 60_000);
  });
});

describe('expectations and steps', () => {
  test('expect takes pass, fail or a failure code', () => {
    const plans = valid(
      'version: 1\nscenarios: [{ name: a, expect: fail }, { name: b, expect: tcp.timeout }, { name: c }]',
    );
    assert.deepEqual(
      plans.map((p) => p.expect),
      [{ kind: 'fail' }, { kind: 'code', code: 'tcp.timeout' }, { kind: 'pass' }],
    );
  });

  test('steps may stop the round trip early', () => {
    const [plan] = valid('version: 1\nscenarios: [{ name: a, steps: [connect, subscribe] }]');
    assert.deepEqual(plan!.steps, ['connect', 'subscribe']);
  });

  test('receive without publish is refused with the reason', () => {
    const { errors } = load('version: 1\nscenarios: [{ name: a, steps: [connect, subscribe, receive] }]');
    assert.match(errors[0]!.message, /`receive` needs `subscribe` and `publish`/);
  });
});

describe('certificates are read at load time', () => {
  test('paths resolve against the scenario file’s folder and the PEM text is loaded', async (t) => {
    const dir = tempDir(t);
    const { device } = await writeDeviceCerts(dir);
    const loaded = loadScenarioText(
      join(dir, 'probe.yaml'),
      'version: 1\nscenarios:\n  - name: a\n    ca: ca.pem\n    auth: { type: x509, cert: device.pem.crt, key: device-private.pem.key }\n',
      { env: {} },
    );
    assert.deepEqual(loaded.errors, []);
    const plan = loaded.plans[0]!;
    assert.equal(plan.ca?.path, join(dir, 'ca.pem'));
    assert.ok(plan.auth.type === 'x509');
    assert.equal(plan.auth.cert.pem, device.cert);
    assert.equal(plan.auth.key.secret.reveal(), device.key);
  });

  test('a key that belongs to another certificate is refused before any connection', async (t) => {
    const dir = tempDir(t);
    await writeDeviceCerts(dir);
    const { errors } = loadScenarioText(
      join(dir, 'probe.yaml'),
      'version: 1\nscenarios:\n  - name: a\n    auth: { type: x509, cert: device.pem.crt, key: other-private.pem.key }\n',
      { env: {} },
    );
    assert.equal(errors[0]?.code, 'pem.key-mismatch');
    assert.match(errors[0]!.message, /does not belong to certificate/);
    assert.equal(errors[0]!.span?.line, 4);
  });

  test('an expired client certificate is refused with its expiry date', async (t) => {
    const dir = tempDir(t);
    await writeDeviceCerts(dir, { expired: true });
    const { errors } = loadScenarioText(
      join(dir, 'probe.yaml'),
      'version: 1\nscenarios: [{ name: a, auth: { type: x509, cert: device.pem.crt, key: device-private.pem.key } }]\n',
      { env: {} },
    );
    assert.equal(errors[0]?.code, 'pem.expired');
    assert.match(errors[0]!.message, /expired on \d{4}-\d{2}-\d{2}/);
  });

  test('a key readable by others gets a warning, as ssh gives', async (t) => {
    const dir = tempDir(t);
    const { paths } = await writeDeviceCerts(dir);
    chmodSync(paths['device-private.pem.key']!, 0o644);
    const loaded = loadScenarioText(
      join(dir, 'probe.yaml'),
      'version: 1\nscenarios: [{ name: a, auth: { type: x509, cert: device.pem.crt, key: device-private.pem.key } }]\n',
      { env: {} },
    );
    assert.deepEqual(loaded.errors, []);
    assert.equal(loaded.warnings[0]?.code, 'pem.key-permissions');
    assert.match(loaded.warnings[0]!.message, /chmod 600/);
  });

  test('secrets never show when a plan is printed or serialised', async (t) => {
    const dir = tempDir(t);
    const { device } = await writeDeviceCerts(dir);
    const files = writeFiles(dir, {
      'p.yaml': `version: 1
scenarios:
  - { name: a, auth: { type: x509, cert: device.pem.crt, key: device-private.pem.key, passphrase: hunter2-pass } }
  - { name: b, auth: { type: password, username: u, password: s3cret-pw }, proxy: 'http://pu:proxy-pw@proxy:3128' }
`,
    });
    const loaded = loadScenarioText(files['p.yaml']!, readText(files['p.yaml']!), { env: {} });
    const keyBody = device.key.split('\n')[1]!;
    for (const shown of [
      JSON.stringify(loaded.plans),
      inspect(loaded.plans, { depth: 10 }),
      String(loaded.plans[1]!.proxy?.display),
    ]) {
      for (const secret of [keyBody, 'hunter2-pass', 's3cret-pw', 'proxy-pw']) {
        assert.ok(!shown.includes(secret), `${secret} leaked`);
      }
    }
    assert.equal(loaded.plans[1]!.proxy?.display, 'http://pu:***@proxy:3128');
  });
});

function readText(path: string): string {
  return readFileSync(path, 'utf8');
}

describe('every mistake at once', () => {
  test('a shape error hides neither the names, topic and proxy of other scenarios nor any steps rule', () => {
    const loaded = load(`version: 1
scenarios:
  - name: a
    colour: blue
    qos: 7
    steps: [publish, connect]
  - name: a
    proxy: ftp://proxy.corp:21
    matrix: { qos: [0, 1] }
  - name: b
    mqtt: { version: 4 }
    payload: x
    payloadSize: 3
`);
    const seen = loaded.errors.map((e) => `${e.span?.line} ${e.message}`);
    assert.deepEqual(seen, [
      '4 unknown key `colour`',
      '5 invalid value for `qos`',
      '6 steps are out of order or repeated',
      '8 invalid value for `proxy`',
      '11 invalid value for `version`',
      '13 `payload` and `payloadSize` cannot both be set',
    ]);
    assert.equal(loaded.plans.length, 0);
  });

  test('a duplicate name is reported and its scenario still checked', () => {
    const text = `version: 1
scenarios:
  - name: a
  - name: a
    transport: mqtt
    auth: { type: x509, cert: c.pem, key: k.pem }
`;
    const loaded = loadScenarioText('/tmp/s.yaml', text, { env: {}, readFiles: false });
    assert.deepEqual(
      loaded.errors.map((e) => `${e.span?.line} ${e.message}`),
      ['4 duplicate scenario name `a`', '6 x509 auth needs a TLS transport'],
    );
  });
});

test('after a file that crossed the probe limit, a file with an empty scenario list is still just that error', () => {
  const probeBudget = { maxProbes: 10, counted: 11 };
  const loaded = loadScenarioText('/tmp/empty-list.yaml', 'version: 1\nscenarios: []\n', {
    env: {},
    probeBudget,
  });
  assert.deepEqual(
    loaded.errors.map((e) => e.label ?? e.message),
    ['list at least one scenario'],
  );
});
