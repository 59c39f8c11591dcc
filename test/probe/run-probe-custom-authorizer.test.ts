// Custom authentication over MQTT on "443" with ALPN `mqtt`: the username carries the authorizer's query string.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { inspect } from 'node:util';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { mqttCredentials } from '../../src/probe/mqtt/mqtt-credentials.js';
import { runProbe } from '../../src/probe/run-probe.js';
import type { Auth } from '../../src/scenario/plan.js';
import { Secret } from '../../src/scenario/secret.js';
import { makePlan } from '../helpers/make-plan.js';

const AUTHORIZER = { name: 'probe-authorizer', username: 'probe-device', password: 'probe-password' };
let emulator: Emulator;

before(async () => {
  emulator = await startEmulator({ customAuthorizer: AUTHORIZER });
});
after(() => emulator.close());

function customAuth(overrides: Partial<Extract<Auth, { type: 'custom-authorizer' }>> = {}): Auth {
  return {
    type: 'custom-authorizer',
    authorizer: AUTHORIZER.name,
    username: AUTHORIZER.username,
    password: new Secret(AUTHORIZER.password),
    token: new Secret('token-value'),
    tokenKeyName: 'x-probe-token',
    signature: new Secret('c2ln+/=='),
    ...overrides,
  };
}

function alpnMqttPlan(auth: Auth) {
  return makePlan({
    endpoint: emulator.hostname,
    port: emulator.ports.alpn,
    transport: 'mqtts',
    alpn: ['mqtt'],
    ca: { path: '/test/ca.pem', pem: emulator.ca },
    auth,
  });
}

test('the username is USERNAME?name&token&signature, URL-encoded, as AWS documents', () => {
  const credentials = mqttCredentials(customAuth());
  assert.equal(
    credentials.username,
    'probe-device?x-amz-customauthorizer-name=probe-authorizer&x-probe-token=token-value&x-amz-customauthorizer-signature=c2ln%2B%2F%3D%3D',
  );
  assert.equal(credentials.password, AUTHORIZER.password);
});

test('without a username the query stands alone, and a username with a query gets ours appended', () => {
  assert.equal(
    mqttCredentials({ type: 'custom-authorizer', authorizer: 'a' }).username,
    '?x-amz-customauthorizer-name=a',
  );
  assert.equal(
    mqttCredentials({ type: 'custom-authorizer', authorizer: 'a', username: 'u?x=1' }).username,
    'u?x=1&x-amz-customauthorizer-name=a',
  );
});

test('the right credentials pass on ALPN mqtt', async () => {
  const result = await runProbe(alpnMqttPlan(customAuth()));
  assert.equal(result.ok, true, inspect(result.diagnosis, { depth: 4 }));
  assert.equal(result.tls?.negotiatedAlpn, 'mqtt');
  assert.equal(result.connack?.reasonCode, 0);
  assert.doesNotMatch(JSON.stringify(result), /probe-password|token-value/);
});

test('a wrong password is mqtt.closed-before-connack with a custom-authorizer hint', async () => {
  const refused = new Promise<string>((resolve) => emulator.events.once('refused', resolve));
  const result = await runProbe(alpnMqttPlan(customAuth({ password: new Secret('wrong') })));
  assert.equal(result.ok, false);
  assert.equal(result.diagnosis?.code, 'mqtt.closed-before-connack', inspect(result.diagnosis));
  assert.equal(result.failedPhase, 'connack');
  assert.match(result.diagnosis?.hint ?? '', /custom authorizer/);
  assert.equal(await refused, 'custom-auth-failed');
});

test('a wrong authorizer name is refused the same way', async () => {
  const result = await runProbe(alpnMqttPlan(customAuth({ authorizer: 'other-authorizer' })));
  assert.equal(result.diagnosis?.code, 'mqtt.closed-before-connack', inspect(result.diagnosis));
});
