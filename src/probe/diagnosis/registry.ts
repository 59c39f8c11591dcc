// One entry per diagnosis code: the evidence it carries, its words (message and hint) and the scenario key a fix
// would change, as hurl's RunnerError keeps description, fix and source location together.
//
// To add a code: put its name in DIAGNOSIS_CODES (src/scenario/diagnosis-codes.ts), then its entry here. The
// compiler refuses a name without an entry, an entry without a name, an entry without text, and a `key` that is not
// a scenario key; the evidence type, `Diagnosis` and `EvidenceByCode` follow from the entry.
import type { DiagnosisCode } from '../../scenario/diagnosis-codes.js';
import type { Phase, TimedPhase } from '../../scenario/phases.js';
import type { Auth, Transport } from '../../scenario/plan.js';
import type { ProxySource } from '../../scenario/proxy-setting.js';
import type { RawScenario, ScenarioFieldKey } from '../../scenario/schema.js';
import type { FamilyAttempt, TlsHandshakeProgress } from '../result.js';
import { asMqtt5Code, reasonCodeFix } from './aws-reason-codes.js';
import { addressPort, leadFamilyName, leadFamilyWords, otherFamilyWords } from './family-words.js';

/** The scenario key a fix would change (dotted for a nested key), so a report can point at its line. */
export type FixKey =
  | ScenarioFieldKey
  | `thresholds.${TimedPhase | 'total'}`
  | `mqtt.${keyof NonNullable<RawScenario['mqtt']>}`;

/** What one code means, for evidence of type `E`. */
export interface DiagnosisEntry<E> {
  /** The words: `message` says what went wrong, `hint` what to do or check next; one line each. */
  text: (evidence: E) => { message: string; hint: string };
  /** The key to edit; absent when no single key is to blame (the report then points at the scenario). */
  key?: FixKey;
}

/**
 * An entry whose evidence is `E`, the fields every diagnosis of the code carries. The type argument is required:
 * left out, the evidence is `never` and no diagnosis of the code can be made.
 */
function entry<E = never>(definition: DiagnosisEntry<NoInfer<E>>): DiagnosisEntry<E> {
  return definition;
}

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

interface Endpoint {
  host: string;
  port: number;
}

/**
 * What decides whether a bare close may be a client-ID takeover: only an ID someone fixed can collide. MQTT 5
 * servers should say a takeover with DISCONNECT 0x8E, but not all do (mosquitto before 2.0.15 just closes).
 */
interface ClientIdentity {
  /** The client ID when the scenario (or caller) fixed it; absent when the probe generated a unique one. */
  fixedClientId?: string;
}

/**
 * When DNS gave both families and both failed: the other family's attempt. The evidence's own address (and
 * code) are the lead attempt's: the resolver's first, unless its family had no route from this machine.
 */
interface BothFamilies {
  otherFamily?: FamilyAttempt;
}

interface TimedOut {
  /** How long the probe waited before giving up, in ms (the phase timeout). */
  waitedMs: number;
}

/**
 * The proxy (not the endpoint) could not be reached: `host`/`port` are the proxy's, `phase` is dns or tcp,
 * `waitedMs` is set for timeouts.
 */
interface ProxyUnreachableEvidence extends BothFamilies {
  proxy: string;
  host: string;
  port: number;
  address?: string;
  reason: ProxyUnreachableReason;
  phase: Phase;
  waitedMs?: number;
}

/** The proxy answered the tunnel request with a refusal; `host`/`port` are the endpoint asked for. */
interface ProxyRefusedEvidence {
  proxy: string;
  host: string;
  port: number;
  statusLine: string;
  statusCode?: number;
}

/**
 * The upgrade was answered with `statusCode` instead of 101. `skewMs` is the server's clock minus ours, from its
 * Date header; `path` never includes the query (it holds the signature).
 */
interface WsRejectedEvidence {
  statusCode: number;
  statusLine: string;
  path: string;
  reason: WsRejectionReason;
  skewMs?: number;
  authType: Auth['type'];
}

/** Evidence for a `threshold.*` code: which phase was slow, the limit and the measured value, in ms. */
export interface ThresholdEvidence {
  phase: TimedPhase | 'total';
  limitMs: number;
  actualMs: number;
  /** With repeats: how many probes the p50 in `actualMs` is of (the warm ones); absent for a single probe. */
  p50Of?: number;
}

const AWS_ALPN = 'x-amzn-mqtt-ca';

/** The entry of `threshold.<phase>`: the same words for every phase, pointing at that phase's limit. */
function threshold(phase: TimedPhase | 'total'): DiagnosisEntry<ThresholdEvidence> {
  return {
    key: `thresholds.${phase}`,
    text: (e) => {
      const what = e.phase === 'total' ? 'the whole probe' : `the ${e.phase} phase`;
      return {
        message:
          e.p50Of === undefined
            ? `${what} took ${e.actualMs} ms, over the ${e.limitMs} ms threshold`
            : `${what} took ${e.actualMs} ms at the p50 of ${e.p50Of} probes, over the ${e.limitMs} ms threshold`,
        hint: `the path works but is slow: compare with other networks, or raise thresholds.${e.phase}`,
      };
    },
  };
}

/** Every diagnosis code's entry, in documentation order. */
export const DIAGNOSES = {
  'dns.not-found': entry<{ host: string }>({
    key: 'endpoint',
    text: (e) => ({
      message: `the host name ${e.host} does not exist in DNS`,
      hint: 'check the endpoint for typos; for AWS IoT use the iot:Data-ATS endpoint of the right account and region',
    }),
  }),
  'dns.timeout': entry<{ host: string } & TimedOut>({
    text: (e) => ({
      message: `looking up ${e.host} got no answer within ${e.waitedMs} ms`,
      hint: 'check the DNS servers of this network (/etc/resolv.conf) or a VPN that intercepts DNS',
    }),
  }),
  'dns.unknown': entry<{ host: string; phase: Phase } & RawWords>({
    text: (e) => ({
      message: `looking up ${e.host} failed in an unexpected way${quoted(e)}`,
      hint: 'try `getent hosts` for the same name; the JSON report has the raw error',
    }),
  }),
  'tcp.timeout': entry<Endpoint & { address: string } & TimedOut & BothFamilies>({
    key: 'port',
    text: (e) => ({
      message: `TCP connect to ${addressPort(e.address, e.port)}${leadFamilyWords(e.otherFamily)} got no answer within ${e.waitedMs} ms${otherFamilyWords(e.otherFamily)}`,
      hint: `port ${e.port} is probably filtered by a firewall that drops packets; try port 443 or ask for the port to be opened`,
    }),
  }),
  'tcp.refused': entry<Endpoint & { address: string } & BothFamilies>({
    key: 'port',
    text: (e) => ({
      message: `${addressPort(e.address, e.port)}${leadFamilyWords(e.otherFamily)} refused the TCP connection${otherFamilyWords(e.otherFamily)}`,
      hint: `nothing listens on port ${e.port} there, or a firewall rejects it; check the port and the endpoint`,
    }),
  }),
  /** `phase` is where the reset was seen: during connect, or during the TLS handshake. */
  'tcp.reset': entry<Endpoint & { address?: string; phase: Phase } & BothFamilies>({
    text: (e) => ({
      message: `the connection to ${e.host}:${e.port}${e.otherFamily && e.address ? ` over ${leadFamilyName(e.otherFamily)} (${e.address})` : ''} was reset during ${e.phase}${otherFamilyWords(e.otherFamily)}`,
      hint: 'a firewall or proxy that inspects traffic may be cutting it; try another port or network',
    }),
  }),
  /** `errorCode` is EHOSTUNREACH or ENETUNREACH: the OS has no route there. */
  'tcp.unreachable': entry<Endpoint & { address: string; errorCode: string } & BothFamilies>({
    text: (e) => ({
      message: `${e.address}${leadFamilyWords(e.otherFamily)} cannot be reached from this machine (${e.errorCode})${otherFamilyWords(e.otherFamily)}`,
      hint: 'check the network connection, routes and VPN; an IPv6 address without IPv6 connectivity ends here too',
    }),
  }),
  'tcp.unknown': entry<Endpoint & { phase: Phase } & RawWords & BothFamilies>({
    text: (e) => ({
      message: `the TCP connection to ${e.host}:${e.port} failed in an unexpected way${quoted(e)}${otherFamilyWords(e.otherFamily)}`,
      hint: 'check the endpoint and port; the JSON report has the raw error',
    }),
  }),
  'proxy.unreachable': entry<ProxyUnreachableEvidence>({
    text: (e) => ({
      message: `the proxy ${e.proxy} cannot be reached: ${unreachableWords(e)}${otherFamilyWords(e.otherFamily)}`,
      hint: 'check the proxy host and port (scenario `proxy`, or HTTPS_PROXY/ALL_PROXY) and that the proxy runs; from a restricted network only the proxy is reachable',
    }),
  }),
  'proxy.refused': entry<ProxyRefusedEvidence>({
    text: (e) => ({
      message: `the proxy ${e.proxy} refused to open a tunnel to ${e.host}:${e.port} ("${e.statusLine}")`,
      hint: refusedHint(e),
    }),
  }),
  /**
   * HTTP 407 or a SOCKS authentication failure; `credentialsSent` says whether the proxy URL carried any (and so
   * whether the probe sent them), `source` where that URL came from (`scenario` or the environment variable).
   */
  'proxy.auth-required': entry<{
    proxy: string;
    statusLine: string;
    credentialsSent: boolean;
    source: ProxySource;
  }>({
    text: (e) => {
      const where = e.source === 'scenario' ? 'the scenario `proxy` URL' : `the proxy URL in ${e.source}`;
      return {
        message: e.credentialsSent
          ? `the proxy ${e.proxy} did not accept the credentials it was sent ("${e.statusLine}")`
          : `the proxy ${e.proxy} requires authentication ("${e.statusLine}")`,
        hint: e.credentialsSent
          ? `check the user name and password in ${where} (percent-encode special characters); proxies that want NTLM or Kerberos are not supported`
          : `put the credentials in ${where}: http://user:password@host:port`,
      };
    },
  }),
  'proxy.timeout': entry<{ proxy: string; host: string; port: number } & TimedOut>({
    text: (e) => ({
      message: `the proxy ${e.proxy} did not answer the tunnel request to ${e.host}:${e.port} within ${e.waitedMs} ms`,
      hint: 'the proxy may itself be stuck connecting to a filtered port, or this port is not an HTTP/SOCKS proxy; check the URL scheme and port',
    }),
  }),
  'proxy.unsupported': entry<{ proxy: string }>({
    text: (e) => ({
      message: `the proxy URL ${e.proxy} uses a scheme the probe cannot speak`,
      hint: 'use http://, https://, socks4:// or socks5:// proxy URLs',
    }),
  }),
  'proxy.unknown': entry<{ proxy?: string; phase: Phase } & RawWords>({
    text: (e) => ({
      message: `the proxy${e.proxy ? ` ${e.proxy}` : ''} failed in an unexpected way during ${e.phase}${quoted(e)}`,
      hint: 'the proxy may have closed the connection without answering (not an HTTP or SOCKS proxy, or the wrong scheme); check the proxy URL',
    }),
  }),
  /** `servername` is the SNI really sent (none for an IP endpoint); `handshake` says how far it got. */
  'tls.timeout': entry<{ servername?: string; handshake?: HandshakeEvidence } & TimedOut>({
    text: (e) => ({
      message: `the TLS handshake${e.servername ? ` with ${e.servername}` : ''} did not finish within ${e.waitedMs} ms${stalledWords(e.handshake)}`,
      hint: stalledHint(e.handshake),
    }),
  }),
  'tls.alpn-rejected': entry<{ offeredAlpn: string[] }>({
    key: 'alpn',
    text: (e) => ({
      message: `the server accepted none of the ALPN protocols offered (${e.offeredAlpn.join(', ')})`,
      hint: `AWS IoT on port 443 expects ALPN ${AWS_ALPN} for certificate auth (mqtt for custom auth); check alpn`,
    }),
  }),
  /** `issuer` is who signed the certificate we were shown: a corporate TLS-inspecting proxy shows up here. */
  'tls.server-untrusted': entry<{ issuer: string; subject: string; verifyError: string; customCa: boolean }>({
    key: 'ca',
    text: (e) => ({
      message: `the server certificate is not trusted (${e.verifyError}); it was issued by ${e.issuer}`,
      hint: e.customCa
        ? 'the configured ca does not sign this server certificate; a TLS-inspecting proxy shows up exactly this way'
        : 'no trusted root signs it: a corporate TLS-inspecting proxy shows up this way; otherwise set ca to the broker CA',
    }),
  }),
  'tls.hostname-mismatch': entry<{ servername: string; subject: string; subjectAltName?: string }>({
    key: 'servername',
    text: (e) => ({
      message: `the server certificate is not valid for ${e.servername} (it names ${e.subjectAltName ?? e.subject})`,
      hint: 'check the endpoint, or set servername to a name the certificate covers',
    }),
  }),
  'tls.cert-expired': entry<{ subject: string; validFrom: string; validTo: string; verifyError: string }>({
    text: (e) => ({
      message:
        e.verifyError === 'CERT_NOT_YET_VALID'
          ? `the server certificate is not valid before ${e.validFrom}`
          : `the server certificate expired on ${e.validTo}`,
      hint: "check this machine's clock, then tell the broker operator to renew the certificate",
    }),
  }),
  /** `alert` is the TLS alert in words; `afterHandshake` is true when it arrived after secureConnect (TLS 1.3). */
  'tls.client-cert-rejected': entry<{
    alert: string;
    afterHandshake: boolean;
    clientCertPresented: boolean;
    phase: Phase;
  }>({
    key: 'auth',
    text: (e) => ({
      message: e.clientCertPresented
        ? `the server rejected the client certificate (${e.alert})`
        : `the server requires a client certificate and none was configured (${e.alert})`,
      hint: e.clientCertPresented
        ? 'check that the certificate is registered and ACTIVE, and that its CA is registered with the broker'
        : 'set auth.cert and auth.key (type x509)',
    }),
  }),
  'tls.version': entry<{ minVersion?: string; maxVersion?: string; alert: string }>({
    key: 'tls',
    text: (e) => ({
      message: `the server and the client share no TLS version (${e.alert})`,
      hint: `check tls.minVersion/maxVersion${e.minVersion || e.maxVersion ? ` (now ${e.minVersion ?? 'any'}..${e.maxVersion ?? 'any'})` : ''}; AWS IoT needs TLS 1.2 or 1.3`,
    }),
  }),
  /**
   * `alert`: OpenSSL's words for bytes that are not TLS; `plainMqttAnswered`: the server closed on our ClientHello
   * without a byte, and a plain MQTT CONNECT on a second connection got a CONNACK.
   */
  'tls.not-tls': entry<{ alert?: string; plainMqttAnswered?: boolean }>({
    key: 'transport',
    text: (e) => ({
      message: e.plainMqttAnswered
        ? 'the server closed the connection on the TLS ClientHello, and answers a plain MQTT CONNECT with CONNACK: this port speaks MQTT without TLS'
        : `the server did not answer in TLS (${e.alert ?? 'not a TLS record'})`,
      hint: e.plainMqttAnswered
        ? "use transport mqtt on this port (no encryption), or the broker's TLS port (8883)"
        : 'this port speaks plain TCP; use transport mqtt, or the TLS port (8883)',
    }),
  }),
  /**
   * A close with no alert after the server had answered; a server that rejects the client certificate silently
   * (Node's does) ends here, but only once its certificate has arrived (ours is sent after it).
   */
  'tls.closed-during-handshake': entry<{
    servername?: string;
    clientCertPresented: boolean;
    handshake?: HandshakeEvidence;
  }>({
    text: (e) => ({
      message: `the server closed the connection during the TLS handshake${e.servername ? ` with ${e.servername}` : ''}${e.handshake ? ` (reached: ${e.handshake.reached})` : ''}`,
      hint:
        e.clientCertPresented && e.handshake?.serverCertificateSeen !== false
          ? 'the server may have rejected the client certificate without an alert (unknown CA); else check port, servername and alpn'
          : 'the server dislikes the SNI, ALPN or TLS versions offered, or a middlebox cut the handshake; check port, servername and alpn',
    }),
  }),
  /**
   * Closed or reset after our ClientHello with not one byte back: no ServerHello, so no client certificate was ever
   * asked for or sent. `sniSent` is absent when no SNI was sent (an IP endpoint).
   */
  'tls.closed-before-server-hello': entry<{
    sniSent?: string;
    endpointIsIp: boolean;
    offeredAlpn: string[];
    reset: boolean;
    bytesWritten: number;
  }>({
    text: (e) => ({
      message: `the server ${e.reset ? 'reset' : 'closed'} the connection after the ClientHello (${e.sniSent ? `SNI ${e.sniSent}` : 'no SNI'}${e.offeredAlpn.length > 0 ? `, ALPN ${e.offeredAlpn.join(', ')}` : ''}) without sending a single byte back`,
      hint: e.sniSent
        ? `refused before any ServerHello, so not because of the client certificate: an SNI filter or DPI box that does not allow ${e.sniSent}, a server that dislikes the ClientHello (SNI, ALPN, TLS version), or a port that does not speak TLS; try another network, or check servername, alpn and transport`
        : `refused before any ServerHello, so not because of the client certificate: no SNI was sent${e.endpointIsIp ? ' (the endpoint is an IP address)' : ''}, and a server or firewall that requires SNI refuses exactly so; set servername to the broker's host name, or check that the port speaks TLS`,
    }),
  }),
  /** A TLS `unrecognized_name` alert: the server refused the SNI sent, or wanted one and got none. */
  'tls.sni-refused': entry<{ sniSent?: string; endpointIsIp: boolean }>({
    key: 'servername',
    text: (e) => ({
      message: e.sniSent
        ? `the server does not serve the name ${e.sniSent} sent as SNI (alert unrecognized name)`
        : `the server requires SNI and none was sent${e.endpointIsIp ? ' (the endpoint is an IP address, which SNI cannot carry)' : ''} (alert unrecognized name)`,
      hint: e.sniSent
        ? 'check endpoint and servername: the broker (or AWS domain configuration) must know this name'
        : "set servername to the broker's host name (for AWS IoT the iot:Data-ATS endpoint), or use the host name as endpoint",
    }),
  }),
  /**
   * The chain verified against the scenario's own `ca`, but ends at another anchor than the endpoint presents (for
   * AWS: Amazon Root CA 1/3 or the Starfield cross-sign), and the probe then failed the way TLS-inspecting proxies
   * break MQTT: `symptoms` say what it did to MQTT, `underlying` is the code it would otherwise have had.
   */
  'tls.intercepted': entry<{
    servername: string;
    trustAnchor: string;
    issuer: string;
    expectedAnchors: string[];
    symptoms: InterceptionSymptom[];
    negotiatedAlpn?: string;
    offeredAlpn: string[];
    underlying: DiagnosisCode;
  }>({
    key: 'ca',
    text: (e) => ({
      message: `the TLS connection to ${e.servername} is intercepted: its certificate was issued by ${e.issuer}${e.issuer === e.trustAnchor ? '' : ` (its chain ends at ${e.trustAnchor})`}, while ${e.servername} presents a chain to ${e.expectedAnchors.join(', ')}; ${interceptionWords(e)}`,
      hint: `a TLS-inspecting proxy (trusted here through ca) ${interceptionHint(e)}; ask for ${e.servername} to be exempted from TLS inspection (bypass or splice), or use a network without it`,
    }),
  }),
  'tls.unknown': entry<{ phase: Phase } & RawWords>({
    text: (e) => ({
      message: `the TLS connection failed in an unexpected way${quoted(e)}`,
      hint: 'OpenSSL names the reason in the quoted error; compare with `openssl s_client -connect HOST:PORT -servername HOST`',
    }),
  }),
  'ws.rejected': entry<WsRejectedEvidence>({
    text: (e) => ({
      message: `the WebSocket upgrade to ${e.path} was refused with "${e.statusLine}"${rejectionWords(e)}`,
      hint: rejectionHint(e),
    }),
  }),
  'ws.timeout': entry<{ path: string } & TimedOut>({
    text: (e) => ({
      message: `the WebSocket upgrade to ${e.path} got no answer within ${e.waitedMs} ms`,
      hint: 'the port accepted the connection but does not answer HTTP; check port, path and transport',
    }),
  }),
  /**
   * The upgrade request got something that is not HTTP: `answer` says what (a close or reset without a byte, MQTT,
   * a TLS record, other bytes); `firstBytes` is their hex (at most 16 bytes).
   */
  'ws.not-http': entry<{ path: string; answer: NotHttpAnswer; firstBytes?: string; transport: Transport }>({
    key: 'transport',
    text: (e) => ({
      message: `the WebSocket upgrade to ${e.path} ${notHttpWords(e)}: this port does not speak HTTP${e.transport === 'ws' ? ' in the clear' : ''}`,
      hint:
        e.transport === 'ws'
          ? 'a TLS port (wss, mqtts) closes a plaintext request this way, and an MQTT port does too: use transport wss on a WSS port, or mqtt/mqtts on an MQTT one'
          : `an MQTT-over-TLS port (8883, or 443 with ALPN ${AWS_ALPN}) answers an HTTP request this way: use transport mqtts there, or WSS on the port that serves it (AWS IoT: 443 without ALPN)`,
    }),
  }),
  /** No SigV4 credentials or region could be resolved; nothing was sent. */
  'ws.sigv4-credentials': entry<{
    problem: 'no-credentials' | 'no-region';
    profile?: string;
    region?: string;
  }>({
    text: (e) => ({
      message:
        e.problem === 'no-region'
          ? 'no AWS region is set to sign the WebSocket URL with'
          : `no AWS credentials were found${e.profile ? ` for profile ${e.profile}` : ''} to sign the WebSocket URL with`,
      hint:
        e.problem === 'no-region'
          ? 'set auth.region in the scenario, or AWS_REGION, or a region in the AWS profile'
          : 'set AWS_PROFILE (and run `aws sso login` for SSO), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY',
    }),
  }),
  'ws.unknown': entry<{ phase: Phase } & RawWords>({
    text: (e) => ({
      message: `the WebSocket upgrade failed in an unexpected way${quoted(e)}`,
      hint: 'check port, path and transport; the JSON report has the raw error',
    }),
  }),
  /** `statusLine` is the first line received, e.g. `HTTP/1.1 400 Bad Request`. */
  'mqtt.http-response': entry<{
    statusLine: string;
    offeredAlpn: string[];
    negotiatedAlpn?: string;
    phase: Phase;
  }>({
    key: 'alpn',
    text: (e) => ({
      message: `CONNECT was answered with "${e.statusLine}": this port speaks HTTP, not MQTT`,
      hint:
        e.offeredAlpn.length === 0
          ? `offer ALPN ${AWS_ALPN} (AWS IoT port 443), or use port 8883`
          : `the server ignored ALPN ${e.offeredAlpn.join(', ')}; check the ALPN value and the port`,
    }),
  }),
  /**
   * Plain MQTT to a port that speaks TLS: `seen` is `tls-record` when CONNECT was answered with a TLS record (an
   * alert), `server-hello` when the server closed without a byte and a ClientHello on a second connection got a
   * ServerHello.
   */
  'mqtt.tls-port': entry<{ seen: 'tls-record' | 'server-hello'; firstBytes?: string }>({
    key: 'transport',
    text: (e) => ({
      message:
        e.seen === 'tls-record'
          ? `CONNECT was answered with a TLS record (${e.firstBytes}): this port speaks TLS`
          : 'the server closed the connection on a plain CONNECT, and answers a TLS ClientHello with a ServerHello: this port speaks TLS',
      hint: "use transport mqtts on this port (with ca, and auth as the broker needs), or the broker's plain port (1883)",
    }),
  }),
  'mqtt.connack-timeout': entry<TimedOut>({
    text: (e) => ({
      message: `no CONNACK within ${e.waitedMs} ms after CONNECT`,
      hint: 'the server accepted the connection but does not speak MQTT, or is overloaded; check port and transport',
    }),
  }),
  'mqtt.connack-refused': entry<{ protocolVersion: number; reasonCode: number; reason: string }>({
    text: (e) => ({
      message: `the broker refused the connection: ${e.reason} (code ${e.reasonCode})`,
      hint:
        reasonCodeFix(asMqtt5Code(e.reasonCode, e.protocolVersion), { packet: 'connack' }) ??
        'check the client ID, credentials and the policy that allows connecting',
    }),
  }),
  /**
   * CONNACK code 1 (3.1.1 "Unacceptable protocol version", also how a 3.1.1-only broker answers an MQTT 5 CONNECT)
   * or 0x84 (MQTT 5 "Unsupported Protocol Version"); `protocolVersion` is the level the probe asked for (4 or 5).
   */
  'mqtt.protocol-version-refused': entry<{ protocolVersion: number; reasonCode: number; reason: string }>({
    key: 'mqtt.version',
    text: (e) => ({
      message: `the broker refused MQTT ${e.protocolVersion === 5 ? '5' : '3.1.1'}: ${e.reason} (code ${e.reasonCode})`,
      hint:
        e.protocolVersion === 5
          ? 'the broker does not speak MQTT 5: set mqtt: { version: 3.1.1 }'
          : 'the broker does not take MQTT 3.1.1: try mqtt: { version: 5 }',
    }),
  }),
  /**
   * `reset` is true when the close was a TCP reset rather than an orderly FIN. With TLS 1.3 a server that rejects
   * the client certificate without an alert (Node's own TLS server does this) looks exactly like this, so the
   * TLS version and whether a client certificate was presented ride along.
   */
  'mqtt.closed-before-connack': entry<
    {
      reset: boolean;
      tlsProtocol?: string;
      clientCertPresented: boolean;
      /** The plan's auth type: with a custom authorizer, a close before CONNACK is how AWS says "denied". */
      authType?: Auth['type'];
      /** The plan's transport: without TLS no certificate was sent, so none can have been rejected. */
      transport?: Transport;
    } & ClientIdentity
  >({
    text: (e) => ({
      message: `the server ${e.reset ? 'reset' : 'closed'} the connection before answering CONNECT`,
      hint:
        (e.transport === 'mqtt' || e.transport === 'ws'
          ? 'no TLS ran, so no certificate was involved: the broker refused the client ID or credentials without a CONNACK, or the port expects TLS (then use transport mqtts)'
          : e.authType === 'custom-authorizer'
            ? 'AWS IoT closes the connection when the custom authorizer denies it: check the authorizer name, token, signature, username and password'
            : e.clientCertPresented && e.tlsProtocol === 'TLSv1.3'
              ? 'the client certificate may be rejected (unknown CA, not ACTIVE: TLS 1.3 reports it this late), or the policy denies iot:Connect for this client ID'
              : 'AWS IoT: the certificate is not ACTIVE or not attached to a thing/policy, the policy denies iot:Connect for this client ID, or the client ID is invalid') +
        takeover(e),
    }),
  }),
  'mqtt.suback-denied': entry<{ topic: string; requestedQos: number; reasonCode: number; reason: string }>({
    key: 'topic',
    text: (e) => ({
      message: `the broker denied the subscription to ${e.topic}: ${e.reason} (code ${e.reasonCode})`,
      hint:
        reasonCodeFix(e.reasonCode, { packet: 'suback', topic: e.topic }) ??
        'check that the policy allows iot:Subscribe on this topic filter',
    }),
  }),
  'mqtt.suback-timeout': entry<{ topic: string; requestedQos: number } & TimedOut>({
    key: 'qos',
    text: (e) => ({
      message: `no SUBACK within ${e.waitedMs} ms for ${e.topic} at QoS ${e.requestedQos}`,
      hint:
        e.requestedQos === 2
          ? 'AWS IoT does not support QoS 2 and silently ignores the request: use QoS 0 or 1'
          : 'the broker ignored the subscription; check the topic filter and the policy',
    }),
  }),
  'mqtt.closed-after-subscribe': entry<{ topic: string; reset: boolean } & ClientIdentity>({
    text: (e) => ({
      message: `the server ${e.reset ? 'reset' : 'closed'} the connection after SUBSCRIBE to ${e.topic}`,
      hint: `AWS IoT closes the connection when the policy denies iot:Subscribe: allow the topicfilter/ resource${takeover(e)}`,
    }),
  }),
  'mqtt.puback-timeout': entry<{ topic: string; qos: number } & TimedOut>({
    text: (e) => ({
      message: `no ${e.qos === 2 ? 'PUBREC/PUBCOMP' : 'PUBACK'} within ${e.waitedMs} ms for the publish to ${e.topic}`,
      hint:
        e.qos === 2
          ? 'AWS IoT does not support QoS 2: use QoS 0 or 1'
          : 'the broker ignored the publish; check the topic and the policy that allows iot:Publish',
    }),
  }),
  'mqtt.publish-refused': entry<{ topic: string; qos: number; reasonCode: number; reason: string }>({
    text: (e) => ({
      message: `the broker refused the publish to ${e.topic}: ${e.reason} (code ${e.reasonCode})`,
      hint:
        reasonCodeFix(e.reasonCode, { packet: 'puback', topic: e.topic }) ??
        'check that the policy allows iot:Publish on this topic',
    }),
  }),
  /** `qos` is the publish's: brokers that take no QoS 2 (mosquitto's `max_qos`, AWS IoT) close on one. */
  'mqtt.closed-after-publish': entry<{ topic: string; qos: number; reset: boolean } & ClientIdentity>({
    text: (e) => ({
      message: `the server ${e.reset ? 'reset' : 'closed'} the connection after PUBLISH to ${e.topic}`,
      hint:
        e.qos === 2
          ? `a broker with a Maximum QoS below 2 (mosquitto max_qos, AWS IoT) closes on a QoS 2 PUBLISH: try qos: 1; else the policy denies iot:Publish${takeover(e)}`
          : `AWS IoT closes the connection when the policy denies iot:Publish, or the topic is invalid (too long, too many slashes)${takeover(e)}`,
    }),
  }),
  /** Not sent: the CONNACK's Maximum QoS (MQTT 5 §3.2.2.3.4) is below the QoS the scenario publishes at. */
  'mqtt.qos-not-supported': entry<{ phase: Phase; topic: string; requestedQos: number; maximumQos: number }>({
    key: 'qos',
    text: (e) => ({
      message: `the broker's CONNACK says Maximum QoS ${e.maximumQos}, so the QoS ${e.requestedQos} PUBLISH to ${e.topic} was not sent`,
      hint: `this broker does not take QoS ${e.requestedQos}: use qos: ${e.maximumQos} or lower`,
    }),
  }),
  /** Not sent: the packet is larger than the CONNACK's Maximum Packet Size (MQTT 5 §3.2.2.3.6). */
  'mqtt.packet-over-server-limit': entry<{
    phase: Phase;
    packetType: 'publish' | 'subscribe';
    packetBytes: number;
    maximumPacketSize: number;
  }>({
    key: 'payloadSize',
    text: (e) => ({
      message: `the broker's CONNACK says Maximum Packet Size ${e.maximumPacketSize} bytes, so the ${e.packetBytes}-byte ${e.packetType.toUpperCase()} was not sent`,
      hint:
        e.packetType === 'publish'
          ? 'send a smaller payload (payloadSize or payload) or a shorter topic'
          : 'use a shorter topic',
    }),
  }),
  /** `expected`/`received` are packet types: a PUBACK to a QoS 2 PUBLISH, or a PUBREC to a QoS 1 one. */
  'mqtt.unexpected-ack': entry<{
    topic: string;
    qos: number;
    expected: string;
    received: string;
    reasonCode?: number;
  }>({
    key: 'qos',
    text: (e) => ({
      message: `the broker answered the QoS ${e.qos} PUBLISH to ${e.topic} with ${e.received.toUpperCase()}${e.reasonCode ? ` (code ${e.reasonCode})` : ''}, not ${e.expected.toUpperCase()}`,
      hint:
        e.qos === 2
          ? 'the broker treats QoS 2 as QoS 1 (a PUBACK is a QoS 1 answer): it does not deliver exactly once; use qos: 1 with it'
          : 'the broker treats QoS 1 as QoS 2: its MQTT implementation is broken; report it to its vendor',
    }),
  }),
  'mqtt.receive-timeout': entry<{ topic: string } & TimedOut>({
    key: 'topic',
    text: (e) => ({
      message: `the message published to ${e.topic} did not come back within ${e.waitedMs} ms`,
      hint: 'the policy may lack iot:Receive on this topic, or the subscription does not match the topic',
    }),
  }),
  /** Byte counts and the first differing offset (-1 when one payload is a prefix of the other). */
  'mqtt.payload-mismatch': entry<{
    topic: string;
    sentBytes: number;
    receivedBytes: number;
    firstDifferenceAt: number;
  }>({
    text: (e) => ({
      message: `the message that came back on ${e.topic} differs from the one sent (${e.receivedBytes} bytes received, ${e.sentBytes} sent)`,
      hint: 'another client publishes on the same topic, or something rewrites messages; use a unique topic',
    }),
  }),
  'mqtt.connection-dropped': entry<{ heldMs: number; plannedMs: number; reset: boolean } & ClientIdentity>({
    text: (e) => ({
      message: `the connection ${e.reset ? 'was reset' : 'dropped'} after ${e.heldMs} ms of the planned ${e.plannedMs} ms hold`,
      hint: `an idle timeout on a NAT or firewall, or a keepalive the broker rejects${takeover(e)}`,
    }),
  }),
  /**
   * The server sent DISCONNECT 0x8E (Session taken over, MQTT 5): another connection used this client ID, and
   * the server (AWS IoT, mosquitto from 2.0.15) dropped the older one. `phase` is where the probe was when it came.
   */
  'mqtt.client-id-taken-over': entry<{
    phase: Phase;
    clientId: string;
    clientIdFixed: boolean;
    reasonString?: string;
  }>({
    key: 'mqtt',
    text: (e) => ({
      message: `another connection with client ID "${e.clientId}" took the session over during ${e.phase}: the server sent DISCONNECT 0x8E (Session taken over)${e.reasonString ? `, "${e.reasonString}"` : ''}`,
      hint: e.clientIdFixed
        ? 'the fixed mqtt.clientId is in use elsewhere (overlapping probes, or the device itself): remove mqtt.clientId for a unique ID per probe, or give each scenario its own'
        : 'the ID was generated for this probe, so something else reused it: check for a copy of this run or a replayed CONNECT',
    }),
  }),
  /** The server ended the session with a DISCONNECT of another reason (MQTT 5); its Reason String rides along. */
  'mqtt.server-disconnect': entry<{
    phase: Phase;
    reasonCode: number;
    reason: string;
    reasonString?: string;
    serverReference?: string;
  }>({
    text: (e) => ({
      message: `the server ended the session during ${e.phase} with DISCONNECT: ${e.reason} (code ${e.reasonCode})${e.reasonString ? `, "${e.reasonString}"` : ''}`,
      hint:
        reasonCodeFix(e.reasonCode, {
          packet: 'disconnect',
          phase: e.phase,
          ...(e.serverReference !== undefined ? { serverReference: e.serverReference } : {}),
        }) ?? 'the reason code and reason string say why; check the server log',
    }),
  }),
  /**
   * A packet's fixed header announced more bytes than the probe accepts; the probe closed the connection at once
   * instead of buffering it. `advertised` is true when CONNECT told the server the limit (MQTT 5 Maximum Packet
   * Size), so a compliant server would never have sent it. Over WebSockets a message over the limit is refused
   * by the ws package at its frame header (`packetType: 'WebSocket message'`, no `announcedBytes`).
   */
  'mqtt.packet-too-large': entry<{
    phase: Phase;
    packetType: string;
    announcedBytes?: number;
    limitBytes: number;
    advertised: boolean;
  }>({
    text: (e) => ({
      message: `during ${e.phase} the server ${e.announcedBytes === undefined ? `sent a ${e.packetType}` : `announced a ${e.packetType} packet of ${e.announcedBytes} bytes`} over the probe's ${mib(e.limitBytes)} limit; the probe closed the connection instead of buffering it`,
      hint: e.advertised
        ? 'the server ignored the Maximum Packet Size the probe announced in CONNECT: a broken broker, or bytes that are not MQTT'
        : 'a retained or queued message larger than the limit on this topic, or bytes that are not MQTT; the limit grows with payloadSize (docs/limits.md)',
    }),
  }),
  /**
   * The server sent more PUBLISH packets (or bytes of them) than the probe accepts without asking for them; the
   * probe closed the connection. `ownTopic` is true when the first one was on the probe's own topic.
   */
  'mqtt.unsolicited-flood': entry<{
    phase: Phase;
    messages: number;
    bytes: number;
    limitMessages: number;
    limitBytes: number;
    firstTopic: string;
    ownTopic: boolean;
  }>({
    key: 'topic',
    text: (e) => ({
      message: `during ${e.phase} the server sent ${e.messages} messages (${mib(e.bytes)}) the probe did not ask for, first on ${e.firstTopic}; the probe closed the connection at its limit of ${e.limitMessages} messages or ${mib(e.limitBytes)}`,
      hint: e.ownTopic
        ? 'other clients publish on this topic, or the broker repeats messages: if topic is fixed, remove it for a unique one per probe'
        : 'the session delivers messages from elsewhere (a persistent session with cleanSession: false, or a broker that floods): use a clean session and a unique client ID',
    }),
  }),
  /**
   * The connection was still open after the hold, but a PINGREQ got no PINGRESP within `waitedMs` (the connack
   * timeout): something on the path stopped forwarding without a FIN or RST.
   */
  'mqtt.silently-dropped': entry<{ heldMs: number; keepaliveS: number; waitedMs: number }>({
    key: 'mqtt.keepalive',
    text: (e) => ({
      message: `after ${e.heldMs} ms of hold the connection looked open, but a PINGREQ got no PINGRESP within ${e.waitedMs} ms`,
      hint: `a NAT or firewall forgot the idle connection without closing it: set mqtt.keepalive below its idle timeout (now ${e.keepaliveS} s)`,
    }),
  }),
  /** `parserMessage` is what the MQTT parser said about the bytes, e.g. "Invalid header flag bits…". */
  'mqtt.malformed-packet': entry<{ phase: Phase; parserMessage: string }>({
    text: (e) => ({
      message: `during ${e.phase} the server sent bytes that are not valid MQTT (${e.parserMessage})`,
      hint: 'the port may speak another protocol, or a middlebox may alter the traffic; compare with another network or port',
    }),
  }),
  'mqtt.unknown': entry<{ phase: Phase } & RawWords>({
    text: (e) => ({
      message: `the MQTT exchange failed in an unexpected way during ${e.phase}${quoted(e)}`,
      hint: 'the broker broke the protocol in a way the probe does not know; the JSON report has the raw error',
    }),
  }),
  'probe.interrupted': entry<{ phase: Phase }>({
    text: (e) => ({
      message: `the probe was interrupted during ${e.phase}`,
      hint: 'nothing to fix: the run was stopped',
    }),
  }),
  /** The caller's deadline (`serve`: the scrape timeout less its offset) cut the probe before its phase timeouts did. */
  'probe.deadline': entry<{ phase: Phase; deadlineMs: number }>({
    text: (e) => ({
      message: `the scrape's deadline (${e.deadlineMs / 1000} s) cut the probe during ${e.phase}, before the phase's own timeout`,
      hint: "raise scrape_timeout in Prometheus, or lower the scenario's timeouts so that the probe ends within it",
    }),
  }),
  /** This process ran out of file descriptors (`EMFILE`) or the system did (`ENFILE`): a local limit. */
  'probe.fd-limit': entry<{ phase: Phase; errno: 'EMFILE' | 'ENFILE' }>({
    text: (e) => ({
      message: `this machine ran out of file descriptors during ${e.phase} (${e.errno}): a local limit, not a network verdict`,
      hint:
        e.errno === 'EMFILE'
          ? 'raise the open-file limit (`ulimit -n 4096`) or lower --concurrency'
          : 'the whole system is out of file descriptors (fs.file-max); close other programs or lower --concurrency',
    }),
  }),
  'threshold.dns': threshold('dns'),
  'threshold.tcp': threshold('tcp'),
  'threshold.proxy': threshold('proxy'),
  'threshold.tls': threshold('tls'),
  'threshold.ws': threshold('ws'),
  'threshold.connack': threshold('connack'),
  'threshold.suback': threshold('suback'),
  'threshold.puback': threshold('puback'),
  'threshold.receive': threshold('receive'),
  'threshold.total': threshold('total'),
} satisfies { [C in DiagnosisCode]: DiagnosisEntry<never> };

/** The possible cause a bare close adds when another connection may have used the same fixed client ID. */
function takeover(e: ClientIdentity): string {
  // A generated ID is unique to the probe and cannot collide.
  if (e.fixedClientId === undefined) return '';
  return `; or another connection with the fixed client ID "${e.fixedClientId}" took the session over (overlapping probes, or a device using it)`;
}

/** What a server's DISCONNECT reason code asks of the user (MQTT 5 §3.14.2.1). */
/** Bytes in MiB, with two decimals below 1 MiB. */
function mib(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(bytes < 1024 * 1024 ? 2 : 0)} MiB`;
}

function unreachableWords(e: ProxyUnreachableEvidence): string {
  const at = `${e.address ? addressPort(e.address, e.port) : `${e.host}:${e.port}`}${leadFamilyWords(e.otherFamily)}`;
  switch (e.reason) {
    case 'not-found':
      return `its host name ${e.host} does not exist in DNS`;
    case 'dns-timeout':
      return `looking up ${e.host} got no answer${e.waitedMs !== undefined ? ` within ${e.waitedMs} ms` : ''}`;
    case 'refused':
      return `${at} refused the connection`;
    case 'timeout':
      return `TCP connect to ${at} got no answer${e.waitedMs !== undefined ? ` within ${e.waitedMs} ms` : ''}`;
    case 'reset':
      return `the connection to ${at} was reset`;
    case 'unreachable':
      return `${e.address ?? e.host} has no route from this machine`;
    default:
      return `the ${e.phase} phase towards it failed`;
  }
}

function refusedHint(e: ProxyRefusedEvidence): string {
  const code = e.statusCode;
  if (code !== undefined && code >= 500) {
    return `the proxy could not reach ${e.host}:${e.port} itself: check the endpoint name, or ask whether the proxy may reach it`;
  }
  if (code === 403 || code === 405 || /NotAllowed|Rejected/.test(e.statusLine)) {
    return e.port === 443
      ? 'the proxy forbids this destination even on port 443; ask for the endpoint to be allowed'
      : `the proxy does not allow tunnels to port ${e.port}: restricted proxies usually allow only 443; use port 443 with ALPN ${AWS_ALPN}, or WSS`;
  }
  return 'the proxy would not open the tunnel; its status line says why';
}

function rejectionWords(e: WsRejectedEvidence): string {
  if (e.reason === 'clock-skew' && e.skewMs !== undefined)
    return `; the server's clock differs from ours by ${skewWords(e.skewMs)}`;
  return '';
}

function skewWords(skewMs: number): string {
  const seconds = Math.round(Math.abs(skewMs) / 1000);
  return `${seconds} s (ours is ${skewMs > 0 ? 'behind' : 'ahead'})`;
}

function rejectionHint(e: WsRejectedEvidence): string {
  switch (e.reason) {
    case 'clock-skew':
      return "SigV4 signatures are valid within 5 minutes of the server's clock: sync this machine's clock (NTP)";
    case 'signature':
      return 'the SigV4 signature was refused: check the credentials (AWS_PROFILE, AWS_ACCESS_KEY_ID), that the region matches the endpoint, and that the IAM policy allows iot:Connect';
    case 'authorizer':
      return 'the custom authorizer refused the upgrade: check the authorizer name, token key name, token and signature';
    case 'not-found':
      return `nothing serves WebSockets at ${e.path}: AWS IoT uses /mqtt`;
    default:
      return 'the server does not take MQTT over WebSockets here; check port, path and transport';
  }
}

/** The raw error in words (`CODE: message`), so that an unrecognised failure still says what Node reported. */
interface RawWords {
  error?: string;
}

function quoted(e: RawWords): string {
  return e.error ? ` (${e.error})` : '';
}

/** How far the handshake got, as kept in the evidence (the byte counts are the tls phase's own). */
export type HandshakeEvidence = Pick<
  TlsHandshakeProgress,
  'reached' | 'bytesRead' | 'bytesWritten' | 'serverCertificateSeen'
>;

/** How an interceptor broke MQTT: ALPN not forwarded (a CONNACK timeout or an HTTP answer), or no client certificate. */
export type InterceptionSymptom = 'alpn-dropped' | 'mqtt-not-forwarded' | 'client-cert-not-forwarded';

/** What came back instead of an HTTP answer to the WebSocket upgrade. */
export type NotHttpAnswer = 'closed' | 'reset' | 'mqtt' | 'tls' | 'other';

function stalledWords(h: HandshakeEvidence | undefined): string {
  if (!h) return '';
  if (h.reached === 'client-hello-sent')
    return `: the ClientHello (${h.bytesWritten} bytes) went out and nothing came back`;
  if (h.reached === 'server-answered')
    return `: the server's first flight stopped after ${h.bytesRead} bytes, before its certificate`;
  if (h.reached === 'server-certificate')
    return ': the server sent its certificate, then the handshake stalled';
  return '';
}

function stalledHint(h: HandshakeEvidence | undefined): string {
  const mtu =
    "a path that drops large packets (a path-MTU black hole: fragmentation needed but blocked, common on VPNs, tunnels and PPPoE) loses the server's certificate flight; try another network, a smaller MTU on this device (e.g. 1280), or a smaller certificate chain (ECC)";
  if (h?.reached === 'client-hello-sent')
    return `TCP connected but the server's first flight never arrived: ${mtu}; otherwise the port accepts TCP but does not speak TLS, or a middlebox holds the ClientHello`;
  if (h?.reached === 'server-answered' || h?.reached === 'server-certificate')
    return `the handshake began and then stalled: ${mtu}; or the server is overloaded`;
  return 'the port accepts TCP but does not speak TLS, or a middlebox stalls the handshake; check the port';
}

function interceptionWords(e: {
  offeredAlpn: string[];
  negotiatedAlpn?: string;
  underlying: DiagnosisCode;
}): string {
  const alpn =
    e.offeredAlpn.length > 0
      ? `ALPN ${e.offeredAlpn.join(', ')} was offered and ${e.negotiatedAlpn ?? 'none'} negotiated`
      : 'no ALPN was offered';
  switch (e.underlying) {
    case 'mqtt.http-response':
      return `${alpn}, and CONNECT was answered in HTTP`;
    case 'mqtt.connack-timeout':
      return `${alpn}, and CONNECT got no CONNACK`;
    default:
      return `${alpn}, and the connection was closed before CONNACK`;
  }
}

function interceptionHint(e: { symptoms: InterceptionSymptom[] }): string {
  const words: Record<InterceptionSymptom, string> = {
    'client-cert-not-forwarded':
      'cannot pass the client certificate on (it does not have the device key), so the broker never sees it',
    'alpn-dropped':
      'negotiated none of the ALPN offered, so the connection does not reach the MQTT endpoint (AWS routes port 443 by ALPN)',
    'mqtt-not-forwarded': 'expects HTTP inside TLS and does not pass MQTT on',
  };
  return e.symptoms.map((symptom) => words[symptom]).join(', and ');
}

function notHttpWords(e: { answer: NotHttpAnswer; firstBytes?: string }): string {
  switch (e.answer) {
    case 'closed':
      return 'was closed by the server without an HTTP answer';
    case 'reset':
      return 'was reset by the server without an HTTP answer';
    case 'mqtt':
      return `was answered with MQTT bytes (${e.firstBytes})`;
    case 'tls':
      return `was answered with a TLS record (${e.firstBytes})`;
    default:
      return `was answered with bytes that are not HTTP (${e.firstBytes})`;
  }
}
