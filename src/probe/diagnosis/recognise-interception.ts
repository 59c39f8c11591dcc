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

/** How a failure looks when an interceptor caused it; undefined for failures interceptors do not explain. */
function symptomOf(code: DiagnosisCode, context: DiagnosisContext): InterceptionSymptom | undefined {
  const { plan, tls } = context;
  if (code === 'mqtt.connack-timeout' || code === 'mqtt.http-response') {
    // Interceptors that wait for HTTP: with ALPN offered and none negotiated, ALPN is what they dropped.
    return plan.alpn.length > 0 && tls?.negotiatedAlpn === undefined ? 'alpn-dropped' : 'mqtt-not-forwarded';
  }
  if (
    (code === 'mqtt.closed-before-connack' || code === 'tls.client-cert-rejected') &&
    plan.auth.type === 'x509'
  ) {
    return 'client-cert-not-forwarded';
  }
  return undefined;
}

/** `diagnosis`, or `tls.intercepted` wrapping it when the chain and the failure both point at an interceptor. */
export function interceptionOr(diagnosis: Diagnosis, context: DiagnosisContext): Diagnosis {
  const { tls, plan } = context;
  if (!tls?.verified || tls.trustAnchor === undefined) return diagnosis;
  const servername = certificateHost(plan);
  const expected = expectedTrustAnchors(servername);
  const anchor = tls.trustAnchor;
  if (!expected || expected.some((name) => anchor.split(', ').includes(`CN=${name}`))) return diagnosis;
  const symptom = symptomOf(diagnosis.code, context);
  if (!symptom) return diagnosis;
  return makeDiagnosis(
    'tls.intercepted',
    {
      servername,
      trustAnchor: anchor,
      issuer: tls.serverCertificate?.issuer ?? anchor,
      expectedAnchors: expected.filter((name) => name !== 'Amazon Root CA 2' && name !== 'Amazon Root CA 4'),
      symptom,
      offeredAlpn: [...tls.offeredAlpn],
      ...(tls.negotiatedAlpn !== undefined ? { negotiatedAlpn: tls.negotiatedAlpn } : {}),
      underlying: diagnosis.code,
    },
    diagnosis.cause,
  );
}
