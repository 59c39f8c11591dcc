// MQTT 5 probes against the emulator: AWS's reason codes reach the verdict, and each names the fix.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inspect } from 'node:util';
import { reasonCodeFix } from '../../src/probe/diagnosis/aws-reason-codes.js';
import type { ProbeResult } from '../../src/probe/result.js';
import { runProbe } from '../../src/probe/run-probe.js';
import { emulatorPlan, useSharedEmulator } from '../helpers/emulator.js';
import type { PlanOverrides } from '../helpers/make-plan.js';

const shared = useSharedEmulator();

/** An MQTT 5 plan for the emulator's "8883". */
function v5Plan(overrides: PlanOverrides = {}) {
  return emulatorPlan(shared.emulator, { ...overrides, mqtt: { version: 5, ...overrides.mqtt } });
}

function failure(result: ProbeResult): { code?: string; hint?: string; evidence: string } {
  assert.equal(result.ok, false, 'expected a failure, but the probe passed');
  return {
    code: result.diagnosis?.code,
    hint: result.diagnosis?.hint,
    evidence: inspect(result.diagnosis, { depth: 4 }),
  };
}

test('an MQTT 5 round trip through the emulator passes', async () => {
  const result = await runProbe(v5Plan());
  assert.equal(result.ok, true, inspect(result.diagnosis, { depth: 4 }));
  assert.equal(result.connack?.properties?.maximumQoS, 1);
});

test('a denied iot:Publish is mqtt.publish-refused 0x87 naming the action and topic resource', async () => {
  shared.emulator.setPolicies({ publish: ['allowed/#'] });
  const result = await runProbe(v5Plan({ topic: 'denied/probe' }));
  const seen = failure(result);
  assert.equal(seen.code, 'mqtt.publish-refused', seen.evidence);
  assert.equal(result.failedPhase, 'puback');
  assert.match(seen.hint ?? '', /iot:Publish on arn:aws:iot:REGION:ACCOUNT:topic\/denied\/probe/);
});

test('a denied iot:Subscribe is mqtt.suback-denied 0x87 naming the topicfilter resource', async () => {
  shared.emulator.setPolicies({ subscribe: ['allowed/#'] });
  const result = await runProbe(v5Plan({ topic: 'denied/probe' }));
  const seen = failure(result);
  assert.equal(seen.code, 'mqtt.suback-denied', seen.evidence);
  assert.match(seen.hint ?? '', /iot:Subscribe on arn:aws:iot:REGION:ACCOUNT:topicfilter\/denied\/probe/);
});

test('a denied iot:Connect is mqtt.connack-refused 0x87 naming iot:Connect', async () => {
  shared.emulator.setPolicies({ connect: ['only-this-thing'] });
  const result = await runProbe(v5Plan());
  const seen = failure(result);
  assert.equal(seen.code, 'mqtt.connack-refused', seen.evidence);
  assert.match(seen.hint ?? '', /iot:Connect on arn:aws:iot:REGION:ACCOUNT:client\//);
});

test('an MQTT 3.1.1 refusal code 5 gets the same iot:Connect fix as MQTT 5 0x87', async () => {
  shared.emulator.setFaults({ connackRefusal: 5 });
  const result = await runProbe(v5Plan({ mqtt: { version: 4 } }));
  const seen = failure(result);
  assert.equal(seen.code, 'mqtt.connack-refused', seen.evidence);
  assert.match(seen.hint ?? '', /iot:Connect/);
});

test('a topic with 8 slashes is refused in the SUBACK as an invalid filter, with AWS limit in the fix', async () => {
  const result = await runProbe(v5Plan({ topic: 'a/b/c/d/e/f/g/h/i' }));
  const seen = failure(result);
  assert.equal(seen.code, 'mqtt.suback-denied', seen.evidence);
  assert.match(seen.hint ?? '', /7 slashes/);
});

const fixes: Array<{ name: string; code: number; expect: RegExp }> = [
  {
    name: '0x97 quota exceeded is throttling with the per-connection limits',
    code: 0x97,
    expect: /throttled.*100 publishes\/s/,
  },
  { name: '0x8E session taken over names the client ID', code: 0x8e, expect: /this client ID/ },
  { name: '0x95 packet too large gives the 128 KB limit', code: 0x95, expect: /128 KB/ },
  { name: '0x9B QoS not supported says AWS takes QoS 0 and 1', code: 0x9b, expect: /QoS 0 and 1/ },
  {
    name: '0x8D keep alive timeout names the keepalive and AWS clamp',
    code: 0x8d,
    expect: /keepalive.*30–1200 s/,
  },
  { name: '0x87 during hold names iot:Receive', code: 0x87, expect: /iot:Receive/ },
];
for (const c of fixes) {
  test(`server DISCONNECT ${c.name}`, () => {
    assert.match(reasonCodeFix(c.code, { packet: 'disconnect', phase: 'hold' }) ?? '', c.expect);
  });
}
