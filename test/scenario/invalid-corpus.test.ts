// The malformed-input corpus: each file names the location and key phrase of the error it must produce, and its
// rendered message is compared with the `.err` golden beside it (UPDATE_GOLDENS=1 rewrites them for review).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, test } from 'node:test';
import { promisify } from 'node:util';
import { renderScenarioErrors } from '../../src/report/scenario-errors.js';
import { loadScenarioFile } from '../../src/scenario/load-scenario-file.js';

const root = new URL('../..', import.meta.url).pathname;
const dir = relative(process.cwd(), join(root, 'test/fixtures/invalid')) || '.';
const HEADER = /^# expect: (\d+):(\d+) (.+)$/m;

const fixtures = readdirSync(dir)
  .filter((name) => name.endsWith('.yaml'))
  .sort()
  .map((name) => join(dir, name));

const fileLevel: Record<string, string> = {
  'empty.yaml': 'is empty',
  'comments-only.yaml': 'holds no scenarios',
  'binary.yaml': 'is a binary file, not YAML',
  'not-utf8.yaml': 'is not UTF-8 text',
  'a-folder.yaml': 'is a folder, not a scenario file',
};

/** Rendered text with machine-specific absolute paths replaced, so goldens hold on any checkout. */
function render(file: string): string {
  const loaded = loadScenarioFile(file, { env: {} });
  const texts = new Map(loaded.text === undefined ? [] : [[file, loaded.text]]);
  return `${renderScenarioErrors(loaded.errors, { texts })}\n`.replaceAll(
    join(root, 'test/fixtures/invalid'),
    '<fixtures>',
  );
}

test('the corpus holds at least 30 malformed files', () => {
  assert.ok(fixtures.length >= 30, `only ${fixtures.length} fixtures`);
});

describe('each malformed file gives its error at the exact place', () => {
  for (const file of fixtures) {
    const name = file.split('/').at(-1)!;
    test(name, () => {
      const loaded = loadScenarioFile(file, { env: {} });
      assert.equal(loaded.plans.length, 0, 'an invalid file yields no plans');
      assert.ok(loaded.errors.length > 0, 'expected at least one error');
      if (name in fileLevel) {
        assert.match(loaded.errors[0]!.message, new RegExp(fileLevel[name]!));
        return;
      }
      const header = HEADER.exec(readFileSync(file, 'latin1'));
      assert.ok(header, `${name} lacks its "# expect: LINE:COL phrase" header`);
      const [, line, column, phrase] = header;
      const hit = loaded.errors.find((e) =>
        [e.message, e.label, e.hint].some((text) => text?.includes(phrase!)),
      );
      assert.ok(
        hit,
        `no error says "${phrase}"; got: ${loaded.errors.map((e) => `${e.message} / ${e.label}`).join('; ')}`,
      );
      assert.equal(`${hit.span?.line}:${hit.span?.column}`, `${line}:${column}`);
      assert.equal(hit.span?.file, file);

      const golden = file.replace(/\.yaml$/, '.err');
      const actual = render(file);
      if (process.env.UPDATE_GOLDENS === '1' || !existsSync(golden)) writeFileSync(golden, actual);
      assert.equal(actual, readFileSync(golden, 'utf8'));
    });
  }
});

test('a missing file is a clear error, not a crash', () => {
  const { errors } = loadScenarioFile(join(dir, 'no-such-file.yaml'), { env: {} });
  assert.equal(errors[0]?.code, 'file.not-found');
});

test('no file in the corpus crashes the CLI: exit code 2, every file reported, no stack trace', async () => {
  const cli = join(root, 'src/cli.ts');
  const files = [
    ...fixtures.filter((f) => statSync(f).isFile() || statSync(f).isDirectory()),
    join(dir, 'no-such-file.yaml'),
  ];
  const result = await promisify(execFile)(process.execPath, ['--import', 'tsx', cli, 'validate', ...files], {
    cwd: process.cwd(),
    env: { ...process.env, NO_COLOR: '1' },
  }).then(
    () => assert.fail('validate accepted the invalid corpus'),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );
  assert.equal(result.code, 2);
  assert.doesNotMatch(result.stderr, /^\s+at .+:\d+:\d+\)?$/m, 'stack trace printed');
  assert.doesNotMatch(result.stderr, /TypeError|ReferenceError|Cannot read properties/);
  assert.equal(result.stdout, '', 'no file may pass');
  for (const file of files) assert.ok(result.stderr.includes(file), `${file} not reported`);
});
