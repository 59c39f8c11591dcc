// Reads OpenSSL alert codes and certificate verification codes, in whichever phase they arrive.

import { isIP } from 'node:net';
import type { Phase } from '../../scenario/phases.js';
import { TlsVerifyError, toRawCause } from '../errors.js';
import type { TlsHandshakeProgress } from '../result.js';
import { errorCode, RESET_CODES } from './classify-network-error.js';
import { type Diagnosis, makeDiagnosis, rawWords } from './diagnosis.js';
import type { DiagnosisContext } from './diagnosis-context.js';
import type { HandshakeEvidence } from './registry.js';

/** Alerts a server sends when it does not accept the client certificate (or wanted one and got none). */
const CLIENT_CERT_ALERTS: Record<string, string> = {
  ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED: 'certificate required',
  ERR_SSL_TLSV1_ALERT_UNKNOWN_CA: 'unknown CA',
  ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE: 'bad certificate',
  ERR_SSL_SSLV3_ALERT_CERTIFICATE_EXPIRED: 'certificate expired',
  ERR_SSL_SSLV3_ALERT_CERTIFICATE_REVOKED: 'certificate revoked',
  ERR_SSL_SSLV3_ALERT_CERTIFICATE_UNKNOWN: 'certificate unknown',
  ERR_SSL_SSLV3_ALERT_UNSUPPORTED_CERTIFICATE: 'unsupported certificate',
  ERR_SSL_TLSV1_ALERT_ACCESS_DENIED: 'access denied',
};

/** Codes that mean the two sides share no protocol version. */
const VERSION_ERRORS: Record<string, string> = {
  ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION: 'protocol version alert',
  ERR_SSL_UNSUPPORTED_PROTOCOL: 'unsupported protocol',
  ERR_SSL_NO_PROTOCOLS_AVAILABLE: 'no protocols available',
  ERR_SSL_TLSV1_ALERT_INAPPROPRIATE_FALLBACK: 'inappropriate fallback',
};

/** Codes OpenSSL gives when the bytes that came back are not TLS records at all. */
const NOT_TLS_ERRORS: Record<string, string> = {
  ERR_SSL_WRONG_VERSION_NUMBER: 'wrong version number',
  ERR_SSL_PACKET_LENGTH_TOO_LONG: 'packet length too long',
  ERR_SSL_HTTP_REQUEST: 'http request',
  ERR_SSL_UNKNOWN_PROTOCOL: 'unknown protocol',
};

const EXPIRY_ERRORS = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID']);
const ALPN_ALERT = 'ERR_SSL_TLSV1_ALERT_NO_APPLICATION_PROTOCOL';
// Alert 112 (RFC 6066): the server does not know the SNI name, or wanted one and got none.
const SNI_ALERT = 'ERR_SSL_TLSV1_UNRECOGNIZED_NAME';
// Alert 40: with TLS 1.2 it is what a server sends when a required client certificate is missing.
const HANDSHAKE_FAILURE = 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE';
const NODE_HANDSHAKE_CLOSED =
  'Client network socket disconnected before secure TLS connection was established';

/** A TLS diagnosis for `error`, or undefined when it is not a TLS error. */
export function classifyTlsError(
  error: unknown,
  phase: Phase,
  context: DiagnosisContext,
): Diagnosis | undefined {
  const cause = toRawCause(error);
  const { plan } = context;
  if (error instanceof TlsVerifyError) return classifyVerifyError(error, context);
  const code = errorCode(error);
  if (code === undefined) return undefined;
  if (code === ALPN_ALERT) return makeDiagnosis('tls.alpn-rejected', { offeredAlpn: [...plan.alpn] }, cause);
  if (code === SNI_ALERT) {
    return makeDiagnosis(
      'tls.sni-refused',
      { ...sniEvidence(context), endpointIsIp: isIP(certificateHostOf(context)) !== 0 },
      cause,
    );
  }
  const clientCertPresented = plan.auth.type === 'x509';
  const clientAlert = CLIENT_CERT_ALERTS[code];
  if (clientAlert !== undefined || (code === HANDSHAKE_FAILURE && !clientCertPresented)) {
    return makeDiagnosis(
      'tls.client-cert-rejected',
      {
        alert: clientAlert ?? 'handshake failure',
        // secureConnect had fired: TLS 1.3 sends the verdict on the client certificate after the handshake.
        afterHandshake: phase !== 'tls' || context.tls !== undefined,
        clientCertPresented,
        phase,
      },
      cause,
    );
  }
  const versionAlert = VERSION_ERRORS[code];
  if (versionAlert !== undefined) {
    return makeDiagnosis(
      'tls.version',
      { minVersion: plan.tls.minVersion, maxVersion: plan.tls.maxVersion, alert: versionAlert },
      cause,
    );
  }
  const notTls = NOT_TLS_ERRORS[code];
  if (notTls !== undefined) return makeDiagnosis('tls.not-tls', { alert: notTls }, cause);
  const handshakeClosed = code === 'ECONNRESET' && cause.message === NODE_HANDSHAKE_CLOSED;
  const handshake = context.tlsHandshake;
  // Not one byte back: no ServerHello, so nothing the server did can concern our certificate (sent after it).
  if (
    phase === 'tls' &&
    handshake?.reached === 'client-hello-sent' &&
    (handshakeClosed || RESET_CODES.has(code))
  ) {
    if (context.crossCheck?.spoke === 'mqtt' && context.crossCheck.answer === 'answered') {
      return makeDiagnosis('tls.not-tls', { plainMqttAnswered: true }, cause);
    }
    return makeDiagnosis(
      'tls.closed-before-server-hello',
      {
        ...sniEvidence(context),
        endpointIsIp: isIP(certificateHostOf(context)) !== 0,
        offeredAlpn: [...handshake.offeredAlpn],
        reset: !handshakeClosed,
        bytesWritten: handshake.bytesWritten,
      },
      cause,
    );
  }
  if (phase === 'tls' && handshakeClosed) {
    return makeDiagnosis(
      'tls.closed-during-handshake',
      {
        ...servernameEvidence(context),
        clientCertPresented,
        ...(handshake ? { handshake: handshakeEvidence(handshake) } : {}),
      },
      cause,
    );
  }
  if (code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_'))
    return makeDiagnosis('tls.unknown', { phase, ...rawWords(cause) }, cause);
  return undefined;
}

function classifyVerifyError(error: TlsVerifyError, context: DiagnosisContext): Diagnosis {
  const cause = toRawCause(error);
  const cert = error.certificate;
  const subject = cert?.subject ?? '';
  if (error.code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return makeDiagnosis(
      'tls.hostname-mismatch',
      { servername: error.hostname, subject, subjectAltName: cert?.subjectAltName },
      cause,
    );
  }
  if (EXPIRY_ERRORS.has(error.code)) {
    return makeDiagnosis(
      'tls.cert-expired',
      { subject, validFrom: cert?.validFrom ?? '', validTo: cert?.validTo ?? '', verifyError: error.code },
      cause,
    );
  }
  // Every other verify code (self-signed, unknown issuer, bad signature, ...) means the chain is not trusted.
  return makeDiagnosis(
    'tls.server-untrusted',
    { issuer: cert?.issuer ?? '', subject, verifyError: error.code, customCa: context.plan.ca !== undefined },
    cause,
  );
}

/** The host the certificate is checked against: the servername override, else the endpoint (maybe an IP). */
function certificateHostOf(context: DiagnosisContext): string {
  return context.plan.servername ?? context.plan.endpoint;
}

/** The SNI really sent: what the handshake recorded, else what open-tls sends for this plan (none for an IP). */
export function sniSentOf(context: DiagnosisContext): string | undefined {
  if (context.tlsHandshake) return context.tlsHandshake.sniSent;
  const host = certificateHostOf(context);
  return isIP(host) ? undefined : host;
}

function sniEvidence(context: DiagnosisContext): { sniSent?: string } {
  const sni = sniSentOf(context);
  return sni === undefined ? {} : { sniSent: sni };
}

/** `servername` evidence: the SNI sent, absent when none was. */
export function servernameEvidence(context: DiagnosisContext): { servername?: string } {
  const sni = sniSentOf(context);
  return sni === undefined ? {} : { servername: sni };
}

/** The part of the handshake's progress a diagnosis keeps as evidence. */
export function handshakeEvidence(progress: TlsHandshakeProgress): HandshakeEvidence {
  const { reached, bytesRead, bytesWritten, serverCertificateSeen } = progress;
  return { reached, bytesRead, bytesWritten, serverCertificateSeen };
}
