// A stub of the AWS IoT control plane that answers DescribeEndpoint, so `endpoint: aws` works against the emulator.
// https://docs.aws.amazon.com/iot/latest/apireference/API_DescribeEndpoint.html
import http from 'node:http';

const ENDPOINT_TYPES = new Set(['iot:Data', 'iot:Data-ATS', 'iot:CredentialProvider', 'iot:Jobs']);

/** Creates the HTTP server (not yet listening); every endpoint type resolves to `hostname`. */
export function createControlPlane(hostname: string, denied: () => boolean = () => false): http.Server {
  return http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://control-plane.invalid');
    const json = (status: number, body: unknown, errorType?: string) => {
      const headers: http.OutgoingHttpHeaders = { 'content-type': 'application/json' };
      // The SDK reads the error code from this header, as from the real service.
      if (errorType) headers['x-amzn-errortype'] = errorType;
      res.writeHead(status, headers).end(JSON.stringify(body));
    };
    req.resume();
    if (req.method !== 'GET' || url.pathname !== '/endpoint') {
      return json(404, { message: `No stub for ${req.method} ${url.pathname}` }, 'ResourceNotFoundException');
    }
    if (denied()) {
      const message = 'User is not authorized to perform: iot:DescribeEndpoint';
      return json(403, { message }, 'AccessDeniedException');
    }
    // Like AWS, an absent endpointType means the legacy iot:Data endpoint.
    const type = url.searchParams.get('endpointType') ?? 'iot:Data';
    if (!ENDPOINT_TYPES.has(type)) {
      return json(400, { message: `Endpoint type ${type} is not valid.` }, 'InvalidRequestException');
    }
    json(200, { endpointAddress: hostname });
  });
}
