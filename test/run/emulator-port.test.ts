// `endpoint: emulator` maps 8883 and 443 onto the emulator's own ports; diagnoses still name the port as written.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runPlans } from '../../src/run/run-plans.js';
import { loadScenarioText } from '../../src/scenario/load-scenario-file.js';
import { startAnsweringServer } from '../probe/helpers/tiny-servers.js';

test('through a proxy that refuses, the diagnosis names emulator:8883, not the port the run dialled', async (t) => {
  const proxy = await startAnsweringServer((socket) => socket.end('HTTP/1.1 403 Forbidden\r\n\r\n'));
  t.after(() => proxy.close());
  const text = `version: 1
scenarios:
  - name: through the proxy
    endpoint: emulator
    port: 8883
    proxy: http://127.0.0.1:${proxy.port}
    expect: proxy.refused
`;
  const loaded = loadScenarioText('/tmp/emulator-port.yaml', text, { env: {} });
  assert.deepEqual(loaded.errors, []);
  const report = await runPlans(loaded.plans, { concurrency: 1 });
  const [outcome] = report.scenarios;
  assert.equal(outcome?.diagnosis?.code, 'proxy.refused', JSON.stringify(outcome?.diagnosis));
  assert.match(outcome.diagnosis.message, /tunnel to emulator:8883 /);
  assert.match(outcome.diagnosis.hint, /tunnels to port 8883:/);
  assert.equal(outcome.met, true);
});
