import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { runPlans } from '../../src/run/run-plans.js';
import { loadScenarioFile, loadScenarioText } from '../../src/scenario/load-scenario-file.js';
import { EMULATOR_SCENARIO_HEADER, startTestEmulator } from '../helpers/emulator.js';

const demo = new URL('../../scenarios/demo.yaml', import.meta.url).pathname;

function plansFor(text: string, env: Record<string, string>, dir: string) {
  const loaded = loadScenarioText(join(dir, 'run.yaml'), text, { env });
  assert.deepEqual(loaded.errors, []);
  return loaded.plans;
}

const HEADER = EMULATOR_SCENARIO_HEADER;

describe('runPlans against the emulator', () => {
  test('the demo scenarios get the verdicts AWS would give, on an emulator the run starts itself', async () => {
    const loaded = loadScenarioFile(demo, { env: {} });
    assert.deepEqual(loaded.errors, []);
    const report = await runPlans(loaded.plans, { concurrency: 4 });
    const verdicts = Object.fromEntries(
      report.scenarios.map((o) => [o.plan.id, [o.verdict, o.diagnosis?.code ?? '']]),
    );
    assert.deepEqual(verdicts, {
      'port 8883': ['pass', ''],
      'port 443 + ALPN': ['pass', ''],
      'port 443 no ALPN': ['expected-failure', 'mqtt.http-response'],
      'qos [qos=0]': ['pass', ''],
      'qos [qos=1]': ['pass', ''],
      'qos 2 unsupported': ['expected-failure', 'mqtt.suback-timeout'],
      'mqtt 5': ['pass', ''],
    });
    assert.deepEqual(report.summary, { total: 7, met: 7, missed: 0 });
    const alpn = report.scenarios.find((o) => o.plan.id === 'port 443 + ALPN')!;
    assert.equal(alpn.representative.tls?.negotiatedAlpn, 'x-amzn-mqtt-ca');
  });

  test('an expected failure that does not happen fails the scenario loudly', async (t) => {
    const { env, dir } = await startTestEmulator(t);
    const plans = plansFor(
      `${HEADER}  - name: 8883 must be blocked\n    steps: [connect]\n    expect: tcp.timeout\n`,
      env,
      dir,
    );
    const [outcome] = (await runPlans(plans, { concurrency: 1 })).scenarios;
    assert.equal(outcome!.met, false);
    assert.equal(outcome!.verdict, 'fail');
    assert.match(outcome!.mismatch!, /expected `tcp\.timeout`, but the probe got through/);
  });

  test('a failure with another code than expected is a miss that names both codes', async (t) => {
    const { env, dir } = await startTestEmulator(t);
    const plans = plansFor(
      `${HEADER}  - name: wrong code\n    alpn: h2\n    port: \${MQTTPROBE_EMULATOR_ALPN_PORT}\n    expect: mqtt.http-response\n`,
      env,
      dir,
    );
    const [outcome] = (await runPlans(plans, { concurrency: 1 })).scenarios;
    assert.equal(outcome!.met, false);
    assert.equal(outcome!.diagnosis?.code, 'tls.alpn-rejected');
    assert.match(
      outcome!.mismatch!,
      /expected `mqtt\.http-response`, but it failed with `tls\.alpn-rejected`/,
    );
  });

  test('a threshold turns a slow phase into threshold.<phase>', async (t) => {
    const { env, dir, emulator } = await startTestEmulator(t);
    emulator.setFaults({ phaseDelayMs: 30 });
    const plans = plansFor(
      `${HEADER}  - name: slow connack\n    steps: [connect]\n    thresholds: { connack: 10ms }\n`,
      env,
      dir,
    );
    const [outcome] = (await runPlans(plans, { concurrency: 1 })).scenarios;
    assert.equal(outcome!.representative.ok, true, 'the probe itself succeeds');
    assert.equal(outcome!.met, false);
    assert.equal(outcome!.diagnosis?.code, 'threshold.connack');
  });

  test('repeat runs N probes, each with its own client ID, and reports warm statistics', async (t) => {
    const { env, dir } = await startTestEmulator(t);
    const plans = plansFor(`${HEADER}  - name: repeated\n    repeat: 6\n`, env, dir);
    const [outcome] = (await runPlans(plans, { concurrency: 3 })).scenarios;
    assert.equal(outcome!.probes.length, 6);
    assert.equal(outcome!.passed, 6);
    assert.equal(new Set(outcome!.probes.map((p) => p.clientId)).size, 6);
    assert.equal(outcome!.probes.filter((p) => p.cold).length, 1);
    const s = outcome!.stats?.total;
    assert.ok(s, 'total statistics');
    assert.equal(s.n, 5, 'the cold probe is left out');
    assert.ok(s.minMs <= s.p50Ms && s.p50Ms <= s.p95Ms && s.p95Ms <= s.maxMs);
    for (const phase of ['tcp', 'tls', 'connack', 'suback', 'puback', 'receive'] as const) {
      assert.equal(outcome!.stats?.[phase]?.n, 5, phase);
    }
  });

  test('probes sharing a fixed client ID never overlap, across scenarios and repeats, so every one passes', async (t) => {
    const { env, dir } = await startTestEmulator(t);
    const plans = plansFor(
      `${HEADER}  - name: fixed a\n    repeat: 8\n    mqtt: { clientId: shared-probe }\n` +
        `  - name: fixed b\n    repeat: 8\n    mqtt: { clientId: shared-probe }\n` +
        '  - name: generated\n    repeat: 4\n',
      env,
      dir,
    );
    const report = await runPlans(plans, { concurrency: 8 });
    assert.deepEqual(
      report.scenarios.map((o) => [o.plan.id, o.passed, o.probes.length]),
      [
        ['fixed a', 8, 8],
        ['fixed b', 8, 8],
        ['generated', 4, 4],
      ],
    );
    // One after another: each probe with the shared ID starts after the one before it ended.
    const shared = report.scenarios
      .flatMap((o) => o.probes)
      .filter((p) => p.clientId === 'shared-probe')
      .map((p) => ({ from: Date.parse(p.startedAt), to: Date.parse(p.startedAt) + p.totalMs }))
      .sort((a, b) => a.from - b.from);
    for (let i = 1; i < shared.length; i++) {
      // startedAt has millisecond resolution.
      assert.ok(shared[i]!.from >= shared[i - 1]!.to - 1, `probe ${i} started before probe ${i - 1} ended`);
    }
  });

  test('side by side, every probe says how much local delay fell inside each timed phase', async (t) => {
    const { env, dir } = await startTestEmulator(t);
    const plans = plansFor(`${HEADER}  - name: one\n    repeat: 3\n  - name: two\n    repeat: 3\n`, env, dir);
    const report = await runPlans(plans, { concurrency: 4 });
    for (const probe of report.scenarios.flatMap((o) => o.probes)) {
      assert.equal(typeof probe.localDelayMs, 'number');
      for (const phase of ['tcp', 'tls', 'connack', 'suback', 'puback', 'receive'] as const) {
        assert.equal(typeof probe.phases[phase]?.localDelayMs, 'number', phase);
      }
    }
  });

  test('aborting stops the run: probes in flight end at once and unfinished scenarios are listed', async (t) => {
    const { env, dir, emulator } = await startTestEmulator(t);
    emulator.setFaults({ stallTlsHandshake: true });
    const plans = plansFor(
      `${HEADER}  - name: stalls\n    timeout: 30s\n  - name: stalls too\n    timeout: 30s\n`,
      env,
      dir,
    );
    const controller = new AbortController();
    let started = 0;
    const report = await runPlans(plans, {
      concurrency: 2,
      signal: controller.signal,
      // Abort once both probes are on their way to the stalled handshake; a hang here would cost 30 s per probe.
      onScenarioStart: () => {
        if (++started === 2) setImmediate(() => controller.abort());
      },
    });
    assert.equal(report.interrupted, true);
    assert.deepEqual(report.scenarios, []);
    assert.deepEqual(report.notRun.sort(), ['stalls', 'stalls too']);
  });
});
