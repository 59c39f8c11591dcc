// Latency accuracy: with every packet held D ms each way, mqttprobe reports about 2D per round trip in each phase.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import { systemTest } from '../helpers/system.js';
import { type AccuracyRow, accuracyToleranceMs, measureLatencyAccuracy } from './helpers/latency-accuracy.js';

const DELAY_MS = 25;

const needs = { root: true, commands: ['ip', 'iptables', 'python3', 'mosquitto'] };

function assertWithinTolerance(t: { diagnostic: (message: string) => void }, rows: AccuracyRow[]): void {
  const table = rows
    .map(
      (r) =>
        `${r.scenario} ${r.phase}: expected ${r.expectedMs} ms, p50 ${r.p50Ms.toFixed(1)} ms (n=${r.n})` +
        (r.columnP50Ms ? `, per column ${r.columnP50Ms.map((c) => c.toFixed(1)).join(' ')}` : ''),
    )
    .join('\n');
  t.diagnostic(table);
  for (const row of rows) {
    const tolerance = accuracyToleranceMs(row.expectedMs);
    assert.ok(
      Math.abs(row.p50Ms - row.expectedMs) <= tolerance,
      `${row.scenario} ${row.phase}: p50 ${row.p50Ms} ms is not within ${tolerance} ms of ${row.expectedMs} ms\n${table}`,
    );
  }
}

describe('latency accuracy through NFQUEUE-delayed packets', () => {
  systemTest(
    `with D = ${DELAY_MS} ms: TCP, TLS 1.3, CONNACK, SUBACK and PUBACK ≈ 2D; TLS 1.2 ≈ 4D (p50 of warm probes)`,
    needs,
    async (t) => {
      assertWithinTolerance(t, await measureLatencyAccuracy(t, { delayMs: DELAY_MS, repeats: 6 }));
    },
  );

  systemTest(
    'the same at the default concurrency (8), with 8 scenarios side by side: their figures are network time too',
    needs,
    async (t) => {
      assertWithinTolerance(
        t,
        await measureLatencyAccuracy(t, { delayMs: DELAY_MS, repeats: 3, concurrency: 8, copies: 4 }),
      );
    },
  );
});
