// Presigns the AWS IoT WebSocket URL with SigV4 (service `iotdevicegateway`), the way the device SDKs do.
// https://docs.aws.amazon.com/iot/latest/developerguide/protocols.html#mqtt-ws
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import type { SigV4Identity } from './aws-credentials.js';

const SERVICE = 'iotdevicegateway';

export interface PresignOptions {
  /** The Host header value the request will carry: the host name, plus `:port` when it is not 443. */
  authority: string;
  /** The path, e.g. `/mqtt`. */
  path: string;
  identity: SigV4Identity;
  /** How long the URL stays valid, in seconds (AWS allows up to 7 days; the probe uses it at once). */
  expiresInS?: number;
  /** Signing time; tests pass a skewed clock. */
  signingDate?: Date;
}

/**
 * The query string (without `?`) that authorises the upgrade. The session token is appended after signing:
 * AWS IoT leaves it out of the canonical request, and @smithy/signature-v4 would otherwise sign it.
 */
export async function presignWebSocketQuery(options: PresignOptions): Promise<string> {
  const { credentials, region } = options.identity;
  const signer = new SignatureV4({
    credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey },
    region,
    service: SERVICE,
    sha256: Sha256,
  });
  const hostname = options.authority;
  const presigned = await signer.presign(
    {
      method: 'GET',
      protocol: 'https:',
      hostname,
      path: options.path,
      query: {},
      headers: { host: hostname },
    },
    {
      expiresIn: options.expiresInS ?? 300,
      ...(options.signingDate ? { signingDate: options.signingDate } : {}),
    },
  );
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(presigned.query ?? {})) {
    if (typeof value === 'string') query.set(key, value);
  }
  if (credentials.sessionToken) query.set('X-Amz-Security-Token', credentials.sessionToken);
  return query.toString();
}
