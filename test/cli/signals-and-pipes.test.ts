// The process edges of the installed CLI (dist/cli.js): a reader that closes its pipe early, SIGTERM mid-run, and a
// bug inside the process. None may print a stack trace, lose the report of what finished, or hang.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli, startCli } from '../helpers/cli.js';
import { tempDir, writeEmulatorScenario, writeHangingScenario } from '../helpers/scenario-files.js';

const built = { built: true };
const STACK_LINE = /^\s+at /m;
const injectBug = new URL('../fixtures/preload/inject-bug.mjs', import.meta.url).href;

test('a closed stdout ends the command quietly and keeps its exit code', async (t) => {
  const dir = tempDir(t);
  const file = writeEmulatorScenario(dir);
  const cases = [
    { name: '--help', args: ['--help'], code: 0 },
    { name: 'validate', args: ['validate', file], code: 0 },
    { name: 'run --format json', args: ['run', file, '--format', 'json'], code: 0 },
    { name: 'validate of a bad file', args: ['validate', join(dir, 'missing.yaml')], code: 2 },
  ];
  await Promise.all(
    cases.map(async (c) => {
      const run = startCli(c.args, {}, built);
      // Like `| head -0` or `| true`: the reader is gone before the first byte is written.
      run.child.stdout!.destroy();
      const { code } = await run.exited;
      assert.equal(code, c.code, `${c.name}: ${run.stderr()}`);
      assert.doesNotMatch(run.stderr(), /EPIPE|Unhandled|internal error/, c.name);
      assert.doesNotMatch(run.stderr(), STACK_LINE, c.name);
    }),
  );
});

test('a closed stderr does not stop the run: the report still reaches stdout', async (t) => {
  const file = writeEmulatorScenario(tempDir(t));
  const run = startCli(['run', file, '--format', 'json'], {}, built);
  run.child.stderr!.destroy();
  const { code } = await run.exited;
  assert.equal(code, 0);
  assert.equal(JSON.parse(run.stdout()).summary.met, 1);
});

test('SIGTERM mid-run prints what finished, writes every report and exits 143', async (t) => {
  const dir = tempDir(t);
  const setup = await writeHangingScenario(t, dir, { passFirst: true });
  if (!setup) return;
  const json = join(dir, 'report.json');
  const junit = join(dir, 'report.xml');
  const summary = join(dir, 'summary.md');
  const run = startCli(
    ['run', setup.file, '-c', '1', '--report', `json=${json}`, '--report', `junit=${junit}`],
    { GITHUB_STEP_SUMMARY: summary },
    built,
  );
  // The first scenario has finished and the second is waiting on the blackhole.
  await run.waitForStderr(/\[1\/2\]/);
  run.child.kill('SIGTERM');
  const { code, signal } = await run.exited;
  assert.equal(signal, null, 'the process handled SIGTERM instead of dying of it');
  assert.equal(code, 143, run.stderr());
  assert.match(run.stderr(), /terminated \(SIGTERM\)/);
  assert.doesNotMatch(run.stderr(), STACK_LINE);
  assert.match(run.stdout(), /emulator 8883/, 'the table of what finished is printed');
  const report = JSON.parse(readFileSync(json, 'utf8'));
  assert.equal(report.interrupted, true);
  assert.deepEqual(
    report.scenarios.map((s: { id: string }) => s.id),
    ['emulator 8883'],
  );
  assert.deepEqual(report.notRun, ['blackholed']);
  assert.match(readFileSync(junit, 'utf8'), /not run \(interrupted\)/);
  assert.ok(existsSync(summary), 'the job summary is written too');
});

for (const kind of ['throw', 'reject'] as const) {
  test(`a bug mid-run (${kind === 'throw' ? 'an uncaught exception' : 'an unhandled rejection'}) prints one line, reports what finished, exits 70`, async (t) => {
    const dir = tempDir(t);
    const setup = await writeHangingScenario(t, dir, { passFirst: true });
    if (!setup) return;
    const json = join(dir, 'report.json');
    const { code, stdout, stderr } = await runCli(
      ['run', setup.file, '-c', '1', '--report', `json=${json}`],
      { MQTTPROBE_TEST_BUG_PORT: String(setup.port), MQTTPROBE_TEST_BUG: kind },
      { ...built, nodeArgs: ['--import', injectBug] },
    );
    assert.equal(code, 70, stderr);
    const bugLines = stderr.split('\n').filter((l) => /internal error/.test(l));
    assert.equal(bugLines.length, 1, stderr);
    assert.match(bugLines[0]!, /this is a bug in mqttprobe.*injected (bug|rejection)/);
    assert.doesNotMatch(stderr, STACK_LINE);
    assert.match(stdout, /emulator 8883/);
    const report = JSON.parse(readFileSync(json, 'utf8'));
    assert.deepEqual(
      report.scenarios.map((s: { id: string }) => s.id),
      ['emulator 8883'],
    );
  });
}
