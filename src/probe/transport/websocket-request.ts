// What the WebSocket upgrade request carries for a plan: the URL (presigned for sigv4) and authorizer headers.
import type { ProbePlan } from '../../scenario/plan.js';
import { PhaseFailure } from '../errors.js';
import { resolveSigV4Identity, type SigV4Identity } from './aws-credentials.js';
import { certificateHost } from './open-tls.js';
import { presignWebSocketQuery } from './presign-websocket-url.js';
import { bracketed, hostPort } from './proxy-address.js';

/** The upgrade request to send; `url` and `headers` may hold secrets and are never put in a result. */
export interface WebSocketRequest {
  url: string;
  headers: Record<string, string>;
}

export interface WebSocketRequestOptions {
  plan: Pick<ProbePlan, 'endpoint' | 'servername' | 'port' | 'transport' | 'path' | 'auth'>;
  /** Replaces the SDK's credential chain (tests, or a caller that resolved it once for many probes). */
  resolveIdentity?: (auth: { region?: string; profile?: string }) => Promise<SigV4Identity>;
  /** Signing time (tests). */
  now?: Date;
}

/**
 * Builds the request before any phase starts, so that loading the SDK and signing never count as network time.
 * A credential problem rejects with a PhaseFailure of the ws phase.
 */
export async function webSocketRequest(options: WebSocketRequestOptions): Promise<WebSocketRequest> {
  const { plan } = options;
  const secure = plan.transport === 'wss';
  // The Host header names the endpoint (servername when the endpoint is an address); the port only if not default.
  const host = certificateHost(plan);
  const authority = plan.port === (secure ? 443 : 80) ? bracketed(host) : hostPort(host, plan.port);
  const path = plan.path.startsWith('/') ? plan.path : `/${plan.path}`;
  const base = `${secure ? 'wss' : 'ws'}://${authority}${path}`;
  const { auth } = plan;
  if (auth.type === 'sigv4') {
    const resolve = options.resolveIdentity ?? resolveSigV4Identity;
    let identity: SigV4Identity;
    try {
      identity = await resolve({
        ...(auth.region !== undefined ? { region: auth.region } : {}),
        ...(auth.profile !== undefined ? { profile: auth.profile } : {}),
      });
    } catch (error) {
      throw new PhaseFailure('ws', { kind: 'error', error });
    }
    const query = await presignWebSocketQuery({
      authority,
      path,
      identity,
      ...(options.now ? { signingDate: options.now } : {}),
    });
    return { url: `${base}?${query}`, headers: {} };
  }
  if (auth.type === 'custom-authorizer') {
    // https://docs.aws.amazon.com/iot/latest/developerguide/custom-auth.html (MQTT over WebSockets: headers)
    const headers: Record<string, string> = { 'x-amz-customauthorizer-name': auth.authorizer };
    const token = auth.token?.reveal();
    if (token !== undefined) headers[auth.tokenKeyName ?? 'token'] = token;
    const signature = auth.signature?.reveal();
    if (signature !== undefined) headers['x-amz-customauthorizer-signature'] = signature;
    return { url: base, headers };
  }
  return { url: base, headers: {} };
}
