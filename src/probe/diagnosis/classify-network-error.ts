// Reads errno-style codes from getaddrinfo and sockets (ENOTFOUND, ECONNREFUSED, ECONNRESET, ...).

import type { Phase } from '../../scenario/phases.js';
import { toRawCause } from '../errors.js';
import { type Diagnosis, makeDiagnosis } from './diagnosis.js';
import type { DiagnosisContext } from './diagnosis-context.js';

const DNS_NOT_FOUND = new Set(['ENOTFOUND', 'EAI_NONAME', 'EAI_NODATA', 'ENODATA']);
// EAI_AGAIN: no DNS server answered (getaddrinfo gave up on its own before our timeout).
const DNS_NO_ANSWER = new Set(['EAI_AGAIN', 'ETIMEOUT']);
/** Socket codes that mean this machine has no route to the address. */
export const UNREACHABLE_CODES = new Set(['EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);
/** Socket codes that mean the peer (or a middlebox) reset the connection. */
export const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);

/** The string `code` of an error, if it has one. */
export function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/** A dns or tcp diagnosis for a socket-level error seen before MQTT started, or undefined if not one of those. */
export function classifyNetworkError(
  error: unknown,
  phase: Phase,
  context: DiagnosisContext,
): Diagnosis | undefined {
  const code = errorCode(error);
  if (code === undefined) return undefined;
  const cause = toRawCause(error);
  const { plan } = context;
  const host = plan.endpoint;
  if (phase === 'dns') {
    if (DNS_NOT_FOUND.has(code)) return makeDiagnosis('dns.not-found', { host }, cause);
    if (DNS_NO_ANSWER.has(code))
      return makeDiagnosis('dns.timeout', { host, waitedMs: context.failedAfterMs }, cause);
    return undefined;
  }
  const address = context.address ?? host;
  const other = context.otherFamily ? { otherFamily: context.otherFamily } : {};
  if (code === 'ECONNREFUSED')
    return makeDiagnosis('tcp.refused', { host, port: plan.port, address, ...other }, cause);
  if (code === 'ETIMEDOUT') {
    // The OS gave up on the SYN before our timeout did: same meaning, measured wait.
    return makeDiagnosis(
      'tcp.timeout',
      { host, port: plan.port, address, waitedMs: context.failedAfterMs, ...other },
      cause,
    );
  }
  if (UNREACHABLE_CODES.has(code)) {
    return makeDiagnosis(
      'tcp.unreachable',
      { host, port: plan.port, address, errorCode: code, ...other },
      cause,
    );
  }
  // A reset during TLS has a syscall (`read ECONNRESET`); Node's "disconnected before secure TLS" close has none.
  const syscall = cause.syscall;
  if (RESET_CODES.has(code) && (phase === 'tcp' || phase === 'proxy' || syscall !== undefined)) {
    return makeDiagnosis('tcp.reset', { host, port: plan.port, address, phase, ...other }, cause);
  }
  return undefined;
}
