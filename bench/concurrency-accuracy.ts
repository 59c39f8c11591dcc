// Phase figures at the default concurrency against the same probes run alone: 8 identical scenarios against
// mosquitto with mutual TLS on loopback, `-c 1` and `-c 8` alternating in one session, warm probes only.
import type { RunReport } from '../src/run/result.js';
import type { TimedPhase } from '../src/scenario/phases.js';
import type { ScenarioTarget } from './scenarios.js';
import { summarise } from './stats.js';
import { timeOk } from './time-process.js';

/** The phases compared: those a plain mqtts round trip at QoS 1 has on loopback. */
export const COMPARED_PHASES = [
  'tcp',
  'tls',
  'connack',
  'suback',
  'puback',
] as const satisfies readonly TimedPhase[];
export type ComparedPhase = (typeof COMPARED_PHASES)[number];

/** Medians (ms) per phase: alone (`-c 1`), side by side (default concurrency), and per column side by side. */
export interface ConcurrencyAccuracy {
  scenarios: number;
  repeat: number;
  rounds: number;
  alone: Record<ComparedPhase, number>;
  sideBySide: Record<ComparedPhase, number>;
  /** Median per scenario (column order) side by side: a trend with the column shows self-inflicted delay. */
  columns: Record<ComparedPhase, number[]>;
  /** Mean local delay reported inside each phase side by side (ms): what mqttprobe says of its own figures. */
  localDelayMs: Record<ComparedPhase, number>;
}

/** `scenarios` identical round trips, each `repeat` times. */
export function identicalScenarios(target: ScenarioTarget & { scenarios: number; repeat: number }): string {
  const lines = [
    'version: 1',
    'defaults:',
    `  endpoint: ${target.host}`,
    `  port: ${target.port}`,
    `  ca: ${target.dir}/ca.pem`,
    `  auth: { type: x509, cert: ${target.dir}/client.pem, key: ${target.dir}/client-key.pem }`,
    '  timeout: 5s',
    '  qos: 1',
    `  repeat: ${target.repeat}`,
    'scenarios:',
  ];
  for (let i = 0; i < target.scenarios; i++) lines.push(`  - name: same ${i + 1}`);
  return `${lines.join('\n')}\n`;
}

function warmDurations(report: RunReport, phase: ComparedPhase): number[][] {
  return report.scenarios.map((o) =>
    o.probes.filter((p) => !p.cold && p.ok).map((p) => p.phases[phase]?.durationMs ?? Number.NaN),
  );
}

/** Runs `cli run FILE` at `-c 1` and at the default concurrency, alternating, `rounds` times each. */
export async function measureConcurrencyAccuracy(options: {
  cli: string;
  file: string;
  scenarios: number;
  repeat: number;
  rounds: number;
  concurrency?: number;
}): Promise<ConcurrencyAccuracy> {
  const alone: Record<string, number[]> = {};
  const side: Record<string, number[]> = {};
  const columns: Record<string, number[][]> = {};
  const delays: Record<string, number[]> = {};
  for (const phase of COMPARED_PHASES) {
    delays[phase] = [];
    alone[phase] = [];
    side[phase] = [];
    columns[phase] = Array.from({ length: options.scenarios }, () => []);
  }
  const run = async (concurrency: number | undefined) => {
    const args = [options.cli, 'run', options.file, '--format', 'json'];
    if (concurrency !== undefined) args.push('--concurrency', String(concurrency));
    const result = await timeOk(process.execPath, args);
    return JSON.parse(result.stdout) as RunReport;
  };
  for (let i = 0; i < options.rounds; i++) {
    const order = i % 2 === 0 ? ([1, options.concurrency] as const) : ([options.concurrency, 1] as const);
    for (const concurrency of order) {
      const report = await run(concurrency);
      for (const phase of COMPARED_PHASES) {
        const perScenario = warmDurations(report, phase);
        if (concurrency === 1) alone[phase]!.push(...perScenario.flat());
        else {
          side[phase]!.push(...perScenario.flat());
          for (const [column, samples] of perScenario.entries()) columns[phase]![column]!.push(...samples);
        }
      }
      if (concurrency !== 1) {
        for (const o of report.scenarios)
          for (const p of o.probes)
            for (const phase of COMPARED_PHASES) {
              const delay = p.phases[phase]?.localDelayMs;
              if (!p.cold && p.ok && delay !== undefined) delays[phase]!.push(delay);
            }
      }
    }
  }
  const med = (samples: number[]) => summarise(samples.filter(Number.isFinite)).median;
  const pick = (from: Record<string, number[]>) =>
    Object.fromEntries(COMPARED_PHASES.map((p) => [p, med(from[p]!)])) as Record<ComparedPhase, number>;
  return {
    scenarios: options.scenarios,
    repeat: options.repeat,
    rounds: options.rounds,
    alone: pick(alone),
    sideBySide: pick(side),
    columns: Object.fromEntries(COMPARED_PHASES.map((p) => [p, columns[p]!.map(med)])) as Record<
      ComparedPhase,
      number[]
    >,
    localDelayMs: Object.fromEntries(
      COMPARED_PHASES.map((p) => [p, delays[p]!.reduce((a, b) => a + b, 0) / Math.max(1, delays[p]!.length)]),
    ) as Record<ComparedPhase, number>,
  };
}

/** The bar from issue 12: side by side ≤ 1.5 × alone + 2 ms. */
export function withinBar(aloneMs: number, sideBySideMs: number): boolean {
  return sideBySideMs <= 1.5 * aloneMs + 2;
}
