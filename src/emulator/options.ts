// The emulator's options, fault switches and policies, with their defaults.

/** A CONNACK return code that refuses the connection (MQTT 3.1.1 §3.2.2.3): 1 protocol … 5 not authorized. */
export type ConnackRefusal = 1 | 2 | 3 | 4 | 5;

/** Which server certificate the TLS listeners present. */
export const SERVER_CERT_MODES = ['valid', 'untrusted', 'expired', 'wrong-host'] as const;
export type ServerCertMode = (typeof SERVER_CERT_MODES)[number];

/** Switches that make the emulator misbehave on purpose, to test a client's diagnosis. All off by default. */
export interface EmulatorFaults {
  /** Accept TCP, then never answer the TLS ClientHello (a middlebox that swallows the handshake). */
  stallTlsHandshake: boolean;
  /** Close the connection as soon as CONNECT arrives, without a CONNACK. */
  closeAfterConnect: boolean;
  /** Answer CONNECT with this refusal code, then close; `null` for a normal CONNACK. */
  connackRefusal: ConnackRefusal | null;
  /**
   * Added to each phase, in milliseconds: before the TLS handshake starts, before the WebSocket upgrade reply,
   * and before each MQTT packet the broker sends (CONNACK, SUBACK, PUBACK, delivered PUBLISH), one after another.
   */
  phaseDelayMs: number;
  /**
   * `untrusted`: a certificate from another CA (a TLS-inspecting middlebox); `expired`: expired yesterday;
   * `wrong-host`: valid but for `wrong-host.invalid` only.
   */
  serverCert: ServerCertMode;
  /** Close the connection when a SUBSCRIBE arrives, without a SUBACK. */
  closeOnSubscribe: boolean;
  /** Close the connection when a PUBLISH arrives, without a PUBACK. */
  closeOnPublish: boolean;
  /** Accept everything but never deliver a message to a subscriber (like a denied `iot:Receive`). */
  neverDeliver: boolean;
  /**
   * Refuse TLS connections whose ClientHello carries no SNI, with the `unrecognized_name` alert before any
   * ServerHello. Older AWS docs say such connections are refused; current ones make SNI required only for some
   * features, so it is off by default.
   */
  refuseWithoutSni: boolean;
  /** Answer DescribeEndpoint with 403 AccessDeniedException, as for credentials whose policy lacks it. */
  denyControlPlane: boolean;
  /**
   * The emulator's clock minus the real one, in ms: it judges SigV4 signing times by it and sends it as the `Date`
   * of its HTTP answers, as a device whose clock is off sees AWS (a positive value: the device is behind).
   */
  clockSkewMs: number;
}

export const NO_FAULTS: EmulatorFaults = {
  stallTlsHandshake: false,
  closeAfterConnect: false,
  connackRefusal: null,
  phaseDelayMs: 0,
  serverCert: 'valid',
  closeOnSubscribe: false,
  closeOnPublish: false,
  neverDeliver: false,
  refuseWithoutSni: false,
  denyControlPlane: false,
  clockSkewMs: 0,
};

/**
 * Allow-lists per action, like an AWS IoT policy. An absent list allows everything; an empty list allows nothing.
 * A violation closes the connection without a reason, as AWS IoT does over MQTT 3.1.1.
 */
export interface EmulatorPolicies {
  /** Client ID patterns; `*` matches any run of characters, `?` one character (as in policy resource ARNs). */
  connect?: string[];
  /** Topic filters (MQTT `+` and `#`) a client may publish to. */
  publish?: string[];
  /** Topic filters a client may subscribe to; a requested filter must fall inside one of them. */
  subscribe?: string[];
  /** Topic filters a client may receive messages on; others are silently not delivered. */
  receive?: string[];
}

/** Username and password checked on ALPN `mqtt` (AWS IoT custom authentication over MQTT). */
export interface CustomAuthorizerCredentials {
  /** Authorizer name; when set, the username must carry `?x-amz-customauthorizer-name=NAME`. */
  name?: string;
  username: string;
  password: string;
  /**
   * Over WebSockets the authorizer gets headers instead of a username: `x-amz-customauthorizer-name` and this token
   * in a header named `tokenKeyName`. The emulator accepts the upgrade when both match (the signature is not checked).
   */
  tokenKeyName?: string;
  token?: string;
}

/** Test credentials a SigV4-presigned WebSocket URL must be signed with. */
export interface SigV4Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  /** Expected in `X-Amz-Security-Token` (appended after signing, as AWS IoT expects) when set. */
  sessionToken?: string;
  region: string;
}

/** Options for `startEmulator`. Every field is optional. */
export interface EmulatorOptions {
  /** Address to listen on (default `127.0.0.1`). */
  host?: string;
  /** Host name in the server certificate and in DescribeEndpoint answers (default `localhost`). */
  hostname?: string;
  /** Fixed ports; 0 or absent picks an ephemeral port. */
  ports?: { mqtts?: number; alpn?: number; controlPlane?: number };
  customAuthorizer?: CustomAuthorizerCredentials;
  sigv4?: SigV4Credentials;
  policies?: EmulatorPolicies;
  faults?: Partial<EmulatorFaults>;
}

/** The test credentials used when none are given; obviously fake, like the AWS documentation examples. */
export const DEFAULT_SIGV4: SigV4Credentials = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  region: 'us-east-1',
};

export const DEFAULT_CUSTOM_AUTHORIZER: CustomAuthorizerCredentials = {
  username: 'mqttprobe',
  password: 'mqttprobe-password',
  tokenKeyName: 'x-mqttprobe-token',
  token: 'mqttprobe-token',
};
