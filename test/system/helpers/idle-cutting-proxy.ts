// A TCP relay that behaves like a NAT or firewall with an idle timeout: a connection quiet for too long is reset, or
// (silent) simply no longer forwarded, with neither FIN nor RST, as a box that forgot the connection does.
import { EventEmitter, once } from 'node:events';
import { createServer, type Socket, connect as tcpConnect } from 'node:net';
import type { Teardown } from './teardown.js';

/** The relay's port on 127.0.0.1, and the connections it has cut so far. */
export interface IdleCuttingProxy {
  port: number;
  cuts: () => number;
  /** Resolves at the next cut. */
  nextCut: () => Promise<void>;
  /**
   * Destroys every relayed socket and stops listening (also done when the test ends). Call it before the upstream
   * closes: after a silent cut the upstream's sockets stay open until the relay lets go of them.
   */
  close: () => Promise<void>;
}

/**
 * Relays 127.0.0.1:PORT to `upstream`. When nothing has passed in either direction for `idleMs`, it resets both
 * sides (`cut: 'reset'`, the default: an RST, as many firewalls send once they have forgotten the connection) or
 * keeps both sockets open and drops every byte from then on (`cut: 'silent'`). Closed when the test ends.
 */
export async function startIdleCuttingProxy(
  t: Teardown,
  upstream: { host: string; port: number },
  idleMs: number,
  options: { cut?: 'reset' | 'silent' } = {},
): Promise<IdleCuttingProxy> {
  const sockets = new Set<Socket>();
  let cuts = 0;
  const events = new EventEmitter<{ cut: [] }>();
  const server = createServer({ noDelay: true }, (client) => {
    const server = tcpConnect({ host: upstream.host, port: upstream.port, noDelay: true });
    for (const socket of [client, server]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      // Either side failing ends the pair; the error itself is what the probe under test must diagnose, not us.
      socket.on('error', () => {
        client.destroy();
        server.destroy();
      });
    }
    client.pipe(server);
    server.pipe(client);
    // The client-facing socket sees every byte in both directions, so its idle timer is the connection's.
    client.setTimeout(idleMs, () => {
      cuts += 1;
      events.emit('cut');
      if (options.cut === 'silent') {
        client.setTimeout(0);
        client.unpipe(server);
        server.unpipe(client);
        // Read and drop, so nothing is forwarded and no buffer fills: both ends keep their sockets, unaware.
        client.on('data', () => undefined);
        server.on('data', () => undefined);
        return;
      }
      client.resetAndDestroy();
      server.resetAndDestroy();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, 'close');
    })();
    return closing;
  };
  t.after(close);
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return {
    port: address.port,
    cuts: () => cuts,
    nextCut: async () => {
      await once(events, 'cut');
    },
    close,
  };
}
