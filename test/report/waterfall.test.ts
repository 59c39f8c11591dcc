import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { stripVTControlCharacters } from 'node:util';
import { colorStyle, plainStyle } from '../../src/report/style.js';
import { BAR_CHAR, FAILED_BAR_CHAR, renderWaterfall } from '../../src/report/waterfall.js';
import type { RunReport } from '../../src/run/result.js';
import { capturedReport, hostileReport, widestLine } from './captured-reports.js';

const mixed = capturedReport('mixed');
const plain = renderWaterfall(mixed, { style: plainStyle });
/** The block of one scenario: from its title line to the blank line after it. */
const blockOf = (id: string, text = plain) => {
  const blocks = text.split('\n\n');
  const block = blocks.find((b) => b.startsWith(`${id}  `));
  assert.ok(block, `no block for ${id}`);
  return block;
};
const phaseLine = (block: string, phase: string) =>
  block.split('\n').find((l) => l.startsWith(`  ${phase} `))!;

/** Column where a bar starts and ends (exclusive), in code points after the figures. */
function barSpan(line: string): { from: number; to: number } {
  const chars = [...line];
  const first = chars.findIndex((c) => c === BAR_CHAR || c === FAILED_BAR_CHAR);
  let last = first;
  while (chars[last] === BAR_CHAR || chars[last] === FAILED_BAR_CHAR) last++;
  return { from: first, to: last };
}

describe('the waterfall', () => {
  test('fits 100 columns, and any width it is given', () => {
    assert.ok(widestLine(plain) <= 100, `a line is ${widestLine(plain)} wide`);
    assert.ok(widestLine(renderWaterfall(hostileReport())) <= 100);
    for (const width of [60, 120]) {
      const text = renderWaterfall(mixed, { width });
      assert.ok(widestLine(text) <= width, `${widestLine(text)} > ${width}`);
    }
  });

  test('has no escape codes without colour, and colour changes only the escape codes', () => {
    assert.doesNotMatch(plain, /\u001b/);
    const coloured = renderWaterfall(mixed, { style: colorStyle });
    assert.match(coloured, /\u001b\[/);
    assert.equal(stripVTControlCharacters(coloured), plain);
    assert.doesNotMatch(renderWaterfall(hostileReport()), /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
  });

  test('one bar per phase, in order, each with its duration and the time at its end', () => {
    const block = blockOf('aws 8883');
    const probe = mixed.scenarios[0]!.representative;
    const names = block
      .split('\n')
      .filter((l) => /^ {2}\w+ +[\d.]+(ms|s)/.test(l))
      .map((l) => l.trim().split(/\s+/)[0]);
    assert.deepEqual(names, ['dns', 'tcp', 'tls', 'connack', 'suback', 'puback', 'receive', 'total']);
    const tls = probe.phases.tls!;
    assert.match(phaseLine(block, 'tls'), /^ {2}tls +8\.2ms +9\.6ms +█+$/);
    assert.equal(tls.durationMs.toFixed(1), '8.2');
    assert.equal((tls.startMs + tls.durationMs).toFixed(1), '9.6');
  });

  test('bars sit on one time axis: each starts where time says, later phases further right', () => {
    const block = blockOf('aws 8883');
    const spans = ['tcp', 'tls', 'connack', 'suback', 'puback'].map((p) => barSpan(phaseLine(block, p)));
    for (let i = 1; i < spans.length; i++) {
      assert.ok(spans[i]!.from >= spans[i - 1]!.to - 1, `phase ${i} starts before the previous one ends`);
    }
    // receive starts when the publish leaves, so it overlaps puback instead of following it.
    assert.equal(barSpan(phaseLine(block, 'receive')).from, barSpan(phaseLine(block, 'puback')).from);
    assert.match(block, /phase +time +at end +0 +44ms/);
  });

  test('a failed phase is drawn differently and marked, later planned phases say they were not reached', () => {
    const block = blockOf('qos 2');
    assert.match(phaseLine(block, 'suback'), new RegExp(`✖ 999ms +1\\.02s +${FAILED_BAR_CHAR}+$`));
    assert.match(phaseLine(block, 'puback'), /·\s+not reached/);
    assert.match(phaseLine(block, 'receive'), /·\s+not reached/);
    assert.doesNotMatch(blockOf('aws 443 no alpn'), /suback/, 'a connect-only scenario plans no suback');
  });

  test('shows what TLS negotiated and the server certificate', () => {
    const block = blockOf('aws 443 alpn');
    assert.match(
      block,
      /tls {6}TLSv1\.3 · TLS_AES_256_GCM_SHA384 · alpn x-amzn-mqtt-ca → x-amzn-mqtt-ca · sni localhost ·\s+verified/,
    );
    assert.match(
      block,
      /server {3}CN=localhost · issuer CN=mqttprobe emulator CA\n\s+expires 2027-11-28 \(in 364 days\)/,
    );
    assert.match(blockOf('h2 only <&> "quoted"'), /tls {6}the handshake did not finish/);
    assert.match(blockOf('insecure'), /NOT verified/);
  });

  test('a certificate expiring within 30 days is a warning; `now` decides', () => {
    const validTo = Date.parse(mixed.scenarios[0]!.representative.tls!.serverCertificate!.validTo);
    const soon = renderWaterfall(mixed, { now: new Date(validTo - 10 * 86_400_000) });
    assert.match(blockOf('aws 8883', soon), /expires 2027-11-28 \(in 10 days\)/);
    assert.match(
      blockOf('aws 8883', soon),
      /⚠ tls\.cert-expiring: the server certificate CN=localhost expires on 2027-11-28, in 10 days/,
    );
    const later = renderWaterfall(mixed, { now: new Date(validTo + 86_400_000) });
    assert.match(blockOf('aws 8883', later), /⚠ tls\.cert-expired/);
    assert.doesNotMatch(plain, /tls\.cert-expir/);
  });

  test('warnings stand out: insecure TLS, a client ID like a thing name', () => {
    assert.match(blockOf('insecure'), /⚠ tls\.insecure: the server certificate was NOT verified/);
    const repeat = renderWaterfall(capturedReport('repeat'), { style: plainStyle });
    assert.match(blockOf('fixed client id', repeat), /⚠ mqtt\.client-id-like-thing-name/);
    const coloured = renderWaterfall(mixed, { style: colorStyle });
    assert.match(coloured, /\u001b\[33m\u001b\[1m⚠ tls\.insecure/);
  });

  test('a repeated scenario shows its representative probe and says which one', () => {
    const report: RunReport = capturedReport('mixed');
    const o = report.scenarios.find((s) => s.plan.id === 'repeated')!;
    const n = o.probes.findIndex((p) => p.clientId === o.representative.clientId) + 1;
    assert.match(
      blockOf('repeated'),
      new RegExp(`client ${o.representative.clientId} · probe ${n} of 5, the median`),
    );
  });

  test('a failure carries its diagnosis, fix and line; an expected one says so', () => {
    assert.match(blockOf('qos 2'), /mqtt\.suback-timeout: no SUBACK within 1000 ms/);
    assert.match(blockOf('qos 2'), /fix: AWS IoT does not support QoS 2/);
    assert.match(blockOf('qos 2'), /at scenarios\/mixed\.yaml:\d+:\d+/);
    assert.match(blockOf('aws 443 no alpn'), /as expected: mqtt\.http-response/);
    assert.match(blockOf('must be blocked'), /✖ expected `tcp\.timeout`, but the probe got through/);
  });
});

test('the run’s cold probe says its times include warm-up, and only that one', () => {
  const demo = capturedReport('demo');
  const text = renderWaterfall(demo, { style: plainStyle });
  const cold = demo.scenarios.filter((o) => o.representative.cold);
  assert.equal(cold.length, 1, 'a run without repeats has exactly one cold probe');
  assert.match(blockOf(cold[0]!.plan.id, text), /cold: the run’s first probe, its times include/);
  assert.equal(text.match(/cold:/g)?.length, 1);
});
