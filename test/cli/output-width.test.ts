import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { CliIo } from '../../src/cli/io.js';
import { DEFAULT_WIDTH, MIN_WIDTH, outputWidth } from '../../src/cli/output-width.js';
import { plainStyle } from '../../src/report/style.js';
import { runCli } from '../helpers/cli.js';
import { assertFits, widestColumns } from '../helpers/layout.js';

const LONG_NOTES = 'test/fixtures/layout/long-notes.yaml';

function ioWith(stdout: { isTTY?: boolean; columns?: number }, env: Record<string, string> = {}): CliIo {
  return {
    stdout: stdout as CliIo['stdout'],
    stderr: process.stderr,
    env,
    style: { stdout: plainStyle, stderr: plainStyle },
    setExitCode: () => {},
  };
}

describe('the output width', () => {
  const cases: Array<{
    name: string;
    stdout: { isTTY?: boolean; columns?: number };
    env?: Record<string, string>;
    width: number;
  }> = [
    { name: 'a terminal’s own width, however wide', stdout: { isTTY: true, columns: 213 }, width: 213 },
    {
      name: 'a terminal’s width wins over COLUMNS',
      stdout: { isTTY: true, columns: 80 },
      env: { COLUMNS: '200' },
      width: 80,
    },
    { name: 'in a pipe, COLUMNS', stdout: {}, env: { COLUMNS: '80' }, width: 80 },
    { name: 'in a pipe without COLUMNS, the default for CI logs', stdout: {}, width: DEFAULT_WIDTH },
    {
      name: 'a COLUMNS that is not a whole number is ignored',
      stdout: {},
      env: { COLUMNS: '80px' },
      width: DEFAULT_WIDTH,
    },
    { name: 'a COLUMNS of 0 is ignored', stdout: {}, env: { COLUMNS: '0' }, width: DEFAULT_WIDTH },
    { name: 'an absurd COLUMNS is ignored', stdout: {}, env: { COLUMNS: '100000' }, width: DEFAULT_WIDTH },
    {
      name: 'a terminal that reports no width falls back to COLUMNS',
      stdout: { isTTY: true },
      env: { COLUMNS: '90' },
      width: 90,
    },
    {
      name: 'a very narrow terminal is taken to be the floor',
      stdout: { isTTY: true, columns: 12 },
      width: MIN_WIDTH,
    },
  ];
  for (const c of cases) test(c.name, () => assert.equal(outputWidth(ioWith(c.stdout, c.env)), c.width));
});

describe('the CLI in a pipe renders for the width it was given', () => {
  // Each command once per width, all at once: the runs are independent processes with emulators of their own.
  const runs = {
    demo80: runCli(['demo'], { COLUMNS: '80' }, { built: true }),
    demoDefault: runCli(['demo'], {}, { built: true }),
    demo200: runCli(['demo'], { COLUMNS: '200' }, { built: true }),
    long80: runCli(['run', LONG_NOTES], { COLUMNS: '80' }, { built: true }),
    longDefault: runCli(['run', LONG_NOTES], {}, { built: true }),
    long200: runCli(['run', LONG_NOTES, '-v'], { COLUMNS: '200' }, { built: true }),
    validate60: runCli(['validate', LONG_NOTES, 'scenarios/demo.yaml'], { COLUMNS: '60' }, { built: true }),
  };

  test('`validate` at 60 columns: each scenario’s settings wrap under its name', async () => {
    const { code, stdout, stderr } = await runs.validate60;
    assert.equal(code, 0, stderr);
    assertFits(stdout, 60, 'validate at COLUMNS=60');
    assertFits(stderr, 60, 'validate’s warnings at COLUMNS=60');
    assert.match(stdout, /\n {2}port 443 no ALPN {2}emulator:443 mqtts .*\n {6}\S/);
  });

  test('`demo` at 80 columns: side by side in two blocks, nothing wider, no lone words', async () => {
    const { code, stdout } = await runs.demo80;
    assert.equal(code, 0);
    assertFits(stdout, 80, 'demo at COLUMNS=80');
    assert.equal(stdout.split('\n').filter((l) => /^connack\s/.test(l)).length, 2, stdout);
  });

  test('`demo` without COLUMNS: the CI default of 100 columns, used', async () => {
    const { code, stdout } = await runs.demoDefault;
    assert.equal(code, 0);
    assertFits(stdout, DEFAULT_WIDTH, 'demo in a pipe without COLUMNS');
    assert.ok(widestColumns(stdout) > 80, 'the default width is used, not a narrower one');
  });

  test('`demo` at 200 columns: one block, and the spare room stays spare', async () => {
    const { code, stdout } = await runs.demo200;
    assert.equal(code, 0);
    assertFits(stdout, 200, 'demo at COLUMNS=200');
    assert.equal(stdout.split('\n').filter((l) => /^connack\s/.test(l)).length, 1);
    assert.ok(widestColumns(stdout) > 100, 'the width above 100 is used');
  });

  test('long names, diagnoses and warnings at 80, the default and 200 columns', async () => {
    const narrow = await runs.long80;
    assert.equal(narrow.code, 1, 'the file has failures, as meant');
    assertFits(narrow.stdout, 80, 'long notes at COLUMNS=80');
    assertFits(narrow.stderr, 80, 'the warnings and progress lines on stderr at COLUMNS=80');
    assert.match(
      narrow.stderr,
      /^warning: skips verification, .*\n {2}\S/m,
      'a warning wraps under a hanging indent',
    );
    assert.match(narrow.stdout, /tls\.hostname-mismatch: /);
    const middle = await runs.longDefault;
    assertFits(middle.stdout, DEFAULT_WIDTH, 'long notes in a pipe without COLUMNS');
    assertFits(middle.stderr, DEFAULT_WIDTH, 'stderr in a pipe without COLUMNS');
    const wide = await runs.long200;
    assertFits(wide.stdout, 200, 'long notes as a waterfall at COLUMNS=200');
    assert.match(wide.stdout, /hold .*─+/, 'the hold is drawn as an idle line');
  });
});
