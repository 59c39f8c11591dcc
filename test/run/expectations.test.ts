// The verdict rules, table-driven: what CI acts on for each expectation and each mix of probe outcomes.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { makeDiagnosis } from '../../src/probe/diagnosis/diagnosis.js';
import type { ProbeResult } from '../../src/probe/result.js';
import { judge } from '../../src/run/expectations.js';
import { phaseStats } from '../../src/run/stats.js';
import { summarisePlan } from '../../src/run/summarise-plan.js';
import type { Expectation, Thresholds } from '../../src/scenario/plan.js';
import { makePlan } from '../helpers/make-plan.js';

const tcpTimeout = () =>
  makeDiagnosis('tcp.timeout', { host: 'h', port: 8883, address: '10.0.0.1', waitedMs: 1000 });
const refused = () => makeDiagnosis('tcp.refused', { host: 'h', port: 8883, address: '10.0.0.1' });
const fdLimit = () => makeDiagnosis('probe.fd-limit', { phase: 'tcp', errno: 'EMFILE' });
const DIAGNOSES = { timeout: tcpTimeout, refused, 'fd-limit': fdLimit };

/** A probe that passed with these phase durations, or failed in tcp with this diagnosis. */
function probe(outcome: 'ok' | keyof typeof DIAGNOSES, tcpMs = 10, tlsMs = 20): ProbeResult {
  const ok = outcome === 'ok';
  return {
    planId: 'test',
    clientId: 'mqttprobe-test',
    topic: 'mqttprobe/test',
    ok,
    startedAt: new Date(0).toISOString(),
    phases: ok
      ? { tcp: { startMs: 0, durationMs: tcpMs }, tls: { startMs: tcpMs, durationMs: tlsMs } }
      : { tcp: { startMs: 0, durationMs: tcpMs } },
    totalMs: ok ? tcpMs + tlsMs : tcpMs,
    endpoint: 'h',
    port: 8883,
    qos: 1,
    warnings: [],
    ...(ok ? {} : { failedPhase: 'tcp' as const, diagnosis: DIAGNOSES[outcome]() }),
  };
}

function verdictOf(expect: Expectation, probes: ProbeResult[], thresholdsMs: Thresholds = {}) {
  const plan = summarisePlan(makePlan({ expect, thresholdsMs, repeat: probes.length }));
  const stats = probes.length > 1 ? phaseStats(probes) : undefined;
  const j = judge(plan, probes, stats);
  return { met: j.met, verdict: j.verdict, code: j.diagnosis?.code, mismatch: j.mismatch };
}

const pass: Expectation = { kind: 'pass' };
const fail: Expectation = { kind: 'fail' };
const timeoutCode: Expectation = { kind: 'code', code: 'tcp.timeout' };

const cases: Array<{
  name: string;
  expect: Expectation;
  probes: ProbeResult[];
  thresholdsMs?: Thresholds;
  want: { met: boolean; verdict: string; code?: string; mismatch?: RegExp };
}> = [
  {
    name: 'expect fail, the descriptor limit stopped the probe: a miss naming probe.fd-limit (a local limit says nothing of the network)',
    expect: fail,
    probes: [probe('fd-limit')],
    want: { met: false, verdict: 'fail', code: 'probe.fd-limit' },
  },
  {
    name: 'expect fail, one of three probes hit the descriptor limit: still a miss naming probe.fd-limit',
    expect: fail,
    probes: [probe('refused'), probe('fd-limit'), probe('refused')],
    want: { met: false, verdict: 'fail', code: 'probe.fd-limit' },
  },
  {
    name: 'expect tcp.timeout, the descriptor limit stopped the probe: a miss naming probe.fd-limit',
    expect: timeoutCode,
    probes: [probe('fd-limit')],
    want: { met: false, verdict: 'fail', code: 'probe.fd-limit' },
  },
  {
    name: 'expect pass, the probe passed: pass',
    expect: pass,
    probes: [probe('ok')],
    want: { met: true, verdict: 'pass' },
  },
  {
    name: 'expect pass, the probe failed: fail with its diagnosis',
    expect: pass,
    probes: [probe('timeout')],
    want: { met: false, verdict: 'fail', code: 'tcp.timeout' },
  },
  {
    name: 'expect pass, one of three probes failed: the scenario fails',
    expect: pass,
    probes: [probe('ok'), probe('refused'), probe('ok')],
    want: { met: false, verdict: 'fail', code: 'tcp.refused' },
  },
  {
    name: 'expect pass, a single probe over a threshold: threshold.<phase>',
    expect: pass,
    probes: [probe('ok', 10, 300)],
    thresholdsMs: { tls: 200 },
    want: { met: false, verdict: 'fail', code: 'threshold.tls' },
  },
  {
    name: 'expect pass, a single probe under every threshold: pass',
    expect: pass,
    probes: [probe('ok', 10, 100)],
    thresholdsMs: { tls: 200, total: 500 },
    want: { met: true, verdict: 'pass' },
  },
  {
    name: 'with repeats the p50 counts: one slow outlier does not fail a healthy path',
    expect: pass,
    probes: [probe('ok', 10, 100), probe('ok', 10, 900), probe('ok', 10, 110)],
    thresholdsMs: { tls: 200 },
    want: { met: true, verdict: 'pass' },
  },
  {
    name: 'with repeats a p50 over the threshold fails',
    expect: pass,
    probes: [probe('ok', 10, 300), probe('ok', 10, 900), probe('ok', 10, 110)],
    thresholdsMs: { tls: 200 },
    want: { met: false, verdict: 'fail', code: 'threshold.tls' },
  },
  {
    name: 'a total threshold compares the whole probe',
    expect: pass,
    probes: [probe('ok', 100, 100)],
    thresholdsMs: { total: 150 },
    want: { met: false, verdict: 'fail', code: 'threshold.total' },
  },
  {
    name: 'expect fail, the probe failed: expected failure, with the diagnosis',
    expect: fail,
    probes: [probe('refused')],
    want: { met: true, verdict: 'expected-failure', code: 'tcp.refused' },
  },
  {
    name: 'expect fail, the probe got through: a loud miss',
    expect: fail,
    probes: [probe('ok')],
    want: { met: false, verdict: 'fail', mismatch: /^expected a failure, but the probe got through$/ },
  },
  {
    name: 'expect a code, every probe failed with it: expected failure',
    expect: timeoutCode,
    probes: [probe('timeout'), probe('timeout')],
    want: { met: true, verdict: 'expected-failure', code: 'tcp.timeout' },
  },
  {
    name: 'expect a code, one probe of three got through: a miss that counts it',
    expect: timeoutCode,
    probes: [probe('timeout'), probe('ok'), probe('timeout')],
    want: {
      met: false,
      verdict: 'fail',
      mismatch: /^expected `tcp\.timeout`, but the probe got through \(1 of 3 probes\)$/,
    },
  },
  {
    name: 'expect a code, it failed with another: a miss naming both codes',
    expect: timeoutCode,
    probes: [probe('refused')],
    want: {
      met: false,
      verdict: 'fail',
      code: 'tcp.refused',
      mismatch: /^expected `tcp\.timeout`, but it failed with `tcp\.refused`$/,
    },
  },
  {
    name: 'expect a code, two of three failed otherwise: the miss counts them',
    expect: timeoutCode,
    probes: [probe('refused'), probe('timeout'), probe('refused')],
    want: { met: false, verdict: 'fail', code: 'tcp.refused', mismatch: /\(2 of 3 probes\)$/ },
  },
  {
    name: 'the diagnosis shown is the one most failures share',
    expect: fail,
    probes: [probe('timeout'), probe('refused'), probe('refused')],
    want: { met: true, verdict: 'expected-failure', code: 'tcp.refused' },
  },
];

describe('judge: the verdict rules', () => {
  for (const c of cases) {
    test(c.name, () => {
      const got = verdictOf(c.expect, c.probes, c.thresholdsMs);
      assert.equal(got.met, c.want.met);
      assert.equal(got.verdict, c.want.verdict);
      assert.equal(got.code, c.want.code);
      if (c.want.mismatch) assert.match(got.mismatch ?? '', c.want.mismatch);
      else assert.equal(got.mismatch, undefined);
    });
  }
});

describe('a missed threshold says which figure it judged', () => {
  const messageOf = (probes: ProbeResult[]) => {
    const plan = summarisePlan(makePlan({ expect: pass, thresholdsMs: { tls: 200 }, repeat: probes.length }));
    return judge(plan, probes, probes.length > 1 ? phaseStats(probes) : undefined).diagnosis?.message;
  };

  test('one probe: its own time', () => {
    assert.equal(messageOf([probe('ok', 10, 300)]), 'the tls phase took 300 ms, over the 200 ms threshold');
  });

  test('repeats: the p50, and of how many probes', () => {
    assert.equal(
      messageOf([probe('ok', 10, 300), probe('ok', 10, 900), probe('ok', 10, 110)]),
      'the tls phase took 300 ms at the p50 of 3 probes, over the 200 ms threshold',
    );
  });
});
