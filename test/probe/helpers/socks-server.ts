// A tiny SOCKS5 (RFC 1928, RFC 1929 user/password) and SOCKS4a server for probe tests: some ports allowed, others refused.
import { once } from 'node:events';
import net, { type AddressInfo } from 'node:net';

export interface SocksOptions {
  /** Destination ports it will connect to; others get reply 2 (not allowed by ruleset). */
  allowedPorts: number[];
  /** Require RFC 1929 authentication with these credentials. */
  credentials?: { username: string; password: string };
}

export interface SocksServer {
  port: number;
  /** The destinations asked for, as `host:port`, in order. */
  requests: string[];
  close(): Promise<void>;
}

/** Reads exactly `n` bytes from a paused socket, or rejects when it ends first. */
function reader(socket: net.Socket): (n: number) => Promise<Buffer> {
  let buffered = Buffer.alloc(0);
  let ended = false;
  let wake: (() => void) | undefined;
  socket.on('data', (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    wake?.();
  });
  socket.once('close', () => {
    ended = true;
    wake?.();
  });
  return async (n) => {
    while (buffered.length < n) {
      if (ended) throw new Error('client went away');
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
    const out = buffered.subarray(0, n);
    buffered = buffered.subarray(n);
    return out;
  };
}

const reply = (code: number) => Buffer.from([5, code, 0, 1, 0, 0, 0, 0, 0, 0]);

/** Starts the server on a loopback port. */
export async function startSocksServer(options: SocksOptions): Promise<SocksServer> {
  const sockets = new Set<net.Socket>();
  const requests: string[] = [];
  const server = net.createServer((client) => {
    sockets.add(client);
    client.once('close', () => sockets.delete(client));
    client.on('error', () => undefined);
    void handle(client).catch(() => client.destroy());
  });

  async function handle(client: net.Socket): Promise<void> {
    const read = reader(client);
    const [version] = await read(1);
    if (version === 4) return handleSocks4(client, read);
    const [methodCount = 0] = await read(1);
    const methods = [...(await read(methodCount))];
    const wanted = options.credentials ? 2 : 0;
    if (!methods.includes(wanted)) return void client.end(Buffer.from([5, 0xff]));
    client.write(Buffer.from([5, wanted]));
    if (options.credentials) {
      const [, userLength = 0] = await read(2);
      const username = (await read(userLength)).toString();
      const [passLength = 0] = await read(1);
      const password = (await read(passLength)).toString();
      const ok = username === options.credentials.username && password === options.credentials.password;
      client.write(Buffer.from([1, ok ? 0 : 1]));
      if (!ok) return void client.end();
    }
    const [, , , type] = await read(4);
    let host: string;
    if (type === 1) host = [...(await read(4))].join('.');
    else if (type === 3) host = (await read((await read(1))[0] ?? 0)).toString();
    else return void client.end(reply(8));
    const port = (await read(2)).readUInt16BE(0);
    requests.push(`${host}:${port}`);
    if (!options.allowedPorts.includes(port)) return void client.end(reply(2));
    await relay(client, host, port, reply(0));
  }

  // SOCKS4a: VN CD DSTPORT DSTIP USERID\0 [HOST\0], answered with 0x5A (granted) or 0x5B (rejected).
  async function handleSocks4(client: net.Socket, read: (n: number) => Promise<Buffer>): Promise<void> {
    const header = await read(7);
    const port = header.readUInt16BE(1);
    const readString = async () => {
      const bytes: number[] = [];
      for (let byte = (await read(1))[0]; byte !== 0; byte = (await read(1))[0]) bytes.push(byte ?? 0);
      return Buffer.from(bytes).toString();
    };
    const userId = await readString();
    const ip = [...header.subarray(3, 7)];
    const host = ip[0] === 0 && ip[1] === 0 && ip[2] === 0 ? await readString() : ip.join('.');
    requests.push(`${host}:${port}`);
    const answer = (code: number) => Buffer.from([0, code, 0, 0, 0, 0, 0, 0]);
    const userOk = !options.credentials || userId === options.credentials.username;
    if (!userOk || !options.allowedPorts.includes(port)) return void client.end(answer(0x5b));
    await relay(client, host, port, answer(0x5a));
  }

  async function relay(client: net.Socket, host: string, port: number, granted: Buffer): Promise<void> {
    const upstream = net.connect({ host, port, noDelay: true });
    sockets.add(upstream);
    upstream.once('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    await once(upstream, 'connect');
    client.write(granted);
    client.pipe(upstream).pipe(client);
    client.once('close', () => upstream.destroy());
  }

  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    requests,
    async close() {
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, 'close');
    },
  };
}
