// Turns failures on the way to and through a proxy into proxy.* diagnoses: the proxy is the layer at fault.

import type { PhaseFailure } from '../errors.js';
import { ProxyAnswerError, toRawCause } from '../errors.js';
import { classifyNetworkError } from './classify-network-error.js';
import { type Diagnosis, makeDiagnosis, type ProxyUnreachableReason, rawWords } from './diagnosis.js';
import type { DiagnosisContext } from './diagnosis-context.js';

/** The plan's parsed proxy, as the classifier sees it (no credentials). */
type ProxyInContext = NonNullable<DiagnosisContext['plan']['proxy']>;

const REASONS: Partial<Record<Diagnosis['code'], ProxyUnreachableReason>> = {
  'dns.not-found': 'not-found',
  'dns.timeout': 'dns-timeout',
  'tcp.refused': 'refused',
  'tcp.timeout': 'timeout',
  'tcp.reset': 'reset',
  'tcp.unreachable': 'unreachable',
};

/**
 * A dns or tcp failure of a proxied probe: those phases dialled the proxy, so whatever went wrong, the proxy
 * could not be reached. The reason is read the same way as for a direct connection.
 */
export function classifyProxyUnreachable(
  failure: PhaseFailure,
  context: DiagnosisContext,
  proxy: ProxyInContext,
): Diagnosis {
  const { phase, outcome } = failure;
  const { host, port } = proxy;
  const evidence = {
    proxy: proxy.display,
    host,
    port,
    ...(context.address !== undefined ? { address: context.address } : {}),
    phase,
    ...(context.otherFamily ? { otherFamily: context.otherFamily } : {}),
  };
  if (outcome.kind === 'timeout') {
    return makeDiagnosis('proxy.unreachable', {
      ...evidence,
      reason: phase === 'dns' ? 'dns-timeout' : 'timeout',
      waitedMs: outcome.waitedMs,
    });
  }
  const error = 'error' in outcome ? outcome.error : undefined;
  const cause = error === undefined ? undefined : toRawCause(error);
  // Classify as if the proxy were the endpoint, then keep only the reason.
  const direct =
    error === undefined
      ? undefined
      : classifyNetworkError(error, phase, { ...context, plan: { ...context.plan, endpoint: host, port } });
  const reason = (direct && REASONS[direct.code]) ?? 'other';
  const waited =
    direct?.code === 'tcp.timeout' || direct?.code === 'dns.timeout'
      ? { waitedMs: context.failedAfterMs }
      : {};
  return makeDiagnosis('proxy.unreachable', { ...evidence, reason, ...waited }, cause);
}

/** A failure in the proxy phase: the proxy's answer, its silence, or anything else as proxy.unknown. */
export function classifyProxyPhase(
  failure: PhaseFailure,
  context: DiagnosisContext,
  proxy: ProxyInContext,
): Diagnosis {
  const proxyDisplay = proxy.display;
  const { outcome } = failure;
  const { endpoint: host, port } = context.plan;
  if (outcome.kind === 'timeout') {
    return makeDiagnosis('proxy.timeout', { proxy: proxyDisplay, host, port, waitedMs: outcome.waitedMs });
  }
  const error = 'error' in outcome ? outcome.error : undefined;
  if (error instanceof ProxyAnswerError) {
    if (error.authRequired) {
      return makeDiagnosis('proxy.auth-required', {
        proxy: proxyDisplay,
        statusLine: error.statusLine,
        credentialsSent: proxy.hasCredentials,
        source: proxy.source,
      });
    }
    return makeDiagnosis('proxy.refused', {
      proxy: proxyDisplay,
      host,
      port,
      statusLine: error.statusLine,
      ...(error.statusCode !== undefined ? { statusCode: error.statusCode } : {}),
    });
  }
  const cause = error === undefined ? undefined : toRawCause(error);
  return makeDiagnosis(
    'proxy.unknown',
    { proxy: proxyDisplay, phase: failure.phase, ...rawWords(cause) },
    cause,
  );
}
