// What `serve` remembers of its probes for the status page: the last result per scenario and the last N probes,
// in a fixed-size ring, so memory stays flat however long the exporter runs.
import type { StatusProbe } from '../report/status-page.js';

/** One finished `/probe`, as the status page shows it. */
export type ProbeRecord = StatusProbe;

/** The default number of probes the ring keeps (blackbox_exporter keeps 100). */
export const DEFAULT_HISTORY = 100;

export class RecentProbes {
  readonly #ring: Array<ProbeRecord | undefined>;
  #next = 0;
  readonly #last = new Map<string, ProbeRecord>();

  constructor(readonly size: number = DEFAULT_HISTORY) {
    this.#ring = new Array<ProbeRecord | undefined>(Math.max(1, size)).fill(undefined);
  }

  add(record: ProbeRecord): void {
    this.#ring[this.#next] = record;
    this.#next = (this.#next + 1) % this.#ring.length;
    this.#last.set(record.scenario, record);
  }

  /** The kept probes, newest first. */
  recent(): ProbeRecord[] {
    const n = this.#ring.length;
    const out: ProbeRecord[] = [];
    for (let i = 1; i <= n; i++) {
      const record = this.#ring[(this.#next - i + n) % n];
      if (record) out.push(record);
    }
    return out;
  }

  /** The last probe of a scenario, if any ran. */
  last(scenario: string): ProbeRecord | undefined {
    return this.#last.get(scenario);
  }

  /** Forgets the last result of scenarios a reload removed, so the map is bounded by the configuration. */
  keepOnly(scenarios: ReadonlySet<string>): void {
    for (const id of this.#last.keys()) if (!scenarios.has(id)) this.#last.delete(id);
  }
}
