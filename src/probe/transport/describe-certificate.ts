// Reduces a peer certificate from Node to the names, dates and fingerprint worth reporting.
import type { PeerCertificate } from 'node:tls';
import type { CertificateSummary } from '../diagnosis/diagnosis.js';

/** Summarises a certificate; undefined when the peer sent none (Node then returns an empty object). */
export function describeCertificate(
  cert: PeerCertificate | null | undefined,
): CertificateSummary | undefined {
  if (!cert || Object.keys(cert).length === 0) return undefined;
  const summary: CertificateSummary = {
    subject: distinguishedName(cert.subject),
    issuer: distinguishedName(cert.issuer),
    validFrom: isoDate(cert.valid_from),
    validTo: isoDate(cert.valid_to),
    fingerprint256: cert.fingerprint256 ?? '',
  };
  if (cert.subjectaltname) summary.subjectAltName = cert.subjectaltname;
  return summary;
}

// Node gives `{ CN: 'x', O: 'y' }`, with arrays for repeated attributes.
function distinguishedName(name: unknown): string {
  if (!name || typeof name !== 'object') return '';
  return Object.entries(name)
    .map(([key, value]) => `${key}=${Array.isArray(value) ? value.join('+') : String(value)}`)
    .join(', ');
}

// Node gives `Nov 28 03:00:00 2026 GMT`; keep the original if it ever fails to parse.
function isoDate(text: string | undefined): string {
  if (!text) return '';
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? text : date.toISOString();
}
