// The ClientHello reader behind `--fault require-sni`, on ClientHellos Node's own TLS client writes.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Socket } from 'node:net';
import { test } from 'node:test';
import { connect } from 'node:tls';
import { clientHelloSni } from '../../src/emulator/client-hello.js';

/** The first bytes Node's TLS client sends to a server that never answers (its ClientHello). */
async function clientHello(options: { host: string; servername?: string }): Promise<Buffer> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no address');
  const accepted = once(server, 'connection') as Promise<[Socket]>;
  const client = connect({
    host: options.host,
    port: address.port,
    servername: options.servername,
    rejectUnauthorized: false,
  });
  client.on('error', () => {
    // The server below closes without answering; the client's complaint about that is expected.
  });
  const [socket] = await accepted;
  const [chunk] = (await once(socket, 'data')) as [Buffer];
  socket.destroy();
  client.destroy();
  server.close();
  return chunk;
}

test('a ClientHello with SNI yields the name', async () => {
  const hello = await clientHello({ host: '127.0.0.1', servername: 'abc-ats.iot.eu-west-1.amazonaws.com' });
  assert.deepEqual(clientHelloSni(hello), { kind: 'name', name: 'abc-ats.iot.eu-west-1.amazonaws.com' });
});

test('a ClientHello to an IP address carries no SNI', async () => {
  const hello = await clientHello({ host: '127.0.0.1' });
  assert.deepEqual(clientHelloSni(hello), { kind: 'none' });
});

test('a ClientHello cut short is incomplete, and bytes that are not TLS say so', async () => {
  const hello = await clientHello({ host: '127.0.0.1', servername: 'broker.example' });
  assert.deepEqual(clientHelloSni(hello.subarray(0, 40)), { kind: 'incomplete' });
  assert.deepEqual(clientHelloSni(Buffer.from('GET / HTTP/1.1\r\n\r\n')), { kind: 'not-tls' });
});
