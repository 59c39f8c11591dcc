import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { promisify } from 'node:util';

const run = promisify(execFile);
const cli = new URL('../src/cli.ts', import.meta.url).pathname;

test('--version prints the package version', async () => {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  const { stdout } = await run(process.execPath, ['--import', 'tsx', cli, '--version']);
  assert.equal(stdout.trim(), pkg.version);
});
