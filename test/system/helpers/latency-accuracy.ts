// Measures mqttprobe's phase timings through a known per-packet delay (NFQUEUE in a namespace) against mosquitto.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeBrokerPki } from './broker-pki.js';
import { startDaemon } from './daemon-process.js';
import { startMosquitto } from './mosquitto.js';
import { createNetworkNamespace } from './network-namespace.js';
import { runInNamespace } from './run-in-namespace.js';
import { privateTempDir, type Teardown } from './teardown.js';

const delayScript = new URL('./nfqueue-delay.py', import.meta.url).pathname;

/** What each phase should cost in round trips: every packet is held D ms each way, so one round trip is 2D. */
export const EXPECTED_ROUND_TRIPS = {
  'TLS 1.3': { tcp: 1, tls: 1, connack: 1, suback: 1, puback: 1 },
  'TLS 1.2': { tcp: 1, tls: 2, connack: 1, suback: 1, puback: 1 },
} as const;
export type AccuracyScenario = keyof typeof EXPECTED_ROUND_TRIPS;
export type AccuracyPhase = keyof (typeof EXPECTED_ROUND_TRIPS)['TLS 1.3'];

/** One phase of one scenario: what the delay predicts and what mqttprobe reported over the warm probes. */
export interface AccuracyRow {
  scenario: AccuracyScenario;
  phase: AccuracyPhase;
  expectedMs: number;
  /** Warm probes that reached the phase. */
  n: number;
  p50Ms: number;
  minMs: number;
  maxMs: number;
}

/**
 * Runs `repeats` probes per TLS version from inside a namespace whose veth packets are all held `delayMs` by
 * nfqueue-delay.py (none when `delayMs` is 0: the baseline), one probe at a time so probes never queue behind each other, and returns the p50 per phase.
 * Needs root, `ip`, `iptables`, `python3` and `mosquitto`.
 */
export async function measureLatencyAccuracy(
  teardown: Teardown,
  options: { delayMs: number; repeats: number },
): Promise<AccuracyRow[]> {
  const ns = createNetworkNamespace(teardown);
  const dir = privateTempDir(teardown);
  const pki = await writeBrokerPki(dir, { extraAltNames: [ns.hostAddress] });
  const broker = await startMosquitto(teardown, dir, pki, { host: ns.hostAddress });
  if (options.delayMs > 0) {
    const [ip, ...prefix] = ns.execPrefix;
    await startDaemon(
      teardown,
      ip!,
      [...prefix, 'python3', delayScript, '0', String(options.delayMs)],
      /ready/,
    );
    // --queue-bypass: if the delay script is gone, packets pass instead of being dropped.
    const inside = ns.insideInterface;
    ns.iptables(['-A', 'OUTPUT', '-o', inside, '-j', 'NFQUEUE', '--queue-num', '0', '--queue-bypass']);
    ns.iptables(['-A', 'INPUT', '-i', inside, '-j', 'NFQUEUE', '--queue-num', '0', '--queue-bypass']);
  }

  const file = join(dir, 'accuracy.yaml');
  writeFileSync(
    file,
    `version: 1
defaults:
  endpoint: ${ns.hostAddress}
  port: ${broker.port}
  ca: ca.pem
  auth: { type: x509, cert: client.pem, key: client-key.pem }
  qos: 1
  repeat: ${options.repeats}
  timeout: 5s
scenarios:
  - { name: TLS 1.3, tls: { minVersion: TLSv1.3 } }
  - { name: TLS 1.2, tls: { maxVersion: TLSv1.2 } }
`,
  );
  const { report } = await runInNamespace(ns, file, { concurrency: 1 });
  const rows: AccuracyRow[] = [];
  for (const scenario of Object.keys(EXPECTED_ROUND_TRIPS) as AccuracyScenario[]) {
    const outcome = report.scenarios.find((o) => o.plan.id === scenario);
    if (!outcome) throw new Error(`no outcome for ${scenario}`);
    if (outcome.verdict !== 'pass') {
      throw new Error(`${scenario} did not pass: ${outcome.diagnosis?.code ?? outcome.mismatch ?? ''}`);
    }
    const expected = EXPECTED_ROUND_TRIPS[scenario];
    for (const phase of Object.keys(expected) as AccuracyPhase[]) {
      const stats = outcome.stats?.[phase];
      if (!stats) throw new Error(`${scenario}: no statistics for ${phase}`);
      rows.push({
        scenario,
        phase,
        expectedMs: expected[phase] * 2 * options.delayMs,
        n: stats.n,
        p50Ms: stats.p50Ms,
        minMs: stats.minMs,
        maxMs: stats.maxMs,
      });
    }
  }
  return rows;
}

/** How far a p50 may be from the expectation: 40% or 10 ms, whichever is larger (a loaded 2-core machine). */
export function accuracyToleranceMs(expectedMs: number): number {
  return Math.max(10, 0.4 * expectedMs);
}
