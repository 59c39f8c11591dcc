// Runs one timed phase: marks it on the timeline and bounds it by its own timeout and the probe's AbortSignal.

import type { Phase } from '../scenario/phases.js';
import { PhaseFailure } from './errors.js';
import type { Timeline } from './timeline.js';

/** What every phase needs from the probe around it. */
export interface PhaseScope {
  timeline: Timeline;
  /** Aborts the whole probe (Ctrl-C). */
  signal?: AbortSignal;
}

/** How one phase runs: its name, its timeout in ms, and when it started if not now (overlapping phases). */
export interface PhaseSpec {
  phase: Phase;
  timeoutMs: number;
  /** A monotonic mark to start the phase at; the timeout still counts from that mark. */
  startedAt?: number;
}

/**
 * Runs `work` as one phase. `work` gets a signal that fires on timeout or abort so it can tear down what it
 * started; any rejection becomes a PhaseFailure of this phase.
 */
export async function runPhase<T>(
  scope: PhaseScope,
  spec: PhaseSpec,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const { timeline, signal: outer } = scope;
  const { phase, timeoutMs } = spec;
  const startedAt = spec.startedAt ?? timeline.now();
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
