// The proxy phase for HTTP proxies: `CONNECT host:port` over the socket to the proxy; the tunnel becomes the stream.
// https://www.rfc-editor.org/rfc/rfc9110#name-connect
import http from 'node:http';
import { isIP } from 'node:net';
import type { Duplex } from 'node:stream';
import { connect as tlsConnect } from 'node:tls';
import { ProxyAnswerError } from '../errors.js';
import { type PhaseScope, runPhase } from '../run-phase.js';
import { hostPort, type ProxyAddress } from './proxy-address.js';

export interface OpenHttpProxyOptions {
  /** The connected socket to the proxy. */
  socket: Duplex;
  proxy: ProxyAddress;
  /** Where the tunnel should lead: the endpoint host name (the proxy resolves it) and port. */
  target: { host: string; port: number };
  track: (stream: Duplex) => void;
  /** Receives the proxy's status line once it answers (`HTTP/1.1 200 Connection established`). */
  onAnswer: (statusLine: string) => void;
}

/** Opens the tunnel within the proxy timeout; rejects with a ProxyAnswerError when the proxy says no. */
export function openHttpProxy(scope: PhaseScope, options: OpenHttpProxyOptions): Promise<Duplex> {
  const { proxy, target } = options;
  const authority = hostPort(target.host, target.port);
  const headers: Record<string, string> = { Host: authority };
  if (proxy.credentials) {
    const { username, password } = proxy.credentials;
    headers['Proxy-Authorization'] = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  }
  return runPhase(scope, 'proxy', async (signal) => {
    // An https:// proxy is an HTTP proxy behind TLS: the handshake with the proxy is part of the proxy phase.
    const socket = proxy.kind === 'https' ? await proxyTls(options, signal) : options.socket;
    return new Promise<Duplex>((resolve, reject) => {
      const request = http.request({
        method: 'CONNECT',
        path: authority,
        headers,
        // No agent: the request runs on the socket we already opened (and timed) to the proxy.
        createConnection: () => socket,
      });
      request.once('connect', (response: http.IncomingMessage, tunnel: Duplex, head: Buffer) => {
        const code = response.statusCode ?? 0;
        const statusLine = `HTTP/${response.httpVersion} ${code} ${response.statusMessage ?? ''}`.trimEnd();
        options.onAnswer(statusLine);
        if (code >= 200 && code < 300) {
          // Bytes the server sent right after the proxy's answer belong to the next layer (TLS).
          if (head.length > 0) tunnel.unshift(head);
          resolve(tunnel);
          return;
        }
        // 407 is the standard answer; tinyproxy (1.11) answers wrong credentials with 401, and nothing but the
        // proxy can answer a CONNECT, so a 401 is about proxy credentials too.
        reject(
          new ProxyAnswerError({
            protocol: 'http',
            statusCode: code,
            statusLine,
            authRequired: code === 407 || code === 401,
          }),
        );
      });
      // "socket hang up" and resets: the proxy closed without answering.
      request.once('error', reject);
      signal.addEventListener('abort', () => request.destroy(), { once: true });
      request.end();
    });
  });
}

function proxyTls(options: OpenHttpProxyOptions, signal: AbortSignal): Promise<Duplex> {
  const { proxy } = options;
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({
      socket: options.socket,
      // Verified against the system CAs: a proxy is not the broker, the scenario's `ca` does not apply to it.
      ...(isIP(proxy.host) ? {} : { servername: proxy.host }),
      ALPNProtocols: ['http/1.1'],
    });
    options.track(socket);
    socket.once('error', reject);
    socket.once('secureConnect', () => resolve(socket));
    signal.addEventListener('abort', () => socket.destroy(), { once: true });
  });
}
