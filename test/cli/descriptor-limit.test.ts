// Under a low open-file limit (`ulimit -n`), a high --concurrency is lowered to what the limit allows, with a
// warning that names it, so no probe fails for a local shortage and none is reported as a network failure.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/scenario-files.js';

test('ulimit -n 200 with -c 300: concurrency is lowered with a warning and every probe passes', async (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'many.yaml');
  writeFileSync(
    file,
    'version: 1\nscenarios:\n  - name: many\n    endpoint: emulator\n    port: 8883\n    repeat: 300\n',
  );
  const { code, stdout, stderr } = await runCli(
    ['run', file, '-c', '300', '--format', 'json'],
    {},
    { built: true, openFiles: 200 },
  );
  assert.match(
    stderr,
    /warning: 300 probes at once lowered to \d+: this process may open 200 files \(ulimit -n\)/,
  );
  const report = JSON.parse(stdout);
  const codes = report.scenarios[0].probes
    .filter((p: { ok: boolean }) => !p.ok)
    .map((p: { diagnosis: { code: string } }) => p.diagnosis.code);
  assert.deepEqual(codes, [], 'no probe failed');
  assert.equal(report.scenarios[0].probes.length, 300);
  assert.equal(code, 0, stderr);
});
