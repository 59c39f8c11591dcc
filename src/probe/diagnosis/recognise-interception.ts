// Names a TLS-inspecting proxy: a chain the scenario's `ca` trusts, but not the one the endpoint presents, and a
// failure of the kind interceptors cause (ALPN not forwarded, no client certificate passed on).
import type { DiagnosisCode } from '../../scenario/diagnosis-codes.js';
import { certificateHost } from '../transport/open-tls.js';
import { type Diagnosis, makeDiagnosis } from './diagnosis.js';
import type { DiagnosisContext } from './diagnosis-context.js';
import type { InterceptionSymptom } from './registry.js';

const AMAZON_HOST = /\.amazonaws\.com(\.cn)?$/i;

/** Whether a host is an AWS endpoint, whose server certificate must chain to an Amazon root. */
export function isAwsHost(host: string): boolean {
  return AMAZON_HOST.test(host);
}

/**
 * The trust anchors (common names) an AWS endpoint's chain ends at: Amazon Root CA 1 (RSA) and 3 (ECC) for the
 * ATS endpoints, 2 and 4 for completeness, and the Starfield root that cross-signs them for old trust stores
 * (https://docs.aws.amazon.com/iot/latest/developerguide/server-authentication.html).
 */
const AWS_ANCHORS = [
  'Amazon Root CA 1',
  'Amazon Root CA 2',
  'Amazon Root CA 3',
  'Amazon Root CA 4',
  'Starfield Services Root Certificate Authority - G2',
];

/** The anchors the endpoint is known to present, or undefined when the probe knows none (a private broker). */
export function expectedTrustAnchors(host: string): string[] | undefined {
  return isAwsHost(host) ? AWS_ANCHORS : undefined;
}

/** The failures interceptors cause: no MQTT answer (or an HTTP one), or a close where a certificate was wanted. */
const INTERCEPTION_FAILURES = new Set<DiagnosisCode>([
  'mqtt.connack-timeout',
  'mqtt.http-response',
  'mqtt.closed-before-connack',
  'tls.client-cert-rejected',
]);

/**
 * What the interceptor did that breaks MQTT, as far as the facts show: a re-signing proxy never has the device's
 * key, so a client certificate cannot reach the broker through it; ALPN offered and none negotiated means it did
 * not pass ALPN on; with neither, it did not pass MQTT on.
 */
function symptomsOf(context: DiagnosisContext): InterceptionSymptom[] {
  const { plan, tls } = context;
  const symptoms: InterceptionSymptom[] = [];
  if (plan.auth.type === 'x509') symptoms.push('client-cert-not-forwarded');
  if (plan.alpn.length > 0 && tls?.negotiatedAlpn === undefined) symptoms.push('alpn-dropped');
  return symptoms.length > 0 ? symptoms : ['mqtt-not-forwarded'];
}

/** `diagnosis`, or `tls.intercepted` wrapping it when the chain and the failure both point at an interceptor. */
export function interceptionOr(diagnosis: Diagnosis, context: DiagnosisContext): Diagnosis {
  const { tls, plan } = context;
  if (!tls?.verified || tls.trustAnchor === undefined) return diagnosis;
  const servername = certificateHost(plan);
  const expected = expectedTrustAnchors(servername);
  const anchor = tls.trustAnchor;
  if (!expected || expected.some((name) => anchor.split(', ').includes(`CN=${name}`))) return diagnosis;
  if (!INTERCEPTION_FAILURES.has(diagnosis.code)) return diagnosis;
  return makeDiagnosis(
    'tls.intercepted',
    {
      servername,
      trustAnchor: anchor,
      issuer: tls.serverCertificate?.issuer ?? anchor,
      expectedAnchors: expected.filter((name) => name !== 'Amazon Root CA 2' && name !== 'Amazon Root CA 4'),
      symptoms: symptomsOf(context),
      offeredAlpn: [...tls.offeredAlpn],
      ...(tls.negotiatedAlpn !== undefined ? { negotiatedAlpn: tls.negotiatedAlpn } : {}),
      underlying: diagnosis.code,
    },
    diagnosis.cause,
  );
}
