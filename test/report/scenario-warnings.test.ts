import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { looksLikeThingName, scenarioWarnings } from '../../src/report/scenario-warnings.js';
import { capturedReport } from './captured-reports.js';

const DAY = 86_400_000;

describe('scenario warnings', () => {
  const cases: Array<{ name: string; clientId: string; expect: boolean }> = [
    { name: 'a generated client ID is not a thing name', clientId: 'mqttprobe-61c7e38185e7', expect: false },
    { name: 'a device-like fixed ID is', clientId: 'kitchen-sensor-42', expect: true },
    { name: 'an ID with AWS thing-name punctuation is', clientId: 'plant:line_3-robot', expect: true },
    { name: 'an ID with characters no thing name has is not', clientId: 'probe/with spaces', expect: false },
    { name: 'an ID over 128 characters is not', clientId: 'x'.repeat(129), expect: false },
  ];
  for (const c of cases) test(c.name, () => assert.equal(looksLikeThingName(c.clientId), c.expect));

  test('a certificate expiring within 30 days warns, one expiring later does not, an expired one says so', () => {
    const o = capturedReport('mixed').scenarios[0]!;
    const validTo = Date.parse(o.representative.tls!.serverCertificate!.validTo);
    const codes = (now: number) => scenarioWarnings(o, new Date(now)).map((w) => w.code);
    assert.deepEqual(codes(validTo - 31 * DAY), []);
    assert.deepEqual(codes(validTo - 29 * DAY), ['tls.cert-expiring']);
    assert.deepEqual(codes(validTo + 1), ['tls.cert-expired']);
  });

  test('insecure TLS comes first and each code appears once, however many probes carry it', () => {
    const o = capturedReport('mixed').scenarios.find((s) => s.plan.id === 'repeated')!;
    o.plan.insecure = true;
    for (const p of o.probes) p.warnings.push({ code: 'tls.insecure', message: 'from the probe' });
    for (const p of o.probes) p.clientId = 'kitchen-sensor-42';
    const warnings = scenarioWarnings(o, new Date(0));
    assert.deepEqual(
      warnings.map((w) => w.code),
      ['tls.insecure', 'mqtt.client-id-like-thing-name'],
    );
  });
});
