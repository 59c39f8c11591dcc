import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { OUTPUTS, type OutputName, REPORT_FORMATS, VIEWS } from '../../src/report/outputs.js';
import { defaultView, renderReport } from '../../src/report/report-formats.js';
import { runCli } from '../helpers/cli.js';
import { capturedReport } from './captured-reports.js';

describe('the output registry', () => {
  test('every format and view in it renders a run, each its own way', async () => {
    const report = capturedReport('mixed');
    const names = Object.keys(OUTPUTS) as OutputName[];
    assert.deepEqual(names, [...REPORT_FORMATS, ...VIEWS]);
    const outputs = await Promise.all(names.map((name) => renderReport(name, report)));
    assert.equal(new Set(outputs).size, names.length, 'no two names share a renderer');
    for (const [i, name] of names.entries()) assert.match(outputs[i]!, /qos 2/, name);
  });

  test('a view is named in one lowercase word, the key its flag is read back under', () => {
    for (const view of VIEWS) assert.match(view, /^[a-z]+$/);
  });

  test('the terminal picks side by side for variants of one path, else the table', () => {
    assert.equal(defaultView(capturedReport('repeat')), 'compare');
    assert.equal(defaultView(capturedReport('mixed')), 'table');
  });

  test('`run --help` offers every format and a flag per view, from the registry', async () => {
    const { code, stdout } = await runCli(['run', '--help']);
    assert.equal(code, 0);
    // Commander wraps the help at 80 columns: the list may span lines.
    assert.match(
      stdout.replace(/\s+/g, ' '),
      new RegExp(`what goes to stdout: ${REPORT_FORMATS.join(', ')}`),
    );
    for (const view of VIEWS) assert.match(stdout, new RegExp(`--${view}\\b`), view);
    assert.match(stdout, /--no-compare/);
    assert.match(stdout, /-v, --waterfall/);
  });

  test('a --report with an unknown format names it and lists the formats there are', async () => {
    const { code, stderr } = await runCli(['run', 'scenarios/demo.yaml', '--report', 'nope=out.html']);
    assert.equal(code, 2);
    assert.match(
      stderr,
      new RegExp(
        `--report nope=out\\.html: unknown report format \`nope\`; known: ${REPORT_FORMATS.join(', ')}\n`,
      ),
    );
    assert.doesNotMatch(stderr, /FORMAT=PATH|\n\s+at /, 'the format is the mistake, and no stack trace');
  });

  test('a view given as a report format is told apart from a typo', async () => {
    const { code, stderr } = await runCli(['run', 'scenarios/demo.yaml', '--report', 'compare=out.txt']);
    assert.equal(code, 2);
    assert.match(stderr, /unknown report format `compare`; known: /);
    assert.match(stderr, /`compare` is a terminal view of the table, not a file format: add --compare/);
  });
});
