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
  /** With copies side by side: the lowest and highest p50 of one copy, in column order (a trend shows as spread). */
  columnP50Ms?: number[];
}

/** How the probes run: one at a time, or `copies` identical scenarios per TLS version side by side. */
export interface AccuracyRunOptions {
  delayMs: number;
  /** Probes per scenario. */
  repeats: number;
  /** Probes in flight (1: one at a time). */
  concurrency?: number;
  /** Identical scenarios per TLS version (1 by default). */
  copies?: number;
}

/** The nearest-rank median of some samples, in ms. */
function p50(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.ceil(sorted.length / 2) - 1] ?? Number.NaN;
}

/**
 * Runs `repeats` probes per scenario from inside a namespace whose veth packets are all held `delayMs` by
 * nfqueue-delay.py (none when `delayMs` is 0: the baseline), `copies` identical scenarios per TLS version at
 * `concurrency`, and returns the p50 per phase over the warm probes.
 * Needs root, `ip`, `iptables`, `python3` and `mosquitto`.
 */
export async function measureLatencyAccuracy(
  teardown: Teardown,
  options: AccuracyRunOptions,
): Promise<AccuracyRow[]> {
  const copies = options.copies ?? 1;
  const concurrency = options.concurrency ?? 1;
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
  const names = (scenario: AccuracyScenario) =>
    copies === 1 ? [scenario] : Array.from({ length: copies }, (_, i) => `${scenario} #${i + 1}`);
  const tlsKeys: Record<AccuracyScenario, string> = {
    'TLS 1.3': '{ minVersion: TLSv1.3 }',
    'TLS 1.2': '{ maxVersion: TLSv1.2 }',
  };
  // Copies alternate between the versions, so that neither always has the first or the last column.
  const scenarioLines = Array.from({ length: copies }, (_, i) =>
    (Object.keys(EXPECTED_ROUND_TRIPS) as AccuracyScenario[]).map(
      (scenario) => `  - { name: '${names(scenario)[i]}', tls: ${tlsKeys[scenario]} }`,
    ),
  ).flat();
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
${scenarioLines.join('\n')}
`,
  );
  const { report } = await runInNamespace(ns, file, { concurrency });
  const rows: AccuracyRow[] = [];
  for (const scenario of Object.keys(EXPECTED_ROUND_TRIPS) as AccuracyScenario[]) {
    const outcomes = names(scenario).map((name) => {
      const outcome = report.scenarios.find((o) => o.plan.id === name);
      if (!outcome) throw new Error(`no outcome for ${name}`);
      if (outcome.verdict !== 'pass') {
        throw new Error(`${name} did not pass: ${outcome.diagnosis?.code ?? outcome.mismatch ?? ''}`);
      }
      return outcome;
    });
    const expected = EXPECTED_ROUND_TRIPS[scenario];
    for (const phase of Object.keys(expected) as AccuracyPhase[]) {
      const perCopy = outcomes.map((o) =>
        o.probes.filter((p) => !p.cold).map((p) => p.phases[phase]?.durationMs ?? Number.NaN),
      );
      const all = perCopy.flat().filter(Number.isFinite);
      if (all.length === 0) throw new Error(`${scenario}: no warm probe reached ${phase}`);
      rows.push({
        scenario,
        phase,
        expectedMs: expected[phase] * 2 * options.delayMs,
        n: all.length,
        p50Ms: p50(all),
        minMs: Math.min(...all),
        maxMs: Math.max(...all),
        ...(copies > 1 ? { columnP50Ms: perCopy.map(p50) } : {}),
      });
    }
  }
  return rows;
}

/** How far a p50 may be from the expectation: 40% or 10 ms, whichever is larger (a loaded 2-core machine). */
export function accuracyToleranceMs(expectedMs: number): number {
  return Math.max(10, 0.4 * expectedMs);
}
