// `GET /probe?scenario=NAME[&target=HOST[:PORT]]`: runs the scenario now through the run layer (the same
// scheduling, timed turns, judging and diagnosis as `mqttprobe run`) within the scrape's deadline, and answers
// with its metrics. A probe still running at the deadline is cut and answers `probe_success 0` with
// `probe.deadline`: Prometheus always gets an answer before its own timeout.
import { performance } from 'node:perf_hooks';
import { ProbeDeadline } from '../probe/errors.js';
import { EXPOSITION_CONTENT_TYPE, renderMetrics } from '../report/openmetrics.js';
import { resolveEndpoints } from '../run/resolve-endpoints.js';
import type { RunReport } from '../run/result.js';
import { runResolved } from '../run/run-plans.js';
import { TimedTurns } from '../run/timed-turns.js';
import type { ProbePlan } from '../scenario/plan.js';
import type { ExporterMetrics } from './exporter-metrics.js';
import { parseProbeRequest, type Target } from './probe-request.js';
import type { RecentProbes } from './recent-probes.js';
import type { ScenarioSet } from './scenario-set.js';

/** The default bound on probes in flight at once, across all scrapes. */
export const DEFAULT_MAX_IN_FLIGHT = 16;
/** How long past its deadline a run may take to close its sockets before the answer goes without it, in ms. */
const CLEAN_UP_GRACE_MS = 2000;

export interface Answer {
  status: number;
  contentType: string;
  body: string;
}

const text = (status: number, body: string): Answer => ({
  status,
  contentType: 'text/plain; charset=utf-8',
  body: `${body}\n`,
});

/**
 * Probes sharing a fixed client ID would kick each other off the broker, so concurrent scrapes of them queue, one
 * at a time per ID; the wait counts against the scrape's deadline (a probe whose deadline passed while queued is
 * cut before it connects).
 */
class ClientIdQueue {
  readonly #tails = new Map<string, Promise<void>>();

  async acquire(key: string | undefined, deadline: AbortSignal): Promise<() => void> {
    if (key === undefined) return () => {};
    const previous = this.#tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => {
      release = resolve;
    });
    const tail = previous.then(() => mine);
    this.#tails.set(key, tail);
    let onAbort: (() => void) | undefined;
    await Promise.race([
      previous,
      new Promise<void>((resolve) => {
        onAbort = resolve;
        if (deadline.aborted) resolve();
        else deadline.addEventListener('abort', onAbort, { once: true });
      }),
    ]);
    if (onAbort) deadline.removeEventListener('abort', onAbort);
    return () => {
      release();
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    };
  }
}

/** The plan sent to a scrape's `target=` instead of its endpoint: SNI and the certificate name follow the host. */
function withTarget(plan: ProbePlan, target: Target): ProbePlan {
  const { servername: _servername, emulator: _emulator, written: _written, ...rest } = plan;
  return { ...rest, endpoint: target.host, port: target.port ?? plan.port };
}

export interface ProbeHandlerOptions {
  scenarios: ScenarioSet;
  metrics: ExporterMetrics;
  recent: RecentProbes;
  /** Probes in flight at once; over it a scrape gets 503 at once. */
  maxInFlight: number;
}

export class ProbeHandler {
  readonly #options: ProbeHandlerOptions;
  readonly #queue = new ClientIdQueue();
  /**
   * One controller per run in flight, aborted at shutdown. Not one long-lived signal combined into every run with
   * AbortSignal.any: Node 20 keeps a reference per combination on the long-lived signal, and memory crept up.
   */
  readonly #running = new Set<AbortController>();
  #stopped = false;
  /** One scheduler for timed work across every scrape, as within one run (run/timed-turns.ts). */
  readonly #turns = new TimedTurns();
  #inFlight = 0;
  #first = true;

  constructor(options: ProbeHandlerOptions) {
    this.#options = options;
  }

  /** Probes running now. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** Shutdown: cuts the runs in flight (they answer 503), refuses new ones, stops the scheduler's timers. */
  close(): void {
    this.#stopped = true;
    for (const run of this.#running) run.abort();
    this.#turns.close();
  }

  /** Answers one `/probe` request. Never throws for a network failure: that is in the metrics. */
  async handle(
    query: URLSearchParams,
    headers: { scrapeTimeout?: string; accept?: string },
  ): Promise<Answer> {
    const { scenarios, metrics } = this.#options;
    const startedAt = performance.now();
    const lease = scenarios.lease();
    try {
      const parsed = parseProbeRequest(query, headers, lease.scenarios.entries);
      if (!parsed.ok) {
        metrics.refused(parsed.reason);
        return text(400, parsed.message);
      }
      if (this.#inFlight >= this.#options.maxInFlight) {
        metrics.refused('too-many');
        return text(
          503,
          `${this.#inFlight} probes are in flight, the most --max-concurrent allows: scrape less often or raise it`,
        );
      }
      const { request } = parsed;
      const entry = lease.scenarios.entries.get(request.scenario)!;
      this.#inFlight++;
      metrics.inFlight(1);
      try {
        const report = await this.#run(entry.written, entry.resolved, request.target, request.deadlineMs);
        if (report === 'late') {
          return text(
            503,
            `the probe did not close its connections within ${CLEAN_UP_GRACE_MS} ms of its deadline`,
          );
        }
        if (report.scenarios.length === 0) return text(503, 'the exporter is shutting down');
        const outcome = report.scenarios[0]!;
        const success = outcome.passed === outcome.probes.length;
        const seconds = (performance.now() - startedAt) / 1000;
        metrics.probed(
          request.scenario,
          outcome.diagnosis?.code === 'probe.deadline' ? 'deadline' : success ? 'success' : 'failure',
          seconds,
        );
        this.#options.recent.add({
          at: new Date().toISOString(),
          scenario: request.scenario,
          ...(request.target
            ? { target: `${request.target.host}:${request.target.port ?? entry.port}` }
            : {}),
          success,
          met: outcome.met,
          durationMs: seconds * 1000,
          ...(outcome.diagnosis
            ? {
                diagnosis: {
                  code: outcome.diagnosis.code,
                  message: outcome.diagnosis.message,
                  hint: outcome.diagnosis.hint,
                },
              }
            : {}),
        });
        const body = await renderMetrics(report, { exposition: request.exposition, scenarioLabel: false });
        return { status: 200, contentType: EXPOSITION_CONTENT_TYPE[request.exposition], body };
      } finally {
        this.#inFlight--;
        metrics.inFlight(-1);
      }
    } finally {
      lease.release();
    }
  }

  /** Runs one scenario under the deadline; `late` when the run did not stop in time after it. */
  async #run(
    written: ProbePlan,
    resolved: ProbePlan,
    target: Target | undefined,
    deadlineMs: number,
  ): Promise<RunReport | 'late'> {
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(new ProbeDeadline(deadlineMs)), deadlineMs);
    let watchdog: NodeJS.Timeout | undefined;
    const release = await this.#queue.acquire(written.mqtt.clientId, deadline.signal);
    const stop = new AbortController();
    if (this.#stopped) stop.abort();
    this.#running.add(stop);
    const retargeted = target ? withTarget(written, target) : undefined;
    let endpoints: Awaited<ReturnType<typeof resolveEndpoints>> | undefined;
    try {
      endpoints = retargeted ? await resolveEndpoints([retargeted]) : undefined;
      const coldStart = this.#first;
      this.#first = false;
      const run = runResolved([retargeted ?? written], [endpoints?.plans[0] ?? resolved], {
        concurrency: 1,
        deadline: deadline.signal,
        signal: stop.signal,
        coldStart,
        turns: this.#turns,
      });
      // A rejection after the watchdog answered would otherwise go unhandled; before it, the race rethrows it.
      run.catch(() => undefined);
      // Probes close their sockets promptly once cut; should one not, the scrape still gets its answer.
      const late = new Promise<'late'>((resolve) => {
        watchdog = setTimeout(() => resolve('late'), deadlineMs + CLEAN_UP_GRACE_MS);
      });
      return await Promise.race([run, late]);
    } finally {
      clearTimeout(timer);
      clearTimeout(watchdog);
      this.#running.delete(stop);
      release();
      await endpoints?.close();
    }
  }
}
