import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { stripVTControlCharacters } from 'node:util';
import { colorStyle, plainStyle } from '../../src/report/style.js';
import { renderTable } from '../../src/report/table.js';
import type { RunReport } from '../../src/run/result.js';

// A real run against the emulator, captured by scripts/capture-report.ts.
const report = JSON.parse(
  readFileSync(new URL('../fixtures/reports/mixed-run.json', import.meta.url), 'utf8'),
) as RunReport;
const plain = renderTable(report, { style: plainStyle });
const lines = plain.trimEnd().split('\n');
const blockOf = (id: string) => {
  const start = lines.findIndex((l) => l.startsWith(id));
  const end = lines.findIndex((l, i) => i > start && /^\S/.test(l));
  return lines.slice(start, end).join('\n');
};

describe('the run table', () => {
  test('fits in 100 columns', () => {
    const widest = Math.max(...lines.map((l) => [...l].length));
    assert.ok(widest <= 100, `a line is ${widest} columns wide`);
  });

  test('has no escape codes without colour, and colour changes only the escape codes', () => {
    assert.doesNotMatch(plain, /\u001b\[/);
    const coloured = renderTable(report, { style: colorStyle });
    assert.match(coloured, /\u001b\[/);
    assert.equal(stripVTControlCharacters(coloured), plain);
  });

  test('shows one row per scenario with its verdict', () => {
    assert.match(
      lines[0]!,
      /^scenario\s+result\s+dns\s+tcp\s+tls\s+connack\s+suback\s+puback\s+receive\s+total$/,
    );
    assert.match(blockOf('aws 8883'), /^aws 8883\s+✔ pass\s/);
    assert.match(blockOf('aws 443 no alpn'), /✔ expected/);
    assert.match(blockOf('qos 2'), /✖ FAIL/);
    assert.match(blockOf('repeated'), /^repeated\s+✔ pass\s/);
  });

  test('shows ALPN offered and negotiated on the line under the name', () => {
    assert.match(blockOf('aws 443 alpn'), /alpn x-amzn-mqtt-ca → x-amzn-mqtt-ca · qos 1 · mqtt 3\.1\.1/);
    assert.match(blockOf('h2 only'), /alpn h2 · qos 1/);
  });

  test('a failure shows its code, message, fix and the line to edit', () => {
    const block = blockOf('qos 2');
    assert.match(block, /mqtt\.suback-timeout: no SUBACK within 1000 ms/);
    assert.match(block, /fix: AWS IoT does not support QoS 2/);
    assert.match(block, /at scenarios\/mixed\.yaml:\d+:\d+/);
    assert.match(block, /✖999ms|✖1\.00s/, 'the failed phase is marked with the time it waited');
  });

  test('an expected failure says so and a missed expectation says what was expected', () => {
    assert.match(
      blockOf('aws 443 no alpn'),
      /as expected: mqtt\.http-response: CONNECT was answered with "HTTP\/1\.1 400 Bad Request"/,
    );
    assert.match(blockOf('must be blocked'), /✖ expected `tcp\.timeout`, but the probe got through/);
  });

  test('repeated scenarios show p50 above p95', () => {
    const [first, second] = blockOf('repeated').split('\n');
    const o = report.scenarios.find((s) => s.plan.id === 'repeated')!;
    const fmt = (ms: number) => (ms < 10 ? `${ms.toFixed(1)}ms` : `${Math.round(ms)}ms`);
    assert.ok(first!.includes(fmt(o.stats!.tls!.p50Ms)));
    assert.ok(second!.includes(fmt(o.stats!.tls!.p95Ms)));
  });

  test('an insecure scenario carries a loud warning', () => {
    assert.match(blockOf('insecure'), /⚠ tls\.insecure: the server certificate was NOT verified/);
  });

  test('the summary counts met and missed scenarios', () => {
    assert.match(lines.at(-1)!, /^8 scenarios: 5 met, 3 missed \(/);
  });
});

test('names cannot drive the terminal, and a fixed client ID that looks like a thing name is flagged', () => {
  const repeat = JSON.parse(
    readFileSync(new URL('../fixtures/reports/repeat-run.json', import.meta.url), 'utf8'),
  ) as RunReport;
  const hostile = structuredClone(repeat);
  hostile.scenarios[0]!.plan.id = 'evil\u001b[2J name';
  const out = renderTable(hostile, { style: plainStyle });
  assert.doesNotMatch(out, /\u001b/);
  assert.match(out, /evil\\x1b\[2J name/);
  assert.match(renderTable(repeat, { style: plainStyle }), /⚠ mqtt\.client-id-like-thing-name: /);
});
