import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { escapeMarkdown, renderMarkdown } from '../../src/report/markdown.js';
import { capturedReport, hostileReport } from './captured-reports.js';

const mixed = capturedReport('mixed');
const md = renderMarkdown(mixed);
const lines = md.split('\n');
const tableRows = lines.filter((l) => l.startsWith('| '));
/** Splits a table row into cells at unescaped pipes, as GitHub does. */
const cells = (row: string) =>
  row
    .slice(2, -2)
    .split(/(?<!\\)\|/)
    .map((c) => c.trim());

describe('the Markdown summary', () => {
  test('starts with a heading that gives the count', () => {
    assert.equal(lines[0], '## ❌ mqttprobe: 5 of 8 scenarios met, 3 missed');
    assert.match(renderMarkdown(capturedReport('demo')), /^## ✅ mqttprobe: 6 of 6 scenarios met\n/);
    assert.match(renderMarkdown(mixed, { headingLevel: 3 }), /^### ❌/);
  });

  test('is a GFM table: header, alignment row, one row per scenario, the same number of cells in each', () => {
    assert.deepEqual(cells(tableRows[0]!), [
      'scenario',
      'result',
      'dns',
      'tcp',
      'tls',
      'connack',
      'suback',
      'puback',
      'receive',
      'total',
    ]);
    assert.match(tableRows[1]!, /^\| :-- \| :-- \|( --: \|){8}$/);
    assert.equal(tableRows.length, 2 + mixed.scenarios.length);
    for (const row of tableRows) assert.equal(cells(row).length, 10, row);
  });

  test('carries the verdict and per-phase latency, with p50 / p95 for repeats', () => {
    const row = (id: string) => cells(tableRows.find((r) => r.startsWith(`| ${id}<br>`))!);
    assert.deepEqual(row('aws 8883').slice(0, 2), [
      'aws 8883<br><sub>127.0.0.1:42093 mqtts · alpn none → none · qos 1 · mqtt 3.1.1</sub>',
      '✅ pass',
    ]);
    assert.equal(row('aws 443 no alpn')[1], '✅ failed as expected');
    assert.equal(row('qos 2')[1], '❌ **FAIL**');
    assert.match(row('qos 2')[6]!, /^❌ 999ms$/);
    assert.match(row('repeated')[4]!, /^[\d.]+ms \/ [\d.]+ms$/);
  });

  test('lists each failure with its code, message, fix and line, and warnings apart', () => {
    assert.match(
      md,
      /### Failures\n\n- \*\*h2 only &lt;\\&&gt; "quoted"\*\*\n {2}- \*\*tls\.alpn-rejected\*\*: the server/,
    );
    assert.match(md, /- fix: AWS IoT does not support QoS 2/);
    assert.match(md, /- at scenarios\/mixed\.yaml:\d+:\d+/);
    assert.match(md, /- expected \\`tcp\.timeout\\`, but the probe got through/);
    assert.match(md, /### Failed as expected\n\n- \*\*aws 443 no alpn\*\*: mqtt\.http-response/);
    assert.match(
      md,
      /### Warnings\n\n- ⚠️ \*\*insecure\*\*: tls\.insecure: the server certificate was NOT verified/,
    );
  });

  test('escapes names so they cannot break the table or add markup', () => {
    assert.equal(escapeMarkdown('a|b'), 'a\\|b');
    assert.equal(
      escapeMarkdown('*x* _y_ `z` [l](u) ~s~ \\'),
      '\\*x\\* \\_y\\_ \\`z\\` \\[l\\](u) \\~s\\~ \\\\',
    );
    assert.equal(
      escapeMarkdown('<img src=x onerror=alert(1)> &amp;'),
      '&lt;img src=x onerror=alert(1)&gt; \\&amp;',
    );
    assert.equal(escapeMarkdown('two\r\nlines\u001b[31m'), 'two  lines\\\\x1b\\[31m');
    const hostile = renderMarkdown(hostileReport());
    const rows = hostile.split('\n').filter((l) => l.startsWith('| '));
    assert.equal(rows.length, 2 + 8, 'a name with a line break still takes one row');
    for (const row of rows) assert.equal(cells(row).length, 10, row);
    assert.doesNotMatch(hostile, /<(?!br>|sub>|\/sub>)[a-z/]/i, 'no HTML tag but our own can open');
    assert.doesNotMatch(hostile, /[\u0000-\u0009\u000b-\u001f]/);
  });
});
