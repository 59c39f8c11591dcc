// Under a low open-file limit (`ulimit -n`), a high --concurrency is lowered to what the limit allows, with a
// warning that names it, so no probe fails for a local shortage and none is reported as a network failure.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { tempDir, writeEmulatorScenario } from '../helpers/scenario-files.js';

test('ulimit -n 120 with -c 150: concurrency is lowered with a warning and every probe passes', async (t) => {
  const dir = tempDir(t);
  const file = writeEmulatorScenario(dir, '    repeat: 150\n    timeout: 60s\n');
  const { code, stdout, stderr } = await runCli(
    ['run', file, '-c', '150', '--format', 'json'],
    {},
    { built: true, openFiles: 120 },
  );
  assert.match(
    stderr,
    /warning: 150 probes at once lowered to \d+: this process may open 120 files \(ulimit -n\)/,
  );
  const report = JSON.parse(stdout);
  const codes = report.scenarios[0].probes
    .filter((p: { ok: boolean }) => !p.ok)
    .map((p: { diagnosis: { code: string } }) => p.diagnosis.code);
  assert.deepEqual(codes, [], 'no probe failed');
  assert.equal(report.scenarios[0].probes.length, 150);
  assert.equal(code, 0, stderr);
});
