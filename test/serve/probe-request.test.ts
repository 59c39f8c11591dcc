import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  DEFAULT_DEADLINE_S,
  deadlineSeconds,
  expositionFor,
  parseHostPort,
  parseProbeRequest,
  type ScenarioEntry,
  targetAllowed,
} from '../../src/serve/probe-request.js';

const scenarios = new Map<string, ScenarioEntry>([
  ['site a', { id: 'site a', port: 8883, serveTargets: ['broker-a.example.com', '*.iot.example.net:443'] }],
  ['site b', { id: 'site b', port: 8883 }],
]);
const query = (text: string) => new URLSearchParams(text);

describe('/probe parameters', () => {
  test('the deadline is the scrape timeout less blackbox’s 0.5 s offset, 10 s without the header', () => {
    const cases: Array<[string | undefined, number | undefined]> = [
      [undefined, DEFAULT_DEADLINE_S],
      ['', DEFAULT_DEADLINE_S],
      ['3', 2.5],
      ['10.5', 10],
      ['0.8', 0.4],
      ['100000', 300],
      ['-1', undefined],
      ['0', undefined],
      ['soon', undefined],
    ];
    for (const [header, seconds] of cases) assert.equal(deadlineSeconds(header), seconds, String(header));
  });

  test('OpenMetrics only when the scrape accepts it', () => {
    assert.equal(expositionFor('application/openmetrics-text;version=1.0.0,text/plain;q=0.5'), 'openmetrics');
    assert.equal(expositionFor('text/plain;version=0.0.4'), 'text');
    assert.equal(expositionFor(undefined), 'text');
  });

  test('a known scenario parses with its deadline in ms', () => {
    const parsed = parseProbeRequest(query('scenario=site+b'), { scrapeTimeout: '3' }, scenarios);
    assert.deepEqual(parsed, {
      ok: true,
      request: { scenario: 'site b', deadlineMs: 2500, exposition: 'text' },
    });
  });

  const refusals: Array<{ name: string; query: string; message: RegExp }> = [
    { name: 'no scenario', query: '', message: /name one scenario: .*scenarios: site a, site b/ },
    { name: 'two scenarios', query: 'scenario=site+a&scenario=site+b', message: /given more than once/ },
    {
      name: 'an unknown one, with a guess',
      query: 'scenario=site+c',
      message: /unknown scenario "site c"; did you mean "site a"\?/,
    },
    {
      name: 'a target not listed',
      query: 'scenario=site+a&target=evil.example.org',
      message: /list it under serve\.targets/,
    },
    {
      name: 'a listed host on another port',
      query: 'scenario=site+a&target=broker-a.example.com:1883',
      message: /serve\.targets/,
    },
    {
      name: 'a target for a scenario that lists none',
      query: 'scenario=site+b&target=broker-a.example.com',
      message: /serve\.targets/,
    },
    {
      name: 'the bare domain of a *. pattern',
      query: 'scenario=site+a&target=iot.example.net:443',
      message: /serve\.targets/,
    },
    {
      name: 'a URL as target',
      query: 'scenario=site+a&target=http://broker-a.example.com/',
      message: /HOST or HOST:PORT/,
    },
    { name: 'the emulator keyword', query: 'scenario=site+a&target=emulator', message: /serve\.targets/ },
  ];
  for (const c of refusals) {
    test(`refused: ${c.name}`, () => {
      const parsed = parseProbeRequest(query(c.query), {}, scenarios);
      assert.equal(parsed.ok, false);
      assert.match((parsed as { message: string }).message, c.message);
    });
  }

  test('listed targets pass: the exact host on the scenario’s port, and any subdomain of a *. pattern', () => {
    const entry = scenarios.get('site a')!;
    assert.ok(targetAllowed({ host: 'BROKER-A.example.com' }, entry));
    assert.ok(targetAllowed({ host: 'broker-a.example.com', port: 8883 }, entry));
    assert.ok(targetAllowed({ host: 'a-1.iot.example.net', port: 443 }, entry));
    assert.ok(
      !targetAllowed({ host: 'a-1.iot.example.net' }, entry),
      'the pattern names port 443, the scenario 8883',
    );
    assert.ok(!targetAllowed({ host: 'iot.example.net.evil.org', port: 443 }, entry));
  });

  test('HOST[:PORT] parsing, IPv6 in brackets', () => {
    assert.deepEqual(parseHostPort('[::1]:8883'), { host: '::1', port: 8883 });
    assert.deepEqual(parseHostPort('example.com'), { host: 'example.com' });
    assert.equal(parseHostPort('example.com:70000'), undefined);
    assert.equal(parseHostPort('a:b:c'), undefined);
  });
});
