// The error the tls phase raises itself when the server certificate does not verify, with what was seen.
import type { CertificateSummary } from './diagnosis.js';

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
