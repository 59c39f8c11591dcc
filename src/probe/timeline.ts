// Monotonic marks for each phase of one probe; durations are derived once, when the probe ends.
import { performance } from 'node:perf_hooks';
import { PHASES, type Phase } from '../scenario/phases.js';

/** When one phase ran, relative to the start of its probe, in milliseconds. */
export interface PhaseTiming {
  /** Start of the phase, in ms since the probe started (monotonic clock). */
  startMs: number;
  /** How long the phase lasted, in ms; for a failed phase, until the failure was seen. */
  durationMs: number;
  /**
   * How much of the phase the event loop spent stalled on other local work (other probes' key exchanges, the
   * embedded emulator, a report) while other probes were at work, in ms: an upper bound on what in the figure is
   * this machine rather than the network. Absent when the probe ran without the run's scheduler.
   */
  localDelayMs?: number;
}

/** Per-phase timings of the phases that ran; a phase that never started is absent. */
export type PhaseTimings = Partial<Record<Phase, PhaseTiming>>;

interface Marks {
  start: number;
  end?: number;
  /** Waits left out of the probe's clock before this phase started (ms). */
  excludedBefore: number;
}

/** Records raw `performance.now()` marks; nothing is subtracted until `finish()`. */
export class Timeline {
  readonly #origin: number;
  readonly #marks = new Map<Phase, Marks>();
  #end?: number;
  #excludedMs = 0;

  constructor(origin: number = performance.now()) {
    this.#origin = origin;
  }

  /** The current monotonic time, for marks taken outside `start`/`end` (e.g. when a publish left). */
  now(): number {
    return performance.now();
  }

  /** Marks the start of a phase; `at` lets overlapping phases share a start (receive starts at publish). */
  start(phase: Phase, at: number = performance.now()): void {
    this.#marks.delete(phase);
    this.#marks.set(phase, { start: at, excludedBefore: this.#excludedMs });
  }

  /**
   * Leaves a wait between phases out of the probe's clock (its turn at timed work, run/timed-turns.ts): later
   * phases start that much earlier and the total is that much shorter, as if the probe had run alone.
   */
  exclude(waitedMs: number): void {
    this.#excludedMs += waitedMs;
  }

  /** Marks the end of a phase; a phase ends once, later calls are ignored. */
  end(phase: Phase, at: number = performance.now()): void {
    const marks = this.#marks.get(phase);
    if (marks && marks.end === undefined) marks.end = at;
  }

  /** The phase started most recently, if any: where an unexpected error is charged. */
  lastStarted(): Phase | undefined {
    return [...this.#marks.keys()].at(-1);
  }

  /** The start mark of a phase, if it started. */
  startOf(phase: Phase): number | undefined {
    return this.#marks.get(phase)?.start;
  }

  /** Closes every open phase and the probe itself at one instant and returns the derived timings. */
  finish(at: number = performance.now()): { phases: PhaseTimings; totalMs: number } {
    this.#end ??= at;
    const phases: PhaseTimings = {};
    // Walk PHASES rather than the map so the output is always in phase order.
    for (const phase of PHASES) {
      const marks = this.#marks.get(phase);
      if (!marks) continue;
      marks.end ??= this.#end;
      phases[phase] = {
        startMs: round(marks.start - this.#origin - marks.excludedBefore),
        durationMs: round(marks.end - marks.start),
      };
    }
    return { phases, totalMs: round(this.#end - this.#origin - this.#excludedMs) };
  }
}

// Microsecond resolution is plenty and keeps JSON output readable.
function round(ms: number): number {
  return Math.max(0, Math.round(ms * 1000) / 1000);
}
