// Every path a command writes is checked before the first probe, never written onto an input, and replaced
// atomically (a symlink at the path is replaced, not followed). Runs dist/cli.js as a user would.
import assert from 'node:assert/strict';
import { lstatSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { tempDir, writeEmulatorScenario, writeHangingScenario } from '../helpers/scenario-files.js';

const built = { built: true };
const STACK_LINE = /^\s+at /m;

test('a report path that cannot be written is refused before the first probe, exit 2', async (t) => {
  const dir = tempDir(t);
  const hanging = await writeHangingScenario(t, dir);
  if (!hanging) return;
  const { file } = hanging;
  writeFileSync(join(dir, 'a-file'), 'x');
  mkdirSync(join(dir, 'a-folder'));
  const cases = [
    {
      name: 'a missing folder',
      args: ['--report', `junit=${join(dir, 'missing', 'r.xml')}`],
      says: /--report junit .*folder .*missing does not exist/,
    },
    {
      name: 'a folder whose parent is a file',
      args: ['--report', `json=${join(dir, 'a-file', 'r.json')}`],
      says: /--report json .*is not a folder/,
    },
    {
      name: 'a folder as the path',
      args: ['--report', `json=${join(dir, 'a-folder')}`],
      says: /--report json .*a-folder is a folder/,
    },
    {
      name: 'the scenario file itself',
      args: ['--report', `json=${file}`],
      says: /--report json .*hangs\.yaml is an input of this run/,
    },
    {
      name: 'one path for two reports',
      args: ['--report', `json=${join(dir, 'r')}`, '--report', `junit=${join(dir, 'r')}`],
      says: /--report junit .*--report json writes there already/,
    },
  ];
  const before = readFileSync(file, 'utf8');
  const runs = await Promise.all(cases.map((c) => runCli(['run', file, ...c.args], {}, built)));
  for (const [i, c] of cases.entries()) {
    const { code, stderr } = runs[i]!;
    assert.equal(code, 2, `${c.name}: ${stderr}`);
    assert.match(stderr, c.says, c.name);
    assert.doesNotMatch(stderr, /\[\d+\/\d+\]/, `${c.name}: no probe ran`);
    assert.doesNotMatch(stderr, STACK_LINE, c.name);
  }
  assert.equal(readFileSync(file, 'utf8'), before, 'the scenario file is untouched');
});

test('an unwritable GITHUB_STEP_SUMMARY is refused before the first probe, exit 2', async (t) => {
  const dir = tempDir(t);
  const hanging = await writeHangingScenario(t, dir);
  if (!hanging) return;
  const { file } = hanging;
  const { code, stderr } = await runCli(
    ['run', file],
    { GITHUB_STEP_SUMMARY: join(dir, 'missing', 'summary.md') },
    built,
  );
  assert.equal(code, 2, stderr);
  assert.match(stderr, /GITHUB_STEP_SUMMARY .*does not exist/);
  assert.doesNotMatch(stderr, /\[\d+\/\d+\]/);
  assert.doesNotMatch(stderr, STACK_LINE);
});

test('a symlink at a report path is replaced, not followed, and no temporary file is left', async (t) => {
  const dir = tempDir(t);
  const file = writeEmulatorScenario(dir);
  const victim = join(dir, 'victim.txt');
  writeFileSync(victim, 'keep me');
  const link = join(dir, 'report.json');
  symlinkSync(victim, link);
  const { code, stderr } = await runCli(['run', file, '--report', `json=${link}`], {}, built);
  assert.equal(code, 0, stderr);
  assert.equal(readFileSync(victim, 'utf8'), 'keep me');
  assert.ok(lstatSync(link).isFile(), 'the link became the report');
  assert.equal(JSON.parse(readFileSync(link, 'utf8')).summary.met, 1);
  assert.deepEqual(readdirSync(dir).sort(), ['emulator.yaml', 'report.json', 'victim.txt']);
});

test('check --save and init --output into a missing folder are clear errors, exit 2', async (t) => {
  const dir = tempDir(t);
  const missing = join(dir, 'missing', 'out.yaml');
  const [check, init] = await Promise.all([
    runCli(['check', 'emulator', '--save', missing, '--repeat', '1'], {}, built),
    runCli(['init', '--endpoint', 'example.com', '--output', missing], {}, { ...built, cwd: dir }),
  ]);
  for (const [name, run, flag] of [
    ['check', check, '--save'],
    ['init', init, '--output'],
  ] as const) {
    assert.equal(run.code, 2, `${name}: ${run.stderr}`);
    assert.match(run.stderr, new RegExp(`${flag} .*folder .*missing does not exist`), name);
    assert.doesNotMatch(run.stderr, STACK_LINE, name);
  }
  assert.doesNotMatch(check.stderr, /\[\d+\/\d+\]/, 'check probed nothing');
});
