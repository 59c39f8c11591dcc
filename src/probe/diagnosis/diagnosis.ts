// The closed set of diagnosis codes, and the evidence each one carries: a failed probe is one of these values.

import { type Phase, TIMED_PHASES, type TimedPhase } from '../../scenario/phases.js';
import type { Auth } from '../../scenario/plan.js';

/** Why the proxy itself could not be reached, from the dns or tcp failure towards it. */
export type ProxyUnreachableReason =
  | 'not-found'
  | 'dns-timeout'
  | 'refused'
  | 'timeout'
  | 'reset'
  | 'unreachable'
  | 'other';

/**
 * What a refused WebSocket upgrade most likely means: `clock-skew` when the server's Date differs from ours by
 * more than SigV4's 5 minutes (or the body says the signature expired), `signature` for another 401/403 on a
 * SigV4 URL, `authorizer` for a 401/403 with a custom authorizer, `not-found` for 404.
 */
export type WsRejectionReason = 'clock-skew' | 'signature' | 'authorizer' | 'not-found' | 'other';

/**
 * Codes the probe itself produces, `family.reason`. The family is the layer that failed (dns, tcp, proxy, tls,
 * ws, mqtt), not necessarily the phase it was seen in: a TLS 1.3 client-certificate alert arrives while we wait
 * for CONNACK and is still `tls.client-cert-rejected`.
 */
export const PROBE_DIAGNOSIS_CODES = [
  'dns.not-found',
  'dns.timeout',
  'dns.unknown',
  'tcp.timeout',
  'tcp.refused',
  'tcp.reset',
  'tcp.unreachable',
  'tcp.unknown',
  'proxy.unreachable',
  'proxy.refused',
  'proxy.auth-required',
  'proxy.timeout',
  'proxy.unsupported',
  'proxy.unknown',
  'tls.timeout',
  'tls.alpn-rejected',
  'tls.server-untrusted',
  'tls.hostname-mismatch',
  'tls.cert-expired',
  'tls.client-cert-rejected',
  'tls.version',
  'tls.not-tls',
  'tls.closed-during-handshake',
  'tls.unknown',
  'ws.rejected',
  'ws.timeout',
  'ws.sigv4-credentials',
  'ws.unknown',
  'mqtt.http-response',
  'mqtt.connack-timeout',
  'mqtt.connack-refused',
  'mqtt.closed-before-connack',
  'mqtt.suback-denied',
  'mqtt.suback-timeout',
  'mqtt.closed-after-subscribe',
  'mqtt.puback-timeout',
  'mqtt.publish-refused',
  'mqtt.closed-after-publish',
  'mqtt.receive-timeout',
  'mqtt.payload-mismatch',
  'mqtt.connection-dropped',
  'mqtt.malformed-packet',
  'mqtt.unknown',
  'probe.interrupted',
] as const;

/** Codes the run layer adds when a phase (or the whole probe) is slower than the scenario allows. */
export const THRESHOLD_DIAGNOSIS_CODES = [
  ...TIMED_PHASES.map((phase) => `threshold.${phase}` as const),
  'threshold.total' as const,
];

/** Every diagnosis code, in documentation order. */
export const DIAGNOSIS_CODES = [...PROBE_DIAGNOSIS_CODES, ...THRESHOLD_DIAGNOSIS_CODES] as const;
export type ProbeDiagnosisCode = (typeof PROBE_DIAGNOSIS_CODES)[number];
export type ThresholdDiagnosisCode = (typeof THRESHOLD_DIAGNOSIS_CODES)[number];
export type DiagnosisCode = (typeof DIAGNOSIS_CODES)[number];

/** The layer a code belongs to: the part before the dot. */
export type DiagnosisFamily = DiagnosisCode extends `${infer F}.${string}` ? F : never;

/** A raw error reduced to plain, serialisable data (never key material): what Node or MQTT.js actually said. */
export interface RawCause {
  name?: string;
  /** Node/OpenSSL error code such as `ECONNREFUSED` or `ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED`. */
  code?: string;
  message: string;
  errno?: number;
  syscall?: string;
  /** OpenSSL's reason string, e.g. `tlsv13 alert certificate required`. */
  reason?: string;
  /** MQTT reason or return code carried by an MQTT.js error. */
  reasonCode?: number;
}

/** A certificate as the probe saw it: names and dates only, never key material. */
export interface CertificateSummary {
  /** Distinguished name as `CN=…, O=…`. */
  subject: string;
  issuer: string;
  /** Validity bounds as ISO 8601 timestamps (empty when the peer sent no certificate). */
  validFrom: string;
  validTo: string;
  /** SHA-256 fingerprint, colon-separated hex. */
  fingerprint256: string;
  /** subjectAltName as Node prints it, e.g. `DNS:example.com, IP Address:127.0.0.1`. */
  subjectAltName?: string;
}

interface Endpoint {
  host: string;
  port: number;
}

interface TimedOut {
  /** How long the probe waited before giving up, in ms (the phase timeout). */
  waitedMs: number;
}

/** What each code proves; the fields are the evidence a renderer may show beside the message. */
export interface ProbeEvidenceByCode {
  'dns.not-found': { host: string };
  'dns.timeout': { host: string } & TimedOut;
  'dns.unknown': { host: string; phase: Phase };
  'tcp.timeout': Endpoint & { address: string } & TimedOut;
  'tcp.refused': Endpoint & { address: string };
  /** `phase` is where the reset was seen: during connect, or during the TLS handshake. */
  'tcp.reset': Endpoint & { address?: string; phase: Phase };
  /** `errorCode` is EHOSTUNREACH or ENETUNREACH: the OS has no route there. */
  'tcp.unreachable': Endpoint & { address: string; errorCode: string };
  'tcp.unknown': Endpoint & { phase: Phase };
  /**
   * The proxy (not the endpoint) could not be reached: `host`/`port` are the proxy's, `phase` is dns or tcp,
   * `waitedMs` is set for timeouts.
   */
  'proxy.unreachable': {
    proxy: string;
    host: string;
    port: number;
    address?: string;
    reason: ProxyUnreachableReason;
    phase: Phase;
    waitedMs?: number;
  };
  /** The proxy answered the tunnel request with a refusal; `host`/`port` are the endpoint asked for. */
  'proxy.refused': { proxy: string; host: string; port: number; statusLine: string; statusCode?: number };
  /** HTTP 407 or a SOCKS authentication failure; `credentialsSent` says whether the proxy URL carried any. */
  'proxy.auth-required': { proxy: string; statusLine: string; credentialsSent: boolean };
  'proxy.timeout': { proxy: string; host: string; port: number } & TimedOut;
  'proxy.unsupported': { proxy: string };
  'proxy.unknown': { proxy?: string; phase: Phase };
  'tls.timeout': { servername?: string } & TimedOut;
  'tls.alpn-rejected': { offeredAlpn: string[] };
  /** `issuer` is who signed the certificate we were shown: a corporate TLS-inspecting proxy shows up here. */
  'tls.server-untrusted': { issuer: string; subject: string; verifyError: string; customCa: boolean };
  'tls.hostname-mismatch': { servername: string; subject: string; subjectAltName?: string };
  'tls.cert-expired': { subject: string; validFrom: string; validTo: string; verifyError: string };
  /** `alert` is the TLS alert in words; `afterHandshake` is true when it arrived after secureConnect (TLS 1.3). */
  'tls.client-cert-rejected': {
    alert: string;
    afterHandshake: boolean;
    clientCertPresented: boolean;
    phase: Phase;
  };
  'tls.version': { minVersion?: string; maxVersion?: string; alert: string };
  'tls.not-tls': { alert: string };
  /** A close with no alert; a server that rejects the client certificate silently (Node's does) ends here. */
  'tls.closed-during-handshake': { servername?: string; clientCertPresented: boolean };
  'tls.unknown': { phase: Phase };
  /**
   * The upgrade was answered with `statusCode` instead of 101. `skewMs` is the server's clock minus ours, from its
   * Date header; `path` never includes the query (it holds the signature).
   */
  'ws.rejected': {
    statusCode: number;
    statusLine: string;
    path: string;
    reason: WsRejectionReason;
    skewMs?: number;
    authType: Auth['type'];
  };
  'ws.timeout': { path: string } & TimedOut;
  /** No SigV4 credentials or region could be resolved; nothing was sent. */
  'ws.sigv4-credentials': { problem: 'no-credentials' | 'no-region'; profile?: string; region?: string };
  'ws.unknown': { phase: Phase };
  /** `statusLine` is the first line received, e.g. `HTTP/1.1 400 Bad Request`. */
  'mqtt.http-response': { statusLine: string; offeredAlpn: string[]; negotiatedAlpn?: string; phase: Phase };
  'mqtt.connack-timeout': TimedOut;
  'mqtt.connack-refused': { protocolVersion: number; reasonCode: number; reason: string };
  /**
   * `reset` is true when the close was a TCP reset rather than an orderly FIN. With TLS 1.3 a server that rejects
   * the client certificate without an alert (Node's own TLS server does this) looks exactly like this, so the
   * TLS version and whether a client certificate was presented ride along.
   */
  'mqtt.closed-before-connack': {
    reset: boolean;
    tlsProtocol?: string;
    clientCertPresented: boolean;
    /** The plan's auth type: with a custom authorizer, a close before CONNACK is how AWS says "denied". */
    authType?: Auth['type'];
  };
  'mqtt.suback-denied': { topic: string; requestedQos: number; reasonCode: number; reason: string };
  'mqtt.suback-timeout': { topic: string; requestedQos: number } & TimedOut;
  'mqtt.closed-after-subscribe': { topic: string; reset: boolean };
  'mqtt.puback-timeout': { topic: string; qos: number } & TimedOut;
  'mqtt.publish-refused': { topic: string; qos: number; reasonCode: number; reason: string };
  'mqtt.closed-after-publish': { topic: string; reset: boolean };
  'mqtt.receive-timeout': { topic: string } & TimedOut;
  /** Byte counts and the first differing offset (-1 when one payload is a prefix of the other). */
  'mqtt.payload-mismatch': {
    topic: string;
    sentBytes: number;
    receivedBytes: number;
    firstDifferenceAt: number;
  };
  'mqtt.connection-dropped': { heldMs: number; plannedMs: number; reset: boolean };
  /** `parserMessage` is what the MQTT parser said about the bytes, e.g. "Invalid header flag bits…". */
  'mqtt.malformed-packet': { phase: Phase; parserMessage: string };
  'mqtt.unknown': { phase: Phase };
  'probe.interrupted': { phase: Phase };
}

/** Evidence for a `threshold.*` code: which phase was slow, the limit and the measured value, in ms. */
export interface ThresholdEvidence {
  phase: TimedPhase | 'total';
  limitMs: number;
  actualMs: number;
}

export type EvidenceByCode = ProbeEvidenceByCode & Record<ThresholdDiagnosisCode, ThresholdEvidence>;

/** One diagnosis of a given code. */
export interface DiagnosisOf<C extends DiagnosisCode> {
  code: C;
  /** One line in plain words: what went wrong. */
  message: string;
  /** One line: what to do or check next. */
  hint: string;
  evidence: EvidenceByCode[C];
  /** The raw error behind it, for `--verbose` and JSON; absent when the failure was an absence (a timeout). */
  cause?: RawCause;
}

/** A diagnosis: discriminate on `code` to reach typed evidence. */
export type Diagnosis = { [C in DiagnosisCode]: DiagnosisOf<C> }[DiagnosisCode];

/** The family (layer) of a code, e.g. `tls` for `tls.cert-expired`. */
export function diagnosisFamily(code: DiagnosisCode): DiagnosisFamily {
  return code.slice(0, code.indexOf('.')) as DiagnosisFamily;
}

// Compile-time check that the evidence table and the code list name the same codes.
type MissingEvidence = Exclude<DiagnosisCode, keyof EvidenceByCode>;
type StrayEvidence = Exclude<keyof EvidenceByCode, DiagnosisCode>;
const sameCodes: [MissingEvidence, StrayEvidence] extends [never, never] ? true : false = true;
void sameCodes;
