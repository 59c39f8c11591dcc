// A dual-stack probe whose IPv6 connect failed while IPv4 worked: every view and format says so, with the
// family, the address, what happened and what a device that does not fall back would see.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { familyFailedWarning } from '../../src/probe/diagnosis/family-attempts.js';
import type { FamilyAttempt } from '../../src/probe/result.js';
import { OUTPUTS, type OutputName } from '../../src/report/outputs.js';
import { renderReport } from '../../src/report/report-formats.js';
import { reportSchema } from '../../src/report/report-schema.js';
import { capturedReport } from './captured-reports.js';

const attempts: FamilyAttempt[] = [
  { family: 6, address: 'fd16::1', outcome: 'timeout', afterMs: 2000.2, used: false },
  { family: 4, address: '10.213.9.1', outcome: 'connected', afterMs: 0.41, used: true },
];

/** The mixed run with its first passing scenario's probes raced over both families, IPv6 dropped. */
function dualStackReport() {
  const report = capturedReport('mixed');
  const scenario = report.scenarios.find((o) => o.verdict === 'pass');
  assert.ok(scenario, 'the mixed run has a passing scenario');
  const warning = familyFailedWarning(attempts, { port: 8883 });
  assert.ok(warning);
  for (const probe of [...scenario.probes, scenario.representative]) {
    probe.familyAttempts = attempts;
    probe.resolvedAddresses = ['fd16::1', '10.213.9.1'];
    probe.address = '10.213.9.1';
    probe.family = 4;
    probe.warnings = [warning, ...probe.warnings];
  }
  return { report, id: scenario.plan.id };
}

const oneLine = (text: string) => text.replace(/\\/g, '').replace(/\s+/g, ' ');

test('no route for a family is this network lacking it, not a filter: only a device with nothing else fails', () => {
  const noRoute: FamilyAttempt = {
    ...attempts[0]!,
    outcome: 'unreachable',
    afterMs: 0.1,
    errorCode: 'ENETUNREACH',
  };
  assert.equal(
    familyFailedWarning([attempts[1]!, noRoute], { port: 8883 })?.message,
    'IPv6 to [fd16::1]:8883 cannot be reached from this machine (ENETUNREACH), while IPv4 to 10.213.9.1 connected in 0.4 ms and the probe went on over IPv4: this machine has no IPv6 route there, so a device on this network that has only IPv6 fails here (tcp.unreachable); one with IPv4 uses IPv4',
  );
});

test('the warning names the family, address, outcome and what a device that does not fall back sees', () => {
  const warning = familyFailedWarning(attempts, { port: 8883 });
  assert.equal(
    warning?.message,
    "IPv6 to [fd16::1]:8883 got no answer within 2000 ms, while IPv4 to 10.213.9.1 connected in 0.4 ms and the probe went on over IPv4: a device that uses only IPv6, or prefers IPv6 and does not fall back to IPv4, fails here (tcp.timeout); IPv6 comes first in this machine's resolver order, so a client that tries the addresses in turn waits out its own connect timeout before it tries IPv4",
  );
  assert.equal(
    familyFailedWarning([{ ...attempts[0]!, outcome: 'connected', afterMs: 1 }, attempts[1]!], {
      port: 8883,
    }),
    undefined,
  );
});

for (const name of Object.keys(OUTPUTS) as OutputName[]) {
  test(`${name} shows tcp.family-failed with the address`, async () => {
    const { report } = dualStackReport();
    const text = oneLine(await renderReport(name, report, { width: 100 }));
    assert.match(text, /tcp\.family-failed/);
    // Metrics carry the code as a label, never the words (an address in a label would be a series per address).
    if (name === 'openmetrics') return;
    assert.match(text, /IPv6 to \[fd16::1\]:8883 got no answer within 2000 ms/);
    assert.match(text, /does not fall back to IPv4, fails here \(tcp\.timeout\)/);
  });
}

test('the waterfall lists each family and which one the probe used', async () => {
  const { report, id } = dualStackReport();
  const block = (await renderReport('waterfall', report, { width: 140 }))
    .split('\n\n')
    .find((b) => b.startsWith(`${id}  `));
  assert.match(block ?? '', /\n {2}10\.213\.9\.1 \(IPv4, 1 of 2 addresses DNS gave\) · client /);
  assert.match(
    block ?? '',
    /\n {2}families +IPv6 fd16::1 got no answer within 2000 ms · IPv4 10\.213\.9\.1 connected in 0\.4 ms, used\n/,
  );
});

test('the JSON report carries each family’s attempt and validates against its schema', async () => {
  const { report } = dualStackReport();
  const json = JSON.parse(await renderReport('json', report));
  assert.equal(reportSchema.safeParse(json).success, true);
  const probe = json.scenarios
    .flatMap((s: { probes: unknown[] }) => s.probes)
    .find((p: { familyAttempts?: unknown }) => p.familyAttempts);
  assert.deepEqual(probe.familyAttempts, attempts);
  assert.deepEqual(probe.resolvedAddresses, ['fd16::1', '10.213.9.1']);
});
