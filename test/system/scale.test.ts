// Scale: 500 scenarios from one matrix at concurrency 50 against the local emulator, peak memory of the CLI child bounded.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { startTestEmulator } from '../helpers/emulator.js';

const root = new URL('../..', import.meta.url).pathname;
const cli = new URL('../../src/cli.ts', import.meta.url).pathname;
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
      `version: 1
defaults:
  endpoint: \${MQTTPROBE_EMULATOR_HOST}
  servername: \${MQTTPROBE_EMULATOR_SERVERNAME}
  port: \${MQTTPROBE_EMULATOR_MQTTS_PORT}
  ca: \${MQTTPROBE_EMULATOR_CA}
  auth:
    type: x509
    cert: \${MQTTPROBE_EMULATOR_CERT}
    key: \${MQTTPROBE_EMULATOR_KEY}
  timeout: 20s
scenarios:
  - name: scale
    matrix:
      qos: [0, 1]
      payloadSize: [${sizes.join(', ')}]
`,
    );
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--import', maxRssReporter, cli, 'run', file, '--concurrency', '50'],
      { cwd: root, env: { ...process.env, ...env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk;
    });
    const [code] = (await once(child, 'close')) as [number | null];
    assert.equal(code, 0, `exit ${code}\n${stderr.slice(-3000)}\n${stdout.slice(-3000)}`);
    const maxRssKb = Number(/mqttprobe-max-rss-kb (\d+)/.exec(stderr)?.[1]);
    assert.ok(Number.isFinite(maxRssKb), `no max RSS printed:\n${stderr.slice(-2000)}`);
    t.diagnostic(`peak RSS of the CLI child: ${(maxRssKb / 1024).toFixed(1)} MB`);
    assert.ok(maxRssKb / 1024 < MAX_RSS_MB, `peak RSS ${(maxRssKb / 1024).toFixed(1)} MB`);
  });
});
