// What one probe produced, as plain serialisable data: the run layer and the renderers read only this.

import type { Phase } from '../scenario/phases.js';
import type { CertificateSummary, Diagnosis } from './diagnosis/diagnosis.js';
import type { PhaseTimings } from './timeline.js';
import type { TcpAttempt } from './transport/open-tcp.js';

/** What the TLS handshake negotiated. */
export interface TlsDetails {
  /** `TLSv1.2` or `TLSv1.3`, as Node reports it. */
  protocol: string;
  /** OpenSSL cipher name, e.g. `TLS_AES_256_GCM_SHA384`. */
  cipher: string;
  /** The SNI sent, or undefined when the endpoint is an IP address (SNI must not carry one). */
  servername?: string;
  /** ALPN protocols offered, in order (empty when none). */
  offeredAlpn: string[];
  /** The ALPN protocol the server selected, or undefined when it selected none. */
  negotiatedAlpn?: string;
  /** The server's leaf certificate; absent if the server sent none. */
  serverCertificate?: CertificateSummary;
  /** Whether the chain and host name verified (always false-or-unchecked under `tls.insecure`). */
  verified: boolean;
  /**
   * The subject of the trust anchor the chain ended at (the root in `ca`, or the top certificate the server sent
   * when it chains to nothing trusted), e.g. `CN=Amazon Root CA 1, O=Amazon, C=US`.
   */
  trustAnchor?: string;
  /**
   * The certificates above the server's own, in order up to the trust anchor (what the server sent, completed
   * with the trusted roots): each issuer with its own issuer and validity. At most 7; absent for a self-signed leaf.
   */
  chain?: CertificateSummary[];
}

/** How far the TLS handshake got before it finished or failed: what can (and cannot) explain a close or a stall. */
export interface TlsHandshakeProgress {
  /** The SNI really sent; absent when none was (an IP endpoint: RFC 6066 forbids an address as SNI). */
  sniSent?: string;
  /** ALPN protocols offered in the ClientHello, in order (empty when none). */
  offeredAlpn: string[];
  /** Bytes written to the server during the tls phase, from the socket underneath TLS; > 0 once the ClientHello went out. */
  bytesWritten: number;
  /** Bytes read from the server during the tls phase; 0 means nothing came back, not even a ServerHello. */
  bytesRead: number;
  /** Whether the server's certificate arrived (it follows the ServerHello; a client certificate is sent only after it). */
  serverCertificateSeen: boolean;
  /** The furthest step: our ClientHello written, bytes back from the server, its certificate, or the whole handshake. */
  reached: TlsHandshakeStep;
}

/** The steps of a handshake as the client can see them, in order. */
export const TLS_HANDSHAKE_STEPS = [
  'nothing-sent',
  'client-hello-sent',
  'server-answered',
  'server-certificate',
  'finished',
] as const;
export type TlsHandshakeStep = (typeof TLS_HANDSHAKE_STEPS)[number];

/** What CONNACK said. */
export interface ConnackDetails {
  /** 4 for MQTT 3.1.1, 5 for MQTT 5. */
  protocolVersion: number;
  /** MQTT 3.1.1 return code or MQTT 5 reason code; 0 is success. */
  reasonCode: number;
  sessionPresent: boolean;
  /** MQTT 5 CONNACK properties worth showing (absent for 3.1.1). */
  properties?: {
    maximumQoS?: number;
    retainAvailable?: boolean;
    maximumPacketSize?: number;
    receiveMaximum?: number;
    topicAliasMaximum?: number;
    serverKeepAlive?: number;
    assignedClientIdentifier?: string;
    reasonString?: string;
    wildcardSubscriptionAvailable?: boolean;
    subscriptionIdentifiersAvailable?: boolean;
    sharedSubscriptionAvailable?: boolean;
    serverReference?: string;
  };
}

/** A DISCONNECT the server sent (MQTT 5 §3.14): why it ended the session. */
export interface ServerDisconnect {
  /** MQTT 5 reason code, e.g. 0x8E (142) Session taken over. */
  reasonCode: number;
  /** The server's Reason String property, when it sent one. */
  reasonString?: string;
  /** The server's Server Reference property (another server to use), when it sent one. */
  serverReference?: string;
}

/** The proxy a probe went through and what it answered. */
export interface ProxyDetails {
  /** The proxy URL with any password replaced by `***`. */
  url: string;
  /** Its answer to the tunnel request: `HTTP/1.1 200 Connection established`, `SOCKS5 granted`, or a refusal. */
  answer?: string;
}

/** What the WebSocket upgrade answered. */
export interface WebSocketDetails {
  /** HTTP status of the upgrade response: 101 when the upgrade was accepted. */
  statusCode: number;
  /** The subprotocol the server selected (`mqtt`), once the upgrade succeeded. */
  protocol?: string;
}

/** How one family's TCP connect ended, in words a report can show. */
export const FAMILY_OUTCOMES = ['connected', 'refused', 'reset', 'timeout', 'unreachable', 'failed'] as const;
export type FamilyOutcome = (typeof FAMILY_OUTCOMES)[number];

/**
 * One family's connect, when DNS gave both IPv4 and IPv6: the probe dials the first address of each at once and
 * goes on over the first that connects, and keeps how the other one ended (docs/diagnosis.md, dual stack).
 */
export interface FamilyAttempt {
  family: 4 | 6;
  address: string;
  /**
   * `connected`; `refused` (ECONNREFUSED: a RST); `reset`; `timeout` (no answer by the tcp timeout); `unreachable`
   * (this machine has no route there: EHOSTUNREACH, ENETUNREACH, EADDRNOTAVAIL); `failed` (any other error).
   */
  outcome: FamilyOutcome;
  /** From the start of the tcp phase until the outcome was known, in ms; for `timeout`, the tcp timeout. */
  afterMs: number;
  /** The socket error's code (ECONNREFUSED, ENETUNREACH, …) when it failed with one. */
  errorCode?: string;
  /** True for the connection the probe went on over. */
  used: boolean;
}

/** Codes of the things worth flagging on a probe that may still pass. */
export const WARNING_CODES = [
  'tcp.family-failed',
  'tls.insecure',
  'tls.alpn-not-negotiated',
  'mqtt.qos-downgraded',
  'mqtt.disconnect-unclean',
] as const;
export type WarningCode = (typeof WARNING_CODES)[number];

export interface Warning {
  code: WarningCode;
  /** One line in plain words. */
  message: string;
}

/** The outcome of one probe. A failed probe is this value with `ok: false` and a diagnosis, never a throw. */
export interface ProbeResult {
  /** ProbePlan.id of the plan that ran. */
  planId: string;
  /** The MQTT client ID used (generated as `mqttprobe-<hex>` unless the plan fixed one). */
  clientId: string;
  /** The topic used for subscribe/publish (`mqttprobe/<clientId>` unless the plan fixed one). */
  topic: string;
  /** True when every requested step completed. */
  ok: boolean;
  /** Why the probe failed; present exactly when `ok` is false. */
  diagnosis?: Diagnosis;
  /** The phase that was running when the failure was seen; present exactly when `ok` is false. */
  failedPhase?: Phase;
  /** Wall-clock start of the probe, ISO 8601 (for ordering and logs; durations use the monotonic clock). */
  startedAt: string;
  /** Timings of the phases that ran, relative to the probe start, in ms (monotonic clock). */
  phases: PhaseTimings;
  /** From the start of dns to the end of the last phase (including disconnect), in ms. */
  totalMs: number;
  /**
   * Local delay inside the timed phases (their union), in ms: how long the event loop was stalled on other local
   * work while other probes were at work. Near 0 means the figures are network time; absent without the run's
   * scheduler (a probe run on its own).
   */
  localDelayMs?: number;
  /** The endpoint host and port as planned. */
  endpoint: string;
  port: number;
  /**
   * The address TCP used, and its family (4 or 6): the proxy's when the probe went through one. When every
   * attempt failed, the one the diagnosis is about.
   */
  address?: string;
  family?: 4 | 6;
  /** Every address DNS gave for the host TCP dialled (at most 16), in the resolver's order. */
  resolvedAddresses?: string[];
  /** One entry per family, in the resolver's order, when DNS gave both; absent for a single family. */
  familyAttempts?: FamilyAttempt[];
  /** The proxy used and its answer; absent without a proxy. */
  proxy?: ProxyDetails;
  /** The WebSocket upgrade's answer; absent for plain MQTT transports or when no answer came. */
  ws?: WebSocketDetails;
  /** What TLS negotiated; absent for plain TCP or when the handshake did not finish. */
  tls?: TlsDetails;
  /** What CONNACK said; absent when none arrived. */
  connack?: ConnackDetails;
  /** QoS requested for subscribe and publish. */
  qos: 0 | 1 | 2;
  /** QoS (or failure code >= 128) granted per subscribed filter, in order; absent when no SUBACK arrived. */
  grantedQos?: number[];
  /** The QoS our own message came back with; absent when it did not come back. */
  receivedQos?: 0 | 1 | 2;
  /** The payload size sent, in bytes (absent when nothing was published). */
  payloadBytes?: number;
  /** How long the connection was held open after the round trip, in ms (absent without `hold`). */
  heldMs?: number;
  /** The DISCONNECT the server sent, in whatever phase it came (MQTT 5); absent when none came. */
  serverDisconnect?: ServerDisconnect;
  /** PUBLISH packets received that the probe did not ask for (anything but its own echo); absent when none. */
  unsolicitedMessages?: number;
  warnings: Warning[];
}

/** Fields of the result that the phases learn as they go; filled in place so a failure keeps everything seen. */
export type ProbeFacts = Partial<
  Pick<
    ProbeResult,
    | 'address'
    | 'family'
    | 'resolvedAddresses'
    | 'familyAttempts'
    | 'proxy'
    | 'tls'
    | 'ws'
    | 'connack'
    | 'grantedQos'
    | 'receivedQos'
    | 'payloadBytes'
    | 'heldMs'
    | 'serverDisconnect'
    | 'unsolicitedMessages'
  >
> & {
  /** The first bytes the server sent on the MQTT connection (up to 64), to recognise an HTTP answer. */
  firstBytes?: Buffer;
  /** With one address per family: the race's attempts, settled by the tcp deadline (open-tcp.ts). */
  tcpRace?: Promise<TcpAttempt[]>;
  /** How far the TLS handshake got (set by the tls phase whether it succeeded or not). */
  tlsHandshake?: TlsHandshakeProgress;
  warnings: Warning[];
};
