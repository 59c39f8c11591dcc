// Real probes against purpose-built servers that each fail one way: dns, tcp, tls and first-byte failures.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import net from 'node:net';
import { test } from 'node:test';
import { inspect } from 'node:util';
import { createCa, createServerCert } from '../../src/emulator/index.js';
import type { ProbeResult } from '../../src/probe/result.js';
import { runProbe } from '../../src/probe/run-probe.js';
import { Secret } from '../../src/scenario/secret.js';
import { makePlan } from '../helpers/make-plan.js';
import {
  closedPort,
  startHttpServer,
  startResetServer,
  startSilentServer,
  startSynBlackhole,
  startTlsServer,
  type TinyServer,
} from './helpers/tiny-servers.js';

const SHORT = 300;

function assertFails(result: ProbeResult, code: string, phase: string): void {
  assert.equal(result.ok, false, `expected ${code}, but the probe passed`);
  assert.equal(result.diagnosis?.code, code, inspect(result.diagnosis, { depth: 4 }));
  assert.equal(result.failedPhase, phase);
  for (const [name, timing] of Object.entries(result.phases)) {
    assert.ok(timing.startMs >= 0 && timing.durationMs >= 0, `${name} timing is non-negative`);
  }
}

async function withServer(start: () => Promise<TinyServer>, body: (server: TinyServer) => Promise<void>) {
  const server = await start();
  try {
    await body(server);
  } finally {
    await server.close();
  }
}

test('an unknown host is dns.not-found', async () => {
  const result = await runProbe(makePlan({ endpoint: 'mqttprobe-test.invalid' }));
  assertFails(result, 'dns.not-found', 'dns');
  assert.deepEqual(Object.keys(result.phases), ['dns']);
});

test('a resolver that never answers is dns.timeout', async () => {
  const result = await runProbe(makePlan({ endpoint: 'broker.example', timeoutsMs: { dns: SHORT } }), {
    lookup: () => undefined,
  });
  assertFails(result, 'dns.timeout', 'dns');
  if (result.diagnosis?.code === 'dns.timeout') assert.equal(result.diagnosis.evidence.waitedMs, SHORT);
});

test('a closed port is tcp.refused, with the address DNS gave', async () => {
  const port = await closedPort();
  const result = await runProbe(makePlan({ endpoint: 'localhost', port }));
  assertFails(result, 'tcp.refused', 'tcp');
  assert.ok(result.address === '127.0.0.1' || result.address === '::1');
  assert.ok(
    (result.phases.tcp?.startMs ?? -1) >=
      (result.phases.dns?.startMs ?? 0) + (result.phases.dns?.durationMs ?? 0),
  );
});

test('a port whose SYNs are dropped is tcp.timeout, after one phase timeout', async (t) => {
  const blackhole = await startSynBlackhole();
  if (!blackhole) {
    t.skip('python3 is missing: it holds the never-accepting listener');
    return;
  }
  try {
    const result = await runProbe(makePlan({ port: blackhole.port, timeoutsMs: { tcp: SHORT } }));
    assertFails(result, 'tcp.timeout', 'tcp');
  } finally {
    await blackhole.close();
  }
});

test('a reset right after accept is tcp.reset (seen in connect or in the handshake, whichever comes first)', async () => {
  await withServer(startResetServer, async ({ port }) => {
    const result = await runProbe(makePlan({ port, transport: 'mqtts', endpoint: 'localhost' }));
    assert.equal(result.diagnosis?.code, 'tcp.reset', inspect(result.diagnosis));
    assert.ok(result.failedPhase === 'tcp' || result.failedPhase === 'tls');
  });
});

test('a reset on the ClientHello is tls.closed-before-server-hello, never blamed on the client certificate', async () => {
  await withServer(
    () => startResetServer('on-first-data'),
    async ({ port }) => {
      const result = await runProbe(
        makePlan({ port, transport: 'mqtts', endpoint: 'localhost', alpn: ['x-amzn-mqtt-ca'] }),
      );
      assertFails(result, 'tls.closed-before-server-hello', 'tls');
      if (result.diagnosis?.code === 'tls.closed-before-server-hello') {
        assert.equal(result.diagnosis.evidence.reset, true);
        assert.equal(result.diagnosis.evidence.sniSent, 'localhost');
        assert.deepEqual(result.diagnosis.evidence.offeredAlpn, ['x-amzn-mqtt-ca']);
        assert.ok(result.diagnosis.evidence.bytesWritten > 0, 'the ClientHello went out');
      }
      assert.match(
        result.diagnosis?.message ?? '',
        /reset .*SNI localhost, ALPN x-amzn-mqtt-ca.* without sending a single byte back/,
      );
      assert.match(result.diagnosis?.hint ?? '', /not because of the client certificate/);
    },
  );
});

test('a reset on CONNECT is mqtt.closed-before-connack with reset', async () => {
  await withServer(
    () => startResetServer('on-first-data'),
    async ({ port }) => {
      const result = await runProbe(makePlan({ port }));
      assertFails(result, 'mqtt.closed-before-connack', 'connack');
      if (result.diagnosis?.code === 'mqtt.closed-before-connack') {
        assert.equal(result.diagnosis.evidence.reset, true);
      }
    },
  );
});

test('a server that never answers the ClientHello is tls.timeout', async () => {
  await withServer(startSilentServer, async ({ port }) => {
    const result = await runProbe(
      makePlan({ port, transport: 'mqtts', endpoint: 'localhost', timeoutsMs: { tls: SHORT } }),
    );
    assertFails(result, 'tls.timeout', 'tls');
    const tcp = result.phases.tcp;
    const tls = result.phases.tls;
    assert.ok(tcp && tls && tls.startMs >= tcp.startMs + tcp.durationMs, 'tls starts after tcp ends');
  });
});

test('TLS to a plain HTTP port is tls.not-tls', async () => {
  await withServer(startHttpServer, async ({ port }) => {
    const result = await runProbe(makePlan({ port, transport: 'mqtts', endpoint: 'localhost' }));
    assertFails(result, 'tls.not-tls', 'tls');
  });
});

test('a server that closes on the ClientHello is tls.closed-before-server-hello; for an IP, it says no SNI was sent', async () => {
  const closer = () => {
    const server = net.createServer((socket) => socket.once('data', () => socket.end()));
    return listenTiny(server);
  };
  await withServer(closer, async ({ port }) => {
    const byName = await runProbe(makePlan({ port, transport: 'mqtts', endpoint: 'localhost' }));
    assertFails(byName, 'tls.closed-before-server-hello', 'tls');
    assert.match(byName.diagnosis?.hint ?? '', /SNI filter .* does not allow localhost/);
    const byIp = await runProbe(makePlan({ port, transport: 'mqtts', endpoint: '127.0.0.1' }));
    assertFails(byIp, 'tls.closed-before-server-hello', 'tls');
    if (byIp.diagnosis?.code === 'tls.closed-before-server-hello') {
      assert.equal(byIp.diagnosis.evidence.sniSent, undefined, 'no SNI is sent for an IP');
      assert.equal(byIp.diagnosis.evidence.reset, false);
    }
    assert.match(byIp.diagnosis?.message ?? '', /no SNI/);
    assert.match(byIp.diagnosis?.hint ?? '', /no SNI was sent \(the endpoint is an IP address\)/);
  });
});

test('no shared TLS version is tls.version', async () => {
  const ca = await createCa();
  const server = await createServerCert(ca);
  await withServer(
    () => startTlsServer({ cert: server.cert, key: server.key, maxVersion: 'TLSv1.2' }),
    async ({ port }) => {
      const result = await runProbe(
        makePlan({
          port,
          transport: 'mqtts',
          endpoint: 'localhost',
          ca: { path: '/test/ca.pem', pem: ca.cert },
          tls: { minVersion: 'TLSv1.3' },
        }),
      );
      assertFails(result, 'tls.version', 'tls');
    },
  );
});

test('a server that never answers CONNECT is mqtt.connack-timeout', async () => {
  await withServer(startSilentServer, async ({ port }) => {
    const result = await runProbe(makePlan({ port, timeoutsMs: { connack: SHORT } }));
    assertFails(result, 'mqtt.connack-timeout', 'connack');
  });
});

test('an HTTP answer to CONNECT on plain TCP is mqtt.http-response', async () => {
  await withServer(startHttpServer, async ({ port }) => {
    const result = await runProbe(makePlan({ port }));
    assertFails(result, 'mqtt.http-response', 'connack');
    if (result.diagnosis?.code === 'mqtt.http-response') {
      assert.match(result.diagnosis.evidence.statusLine, /^HTTP\/1\.1 400/);
    }
  });
});

test('mqtts to a port that resets a ClientHello but answers plain CONNECT is tls.not-tls, after a CONNECT with nothing secret', async () => {
  const connects: Buffer[] = [];
  // Like mosquitto's plain listener: a ClientHello (0x16) is reset unanswered, a CONNECT (0x10) gets CONNACK.
  const plainBroker = net.createServer((socket) => {
    socket.once('data', (chunk: Buffer) => {
      if (chunk[0] === 0x10) {
        connects.push(chunk);
        socket.end(Buffer.from([0x20, 0x02, 0x00, 0x00]));
      } else socket.resetAndDestroy();
    });
  });
  await withServer(
    () => listenTiny(plainBroker),
    async ({ port }) => {
      const result = await runProbe(
        makePlan({
          port,
          transport: 'mqtts',
          endpoint: 'localhost',
          auth: { type: 'password', username: 'device', password: new Secret('pw-not-in-clear') },
        }),
      );
      assertFails(result, 'tls.not-tls', 'tls');
      assert.match(result.diagnosis?.hint ?? '', /use transport mqtt/);
      assert.equal(connects.length, 1, 'one CONNECT on the second connection');
      const connect = connects[0]!.toString('latin1');
      assert.match(connect, /mqttprobe-check-[0-9a-f]{8}/);
      assert.doesNotMatch(connect, /device|pw-not-in-clear/, 'the second look sends no credentials');
      assert.equal(connects[0]![9]! & 0xc0, 0, 'no username or password flag');
    },
  );
});

test('aborting stops a probe stalled in the TLS handshake with probe.interrupted', async () => {
  const server = net.createServer();
  const tiny = await listenTiny(server);
  try {
    const controller = new AbortController();
    const accepted = once(server, 'connection');
    const probing = runProbe(
      makePlan({ port: tiny.port, transport: 'mqtts', endpoint: 'localhost', timeoutsMs: { tls: 60_000 } }),
      { signal: controller.signal },
    );
    await accepted;
    controller.abort();
    const result = await probing;
    assert.equal(result.diagnosis?.code, 'probe.interrupted');
    assert.ok(result.failedPhase === 'tcp' || result.failedPhase === 'tls');
  } finally {
    await tiny.close();
  }
});

test('an already aborted signal ends the probe before any network phase completes', async () => {
  const result = await runProbe(makePlan({ port: 1 }), { signal: AbortSignal.abort() });
  assert.equal(result.diagnosis?.code, 'probe.interrupted');
  assert.equal(result.failedPhase, 'dns');
});

test('a proxy URL with a scheme the probe cannot speak is refused up front with proxy.unsupported', async () => {
  const { parseProxySetting } = await import('../../src/scenario/proxy-setting.js');
  const proxied = await runProbe(
    makePlan({ proxy: parseProxySetting('ftp://user:pw@proxy:21', 'scenario') }),
  );
  assert.equal(proxied.diagnosis?.code, 'proxy.unsupported');
  assert.deepEqual(proxied.phases, {});
  assert.doesNotMatch(JSON.stringify(proxied), /pw/);
});

async function listenTiny(server: net.Server): Promise<TinyServer> {
  const sockets = new Set<net.Socket>();
  server.on('connection', (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as net.AddressInfo).port,
    server,
    async close() {
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, 'close');
    },
  };
}
