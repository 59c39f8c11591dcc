// The one place that turns a raw phase failure into a Diagnosis; every error shape is read here or in classify-*.

import { isMqttPhase } from '../../scenario/phases.js';
import type { PhaseFailure } from '../errors.js';
import { toRawCause } from '../errors.js';
import { classifyMqttFailure, httpStatusLine } from './classify-mqtt-failure.js';
import { classifyNetworkError, errorCode } from './classify-network-error.js';
import { classifyProxyPhase, classifyProxyUnreachable } from './classify-proxy-failure.js';
import { classifyTlsError, handshakeEvidence, servernameEvidence } from './classify-tls-error.js';
import { classifyWsError } from './classify-ws-failure.js';
import { type Diagnosis, makeDiagnosis, rawWords } from './diagnosis.js';
import type { DiagnosisContext } from './diagnosis-context.js';
import { interceptionOr } from './recognise-interception.js';

/**
 * Picks the single reason that wins for a failed phase. Order matters: an HTTP answer beats the parser error it
 * caused, and a TLS alert beats the MQTT phase it interrupted (TLS 1.3 rejects client certificates late).
 */
export function diagnose(failure: PhaseFailure, context: DiagnosisContext): Diagnosis {
  const { phase, outcome } = failure;
  const { plan } = context;
  switch (outcome.kind) {
    case 'aborted':
      return outcome.deadlineMs === undefined
        ? makeDiagnosis('probe.interrupted', { phase })
        : makeDiagnosis('probe.deadline', { phase, deadlineMs: outcome.deadlineMs });
    case 'unsupported':
      return makeDiagnosis('proxy.unsupported', { proxy: outcome.what });
    default:
      break;
  }
  // Out of descriptors is this machine's limit, whatever the phase: never a verdict on the network.
  const errno = 'error' in outcome ? errorCode(outcome.error) : undefined;
  if (errno === 'EMFILE' || errno === 'ENFILE') {
    const cause = toRawCause((outcome as { error: unknown }).error);
    return makeDiagnosis('probe.fd-limit', { phase, errno }, cause);
  }
  // Through a proxy, dns and tcp dialled the proxy; the proxy phase is its answer.
  if (plan.proxy && (phase === 'dns' || phase === 'tcp')) {
    return classifyProxyUnreachable(failure, context, plan.proxy);
  }
  if (plan.proxy && phase === 'proxy') return classifyProxyPhase(failure, context, plan.proxy);
  // Past the proxy, the address TCP dialled is the proxy's: keep it out of evidence about the endpoint.
  if (plan.proxy) return diagnoseDirect(failure, { ...context, address: undefined });
  return diagnoseDirect(failure, context);
}

/** Everything but the proxy's own failures: the endpoint, TLS, WebSocket and MQTT layers. */
function diagnoseDirect(failure: PhaseFailure, context: DiagnosisContext): Diagnosis {
  const { phase, outcome } = failure;
  const { plan } = context;
  switch (outcome.kind) {
    case 'timeout':
      if (phase === 'dns')
        return makeDiagnosis('dns.timeout', { host: plan.endpoint, waitedMs: outcome.waitedMs });
      if (phase === 'tcp') {
        const address = context.address ?? plan.endpoint;
        return makeDiagnosis('tcp.timeout', {
          host: plan.endpoint,
          port: plan.port,
          address,
          waitedMs: outcome.waitedMs,
          ...(context.otherFamily ? { otherFamily: context.otherFamily } : {}),
        });
      }
      if (phase === 'tls') {
        return makeDiagnosis('tls.timeout', {
          ...servernameEvidence(context),
          waitedMs: outcome.waitedMs,
          ...(context.tlsHandshake ? { handshake: handshakeEvidence(context.tlsHandshake) } : {}),
        });
      }
      if (phase === 'ws') {
        return makeDiagnosis('ws.timeout', {
          path: plan.path.split('?')[0] ?? plan.path,
          waitedMs: outcome.waitedMs,
        });
      }
      break;
    default:
      break;
  }
  const error = 'error' in outcome ? outcome.error : undefined;
  if (isMqttPhase(phase)) {
    // Bytes first: an HTTP reply explains the parser error and the close that follow it.
    if (httpStatusLine(context.firstBytes) === undefined && error !== undefined) {
      const tls = classifyTlsError(error, phase, context);
      if (tls) return interceptionOr(tls, context);
    }
    return interceptionOr(classifyMqttFailure(phase, outcome, context), context);
  }
  if (phase === 'ws' && error !== undefined) {
    const ws = classifyWsError(error, context);
    if (ws) return ws;
  }
  if (error !== undefined) {
    const tls = classifyTlsError(error, phase, context);
    if (tls) return tls;
    const network = classifyNetworkError(error, phase, context);
    if (network) return network;
  }
  const cause = error === undefined ? undefined : toRawCause(error);
  const words = rawWords(cause);
  switch (phase) {
    case 'dns':
      return makeDiagnosis('dns.unknown', { host: plan.endpoint, phase, ...words }, cause);
    case 'tcp':
      return makeDiagnosis(
        'tcp.unknown',
        {
          host: plan.endpoint,
          port: plan.port,
          phase,
          ...words,
          ...(context.otherFamily ? { otherFamily: context.otherFamily } : {}),
        },
        cause,
      );
    case 'proxy':
      return makeDiagnosis('proxy.unknown', { proxy: plan.proxy?.display, phase, ...words }, cause);
    case 'tls':
      return makeDiagnosis('tls.unknown', { phase, ...words }, cause);
    default:
      return makeDiagnosis('ws.unknown', { phase, ...words }, cause);
  }
}
