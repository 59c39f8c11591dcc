import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { stripVTControlCharacters } from 'node:util';
import { FASTEST_MARK, renderCompare, SLOWEST_MARK, shouldCompare } from '../../src/report/compare-table.js';
import { colorStyle, plainStyle } from '../../src/report/style.js';
import type { RunReport } from '../../src/run/result.js';
import { capturedReport, hostileReport, widestLine } from './captured-reports.js';

const demo = capturedReport('demo');
const plain = renderCompare(demo, { style: plainStyle });
const lines = plain.split('\n');
const row = (label: string, text = plain) => text.split('\n').find((l) => l.startsWith(`${label} `))!;

describe('the side-by-side view', () => {
  test('fits 100 columns, also with many variants and hostile names', () => {
    assert.ok(widestLine(plain) <= 100, `a line is ${widestLine(plain)} wide`);
    const many = capturedReport('demo');
    many.scenarios = [
      ...many.scenarios,
      ...structuredClone(many.scenarios),
      ...structuredClone(many.scenarios),
    ];
    many.scenarios.forEach((o, i) => {
      o.plan.id = `${o.plan.id} copy ${i}`;
    });
    const wide = renderCompare(many, { style: plainStyle });
    assert.ok(widestLine(wide) <= 100, `a line is ${widestLine(wide)} wide`);
    assert.ok(widestLine(renderCompare(hostileReport())) <= 100);
    for (const width of [60, 80, 140]) {
      const text = renderCompare(many, { width });
      assert.ok(widestLine(text) <= width, `${widestLine(text)} > ${width}`);
    }
  });

  test('wraps into several column groups when the variants do not fit side by side', () => {
    const many = capturedReport('demo');
    many.scenarios = [...many.scenarios, ...structuredClone(many.scenarios)];
    const text = renderCompare(many, { style: plainStyle });
    const results = text.split('\n').filter((l) => l.startsWith('result '));
    assert.equal(results.length, 2, 'two groups, each with its own verdict row');
    assert.equal(
      results.reduce((n, l) => n + (l.match(/✔|✖/g)?.length ?? 0), 0),
      12,
      'every variant appears once',
    );
  });

  test('has no escape codes without colour, and colour changes only the escape codes', () => {
    assert.doesNotMatch(plain, /\u001b/);
    const coloured = renderCompare(demo, { style: colorStyle });
    assert.match(coloured, /\u001b\[/);
    assert.equal(stripVTControlCharacters(coloured), plain);
    const hostile = renderCompare(hostileReport(), { style: plainStyle });
    assert.doesNotMatch(
      hostile,
      /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/,
      'no control character from a name',
    );
    assert.match(hostile, /\\x1b\[2J/, 'the escape is shown, not executed');
  });

  test('puts one column per variant under its name, with the verdict row first', () => {
    const header = lines.slice(
      0,
      lines.findIndex((l) => l.startsWith('result ')),
    );
    const names = header.join(' ');
    for (const id of ['port 8883', 'port 443 no', 'qos [qos=0]', 'qos [qos=1]'])
      assert.ok(names.includes(id), id);
    assert.match(row('result'), /^result\s+✔ pass\s+✔ pass\s+✔ expected\s+✔ pass\s+✔ pass\s+✔ expected$/);
    const order = lines.map((l) => l.split(' ')[0]);
    assert.ok(order.indexOf('result') < order.indexOf('dns'));
    assert.ok(order.indexOf('receive') < order.indexOf('total'));
  });

  test('shows only the settings that differ, each in its variant’s column', () => {
    assert.match(row('port'), /^port\s+8883 mqtts\s+443 mqtts\s+443 mqtts\s+8883 mqtts/);
    assert.match(row('alpn'), /none\s+x-amzn-mqtt-ca\s+none/);
    assert.match(row('qos'), /^qos\s+1\s+1\s+1\s+0\s+1\s+2$/);
  });

  test('marks exactly one fastest and one slowest cell in a row with distinct figures', () => {
    const report = structuredClone(demo);
    const durations = [5, 1, 9, 3, 7, 4];
    report.scenarios.forEach((o, i) => {
      o.representative.phases.tcp = { startMs: 1, durationMs: durations[i]! };
    });
    const tcp = row('tcp', renderCompare(report, { style: plainStyle }));
    assert.equal(tcp.split(FASTEST_MARK).length - 1, 1, tcp);
    assert.equal(tcp.split(SLOWEST_MARK).length - 1, 1, tcp);
    assert.match(tcp, new RegExp(`1\\.0ms ${FASTEST_MARK}`));
    assert.match(tcp, new RegExp(`9\\.0ms ${SLOWEST_MARK}`));
    const coloured = row('tcp', stripVTControlCharacters(renderCompare(report, { style: colorStyle })));
    assert.equal(coloured, tcp, 'the marker survives without colour');
  });

  test('marks nothing in a row where every variant shows the same figure', () => {
    const report = structuredClone(demo);
    for (const o of report.scenarios) o.representative.phases.dns = { startMs: 0, durationMs: 2 };
    const dns = row('dns', renderCompare(report, { style: plainStyle }));
    assert.doesNotMatch(dns, /[▲▼]/);
  });

  test('a failed phase shows ✖ and the time it waited, and never counts as fastest', () => {
    const connack = row('connack');
    assert.match(connack, /✖ \d/);
    const report = structuredClone(demo);
    const failing = report.scenarios.find((o) => o.plan.id === 'port 443 no ALPN')!;
    failing.representative.phases.connack!.durationMs = 0.001;
    const text = row('connack', renderCompare(report));
    assert.match(text, /✖ 0\.0ms/);
    assert.doesNotMatch(text, /0\.0ms ▼/);
  });

  test('with repeats, cells show p50/p95 of the warm probes', () => {
    const report = capturedReport('repeat');
    const text = renderCompare(report, { style: plainStyle });
    const o = report.scenarios[0]!;
    const fmt = (ms: number) => (ms < 10 ? `${ms.toFixed(1)}ms` : `${Math.round(ms)}ms`);
    assert.ok(
      row('tls', text).includes(`${fmt(o.stats!.tls!.p50Ms)}/${fmt(o.stats!.tls!.p95Ms)}`),
      row('tls', text),
    );
    assert.match(text, /p50\/p95 of the warm probes/);
    assert.match(row('result', text), /✔ pass\s+✔ pass\s+✖ FAIL/);
    assert.match(row('passed', text), /5 of 5\s+5 of 5\s+0 of 5/, 'the row says what the counts count');
  });

  test('under the grid: each failure with its fix and line, expected failures, and warnings', () => {
    const text = renderCompare(capturedReport('repeat'), { style: plainStyle });
    assert.match(
      text,
      /ports \[port=\d+, alpn=none\]\n {2}0 of 5 probes passed\n {2}mqtt\.http-response: CONNECT was answered/,
    );
    assert.match(text, /fix: offer ALPN x-amzn-mqtt-ca/);
    assert.match(text, /at scenarios\/repeat\.yaml:\d+:\d+/);
    assert.match(text, /⚠ mqtt\.client-id-like-thing-name: the fixed client ID "kitchen-sensor-42"/);
    assert.match(plain, /port 443 no ALPN\n {2}as expected: mqtt\.http-response/);
    assert.match(plain.trimEnd().split('\n').at(-1)!, /^6 scenarios: 6 met/);
  });
});

describe('whether to compare', () => {
  const variantsOf = (report: RunReport, change: (r: RunReport) => void) => {
    const copy = structuredClone(report);
    change(copy);
    return shouldCompare(copy);
  };

  test('the demo’s port and QoS variants are compared', () => {
    assert.equal(shouldCompare(demo), true);
    assert.equal(shouldCompare(capturedReport('repeat')), true);
  });

  test('a mixed run (one scenario skips verification) is not', () => {
    assert.equal(shouldCompare(capturedReport('mixed')), false);
  });

  test('one scenario alone is not', () => {
    assert.equal(
      variantsOf(demo, (r) => {
        r.scenarios = r.scenarios.slice(0, 1);
      }),
      false,
    );
  });

  test('scenarios against different endpoints or with different auth are not', () => {
    assert.equal(
      variantsOf(demo, (r) => {
        r.scenarios[1]!.plan.endpoint = 'broker.example.com';
      }),
      false,
    );
    assert.equal(
      variantsOf(demo, (r) => {
        r.scenarios[1]!.plan.authType = 'password';
      }),
      false,
    );
  });

  test('identical scenarios (nothing to compare) are not; a difference in transport alone is', () => {
    const same = (r: RunReport) => {
      for (const o of r.scenarios)
        Object.assign(o.plan, { port: 8883, alpn: [], qos: 1, transport: 'mqtts' });
    };
    assert.equal(variantsOf(demo, same), false);
    assert.equal(
      variantsOf(demo, (r) => {
        same(r);
        r.scenarios[0]!.plan.transport = 'wss';
      }),
      true,
    );
  });
});
