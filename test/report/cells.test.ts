import assert from 'node:assert/strict';
import { test } from 'node:test';
import { phaseFigure, verdictWords } from '../../src/report/cells.js';
import { renderCompare } from '../../src/report/compare-table.js';
import { formatMs } from '../../src/report/format-ms.js';
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

test('every view says the same verdict in its own words, with the tally of a repeated scenario', () => {
  const expected = byId('aws 443 no alpn');
  assert.deepEqual(verdictWords(expected, 'short'), { met: true, word: 'expected', tally: '' });
  assert.deepEqual(verdictWords(byId('repeated'), 'full'), { met: true, word: 'pass', tally: ' 5/5' });
  assert.match(renderTable(report), /aws 443 no alpn\s+✔ expected/);
  assert.match(renderWaterfall(report), /aws 443 no alpn\s+✔ failed as expected/);
  assert.match(renderMarkdown(report), /aws 443 no alpn.*\| ✅ failed as expected \|/);
  assert.match(renderTable(report), /repeated\s+✔ pass 5\/5/);
  assert.match(renderMarkdown(report), /\| ✅ pass 5\/5 \|/);
  assert.match(renderTable(report), /qos 2\s+✖ FAIL/);
  assert.match(renderMarkdown(report), /\| ❌ \*\*FAIL\*\* \|/);
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
