// A diagnosis points at the line to edit: the value of the key its registry entry names, where the scenario (or
// its defaults) set it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixLocation, fixLocationText, formatSpan } from '../../src/report/fix-location.js';
import { summarisePlan } from '../../src/run/summarise-plan.js';
import type { DiagnosisCode } from '../../src/scenario/diagnosis-codes.js';
import { loadScenarioText } from '../../src/scenario/load-scenario-file.js';

const TEXT = `version: 1
defaults:
  endpoint: broker.test
  port: 8883
scenarios:
  - name: slow
    alpn: mqtt
    qos: 1
    tls:
      minVersion: TLSv1.3
    thresholds:
      tls: 200ms
`;

const loaded = loadScenarioText('/tmp/fix.yaml', TEXT, { env: {} });
assert.deepEqual(loaded.errors, []);
const plan = summarisePlan(loaded.plans[0]!);

const cases: Array<{ name: string; code: DiagnosisCode; at: string }> = [
  { name: 'an HTTP answer points at alpn', code: 'mqtt.http-response', at: '/tmp/fix.yaml:7:11' },
  { name: 'a SUBACK timeout points at qos', code: 'mqtt.suback-timeout', at: '/tmp/fix.yaml:8:10' },
  { name: 'no shared TLS version points at the tls map', code: 'tls.version', at: '/tmp/fix.yaml:10:7' },
  { name: 'a slow TLS phase points at thresholds.tls', code: 'threshold.tls', at: '/tmp/fix.yaml:12:12' },
  { name: 'a filtered port points at the port in defaults', code: 'tcp.timeout', at: '/tmp/fix.yaml:4:9' },
  {
    name: 'an unknown host points at the endpoint in defaults',
    code: 'dns.not-found',
    at: '/tmp/fix.yaml:3:13',
  },
  { name: 'a code with no key to blame points at the scenario', code: 'tcp.reset', at: '/tmp/fix.yaml:6:5' },
  {
    name: 'a key the scenario leaves unset points at the scenario',
    code: 'tls.server-untrusted',
    at: '/tmp/fix.yaml:6:5',
  },
  {
    name: 'a threshold the scenario does not set points at its thresholds',
    code: 'threshold.dns',
    at: '/tmp/fix.yaml:12:7',
  },
];
for (const c of cases) test(c.name, () => assert.equal(formatSpan(fixLocation(plan, c.code)), c.at));

test('a nested key (mqtt.version) points at its own line', () => {
  const text = `version: 1
scenarios:
  - name: v5
    mqtt:
      keepalive: 30s
      version: 5
`;
  const [v5] = loadScenarioText('/tmp/nested.yaml', text, { env: {} }).plans;
  const summary = summarisePlan(v5!);
  assert.equal(formatSpan(fixLocation(summary, 'mqtt.protocol-version-refused')), '/tmp/nested.yaml:6:16');
  assert.equal(formatSpan(fixLocation(summary, 'mqtt.silently-dropped')), '/tmp/nested.yaml:5:18');
});

test('a plan no file holds names the option that set the key, else what to run to get a file', () => {
  const unsaved = { ...plan, fixOptions: { ca: '`--ca`', '*': 'the comparison (--save FILE)' } };
  assert.equal(fixLocationText(unsaved, 'tls.server-untrusted'), '`--ca`');
  assert.equal(fixLocationText(unsaved, 'tcp.timeout'), 'the comparison (--save FILE)');
  assert.equal(fixLocationText(plan, 'tcp.timeout'), '/tmp/fix.yaml:4:9');
});
