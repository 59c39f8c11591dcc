// Dual stack: reads a connect race's raw attempts (transport/open-tcp.ts) into per-family outcomes, picks the one
// a failure's diagnosis is about, and words the warning when one family failed while the other worked.
import type { FamilyAttempt, FamilyOutcome, Warning } from '../result.js';
import type { TcpAttempt } from '../transport/open-tcp.js';
import { errorCode, RESET_CODES, UNREACHABLE_CODES } from './classify-network-error.js';
import { addressPort, familyName, OUTCOME_CODES, outcomeWords } from './family-words.js';

/** The attempts as the result keeps them, or undefined when the probe was stopped before they all ended. */
export function describeFamilyAttempts(attempts: readonly TcpAttempt[]): FamilyAttempt[] | undefined {
  if (attempts.some((a) => a.end.kind === 'cancelled')) return undefined;
  return attempts.map((a) => {
    const code = a.end.kind === 'error' ? errorCode(a.end.error) : undefined;
    return {
      family: a.address.family,
      address: a.address.address,
      outcome: outcomeOf(a.end.kind, code),
      afterMs: Math.round(a.afterMs * 1000) / 1000,
      ...(code !== undefined ? { errorCode: code } : {}),
      used: a.used,
    };
  });
}

function outcomeOf(kind: TcpAttempt['end']['kind'], code: string | undefined): FamilyOutcome {
  if (kind === 'connected') return 'connected';
  if (kind === 'timeout' || code === 'ETIMEDOUT') return 'timeout';
  if (code === 'ECONNREFUSED') return 'refused';
  if (code !== undefined && RESET_CODES.has(code)) return 'reset';
  if (code !== undefined && UNREACHABLE_CODES.has(code)) return 'unreachable';
  return 'failed';
}

/**
 * When every family failed, the attempt the diagnosis is about: the resolver's first, unless this machine has no
 * route for its family (`unreachable`, a local fact) while the other family got as far as the network.
 */
export function leadAttempt<A extends { outcome: FamilyOutcome }>(attempts: readonly A[]): A | undefined {
  return attempts.find((a) => a.outcome !== 'unreachable') ?? attempts[0];
}

/**
 * The warning when one family's connect failed while another connected: which family, which address, what
 * happened, and what a device that uses only that family (or prefers it and does not fall back) would see.
 * `proxy` says the dialled host was the proxy, whose failure a device would see as proxy.unreachable.
 */
export function familyFailedWarning(
  attempts: readonly FamilyAttempt[],
  target: { port: number; proxy?: string },
): Warning | undefined {
  const used = attempts.find((a) => a.used);
  const failed = attempts.find((a) => a.outcome !== 'connected');
  if (!used || !failed || failed.outcome === 'connected') return undefined;
  const bad = familyName(failed.family);
  const good = familyName(used.family);
  const where = target.proxy ? `the proxy ${target.proxy} at ` : '';
  const code = target.proxy ? 'proxy.unreachable' : OUTCOME_CODES[failed.outcome];
  // A client that tries addresses one after another (no Happy Eyeballs) waits out this failure first.
  const first =
    attempts[0] === failed && failed.outcome === 'timeout'
      ? `; ${bad} comes first in this machine's resolver order, so a client that tries the addresses in turn waits out its own connect timeout before it tries ${good}`
      : '';
  const seen = `${bad} to ${where}${addressPort(failed.address, target.port)} ${outcomeWords(failed)}, while ${good} to ${used.address} ${outcomeWords(used)} and the probe went on over ${good}`;
  // No route is this machine's (or network's) lack of the family, not a filter: a device here without it would
  // not try it (RFC 6724 sorts unusable addresses last), so only a device that has nothing but it fails.
  const who =
    failed.outcome === 'unreachable'
      ? `this machine has no ${bad} route there, so a device on this network that has only ${bad} fails here (${code}); one with ${good} uses ${good}`
      : `a device that uses only ${bad}, or prefers ${bad} and does not fall back to ${good}, fails here (${code})${first}`;
  return { code: 'tcp.family-failed', message: `${seen}: ${who}` };
}
