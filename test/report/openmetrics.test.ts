import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { renderMetrics } from '../../src/report/openmetrics.js';
import { promtoolCheckMetrics } from '../helpers/promtool.js';
import { systemTest } from '../helpers/system.js';

const PROMTOOL = { commands: ['promtool'] };

import { capturedReport, HOSTILE_NAME, hostileReport } from './captured-reports.js';

/** A label value as the exposition escapes it. */
const escaped = (value: string) => value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');

/** The samples of one metric: its labels as text and its value. */
function samples(text: string, name: string): Array<{ labels: string; value: number }> {
  return [...text.matchAll(new RegExp(`^${name}(\\{[^\\n]*\\})? (\\S+)$`, 'gm'))].map((m) => ({
    labels: m[1] ?? '',
    value: Number(m[2]),
  }));
}

describe('the metrics renderer', () => {
  systemTest(
    'promtool accepts the text and the OpenMetrics exposition of every captured run',
    PROMTOOL,
    async () => {
      for (const name of ['mixed', 'demo', 'repeat'] as const) {
        for (const exposition of ['text', 'openmetrics'] as const) {
          const text = await renderMetrics(capturedReport(name), { exposition });
          const { code, output } = await promtoolCheckMetrics(text);
          // promtool's lint notes (e.g. a counter's suffix) are not errors; a parse error exits non-zero.
          assert.equal(code, 0, `${name} ${exposition}: ${output}`);
        }
      }
    },
  );

  systemTest(
    'a scenario name with quotes, newlines and controls stays one label value that promtool parses',
    PROMTOOL,
    async () => {
      const report = hostileReport();
      for (const exposition of ['text', 'openmetrics'] as const) {
        const text = await renderMetrics(report, { exposition });
        const { code, output } = await promtoolCheckMetrics(text);
        assert.equal(code, 0, output);
        const lines = samples(text, 'probe_success');
        assert.equal(
          lines.length,
          report.scenarios.length,
          'one sample per scenario, none split by a newline',
        );
        assert.ok(lines[0]!.labels.includes('\\"q\\"'), 'quotes are escaped');
        assert.ok(lines[0]!.labels.includes('\\n'), 'a newline is escaped');
      }
      assert.ok(!HOSTILE_NAME.includes('\\"'));
    },
  );

  test('each scenario reads probe_success and its verdict; a failure names its code and phase', async () => {
    const report = capturedReport('mixed');
    const text = await renderMetrics(report);
    for (const outcome of report.scenarios) {
      const label = `scenario="${escaped(outcome.plan.id)}"`;
      const success = samples(text, 'probe_success').find((s) => s.labels.includes(label));
      assert.equal(success?.value, outcome.passed === outcome.probes.length ? 1 : 0, outcome.plan.id);
      const met = samples(text, 'probe_mqtt_expectation_met').find((s) => s.labels.includes(label));
      assert.equal(met?.value, outcome.met ? 1 : 0);
      const failures = samples(text, 'probe_mqtt_failure_info').filter((s) => s.labels.includes(label));
      if (outcome.diagnosis) {
        assert.equal(failures.length, 1);
        assert.ok(failures[0]!.labels.includes(`code="${outcome.diagnosis.code}"`), failures[0]!.labels);
      } else assert.equal(failures.length, 0);
    }
  });

  test('every planned phase has a series, one never reached reads 0', async () => {
    const report = capturedReport('mixed');
    const failing = report.scenarios.find((o) => o.representative.failedPhase === 'tls');
    assert.ok(failing, 'the mixed run has a scenario failing in tls');
    const text = await renderMetrics({ ...report, scenarios: [failing] }, { scenarioLabel: false });
    const phases = samples(text, 'probe_mqtt_phase_duration_seconds');
    const connack = phases.find((s) => s.labels === '{phase="connack"}');
    assert.equal(connack?.value, 0);
    assert.ok(phases.some((s) => s.labels === '{phase="dns"}'));
    assert.ok(!text.includes('scenario='), 'no scenario label when asked for none');
    // No certificate seen: no series at all, never a 0 that reads as expired in 1970.
    assert.equal(failing.representative.tls, undefined);
    assert.doesNotMatch(text, /^probe_ssl_earliest_cert_expiry/m);
    assert.doesNotMatch(text, /^probe_tls_version_info/m);
  });

  test('repeat gives min, p50, p95 and max per phase, in seconds, as the reports compute them', async () => {
    const report = capturedReport('repeat');
    const outcome = report.scenarios.find((o) => o.stats?.connack)!;
    const text = await renderMetrics({ ...report, scenarios: [outcome] }, { scenarioLabel: false });
    const p95 = samples(text, 'probe_mqtt_phase_stats_seconds').find(
      (s) => s.labels === '{phase="connack",stat="p95"}',
    );
    // In seconds to the microsecond, the figures' own precision.
    assert.ok(Math.abs(p95!.value - outcome.stats!.connack!.p95Ms / 1000) <= 5e-7, String(p95?.value));
    assert.equal(samples(text, 'probe_mqtt_probes')[0]?.value, outcome.probes.length);
  });

  test('TLS facts are named as blackbox_exporter names them', async () => {
    const report = capturedReport('demo');
    const outcome = report.scenarios.find((o) => o.representative.tls?.serverCertificate)!;
    const text = await renderMetrics({ ...report, scenarios: [outcome] }, { scenarioLabel: false });
    assert.match(text, /^probe_tls_version_info\{version="TLS 1\.[23]"\} 1$/m);
    const expiry = samples(text, 'probe_ssl_earliest_cert_expiry')[0]!.value;
    assert.equal(expiry, Date.parse(outcome.representative.tls!.serverCertificate!.validTo) / 1000);
  });

  test("the earliest expiry is the chain's when an intermediate expires before the leaf", async () => {
    const report = capturedReport('demo');
    const outcome = report.scenarios.find((o) => o.representative.tls?.serverCertificate)!;
    const tls = outcome.representative.tls!;
    const leaf = tls.serverCertificate!;
    const intermediate = { ...leaf, subject: 'CN=Intermediate', validTo: '2027-01-02T03:04:05.000Z' };
    assert.ok(Date.parse(intermediate.validTo) < Date.parse(leaf.validTo), 'the fixture leaf outlives 2027');
    const chained = {
      ...outcome,
      representative: { ...outcome.representative, tls: { ...tls, chain: [intermediate] } },
    };
    const text = await renderMetrics({ ...report, scenarios: [chained] }, { scenarioLabel: false });
    assert.equal(
      samples(text, 'probe_ssl_earliest_cert_expiry')[0]!.value,
      Date.parse(intermediate.validTo) / 1000,
    );
  });

  test('durations read in seconds to the microsecond, without float noise', async () => {
    const text = await renderMetrics(capturedReport('mixed'), { exposition: 'text' });
    const values = [...text.matchAll(/^probe_(?:mqtt_phase_duration|duration)_seconds\S* (\S+)$/gm)].map(
      (m) => m[1]!,
    );
    assert.ok(values.length > 10);
    for (const value of values) assert.match(value, /^\d+(\.\d{1,6})?$/);
  });
});
