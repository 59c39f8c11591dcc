import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import tls from 'node:tls';
import { createCa, createClientCert, createServerCert } from '../../src/emulator/certificates.js';

// Opens a TLS server with `server` and connects with `client`; resolves with the client's outcome.
async function handshake(
  server: tls.TlsOptions,
  client: tls.ConnectionOptions,
): Promise<{ ok: true; authorizedPeer: boolean } | { ok: false; code: string }> {
  let serverSawAuthorized = false;
  const srv = tls.createServer({ ...server, noDelay: true }, (socket) => {
    serverSawAuthorized = socket.authorized;
    socket.end('hi');
  });
  srv.on('tlsClientError', () => {});
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const { port } = srv.address() as AddressInfo;
  try {
    const socket = tls.connect({ host: '127.0.0.1', port, ...client });
    try {
      await Promise.race([once(socket, 'data'), once(socket, 'error').then(([e]) => Promise.reject(e))]);
      return { ok: true, authorizedPeer: serverSawAuthorized };
    } catch (error) {
      return { ok: false, code: (error as NodeJS.ErrnoException).code ?? String(error) };
    } finally {
      socket.destroy();
    }
  } finally {
    srv.close();
    await once(srv, 'close');
  }
}

test('a server certificate chains to its CA and names localhost, 127.0.0.1 and the host name', async () => {
  const ca = await createCa();
  const server = await createServerCert(ca, { hostname: 'iot.example.test' });
  const parsed = new X509Certificate(server.cert);
  assert.ok(parsed.verify(new X509Certificate(ca.cert).publicKey));
  assert.match(parsed.subjectAltName ?? '', /DNS:iot\.example\.test/);
  assert.match(parsed.subjectAltName ?? '', /DNS:localhost/);
  assert.match(parsed.subjectAltName ?? '', /IP Address:127\.0\.0\.1/);
  assert.equal(server.issuer, ca.subject);
  const result = await handshake(
    { cert: server.cert, key: server.key },
    { ca: ca.cert, servername: 'iot.example.test' },
  );
  assert.deepEqual(result, { ok: true, authorizedPeer: false });
});

test('a client certificate is accepted by a server that trusts its CA', async () => {
  const ca = await createCa();
  const server = await createServerCert(ca);
  const client = await createClientCert(ca, { commonName: 'thing-1' });
  assert.equal(client.subject, 'CN=thing-1');
  const result = await handshake(
    { cert: server.cert, key: server.key, ca: ca.cert, requestCert: true, rejectUnauthorized: true },
    { ca: ca.cert, servername: 'localhost', cert: client.cert, key: client.key },
  );
  assert.deepEqual(result, { ok: true, authorizedPeer: true });
});

const failures: Array<{
  name: string;
  make: () => Promise<{ server: tls.TlsOptions; client: tls.ConnectionOptions }>;
  code: RegExp;
}> = [
  {
    name: 'a server certificate from another CA is untrusted',
    make: async () => {
      const [ca, rogue] = [await createCa(), await createCa({ commonName: 'Inspecting proxy CA' })];
      const server = await createServerCert(rogue);
      return {
        server: { cert: server.cert, key: server.key },
        client: { ca: ca.cert, servername: 'localhost' },
      };
    },
    code: /UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY/,
  },
  {
    name: 'an expired server certificate is refused as expired',
    make: async () => {
      const ca = await createCa();
      const server = await createServerCert(ca, { expired: true });
      return {
        server: { cert: server.cert, key: server.key },
        client: { ca: ca.cert, servername: 'localhost' },
      };
    },
    code: /CERT_HAS_EXPIRED/,
  },
  {
    name: 'a certificate for another host name fails the host check',
    make: async () => {
      const ca = await createCa();
      const server = await createServerCert(ca, { altNames: ['wrong-host.invalid'] });
      return {
        server: { cert: server.cert, key: server.key },
        client: { ca: ca.cert, servername: 'localhost' },
      };
    },
    code: /ERR_TLS_CERT_ALTNAME_INVALID/,
  },
];
for (const c of failures) {
  test(c.name, async () => {
    const { server, client } = await c.make();
    const result = await handshake(server, client);
    assert.equal(result.ok, false);
    assert.match(result.ok ? '' : result.code, c.code);
  });
}
