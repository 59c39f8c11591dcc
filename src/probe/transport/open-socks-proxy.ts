// The proxy phase for SOCKS proxies: the SOCKS4a/5 handshake (RFC 1928, RFC 1929) over the socket to the proxy.
import type { Duplex } from 'node:stream';
import { SocksClient, type SocksClientOptions, type SocksProxy } from 'socks';
import { ProxyAnswerError } from '../errors.js';
import { type PhaseScope, runPhase } from '../run-phase.js';
import type { ProxyAddress } from './proxy-address.js';

export interface OpenSocksProxyOptions {
  /** The connected socket to the proxy. */
  socket: Duplex;
  proxy: ProxyAddress & { kind: 'socks4' | 'socks5' };
  /** Where the tunnel should lead; the host name goes to the proxy as a name (socks5h / socks4a behaviour). */
  target: { host: string; port: number };
  /** Receives a short account of the proxy's answer once it grants the connection. */
  onAnswer: (statusLine: string) => void;
}

// How the `socks` package words the answers that mean "no": its messages are its only error shape.
const REJECTED = /^(Socks[45]) proxy rejected connection - \(?(\w+)\)?/i;
const AUTH_FAILED = /Socks5 Authentication failed|no accepted authentication type/i;

/**
 * Opens the tunnel within the proxy timeout. The proxy resolves the endpoint name: in a restricted network the
 * proxy's DNS is usually the one that can, and it keeps the dns phase about the proxy alone.
 */
export function openSocksProxy(scope: PhaseScope, options: OpenSocksProxyOptions): Promise<Duplex> {
  const { proxy, target } = options;
  const version = proxy.kind === 'socks4' ? 4 : 5;
  const socksProxy: SocksProxy = { host: proxy.host, port: proxy.port, type: version };
  if (proxy.credentials) {
    // SOCKS4 has a user ID only; SOCKS5 sends both (RFC 1929).
    socksProxy.userId = proxy.credentials.username;
    socksProxy.password = proxy.credentials.password;
  }
  const clientOptions: SocksClientOptions = {
    proxy: socksProxy,
    destination: target,
    command: 'connect',
    existing_socket: options.socket,
    // Our phase timeout ends the wait; the package's own timer (unref'd) must never fire first.
    timeout: scope.timeoutsMs.proxy + 60_000,
  };
  return runPhase(
    scope,
    'proxy',
    (signal) =>
      new Promise<Duplex>((resolve, reject) => {
        const client = new SocksClient(clientOptions);
        client.once('established', (info) => {
          options.onAnswer(`SOCKS${version} granted`);
          resolve(info.socket);
        });
        client.once('error', (error: Error) => reject(answerOf(error, version)));
        signal.addEventListener('abort', () => options.socket.destroy(), { once: true });
        client.connect(options.socket);
      }),
  );
}

/** The package's error as a ProxyAnswerError when it reports a refusal, else unchanged (closed, not SOCKS). */
function answerOf(error: Error, version: 4 | 5): Error {
  const protocol = version === 4 ? 'socks4' : 'socks5';
  if (AUTH_FAILED.test(error.message)) {
    return new ProxyAnswerError({
      protocol,
      statusLine: `SOCKS${version} authentication failed`,
      authRequired: true,
    });
  }
  const rejected = REJECTED.exec(error.message);
  if (rejected) {
    return new ProxyAnswerError({
      protocol,
      statusLine: `SOCKS${version} ${rejected[2]}`,
      authRequired: false,
    });
  }
  return error;
}
