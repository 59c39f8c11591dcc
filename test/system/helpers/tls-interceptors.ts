// TLS-inspecting proxies for one test: mitmproxy (re-signs, forwards ALPN, never a client certificate) and squid
// with ssl_bump (re-signs, drops ALPN, waits for HTTP). Each re-signs with its own CA, which the probe may trust.

import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startDaemon } from './daemon-process.js';
import { freePort, withFreshPorts } from './free-port.js';
import { runCommand } from './run-command.js';
import type { Teardown } from './teardown.js';

/** An HTTP CONNECT proxy that intercepts TLS, and the path of the CA it re-signs with. */
export interface Interceptor {
  url: string;
  caPath: string;
  output: () => string;
}

/** mitmdump in regular (CONNECT) mode, not verifying the upstream server (a test broker's own CA). */
export async function startMitmproxy(t: Teardown, dir: string): Promise<Interceptor> {
  const confdir = join(dir, 'mitmproxy');
  mkdirSync(confdir, { recursive: true });
  return withFreshPorts(async () => {
    const port = await freePort();
    const daemon = await startDaemon(
      t,
      'mitmdump',
      [
        '--listen-host',
        '127.0.0.1',
        '-p',
        String(port),
        '--set',
        `confdir=${confdir}`,
        '--set',
        'ssl_insecure=true',
      ],
      /Proxy server listening|Address already in use/,
    );
    if (/Address already in use/.test(daemon.output())) throw new Error(daemon.output());
    return {
      url: `http://127.0.0.1:${port}`,
      caPath: join(confdir, 'mitmproxy-ca-cert.pem'),
      output: daemon.output,
    };
  });
}

let squids = 0;

/**
 * squid (squid-openssl) bumping every CONNECT after peeking at the SNI, with a CA of its own ("Corp Inspection
 * CA"). It runs as the `proxy` user, so its folder is handed to that user; `-n` gives it shared-memory names of its
 * own, so it never meets another squid on the machine.
 */
export async function startSquidBump(t: Teardown, dir: string): Promise<Interceptor> {
  const home = join(dir, `squid-${process.pid}-${++squids}`);
  mkdirSync(home);
  chmodSync(dir, 0o711);
  const caPath = join(home, 'squid-ca.pem');
  const keyPath = join(home, 'squid-ca-key.pem');
  const made = await runCommand(
    ['openssl', 'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'].concat([
      '-keyout',
      keyPath,
      '-out',
      caPath,
      '-subj',
      '/CN=Corp Inspection CA/O=Example Corp',
      '-days',
      '2',
    ]),
  );
  if (made.code !== 0) throw new Error(made.stderr);
  const db = join(home, 'ssl_db');
  execFileSync('/usr/lib/squid/security_file_certgen', ['-c', '-s', db, '-M', '4MB'], { stdio: 'ignore' });
  return withFreshPorts(async () => {
    const port = await freePort();
    const config = join(home, 'squid.conf');
    writeFileSync(
      config,
      [
        `http_port 127.0.0.1:${port} ssl-bump tls-cert=${caPath} tls-key=${keyPath} generate-host-certificates=on dynamic_cert_mem_cache_size=4MB`,
        `sslcrtd_program /usr/lib/squid/security_file_certgen -s ${db} -M 4MB`,
        'acl step1 at_step SslBump1',
        'ssl_bump peek step1',
        'ssl_bump bump all',
        'http_access allow all',
        'tls_outgoing_options flags=DONT_VERIFY_PEER',
        `pid_filename ${join(home, 'squid.pid')}`,
        `cache_log ${join(home, 'cache.log')}`,
        `access_log ${join(home, 'access.log')}`,
        'cache deny all',
        // Stop at once on SIGTERM (the default waits 30 s for clients).
        'shutdown_lifetime 0 seconds',
        `coredump_dir ${home}`,
        'cache_effective_user proxy',
        '',
      ].join('\n'),
    );
    execFileSync('chown', ['-R', 'proxy:proxy', home]);
    const daemon = await startDaemon(
      t,
      'squid',
      ['-N', '-d', '1', '-n', `mqttprobe${process.pid}x${squids}`, '-f', config],
      /Accepting SSL bumped HTTP Socket connections|FATAL|Address already in use/,
    );
    if (!/Accepting SSL bumped/.test(daemon.output())) throw new Error(daemon.output());
    return { url: `http://127.0.0.1:${port}`, caPath, output: daemon.output };
  });
}
