// Scale: 500 scenarios from one matrix at concurrency 50 against the local emulator, peak memory of the CLI child bounded.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { emulatorScenarioHeader, startTestEmulator } from '../helpers/emulator.js';

const maxRssReporter = new URL('./helpers/report-max-rss.ts', import.meta.url).pathname;
const MAX_RSS_MB = 200;

describe('scale', () => {
  test('500 scenarios from one matrix at concurrency 50 all pass, and the CLI stays under 200 MB', async (t) => {
    // The emulator runs in this process, the CLI in a child, so the child's peak memory is mqttprobe's alone.
    const { env, dir } = await startTestEmulator(t);
    const sizes = Array.from({ length: 250 }, (_, i) => i + 1);
    const file = join(dir, 'scale.yaml');
    writeFileSync(
      file,
      `${emulatorScenarioHeader({ servername: '${MQTTPROBE_EMULATOR_SERVERNAME}', timeout: '20s' })}  - name: scale
    matrix:
      qos: [0, 1]
      payloadSize: [${sizes.join(', ')}]
`,
    );
    const { code, stdout, stderr } = await runCli(['run', file, '--concurrency', '50'], env, {
      nodeArgs: ['--import', maxRssReporter],
    });
    assert.equal(code, 0, `exit ${code}\n${stderr.slice(-3000)}\n${stdout.slice(-3000)}`);
    const maxRssKb = Number(/mqttprobe-max-rss-kb (\d+)/.exec(stderr)?.[1]);
    assert.ok(Number.isFinite(maxRssKb), `no max RSS printed:\n${stderr.slice(-2000)}`);
    t.diagnostic(`peak RSS of the CLI child: ${(maxRssKb / 1024).toFixed(1)} MB`);
    assert.ok(maxRssKb / 1024 < MAX_RSS_MB, `peak RSS ${(maxRssKb / 1024).toFixed(1)} MB`);
  });
});
