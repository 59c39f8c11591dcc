import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { tempDir, writeDeviceCerts } from '../helpers/scenario-files.js';

const root = new URL('../..', import.meta.url).pathname;
const cli = join(root, 'src/cli.ts');
const shipped = ['aws-iot-ports.yaml', 'broker-password.yaml', 'firewall-blocks-1883.yaml'].map((f) =>
  join('scenarios', f),
);

async function mqttprobe(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', cli, ...args],
      {
        cwd: root,
        env: { ...process.env, NO_COLOR: '1', ...env },
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

test('the shipped scenarios validate once their device certificate exists', async (t) => {
  const dir = tempDir(t);
  const { paths } = await writeDeviceCerts(dir);
  const result = await mqttprobe(['validate', ...shipped], {
    AWS_IOT_CERT: paths['device.pem.crt']!,
    AWS_IOT_KEY: paths['device-private.pem.key']!,
  });
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /✔ scenarios\/aws-iot-ports\.yaml: 6 scenarios/);
  assert.match(result.stdout, /aws 443 no alpn .*alpn=none .*expect=mqtt\.http-response/);
  assert.match(result.stdout, /broker round trip \[qos=2, mqtt\.version=5\]/);
});

test('--no-files checks the shipped scenarios without the device certificate', async () => {
  const result = await mqttprobe(['validate', '--no-files', ...shipped], {
    AWS_IOT_CERT: '',
    AWS_IOT_KEY: '',
  });
  assert.equal(result.code, 0, result.stderr);
  assert.equal((result.stdout.match(/^✔ /gm) ?? []).length, 3);
});

test('without the certificate, validate names the missing file and exits 2', async () => {
  const result = await mqttprobe(['validate', 'scenarios/aws-iot-ports.yaml'], {
    AWS_IOT_CERT: '/nonexistent/device.pem.crt',
  });
  assert.equal(result.code, 2);
  assert.match(result.stderr, /client certificate not found: \/nonexistent\/device\.pem\.crt/);
  assert.match(result.stderr, /--> scenarios\/aws-iot-ports\.yaml:\d+:\d+/);
});

test('`mqttprobe schema` prints the published schema', async () => {
  const result = await mqttprobe(['schema']);
  assert.equal(result.code, 0);
  assert.deepEqual(
    JSON.parse(result.stdout),
    JSON.parse(readFileSync(join(root, 'schema/scenario.schema.json'), 'utf8')),
  );
});

test('an unknown command or option is a usage error with exit code 2', async () => {
  const result = await mqttprobe(['validat', 'x.yaml']);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /unknown command 'validat'/);
  assert.match(result.stderr, /Did you mean validate\?/);
});
