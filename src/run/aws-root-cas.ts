// Amazon's root CAs, the trust anchors of every *.amazonaws.com endpoint, taken from Node's bundled root store.
import { X509Certificate } from 'node:crypto';
import { rootCertificates } from 'node:tls';
import type { PemFile } from '../scenario/plan.js';

// The probe's diagnosis knows AWS host names too (to name an interceptor); one definition, there.
export { isAwsHost } from '../probe/diagnosis/recognise-interception.js';

let cached: PemFile | undefined;

/**
 * Amazon Root CA 1 (RSA) and 3 (ECC), which AWS IoT's ATS endpoints chain to. Trusting only these, not the whole
 * store, means a TLS-inspecting proxy shows up as `tls.server-untrusted` naming its own issuer.
 */
export function amazonRootCas(): PemFile {
  if (!cached) {
    const pems = rootCertificates.filter((pem) =>
      /CN=Amazon Root CA [13]$/m.test(new X509Certificate(pem).subject),
    );
    cached = { path: '(Amazon Root CA 1 and 3, bundled with Node.js)', pem: pems.join('\n') };
  }
  return cached;
}
