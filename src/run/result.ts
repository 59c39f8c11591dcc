// What a run produced, as plain serialisable data for every renderer: no secrets, no live objects.
import type { Diagnosis } from '../probe/diagnosis/diagnosis.js';
import type { ProbeResult } from '../probe/result.js';
import type { TimedPhase } from '../scenario/phases.js';
import type { Expectation, MqttProtocolVersion, ProbePlan } from '../scenario/plan.js';

/** What a scenario's `expect` asks for, as a report shows it: `pass`, `fail`, or the failure code that must happen. */
export type ExpectedOutcome =
  | Exclude<Expectation['kind'], 'code'>
  | Extract<Expectation, { kind: 'code' }>['code'];

/** MQTT's protocol level as people name it: 4 is `3.1.1`, 5 is `5`. */
export type MqttVersionName = { 4: '3.1.1'; 5: '5' }[MqttProtocolVersion];

/**
 * The parts of a ProbePlan a report may show. Built from the plan, so credentials cannot ride along: fields are
 * picked from ProbePlan as they are, or flattened from it into the form a report shows.
 */
export type PlanSummary = Pick<
  ProbePlan,
  | 'id'
  | 'name'
  | 'file'
  | 'span'
  | 'spans'
  | 'fixOptions'
  | 'tags'
  | 'endpoint'
  | 'port'
  | 'transport'
  | 'alpn'
  | 'qos'
  | 'steps'
  | 'repeat'
  | 'thresholdsMs'
  | 'timeoutsMs'
  | 'holdMs'
  | 'commandLine'
> & {
  /** `mqtt.version`, named. */
  mqttVersion: MqttVersionName;
  /** `auth.type`: never the credentials themselves. */
  authType: ProbePlan['auth']['type'];
  /** `pass`, `fail`, or the failure code that must happen. */
  expect: ExpectedOutcome;
  /** Server certificate verification switched off by the scenario (`tls.insecure`). */
  insecure: ProbePlan['tls']['insecure'];
  /** The proxy, with any password replaced by `***` (`proxy.display`). */
  proxy?: NonNullable<ProbePlan['proxy']>['display'];
};

/** min / p50 / p95 / max of one phase over the warm probes that reached it, in ms. */
export interface PhaseStats {
  n: number;
  minMs: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
}

export type StatsKey = TimedPhase | 'total';

/** A probe as the run saw it: the probe's own result plus whether it paid the process's warm-up. */
export interface RunProbe extends ProbeResult {
  /** The first probe of the process: it pays JIT and TLS warm-up, so statistics leave it out. */
  cold: boolean;
}

export interface ScenarioOutcome {
  plan: PlanSummary;
  probes: RunProbe[];
  /** Whether the outcome met the scenario's `expect` (and its thresholds). */
  met: boolean;
  /** `pass`: every probe passed as required; `expected-failure`: failed the way it was meant to; `fail`: missed. */
  verdict: 'pass' | 'expected-failure' | 'fail';
  /** The diagnosis that decides the verdict: the probes' failure, a threshold, or a failure that did not come. */
  diagnosis?: Diagnosis;
  /** Why the expectation was missed, in plain words (absent when met). */
  mismatch?: string;
  /** Probes that completed every step. */
  passed: number;
  /** Statistics per phase over warm probes (absent with a single probe). */
  stats?: Partial<Record<StatsKey, PhaseStats>>;
  /** The probe to show in single-probe views: the failing one, else the median by total time. */
  representative: RunProbe;
}

export interface RunReport {
  /** Bumped on any incompatible change to this shape; see schema/report.schema.json. */
  schemaVersion: 1;
  /** Wall-clock start, ISO 8601. */
  startedAt: string;
  /** Whole run, in ms. */
  durationMs: number;
  scenarios: ScenarioOutcome[];
  /** Ctrl-C stopped the run; `scenarios` holds only what finished. */
  interrupted: boolean;
  /** Scenarios selected but not finished because of the interruption. */
  notRun: string[];
  summary: { total: number; met: number; missed: number };
  /** `mqttprobe check`'s verdict: the way to use from this network, or why there is none; absent for `run`. */
  recommendation?: Recommendation;
}

/** Which way into the endpoint to use from this network, as `mqttprobe check` ends with it. */
export interface Recommendation {
  /** True when some way through works. */
  found: boolean;
  /** One line, e.g. "From this network use 443 with ALPN x-amzn-mqtt-ca (p50 312 ms); 8883 is blocked (tcp.timeout)". */
  text: string;
}
