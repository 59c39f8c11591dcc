// Real probes through proxies: Debian's tinyproxy as a restricted corporate proxy, a tiny SOCKS5 server, and proxies
// that are not there or never answer.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { inspect } from 'node:util';
import { createCa, createServerCert, type Emulator, startEmulator } from '../../src/emulator/index.js';
import type { ProbeResult } from '../../src/probe/result.js';
import { runProbe } from '../../src/probe/run-probe.js';
import type { SigV4Identity } from '../../src/probe/transport/aws-credentials.js';
import { loadScenarioText } from '../../src/scenario/load-scenario-file.js';
import { parseProxySetting } from '../../src/scenario/proxy-setting.js';
import { makePlan, type PlanOverrides, x509Auth } from '../helpers/make-plan.js';
import { systemTest } from '../helpers/system.js';
import { startSocksServer } from './helpers/socks-server.js';
import { closedPort, startSilentServer, startTlsServer } from './helpers/tiny-servers.js';
import { startTinyproxy, type Tinyproxy } from './helpers/tinyproxy.js';

const PROXY_USER = 'probe-user';
// tinyproxy's config takes letters and digits only; the SOCKS tests use a password that needs percent-encoding.
const PROXY_PASSWORD = 'S3cretPass';
const ENCODED_PASSWORD = 'S3cret:p@ss';
let emulator: Emulator;

before(async () => {
  emulator = await startEmulator();
});
after(() => emulator.close());

function proxy(url: string): NonNullable<PlanOverrides['proxy']> {
  return parseProxySetting(url, 'scenario');
}

/** A plan for the emulator's "443" with ALPN x-amzn-mqtt-ca and its client certificate, plus overrides. */
function alpnPlan(overrides: PlanOverrides = {}) {
  return makePlan({
    endpoint: emulator.hostname,
    port: emulator.ports.alpn,
    transport: 'mqtts',
    alpn: ['x-amzn-mqtt-ca'],
    ca: { path: '/test/ca.pem', pem: emulator.ca },
    auth: x509Auth(emulator.client),
    ...overrides,
  });
}

/** The proxy a scenario without `proxy` gets when HTTPS_PROXY is `url`, as the loader builds it. */
function fromHttpsProxy(url: string): NonNullable<PlanOverrides['proxy']> {
  const text = `version: 1\nscenarios: [{ name: p, endpoint: ${emulator.hostname} }]`;
  const { plans, errors } = loadScenarioText('/tmp/p.yaml', text, { env: { HTTPS_PROXY: url } });
  assert.deepEqual(errors, []);
  return plans[0]!.proxy!;
}

function withCredentials(port: number, username: string, password: string): string {
  return `http://${encodeURIComponent(username)}:${encodeURIComponent(password)}@127.0.0.1:${port}`;
}

function assertFails(result: ProbeResult, code: string, phase: string): void {
  assert.equal(result.ok, false, `expected ${code}, but the probe passed`);
  assert.equal(result.diagnosis?.code, code, inspect(result.diagnosis, { depth: 4 }));
  assert.equal(result.failedPhase, phase);
  assert.ok(result.diagnosis?.message && result.diagnosis.hint);
}

function evidenceOf(result: ProbeResult): Record<string, unknown> {
  return (result.diagnosis?.evidence ?? {}) as Record<string, unknown>;
}

/** The password must not leak into the result in any form (plain or percent-encoded). */
function assertNoPassword(result: ProbeResult): void {
  const json = JSON.stringify(result);
  assert.doesNotMatch(json, /S3cret|p%40ss|p@ss/);
  assert.doesNotMatch(inspect(result, { depth: 10 }), /S3cret/);
}

describe('through tinyproxy that allows CONNECT to the "443" port only, with Basic auth', () => {
  let tinyproxy: Tinyproxy | undefined;
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'mqttprobe-tinyproxy-'));
  });
  after(async () => {
    await tinyproxy?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function started(): Promise<Tinyproxy> {
    tinyproxy ??= await startTinyproxy({
      dir,
      connectPorts: [emulator.ports.alpn],
      basicAuth: { username: PROXY_USER, password: PROXY_PASSWORD },
    });
    return tinyproxy;
  }

  systemTest(
    'to the "443" port with the right credentials passes, the proxy phase timed',
    { commands: ['tinyproxy'] },
    async () => {
      const { port, log } = await started();
      const result = await runProbe(
        alpnPlan({ proxy: proxy(withCredentials(port, PROXY_USER, PROXY_PASSWORD)) }),
      );
      assert.equal(result.ok, true, `${inspect(result.diagnosis, { depth: 4 })}\n${log()}`);
      assert.deepEqual(Object.keys(result.phases), [
        'dns',
        'tcp',
        'proxy',
        'tls',
        'connack',
        'suback',
        'puback',
        'receive',
      ]);
      assert.equal(result.address, '127.0.0.1');
      assert.match(result.proxy?.answer ?? '', /^HTTP\/1\.[01] 200/);
      assert.equal(result.proxy?.url, `http://${PROXY_USER}:***@127.0.0.1:${port}`);
      assert.equal(result.tls?.negotiatedAlpn, 'x-amzn-mqtt-ca');
      assertNoPassword(result);
    },
  );

  systemTest(
    'to the "8883" port is proxy.refused with 403 Forbidden',
    { commands: ['tinyproxy'] },
    async () => {
      const { port } = await started();
      const result = await runProbe(
        alpnPlan({
          port: emulator.ports.mqtts,
          alpn: [],
          proxy: proxy(withCredentials(port, PROXY_USER, PROXY_PASSWORD)),
        }),
      );
      assertFails(result, 'proxy.refused', 'proxy');
      const evidence = evidenceOf(result);
      assert.equal(evidence.statusCode, 403);
      assert.match(String(evidence.statusLine), /^HTTP\/1\.[01] 403/);
      assert.equal(evidence.port, emulator.ports.mqtts);
      assert.match(result.diagnosis?.hint ?? '', /only 443/);
      assertNoPassword(result);
    },
  );

  systemTest(
    'wrong credentials are proxy.auth-required, saying credentials were sent',
    { commands: ['tinyproxy'] },
    async () => {
      const { port } = await started();
      const result = await runProbe(
        alpnPlan({ proxy: proxy(withCredentials(port, PROXY_USER, 'S3cretWrong')) }),
      );
      assertFails(result, 'proxy.auth-required', 'proxy');
      assert.equal(evidenceOf(result).credentialsSent, true);
      // tinyproxy answers wrong credentials with 401 rather than 407.
      assert.match(String(evidenceOf(result).statusLine), / 40[17] /);
      assertNoPassword(result);
    },
  );

  systemTest(
    'wrong credentials from HTTPS_PROXY are proxy.auth-required, saying they were sent and where they came from',
    { commands: ['tinyproxy'] },
    async () => {
      const { port } = await started();
      const result = await runProbe(
        alpnPlan({ proxy: fromHttpsProxy(withCredentials(port, PROXY_USER, 'S3cretWrong')) }),
      );
      assertFails(result, 'proxy.auth-required', 'proxy');
      assert.equal(evidenceOf(result).credentialsSent, true);
      assert.match(result.diagnosis?.message ?? '', /did not accept the credentials it was sent/);
      assert.match(
        result.diagnosis?.hint ?? '',
        /check the user name and password in the proxy URL in HTTPS_PROXY/,
      );
      assert.doesNotMatch(result.diagnosis?.hint ?? '', /put the credentials/);
      assertNoPassword(result);
    },
  );

  systemTest(
    'no credentials is proxy.auth-required, saying none were sent',
    { commands: ['tinyproxy'] },
    async () => {
      const { port } = await started();
      const result = await runProbe(alpnPlan({ proxy: proxy(`http://127.0.0.1:${port}`) }));
      assertFails(result, 'proxy.auth-required', 'proxy');
      assert.equal(evidenceOf(result).credentialsSent, false);
    },
  );

  systemTest(
    'WSS with SigV4 runs through the same tunnel: dns, tcp, proxy, tls, ws, then MQTT',
    { commands: ['tinyproxy'] },
    async () => {
      const { port } = await started();
      const { accessKeyId, secretAccessKey, region } = emulator.credentials.sigv4;
      const identity = async (): Promise<SigV4Identity> => ({
        credentials: { accessKeyId, secretAccessKey },
        region,
      });
      const result = await runProbe(
        alpnPlan({
          transport: 'wss',
          alpn: [],
          auth: { type: 'sigv4' },
          proxy: proxy(withCredentials(port, PROXY_USER, PROXY_PASSWORD)),
        }),
        { resolveIdentity: identity },
      );
      assert.equal(result.ok, true, inspect(result.diagnosis, { depth: 4 }));
      assert.deepEqual(Object.keys(result.phases), [
        'dns',
        'tcp',
        'proxy',
        'tls',
        'ws',
        'connack',
        'suback',
        'puback',
        'receive',
      ]);
      assert.equal(result.ws?.statusCode, 101);
    },
  );
});

describe('through a SOCKS5 proxy that allows the "443" port only', () => {
  test('to the "443" port with the right credentials passes', async (t) => {
    const socks = await startSocksServer({
      allowedPorts: [emulator.ports.alpn],
      credentials: { username: PROXY_USER, password: ENCODED_PASSWORD },
    });
    t.after(() => socks.close());
    const url = `socks5://${encodeURIComponent(PROXY_USER)}:${encodeURIComponent(ENCODED_PASSWORD)}@127.0.0.1:${socks.port}`;
    const result = await runProbe(alpnPlan({ proxy: proxy(url) }));
    assert.equal(result.ok, true, inspect(result.diagnosis, { depth: 4 }));
    assert.deepEqual(Object.keys(result.phases), [
      'dns',
      'tcp',
      'proxy',
      'tls',
      'connack',
      'suback',
      'puback',
      'receive',
    ]);
    assert.equal(result.proxy?.answer, 'SOCKS5 granted');
    // The proxy got the host name, not an address resolved here.
    assert.deepEqual(socks.requests, [`${emulator.hostname}:${emulator.ports.alpn}`]);
    assertNoPassword(result);
  });

  test('to the "8883" port is proxy.refused (SOCKS5 NotAllowed)', async (t) => {
    const socks = await startSocksServer({ allowedPorts: [emulator.ports.alpn] });
    t.after(() => socks.close());
    const result = await runProbe(
      alpnPlan({ port: emulator.ports.mqtts, alpn: [], proxy: proxy(`socks5h://127.0.0.1:${socks.port}`) }),
    );
    assertFails(result, 'proxy.refused', 'proxy');
    assert.equal(evidenceOf(result).statusLine, 'SOCKS5 NotAllowed');
  });

  test('wrong credentials are proxy.auth-required', async (t) => {
    const socks = await startSocksServer({
      allowedPorts: [emulator.ports.alpn],
      credentials: { username: PROXY_USER, password: ENCODED_PASSWORD },
    });
    t.after(() => socks.close());
    const result = await runProbe(
      alpnPlan({ proxy: proxy(`socks5://${PROXY_USER}:nope@127.0.0.1:${socks.port}`) }),
    );
    assertFails(result, 'proxy.auth-required', 'proxy');
    assert.equal(evidenceOf(result).credentialsSent, true);
  });

  test('no credentials where the proxy wants some is proxy.auth-required', async (t) => {
    const socks = await startSocksServer({
      allowedPorts: [emulator.ports.alpn],
      credentials: { username: PROXY_USER, password: ENCODED_PASSWORD },
    });
    t.after(() => socks.close());
    const result = await runProbe(alpnPlan({ proxy: proxy(`socks5://127.0.0.1:${socks.port}`) }));
    assertFails(result, 'proxy.auth-required', 'proxy');
    assert.equal(evidenceOf(result).credentialsSent, false);
  });
});

describe('through a SOCKS4a proxy', () => {
  test('to the "443" port passes, the proxy resolving the name', async (t) => {
    const socks = await startSocksServer({ allowedPorts: [emulator.ports.alpn] });
    t.after(() => socks.close());
    const result = await runProbe(alpnPlan({ proxy: proxy(`socks4://127.0.0.1:${socks.port}`) }));
    assert.equal(result.ok, true, inspect(result.diagnosis, { depth: 4 }));
    assert.equal(result.proxy?.answer, 'SOCKS4 granted');
    assert.deepEqual(socks.requests, [`${emulator.hostname}:${emulator.ports.alpn}`]);
  });

  test('to the "8883" port is proxy.refused', async (t) => {
    const socks = await startSocksServer({ allowedPorts: [emulator.ports.alpn] });
    t.after(() => socks.close());
    const result = await runProbe(
      alpnPlan({ port: emulator.ports.mqtts, alpn: [], proxy: proxy(`socks4://127.0.0.1:${socks.port}`) }),
    );
    assertFails(result, 'proxy.refused', 'proxy');
    assert.match(String(evidenceOf(result).statusLine), /^SOCKS4 /);
  });
});

describe('a proxy that is not there, or does not answer', () => {
  test('a closed proxy port is proxy.unreachable (refused) in tcp, naming the proxy, not the endpoint', async () => {
    const port = await closedPort();
    const result = await runProbe(
      alpnPlan({ proxy: proxy(withCredentials(port, PROXY_USER, PROXY_PASSWORD)) }),
    );
    assertFails(result, 'proxy.unreachable', 'tcp');
    const evidence = evidenceOf(result);
    assert.equal(evidence.reason, 'refused');
    assert.equal(evidence.port, port);
    assert.equal(evidence.host, '127.0.0.1');
    assertNoPassword(result);
  });

  test('a closed proxy port from HTTPS_PROXY names the proxy host and port, not the display text', async () => {
    const port = await closedPort();
    const result = await runProbe(
      alpnPlan({ proxy: fromHttpsProxy(withCredentials(port, PROXY_USER, PROXY_PASSWORD)) }),
    );
    assertFails(result, 'proxy.unreachable', 'tcp');
    const evidence = evidenceOf(result);
    assert.equal(evidence.host, '127.0.0.1');
    assert.equal(evidence.port, port);
    assert.equal(evidence.proxy, `http://${PROXY_USER}:***@127.0.0.1:${port} (HTTPS_PROXY)`);
    assert.match(result.diagnosis?.message ?? '', /cannot be reached/);
    assertNoPassword(result);
  });

  test('a proxy host name that does not exist is proxy.unreachable (not-found) in dns', async () => {
    const result = await runProbe(alpnPlan({ proxy: proxy('http://proxy.mqttprobe.invalid:3128') }));
    assertFails(result, 'proxy.unreachable', 'dns');
    assert.equal(evidenceOf(result).reason, 'not-found');
    assert.equal(evidenceOf(result).host, 'proxy.mqttprobe.invalid');
  });

  test('a proxy that accepts but never answers CONNECT is proxy.timeout', async (t) => {
    const silent = await startSilentServer();
    t.after(() => silent.close());
    const result = await runProbe(
      alpnPlan({ proxy: proxy(`http://127.0.0.1:${silent.port}`), timeoutsMs: { proxy: 300 } }),
    );
    assertFails(result, 'proxy.timeout', 'proxy');
    assert.equal(evidenceOf(result).waitedMs, 300);
  });

  test('an https:// proxy whose certificate the system does not trust is proxy.unknown with the TLS cause', async (t) => {
    const ca = await createCa({ commonName: 'Untrusted Proxy CA' });
    const cert = await createServerCert(ca, { hostname: 'localhost' });
    const tlsProxy = await startTlsServer({ cert: cert.cert, key: cert.key });
    t.after(() => tlsProxy.close());
    const result = await runProbe(alpnPlan({ proxy: proxy(`https://localhost:${tlsProxy.port}`) }));
    assertFails(result, 'proxy.unknown', 'proxy');
    assert.match(result.diagnosis?.cause?.code ?? '', /CERT|SELF_SIGNED|UNABLE/);
  });

  test('a SOCKS proxy that never answers the handshake is proxy.timeout too', async (t) => {
    const silent = await startSilentServer();
    t.after(() => silent.close());
    const result = await runProbe(
      alpnPlan({ proxy: proxy(`socks5://127.0.0.1:${silent.port}`), timeoutsMs: { proxy: 300 } }),
    );
    assertFails(result, 'proxy.timeout', 'proxy');
  });
});
