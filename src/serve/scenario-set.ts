// The scenarios `serve` answers for, with their endpoints resolved once (the emulator started, DescribeEndpoint
// asked) rather than per scrape, and replaced whole on reload: a probe in flight keeps the set it started with.
import { type ResolvedEndpoints, resolveEndpoints } from '../run/resolve-endpoints.js';
import type { ProbePlan } from '../scenario/plan.js';
import type { ScenarioEntry } from './probe-request.js';

/** One loaded configuration: the plans as written (what reports show) and as resolved (what probes dial). */
export interface LoadedScenarios {
  /** By plan id, in file order. */
  entries: ReadonlyMap<string, ScenarioEntry & { written: ProbePlan; resolved: ProbePlan }>;
  /** When this configuration was loaded. */
  loadedAt: Date;
}

interface Generation extends LoadedScenarios {
  endpoints: ResolvedEndpoints;
  leases: number;
  retired: boolean;
}

/** A lease on the configuration a probe runs with; `release` once the probe is done. */
export interface Lease {
  scenarios: LoadedScenarios;
  release(): void;
}

/** Holds the current configuration; `replace` swaps in a new one and closes the old once no probe uses it. */
export class ScenarioSet {
  #current: Generation | undefined;
  readonly #closing = new Set<Promise<void>>();

  /** Resolves the plans' endpoints and makes them the current configuration. Throws when resolving fails. */
  async replace(plans: readonly ProbePlan[]): Promise<void> {
    const endpoints = await resolveEndpoints(plans);
    const entries = new Map<string, ScenarioEntry & { written: ProbePlan; resolved: ProbePlan }>();
    plans.forEach((plan, i) => {
      entries.set(plan.id, {
        id: plan.id,
        port: plan.port,
        ...(plan.serveTargets ? { serveTargets: plan.serveTargets } : {}),
        written: plan,
        resolved: endpoints.plans[i]!,
      });
    });
    const previous = this.#current;
    this.#current = { entries, loadedAt: new Date(), endpoints, leases: 0, retired: false };
    if (previous) this.#retire(previous);
  }

  /** The current configuration, for a probe: it stays open until released, even across a reload. */
  lease(): Lease {
    const generation = this.#current;
    if (!generation) throw new Error('no configuration loaded');
    generation.leases++;
    let released = false;
    return {
      scenarios: generation,
      release: () => {
        if (released) return;
        released = true;
        generation.leases--;
        if (generation.retired && generation.leases === 0) this.#close(generation);
      },
    };
  }

  /** The current configuration, to list (the status page). */
  get current(): LoadedScenarios | undefined {
    return this.#current;
  }

  /** Closes every configuration (the emulator's thread); resolves when all are closed. */
  async close(): Promise<void> {
    if (this.#current) this.#retire(this.#current);
    this.#current = undefined;
    await Promise.all(this.#closing);
  }

  #retire(generation: Generation): void {
    generation.retired = true;
    if (generation.leases === 0) this.#close(generation);
  }

  #close(generation: Generation): void {
    const closing = generation.endpoints.close().finally(() => this.#closing.delete(closing));
    this.#closing.add(closing);
  }
}
