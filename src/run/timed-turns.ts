// The run's scheduler for timed work: one probe at a time starts its timed phases, a probe that waits on the
// network hands the turn on, and the event loop's own delays are recorded to say how far each figure is local.
import { performance } from 'node:perf_hooks';
import type { TimedTurn } from '../probe/run-phase.js';

/**
 * How long a probe keeps the turn while its phase waits for an answer, in ms. On loopback a whole phase, key
 * exchange and broker work included, ends within it; a probe waiting longer is waiting on the network, which costs
 * no CPU, so the next probe may start. Chosen by measurement (docs/accuracy.md, bench/concurrency-accuracy.ts).
 */
export const PATIENCE_MS = 5;
/**
 * The same for the run's first, cold probe, which pays the process's warm-up (JIT, the first handshake) in short
 * bursts between waits: long enough that on loopback its warm-up stays out of the others' windows, short enough
 * that a cold probe to a dropped port holds up the others by a small share of a timeout.
 */
export const COLD_PATIENCE_MS = 50;
/** Above this share of busy time in a patience window, the holder is taken to be working, not waiting. */
const BUSY_UTILISATION = 0.5;
/**
 * A busy loop keeps the holder's turn for at most this long, in ms: the loop may be busy with others' arrivals
 * while the holder waits, so a warm probe's bound is short; the cold probe's warm-up (JIT, the first MQTT client)
 * is long CPU work of its own.
 */
const MAX_BUSY_HOLD_MS = { warm: 50, cold: 250 } as const;
/** How often the event loop's delay is sampled, in ms. */
const SAMPLE_MS = 1;
/** Lateness of a sample below this is timer granularity, not a busy loop (Node timers count whole ms). */
const NOISE_MS = 1;

interface Stall {
  from: number;
  to: number;
  /** Probes at work (in flight and not queued for the turn) when the stall was seen. */
  active: number;
}

/** One probe's handle: claims the turn for its phases, and reads the local delay inside a window afterwards. */
export interface ProbeTurn extends TimedTurn {
  /** Local delay inside [from, to] (monotonic ms): the event loop's stalls while other probes were at work. */
  localDelayMs(from: number, to: number): number;
  /** Gives the turn up for good: the probe is done. */
  done(): void;
}

/** The turn shared by every probe of a run. `close()` stops the delay sampler. */
export class TimedTurns {
  readonly #patienceMs: number;
  readonly #coldPatienceMs: number;
  readonly #cold = new WeakSet<object>();
  readonly #queue: Array<{ owner: object; grant: () => void }> = [];
  readonly #stalls: Stall[] = [];
  /** Probes in flight, with the monotonic time each started (stalls older than the oldest are dropped). */
  readonly #inFlight = new Map<object, number>();
  #holder: object | undefined;
  #expired = false;
  #patience: NodeJS.Timeout | undefined;
  #sampler: NodeJS.Timeout | undefined;
  #lastSample = 0;

  constructor(options: { patienceMs?: number; coldPatienceMs?: number } = {}) {
    this.#patienceMs = options.patienceMs ?? PATIENCE_MS;
    this.#coldPatienceMs = options.coldPatienceMs ?? COLD_PATIENCE_MS;
  }

  /** A handle for one probe; call `done()` on it when the probe and its bookkeeping are finished. */
  forProbe(options: { cold: boolean }): ProbeTurn {
    const owner = {};
    if (options.cold) this.#cold.add(owner);
    this.#inFlight.set(owner, performance.now());
    this.#startSampler();
    return {
      claim: () => this.#claim(owner),
      localDelayMs: (from, to) => this.#localDelayMs(from, to),
      done: () => this.#done(owner),
    };
  }

  /** Stops sampling; the turns must not be used afterwards. */
  close(): void {
    clearInterval(this.#sampler);
    clearTimeout(this.#patience);
  }

  #claim(owner: object): Promise<void> {
    if (this.#holder === owner || this.#holder === undefined || this.#expired) {
      this.#grant(owner);
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.#queue.push({
        owner,
        grant: () => {
          this.#grant(owner);
          resolve();
        },
      });
    });
  }

  #grant(owner: object): void {
    this.#holder = owner;
    this.#expired = false;
    const cold = this.#cold.has(owner);
    const patienceMs = cold ? this.#coldPatienceMs : this.#patienceMs;
    const maxHoldMs = cold ? MAX_BUSY_HOLD_MS.cold : MAX_BUSY_HOLD_MS.warm;
    this.#armPatience(patienceMs, Math.floor(maxHoldMs / patienceMs));
  }

  #armPatience(patienceMs: number, extensions: number): void {
    clearTimeout(this.#patience);
    const before = performance.eventLoopUtilization();
    this.#patience = setTimeout(() => {
      // A busy loop means the holder is still working (the cold probe's warm-up, a slow key exchange): keep it.
      if (extensions > 0 && performance.eventLoopUtilization(before).utilization > BUSY_UTILISATION) {
        this.#armPatience(patienceMs, extensions - 1);
        return;
      }
      // The holder waits on the network: the next probe may work; with none queued, the next claim takes it.
      this.#expired = true;
      this.#passOn();
    }, patienceMs);
  }

  #passOn(): void {
    const next = this.#queue.shift();
    if (next) next.grant();
  }

  #done(owner: object): void {
    this.#inFlight.delete(owner);
    const queued = this.#queue.findIndex((entry) => entry.owner === owner);
    if (queued >= 0) this.#queue.splice(queued, 1);
    if (this.#holder === owner) {
      this.#holder = undefined;
      clearTimeout(this.#patience);
      this.#passOn();
    }
    if (this.#inFlight.size === 0) {
      clearInterval(this.#sampler);
      this.#sampler = undefined;
    }
    const oldest = Math.min(...this.#inFlight.values());
    const kept = this.#stalls.filter((stall) => stall.to >= oldest);
    this.#stalls.splice(0, this.#stalls.length, ...kept);
  }

  #startSampler(): void {
    if (this.#sampler) return;
    this.#lastSample = performance.now();
    this.#sampler = setInterval(() => {
      const now = performance.now();
      const lateMs = now - this.#lastSample - SAMPLE_MS;
      this.#lastSample = now;
      if (lateMs > NOISE_MS) {
        this.#stalls.push({ from: now - lateMs, to: now, active: this.#inFlight.size - this.#queue.length });
      }
    }, SAMPLE_MS);
    this.#sampler.unref();
  }

  #localDelayMs(from: number, to: number): number {
    let total = 0;
    for (const stall of this.#stalls) {
      // A stall with only this probe at work is its own work (or its server's, for the emulator): alone it is the same.
      if (stall.active < 2) continue;
      const overlap = Math.min(to, stall.to) - Math.max(from, stall.from);
      if (overlap > 0) total += overlap;
    }
    return total;
  }
}
