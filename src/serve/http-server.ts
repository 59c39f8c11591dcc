// The exporter's HTTP(S) listener: routes, basic auth and TLS from the web config, and bounded connections.
//   GET  /            the status page          GET  /probe       a probe now (probe-handler.ts)
//   GET  /metrics     the exporter's own       POST /-/reload    re-read the scenario files
//   GET  /-/healthy   200 while it serves      GET  /-/ready     200 once a configuration is loaded
import { once } from 'node:events';
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { BasicAuth } from './basic-auth.js';
import type { Exporter } from './exporter.js';
import type { Answer } from './probe-handler.js';
import { MAX_DEADLINE_S } from './probe-request.js';
import type { WebConfig } from './web-config.js';

/** Open connections at most; Prometheus keeps one per target, a few hundred is a large site. */
const MAX_CONNECTIONS = 1024;

export interface HttpServerOptions {
  host: string;
  port: number;
  web?: WebConfig;
  /** Called for each reload request (logging); the exporter does the reload. */
  onReload?: (result: { ok: true } | { ok: false; error: string }) => void;
  /** Called when a request fails in a way that is a bug; the answer is then a 500. */
  onError?: (error: unknown) => void;
}

export interface RunningHttpServer {
  /** The address it listens on, as a URL base: `http://127.0.0.1:10883`. */
  url: string;
  port: number;
  /** Stops accepting; waits for answers in flight up to `graceMs`, then closes every connection. */
  close(graceMs: number): Promise<void>;
}

function send(res: ServerResponse, answer: Answer, headers: Record<string, string>): void {
  res.writeHead(answer.status, {
    ...headers,
    'Content-Type': answer.contentType,
    'Content-Length': Buffer.byteLength(answer.body),
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(answer.body);
}

const plain = (status: number, body: string): Answer => ({
  status,
  contentType: 'text/plain; charset=utf-8',
  body: `${body}\n`,
});

/** Whether a client certificate satisfies the toolkit's policies that Node's verification does not cover itself. */
function clientCertificateAccepted(socket: TLSSocket, web: WebConfig): boolean {
  const tls = web.tls!;
  const peer = socket.getPeerCertificate();
  const presented = peer !== null && Object.keys(peer).length > 0;
  if (tls.clientAuth === 'RequireAnyClientCert' && !presented) return false;
  if (tls.clientAuth === 'VerifyClientCertIfGiven' && presented && !socket.authorized) return false;
  if (tls.allowedSans) {
    if (!presented) return false;
    const sans = (peer.subjectaltname ?? '').split(', ').map((s) => s.replace(/^[^:]+:/, ''));
    if (!tls.allowedSans.some((allowed) => sans.includes(allowed))) return false;
  }
  return true;
}

/** Starts listening; rejects with the listen error (EADDRINUSE, EACCES, …). */
export async function startHttpServer(
  exporter: Exporter,
  options: HttpServerOptions,
): Promise<RunningHttpServer> {
  const web = options.web;
  const auth = new BasicAuth(web?.users ?? new Map());
  const headers = web?.headers ?? {};

  const route = async (req: IncomingMessage): Promise<Answer> => {
    const url = new URL(req.url ?? '/', 'http://exporter');
    const method = req.method ?? 'GET';
    const get = method === 'GET' || method === 'HEAD';
    switch (url.pathname) {
      case '/':
        return get ? exporter.statusPage() : plain(405, 'use GET');
      case '/probe':
        if (!get) return plain(405, 'use GET');
        return exporter.probe(url.searchParams, {
          ...(typeof req.headers['x-prometheus-scrape-timeout-seconds'] === 'string'
            ? { scrapeTimeout: req.headers['x-prometheus-scrape-timeout-seconds'] }
            : {}),
          ...(req.headers.accept ? { accept: req.headers.accept } : {}),
        });
      case '/metrics':
        return get ? exporter.ownMetrics() : plain(405, 'use GET');
      case '/-/reload': {
        if (method !== 'POST' && method !== 'PUT') return plain(405, 'use POST to reload');
        const result = await exporter.reload();
        options.onReload?.(result);
        return result.ok
          ? plain(200, 'reloaded')
          : plain(500, `failed to reload the configuration: ${result.error}`);
      }
      case '/-/healthy':
        return plain(200, 'OK');
      case '/-/ready':
        return exporter.scenarioIds().length > 0 ? plain(200, 'OK') : plain(503, 'no configuration loaded');
      default:
        return plain(404, 'not found: try /, /probe?scenario=NAME or /metrics');
    }
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    // The body is never read: nothing here takes one, and a large upload must not fill memory.
    req.resume();
    const answer = (async (): Promise<Answer> => {
      if (!(await auth.check(req.headers.authorization))) {
        exporter.metrics.refused('unauthorized');
        return plain(401, 'Unauthorized');
      }
      return route(req);
    })();
    answer.then(
      (a) => {
        if (a.status === 401) res.setHeader('WWW-Authenticate', 'Basic');
        send(res, req.method === 'HEAD' ? { ...a, body: '' } : a, headers);
      },
      (error: unknown) => {
        options.onError?.(error);
        if (!res.headersSent) send(res, plain(500, 'internal error: see the exporter log'), headers);
      },
    );
  };

  let server: Server;
  if (web?.tls) {
    const tls = web.tls;
    const asks = tls.clientAuth !== 'NoClientCert';
    server = createHttpsServer(
      {
        cert: tls.cert,
        key: tls.key.reveal(),
        ...(tls.ca ? { ca: tls.ca } : {}),
        requestCert: asks,
        rejectUnauthorized: tls.clientAuth === 'RequireAndVerifyClientCert',
        minVersion: tls.minVersion,
        ...(tls.maxVersion ? { maxVersion: tls.maxVersion } : {}),
      },
      handle,
    );
    server.on('secureConnection', (socket: TLSSocket) => {
      if (!clientCertificateAccepted(socket, web)) socket.destroy();
    });
  } else {
    server = createHttpServer(handle);
  }
  server.maxConnections = MAX_CONNECTIONS;
  // A scrape may wait up to its deadline; a request that dribbles in its headers may not.
  server.headersTimeout = 10_000;
  server.requestTimeout = (MAX_DEADLINE_S + 10) * 1000;
  server.keepAliveTimeout = 30_000;

  server.listen(options.port, options.host);
  await Promise.race([
    once(server, 'listening'),
    once(server, 'error').then(([error]) => {
      throw error;
    }),
  ]);
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `${web?.tls ? 'https' : 'http'}://${host}:${address.port}`,
    port: address.port,
    close: async (graceMs) => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const timer = setTimeout(() => server.closeAllConnections(), graceMs);
      await closed;
      clearTimeout(timer);
    },
  };
}
