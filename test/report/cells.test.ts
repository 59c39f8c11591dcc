import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeDiagnosis } from '../../src/probe/diagnosis/diagnosis.js';
import { phaseFigure, probeTally, verdictWords } from '../../src/report/cells.js';
import { renderCompare } from '../../src/report/compare-table.js';
import { formatMs } from '../../src/report/format-ms.js';
import { renderJunit } from '../../src/report/junit.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { renderTable } from '../../src/report/table.js';
import { renderWaterfall } from '../../src/report/waterfall.js';
import { capturedReport } from './captured-reports.js';

const report = capturedReport('mixed');
const byId = (id: string) => report.scenarios.find((o) => o.plan.id === id)!;

test('a failed probe: its failed phase waited, later phases never came, its total is cut short', () => {
  const o = byId('qos 2');
  assert.equal(phaseFigure(o, 'suback').kind, 'failed');
  assert.equal(phaseFigure(o, 'puback').kind, 'not-reached');
  assert.equal(phaseFigure(o, 'tls').kind, 'done');
  assert.equal(phaseFigure(o, 'total').kind, 'cut-short');
  assert.equal(phaseFigure(byId('repeated'), 'total').kind, 'stats');
});

test('every view says the same verdict in its own words', () => {
  const expected = byId('aws 443 no alpn');
  assert.deepEqual(verdictWords(expected, 'short'), { met: true, word: 'expected' });
  assert.deepEqual(verdictWords(byId('repeated'), 'full'), { met: true, word: 'pass' });
  assert.match(renderTable(report), /aws 443 no alpn\s+✔ expected/);
  assert.match(renderWaterfall(report), /aws 443 no alpn\s+✔ failed as expected/);
  assert.match(renderMarkdown(report), /aws 443 no alpn.*\| ✅ failed as expected \|/);
  assert.match(renderTable(report), /qos 2\s+✖ FAIL/);
  assert.match(renderMarkdown(report), /\| ❌ \*\*FAIL\*\* \|/);
});

test('a repeated scenario’s count says what it counts, in every view alike', () => {
  const repeated = byId('repeated');
  assert.equal(probeTally(repeated), '5 of 5 probes passed');
  assert.equal(probeTally(byId('aws 8883')), undefined, 'one probe: the verdict says it all');
  assert.match(renderTable(report), /repeated\s+✔ pass\s[^\n]*\n(.*\n)*? {2}5 of 5 probes passed\n/);
  assert.match(renderWaterfall(report), /\n {2}5 of 5 probes passed\n/);
  assert.match(renderMarkdown(report), /\| ✅ pass<br><sub>5 of 5 probes passed<\/sub> \|/);
  assert.match(renderJunit(report), /repeated: pass; 5 of 5 probes passed \(/);
  for (const text of [renderTable(report), renderWaterfall(report), renderMarkdown(report)])
    assert.doesNotMatch(text, /\b\d+\/\d+\b/, 'no bare n/m count');

  // Twenty probes that failed the way they were meant to: a count, not "expected 0/20".
  const blocked = structuredClone(byId('aws 443 no alpn'));
  blocked.probes = Array.from({ length: 20 }, () => structuredClone(blocked.representative));
  assert.equal(probeTally(blocked), '20 of 20 probes failed as expected');

  // Five probes that got through but too slowly: how many were over, and which threshold.
  const slow = structuredClone(repeated);
  const connacks = slow.probes.map((p) => p.phases.connack!.durationMs).sort((a, b) => a - b);
  const limitMs = Math.floor(connacks[1]!) - 0.5;
  slow.plan.thresholdsMs = { connack: limitMs };
  slow.verdict = 'fail';
  slow.met = false;
  slow.diagnosis = makeDiagnosis('threshold.connack', { phase: 'connack', limitMs, actualMs: 1 });
  const over = slow.probes.filter((p) => p.phases.connack!.durationMs > limitMs).length;
  assert.equal(probeTally(slow), `${over} of 5 probes over the connack threshold (${limitMs} ms)`);
  const run = { ...report, scenarios: [slow] };
  assert.match(renderTable(run), new RegExp(`${over} of 5 probes over the connack threshold`));
  assert.match(renderCompare(run), new RegExp(`${over} of 5 probes over the connack threshold`));
  assert.match(renderJunit(run), new RegExp(`${over} of 5 probes over the connack threshold`));
});

test('the table, the comparison and Markdown show one figure for a phase', () => {
  const f = phaseFigure(byId('repeated'), 'tls');
  assert.equal(f.kind, 'stats');
  if (f.kind !== 'stats') return;
  const p50 = formatMs(f.p50Ms);
  assert.match(renderMarkdown(report), new RegExp(`${p50} / ${formatMs(f.p95Ms)}`));
  assert.ok(renderTable(report).includes(p50));
  assert.ok(renderCompare(report).includes(p50));
});
