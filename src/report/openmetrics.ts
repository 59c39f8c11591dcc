// The run as Prometheus metrics, in the text exposition format or OpenMetrics: what `run --format openmetrics`
// writes (for node_exporter's textfile collector or a Pushgateway) and what `serve` answers on /probe.
//
// The mapping, named as prometheus/blackbox_exporter names what means the same thing:
//   - probe_success: every probe of the scenario completed its round trip (1) or not (0);
//   - probe_duration_seconds: from the first probe's start to the last probe's end;
//   - probe_mqtt_phase_duration_seconds{phase}: the representative probe's phases (the failing one, else the
//     median), every planned phase present, one never reached reads 0, as blackbox creates its phase series up front;
//   - probe_mqtt_failure_info{code,phase}: the diagnosis that decides the verdict, value 1; absent without one;
//   - probe_mqtt_warning_info{code}: each warning code of the scenario's probes, value 1 (the words stay out);
//   - probe_mqtt_expectation_met: the scenario's `expect` and `thresholds` were met;
//   - probe_tls_version_info{version}, probe_ssl_earliest_cert_expiry, probe_ip_protocol: as blackbox;
//   - probe_mqtt_alpn_info{protocol}, probe_mqtt_version_info{version}: what was negotiated and spoken;
//   - with `repeat`: probe_mqtt_probes, probe_mqtt_probes_passed and probe_mqtt_phase_stats_seconds{phase,stat}
//     (min, p50, p95, max over the warm probes, nearest-rank as every other report shows them).
// A report of several scenarios labels each series `scenario` (the plan id); `/probe` answers for one scenario
// without it, because Prometheus adds `scenario` from the relabelled URL parameter, as it adds blackbox's `target`.
// No label carries a secret: codes, phases, versions, protocols and scenario ids only; prom-client escapes values.
import { Gauge, Registry, type RegistryContentType } from 'prom-client';
import type { RunReport, ScenarioOutcome } from '../run/result.js';
import { PHASES, type Phase, plannedPhases, TIMED_PHASES } from '../scenario/phases.js';
import type { OutputOptions } from './outputs.js';

/** The two exposition formats: `text` is Prometheus's 0.0.4, `openmetrics` is OpenMetrics 1.0. */
export type ExpositionFormat = 'text' | 'openmetrics';

/** The HTTP Content-Type of each exposition format. */
export const EXPOSITION_CONTENT_TYPE: Record<ExpositionFormat, RegistryContentType> = {
  text: Registry.PROMETHEUS_CONTENT_TYPE,
  openmetrics: Registry.OPENMETRICS_CONTENT_TYPE,
};

export interface MetricsOptions extends OutputOptions {
  /** Prometheus text (default: OpenMetrics, which `run --format openmetrics` writes). */
  exposition?: ExpositionFormat;
  /** Label each series with `scenario` (default true; `/probe` answers for one scenario and leaves it out). */
  scenarioLabel?: boolean;
}

interface MetricDefinition {
  help: string;
  labels: readonly string[];
}

/** Every metric of a probe, in the order the exposition lists them. */
const METRICS = {
  probe_success: { help: 'Whether every probe of the scenario completed its round trip.', labels: [] },
  probe_duration_seconds: { help: 'How long the probes took, first start to last end.', labels: [] },
  probe_mqtt_phase_duration_seconds: {
    help: 'Duration of each planned phase of the representative probe (0 when not reached).',
    labels: ['phase'],
  },
  probe_mqtt_failure_info: {
    help: 'The diagnosis that decides the verdict (docs/diagnosis.md), value 1.',
    labels: ['code', 'phase'],
  },
  probe_mqtt_warning_info: {
    help: "A warning of the scenario's probes (tls.insecure, tcp.family-failed, …), value 1.",
    labels: ['code'],
  },
  probe_mqtt_expectation_met: { help: "Whether the scenario's expect and thresholds were met.", labels: [] },
  probe_tls_version_info: { help: 'The TLS version negotiated.', labels: ['version'] },
  probe_ssl_earliest_cert_expiry: {
    help: "The earliest expiry of the server's certificate and the chain above it, in Unix seconds.",
    labels: [],
  },
  probe_ip_protocol: { help: 'The IP family the connection used (4 or 6).', labels: [] },
  probe_mqtt_alpn_info: { help: 'The ALPN protocol the server selected.', labels: ['protocol'] },
  probe_mqtt_version_info: { help: 'The MQTT version spoken.', labels: ['version'] },
  probe_mqtt_probes: { help: 'Probes run for the scenario (its repeat).', labels: [] },
  probe_mqtt_probes_passed: { help: 'Probes that completed every step.', labels: [] },
  probe_mqtt_phase_stats_seconds: {
    help: 'With repeat: min, p50, p95 and max of each phase over the warm probes (nearest rank).',
    labels: ['phase', 'stat'],
  },
} as const satisfies Record<string, MetricDefinition>;
type MetricName = keyof typeof METRICS;

/** The names of every metric a probe may have, in exposition order (docs/prometheus.md documents each). */
export const PROBE_METRIC_NAMES = Object.keys(METRICS) as MetricName[];

const STATS = [
  ['min', 'minMs'],
  ['p50', 'p50Ms'],
  ['p95', 'p95Ms'],
  ['max', 'maxMs'],
] as const;

/** `TLSv1.3` as blackbox_exporter's probe_tls_version_info spells it: `TLS 1.3`. */
function tlsVersionName(protocol: string): string {
  const match = /^TLSv(\d(?:\.\d)?)$/.exec(protocol);
  return match ? `TLS ${match[1]}` : protocol;
}

/** The phase a verdict's diagnosis belongs to: the failing probe's phase, or the phase a threshold names. */
function failurePhase(outcome: ScenarioOutcome): string {
  const failed = outcome.representative.failedPhase;
  if (failed) return failed;
  const code = outcome.diagnosis?.code ?? '';
  return code.startsWith('threshold.') ? code.slice('threshold.'.length) : '';
}

/** Wall-clock span of a scenario's probes, in seconds. */
function scenarioSeconds(outcome: ScenarioOutcome): number {
  const starts = outcome.probes.map((p) => Date.parse(p.startedAt));
  const ends = outcome.probes.map((p) => Date.parse(p.startedAt) + p.totalMs);
  return seconds(Math.max(0, Math.max(...ends) - Math.min(...starts)));
}

/** Milliseconds as seconds to the microsecond, the precision of the figures (no float noise such as 0.0126430000001). */
const seconds = (ms: number) => Math.round(ms * 1000) / 1e6;

/** Renders the report's metrics (prom-client builds and escapes the exposition). */
export async function renderMetrics(report: RunReport, options: MetricsOptions = {}): Promise<string> {
  const exposition = options.exposition ?? 'openmetrics';
  const withScenario = options.scenarioLabel ?? true;
  // Samples first, gauges after: prom-client prints 0 for an unlabelled gauge never set, and a missing certificate
  // must read as no series, not as one that expired in 1970.
  const samples = new Map<MetricName, Array<[Record<string, string>, number]>>();
  const add = (name: MetricName, labels: Record<string, string>, value: number) => {
    const list = samples.get(name) ?? [];
    list.push([labels, value]);
    samples.set(name, list);
  };

  for (const outcome of report.scenarios) {
    const base: Record<string, string> = withScenario ? { scenario: outcome.plan.id } : {};
    const probe = outcome.representative;
    add('probe_success', base, outcome.passed === outcome.probes.length ? 1 : 0);
    add('probe_duration_seconds', base, scenarioSeconds(outcome));
    const phases = new Set<Phase>([
      ...plannedPhases(outcome.plan),
      ...(Object.keys(probe.phases) as Phase[]),
    ]);
    for (const phase of PHASES.filter((p) => phases.has(p))) {
      add(
        'probe_mqtt_phase_duration_seconds',
        { ...base, phase },
        seconds(probe.phases[phase]?.durationMs ?? 0),
      );
    }
    if (outcome.diagnosis) {
      add(
        'probe_mqtt_failure_info',
        { ...base, code: outcome.diagnosis.code, phase: failurePhase(outcome) },
        1,
      );
    }
    for (const code of new Set(outcome.probes.flatMap((p) => p.warnings.map((w) => w.code)))) {
      add('probe_mqtt_warning_info', { ...base, code }, 1);
    }
    add('probe_mqtt_expectation_met', base, outcome.met ? 1 : 0);
    if (probe.tls) {
      add('probe_tls_version_info', { ...base, version: tlsVersionName(probe.tls.protocol) }, 1);
      const expiries = [probe.tls.serverCertificate, ...(probe.tls.chain ?? [])]
        .map((cert) => Date.parse(cert?.validTo ?? ''))
        .filter(Number.isFinite);
      if (expiries.length > 0) add('probe_ssl_earliest_cert_expiry', base, Math.min(...expiries) / 1000);
      if (probe.tls.negotiatedAlpn)
        add('probe_mqtt_alpn_info', { ...base, protocol: probe.tls.negotiatedAlpn }, 1);
    }
    if (probe.family) add('probe_ip_protocol', base, probe.family);
    add('probe_mqtt_version_info', { ...base, version: outcome.plan.mqttVersion }, 1);
    add('probe_mqtt_probes', base, outcome.probes.length);
    add('probe_mqtt_probes_passed', base, outcome.passed);
    for (const phase of TIMED_PHASES) {
      const stats = outcome.stats?.[phase];
      if (!stats) continue;
      for (const [stat, field] of STATS)
        add('probe_mqtt_phase_stats_seconds', { ...base, phase, stat }, seconds(stats[field]));
    }
  }

  const registry = new Registry<RegistryContentType>();
  registry.setContentType(EXPOSITION_CONTENT_TYPE[exposition]);
  for (const [name, { help, labels }] of Object.entries(METRICS) as Array<[MetricName, MetricDefinition]>) {
    const values = samples.get(name);
    if (!values) continue;
    const gauge = new Gauge({
      name,
      help,
      labelNames: withScenario ? ['scenario', ...labels] : [...labels],
      registers: [registry],
    });
    for (const [labelValues, value] of values) gauge.set(labelValues, value);
  }
  return registry.metrics();
}

/** `run --format openmetrics`: OpenMetrics text, one `scenario` label per series. */
export function renderOpenMetrics(report: RunReport, options: OutputOptions = {}): Promise<string> {
  return renderMetrics(report, { ...options, exposition: 'openmetrics', scenarioLabel: true });
}
