// A process that ran failing probes exits on its own: no socket or timer is left behind.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { test } from 'node:test';

const script = new URL('./helpers/probe-in-child.ts', import.meta.url).pathname;

// The timeout only bounds a hang; the child's probes hold 20 s timers if cleanup ever leaks them.
test('a process that ran failing and interrupted probes exits by itself', { timeout: 15_000 }, async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  assert.equal(code, 0);
  assert.deepEqual(JSON.parse(stdout), [
    'mqtt.connack-timeout',
    'tls.timeout',
    'proxy.timeout',
    'proxy.timeout',
    'ws.timeout',
    'probe.interrupted',
  ]);
});
