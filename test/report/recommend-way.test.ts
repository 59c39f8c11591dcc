import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { describeWay, recommendWay } from '../../src/report/recommend-way.js';
import type { RunReport, ScenarioOutcome } from '../../src/run/result.js';

// Real outcomes (a pass, a refused port, a rejected ALPN) from a captured run, re-labelled as ways.
const captured = JSON.parse(
  readFileSync(new URL('../fixtures/reports/mixed-run.json', import.meta.url), 'utf8'),
) as RunReport;
const byId = (id: string) => structuredClone(captured.scenarios.find((o) => o.plan.id === id)!);

function way(
  o: ScenarioOutcome,
  plan: Partial<ScenarioOutcome['plan']>,
  failure?: ScenarioOutcome,
): ScenarioOutcome {
  const out = { ...o, plan: { ...o.plan, ...plan, tags: ['way'] } };
  if (failure) Object.assign(out, { met: false, verdict: 'fail', diagnosis: failure.diagnosis });
  return out;
}

const report = (scenarios: ScenarioOutcome[]): RunReport => ({ ...captured, scenarios });
const pass = byId('aws 8883');
const refused = {
  ...pass,
  diagnosis: { ...byId('h2 only <&> "quoted"').diagnosis!, code: 'tcp.timeout' },
} as ScenarioOutcome;

test('the first way that works is recommended, with its latency, and blocked ways are named', () => {
  const r = recommendWay(
    report([
      way(pass, { port: 8883, alpn: [] }, refused),
      way(pass, { port: 443, alpn: ['x-amzn-mqtt-ca'] }),
      way(pass, { port: 443, transport: 'wss', alpn: [] }),
    ]),
  );
  assert.equal(r.found, true);
  assert.match(
    r.text,
    /^From this network use 443 with ALPN x-amzn-mqtt-ca \(\d+(\.\d)?ms\); 8883 is blocked \(tcp\.timeout\)\.$/,
  );
});

test('a way that works over one IP family only says which, and what the other family gets', () => {
  const ipv4Only = structuredClone(pass);
  for (const probe of ipv4Only.probes) {
    probe.familyAttempts = [
      { family: 6, address: 'fd16::1', outcome: 'timeout', afterMs: 2000, used: false },
      { family: 4, address: '10.0.0.1', outcome: 'connected', afterMs: 1, used: true },
    ];
  }
  const r = recommendWay(report([way(ipv4Only, { port: 8883, alpn: [] })]));
  assert.match(
    r.text,
    /^From this network use 8883 over IPv4 \(\d+(\.\d)?ms; IPv6 fails there: tcp\.timeout\)\.$/,
  );
});

test('when nothing works, it says so with each reason', () => {
  const rejected = byId('h2 only <&> "quoted"');
  const r = recommendWay(
    report([
      way(pass, { port: 8883, alpn: [] }, refused),
      way(rejected, { port: 443, alpn: ['x-amzn-mqtt-ca'] }),
    ]),
  );
  assert.equal(r.found, false);
  assert.equal(
    r.text,
    'No way through from this network: 8883 is blocked (tcp.timeout); 443 with ALPN x-amzn-mqtt-ca fails (tls.alpn-rejected).',
  );
});

test('scenarios that are not ways (the no-ALPN control) are not recommended', () => {
  const control = { ...pass, plan: { ...pass.plan, tags: ['control'] } };
  assert.equal(recommendWay(report([control])).found, false);
});

test('ways read as a person would say them', () => {
  assert.equal(
    describeWay({ ...pass.plan, port: 443, transport: 'wss', alpn: [], proxy: 'http://p:3128' }),
    'MQTT over WebSockets on 443 through the proxy',
  );
});
