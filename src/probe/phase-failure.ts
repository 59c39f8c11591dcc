// What went wrong in one phase, as observed (raw): `diagnose` turns it into a Diagnosis.
import type { Phase } from './phases.js';

/** The ways a phase can end badly, before any interpretation of error codes. */
export type FailureOutcome =
  /** The phase's own timeout elapsed; `waitedMs` is that timeout. */
  | { kind: 'timeout'; waitedMs: number }
  /** Node, OpenSSL or MQTT.js reported an error. */
  | { kind: 'error'; error: unknown }
  /** The peer closed the connection; `error` is the socket error that came with it, if any. */
  | { kind: 'closed'; error?: unknown }
  /** The run was interrupted through the AbortSignal. */
  | { kind: 'aborted' }
  /** CONNACK (or an MQTT 5 PUBACK) carried a failure code. */
  | { kind: 'refused'; reasonCode: number }
  /** SUBACK granted a failure code (>= 0x80) for the filter. */
  | { kind: 'denied'; reasonCode: number }
  /** Our own message came back with other bytes. */
  | { kind: 'mismatch'; sent: Buffer; received: Buffer }
  /** The plan asks for something this version cannot do. */
  | { kind: 'unsupported'; what: string };

/** Thrown inside the probe only, caught by `runProbe`: a phase and how it ended. */
export class PhaseFailure extends Error {
  readonly phase: Phase;
  readonly outcome: FailureOutcome;
  constructor(phase: Phase, outcome: FailureOutcome) {
    super(`${phase} failed: ${outcome.kind}`);
    this.name = 'PhaseFailure';
    this.phase = phase;
    this.outcome = outcome;
  }
}
