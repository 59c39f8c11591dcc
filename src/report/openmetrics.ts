// The run as Prometheus metrics, in the text exposition format or OpenMetrics: what `run --format openmetrics`
// writes (for node_exporter's textfile collector or a Pushgateway) and what `serve` answers on /probe.
//
// The mapping, named as prometheus/blackbox_exporter names what means the same thing:
//   - probe_success: every probe of the scenario completed its round trip (1) or not (0);
//   - probe_duration_seconds: from the first probe's start to the last probe's end;
//   - probe_mqtt_phase_duration_seconds{phase}: the representative probe's phases (the failing one, else the
//     median), every planned phase present, one never reached reads 0, as blackbox creates its phase series up front;
//   - probe_mqtt_failure_info{code,phase}: the diagnosis that decides the verdict, value 1; absent without one;
//   - probe_mqtt_expectation_met: the scenario's `expect` and `thresholds` were met;
//   - probe_tls_version_info{version}, probe_ssl_earliest_cert_expiry, probe_ip_protocol: as blackbox;
//   - probe_mqtt_alpn_info{protocol}, probe_mqtt_version_info{version}: what was negotiated and spoken;
//   - with `repeat`: probe_mqtt_probes, probe_mqtt_probes_passed and probe_mqtt_phase_stats_seconds{phase,stat}
//     (min, p50, p95, max over the warm probes, nearest-rank as every other report shows them).
// A report of several scenarios labels each series `scenario` (the plan id); `/probe` answers for one scenario
// without it, because Prometheus adds `scenario` from the relabelled URL parameter, as it adds blackbox's `target`.
// No label carries a secret: codes, phases, versions, protocols and scenario ids only; prom-client escapes values.
import { Gauge, Registry, type RegistryContentType } from 'prom-client';
import type { RunReport, ScenarioOutcome, StatsKey } from '../run/result.js';
import { type Phase, plannedPhases } from '../scenario/phases.js';
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
  return Math.max(0, Math.max(...ends) - Math.min(...starts)) / 1000;
}

/** Renders the report's metrics (prom-client builds and escapes the exposition). */
export async function renderMetrics(report: RunReport, options: MetricsOptions = {}): Promise<string> {
  const exposition = options.exposition ?? 'openmetrics';
  const registry = new Registry<RegistryContentType>();
  registry.setContentType(EXPOSITION_CONTENT_TYPE[exposition]);
  const withScenario = options.scenarioLabel ?? true;
  const gauge = (name: string, help: string, labelNames: string[] = []) =>
    new Gauge({
      name,
      help,
      labelNames: withScenario ? ['scenario', ...labelNames] : labelNames,
      registers: [registry],
    });
  const success = gauge('probe_success', 'Whether every probe of the scenario completed its round trip.');
  const duration = gauge('probe_duration_seconds', 'How long the probes took, first start to last end.');
  const phaseDuration = gauge(
    'probe_mqtt_phase_duration_seconds',
    'Duration of each planned phase of the representative probe (0 when not reached).',
    ['phase'],
  );
  const failure = gauge(
    'probe_mqtt_failure_info',
    'The diagnosis that decides the verdict (docs/diagnosis.md), value 1.',
    ['code', 'phase'],
  );
  const met = gauge('probe_mqtt_expectation_met', "Whether the scenario's expect and thresholds were met.");
  const tlsVersion = gauge('probe_tls_version_info', 'The TLS version negotiated.', ['version']);
  const certExpiry = gauge(
    'probe_ssl_earliest_cert_expiry',
    "Expiry of the server's leaf certificate, in Unix seconds.",
  );
  const ipProtocol = gauge('probe_ip_protocol', 'The IP family the connection used (4 or 6).');
  const alpn = gauge('probe_mqtt_alpn_info', 'The ALPN protocol the server selected.', ['protocol']);
  const mqttVersion = gauge('probe_mqtt_version_info', 'The MQTT version spoken.', ['version']);
  const probes = gauge('probe_mqtt_probes', 'Probes run for the scenario (its repeat).');
  const passed = gauge('probe_mqtt_probes_passed', 'Probes that completed every step.');
  const phaseStats = gauge(
    'probe_mqtt_phase_stats_seconds',
    'With repeat: min, p50, p95 and max of each phase over the warm probes (nearest rank).',
    ['phase', 'stat'],
  );

  for (const outcome of report.scenarios) {
    const base: Record<string, string> = withScenario ? { scenario: outcome.plan.id } : {};
    const probe = outcome.representative;
    const allPassed = outcome.passed === outcome.probes.length;
    success.set(base, allPassed ? 1 : 0);
    duration.set(base, scenarioSeconds(outcome));
    met.set(base, outcome.met ? 1 : 0);
    const phases = new Set<Phase>([
      ...plannedPhases(outcome.plan),
      ...(Object.keys(probe.phases) as Phase[]),
    ]);
    for (const phase of phases) {
      phaseDuration.set({ ...base, phase }, (probe.phases[phase]?.durationMs ?? 0) / 1000);
    }
    if (outcome.diagnosis)
      failure.set({ ...base, code: outcome.diagnosis.code, phase: failurePhase(outcome) }, 1);
    if (probe.tls) {
      tlsVersion.set({ ...base, version: tlsVersionName(probe.tls.protocol) }, 1);
      if (probe.tls.negotiatedAlpn) alpn.set({ ...base, protocol: probe.tls.negotiatedAlpn }, 1);
      const validTo = Date.parse(probe.tls.serverCertificate?.validTo ?? '');
      if (Number.isFinite(validTo)) certExpiry.set(base, validTo / 1000);
    }
    if (probe.family) ipProtocol.set(base, probe.family);
    mqttVersion.set({ ...base, version: outcome.plan.mqttVersion }, 1);
    probes.set(base, outcome.probes.length);
    passed.set(base, outcome.passed);
    for (const [key, stats] of Object.entries(outcome.stats ?? {}) as Array<
      [StatsKey, (typeof outcome.stats & {})[StatsKey]]
    >) {
      if (!stats || key === 'total') continue;
      for (const [stat, field] of STATS) phaseStats.set({ ...base, phase: key, stat }, stats[field] / 1000);
    }
  }
  return registry.metrics();
}

/** `run --format openmetrics`: OpenMetrics text, one `scenario` label per series. */
export function renderOpenMetrics(report: RunReport, options: OutputOptions = {}): Promise<string> {
  return renderMetrics(report, { ...options, exposition: 'openmetrics', scenarioLabel: true });
}
