// The exporter as a whole, without HTTP: the scenario set and its reloads, the probe handler, the exporter's own
// metrics and the recent probes, so http-server.ts only routes and the CLI only reads flags, signals and prints.
import { renderStatusPage } from '../report/status-page.js';
import type { ProbePlan } from '../scenario/plan.js';
import { ExporterMetrics } from './exporter-metrics.js';
import { type Answer, ProbeHandler } from './probe-handler.js';
import { RecentProbes } from './recent-probes.js';
import { ScenarioSet } from './scenario-set.js';

/** Loads the scenario files; undefined when one is invalid (the loader has said why, with file:line:col). */
export type LoadPlans = () => Promise<{ plans: ProbePlan[] } | { error: string }>;

export interface ExporterOptions {
  load: LoadPlans;
  files: readonly string[];
  version: string;
  maxInFlight: number;
  history?: number;
}

export class Exporter {
  readonly metrics = new ExporterMetrics();
  readonly #scenarios = new ScenarioSet();
  readonly #recent: RecentProbes;
  readonly #probe: ProbeHandler;
  readonly #options: ExporterOptions;
  #reloadError: string | undefined;
  #reloading: Promise<{ ok: true } | { ok: false; error: string }> | undefined;

  constructor(options: ExporterOptions) {
    this.#options = options;
    this.#recent = new RecentProbes(options.history);
    this.#probe = new ProbeHandler({
      scenarios: this.#scenarios,
      metrics: this.metrics,
      recent: this.#recent,
      maxInFlight: options.maxInFlight,
    });
  }

  /** Probes running now. */
  get inFlight(): number {
    return this.#probe.inFlight;
  }

  /** The scenarios loaded now, by id. */
  scenarioIds(): string[] {
    return [...(this.#scenarios.current?.entries.keys() ?? [])];
  }

  /**
   * Re-reads the files. An invalid file (or a failed endpoint look-up) keeps the running configuration, and the
   * reload metric says so, as Prometheus does. Reloads never overlap: a second request waits for the first.
   */
  reload(): Promise<{ ok: true } | { ok: false; error: string }> {
    const run = async () => {
      const loaded = await this.#options.load();
      if ('error' in loaded) return this.#failed(loaded.error);
      const previous = this.scenarioIds();
      try {
        await this.#scenarios.replace(loaded.plans);
      } catch (error) {
        return this.#failed(error instanceof Error ? error.message : String(error));
      }
      const ids = new Set(this.scenarioIds());
      this.#recent.keepOnly(ids);
      this.metrics.keepOnly(ids, previous);
      this.metrics.reloaded(true);
      this.#reloadError = undefined;
      return { ok: true } as const;
    };
    const next = (this.#reloading ?? Promise.resolve()).then(run, run);
    this.#reloading = next;
    return next;
  }

  #failed(error: string): { ok: false; error: string } {
    this.metrics.reloaded(false);
    this.#reloadError = error;
    return { ok: false, error };
  }

  /** `/probe`. */
  probe(query: URLSearchParams, headers: { scrapeTimeout?: string; accept?: string }): Promise<Answer> {
    return this.#probe.handle(query, headers);
  }

  /**
   * `/metrics`: the exporter's own registry, always in the text format: prom-client renames a counter in place when
   * it renders OpenMetrics, so one registry cannot serve both (and every Prometheus accepts the text format).
   */
  async ownMetrics(): Promise<Answer> {
    const registry = this.metrics.registry;
    return { status: 200, contentType: registry.contentType, body: await registry.metrics() };
  }

  /** `/`: the scenarios with their last result, and the recent probes. */
  statusPage(): Answer {
    const current = this.#scenarios.current;
    const body = renderStatusPage({
      version: this.#options.version,
      files: this.#options.files,
      loadedAt: current?.loadedAt.toISOString() ?? '',
      ...(this.#reloadError ? { reloadError: this.#reloadError } : {}),
      scenarios: [...(current?.entries.values() ?? [])].map((e) => {
        const last = this.#recent.last(e.id);
        return {
          id: e.id,
          endpoint: `${e.written.endpoint}:${e.written.port}`,
          targets: e.serveTargets ?? [],
          ...(last ? { last } : {}),
        };
      }),
      recent: this.#recent.recent(),
    });
    return { status: 200, contentType: 'text/html; charset=utf-8', body };
  }

  /** Cuts the probes in flight (they answer 503) and closes the scenario set (the emulator's thread). */
  async close(): Promise<void> {
    this.#probe.close();
    await this.#scenarios.close();
  }
}
