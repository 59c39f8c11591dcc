// The exporter's own metrics on `/metrics` (prom-client): the process, the probes it ran by scenario and outcome,
// the requests it refused, and its configuration reloads, named as Prometheus and blackbox_exporter name theirs.
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { RequestRefusal } from './probe-request.js';

/** Why a request got no probe. */
export type Refusal = RequestRefusal | 'too-many' | 'unauthorized';

export class ExporterMetrics {
  readonly registry = new Registry();
  readonly #probes = new Counter({
    name: 'mqttprobe_probes_total',
    help: 'Probes run for /probe, by scenario and outcome (success, failure, deadline).',
    labelNames: ['scenario', 'outcome'],
    registers: [this.registry],
  });
  readonly #duration = new Histogram({
    name: 'mqttprobe_probe_duration_seconds',
    help: 'How long /probe took to answer, by scenario.',
    labelNames: ['scenario'],
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  readonly #refused = new Counter({
    name: 'mqttprobe_requests_refused_total',
    help: 'Requests answered without a probe, by reason.',
    labelNames: ['reason'],
    registers: [this.registry],
  });
  readonly #inFlight = new Gauge({
    name: 'mqttprobe_probes_in_flight',
    help: 'Probes running now.',
    registers: [this.registry],
  });
  readonly #reloadOk = new Gauge({
    name: 'mqttprobe_config_last_reload_successful',
    help: 'Whether the last configuration reload attempt was successful.',
    registers: [this.registry],
  });
  readonly #reloadAt = new Gauge({
    name: 'mqttprobe_config_last_reload_success_timestamp_seconds',
    help: 'Timestamp of the last successful configuration reload.',
    registers: [this.registry],
  });
  readonly #reloads = new Counter({
    name: 'mqttprobe_config_reloads_total',
    help: 'Configuration reloads, by outcome.',
    labelNames: ['outcome'],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    // Every reason is a series from the start, so rate() sees the first refusal.
    for (const reason of ['bad-request', 'unknown-scenario', 'target-refused', 'too-many', 'unauthorized'])
      this.#refused.inc({ reason }, 0);
  }

  probed(scenario: string, outcome: 'success' | 'failure' | 'deadline', seconds: number): void {
    this.#probes.inc({ scenario, outcome });
    this.#duration.observe({ scenario }, seconds);
  }

  refused(reason: Refusal): void {
    this.#refused.inc({ reason });
  }

  inFlight(delta: 1 | -1): void {
    this.#inFlight.inc(delta);
  }

  reloaded(ok: boolean, at: Date = new Date()): void {
    this.#reloadOk.set(ok ? 1 : 0);
    this.#reloads.inc({ outcome: ok ? 'success' : 'failure' });
    if (ok) this.#reloadAt.set(at.getTime() / 1000);
  }

  /** Forgets the per-scenario series of scenarios a reload removed: the labels stay bounded by the configuration. */
  keepOnly(scenarios: ReadonlySet<string>, previous: Iterable<string>): void {
    for (const id of previous) {
      if (scenarios.has(id)) continue;
      for (const outcome of ['success', 'failure', 'deadline'])
        this.#probes.remove({ scenario: id, outcome });
      this.#duration.remove({ scenario: id });
    }
  }
}
