// Runs Debian's haproxy in TCP mode with a config the test writes, on a free port, stopped when the test ends.
import { writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { startDaemon } from './daemon-process.js';
import { freePort, withFreshPorts } from './free-port.js';
import type { Teardown } from './teardown.js';

/** Where haproxy listens. */
export interface Haproxy {
  host: string;
  port: number;
  output: () => string;
}

/**
 * Starts `haproxy -db` with `frontend` lines (after `bind`) and a backend to `backend`. Resolves once the port
 * accepts a connection: haproxy prints nothing when it is ready.
 */
export async function startHaproxy(
  t: Teardown,
  dir: string,
  options: { frontend: string[]; backend: { host: string; port: number } },
): Promise<Haproxy> {
  const host = '127.0.0.1';
  return withFreshPorts(async () => {
    const port = await freePort(host);
    const config = join(dir, 'haproxy.cfg');
    writeFileSync(
      config,
      [
        'global',
        '  maxconn 256',
        'defaults',
        '  mode tcp',
        '  timeout connect 5s',
        '  timeout client 30s',
        '  timeout server 30s',
        'frontend front',
        `  bind ${host}:${port}`,
        ...options.frontend.map((line) => `  ${line}`),
        '  default_backend back',
        'backend back',
        `  server broker ${options.backend.host}:${options.backend.port}`,
        '',
      ].join('\n'),
    );
    // -V prints the polling mechanism once the configuration is parsed, before the listeners accept.
    const daemon = await startDaemon(t, 'haproxy', ['-db', '-V', '-f', config], /Using \w+\(\)|polling/);
    await untilAccepting(host, port, daemon.output);
    return { host, port, output: daemon.output };
  });
}

/** Resolves when `host:port` accepts a TCP connection (each refusal is an answer; tried again up to 50 times). */
async function untilAccepting(host: string, port: number, output: () => string): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const socket = connect({ host, port });
    const outcome = await new Promise<'up' | 'refused'>((resolve) => {
      socket.once('connect', () => resolve('up'));
      socket.once('error', () => resolve('refused'));
    });
    socket.destroy();
    if (outcome === 'up') return;
    if (/address already in use/i.test(output())) throw new Error(output());
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error(`haproxy did not accept connections on ${host}:${port}:\n${output()}`);
}
