// Words about one IP family's connect (dual stack): shared by the tcp diagnoses and the tcp.family-failed warning.
import type { ProbeDiagnosisCode } from '../../scenario/diagnosis-codes.js';
import type { FamilyAttempt, FamilyOutcome } from '../result.js';

/** `IPv4` or `IPv6`. */
export const familyName = (family: 4 | 6): string => `IPv${family}`;

/** `address:port`, with brackets around an IPv6 address so the port cannot be read as part of it. */
export const addressPort = (address: string, port: number): string =>
  address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;

const roundMs = (ms: number): string => (ms < 10 ? ms.toFixed(1) : String(Math.round(ms)));

/** How the attempt ended, as the rest of a sentence whose subject is the address: `got no answer within 2000 ms`. */
export function outcomeWords(attempt: Pick<FamilyAttempt, 'outcome' | 'afterMs' | 'errorCode'>): string {
  switch (attempt.outcome) {
    case 'connected':
      return `connected in ${roundMs(attempt.afterMs)} ms`;
    case 'refused':
      return 'refused the connection';
    case 'reset':
      return 'reset the connection';
    case 'timeout':
      return `got no answer within ${Math.round(attempt.afterMs)} ms`;
    case 'unreachable':
      return `cannot be reached from this machine (${attempt.errorCode ?? 'no route'})`;
    default:
      return `failed (${attempt.errorCode ?? 'unexpected error'})`;
  }
}

/** The tcp code a client that dialled only this family would have got. */
export const OUTCOME_CODES: Record<Exclude<FamilyOutcome, 'connected'>, ProbeDiagnosisCode> = {
  refused: 'tcp.refused',
  reset: 'tcp.reset',
  timeout: 'tcp.timeout',
  unreachable: 'tcp.unreachable',
  failed: 'tcp.unknown',
};

/** The end of a tcp diagnosis's message when the other family failed too: `; IPv4 failed too: 10.0.0.1 …`. */
export function otherFamilyWords(other: FamilyAttempt | undefined): string {
  return other ? `; ${familyName(other.family)} failed too: ${other.address} ${outcomeWords(other)}` : '';
}

/** The family a tcp diagnosis is about when both were tried and `other` is the one it is not about. */
export const leadFamilyName = (other: FamilyAttempt): string => familyName(other.family === 4 ? 6 : 4);

/** ` (IPv6)` after the address of a tcp diagnosis, when both families were tried (the other one is `other`). */
export function leadFamilyWords(other: FamilyAttempt | undefined): string {
  return other ? ` (${leadFamilyName(other)})` : '';
}
