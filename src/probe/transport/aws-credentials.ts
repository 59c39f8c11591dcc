// Resolves SigV4 credentials and region through the AWS SDK's standard chain, loaded only when a sigv4 plan runs.
import type { IoTClient } from '@aws-sdk/client-iot';

/** Credentials to sign with; the session token is sent, never signed (see presign-websocket-url.ts). */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** Who signs and for which region. */
export interface SigV4Identity {
  credentials: AwsCredentials;
  region: string;
}

/** Why no identity could be resolved; `detail` is the SDK's first line, which never holds a secret. */
export class SigV4CredentialsError extends Error {
  readonly problem: 'no-credentials' | 'no-region';
  readonly profile?: string;
  constructor(options: { problem: 'no-credentials' | 'no-region'; profile?: string; detail: string }) {
    super(options.detail);
    this.name = 'SigV4CredentialsError';
    this.problem = options.problem;
    if (options.profile !== undefined) this.profile = options.profile;
  }
}

// One client per profile for the whole process: the SDK memoises its providers (and refreshes expiring ones),
// so repeats do not reread ~/.aws or redo SSO.
const clients = new Map<string, Promise<IoTClient>>();

function clientFor(profile: string | undefined): Promise<IoTClient> {
  const key = profile ?? '';
  let client = clients.get(key);
  if (!client) {
    // The SDK costs 150–200 ms to import: only sigv4 plans pay it.
    client = import('@aws-sdk/client-iot').then(
      ({ IoTClient }) => new IoTClient(profile === undefined ? {} : { profile }),
    );
    clients.set(key, client);
  }
  return client;
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? message;
}

/**
 * The standard chain, exactly as the AWS CLI: with `profile` (or AWS_PROFILE) that profile, else the environment,
 * SSO, process and instance credentials. The region is `auth.region`, else AWS_REGION, else the profile's.
 */
export async function resolveSigV4Identity(auth: {
  region?: string;
  profile?: string;
}): Promise<SigV4Identity> {
  const client = await clientFor(auth.profile);
  let region = auth.region;
  if (region === undefined) {
    try {
      region = await client.config.region();
    } catch (error) {
      throw new SigV4CredentialsError({
        problem: 'no-region',
        profile: auth.profile,
        detail: firstLine(error),
      });
    }
  }
  try {
    const { accessKeyId, secretAccessKey, sessionToken } = await client.config.credentials();
    return {
      credentials: sessionToken
        ? { accessKeyId, secretAccessKey, sessionToken }
        : { accessKeyId, secretAccessKey },
      region,
    };
  } catch (error) {
    throw new SigV4CredentialsError({
      problem: 'no-credentials',
      profile: auth.profile,
      detail: firstLine(error),
    });
  }
}
