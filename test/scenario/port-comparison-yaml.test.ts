import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadScenarioText } from '../../src/scenario/load-scenario-file.js';
import { isDefaultEndpoint, portComparisonYaml } from '../../src/scenario/port-comparison-yaml.js';

const base = { origin: 'test', schemaUrl: 'file:///schema.json' };
const load = (yaml: string, env: Record<string, string> = {}) =>
  loadScenarioText('/tmp/ways.yaml', yaml, { env });

test('direct ways stay direct with HTTPS_PROXY set, and come before the proxied ones', () => {
  const { plans, errors } = load(
    portComparisonYaml({ ...base, endpoint: 'emulator', proxy: '${HTTPS_PROXY}' }),
    {
      HTTPS_PROXY: 'http://proxy.corp:3128',
    },
  );
  assert.deepEqual(errors, []);
  assert.deepEqual(
    plans.map((p) => [p.name, p.proxy?.display ?? 'direct']),
    [
      ['8883', 'direct'],
      ['443 alpn', 'direct'],
      ['8883 via proxy', 'http://proxy.corp:3128'],
      ['443 alpn via proxy', 'http://proxy.corp:3128'],
      ['443 no alpn', 'direct'],
    ],
  );
});

test('observed outcomes become the expectations, so the saved file passes on the same network', () => {
  const observed = new Map([
    ['8883', 'tcp.timeout'],
    ['443 alpn', 'pass'],
    ['443 no alpn', 'mqtt.http-response'],
  ]);
  const { plans } = load(portComparisonYaml({ ...base, endpoint: 'emulator', observed }));
  assert.deepEqual(
    plans.map((p) => [p.name, p.expect.kind === 'code' ? p.expect.code : p.expect.kind]),
    [
      ['8883', 'tcp.timeout'],
      ['443 alpn', 'pass'],
      ['443 no alpn', 'mqtt.http-response'],
    ],
  );
});

test('443 without ALPN must fail only on a default endpoint; elsewhere it is one more way', () => {
  const aws = load(portComparisonYaml({ ...base, endpoint: 'abc123-ats.iot.eu-west-1.amazonaws.com' })).plans;
  const custom = load(portComparisonYaml({ ...base, endpoint: 'mqtt.example.com' })).plans;
  const control = (plans: typeof aws) => plans.find((p) => p.name === '443 no alpn')!;
  assert.deepEqual(control(aws).tags, ['control']);
  assert.deepEqual(control(aws).expect, { kind: 'code', code: 'mqtt.http-response' });
  assert.deepEqual(control(custom).tags, ['way']);
  assert.equal(control(custom).expect.kind, 'pass');
});

const endpoints: Array<[string, boolean]> = [
  ['aws', true],
  ['emulator', true],
  ['abc123-ats.iot.eu-west-1.amazonaws.com', true],
  ['abc123-ats.iot.cn-north-1.amazonaws.com.cn', true],
  ['iot.example.com', false],
  ['10.0.0.1', false],
];
for (const [endpoint, expected] of endpoints) {
  test(`${endpoint} ${expected ? 'follows' : 'does not follow'} the default endpoint's port-and-ALPN rules`, () =>
    assert.equal(isDefaultEndpoint(endpoint), expected));
}
