// TLS-only keys (`ca`, `alpn`, `servername`, `tls.*`) and plain transports (`mqtt`, `ws`): inherited, they do not
// apply; written for that scenario's transport, they are an error at their own line.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { loadScenarioText } from '../../src/scenario/load-scenario-file.js';
import { tempDir, writeDeviceCerts } from '../helpers/scenario-files.js';

const TLS_DEFAULTS = `defaults:
  endpoint: broker.test
  ca: ca.pem
  alpn: x-amzn-mqtt-ca
  servername: iot.example.com
  tls: { minVersion: TLSv1.3, insecure: true }`;

describe('TLS-only keys on plain transports', () => {
  test('inherited from defaults they do not apply to mqtt or ws, and still apply to mqtts and wss', async (t) => {
    const dir = tempDir(t);
    await writeDeviceCerts(dir);
    const loaded = loadScenarioText(
      join(dir, 's.yaml'),
      `version: 1
${TLS_DEFAULTS}
scenarios:
  - name: plain
    transport: mqtt
  - name: websocket
    transport: ws
  - name: tls
  - name: secure websocket
    transport: wss
`,
      { env: {} },
    );
    assert.deepEqual(loaded.errors, []);
    const [plain, websocket, tls, wss] = loaded.plans;
    for (const plan of [plain!, websocket!]) {
      assert.equal(plan.ca, undefined, plan.id);
      assert.equal(plan.servername, undefined, plan.id);
      assert.deepEqual(plan.alpn, [], plan.id);
      assert.deepEqual(plan.tls, { insecure: false }, plan.id);
    }
    assert.deepEqual(
      loaded.warnings.map((w) => w.message),
      [
        'tls: server certificate verification is OFF (tls.insecure: true)',
        'secure websocket: server certificate verification is OFF (tls.insecure: true)',
      ],
      'only the TLS scenarios warn about tls.insecure',
    );
    for (const plan of [tls!, wss!]) {
      assert.equal(plan.ca?.path, join(dir, 'ca.pem'), plan.id);
      assert.equal(plan.servername, 'iot.example.com', plan.id);
      assert.deepEqual(plan.tls, { minVersion: 'TLSv1.3', insecure: true }, plan.id);
    }
  });

  test('given on the command line (--ca) it does not apply to a plain scenario either', () => {
    const loaded = loadScenarioText(
      '/tmp/s.yaml',
      'version: 1\nscenarios:\n  - name: plain\n    endpoint: broker.test\n    transport: mqtt\n',
      { env: {}, overrides: { ca: '/nonexistent/ca.pem' } },
    );
    assert.deepEqual(loaded.errors, []);
    assert.equal(loaded.plans[0]!.ca, undefined);
  });

  test('set in a scenario whose matrix picks the transport, it applies to the TLS variants only', () => {
    const loaded = loadScenarioText(
      '/tmp/s.yaml',
      `version: 1
scenarios:
  - name: both
    endpoint: broker.test
    servername: iot.example.com
    matrix:
      transport: [mqtt, mqtts]
`,
      { env: {} },
    );
    assert.deepEqual(loaded.errors, []);
    assert.deepEqual(
      loaded.plans.map((p) => [p.id, p.servername]),
      [
        ['both [transport=mqtt]', undefined],
        ['both [transport=mqtts]', 'iot.example.com'],
      ],
    );
  });

  const errors: Array<{ name: string; text: string; expect: Array<[string, number, number]> }> = [
    {
      name: 'written in the plain scenario itself, each is an error at its own key',
      text: `version: 1
${TLS_DEFAULTS}
scenarios:
  - name: plain
    transport: mqtt
    ca: own.pem
    tls: { maxVersion: TLSv1.3 }
`,
      expect: [
        ['`ca` needs a TLS transport', 11, 5],
        ['`tls.maxVersion` needs a TLS transport', 12, 12],
      ],
    },
    {
      name: 'written in a scenario that inherits a plain transport from defaults, it is an error',
      text: `version: 1
defaults: { endpoint: broker.test, transport: ws }
scenarios:
  - name: plain
    servername: iot.example.com
`,
      expect: [['`servername` needs a TLS transport', 5, 5]],
    },
    {
      name: 'varied by the matrix of a plain scenario, it is an error at each value',
      text: `version: 1
scenarios:
  - name: plain
    endpoint: broker.test
    transport: mqtt
    matrix:
      alpn: [mqtt, x-amzn-mqtt-ca]
`,
      expect: [
        ['`alpn` needs a TLS transport', 7, 14],
        ['`alpn` needs a TLS transport', 7, 20],
      ],
    },
  ];
  for (const c of errors) {
    test(c.name, () => {
      const loaded = loadScenarioText('/tmp/s.yaml', c.text, { env: {}, readFiles: false });
      assert.deepEqual(loaded.plans, []);
      assert.deepEqual(
        loaded.errors.map((e) => [e.message, e.span?.line, e.span?.column]),
        c.expect,
      );
      for (const e of loaded.errors)
        assert.equal(e.hint, 'use transport `mqtts` or `wss`, or remove the key');
    });
  }
});
