// The resolved, validated form of one scenario after defaults and matrix expansion: what the probe executes.
import type { DiagnosisCode } from './diagnosis-codes.js';
import type { Step, TimedPhase } from './phases.js';
import type { ProxySetting } from './proxy-setting.js';
import type { Secret } from './secret.js';

/** A place in a scenario file, for error messages and for pointing a diagnosis back at the key to change. */
export interface SourceSpan {
  file: string;
  /** 1-based line and column of the start. */
  line: number;
  column: number;
  /** 1-based line and column just past the end (same line when the value is on one line). */
  endLine: number;
  endColumn: number;
}

export type Transport = 'mqtts' | 'mqtt' | 'wss' | 'ws';
export type TlsVersion = 'TLSv1.2' | 'TLSv1.3';
/** Protocol level on the wire: 4 is MQTT 3.1.1, 5 is MQTT 5. */
export type MqttProtocolVersion = 4 | 5;

/** A PEM file read at load time; `path` is absolute, for messages. */
export interface PemFile {
  path: string;
  pem: string;
}

export type Auth =
  | { type: 'none' }
  | {
      type: 'x509';
      cert: PemFile;
      /** The key's PEM text is held only as a Secret: `key.secret.reveal()` where TLS needs it. */
      key: { path: string; secret: Secret<string> };
      passphrase?: Secret<string>;
    }
  | { type: 'password'; username: string; password?: Secret<string> }
  | { type: 'sigv4'; region?: string; profile?: string }
  | {
      type: 'custom-authorizer';
      authorizer: string;
      username?: string;
      password?: Secret<string>;
      /** Token value and the name of the header or query parameter that carries it. */
      token?: Secret<string>;
      tokenKeyName?: string;
      signature?: Secret<string>;
    };

/** What the scenario expects: a pass, any failure, or one failure code. */
export type Expectation = { kind: 'pass' } | { kind: 'fail' } | { kind: 'code'; code: DiagnosisCode };

/** Latency limits in milliseconds; `total` covers the whole probe. */
export type Thresholds = Partial<Record<TimedPhase | 'total', number>>;

export interface ProbePlan {
  /** Stable, unique id: the scenario name plus its matrix values, e.g. `qos sweep [port=443, qos=1]`. */
  id: string;
  /** The scenario's `name` before expansion. */
  name: string;
  /** Matrix values that produced this plan, in matrix key order (empty without a matrix). */
  matrixValues: Array<[key: string, value: unknown]>;
  file: string;
  /** Where the scenario starts in its file. */
  span: SourceSpan;
  /** Where each resolved key came from (scenario, defaults or matrix entry), by dotted key path. */
  spans: Record<string, SourceSpan>;
  /** The keys a command-line flag set instead, by top-level key: `{ timeout: '--timeout' }`; absent when none. */
  commandLine?: Record<string, string>;
  tags: string[];
  /** A host name or address; `aws` means look it up with DescribeEndpoint before probing. */
  endpoint: string;
  port: number;
  transport: Transport;
  /** HTTP path for WebSocket transports. */
  path: string;
  /** ALPN protocols to offer, already resolved from `auto`; empty means offer none. */
  alpn: string[];
  /** SNI and certificate host name; defaults to the endpoint. */
  servername?: string;
  ca?: PemFile;
  tls: { minVersion?: TlsVersion; maxVersion?: TlsVersion; insecure: boolean };
  auth: Auth;
  mqtt: {
    version: MqttProtocolVersion;
    /** Fixed client ID, or undefined for a fresh unique `mqttprobe-<random>` per probe. */
    clientId?: string;
    keepaliveS: number;
    cleanSession: boolean;
  };
  qos: 0 | 1 | 2;
  /** Fixed topic, or undefined for `mqttprobe/<clientId>`. */
  topic?: string;
  payload: Buffer;
  retain: boolean;
  steps: Step[];
  repeat: number;
  /** Per-phase timeouts in milliseconds; every timed phase has one. */
  timeoutsMs: Record<TimedPhase, number>;
  /**
   * HTTP or SOCKS proxy from the scenario or the environment, parsed once (`proxy-setting.ts`): kind, host, port,
   * whether credentials are sent (they stay secret), where it came from, and `display` with the password masked.
   * `noProxy` is set when the proxy came from the environment and the host is not known yet (`endpoint: aws`): the
   * run applies NO_PROXY after the look-up.
   */
  proxy?: ProxySetting;
  expect: Expectation;
  thresholdsMs: Thresholds;
  /** Keep the connection open this long after the round trip; 0 for none. */
  holdMs: number;
  /**
   * `endpoint: emulator`: the run starts the embedded emulator, maps ports 8883 and 443 to its listeners, and fills
   * in what the scenario leaves unset: its CA (`ca`) and its device certificate (`deviceCert`, when `auth` is unset).
   */
  emulator?: { ca: boolean; deviceCert: boolean };
  /**
   * For plans whose scenario text exists only in memory (`check` without `--save`): no line can be pointed at, so a
   * fix names what the user gave instead, by top-level key (`ca: '--ca'`), with `*` for every other key.
   */
  fixOptions?: Record<string, string>;
  /**
   * The endpoint and port as the scenario wrote them, when the run dials others instead (`endpoint: emulator` maps
   * 8883 and 443 onto the emulator's own ports): diagnoses name these, as the reports do.
   */
  written?: { endpoint: string; port: number };
  /** `serve.targets`: the HOST[:PORT] patterns `/probe?target=` may point this scenario at (absent: none). */
  serveTargets?: string[];
  /** The AWS account for `endpoint: aws` and SigV4; unset fields fall to the SDK's chain (AWS_REGION, AWS_PROFILE). */
  aws?: { region?: string; profile?: string };
}

/**
 * The auth a plan's probes will use, as reports should name it: the embedded emulator lends its device certificate
 * (x509) to a scenario that names no `auth`, though the plan as written still says `none`.
 */
export function effectiveAuthType(plan: {
  auth: { type: Auth['type'] };
  emulator?: ProbePlan['emulator'];
}): Auth['type'] {
  return plan.emulator?.deviceCert ? 'x509' : plan.auth.type;
}
