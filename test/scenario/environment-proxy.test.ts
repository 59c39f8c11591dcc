import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { bypassesProxy, environmentProxy } from '../../src/scenario/environment-proxy.js';
import { loadScenarioText } from '../../src/scenario/load-scenario-file.js';
import { parseProxySetting } from '../../src/scenario/proxy-setting.js';

describe('NO_PROXY', () => {
  const cases: Array<{ name: string; host: string; port: number; noProxy: string; bypass: boolean }> = [
    {
      name: 'an exact host is exempt',
      host: 'broker.corp',
      port: 8883,
      noProxy: 'broker.corp',
      bypass: true,
    },
    {
      name: 'a domain covers its subdomains',
      host: 'a.iot.corp',
      port: 8883,
      noProxy: 'iot.corp',
      bypass: true,
    },
    {
      name: 'a leading dot covers subdomains',
      host: 'a.iot.corp',
      port: 8883,
      noProxy: '.iot.corp',
      bypass: true,
    },
    {
      name: 'a suffix is not a partial word',
      host: 'notiot.corp',
      port: 8883,
      noProxy: 'iot.corp',
      bypass: false,
    },
    {
      name: 'a port limits the entry',
      host: 'broker.corp',
      port: 443,
      noProxy: 'broker.corp:8883',
      bypass: false,
    },
    {
      name: 'a matching port exempts',
      host: 'broker.corp',
      port: 8883,
      noProxy: 'broker.corp:8883',
      bypass: true,
    },
    { name: 'a star exempts everything', host: 'x.example', port: 1, noProxy: '*', bypass: true },
    {
      name: 'entries are comma or space separated',
      host: '127.0.0.1',
      port: 1,
      noProxy: 'localhost, 127.0.0.1',
      bypass: true,
    },
    { name: 'case does not matter', host: 'Broker.Corp', port: 1, noProxy: 'broker.CORP', bypass: true },
    { name: 'no NO_PROXY exempts nothing', host: 'localhost', port: 1, noProxy: '', bypass: false },
  ];
  for (const c of cases) test(c.name, () => assert.equal(bypassesProxy(c.host, c.port, c.noProxy), c.bypass));
});

describe('the environment proxy', () => {
  test('HTTPS_PROXY wins over ALL_PROXY, and the report names the variable with the password masked', () => {
    const env = { HTTPS_PROXY: 'http://u:pw-secret@proxy.corp:3128', ALL_PROXY: 'socks5://other:1080' };
    assert.equal(environmentProxy(env)?.variable, 'HTTPS_PROXY');
    const { plans } = loadScenarioText(
      '/tmp/p.yaml',
      'version: 1\nscenarios: [{ name: a, endpoint: broker.example }]',
      { env },
    );
    assert.equal(plans[0]!.proxy?.display, 'http://u:***@proxy.corp:3128 (HTTPS_PROXY)');
    const { display, kind, host, port, hasCredentials, source, credentials } = plans[0]!.proxy!;
    assert.deepEqual(
      { display, kind, host, port, hasCredentials, source },
      {
        display: 'http://u:***@proxy.corp:3128 (HTTPS_PROXY)',
        kind: 'http',
        host: 'proxy.corp',
        port: 3128,
        hasCredentials: true,
        source: 'HTTPS_PROXY',
      },
    );
    assert.deepEqual(credentials?.reveal(), { username: 'u', password: 'pw-secret' });
    assert.doesNotMatch(JSON.stringify(plans[0]), /pw-secret/);
  });

  const load = (scenario: string, env: Record<string, string>) =>
    loadScenarioText('/tmp/p.yaml', `version: 1\nscenarios: [${scenario}]`, { env }).plans[0]!;

  test('NO_PROXY exempts a matching endpoint', () => {
    assert.equal(
      load('{ name: a, endpoint: broker.corp }', { HTTPS_PROXY: 'http://p:3128', NO_PROXY: '.corp' }).proxy,
      undefined,
    );
  });

  test('`proxy: none` ignores the environment, and a scenario proxy wins over it', () => {
    const env = { HTTPS_PROXY: 'http://p:3128' };
    assert.equal(load('{ name: a, endpoint: h, proxy: none }', env).proxy, undefined);
    assert.equal(
      load('{ name: a, endpoint: h, proxy: "http://q:8080" }', env).proxy?.display,
      'http://q:8080',
    );
  });

  test('the embedded emulator is never reached through the environment proxy', () => {
    assert.equal(load('{ name: a, endpoint: emulator }', { HTTPS_PROXY: 'http://p:3128' }).proxy, undefined);
  });

  test('for endpoint: aws, NO_PROXY waits for the looked-up host', () => {
    const plan = load('{ name: a, endpoint: aws }', {
      HTTPS_PROXY: 'http://p:3128',
      NO_PROXY: 'amazonaws.com',
    });
    assert.equal(plan.proxy?.noProxy, 'amazonaws.com');
  });
});

describe('a proxy URL is parsed once, at load time', () => {
  const cases: Array<{ name: string; url: string; expect: Record<string, unknown> }> = [
    {
      name: 'an http URL without a port gets port 80',
      url: 'http://proxy.corp',
      expect: { kind: 'http', host: 'proxy.corp', port: 80, hasCredentials: false },
    },
    {
      name: 'an IPv6 proxy loses its brackets',
      url: 'socks5h://[fd00::1]:1080',
      expect: { kind: 'socks5', host: 'fd00::1', port: 1080, hasCredentials: false },
    },
    {
      name: 'a user name alone counts as credentials',
      url: 'https://user@proxy.corp:8443',
      expect: { kind: 'https', host: 'proxy.corp', port: 8443, hasCredentials: true },
    },
    {
      name: 'an environment value with a scheme the probe cannot speak has no kind',
      url: 'ftp://proxy.corp:2121',
      expect: { host: 'proxy.corp', port: 2121, hasCredentials: false },
    },
    {
      name: 'an environment value that is no URL has no kind and no host',
      url: 'proxy.corp:3128x',
      expect: { host: '', port: 0, hasCredentials: false },
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const { kind, host, port, hasCredentials } = parseProxySetting(c.url, 'ALL_PROXY');
      assert.deepEqual({ ...(kind ? { kind } : {}), host, port, hasCredentials }, c.expect);
    });
  }
});
