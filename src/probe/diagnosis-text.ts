// The words for every diagnosis code: one message (what happened) and one hint (what to do), built from evidence.
import type { DiagnosisCode, DiagnosisOf, EvidenceByCode, RawCause, ThresholdEvidence } from './diagnosis.js';

type Text<C extends DiagnosisCode> = (evidence: EvidenceByCode[C]) => { message: string; hint: string };
type TextTable = { [C in DiagnosisCode]: Text<C> };

const AWS_ALPN = 'x-amzn-mqtt-ca';

function threshold(e: ThresholdEvidence): { message: string; hint: string } {
  const what = e.phase === 'total' ? 'the whole probe' : `the ${e.phase} phase`;
  return {
    message: `${what} took ${e.actualMs} ms, over the ${e.limitMs} ms threshold`,
    hint: `the path works but is slow: compare with other networks, or raise thresholds.${e.phase}`,
  };
}

const TEXT: TextTable = {
  'dns.not-found': (e) => ({
    message: `the host name ${e.host} does not exist in DNS`,
    hint: 'check the endpoint for typos; for AWS IoT use the iot:Data-ATS endpoint of the right account and region',
  }),
  'dns.timeout': (e) => ({
    message: `looking up ${e.host} got no answer within ${e.waitedMs} ms`,
    hint: 'check the DNS servers of this network (/etc/resolv.conf) or a VPN that intercepts DNS',
  }),
  'dns.unknown': (e) => ({
    message: `looking up ${e.host} failed in an unexpected way`,
    hint: 'see the cause below; try `getent hosts` for the same name',
  }),
  'tcp.timeout': (e) => ({
    message: `TCP connect to ${e.address}:${e.port} got no answer within ${e.waitedMs} ms`,
    hint: `port ${e.port} is probably filtered by a firewall that drops packets; try port 443 or ask for the port to be opened`,
  }),
  'tcp.refused': (e) => ({
    message: `${e.address}:${e.port} refused the TCP connection`,
    hint: `nothing listens on port ${e.port} there, or a firewall rejects it; check the port and the endpoint`,
  }),
  'tcp.reset': (e) => ({
    message: `the connection to ${e.host}:${e.port} was reset during ${e.phase}`,
    hint: 'a firewall or proxy that inspects traffic may be cutting it; try another port or network',
  }),
  'tcp.unreachable': (e) => ({
    message: `${e.address} cannot be reached from this machine (${e.errorCode})`,
    hint: 'check the network connection, routes and VPN; an IPv6 address without IPv6 connectivity ends here too',
  }),
  'tcp.unknown': (e) => ({
    message: `the TCP connection to ${e.host}:${e.port} failed in an unexpected way`,
    hint: 'see the cause below',
  }),
  'proxy.unsupported': (e) => ({
    message: `the proxy ${e.proxy} cannot be used yet`,
    hint: 'run without a proxy, or use a version of mqttprobe with proxy support',
  }),
  'proxy.unknown': (e) => ({
    message: `the proxy${e.proxy ? ` ${e.proxy}` : ''} failed in an unexpected way`,
    hint: 'see the cause below',
  }),
  'tls.timeout': (e) => ({
    message: `the TLS handshake${e.servername ? ` with ${e.servername}` : ''} did not finish within ${e.waitedMs} ms`,
    hint: 'the port accepts TCP but does not speak TLS, or a middlebox stalls the handshake; check the port',
  }),
  'tls.alpn-rejected': (e) => ({
    message: `the server accepted none of the ALPN protocols offered (${e.offeredAlpn.join(', ')})`,
    hint: `AWS IoT on port 443 expects ALPN ${AWS_ALPN} for certificate auth (mqtt for custom auth); check alpn`,
  }),
  'tls.server-untrusted': (e) => ({
    message: `the server certificate is not trusted (${e.verifyError}); it was issued by ${e.issuer}`,
    hint: e.customCa
      ? 'the configured ca does not sign this server certificate; a TLS-inspecting proxy shows up exactly this way'
      : 'no trusted root signs it: a corporate TLS-inspecting proxy shows up this way; otherwise set ca to the broker CA',
  }),
  'tls.hostname-mismatch': (e) => ({
    message: `the server certificate is not valid for ${e.servername} (it names ${e.subjectAltName ?? e.subject})`,
    hint: 'check the endpoint, or set servername to a name the certificate covers',
  }),
  'tls.cert-expired': (e) => ({
    message:
      e.verifyError === 'CERT_NOT_YET_VALID'
        ? `the server certificate is not valid before ${e.validFrom}`
        : `the server certificate expired on ${e.validTo}`,
    hint: "check this machine's clock, then tell the broker operator to renew the certificate",
  }),
  'tls.client-cert-rejected': (e) => ({
    message: e.clientCertPresented
      ? `the server rejected the client certificate (${e.alert})`
      : `the server requires a client certificate and none was configured (${e.alert})`,
    hint: e.clientCertPresented
      ? 'check that the certificate is registered and ACTIVE, and that its CA is registered with the broker'
      : 'set auth.cert and auth.key (type x509)',
  }),
  'tls.version': (e) => ({
    message: `the server and the client share no TLS version (${e.alert})`,
    hint: `check tls.minVersion/maxVersion${e.minVersion || e.maxVersion ? ` (now ${e.minVersion ?? 'any'}..${e.maxVersion ?? 'any'})` : ''}; AWS IoT needs TLS 1.2 or 1.3`,
  }),
  'tls.not-tls': (e) => ({
    message: `the server did not answer in TLS (${e.alert})`,
    hint: 'this port speaks plain TCP; use transport mqtt, or the TLS port (8883)',
  }),
  'tls.closed-during-handshake': (e) => ({
    message: `the server closed the connection during the TLS handshake${e.servername ? ` with ${e.servername}` : ''}`,
    hint: e.clientCertPresented
      ? 'the server may have rejected the client certificate without an alert (unknown CA); else check port, servername and alpn'
      : 'the port may not speak TLS, or the server dislikes the SNI or ALPN offered; check port, servername and alpn',
  }),
  'tls.unknown': () => ({
    message: 'the TLS connection failed in an unexpected way',
    hint: 'see the cause below',
  }),
  'ws.unsupported': (e) => ({
    message: `the ${e.transport} transport cannot be probed yet`,
    hint: 'use transport mqtts, or a version of mqttprobe with WebSocket support',
  }),
  'ws.unknown': () => ({
    message: 'the WebSocket upgrade failed in an unexpected way',
    hint: 'see the cause below',
  }),
  'mqtt.http-response': (e) => ({
    message: `CONNECT was answered with "${e.statusLine}": this port speaks HTTP, not MQTT`,
    hint:
      e.offeredAlpn.length === 0
        ? `offer ALPN ${AWS_ALPN} (AWS IoT port 443), or use port 8883`
        : `the server ignored ALPN ${e.offeredAlpn.join(', ')}; check the ALPN value and the port`,
  }),
  'mqtt.connack-timeout': (e) => ({
    message: `no CONNACK within ${e.waitedMs} ms after CONNECT`,
    hint: 'the server accepted the connection but does not speak MQTT, or is overloaded; check port and transport',
  }),
  'mqtt.connack-refused': (e) => ({
    message: `the broker refused the connection: ${e.reason} (code ${e.reasonCode})`,
    hint: 'check the client ID, credentials and the policy that allows connecting',
  }),
  'mqtt.closed-before-connack': (e) => ({
    message: `the server ${e.reset ? 'reset' : 'closed'} the connection before answering CONNECT`,
    hint:
      e.clientCertPresented && e.tlsProtocol === 'TLSv1.3'
        ? 'the client certificate may be rejected (unknown CA, not ACTIVE: TLS 1.3 reports it this late), or the policy denies iot:Connect for this client ID'
        : 'AWS IoT: the certificate is not ACTIVE or not attached to a thing/policy, the policy denies iot:Connect for this client ID, or the client ID is invalid',
  }),
  'mqtt.suback-denied': (e) => ({
    message: `the broker denied the subscription to ${e.topic}: ${e.reason} (code ${e.reasonCode})`,
    hint: 'check that the policy allows iot:Subscribe on this topic filter',
  }),
  'mqtt.suback-timeout': (e) => ({
    message: `no SUBACK within ${e.waitedMs} ms for ${e.topic} at QoS ${e.requestedQos}`,
    hint:
      e.requestedQos === 2
        ? 'AWS IoT does not support QoS 2 and silently ignores the request: use QoS 0 or 1'
        : 'the broker ignored the subscription; check the topic filter and the policy',
  }),
  'mqtt.closed-after-subscribe': (e) => ({
    message: `the server ${e.reset ? 'reset' : 'closed'} the connection after SUBSCRIBE to ${e.topic}`,
    hint: 'AWS IoT closes the connection when the policy denies iot:Subscribe: allow the topicfilter/ resource',
  }),
  'mqtt.puback-timeout': (e) => ({
    message: `no ${e.qos === 2 ? 'PUBREC/PUBCOMP' : 'PUBACK'} within ${e.waitedMs} ms for the publish to ${e.topic}`,
    hint:
      e.qos === 2
        ? 'AWS IoT does not support QoS 2: use QoS 0 or 1'
        : 'the broker ignored the publish; check the topic and the policy that allows iot:Publish',
  }),
  'mqtt.publish-refused': (e) => ({
    message: `the broker refused the publish to ${e.topic}: ${e.reason} (code ${e.reasonCode})`,
    hint: 'check that the policy allows iot:Publish on this topic',
  }),
  'mqtt.closed-after-publish': (e) => ({
    message: `the server ${e.reset ? 'reset' : 'closed'} the connection after PUBLISH to ${e.topic}`,
    hint: 'AWS IoT closes the connection when the policy denies iot:Publish, or the topic is invalid (too long, too many slashes)',
  }),
  'mqtt.receive-timeout': (e) => ({
    message: `the message published to ${e.topic} did not come back within ${e.waitedMs} ms`,
    hint: 'the policy may lack iot:Receive on this topic, or the subscription does not match the topic',
  }),
  'mqtt.payload-mismatch': (e) => ({
    message: `the message that came back on ${e.topic} differs from the one sent (${e.receivedBytes} bytes received, ${e.sentBytes} sent)`,
    hint: 'another client publishes on the same topic, or something rewrites messages; use a unique topic',
  }),
  'mqtt.connection-dropped': (e) => ({
    message: `the connection ${e.reset ? 'was reset' : 'dropped'} after ${e.heldMs} ms of the planned ${e.plannedMs} ms hold`,
    hint: 'an idle timeout on a NAT or firewall, a duplicate client ID elsewhere, or a keepalive the broker rejects',
  }),
  'mqtt.unknown': (e) => ({
    message: `the MQTT exchange failed in an unexpected way during ${e.phase}`,
    hint: 'see the cause below',
  }),
  'probe.interrupted': (e) => ({
    message: `the probe was interrupted during ${e.phase}`,
    hint: 'nothing to fix: the run was stopped',
  }),
  'threshold.dns': threshold,
  'threshold.tcp': threshold,
  'threshold.proxy': threshold,
  'threshold.tls': threshold,
  'threshold.ws': threshold,
  'threshold.connack': threshold,
  'threshold.suback': threshold,
  'threshold.puback': threshold,
  'threshold.receive': threshold,
  'threshold.total': threshold,
};

/** Builds a diagnosis of one code from its evidence, with its message and hint filled in. */
export function makeDiagnosis<C extends DiagnosisCode>(
  code: C,
  evidence: EvidenceByCode[C],
  cause?: RawCause,
): DiagnosisOf<C> {
  const text = (TEXT[code] as Text<C>)(evidence);
  return cause === undefined ? { code, ...text, evidence } : { code, ...text, evidence, cause };
}
