// A name with an IPv6 and an IPv4 address: the probe dials both at once, goes on over the first that connects,
// and keeps how the other family ended (real sockets on ::1 and 127.0.0.1; only the name's lookup is scripted).
import assert from 'node:assert/strict';
import { once } from 'node:events';
import net, { type AddressInfo } from 'node:net';
import { type TestContext, test } from 'node:test';
import { inspect } from 'node:util';
import type { ProbeResult } from '../../src/probe/result.js';
import { runProbe } from '../../src/probe/run-probe.js';
import type { LookupFunction } from '../../src/probe/transport/resolve-dns.js';
import { parseProxySetting } from '../../src/scenario/proxy-setting.js';
import { emulatorPlan, startTestEmulator } from '../helpers/emulator.js';
import { makePlan } from '../helpers/make-plan.js';
import { startSocksServer } from './helpers/socks-server.js';
import { closedPort, type Listener, startSynBlackhole } from './helpers/tiny-servers.js';

const NAME = 'broker.dual-stack.test';
const SHORT = 400;

/** The lookup of a dual-stack name: ::1 first, as a resolver that prefers IPv6 lists it, then 127.0.0.1. */
const dualStack: LookupFunction = (_host, callback) =>
  callback(null, [
    { address: '::1', family: 6 },
    { address: '127.0.0.1', family: 4 },
  ]);

const attempt = (result: ProbeResult, family: 4 | 6) => {
  const found = result.familyAttempts?.find((a) => a.family === family);
  assert.ok(found, `an IPv${family} attempt in ${inspect(result.familyAttempts)}`);
  return found;
};

/** A port on 127.0.0.1 whose SYNs are dropped, closed when the test ends; undefined (the test skipped) without python3. */
async function synBlackhole(t: TestContext): Promise<Listener | undefined> {
  const blackhole = await startSynBlackhole();
  if (!blackhole) t.skip('python3 is missing: it holds the never-accepting listener');
  else t.after(() => blackhole.close());
  return blackhole;
}

/** A plain-TCP "broker" on ::1 at `port` that answers the first CONNECT with a CONNACK (accepted). */
async function connackOnIpv6(t: TestContext, port: number): Promise<net.Server> {
  const server = net.createServer((socket) => {
    socket.on('error', () => undefined);
    socket.once('data', () => socket.write(Buffer.from([0x20, 0x02, 0x00, 0x00])));
  });
  server.listen(port, '::1');
  await once(server, 'listening');
  assert.equal((server.address() as AddressInfo).port, port);
  t.after(() => new Promise<void>((done) => server.close(() => done())));
  server.unref();
  return server;
}

test('IPv6 refused, IPv4 open: the probe passes over IPv4 and warns what an IPv6-only device would see', async (t) => {
  const { emulator } = await startTestEmulator(t);
  const plan = emulatorPlan(emulator, { endpoint: NAME, servername: 'localhost' });
  const result = await runProbe(plan, { lookup: dualStack });
  assert.equal(result.ok, true, inspect(result.diagnosis));
  assert.equal(result.address, '127.0.0.1');
  assert.equal(result.family, 4);
  assert.deepEqual(result.resolvedAddresses, ['::1', '127.0.0.1']);
  assert.deepEqual(
    result.familyAttempts?.map((a) => [a.family, a.outcome, a.used]),
    [
      [6, 'refused', false],
      [4, 'connected', true],
    ],
  );
  const warning = result.warnings.find((w) => w.code === 'tcp.family-failed');
  assert.ok(warning, inspect(result.warnings));
  assert.match(
    warning.message,
    new RegExp(`^IPv6 to \\[::1\\]:${plan.port} refused the connection, while IPv4`),
  );
  assert.match(
    warning.message,
    /uses only IPv6, or prefers IPv6 and does not fall back to IPv4, fails here \(tcp\.refused\)/,
  );
});

test('IPv4 dropped, IPv6 open: plain MQTT goes on over IPv6 at once, and IPv4 is recorded as timed out by the tcp deadline', async (t) => {
  const blackhole = await synBlackhole(t);
  if (!blackhole) return;
  await connackOnIpv6(t, blackhole.port);
  const plan = makePlan({
    endpoint: NAME,
    port: blackhole.port,
    steps: ['connect'],
    timeoutsMs: { tcp: SHORT },
  });
  const result = await runProbe(plan, { lookup: dualStack });
  assert.equal(result.ok, true, inspect(result.diagnosis));
  assert.equal(result.address, '::1');
  const ipv4 = attempt(result, 4);
  assert.equal(ipv4.outcome, 'timeout');
  assert.equal(ipv4.used, false);
  // The winner did not wait for the loser: CONNACK came before IPv4's attempt gave up.
  const tcpStart = result.phases.tcp?.startMs ?? 0;
  const connack = result.phases.connack;
  assert.ok(connack, 'connack ran');
  assert.ok(connack.startMs + connack.durationMs < tcpStart + ipv4.afterMs, inspect(result.phases));
  assert.ok(ipv4.afterMs >= SHORT - 5, `IPv4 ended after ${ipv4.afterMs} ms`);
  const warning = result.warnings.find((w) => w.code === 'tcp.family-failed');
  assert.match(
    warning?.message ?? '',
    /^IPv4 to 127\.0\.0\.1:\d+ got no answer within \d+ ms, while IPv6 to ::1 connected/,
  );
  assert.match(warning?.message ?? '', /uses only IPv4.*\(tcp\.timeout\)/);
  // IPv4 was second in the resolver's order, so no waiting-in-turn remark.
  assert.doesNotMatch(warning?.message ?? '', /comes first/);
});

test('both families refused: tcp.refused names both addresses', async () => {
  const port = await closedPort();
  const result = await runProbe(makePlan({ endpoint: NAME, port }), { lookup: dualStack });
  assert.equal(result.ok, false);
  assert.equal(result.diagnosis?.code, 'tcp.refused', inspect(result.diagnosis));
  assert.equal(result.address, '::1');
  assert.match(
    result.diagnosis?.message ?? '',
    new RegExp(
      `^\\[::1\\]:${port} \\(IPv6\\) refused the TCP connection; IPv4 failed too: 127\\.0\\.0\\.1 refused the connection$`,
    ),
  );
  assert.equal(result.warnings.filter((w) => w.code === 'tcp.family-failed').length, 0);
});

test("IPv6 refused and IPv4 dropped: the diagnosis is about the resolver's first and names the timeout too", async (t) => {
  const blackhole = await synBlackhole(t);
  if (!blackhole) return;
  const result = await runProbe(
    makePlan({ endpoint: NAME, port: blackhole.port, timeoutsMs: { tcp: SHORT } }),
    {
      lookup: dualStack,
    },
  );
  assert.equal(result.diagnosis?.code, 'tcp.refused', inspect(result.diagnosis));
  if (result.diagnosis?.code === 'tcp.refused') {
    assert.equal(result.diagnosis.evidence.otherFamily?.outcome, 'timeout');
    assert.equal(result.diagnosis.evidence.otherFamily?.address, '127.0.0.1');
  }
  assert.match(
    result.diagnosis?.message ?? '',
    /; IPv4 failed too: 127\.0\.0\.1 got no answer within \d+ ms$/,
  );
});

// The test's own timeout is the bound: without the cancel, the IPv4 attempt would hold the probe for 60 s.
test('Ctrl-C while the other family is still connecting ends that attempt at once', {
  timeout: 20_000,
}, async (t) => {
  const blackhole = await synBlackhole(t);
  if (!blackhole) return;
  const server = await connackOnIpv6(t, blackhole.port);
  const plan = makePlan({
    endpoint: NAME,
    port: blackhole.port,
    steps: ['connect'],
    timeoutsMs: { tcp: 60_000 },
  });
  const controller = new AbortController();
  const probing = runProbe(plan, { lookup: dualStack, signal: controller.signal });
  const [socket] = (await once(server, 'connection')) as [net.Socket];
  await once(socket, 'data');
  controller.abort();
  const result = await probing;
  assert.equal(result.familyAttempts, undefined, 'an attempt the user stopped has no outcome to report');
  assert.equal(result.warnings.filter((w) => w.code === 'tcp.family-failed').length, 0);
});

test('through a dual-stack proxy name: the proxy is what each family dialled, and a device would see proxy.unreachable', async (t) => {
  const { emulator } = await startTestEmulator(t);
  const socks = await startSocksServer({ allowedPorts: [emulator.ports.mqtts] });
  t.after(() => socks.close());
  const url = `socks5://proxy.dual-stack.test:${socks.port}`;
  const plan = emulatorPlan(emulator, { proxy: parseProxySetting(url, 'scenario') });
  const result = await runProbe(plan, { lookup: dualStack });
  assert.equal(result.ok, true, inspect(result.diagnosis));
  assert.deepEqual(socks.requests, [`${emulator.hostname}:${emulator.ports.mqtts}`]);
  const warning = result.warnings.find((w) => w.code === 'tcp.family-failed');
  assert.match(
    warning?.message ?? '',
    new RegExp(
      `^IPv6 to the proxy ${url} at \\[::1\\]:${socks.port} refused the connection, while IPv4 to 127\\.0\\.0\\.1`,
    ),
  );
  assert.match(warning?.message ?? '', /fails here \(proxy\.unreachable\)$/);
});
