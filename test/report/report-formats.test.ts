import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { renderCompare } from '../../src/report/compare-table.js';
import { isReportFormat, REPORT_FORMATS, renderReport } from '../../src/report/report-formats.js';
import { renderWaterfall } from '../../src/report/waterfall.js';
import { capturedReport } from './captured-reports.js';

const report = capturedReport('mixed');

describe('report formats', () => {
  test('each format has its own renderer', async () => {
    const outputs = await Promise.all(REPORT_FORMATS.map((format) => renderReport(format, report)));
    assert.match(outputs[0]!, /^scenario\s+result\s+dns/);
    assert.equal(JSON.parse(outputs[1]!).schemaVersion, 1);
    assert.match(outputs[2]!, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<!-- mqttprobe:/);
    assert.match(outputs[3]!, /^## ❌ mqttprobe:/);
    assert.match(outputs[4]!, /^# HELP probe_success /);
    assert.match(outputs[4]!, /# EOF\n$/);
  });

  test('only the five names are formats', () => {
    assert.ok(REPORT_FORMATS.every(isReportFormat));
    assert.equal(isReportFormat('xml'), false);
    assert.equal(isReportFormat('JSON'), false);
  });

  test('the JUnit host name and `now` reach their renderers', async () => {
    assert.match(await renderReport('junit', report, { hostname: 'ci-runner-7' }), /hostname="ci-runner-7"/);
    const validTo = Date.parse(report.scenarios[0]!.representative.tls!.serverCertificate!.validTo);
    const json = await renderReport('json', report, { now: new Date(validTo - 86_400_000) });
    assert.match(json, /"code": "tls\.cert-expiring"/);
  });
});

test('a run interrupted before any scenario finished still renders in every format and view', async () => {
  const empty = capturedReport('mixed');
  empty.scenarios = [];
  empty.interrupted = true;
  empty.notRun = ['a', 'b'];
  empty.summary = { total: 0, met: 0, missed: 0 };
  for (const format of REPORT_FORMATS) assert.ok((await renderReport(format, empty)).length > 0, format);
  assert.match(renderCompare(empty), /^0 scenarios: 0 met/);
  assert.match(renderWaterfall(empty), /^0 scenarios: 0 met/);
  assert.match(
    await renderReport('junit', empty),
    /<testcase name="b" classname="not run \(interrupted\)" time="0"><skipped\/>/,
  );
  assert.match(
    await renderReport('markdown', empty),
    /\*\*Interrupted\*\*: 2 scenarios did not finish: a, b\./,
  );
});

describe('docs/ci.md', () => {
  const doc = readFileSync(new URL('../../docs/ci.md', import.meta.url), 'utf8');

  test('every YAML example parses', () => {
    const blocks = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);
    assert.ok(blocks.length >= 2, 'a GitHub and a GitLab example');
    for (const block of blocks) assert.doesNotThrow(() => parse(block), block.slice(0, 80));
  });

  test('every --format and --report in it names a real format', () => {
    const used = [...doc.matchAll(/--(?:format|report) ([a-z]+)/g)].map((m) => m[1]!);
    assert.ok(used.length >= 5);
    for (const format of used)
      assert.ok(isReportFormat(format), `docs/ci.md uses an unknown format \`${format}\``);
  });

  test('the JUnit mapping it documents is the renderer’s', async () => {
    assert.match(doc, /the type is `expectation\.missed`/);
    assert.match(await renderReport('junit', report), /type="expectation\.missed"/);
  });
});
