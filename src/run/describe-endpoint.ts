// Looks up an account's AWS IoT data endpoint with DescribeEndpoint (iot:Data-ATS), through the real AWS SDK.
// https://docs.aws.amazon.com/iot/latest/apireference/API_DescribeEndpoint.html

/** A failed look-up: a setup problem (credentials, region, permissions), not a network failure of a scenario. */
export class EndpointLookupError extends Error {
  constructor(
    message: string,
    readonly hint: string,
    options: { cause?: unknown } = {},
  ) {
    super(message, options);
    this.name = 'EndpointLookupError';
  }
}

export interface AwsTarget {
  /** Else the SDK's chain: AWS_REGION, then the profile's region. */
  region?: string;
  /** Else AWS_PROFILE, else the default chain. */
  profile?: string;
}

const field = (error: unknown, key: string): string => {
  const value = (error as Record<string, unknown> | null)?.[key];
  return typeof value === 'string' ? value : '';
};

/** Turns the SDK's error shapes into a sentence and a fix; never includes credentials (the SDK's errors hold none). */
function explain(error: unknown, target: AwsTarget): EndpointLookupError {
  const name = field(error, 'name');
  const message = field(error, 'message') || String(error);
  const code = field(error, 'code');
  const where = target.profile ? ` (profile ${target.profile})` : '';
  if (name === 'CredentialsProviderError' || /Could not load credentials/i.test(message)) {
    return new EndpointLookupError(
      `endpoint: aws needs AWS credentials, and none were found${where}`,
      'set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run `aws sso login`; or give the endpoint with --endpoint',
      { cause: error },
    );
  }
  if (/region is missing/i.test(message)) {
    return new EndpointLookupError(
      'endpoint: aws needs an AWS region, and none is set',
      'set `aws.region` in the scenario file, or AWS_REGION, or a region in the AWS profile',
      { cause: error },
    );
  }
  if (
    /AccessDenied|UnrecognizedClient|InvalidSignature|ExpiredToken|InvalidClientTokenId|Forbidden/i.test(name)
  ) {
    return new EndpointLookupError(
      `AWS refused DescribeEndpoint${where}: ${name}: ${message}`,
      'the credentials need permission for iot:DescribeEndpoint in this account and region; or give the endpoint with --endpoint',
      { cause: error },
    );
  }
  if (
    /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|ECONNRESET|TimeoutError/.test(`${code} ${name} ${message}`)
  ) {
    return new EndpointLookupError(
      `cannot reach the AWS IoT control plane for DescribeEndpoint (${code || name}: ${message})`,
      'this network may block the AWS API too; give the data endpoint with --endpoint (aws iot describe-endpoint --endpoint-type iot:Data-ATS)',
      { cause: error },
    );
  }
  return new EndpointLookupError(
    `DescribeEndpoint failed: ${name || 'error'}: ${message}`,
    'give the endpoint with --endpoint',
    {
      cause: error,
    },
  );
}

/** The iot:Data-ATS endpoint address for this region and profile. The SDK loads only when called. */
export async function describeEndpoint(target: AwsTarget): Promise<string> {
  const { IoTClient, DescribeEndpointCommand } = await import('@aws-sdk/client-iot');
  const client = new IoTClient({
    ...(target.region ? { region: target.region } : {}),
    ...(target.profile ? { profile: target.profile } : {}),
    maxAttempts: 2,
    // Bounded like every other wait: a blackholed API endpoint costs seconds, not minutes.
    requestHandler: { connectionTimeout: 5000, requestTimeout: 10_000 },
  });
  try {
    const out = await client.send(new DescribeEndpointCommand({ endpointType: 'iot:Data-ATS' }));
    if (!out.endpointAddress) throw new Error('the answer held no endpointAddress');
    return out.endpointAddress;
  } catch (error) {
    throw explain(error, target);
  } finally {
    client.destroy();
  }
}
