import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderJson } from '../../src/report/json-report.js';
import { type JsonReport, reportSchema } from '../../src/report/report-schema.js';
import { type CapturedRun, capturedReport, hostileReport } from './captured-reports.js';

test('the zod schema the report types come from accepts every captured run as rendered', () => {
  for (const name of ['mixed', 'demo', 'repeat'] as CapturedRun[]) {
    const result = reportSchema.safeParse(JSON.parse(renderJson(capturedReport(name))));
    assert.ok(result.success, `${name}: ${result.error?.message}`);
  }
  assert.ok(reportSchema.safeParse(JSON.parse(renderJson(hostileReport()))).success);
});

test('and refuses what the JSON Schema refuses: an unknown field, an unknown code', () => {
  const doc = JSON.parse(renderJson(capturedReport('mixed'))) as JsonReport;
  assert.equal(reportSchema.safeParse({ ...doc, extra: 1 }).success, false);
  const bad = structuredClone(doc);
  bad.scenarios.find((s) => s.diagnosis)!.diagnosis!.code = 'tls.made-up' as never;
  assert.equal(reportSchema.safeParse(bad).success, false);
});

test('a diagnosis carries the evidence of its code, field for field', () => {
  const report = capturedReport('mixed');
  const doc = JSON.parse(renderJson(report)) as JsonReport;
  const d = doc.scenarios.find((s) => s.id === 'qos 2')!.diagnosis!;
  assert.equal(d.code, 'mqtt.suback-timeout');
  // Narrowing on the code reaches the typed evidence: this line does not compile if the evidence is untyped.
  if (d.code === 'mqtt.suback-timeout') assert.equal(d.evidence.requestedQos, 2);
  assert.deepEqual(d.evidence, report.scenarios.find((s) => s.plan.id === 'qos 2')!.diagnosis!.evidence);
});
