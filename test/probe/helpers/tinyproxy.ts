// Starts Debian's tinyproxy on a loopback port with its own config: a restricted corporate proxy for one test file.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { closedPort } from './tiny-servers.js';

export interface TinyproxyOptions {
  /** A folder for the config and pid file (the test's temp dir). */
  dir: string;
  /** The only ports CONNECT may reach; others get 403. */
  connectPorts: number[];
  /** Require `Proxy-Authorization: Basic` with these credentials; others get 407. */
  basicAuth?: { username: string; password: string };
  /** The loopback address to listen on (default 127.0.0.1); another one puts the proxy on a host of its own. */
  listen?: string;
}

export interface Tinyproxy {
  host: string;
  port: number;
  /** What tinyproxy logged so far, for failure messages. */
  log(): string;
  close(): Promise<void>;
}

/** Runs `tinyproxy -d -c FILE` and resolves once it logs that it accepts connections. */
export async function startTinyproxy(options: TinyproxyOptions): Promise<Tinyproxy> {
  const listen = options.listen ?? '127.0.0.1';
  const port = await closedPort(listen);
  const config = join(options.dir, 'tinyproxy.conf');
  const lines = [
    `Port ${port}`,
    `Listen ${listen}`,
    'Allow 127.0.0.1',
    ...options.connectPorts.map((p) => `ConnectPort ${p}`),
    `PidFile "${join(options.dir, 'tinyproxy.pid')}"`,
    'LogLevel Info',
    'Timeout 30',
    'MaxClients 20',
    // Running as root without User only warns; tinyproxy then keeps the current user.
    ...(options.basicAuth ? [`BasicAuth ${options.basicAuth.username} ${options.basicAuth.password}`] : []),
  ];
  writeFileSync(config, `${lines.join('\n')}\n`);
  // Without LogFile, -d logs to stdout (config errors to stderr): "Accepting connections" is the event to wait for.
  const child = spawn('tinyproxy', ['-d', '-c', config], { stdio: ['ignore', 'pipe', 'pipe'] });
  const logLines: string[] = [];
  const ready = new Promise<void>((resolve, reject) => {
    for (const input of [child.stdout, child.stderr]) {
      createInterface({ input }).on('line', (line) => {
        logLines.push(line);
        if (line.includes('Accepting connections')) resolve();
      });
    }
    child.once('exit', (code) => reject(new Error(`tinyproxy exited with ${code}:\n${logLines.join('\n')}`)));
    child.once('error', reject);
  });
  await ready;
  return {
    host: listen,
    port,
    log: () => logLines.join('\n'),
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}
