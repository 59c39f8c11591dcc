// Verifies a SigV4-presigned WebSocket URL the way AWS IoT's device gateway does (service `iotdevicegateway`).
// https://docs.aws.amazon.com/iot/latest/developerguide/protocols.html#mqtt-ws (Signature Version 4 for WebSockets)
import { timingSafeEqual } from 'node:crypto';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import type { SigV4Credentials } from './options.js';

export const SIGV4_SERVICE = 'iotdevicegateway';

type PresignRequest = Parameters<SignatureV4['presign']>[0];

/** Why a presigned URL was refused. */
export type PresignedUrlRefusal =
  | 'missing-signature'
  | 'bad-algorithm'
  | 'unknown-access-key'
  | 'wrong-scope'
  | 'expired'
  | 'bad-date'
  | 'bad-session-token'
  | 'signature-mismatch';

/** Whether a presigned URL was accepted, and why not. */
export type PresignedUrlVerdict = { ok: true } | { ok: false; reason: PresignedUrlRefusal };

/** The parts of the upgrade request that were signed. */
export interface SignedUpgrade {
  /** The `Host` header as received, possibly with a port. */
  host: string;
  /** Path without the query, e.g. `/mqtt`. */
  path: string;
  query: URLSearchParams;
}

function parseAmzDate(value: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m;
  return new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)));
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Checks a presigned URL against the configured credentials. The session token is not part of the signature:
 * AWS IoT expects it appended after signing (TESTBED.md), so a URL that signed it is refused, as on AWS.
 * Clients sign the host name with or without the port; both are accepted.
 */
export async function verifyPresignedUrl(
  upgrade: SignedUpgrade,
  credentials: SigV4Credentials,
  now: Date = new Date(),
): Promise<PresignedUrlVerdict> {
  const q = upgrade.query;
  const signature = q.get('X-Amz-Signature');
  const credential = q.get('X-Amz-Credential');
  const amzDate = q.get('X-Amz-Date');
  if (!signature || !credential || !amzDate) return { ok: false, reason: 'missing-signature' };
  if (q.get('X-Amz-Algorithm') !== 'AWS4-HMAC-SHA256') return { ok: false, reason: 'bad-algorithm' };
  const [accessKeyId, day, region, service, terminator] = credential.split('/');
  if (accessKeyId !== credentials.accessKeyId) return { ok: false, reason: 'unknown-access-key' };
  if (region !== credentials.region || service !== SIGV4_SERVICE || terminator !== 'aws4_request') {
    return { ok: false, reason: 'wrong-scope' };
  }
  const signingDate = parseAmzDate(amzDate);
  if (!signingDate || day !== amzDate.slice(0, 8)) return { ok: false, reason: 'bad-date' };
  const expiresS = Number(q.get('X-Amz-Expires') ?? '900');
  const skewMs = 5 * 60_000;
  if (
    signingDate.getTime() - skewMs > now.getTime() ||
    now.getTime() > signingDate.getTime() + expiresS * 1000
  ) {
    return { ok: false, reason: 'expired' };
  }
  const token = q.get('X-Amz-Security-Token');
  if ((credentials.sessionToken ?? null) !== null && token !== credentials.sessionToken) {
    return { ok: false, reason: 'bad-session-token' };
  }

  const signedQuery: Record<string, string> = {};
  for (const [key, value] of q) {
    if (key !== 'X-Amz-Signature' && key !== 'X-Amz-Security-Token') signedQuery[key] = value;
  }
  const signer = new SignatureV4({
    credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey },
    region: credentials.region,
    service: SIGV4_SERVICE,
    sha256: Sha256,
  });
  const hosts = [...new Set([upgrade.host, upgrade.host.replace(/:\d+$/, '')])];
  for (const host of hosts) {
    const request: PresignRequest = {
      method: 'GET',
      protocol: 'https:',
      hostname: host,
      path: upgrade.path,
      query: signedQuery,
      headers: { host },
    };
    const presigned = await signer.presign(request, { signingDate, expiresIn: expiresS });
    const expected = presigned.query?.['X-Amz-Signature'];
    if (typeof expected === 'string' && sameText(expected, signature)) return { ok: true };
  }
  return { ok: false, reason: 'signature-mismatch' };
}

/** Presigns `wss://host/path` like an AWS IoT client: the session token, if any, appended after signing. */
export async function presignWebSocketUrl(options: {
  host: string;
  path?: string;
  credentials: SigV4Credentials;
  expiresInS?: number;
  signingDate?: Date;
}): Promise<string> {
  const { credentials } = options;
  const path = options.path ?? '/mqtt';
  const signer = new SignatureV4({
    credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey },
    region: credentials.region,
    service: SIGV4_SERVICE,
    sha256: Sha256,
  });
  const presigned = await signer.presign(
    {
      method: 'GET',
      protocol: 'https:',
      hostname: options.host,
      path,
      query: {},
      headers: { host: options.host },
    },
    {
      expiresIn: options.expiresInS ?? 900,
      ...(options.signingDate ? { signingDate: options.signingDate } : {}),
    },
  );
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(presigned.query ?? {})) {
    if (typeof value === 'string') query.set(key, value);
  }
  if (credentials.sessionToken) query.set('X-Amz-Security-Token', credentials.sessionToken);
  return `wss://${options.host}${path}?${query.toString()}`;
}
