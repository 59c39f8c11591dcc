// Runs one timed phase: marks it on the timeline and bounds it by its own timeout and the probe's AbortSignal.

import type { TimedPhase } from '../scenario/phases.js';
import { PhaseFailure } from './errors.js';
import type { Timeline } from './timeline.js';

/**
 * The run's permission to start timed work. Probes side by side take turns, so that no probe's CPU work (a key
 * exchange, a new MQTT client) lands inside another's timed window; a probe waiting on the network hands it on.
 */
export interface TimedTurn {
  /** Resolves once this probe may start a timed phase (at once when it holds the turn). Never rejects. */
  claim(): Promise<void>;
}

/** What every phase needs from the probe around it. */
export interface PhaseScope {
  timeline: Timeline;
  /** Each phase's timeout in ms (the plan's `timeoutsMs`): a phase finds its own, no caller restates it. */
  timeoutsMs: Readonly<Record<TimedPhase, number>>;
  /** Aborts the whole probe (Ctrl-C). */
  signal?: AbortSignal;
  /** Absent when the probe runs alone (tests, a single probe). */
  turn?: TimedTurn;
}

export interface RunPhaseOptions {
  /** A monotonic mark to start the phase at, if not now (overlapping phases); the timeout counts from that mark. */
  startedAt?: number;
}

/**
 * Runs `work` as `phase`, bounded by the scope's timeout for that phase. `work` gets a signal that fires on timeout
 * or abort so it can tear down what it started; it may reject with any error, which becomes a PhaseFailure of this
 * phase (kind `error`), or with a PhaseFailure of its own for the other outcomes (refused, denied, mismatch, …).
 */
export async function runPhase<T>(
  scope: PhaseScope,
  phase: TimedPhase,
  work: (signal: AbortSignal) => Promise<T>,
  options: RunPhaseOptions = {},
): Promise<T> {
  const { timeline, signal: outer } = scope;
  const timeoutMs = scope.timeoutsMs[phase];
  // Waiting for the turn is not part of the phase; a phase started earlier (at publish) claimed it then.
  if (scope.turn && options.startedAt === undefined) await scope.turn.claim();
  const startedAt = options.startedAt ?? timeline.now();
  timeline.start(phase, startedAt);
  const inner = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const bounded = new Promise<never>((_resolve, reject) => {
    const remainingMs = Math.max(0, timeoutMs - (timeline.now() - startedAt));
    timer = setTimeout(
      () => reject(new PhaseFailure(phase, { kind: 'timeout', waitedMs: timeoutMs })),
      remainingMs,
    );
    onAbort = () => reject(new PhaseFailure(phase, { kind: 'aborted' }));
    if (outer?.aborted) onAbort();
    else outer?.addEventListener('abort', onAbort, { once: true });
  });
  try {
    // Promise.race subscribes to both, so a late rejection from `work` after a timeout is handled, not leaked.
    const value = await Promise.race([work(inner.signal), bounded]);
    timeline.end(phase);
    return value;
  } catch (error) {
    timeline.end(phase);
    inner.abort();
    throw error instanceof PhaseFailure ? error : new PhaseFailure(phase, { kind: 'error', error });
  } finally {
    clearTimeout(timer);
    if (onAbort) outer?.removeEventListener('abort', onAbort);
  }
}
