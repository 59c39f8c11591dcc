// The errors the probe raises itself, each carrying what was seen, and the reader of thrown values: one file for
// the error shapes of this layer, so the classifiers in diagnosis/ know every one of them.

import type { Phase } from '../scenario/phases.js';
import type { CertificateSummary, RawCause } from './diagnosis/diagnosis.js';

/** The ways a phase can end badly, before any interpretation of error codes. */
export type FailureOutcome =
  /** The phase's own timeout elapsed; `waitedMs` is that timeout. */
  | { kind: 'timeout'; waitedMs: number }
  /** Node, OpenSSL or MQTT.js reported an error. */
  | { kind: 'error'; error: unknown }
  /** The peer closed the connection; `error` is the socket error that came with it, if any. */
  | { kind: 'closed'; error?: unknown }
  /** The run was interrupted through the AbortSignal; `deadlineMs` when its reason was a ProbeDeadline. */
  | { kind: 'aborted'; deadlineMs?: number }
  /** CONNACK (or an MQTT 5 PUBACK) carried a failure code. */
  | { kind: 'refused'; reasonCode: number }
  /** SUBACK granted a failure code (>= 0x80) for the filter. */
  | { kind: 'denied'; reasonCode: number }
  /** Our own message came back with other bytes. */
  | { kind: 'mismatch'; sent: Buffer; received: Buffer }
  /** The plan asks for something this version cannot do. */
  | { kind: 'unsupported'; what: string }
  /** The probe did not send a packet because it would break a limit the server's CONNACK announced. */
  | { kind: 'server-limit'; limit: ServerLimit }
  /** The server answered with a packet the protocol does not allow there (a PUBACK to a QoS 2 PUBLISH). */
  | { kind: 'unexpected-packet'; expected: string; received: string; reasonCode?: number }
  /** The connection looked open but did not answer a PINGREQ within `waitedMs`. */
  | { kind: 'unanswered-ping'; waitedMs: number };

/** A limit from an MQTT 5 CONNACK (§3.2.2.3) that the packet the probe was about to send would break. */
export type ServerLimit =
  | {
      /** Maximum QoS: the highest QoS the server takes in a PUBLISH. */
      name: 'maximumQoS';
      allowed: number;
      requestedQos: number;
    }
  | {
      /** Maximum Packet Size, in bytes, fixed header included. */
      name: 'maximumPacketSize';
      allowed: number;
      packetType: 'publish' | 'subscribe';
      /** The size of the packet that was not sent, in bytes. */
      packetBytes: number;
    };

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

/**
 * A failed server verification. `code` is OpenSSL's verify code (`CERT_HAS_EXPIRED`, `SELF_SIGNED_CERT_IN_CHAIN`,
 * ...) or Node's `ERR_TLS_CERT_ALTNAME_INVALID`; `certificate` is the leaf the server presented.
 */
export class TlsVerifyError extends Error {
  readonly code: string;
  readonly certificate?: CertificateSummary;
  /** The host name the certificate was checked against. */
  readonly hostname: string;
  constructor(options: {
    code: string;
    message: string;
    hostname: string;
    certificate?: CertificateSummary;
  }) {
    super(options.message);
    this.name = 'TlsVerifyError';
    this.code = options.code;
    this.hostname = options.hostname;
    if (options.certificate) this.certificate = options.certificate;
  }
}

/** What the body or headers of a refused upgrade say about the cause, when they say anything. */
export type UpgradeRefusalHint = 'clock-skew' | 'signature';

/** A refused upgrade: status, the server's clock, and a hint read from the body (the body itself is not kept). */
export class WsUpgradeError extends Error {
  readonly statusCode: number;
  /** `HTTP/1.1 403 Forbidden`. */
  readonly statusLine: string;
  /** Server clock minus local clock at the answer, in ms, from the `Date` header (1 s resolution); absent without one. */
  readonly skewMs?: number;
  readonly hint?: UpgradeRefusalHint;
  constructor(options: {
    statusCode: number;
    statusLine: string;
    skewMs?: number;
    hint?: UpgradeRefusalHint;
  }) {
    super(`the WebSocket upgrade was answered ${options.statusLine}`);
    this.name = 'WsUpgradeError';
    this.statusCode = options.statusCode;
    this.statusLine = options.statusLine;
    if (options.skewMs !== undefined) this.skewMs = options.skewMs;
    if (options.hint !== undefined) this.hint = options.hint;
  }
}

/** Which incoming limit (mqtt/incoming-limits.ts) the server crossed, and what it sent. */
export type ExceededLimit =
  | {
      kind: 'packet-size';
      /** The packet type from its fixed header, e.g. `publish`. */
      packetType: string;
      /** The size its Remaining Length announced, fixed header included, in bytes. */
      announcedBytes: number;
      limitBytes: number;
    }
  | {
      kind: 'unsolicited';
      /** PUBLISH packets the probe did not ask for, and their bytes, up to the one that crossed the limit. */
      messages: number;
      bytes: number;
      limitMessages: number;
      limitBytes: number;
      /** The topic of the first one. */
      firstTopic: string;
    };

/** The probe stopped reading the connection: the server sent more than the probe will hold in memory. */
export class IncomingLimitError extends Error {
  readonly exceeded: ExceededLimit;
  constructor(exceeded: ExceededLimit) {
    super(
      exceeded.kind === 'packet-size'
        ? `a ${exceeded.packetType} packet of ${exceeded.announcedBytes} bytes exceeds the ${exceeded.limitBytes}-byte limit`
        : `${exceeded.messages} messages (${exceeded.bytes} bytes) arrived that the probe did not ask for`,
    );
    this.name = 'IncomingLimitError';
    this.exceeded = exceeded;
  }
}

/** A negative answer from a proxy, as plain evidence (never the credentials that were sent). */
export class ProxyAnswerError extends Error {
  /** `http` for an HTTP CONNECT reply, `socks4`/`socks5` for a SOCKS reply. */
  readonly protocol: 'http' | 'socks4' | 'socks5';
  /** The HTTP status code (403, 407, 502, …); absent for SOCKS, whose reply codes are in `statusLine`. */
  readonly statusCode?: number;
  /** `HTTP/1.1 403 Forbidden`, or for SOCKS e.g. `SOCKS5 NotAllowed`. */
  readonly statusLine: string;
  /** True when the proxy wants (other) credentials: HTTP 407 (or 401), or a SOCKS authentication failure. */
  readonly authRequired: boolean;
  constructor(options: {
    protocol: 'http' | 'socks4' | 'socks5';
    statusCode?: number;
    statusLine: string;
    authRequired: boolean;
  }) {
    super(`the proxy answered ${options.statusLine}`);
    this.name = 'ProxyAnswerError';
    this.protocol = options.protocol;
    if (options.statusCode !== undefined) this.statusCode = options.statusCode;
    this.statusLine = options.statusLine;
    this.authRequired = options.authRequired;
  }
}

function field(error: object, key: string): unknown {
  return (error as Record<string, unknown>)[key];
}

/** A thrown value as plain, serialisable data; non-errors become their string form. */
export function toRawCause(error: unknown): RawCause {
  if (typeof error !== 'object' || error === null) return { message: String(error) };
  const message = field(error, 'message');
  const cause: RawCause = { message: typeof message === 'string' ? message : String(error) };
  const name = field(error, 'name');
  if (typeof name === 'string') cause.name = name;
  const code = field(error, 'code');
  // MQTT.js puts numeric MQTT reason codes in `code`; Node and OpenSSL use strings.
  if (typeof code === 'string') cause.code = code;
  if (typeof code === 'number') cause.reasonCode = code;
  const errno = field(error, 'errno');
  if (typeof errno === 'number') cause.errno = errno;
  const syscall = field(error, 'syscall');
  if (typeof syscall === 'string') cause.syscall = syscall;
  const reason = field(error, 'reason');
  if (typeof reason === 'string') cause.reason = reason;
  return cause;
}

/**
 * The reason a caller gives its AbortSignal when its own deadline, not the user, stops the probes (a Prometheus
 * scrape's timeout): the probe's failure is then `probe.deadline`, not `probe.interrupted`.
 */
export class ProbeDeadline extends Error {
  constructor(
    /** The deadline the caller set, in ms from the start of its run. */
    readonly deadlineMs: number,
  ) {
    super(`the run's deadline of ${deadlineMs} ms passed`);
    this.name = 'ProbeDeadline';
  }
}
