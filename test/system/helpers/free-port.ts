// Finds a TCP port that is free right now, for servers (mosquitto, nginx) that cannot listen on port 0 and report it.
import { once } from 'node:events';
import { createServer } from 'node:net';

/** A port the kernel just handed out on `host`; another process could take it before use, which is rare enough. */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  const server = createServer();
  server.listen(0, host);
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  server.close();
  await once(server, 'close');
  return address.port;
}

/**
 * Runs `start` with fresh free ports until it does not fail with "Address already in use": another process may
 * take a port between freePort() and the server binding it, which on a shared machine happens now and then.
 */
export async function withFreshPorts<T>(start: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start();
    } catch (error) {
      if (attempt >= attempts || !/address already in use/i.test(String(error))) throw error;
    }
  }
}
