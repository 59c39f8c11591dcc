// A TCP relay that behaves like a NAT or firewall with an idle timeout: a connection quiet for too long is reset.
import { once } from 'node:events';
import { createServer, type Socket, connect as tcpConnect } from 'node:net';
import type { Teardown } from './teardown.js';

/** The relay's port on 127.0.0.1, and the connections it has cut so far. */
export interface IdleCuttingProxy {
  port: number;
  cuts: () => number;
}

/**
 * Relays 127.0.0.1:PORT to `upstream`. When nothing has passed in either direction for `idleMs`, it resets both
 * sides (an RST, as many firewalls send once they have forgotten the connection). Closed when the test ends.
 */
export async function startIdleCuttingProxy(
  t: Teardown,
  upstream: { host: string; port: number },
  idleMs: number,
): Promise<IdleCuttingProxy> {
  const sockets = new Set<Socket>();
  let cuts = 0;
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
      client.resetAndDestroy();
      server.resetAndDestroy();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(async () => {
    for (const socket of sockets) socket.destroy();
    server.close();
    await once(server, 'close');
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return { port: address.port, cuts: () => cuts };
}
