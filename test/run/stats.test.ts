// Statistics over repeated probes: nearest-rank percentiles, and which probes count for which phase.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { makeDiagnosis } from '../../src/probe/diagnosis/diagnosis.js';
import type { ProbeResult } from '../../src/probe/result.js';
import { percentile, phaseStats, summarise } from '../../src/run/stats.js';

describe('percentile (nearest rank)', () => {
  const cases: Array<{ values: number[]; p: number; want: number }> = [
    { values: [1, 2, 3, 4], p: 50, want: 2 },
    { values: [1, 2, 3, 4], p: 95, want: 4 },
    { values: [7], p: 50, want: 7 },
    { values: [7], p: 95, want: 7 },
    { values: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], p: 50, want: 5 },
    { values: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], p: 95, want: 10 },
    { values: Array.from({ length: 20 }, (_, i) => i + 1), p: 95, want: 19 },
    { values: [1, 2, 3], p: 0, want: 1 },
    { values: [1, 2, 3], p: 100, want: 3 },
  ];
  for (const c of cases) {
    test(`p${c.p} of [${c.values.length > 5 ? `1..${c.values.length}` : c.values.join(',')}] is ${c.want}, a value that was measured`, () =>
      assert.equal(percentile(c.values, c.p), c.want));
  }
  test('no values is an error, not a made-up number', () =>
    assert.throws(() => percentile([], 50), RangeError));
});

describe('summarise', () => {
  test('sorts before ranking and reports min, p50, p95, max and n', () =>
    assert.deepEqual(summarise([30, 10, 20]), { n: 3, minMs: 10, p50Ms: 20, p95Ms: 30, maxMs: 30 }));
  test('no values gives no statistics', () => assert.equal(summarise([]), undefined));
});

function probe(tcpMs: number, tls: number | 'failed' | 'absent'): ProbeResult {
  const failed = tls === 'failed';
  return {
    planId: 'p',
    clientId: 'c',
    topic: 't',
    ok: tls !== 'failed',
    startedAt: new Date(0).toISOString(),
    phases: {
      tcp: { startMs: 0, durationMs: tcpMs },
      ...(tls === 'absent' ? {} : { tls: { startMs: tcpMs, durationMs: failed ? 5000 : tls } }),
    },
    totalMs: tcpMs + (typeof tls === 'number' ? tls : failed ? 5000 : 0),
    endpoint: 'h',
    port: 8883,
    qos: 1,
    warnings: [],
    ...(failed
      ? {
          failedPhase: 'tls' as const,
          diagnosis: makeDiagnosis('tls.timeout', { waitedMs: 5000 }),
        }
      : {}),
  };
}

describe('phaseStats', () => {
  test('a phase that failed does not count its waiting time, but earlier phases of that probe count', () => {
    const stats = phaseStats([probe(1, 10), probe(2, 'failed'), probe(3, 30)]);
    assert.deepEqual(stats.tcp, { n: 3, minMs: 1, p50Ms: 2, p95Ms: 3, maxMs: 3 });
    assert.deepEqual(stats.tls, { n: 2, minMs: 10, p50Ms: 10, p95Ms: 30, maxMs: 30 });
  });
  test('the total counts only probes that passed', () => {
    const stats = phaseStats([probe(1, 10), probe(2, 'failed')]);
    assert.deepEqual(stats.total, { n: 1, minMs: 11, p50Ms: 11, p95Ms: 11, maxMs: 11 });
  });
  test('a phase no probe reached has no statistics', () => {
    const stats = phaseStats([probe(1, 'absent'), probe(2, 'absent')]);
    assert.equal(stats.tls, undefined);
    assert.equal(stats.connack, undefined);
    assert.equal(stats.tcp?.n, 2);
  });
});
