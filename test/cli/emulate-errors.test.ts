// `mqttprobe emulate` with a port in use or a certificate folder it cannot use: a clear error and exit 2, never a
// stack trace, never an emulator that listens and says nothing.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/scenario-files.js';

const STACK_LINE = /^\s+at /m;

test('emulate on a port in use names the port and the flag, exit 2', async (t) => {
  const server = net.createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(() => server.close());
  const { port } = server.address() as AddressInfo;
  for (const flag of ['--mqtts-port', '--alpn-port', '--control-plane-port']) {
    const { code, stdout, stderr } = await runCli(['emulate', flag, String(port)], {}, { built: true });
    assert.equal(code, 2, stderr);
    assert.match(stderr, new RegExp(`port ${port} on 127\\.0\\.0\\.1 is in use`));
    assert.match(stderr, new RegExp(`pick another ${flag}`));
    assert.doesNotMatch(stderr, STACK_LINE);
    assert.equal(stdout, '', 'no scenario file for an emulator that is not running');
  }
});

test('emulate with a --certs-dir it cannot create says so before listening, exit 2', async (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'a-file'), 'x');
  const { code, stdout, stderr } = await runCli(
    ['emulate', '--certs-dir', join(dir, 'a-file', 'certs')],
    {},
    { built: true },
  );
  assert.equal(code, 2, stderr);
  assert.match(stderr, /--certs-dir .*a-file\/certs cannot be used \(ENOTDIR\)/);
  assert.doesNotMatch(stderr, /listening/);
  assert.doesNotMatch(stderr, STACK_LINE);
  assert.equal(stdout, '');
});
