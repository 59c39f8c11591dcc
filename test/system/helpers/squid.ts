// Debian's squid as a corporate proxy for one test: CONNECT to 443 only (its stock SSL_ports rule) and Basic auth.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startDaemon } from './daemon-process.js';
import { freePort } from './free-port.js';
import type { Teardown } from './teardown.js';

export interface Squid {
  host: string;
  port: number;
  output: () => string;
}

let counter = 0;

/** Runs `squid -N` on `host` with Basic auth for `username`/`password`; resolves once it accepts connections. */
export async function startSquid(
  t: Teardown,
  dir: string,
  options: { host: string; username: string; password: string },
): Promise<Squid> {
  // squid drops to the `proxy` user: its folder and password file must be readable by it.
  const home = join(dir, 'squid');
  mkdirSync(home, { recursive: true });
  chmodSync(dir, 0o755);
  chmodSync(home, 0o755);
  const hash = execFileSync('openssl', ['passwd', '-apr1', options.password], { encoding: 'utf8' }).trim();
  const passwd = join(home, 'passwd');
  writeFileSync(passwd, `${options.username}:${hash}\n`, { mode: 0o644 });
  const port = await freePort(options.host);
  const config = join(home, 'squid.conf');
  writeFileSync(
    config,
    [
      `http_port ${options.host}:${port}`,
      `pid_filename ${join(home, 'squid.pid')}`,
      `cache_log ${join(home, 'cache.log')}`,
      'access_log none',
      'cache deny all',
      'cache_mem 8 MB',
      'shutdown_lifetime 0 seconds',
      `auth_param basic program /usr/lib/squid/basic_ncsa_auth ${passwd}`,
      'acl auth proxy_auth REQUIRED',
      'acl SSL_ports port 443',
      'acl CONNECT method CONNECT',
      'http_access deny CONNECT !SSL_ports',
      'http_access allow auth',
      'http_access deny all',
      '',
    ].join('\n'),
  );
  counter += 1;
  // -n: a service name of its own, so its shared memory segments do not collide with another squid's.
  const daemon = await startDaemon(
    t,
    'squid',
    ['-N', '-d', '1', '-n', `mqp${process.pid}x${counter}`, '-f', config],
    /Accepting HTTP Socket connections/,
  );
  return { host: options.host, port, output: daemon.output };
}
