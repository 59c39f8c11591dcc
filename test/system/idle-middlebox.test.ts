// A middlebox that cuts idle connections: a keepalive longer than its idle timeout loses the connection, a shorter one keeps it.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { describe, test } from 'node:test';
import { startTestEmulator } from '../helpers/emulator.js';
import { systemTest } from '../helpers/system.js';
import { startIdleCuttingProxy } from './helpers/idle-cutting-proxy.js';
import { describeRun, loadPlans, outcomeOf, runAll } from './helpers/run-scenarios.js';

/** The scenario file header for the emulator behind the relay on `port`; append `scenarios:` entries. */
function throughRelay(port: number, options: { hold: string; timeout: string }): string {
  return `version: 1
defaults:
  endpoint: 127.0.0.1
  port: ${port}
  servername: \${MQTTPROBE_EMULATOR_SERVERNAME}
  ca: \${MQTTPROBE_EMULATOR_CA}
  auth: { type: x509, cert: "\${MQTTPROBE_EMULATOR_CERT}", key: "\${MQTTPROBE_EMULATOR_KEY}" }
  hold: ${options.hold}
  timeout: ${options.timeout}
scenarios:
`;
}

// keepalive is whole seconds, so the idle timeout sits between a 1 s and a 5 s keepalive.
const IDLE_S = 2;

describe('idle-connection middlebox', () => {
  test(`with a ${IDLE_S} s idle cut, hold ${3 * IDLE_S}s drops at keepalive 5s and survives at keepalive 1s`, async (t) => {
    const { env, dir } = await startTestEmulator(t);
    const proxy = await startIdleCuttingProxy(
      t,
      { host: env.MQTTPROBE_EMULATOR_HOST!, port: Number(env.MQTTPROBE_EMULATOR_MQTTS_PORT) },
      IDLE_S * 1000,
    );
    const plans = loadPlans(
      dir,
      `${throughRelay(proxy.port, { hold: `${3 * IDLE_S}s`, timeout: '3s' })}  - { name: keepalive above the idle cut, mqtt: { keepalive: 5s }, expect: mqtt.connection-dropped }
  - { name: keepalive below the idle cut, mqtt: { keepalive: 1s } }
`,
      env,
    );
    const report = await runAll(plans);
    assert.equal(report.summary.missed, 0, describeRun(report));

    const dropped = outcomeOf(report, 'keepalive above the idle cut');
    assert.equal(dropped.diagnosis?.code, 'mqtt.connection-dropped');
    if (dropped.diagnosis?.code === 'mqtt.connection-dropped') {
      const { heldMs, plannedMs } = dropped.diagnosis.evidence;
      t.diagnostic(`cut after ${heldMs} ms of a planned ${plannedMs} ms hold`);
      assert.equal(plannedMs, 3 * IDLE_S * 1000);
      // Cut after about one idle timeout, long before the hold would have ended.
      assert.ok(heldMs >= IDLE_S * 1000 - 250 && heldMs < 2 * IDLE_S * 1000, `held ${heldMs} ms`);
    }

    const kept = outcomeOf(report, 'keepalive below the idle cut');
    assert.equal(kept.verdict, 'pass');
    assert.ok((kept.representative.heldMs ?? 0) >= 3 * IDLE_S * 1000 - 50);
    assert.equal(proxy.cuts(), 1, 'only the quiet connection was cut');
  });

  systemTest(
    `a silent ${IDLE_S} s idle cut (no FIN, no RST) fails hold at its end, as paho-mqtt's PUBACK never comes`,
    { commands: ['/usr/bin/python3'] },
    async (t) => {
      const { env, dir } = await startTestEmulator(t);
      const upstream = {
        host: env.MQTTPROBE_EMULATOR_HOST!,
        port: Number(env.MQTTPROBE_EMULATOR_MQTTS_PORT),
      };
      const proxy = await startIdleCuttingProxy(t, upstream, IDLE_S * 1000, { cut: 'silent' });
      const plans = loadPlans(
        dir,
        `${throughRelay(proxy.port, { hold: `${2 * IDLE_S}s`, timeout: '2s' })}  - { name: default keepalive, expect: mqtt.silently-dropped }
  - { name: keepalive below the idle cut, mqtt: { keepalive: 1s } }
`,
        env,
      );
      const report = await runAll(plans);
      assert.equal(report.summary.missed, 0, describeRun(report));
      const silent = outcomeOf(report, 'default keepalive');
      assert.equal(silent.representative.failedPhase, 'hold');
      assert.match(silent.diagnosis?.hint ?? '', /keepalive below its idle timeout \(now 60 s\)/);
      assert.equal(outcomeOf(report, 'keepalive below the idle cut').verdict, 'pass');
      assert.equal(proxy.cuts(), 1, 'only the quiet connection was cut');

      // Ground truth: a real client on the same path publishes after the cut and never gets its PUBACK.
      const paho = spawn('/usr/bin/python3', [
        new URL('./helpers/paho-publish-after-idle.py', import.meta.url).pathname,
        ...['127.0.0.1', String(proxy.port), env.MQTTPROBE_EMULATOR_SERVERNAME!],
        ...[env.MQTTPROBE_EMULATOR_CA!, env.MQTTPROBE_EMULATOR_CERT!, env.MQTTPROBE_EMULATOR_KEY!],
        ...['paho/idle-check', '3'],
      ]);
      t.after(() => paho.kill());
      let stderr = '';
      paho.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      const lines = createInterface({ input: paho.stdout })[Symbol.asyncIterator]();
      assert.equal((await lines.next()).value, 'connected', stderr);
      await proxy.nextCut();
      paho.stdin.write('\n');
      assert.equal((await lines.next()).value, 'no-puback', stderr);
      await once(paho, 'exit');
      await proxy.close();
    },
  );
});
