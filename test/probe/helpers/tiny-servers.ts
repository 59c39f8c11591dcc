// Purpose-built loopback servers that fail in one precise way each, for probe tests.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import tls from 'node:tls';

/** Something listening on a loopback port that a test must close. */
export interface Listener {
  port: number;
  close(): Promise<void>;
}

export interface TinyServer extends Listener {
  /** The listening server, to await its `connection` events. */
  server: net.Server;
}

/** `unref`: neither the server nor its connections keep the process alive (for leak tests of the client side). */
interface ServeOptions {
  unref?: boolean;
}

async function serve(server: net.Server, options: ServeOptions = {}): Promise<TinyServer> {
  const sockets = new Set<net.Socket>();
  if (options.unref) server.unref();
  server.on('connection', (socket: net.Socket) => {
    if (options.unref) socket.unref();
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => {
      // Tests reset and destroy connections on purpose; the client side is what is being checked.
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    server,
    async close() {
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, 'close');
    },
  };
}

/** A plain TCP server that answers the client's first bytes (an MQTT CONNECT) in its own way. */
export function startAnsweringServer(
  answer: (socket: net.Socket, firstBytes: Buffer) => void,
): Promise<TinyServer> {
  return serve(net.createServer((socket) => socket.once('data', (chunk: Buffer) => answer(socket, chunk))));
}

/** A port on which nothing listens (it did a moment ago), so connecting is refused. */
export async function closedPort(host = '127.0.0.1'): Promise<number> {
  const server = net.createServer();
  server.listen(0, host);
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

/** Answers each connection with a TCP reset: at once, or when the client's first bytes arrive. */
export function startResetServer(when: 'on-accept' | 'on-first-data' = 'on-accept'): Promise<TinyServer> {
  return serve(
    net.createServer((socket) => {
      if (when === 'on-accept') socket.resetAndDestroy();
      else socket.once('data', () => socket.resetAndDestroy());
    }),
  );
}

/** Accepts each connection and never sends a byte (a stalled TLS handshake, or a CONNECT never answered). */
export function startSilentServer(options: ServeOptions = {}): Promise<TinyServer> {
  return serve(
    net.createServer(() => undefined),
    options,
  );
}

/** A plain HTTP/1.1 server that answers everything with 400, like an HTTPS backend seeing MQTT bytes. */
export function startHttpServer(): Promise<TinyServer> {
  const server = http.createServer((_request, response) => response.writeHead(400).end('bad request'));
  // Garbage that is not HTTP still gets a 400 (Node's default clientError answer), as nginx does.
  return serve(server);
}

/** A TLS server with the given options whose secure connections get `onSecure`. */
export function startTlsServer(
  options: tls.TlsOptions,
  onSecure: (socket: tls.TLSSocket) => void = () => undefined,
): Promise<TinyServer> {
  const server = tls.createServer(options, onSecure);
  server.on('tlsClientError', () => {
    // The handshake failures are the point of these tests.
  });
  return serve(server);
}

/**
 * A SYN blackhole without root: a socket listening with backlog 0 that never accepts, its queue filled, so the
 * kernel drops further SYNs. Node always accepts, so a python3 child holds it. Undefined when python3 is missing.
 */
export async function startSynBlackhole(): Promise<Listener | undefined> {
  const script = [
    'import socket, sys',
    's = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(0)',
    'port = s.getsockname()[1]',
    'fillers = []',
    'for _ in range(3):',
    '    c = socket.socket(); c.setblocking(False)',
    '    try: c.connect(("127.0.0.1", port))',
    '    except BlockingIOError: pass',
    '    fillers.append(c)',
    'print(port, flush=True)',
    'sys.stdin.read()',
  ].join('\n');
  const child = spawn('python3', ['-c', script], { stdio: ['pipe', 'pipe', 'inherit'] });
  const spawned = await Promise.race([
    once(child, 'spawn').then(() => true),
    once(child, 'error').then(() => false),
  ]);
  if (!spawned) return undefined;
  const lines = createInterface({ input: child.stdout });
  const [line] = (await once(lines, 'line')) as [string];
  lines.close();
  return {
    port: Number(line),
    async close() {
      const exited = once(child, 'exit');
      child.stdin.end();
      await exited;
    },
  };
}
