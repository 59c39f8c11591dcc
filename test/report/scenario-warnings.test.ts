import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { renderCompare } from '../../src/report/compare-table.js';
import { renderHtml } from '../../src/report/html/page.js';
import { renderJunit } from '../../src/report/junit.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { looksLikeThingName, runWarnings, scenarioWarnings } from '../../src/report/scenario-warnings.js';
import { renderTable } from '../../src/report/table.js';
import { renderWaterfall } from '../../src/report/waterfall.js';
import type { RunReport } from '../../src/run/result.js';
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

  describe('a certificate that many scenarios reach is warned about once, not once per scenario', () => {
    // The demo run: six scenarios on one emulator certificate; the last is given a second certificate of its own.
    const report = capturedReport('demo');
    const last = report.scenarios.at(-1)!;
    const second = {
      ...last.representative.tls!.serverCertificate!,
      fingerprint256: 'AA:BB',
      subject: 'CN=other',
    };
    last.representative.tls!.serverCertificate = second;
    const validTo = Date.parse(report.scenarios[0]!.representative.tls!.serverCertificate!.validTo);
    const now = new Date(validTo - 5 * DAY);

    test('the first scenario the certificate served carries the warning, saying how many it served', () => {
      const warned = report.scenarios.map((o) =>
        scenarioWarnings(o, now, report.scenarios)
          .filter((w) => w.code === 'tls.cert-expiring')
          .map((w) => w.message),
      );
      assert.deepEqual(warned, [
        [
          `the server certificate ${report.scenarios[0]!.representative.tls!.serverCertificate!.subject} expires on ${new Date(validTo).toISOString().slice(0, 10)}, in 5 days (served to 5 scenarios)`,
        ],
        [],
        [],
        [],
        [],
        [`the server certificate CN=other expires on ${second.validTo.slice(0, 10)}, in 5 days`],
      ]);
    });

    const views: Array<[string, (r: RunReport) => string]> = [
      ['table', (r) => renderTable(r, { now })],
      ['compare', (r) => renderCompare(r, { now })],
      ['waterfall', (r) => renderWaterfall(r, { now })],
      ['markdown', (r) => renderMarkdown(r, { now })],
      ['junit', (r) => renderJunit(r, { now })],
    ];
    for (const [name, render] of views) {
      test(`${name}: one expiry warning per certificate`, () => {
        const text = render(report);
        assert.equal(text.match(/tls\.cert-expiring/g)?.length, 2, text);
        assert.match(text, /served\s+to 5 scenarios/);
      });
    }

    test('html: one expiry warning per certificate in the warnings list; runWarnings says what scenarioWarnings says', () => {
      const page = renderHtml(report, { now });
      const list = page.slice(
        page.indexOf('id="warnings"'),
        page.indexOf('</section>', page.indexOf('id="warnings"')),
      );
      assert.equal(list.match(/tls\.cert-expiring/g)?.length, 2, list);
      assert.match(list, /served to 5 scenarios/);
      for (const run of [report, capturedReport('mixed'), capturedReport('repeat')]) {
        assert.deepEqual(
          runWarnings(run.scenarios, now),
          run.scenarios.map((o) => scenarioWarnings(o, now, run.scenarios)),
        );
      }
    });

    test('JSON keeps the warning on every scenario: each scenario stays complete as data', () => {
      for (const o of report.scenarios)
        assert.deepEqual(
          scenarioWarnings(o, now).map((w) => w.code),
          ['tls.cert-expiring'],
        );
    });
  });

  test('figures with local load in them warn, naming the phase; a little noise does not', () => {
    const o = capturedReport('mixed').scenarios.find((s) => s.plan.id === 'repeated')!;
    const tls = (p: (typeof o.probes)[number]) => p.phases.tls!;
    for (const p of o.probes) tls(p).localDelayMs = 0.3;
    assert.deepEqual(
      scenarioWarnings(o, new Date(0)).filter((w) => w.code === 'run.local-load'),
      [],
    );
    tls(o.probes[1]!).localDelayMs = Math.max(5, tls(o.probes[1]!).durationMs / 2);
    const warning = scenarioWarnings(o, new Date(0)).find((w) => w.code === 'run.local-load');
    assert.ok(warning, 'a local-load warning');
    assert.match(warning.message, new RegExp(`tls up to [\\d.]+ ms \\(1 of ${o.probes.length} probes\\)`));
    assert.match(warning.message, /--concurrency/);
  });
});
