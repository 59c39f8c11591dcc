// Turns a failure in the ws phase (the upgrade, or signing before it) into a ws.* diagnosis.

import { toRawCause, WsUpgradeError } from '../errors.js';
import { SigV4CredentialsError } from '../transport/aws-credentials.js';
import { looksLikeTlsRecord } from '../transport/cross-check-protocol.js';
import { type Diagnosis, makeDiagnosis, type WsRejectionReason } from './diagnosis.js';
import type { DiagnosisContext } from './diagnosis-context.js';
import type { NotHttpAnswer } from './registry.js';

/** SigV4 tolerates this much difference between the signing time and the server's clock. */
const SIGV4_SKEW_MS = 5 * 60_000;

/** A ws.* diagnosis for the errors only the ws phase produces; undefined for anything else (TLS, resets). */
export function classifyWsError(error: unknown, context: DiagnosisContext): Diagnosis | undefined {
  const { plan } = context;
  if (error instanceof SigV4CredentialsError) {
    const region = plan.auth.type === 'sigv4' ? plan.auth.region : undefined;
    return makeDiagnosis(
      'ws.sigv4-credentials',
      {
        problem: error.problem,
        ...(error.profile !== undefined ? { profile: error.profile } : {}),
        ...(region !== undefined ? { region } : {}),
      },
      { name: error.name, message: error.message },
    );
  }
  if (error instanceof WsUpgradeError) {
    return makeDiagnosis('ws.rejected', {
      statusCode: error.statusCode,
      statusLine: error.statusLine,
      // The path only: a query may carry a token.
      path: plan.path.split('?')[0] ?? plan.path,
      reason: rejectionReason(error, plan.auth.type),
      ...(error.skewMs !== undefined ? { skewMs: error.skewMs } : {}),
      authType: plan.auth.type,
    });
  }
  const notHttp = notHttpAnswer(error);
  if (notHttp) {
    return makeDiagnosis(
      'ws.not-http',
      { path: plan.path.split('?')[0] ?? plan.path, transport: plan.transport, ...notHttp },
      toRawCause(error),
    );
  }
  return undefined;
}

/**
 * What came back instead of an HTTP answer: Node's HTTP client says `socket hang up` when the server closed (a
 * syscall-less ECONNRESET; a real reset carries `read`), and HPE_* with the offending bytes when they are not HTTP.
 */
function notHttpAnswer(error: unknown): { answer: NotHttpAnswer; firstBytes?: string } | undefined {
  if (!(error instanceof Error)) return undefined;
  const { code, syscall, rawPacket } = error as NodeJS.ErrnoException & { rawPacket?: unknown };
  if (code === 'ECONNRESET' && error.message === 'socket hang up') return { answer: 'closed' };
  if (code === 'ECONNRESET' && syscall === 'read') return { answer: 'reset' };
  if (typeof code !== 'string' || !code.startsWith('HPE_')) return undefined;
  const bytes = Buffer.isBuffer(rawPacket) ? rawPacket : Buffer.alloc(0);
  const firstBytes = bytes.length > 0 ? bytes.subarray(0, 16).toString('hex') : undefined;
  // An MQTT broker answers a request it cannot parse with nothing, or (MQTT 5) a CONNACK or DISCONNECT.
  const answer: NotHttpAnswer = looksLikeTlsRecord(bytes)
    ? 'tls'
    : bytes[0] === 0x20 || bytes[0] === 0xe0
      ? 'mqtt'
      : 'other';
  return firstBytes === undefined ? { answer } : { answer, firstBytes };
}

function rejectionReason(
  error: WsUpgradeError,
  authType: DiagnosisContext['plan']['auth']['type'],
): WsRejectionReason {
  if (error.statusCode === 404) return 'not-found';
  if (error.statusCode !== 401 && error.statusCode !== 403) return 'other';
  const skewed = error.skewMs !== undefined && Math.abs(error.skewMs) > SIGV4_SKEW_MS;
  if (authType === 'sigv4') return skewed || error.hint === 'clock-skew' ? 'clock-skew' : 'signature';
  if (authType === 'custom-authorizer') return 'authorizer';
  return 'other';
}
